import type { Exchange, FileReceipt, Recipient } from "../../../src/domain/exchange";
import { parseSettings, type Settings } from "../../../src/domain/settings";
import { ExchangeDirection, ExchangeStage, IncidentState, RecipientRole } from "../../../src/model";
import type { CaseAccess, CasePanelData, CaseReads, CaseRecord, ExchangeRecord, RecipientRecord } from "../../../src/ports/CaseReads";
import type { CrmGateway, FolderHolder, NoteInput, TimelineTarget } from "../../../src/ports/CrmGateway";
import type {
  DocumentLibrary,
  FileRef,
  FolderPermission,
  FolderRef,
  FolderSnapshot,
  InviteOutcome,
  InviteRequest,
  StoredFile,
} from "../../../src/ports/DocumentLibrary";
import type { CaseActor, CasePorts } from "../../../src/app/casePorts";

export const NOW = new Date("2026-11-22T10:00:00Z");
export const settings: Settings = parseSettings({
  cfx_SharePointSiteUrl: "https://contoso.sharepoint.com/sites/cases",
  cfx_EntraTenantId: "t",
  cfx_EntraClientId: "c",
});

/** What a dropped connection looks like once the gateway has wrapped it: no answer, status 0. */
export const lostAnswer = () => Object.assign(new Error("Failed to fetch"), { name: "DataverseError", code: "networkError", status: 0 });

export const agent: CaseActor = { id: "u-agent", name: "Alex Agent", roles: ["agent"] };
export const supervisor: CaseActor = { id: "u-sup", name: "Sue Supervisor", roles: ["supervisor"] };

export const caseRecord: CaseRecord = {
  id: "c1",
  number: "CAS-01234-A1B2C3",
  title: "Scanner replaced",
  state: IncidentState.active,
  contact: { id: "k1", name: "Ana Berg", email: "ana@clinic.example" },
  ownerId: "u-agent",
};

export const folder: FolderRef = {
  driveId: "d1",
  itemId: "i1",
  path: "Customer Data Migration/CAS-01234-A1B2C3",
  webUrl: "https://contoso.sharepoint.com/sites/cases/Shared%20Documents/Customer%20Data%20Migration/CAS-01234-A1B2C3",
  createdOn: new Date("2026-11-20T10:00:00Z"),
};

export function backupExchange(over: Partial<Exchange> = {}): Exchange {
  return {
    id: "x1",
    name: caseRecord.number,
    caseId: "c1",
    ticketId: "t1",
    direction: ExchangeDirection.backupForCustomer,
    stage: ExchangeStage.backupReady,
    folderPath: folder.path,
    driveId: folder.driveId,
    itemId: folder.itemId,
    webUrl: folder.webUrl,
    folderCreatedOn: folder.createdOn,
    expiresOn: new Date("2026-12-20T10:00:00Z"),
    fileCount: 1,
    totalBytes: 1000,
    ownerId: "u-agent",
    ...over,
  };
}

export function recipient(over: Partial<RecipientRecord> = {}): RecipientRecord {
  return {
    id: "r1",
    exchangeId: "x1",
    email: "ana@clinic.example",
    role: RecipientRole.write,
    permissionId: "p1",
    invitedOn: new Date("2026-11-21T09:00:00Z"),
    invitedBy: "u-agent",
    invitedByName: "Alex Agent",
    ...over,
  };
}

/** A CRM with real state, failing loudly on what tests did not set up. */
export class FakeCrm implements CrmGateway, CaseReads {
  exchanges = new Map<string, Exchange>();
  recipients = new Map<string, Recipient>();
  notes: Array<{ target: TimelineTarget; note: NoteInput; id: string }> = [];
  panel?: CasePanelData;
  /** When set, the panel's read is built from the rows written so far, as a reload would see them. */
  liveCase?: CaseRecord;
  /** Case numbers by case id, for the exchanges that record a folder. */
  caseNumbers = new Map<string, string>([["c1", "CAS-01234-A1B2C3"]]);
  /** Notes fail this many times before they work. */
  noteFailures = 0;
  /** Targets whose notes are refused as on a resolved case. */
  refuseNotesOn = new Set<string>();
  failNext = new Map<string, unknown>();
  /**
   * Operations whose next call is carried out and then loses its answer (the connection drops
   * after Dataverse wrote): the row is there, the caller sees a network error.
   */
  loseAnswer = new Set<string>();
  calls: string[] = [];
  /** The rights Dataverse reports on the case, by case id (all of them when not set). */
  access = new Map<string, CaseAccess>();

  private answer(op: string): void {
    if (this.loseAnswer.delete(op)) throw lostAnswer();
  }

