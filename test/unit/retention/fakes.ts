import type { Recipient } from "../../../src/domain/exchange";
import type { Person } from "../../../src/domain/notificationAudience";
import { effectiveExpiry, type RetentionSettings } from "../../../src/domain/expiry";
import { ExchangeDirection, ExchangeStage, FileStatus, RecipientRole } from "../../../src/model";
import type { NoteInput, TimelineTarget } from "../../../src/ports/CrmGateway";
import type { FolderPermission } from "../../../src/ports/DocumentLibrary";
import type {
  ChildrenOutcome,
  FolderAddress,
  FolderInventory,
  FolderPage,
  ItemOutcome,
  PermissionRemoval,
  PermissionsOutcome,
} from "../../../src/ports/FolderInventory";
import type {
  ExchangeFolder,
  OnceOptions,
  ExchangeChanges,
  OrphanReport,
  ReceiptWithExchange,
  RetentionExchange,
  RetentionReceipt,
  RetentionRecords,
  RetentionWrite,
  RetentionWriteOutcome,
  TeamMembers,
} from "../../../src/ports/RetentionRecords";

/** An error shaped like the adapters' (code + status). */
export class FakeError extends Error {
  override readonly name = "FakeError";
  constructor(
    readonly code: string,
    readonly status: number,
  ) {
    super(`fake ${code}`);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Dataverse with real state: exchanges, recipients, notes (once per key), notifications, the orphan report. */
export class FakeRecords implements RetentionRecords {
  readonly exchanges = new Map<string, Mutable<RetentionExchange>>();
  readonly recipients = new Map<string, Mutable<Recipient>>();
  readonly receipts = new Map<string, Mutable<RetentionReceipt> & { goneOn?: Date }>();
  /** E-mails by once-key: who they go to, and whether SendEmail ran (once). */
  readonly emails = new Map<string, { to: readonly string[]; subject: string; html: string; caseId: string; sent: boolean }>();
  /** Every query of receipts by exchange: the ids asked for (to check they go 20 to a query at most). */
  readonly receiptReads: string[][] = [];
  readonly notes: Array<{ target: TimelineTarget; note: NoteInput; key: string }> = [];
  readonly notifications: Array<{ userId: string; title: string; key: string }> = [];
  readonly inactiveCases = new Set<string>();
  /** Ids whose update throws (one failure must not stop the rest). */
  readonly failUpdates = new Set<string>();
  /** Once-keys whose note is refused with an error (not as an inactive case). */
  readonly failNoteKeys = new Set<string>();
  /** Teams by id: their name and members (teammembership in Dataverse). */
  readonly teams = new Map<string, { name: string; members: Person[] }>();
  /** Every `teamMembers` call's team ids, so tests can check that teams are read in batches. */
  readonly teamReads: string[][] = [];
  failTeamReads = false;
  report: OrphanReport | null = null;
  reportsSaved = 0;
  failQueries = false;
  writes = 0;
  /** The size of every `write` call (a batch of writes), so tests can check batching. */
  readonly writeCalls: number[] = [];
  /** Every write in the order it was made, as `kind:id-or-key`. */
  readonly log: string[] = [];

  addExchange(x: Partial<RetentionExchange> & { id: string; expiresOn: Date | null }): void {
    this.exchanges.set(x.id, {
      name: `CAS-0${x.id.replace(/\D/g, "").padStart(4, "0")}-ABCDEF`,
      caseId: `case-${x.id}`,
      direction: ExchangeDirection.backupForCustomer,
      stage: ExchangeStage.shared,
      folderPath: `Customer Data Migration/${x.id}`,
      itemId: `item-${x.id}`,
      // The exchange belongs to whoever created it; the case belongs to someone else.
      ownerId: "creator-1",
      caseOwner: { kind: "user", id: "owner-1" },
      ...x,
    });
  }

  addRecipient(exchangeId: string, email: string, permissionId: string): void {
    const id = `r-${this.recipients.size + 1}`;
    this.recipients.set(id, { id, exchangeId, email, role: RecipientRole.write, permissionId });
  }

  async exchangesNeedingAttention(now: Date, horizon: Date, retention: RetentionSettings): Promise<RetentionExchange[]> {
    if (this.failQueries) throw new FakeError("networkError", 0);
    return [...this.exchanges.values()]
      .filter((x) => x.removedOn === undefined)
      .filter((x) => {
        const due = effectiveExpiry(x, retention);
        return due !== null && (due.getTime() <= now.getTime() || (!x.warnedOn && due.getTime() <= horizon.getTime()));
      })
      .map((x) => ({ ...x }));
  }

  async exchangesOfClosedCases(): Promise<RetentionExchange[]> {
    if (this.failQueries) throw new FakeError("networkError", 0);
    return [...this.exchanges.values()]
      .filter((x) => x.removedOn === undefined && (x.caseClosedSeenOn !== undefined || (x.caseState !== undefined && x.caseState !== 0)))
      .map((x) => ({ ...x }));
  }

  addReceipt(r: Partial<RetentionReceipt> & { id: string; exchangeId: string; name: string }): void {
    this.receipts.set(r.id, { ...r });
  }

  async receiptsDueOnTheirOwn(now: Date): Promise<ReceiptWithExchange[]> {
    if (this.failQueries) throw new FakeError("networkError", 0);
    const out: ReceiptWithExchange[] = [];
    for (const r of this.receipts.values()) {
      const x = this.exchanges.get(r.exchangeId);
      if (!x || x.removedOn || r.keptSince || !r.expiryOverride || r.expiryOverride.getTime() > now.getTime()) continue;
      if (r.status !== undefined && r.status !== FileStatus.inFolder) continue;
      out.push({
        ...r,
        exchange: { id: x.id, name: x.name, caseId: x.caseId, driveId: x.driveId, itemId: x.itemId, folderPath: x.folderPath },
      });
    }
    return out;
  }

  async receiptsOf(exchangeIds: readonly string[]): Promise<RetentionReceipt[]> {
    this.receiptReads.push([...exchangeIds]);
    if (exchangeIds.length > 20) throw new Error(`Receipts of ${exchangeIds.length} exchanges in one query; at most 20.`);
    return [...this.receipts.values()]
      .filter((r) => exchangeIds.includes(r.exchangeId))
      .filter((r) => r.status === undefined || r.status === FileStatus.inFolder || r.keptSince || r.expiryOverride)
      .map((r) => ({ ...r }));
  }

  async currentUserId(): Promise<string> {
    return "job-user";
  }

  async exchangesNotDeleted(): Promise<RetentionExchange[]> {
    if (this.failQueries) throw new FakeError("networkError", 0);
    return [...this.exchanges.values()].filter((x) => x.removedOn === undefined).map((x) => ({ ...x }));
  }

  async exchangeFolders(): Promise<ExchangeFolder[]> {
    if (this.failQueries) throw new FakeError("networkError", 0);
    return [...this.exchanges.values()]
      .filter((x) => x.removedOn === undefined)
      .map((x) => ({ folderPath: x.folderPath, itemId: x.itemId, kept: x.keptSince !== undefined }));
  }

  async teamMembers(teamIds: readonly string[], atMost: number): Promise<ReadonlyMap<string, TeamMembers>> {
    this.teamReads.push([...teamIds]);
    if (this.failTeamReads) throw new FakeError("accessDenied", 403);
    const out = new Map<string, TeamMembers>();
    for (const id of teamIds) {
      const team = this.teams.get(id);
      // As the adapter asks Dataverse: ordered by name, the first `atMost`.
      if (team) out.set(id, { name: team.name, members: [...team.members].sort((a, b) => a.name.localeCompare(b.name)).slice(0, atMost) });
    }
    return out;
  }

  async activeRecipients(exchangeIds: readonly string[]): Promise<Recipient[]> {
    return [...this.recipients.values()].filter((r) => exchangeIds.includes(r.exchangeId) && !r.revokedOn).map((r) => ({ ...r }));
  }

  async updateExchange(id: string, changes: ExchangeChanges): Promise<void> {
    if (this.failUpdates.has(id)) throw new FakeError("throttled", 429);
    const x = this.exchanges.get(id);
    if (!x) throw new FakeError("notFound", 404);
    this.writes++;
    const { caseClosedSeenOn, ...rest } = changes;
    Object.assign(x, rest);
    if (caseClosedSeenOn === null) delete x.caseClosedSeenOn;
    else if (caseClosedSeenOn !== undefined) x.caseClosedSeenOn = caseClosedSeenOn;
  }

  async updateRecipient(id: string, changes: Partial<Recipient>): Promise<void> {
    const r = this.recipients.get(id);
    if (!r) throw new FakeError("notFound", 404);
    if (this.failUpdates.has(r.exchangeId)) throw new FakeError("throttled", 429);
    this.writes++;
    Object.assign(r, changes);
  }

  async addNote(target: TimelineTarget, note: NoteInput, options: OnceOptions): Promise<boolean> {
    if (this.failNoteKeys.has(options.onceKey)) throw new FakeError("accessDenied", 403);
    if (target.table === "incident" && this.inactiveCases.has(target.id)) return false;
    if (this.notes.some((n) => n.key === options.onceKey)) return true;
    this.writes++;
    this.notes.push({ target, note, key: options.onceKey });
    return true;
  }

  async notifyUser(userId: string, notification: { title: string; body: string }, options: OnceOptions): Promise<void> {
    if (this.notifications.some((n) => n.key === options.onceKey)) return;
    this.writes++;
    this.notifications.push({ userId, title: notification.title, key: options.onceKey });
  }

  async write(writes: readonly RetentionWrite[]): Promise<RetentionWriteOutcome[]> {
    this.writeCalls.push(writes.length);
    const out: RetentionWriteOutcome[] = [];
    for (const w of writes) {
      try {
        if (w.kind === "updateExchange") {
          this.log.push(`updateExchange:${w.id}`);
          await this.updateExchange(w.id, w.changes);
          out.push({ ok: true });
        } else if (w.kind === "updateRecipient") {
          this.log.push(`updateRecipient:${w.id}`);
          await this.updateRecipient(w.id, w.changes);
          out.push({ ok: true });
        } else if (w.kind === "addNote") {
          this.log.push(`addNote:${w.options.onceKey}`);
          out.push((await this.addNote(w.target, w.note, w.options)) ? { ok: true } : { ok: true, refused: true });
        } else if (w.kind === "updateReceipt") {
          this.log.push(`updateReceipt:${w.id}`);
          const r = this.receipts.get(w.id);
          if (!r) throw new FakeError("notFound", 404);
          this.writes++;
          Object.assign(r, { status: w.changes.status, goneOn: w.changes.goneOn });
          out.push({ ok: true });
        } else if (w.kind === "createEmail") {
          this.log.push(`createEmail:${w.options.onceKey}`);
          if (!this.emails.has(w.options.onceKey)) {
            this.writes++;
            this.emails.set(w.options.onceKey, { to: w.to, subject: w.subject, html: w.html, caseId: w.regardingCaseId, sent: false });
          }
          out.push({ ok: true });
        } else if (w.kind === "sendEmail") {
          this.log.push(`sendEmail:${w.options.onceKey}`);
          const e = this.emails.get(w.options.onceKey);
          if (!e) throw new FakeError("notFound", 404);
          if (!e.sent) this.writes++;
          e.sent = true;
          out.push({ ok: true });
        } else {
          this.log.push(`notifyUser:${w.options.onceKey}`);
          await this.notifyUser(w.userId, w.notification, w.options);
          out.push({ ok: true });
        }
      } catch (error) {
        out.push({ ok: false, error });
      }
    }
    return out;
  }

  async lastOrphanReport(): Promise<OrphanReport | null> {
    return this.report;
  }

  async saveOrphanReport(report: OrphanReport): Promise<void> {
    this.reportsSaved++;
    this.report = report;
  }
}

interface FakeFolder {
  /** A file rather than a folder (files are listed by listChildren only). */
  isFile?: boolean;
  itemId: string;
  path: string;
  createdOn: Date;
  permissions: FolderPermission[];
}

/** SharePoint folders with real state; counts calls and items so tests can check batching. */
export class FakeInventory implements FolderInventory {
  readonly folders = new Map<string, FakeFolder>();
  readonly calls = { listFolders: 0, listPermissions: 0, removePermissions: 0, deleteFolders: 0, listChildren: 0 };
  readonly deleted: Array<{ path: string; permanent: boolean }> = [];
  readonly failDelete = new Set<string>();
  readonly failPermissions = new Set<string>();
  /** Called on every call: lets a test move a wall clock forward. */
  onCall: () => void = () => undefined;

  constructor(private readonly pageSize = 200) {}

  addFolder(path: string, createdOn: Date, options: { itemId?: string; permissions?: FolderPermission[] } = {}): string {
    const itemId = options.itemId ?? `item-${path}`;
    this.folders.set(itemId, { itemId, path, createdOn, permissions: options.permissions ?? [] });
    return itemId;
  }

  addFile(path: string, options: { itemId?: string } = {}): string {
    const itemId = options.itemId ?? `item-${path}`;
    this.folders.set(itemId, { itemId, path, createdOn: new Date(0), permissions: [], isFile: true });
    return itemId;
  }

  has(path: string): boolean {
    return [...this.folders.values()].some((f) => f.path.toLowerCase() === path.toLowerCase());
  }

  async listFolders(path: string, next?: string): Promise<FolderPage> {
    this.calls.listFolders++;
    this.onCall();
    const prefix = `${path.toLowerCase()}/`;
    const children = [...this.folders.values()]
      .filter((f) => !f.isFile && f.path.toLowerCase().startsWith(prefix) && !f.path.slice(prefix.length).includes("/"))
      .sort((a, b) => a.path.localeCompare(b.path));
    const start = next ? Number(next) : 0;
    const page = children.slice(start, start + this.pageSize);
    const more = start + this.pageSize < children.length;
    return {
      folders: page.map((f) => ({ itemId: f.itemId, name: f.path.split("/").pop()!, path: f.path, createdOn: f.createdOn })),
      ...(more ? { next: String(start + this.pageSize) } : {}),
    };
  }

  async listPermissions(folders: readonly FolderAddress[]): Promise<PermissionsOutcome[]> {
    this.calls.listPermissions++;
    this.onCall();
    this.assertBatch(folders.length);
    return folders.map((a) => {
      const f = this.find(a);
      if (!f) return { ok: true, gone: true };
      if (this.failPermissions.has(f.path)) return { ok: false, error: new FakeError("serviceNotAvailable", 503) };
      return { ok: true, permissions: [...f.permissions] };
    });
  }

  async listChildren(folders: readonly FolderAddress[]): Promise<ChildrenOutcome[]> {
    this.calls.listChildren++;
    this.onCall();
    this.assertBatch(folders.length);
    return folders.map((a): ChildrenOutcome => {
      const f = this.find(a);
      if (!f) return { ok: true, gone: true };
      const prefix = `${f.path.toLowerCase()}/`;
      const children = [...this.folders.values()]
        .filter((c) => c.path.toLowerCase().startsWith(prefix) && !c.path.slice(prefix.length).includes("/"))
        .map((c) => ({ itemId: c.itemId, name: c.path.split("/").pop()!, isFolder: !c.isFile }));
      return { ok: true, children };
    });
  }

  async removePermissions(removals: readonly PermissionRemoval[]): Promise<ItemOutcome[]> {
    this.calls.removePermissions++;
    this.onCall();
    return removals.map((r) => {
      const f = this.find(r.folder);
      if (!f) return { ok: true, gone: true };
      const before = f.permissions.length;
      f.permissions = f.permissions.filter((p) => p.id !== r.permissionId);
      return before === f.permissions.length ? { ok: true, gone: true } : { ok: true };
    });
  }

  async deleteFolders(folders: readonly FolderAddress[], options: { permanent: boolean }): Promise<ItemOutcome[]> {
    this.calls.deleteFolders++;
    this.onCall();
    this.assertBatch(folders.length);
    return folders.map((a) => {
      const f = this.find(a);
      if (!f) return { ok: true, gone: true };
      if (this.failDelete.has(f.path)) return { ok: false, error: new FakeError("resourceLocked", 423) };
      // The folder and everything below it goes.
      for (const [id, other] of this.folders) if (other.path === f.path || other.path.startsWith(`${f.path}/`)) this.folders.delete(id);
      this.deleted.push({ path: f.path, permanent: options.permanent });
      return { ok: true };
    });
  }

  private find(a: FolderAddress): FakeFolder | undefined {
    if (a.itemId) return this.folders.get(a.itemId);
    return [...this.folders.values()].find((f) => f.path.toLowerCase() === a.path.toLowerCase());
  }

  private assertBatch(n: number): void {
    if (n > 20) throw new Error(`The sweep sent ${n} folders in one call; batches hold at most 20.`);
  }
}

export const guest = (id: string, email: string): FolderPermission => ({ id, roles: ["write"], email, inherited: false, isLink: false });
export const inherited = (id: string): FolderPermission => ({ id, roles: ["write"], inherited: true, isLink: false });
export const owners = (id: string): FolderPermission => ({ id, roles: ["owner"], inherited: false, isLink: false });
