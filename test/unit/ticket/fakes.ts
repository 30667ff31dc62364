import type { Exchange, FileReceipt, Person, Recipient } from "../../../src/domain";
import { parseSettings } from "../../../src/domain";
import type { ExchangeDirection } from "../../../src/model";
import { roleDefs } from "../../../src/model";
import type { CrmGateway, CurrentUser, FolderHolder, NoteInput, TimelineTarget } from "../../../src/ports/CrmGateway";
import type { DocumentLibrary, FolderRef, StoredFile } from "../../../src/ports/DocumentLibrary";
import type {
  AppNotificationInput,
  CaseSummary,
  CaseWithExchanges,
  EmailInput,
  EmailRef,
  EmailStatus,
  TicketGateway,
} from "../../../src/ports/TicketGateway";
import type { UnfinishedUpload, UploadOptions, UploadResult, UploadSource, Uploader } from "../../../src/ports/Uploader";
import type { TicketPorts } from "../../../src/app/ticketPorts";
import type { SentTeamsMessage, TeamsChat, TeamsMessage } from "../../../src/ports/TeamsChat";

/** What a dropped connection looks like once the gateway has wrapped it: no answer, status 0. */
export const lostAnswer = () => Object.assign(new Error("Failed to fetch"), { name: "DataverseError", code: "networkError", status: 0 });

const notImplemented = (what: string) => () => {
  throw new Error(`fake: ${what} is not implemented`);
};

export const roleId = (key: string) => roleDefs.find((r) => r.key === key)!.id;

export const specialist: CurrentUser = {
  id: "user-specialist",
  name: "Sam Specialist",
  roleIds: [roleId("specialist")],
  languageCode: 1033,
};
export const agent: CurrentUser = { id: "user-agent", name: "Alex Agent", roleIds: [roleId("agent")], languageCode: 1033 };
export const admin: CurrentUser = { id: "user-admin", name: "Ada Administrator", roleIds: [roleId("administrator")], languageCode: 1033 };

export const settings = parseSettings({
  cfx_SharePointSiteUrl: "https://contoso.sharepoint.com/sites/files",
  cfx_EntraTenantId: "tenant",
  cfx_EntraClientId: "client",
});

export function aCase(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: "case-1",
    number: "CAS-01234-A1B2C3",
    title: "Scanner replacement",
    customerName: "Dental Clinic Ltd",
    accountName: "Dental Clinic Ltd",
    contactId: "contact-1",
    contactName: "Dana Dentist",
    ownerId: "user-agent",
    ownerName: "Alex Agent",
    active: true,
    ...overrides,
  };
}

/** Dataverse in memory: holds real state, records every write, fails loudly on what it does not do. */
export class FakeCrm implements CrmGateway, TicketGateway {
  kase: CaseSummary = aCase();
  /** Every case's exchanges: the panel's case and, for the folder checks, others. */
  exchanges: Exchange[] = [];
  /** Numbers of cases other than `kase`, by id. */
  otherCases = new Map<string, string>();
  receipts: FileReceipt[] = [];
  notes: { target: TimelineTarget; note: NoteInput; id: string }[] = [];
  notifications: AppNotificationInput[] = [];
  emails: (EmailInput & { status: EmailStatus })[] = [];
  /** Members of teams, by team id (teammembership in Dataverse). */
  teams = new Map<string, Person[]>();
  mailboxApproved = true;
  /** Users' Microsoft Entra object ids (`systemuser.azureactivedirectoryobjectid`), by systemuserid. */
  entraIds = new Map<string, string>([["user-agent", "0a9e0001-0000-4000-8000-0000000000a1"]]);
  /** Tables whose notes the platform refuses (an inactive case). */
  refuseNotesOn = new Set<string>();
  /** Throws once from the named method, to test a failure half-way. */
  failOnce = new Map<string, Error>();
  /**
   * Methods whose next call is carried out and then loses its answer (the connection drops after
   * Dataverse wrote): the row is there, the caller sees a network error.
   */
  loseAnswer = new Set<string>();
  calls: string[] = [];