  private maybeFail(op: string): void {
    this.calls.push(op);
    const e = this.failNext.get(op);
    if (e !== undefined) {
      this.failNext.delete(op);
      throw e;
    }
  }
  async loadCasePanel(): Promise<CasePanelData> {
    this.maybeFail("loadCasePanel");
    if (this.liveCase)
      return {
        case: this.liveCase,
        exchanges: [...this.exchanges.values()].map((exchange) => ({
          exchange,
          recipients: [...this.recipients.values()].filter((r) => r.exchangeId === exchange.id),
          receipts: [],
        })),
      };
    if (!this.panel) throw new Error("FakeCrm: no panel data");
    return this.panel;
  }
  async accessToCase(caseId: string): Promise<CaseAccess> {
    this.maybeFail("accessToCase");
    return this.access.get(caseId) ?? { read: true, appendTo: true, write: true };
  }
  async createExchange(
    input: Omit<Exchange, "fileCount" | "totalBytes"> & Partial<Pick<Exchange, "fileCount" | "totalBytes">>,
  ): Promise<Exchange> {
    this.maybeFail("createExchange");
    const x = { fileCount: 0, totalBytes: 0, ...input };
    // A row with this id is already there: as Dataverse's duplicate key, counted as written.
    if (!this.exchanges.has(x.id)) this.exchanges.set(x.id, x);
    this.answer("createExchange");
    return x;
  }
  async updateExchange(id: string, changes: Partial<Exchange>): Promise<void> {
    this.maybeFail("updateExchange");
    this.exchanges.set(id, { ...(this.exchanges.get(id) ?? ({ id } as Exchange)), ...changes });
    this.answer("updateExchange");
  }
  async addRecipient(input: Recipient): Promise<Recipient> {
    this.maybeFail("addRecipient");
    if (!this.recipients.has(input.id)) this.recipients.set(input.id, input);
    this.answer("addRecipient");
    return input;
  }
  async updateRecipient(id: string, changes: Partial<Recipient>): Promise<void> {
    this.maybeFail("updateRecipient");
    this.recipients.set(id, { ...(this.recipients.get(id) ?? ({ id } as Recipient)), ...changes });
    this.answer("updateRecipient");
  }
  async exchangesRecordingFolder(f: Pick<FolderRef, "driveId" | "itemId" | "path">): Promise<FolderHolder[]> {
    this.maybeFail("exchangesRecordingFolder");
    return [...this.exchanges.values()]
      .filter((x) => x.itemId === f.itemId || x.folderPath.toLowerCase() === f.path.toLowerCase())
      .map((exchange) => ({ exchange, caseNumber: this.caseNumbers.get(exchange.caseId) }));
  }
  receipts = new Map<string, FileReceipt>();
  async addReceipt(input: FileReceipt): Promise<FileReceipt> {
    this.maybeFail("addReceipt");
    // A row with this id is already there: as Dataverse's duplicate key, counted as written.
    if (!this.receipts.has(input.id)) this.receipts.set(input.id, input);
    this.answer("addReceipt");
    return input;
  }
  /** Users Dataverse lets write the receipts' secured columns (members of the administrators' profile). */
  securedWriters = new Set(["u-admin"]);
  /** Who is calling, for the secured columns: the fake's stand-in for the caller's token. */
  caller = "u-agent";
  async updateReceipt(id: string, changes: Partial<FileReceipt>): Promise<void> {
    this.maybeFail("updateReceipt");
    if (("keptSince" in changes || "expiryOverride" in changes) && !this.securedWriters.has(this.caller))
      throw Object.assign(new Error("The user doesn't have AttributePrivilegeUpdate"), {
        name: "DataverseError",
        code: "securedColumn",
        status: 403,
      });
    const seen = this.receipts.get(id);
    if (!seen) throw Object.assign(new Error("Not found"), { name: "DataverseError", code: "notFound", status: 404 });
    this.receipts.set(id, { ...seen, ...changes });
    this.answer("updateReceipt");
  }
  async addNote(target: TimelineTarget, note: NoteInput, id: string): Promise<boolean> {
    this.calls.push("addNote");
    if (this.noteFailures > 0) {
      this.noteFailures--;
      throw Object.assign(new Error("Service unavailable"), { name: "DataverseError", code: "failed" });
    }
    if (this.refuseNotesOn.has(target.id)) return false;
    if (!this.notes.some((n) => n.id === id)) this.notes.push({ target, note, id });
    this.answer("addNote");
    return true;
  }
}

/** A document library with real state: folders, permissions, invitations. */
export class FakeLibrary implements DocumentLibrary {
  folders = new Map<string, FolderRef>();
  files = new Map<string, StoredFile[]>();
  permissions = new Map<string, FolderPermission[]>();
  invites: Array<{ folder: FolderRef; request: InviteRequest }> = [];
  deleted: Array<{ path: string; permanent: boolean }> = [];
  /** Addresses SharePoint refuses (207 notAllowed). */
  refuse = new Map<string, { code: string; innerCode?: string }>();
  inviteError?: unknown;
  snapshotError?: unknown;
  calls: string[] = [];
  /** Operations whose next call fails before SharePoint does anything. */
  failNext = new Map<string, unknown>();
  /** Operations whose next call is carried out and then loses its answer. */
  loseAnswer = new Set<string>();
  private seq = 0;