  private answer(method: string): void {
    if (this.loseAnswer.delete(method)) throw lostAnswer();
  }

  private enter(method: string): void {
    this.calls.push(method);
    const e = this.failOnce.get(method);
    if (e) {
      this.failOnce.delete(method);
      throw e;
    }
  }

  async createExchange(input: Parameters<CrmGateway["createExchange"]>[0]): Promise<Exchange> {
    this.enter("createExchange");
    const ex: Exchange = { fileCount: 0, totalBytes: 0, ...input };
    // A row with this id is already there: as Dataverse's duplicate key, counted as written.
    if (!this.exchanges.some((e) => e.id === ex.id)) this.exchanges.push(ex);
    this.answer("createExchange");
    return ex;
  }
  async updateExchange(id: string, changes: Partial<Exchange>): Promise<void> {
    this.enter("updateExchange");
    const i = this.exchanges.findIndex((e) => e.id === id);
    if (i < 0) throw new Error(`no exchange ${id}`);
    this.exchanges[i] = { ...this.exchanges[i], ...changes };
  }
  async exchangesRecordingFolder(folder: Pick<FolderRef, "driveId" | "itemId" | "path">): Promise<FolderHolder[]> {
    this.enter("exchangesRecordingFolder");
    return this.exchanges
      .filter((e) => e.itemId === folder.itemId || e.folderPath.toLowerCase() === folder.path.toLowerCase())
      .map((exchange) => ({
        exchange,
        caseNumber: exchange.caseId === this.kase.id ? (this.kase.number ?? undefined) : this.otherCases.get(exchange.caseId),
      }));
  }
  addRecipient = notImplemented("addRecipient") as unknown as (input: Recipient) => Promise<Recipient>;
  updateRecipient = notImplemented("updateRecipient") as unknown as () => Promise<void>;
  updateReceipt = notImplemented("updateReceipt") as unknown as () => Promise<void>;
  async addReceipt(input: FileReceipt): Promise<FileReceipt> {
    this.enter("addReceipt");
    if (!this.receipts.some((r) => r.id === input.id)) this.receipts.push(input);
    this.answer("addReceipt");
    return input;
  }
  async addNote(target: TimelineTarget, note: NoteInput, id: string): Promise<boolean> {
    this.enter("addNote");
    if (this.refuseNotesOn.has(target.table)) return false;
    // A note with this id already written counts as written, as Dataverse's duplicate key does.
    if (!this.notes.some((n) => n.id === id)) this.notes.push({ target, note, id });
    this.answer("addNote");
    return true;
  }

  async loadCaseWithExchanges(caseId: string, direction: ExchangeDirection): Promise<CaseWithExchanges> {
    this.enter("loadCaseWithExchanges");
    if (caseId !== this.kase.id) throw new Error(`no case ${caseId}`);
    return { case: this.kase, exchanges: this.exchanges.filter((e) => e.caseId === caseId && e.direction === direction) };
  }
  async getExchange(id: string): Promise<Exchange> {
    this.enter("getExchange");
    const ex = this.exchanges.find((e) => e.id === id);
    if (!ex) throw new Error(`no exchange ${id}`);
    return ex;
  }
  async listReceipts(exchangeId: string): Promise<FileReceipt[]> {
    this.enter("listReceipts");
    return this.receipts.filter((r) => r.exchangeId === exchangeId);
  }
  async createAppNotification(input: AppNotificationInput): Promise<void> {
    this.enter("createAppNotification");
    // As Dataverse does with the id derived from the key: the second create is refused, quietly.
    if (!this.notifications.some((n) => n.id === input.id)) this.notifications.push(input);
    this.answer("createAppNotification");
  }
  async teamMembers(teamId: string, atMost: number): Promise<Person[]> {
    this.enter("teamMembers");
    const members = this.teams.get(teamId);
    if (!members) throw new Error(`no team ${teamId}`);
    // As the adapter asks Dataverse: ordered by name, the first `atMost`.
    return [...members].sort((a, b) => a.name.localeCompare(b.name)).slice(0, atMost);
  }
  async userEntraObjectId(userId: string): Promise<string | null> {
    this.enter("userEntraObjectId");
    return this.entraIds.get(userId) ?? null;
  }
  async getEmail(id: string): Promise<EmailRef | null> {
    this.enter("getEmail");
    const e = this.emails.find((m) => m.id === id);
    return e ? { id: e.id, status: e.status } : null;
  }
  async createEmail(input: EmailInput): Promise<EmailRef> {
    this.enter("createEmail");
    // An e-mail with this id already written: the gateway answers it as it is now (duplicate key).
    const existing = this.emails.find((m) => m.id === input.id);
    if (existing) return { id: existing.id, status: existing.status };
    const e = { ...input, status: "draft" as EmailStatus };
    this.emails.push(e);
    this.answer("createEmail");
    return { id: e.id, status: e.status };
  }
  async sendEmail(emailId: string): Promise<EmailStatus> {
    this.enter("sendEmail");
    const e = this.emails.find((m) => m.id === emailId)!;
    if (e.status !== "draft") throw new Error("This e-mail has already been sent or cancelled.");
    e.status = this.mailboxApproved ? "sent" : "pending";
    this.answer("sendEmail");
    return e.status;
  }
}

/** SharePoint in memory: folders by path, files by path. */
export class FakeLibrary implements DocumentLibrary {
  folders = new Map<string, FolderRef>();
  files = new Map<string, StoredFile & { folderPath: string }>();
  created: string[] = [];
  now = new Date("2026-11-22T03:00:00Z");

  async ensureFolder(path: string): Promise<FolderRef & { created: boolean }> {
    const seen = this.folders.get(path);
    if (seen) return { ...seen, created: false };
    const folder: FolderRef = {
      driveId: "drive-1",
      itemId: `item-${this.folders.size + 1}`,
      path,
      webUrl: `https://contoso.sharepoint.com/sites/files/Shared%20Documents/${encodeURI(path)}`,
      createdOn: this.now,
    };
    this.folders.set(path, folder);
    this.created.push(path);
    return { ...folder, created: true };
  }
  async findFolder(path: string): Promise<FolderRef | null> {
    return this.folders.get(path) ?? null;
  }
  async listFiles(folder: FolderRef): Promise<StoredFile[]> {
    return [...this.files.values()].filter((f) => f.folderPath === folder.path);
  }
  listFolders = notImplemented("listFolders") as unknown as DocumentLibrary["listFolders"];
  snapshot = notImplemented("snapshot") as unknown as DocumentLibrary["snapshot"];
  invite = notImplemented("invite") as unknown as DocumentLibrary["invite"];
  listPermissions = notImplemented("listPermissions") as unknown as DocumentLibrary["listPermissions"];
  removePermission = notImplemented("removePermission") as unknown as DocumentLibrary["removePermission"];
  deleteFolder = notImplemented("deleteFolder") as unknown as DocumentLibrary["deleteFolder"];
  downloadAddress = notImplemented("downloadAddress") as unknown as DocumentLibrary["downloadAddress"];
  deleteFile = notImplemented("deleteFile") as unknown as DocumentLibrary["deleteFile"];
}

/** A hash stand-in: deterministic per content length, enough to tell equal from different. */
export const fakeHash = (size: number) => `h${size}`;

const graphError = (code: string, message: string) => Object.assign(new Error(message), { name: "GraphError", code, status: 0 });

/**
 * An upload client that "sends" fragments one event-loop turn apart, so pause and cancel can be
 * observed between them, and keeps the resume point per file as the real one keeps its session.
 */
export class FakeUploader implements Uploader {
  readonly offsets = new Map<string, number>();
  readonly requests: { path: string; from: number; replace: boolean }[] = [];
  readonly discarded: string[] = [];
  fragment = 100;
  /** Paths SharePoint rewrites (Office documents). */
  rewritten = new Set<string>();
  /** Fails the next upload of a path with this error. */
  failNext = new Map<string, Error>();

  constructor(private readonly library: FakeLibrary) {}