  private step(op: string): void {
    this.calls.push(op);
    const e = this.failNext.get(op);
    if (e !== undefined) {
      this.failNext.delete(op);
      throw e;
    }
  }
  private answer(op: string): void {
    if (this.loseAnswer.delete(op))
      throw Object.assign(new Error("Failed to fetch"), { name: "GraphError", code: "networkError", status: 0 });
  }

  constructor(initial: FolderRef[] = [folder]) {
    for (const f of initial) this.folders.set(f.path, f);
  }
  async ensureFolder(path: string): Promise<FolderRef & { created: boolean }> {
    this.step("ensureFolder");
    const existing = this.folders.get(path);
    if (existing) return { ...existing, created: false };
    const f = { driveId: "d1", itemId: `i${++this.seq}`, path, webUrl: `https://sp.example/${encodeURI(path)}`, createdOn: new Date(NOW) };
    this.folders.set(path, f);
    this.answer("ensureFolder");
    return { ...f, created: true };
  }
  async findFolder(path: string): Promise<FolderRef | null> {
    this.calls.push("findFolder");
    return this.folders.get(path) ?? null;
  }
  async listFolders(): Promise<FolderRef[]> {
    throw new Error("FakeLibrary: listFolders is not used by the case panel");
  }
  async listFiles(f: FolderRef): Promise<StoredFile[]> {
    return this.files.get(f.path) ?? [];
  }
  async snapshot(paths: readonly string[]): Promise<FolderSnapshot[]> {
    this.calls.push("snapshot");
    if (this.snapshotError) throw this.snapshotError;
    return paths.map((path) => {
      const f = this.folders.get(path) ?? null;
      return { path, folder: f, files: f ? (this.files.get(path) ?? []) : [], permissions: f ? (this.permissions.get(path) ?? []) : [] };
    });
  }
  async invite(f: FolderRef, request: InviteRequest): Promise<InviteOutcome[]> {
    this.step("invite");
    if (this.inviteError) throw this.inviteError;
    this.invites.push({ folder: f, request });
    const outcomes = request.recipients.map((email) => {
      const refusal = this.refuse.get(email);
      if (refusal) return { email, refusal: { ...refusal, message: "Not allowed" } };
      const id = `p${++this.seq}-new`;
      const list = this.permissions.get(f.path) ?? [];
      list.push({ id, roles: [request.role], email, inherited: false, isLink: false });
      this.permissions.set(f.path, list);
      return { email, permissionId: id };
    });
    this.answer("invite");
    return outcomes;
  }
  async listPermissions(f: FolderRef): Promise<FolderPermission[]> {
    this.step("listPermissions");
    return this.permissions.get(f.path) ?? [];
  }
  async removePermission(f: FolderRef, permissionId: string): Promise<void> {
    this.calls.push("removePermission");
    this.permissions.set(
      f.path,
      (this.permissions.get(f.path) ?? []).filter((p) => p.id !== permissionId),
    );
  }
  async deleteFolder(f: FolderRef, options: { permanent: boolean }): Promise<void> {
    this.calls.push("deleteFolder");
    this.deleted.push({ path: f.path, permanent: options.permanent });
    this.folders.delete(f.path);
  }
  /** Files removed one by one, by item id. */
  deletedFiles: Array<{ itemId: string; permanent: boolean }> = [];
  async downloadAddress(file: FileRef): Promise<string> {
    this.step("downloadAddress");
    const found = [...this.files.values()].flat().find((f) => f.itemId === file.itemId);
    if (!found) throw Object.assign(new Error("Item not found"), { name: "GraphError", code: "itemNotFound", status: 404 });
    if (found.malware) throw Object.assign(new Error("Malware detected"), { name: "GraphError", code: "malwareDetected", status: 403 });
    return `https://contoso.sharepoint.com/sites/cases/_layouts/15/download.aspx?UniqueId=${file.itemId}&tempauth=t`;
  }
  async deleteFile(file: FileRef, options: { permanent: boolean }): Promise<void> {
    this.step("deleteFile");
    // A file already gone is not an error (the adapter ignores the 404).
    for (const [path, list] of this.files) {
      if (!list.some((f) => f.itemId === file.itemId)) continue;
      this.files.set(
        path,
        list.filter((f) => f.itemId !== file.itemId),
      );
      this.deletedFiles.push({ itemId: file.itemId, permanent: options.permanent });
    }
    this.answer("deleteFile");
  }
}

export function ports(crm: FakeCrm, library: FakeLibrary, over: Partial<CasePorts> = {}): CasePorts {
  return { crm, library, settings, clock: { now: () => NOW }, ...over };
}

export function exchangeRecord(exchange: Exchange, recipients: RecipientRecord[] = [], over: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return { exchange, recipients, receipts: [], ticketName: "HWT-00012", createdByName: "Sam Specialist", ...over };
}