  async upload(folder: FolderRef, file: UploadSource, options: UploadOptions = {}): Promise<UploadResult> {
    const from = this.offsets.get(file.name) ?? 0;
    this.sizes.set(file.name, file.size);
    const replace = options.conflict === "replace";
    this.requests.push({ path: file.name, from, replace });
    const fail = this.failNext.get(file.name);
    if (fail) {
      this.failNext.delete(file.name);
      throw fail;
    }
    const key = `${folder.path}/${file.name}`.toLowerCase();
    if (!replace && this.library.files.has(key)) throw graphError("nameAlreadyExists", "exists");
    let sent = from;
    const progress = () =>
      options.onProgress?.({ bytesDone: sent, totalBytes: file.size, bytesPerSecond: 1000, secondsLeft: (file.size - sent) / 1000 });
    progress();
    while (sent < file.size) {
      await new Promise((r) => setTimeout(r, 0));
      if (options.signal?.aborted) throw graphError("aborted", "The request was cancelled.");
      sent = Math.min(file.size, sent + this.fragment);
      this.offsets.set(file.name, sent);
      progress();
    }
    this.offsets.delete(file.name);
    const rewritten = this.rewritten.has(file.name);
    const size = rewritten ? file.size + 7 : file.size;
    this.library.files.set(key, {
      itemId: `file-${file.name}`,
      name: file.name.split("/").pop()!,
      path: file.name,
      size,
      quickXorHash: rewritten ? "other" : fakeHash(file.size),
      createdOn: this.library.now,
      modifiedOn: this.library.now,
      webUrl: `https://sp.example/${file.name}`,
      folderPath: folder.path,
    });
    return {
      itemId: `file-${file.name}`,
      name: file.name.split("/").pop()!,
      size,
      webUrl: "",
      localHash: fakeHash(file.size),
      storedHash: rewritten ? "other" : fakeHash(file.size),
      verdict: rewritten ? "modifiedBySharePoint" : "verified",
      resumedFrom: from,
    };
  }

  async pending(_folder: FolderRef, file: UploadSource): Promise<{ bytesDone: number } | null> {
    const at = this.offsets.get(file.name);
    return at === undefined ? null : { bytesDone: at };
  }

  async cancel(_folder: FolderRef, file: UploadSource): Promise<void> {
    this.discarded.push(file.name);
    this.offsets.delete(file.name);
  }

  /** Started files that did not finish, with the size they were given. */
  readonly sizes = new Map<string, number>();
  async unfinished(): Promise<UnfinishedUpload[]> {
    return [...this.offsets].map(([name, bytesDone]) => ({ name, size: this.sizes.get(name) ?? bytesDone, bytesDone }));
  }
}

/**
 * Teams in memory: one chat per pair of people, the messages each holds. `refuse` answers every
 * send with Graph's error; `loseAnswer` posts the next message and then loses the answer.
 */
export class FakeTeams implements TeamsChat {
  readonly sent: { to: string; html: string }[] = [];
  refuse?: Error;
  loseAnswer = false;
  async messageUser(entraObjectId: string, message: TeamsMessage): Promise<SentTeamsMessage> {
    if (this.refuse) throw this.refuse;
    this.sent.push({ to: entraObjectId, html: message.html });
    if (this.loseAnswer) {
      this.loseAnswer = false;
      throw Object.assign(new Error("The message was sent to Teams but no answer came back (Failed to fetch)."), {
        name: "GraphError",
        code: "outcomeUnknown",
        status: 0,
      });
    }
    return { chatId: `chat-${entraObjectId}`, messageId: `m-${this.sent.length}` };
  }
}

export const fixedClock = (iso = "2026-11-22T03:00:00Z") => ({ now: () => new Date(iso) });

export function ports(
  crm = new FakeCrm(),
  library = new FakeLibrary(),
): TicketPorts & { crm: FakeCrm; tickets: FakeCrm; library: FakeLibrary } {
  return { crm, tickets: crm, library, settings, clock: fixedClock() };
}

export const ticket = { id: "ticket-1", name: "HWT-00001", caseId: "case-1" };
