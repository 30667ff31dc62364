import type { Exchange, Role } from "../domain/exchange";
import { allowedFileActions, isGoneStatus, type FileAction } from "../domain/fileActions";
import { sharePointLink } from "../domain/folderLink";
import { allowedActions, type Action } from "../domain/lifecycle";
import { malwareShareRefusal, tallyFiles } from "../domain/malware";
import { defaultRecipient, type DefaultRecipient } from "../domain/recipientPolicy";
import type { Settings } from "../domain/settings";
import { statusSummary, type StatusSummary } from "../domain/statusSummary";
import { ExchangeDirection, ExchangeStage, FileIntegrity, FileStatus, IncidentState, RecipientRole } from "../model";
import type { CaseRecord, ExchangeRecord, ReceiptRecord } from "../ports/CaseReads";
import type { AccessRole, FolderSnapshot } from "../ports/DocumentLibrary";
import type { CaseActor } from "./casePorts";
import type { CaseFile } from "./fileReceipt";
import type { CasePanelModel } from "./loadCasePanel";

export type IntegrityView =
  | "verified"
  | "modifiedBySharePoint"
  | "mismatch"
  | "recordedBySharePoint"
  | "hashPending"
  /** A backup file without a receipt (put in by hand in SharePoint). */
  | "notChecked"
  /** A customer's file the arrival check has not seen yet (no receipt, or changed since its receipt). */
  | "notCheckedYet";

/** One file of a folder: SharePoint's listing joined with the upload receipt. */
export interface FileRow {
  /** The item id when SharePoint listed it, else the path. */
  readonly key: string;
  readonly path: string;
  readonly size: number;
  readonly uploadedOn?: Date;
  readonly uploadedBy?: string;
  readonly integrity: IntegrityView;
  /** SharePoint's scan found malware: shown with a warning, never offered for download, never counted. */
  readonly malware?: { readonly description: string };
  /** In the newest arrival batch, while the folder also holds files from before it. */
  readonly isNew: boolean;
  /** An administrator keeps this file with no expiry (shown "Kept, no expiry"). */
  readonly kept: boolean;
  /** This file's own expiry, set by an administrator (shown "Deleted on <date>"). */
  readonly ownExpiry?: Date;
  /** What the user may do to this file (the row's menu). */
  readonly actions: readonly FileAction[];
  /** SharePoint's listing and the receipt, for the file-level use cases; absent for a file known only from its receipt. */
  readonly source?: CaseFile;
}

/** Receipted files that are no longer in the folder, by what became of them: a count, not rows. */
export interface GoneFiles {
  readonly replaced: number;
  readonly deletedByCustomer: number;
  readonly removed: number;
  readonly expired: number;
}

/** One person with access to a folder. */
export interface AccessRow {
  readonly key: string;
  readonly email: string;
  readonly role: AccessRole;
  readonly invitedOn?: Date;
  readonly invitedBy?: string;
  readonly recipientId?: string;
  readonly permissionId?: string;
  /** Given in SharePoint by hand: no recipient row. */
  readonly unrecorded: boolean;
  /** Why someone other than the contact. */
  readonly reason?: string;
  readonly revokedOn?: Date;
  readonly revokedBy?: string;
  /**
   * Recorded before the invitation, never confirmed after it (no invitation date): the invitation
   * may or may not have gone out, so the guest may have access. Retry completes it.
   */
  readonly unconfirmed: boolean;
}

/** The folder was shared with the contact's old address: the contact or their e-mail changed since. */
export interface ContactChange {
  readonly access: AccessRow;
  readonly oldEmail: string;
  /** null when the case now has no contact or the contact no e-mail. */
  readonly newEmail: string | null;
}

export interface ExchangeView {
  readonly id: string;
  readonly exchange: Exchange;
  readonly status: StatusSummary;
  readonly ticketName?: string;
  readonly preparedBy?: string;
  readonly preparedOn?: Date;
  /** Every file, the ones flagged as malware included. */
  readonly files: readonly FileRow[];
  /** Files the receipts record that are gone from the folder (left out of `files`). */
  readonly goneFiles: GoneFiles;
  /** The files that count (not flagged as malware), and their total size. */
  readonly goodFileCount: number;
  readonly totalBytes: number;
  /** Why Share with customer is not offered because of malware in the backup (the domain's sentence). */
  readonly malwareRefusal?: string;
  readonly access: readonly AccessRow[];
  readonly revoked: readonly AccessRow[];
  readonly actions: readonly Action[];
  readonly contactChanges: readonly ContactChange[];
  /** SharePoint was read and the folder is not there. */
  readonly folderMissing: boolean;
  /** The folder's address, only when it is an https link to the SharePoint site (what Copy link copies). */
  readonly webUrl?: string;
}

export interface CasePanelView {
  readonly caseRecord: CaseRecord;
  readonly recipient: DefaultRecipient;
  /** Resolved or cancelled: show everything, allow revoking and removing, write nothing to the case row. */
  readonly inactive: boolean;
  /** Live exchanges first (newest first), then deleted ones. */
  readonly exchanges: readonly ExchangeView[];
  readonly canRequestFiles: boolean;
  /** No live backup exchange: the service team has not prepared one yet. */
  readonly noBackup: boolean;
  readonly libraryError?: unknown;
}

const noneGone: GoneFiles = { replaced: 0, deletedByCustomer: 0, removed: 0, expired: 0 };

// On a resolved or cancelled case only what takes access away is offered, and the administrator's
// expiry actions: they write the exchange row, never the case row.
const inactiveActions: ReadonlySet<Action> = new Set(["copyLink", "revokeAccess", "removeNow", "keepWithoutExpiry", "changeExpiry"]);
// The case panel's actions; the ticket's (prepare, upload, notify) live on the ticket panel.
const panelActions: ReadonlySet<Action> = new Set([
  "shareWithCustomer",
  "copyLink",
  "revokeAccess",
  "removeNow",
  "requestFiles",
  "keepWithoutExpiry",
  "changeExpiry",
]);

const integrityViews: Record<number, IntegrityView> = {
  [FileIntegrity.verified]: "verified",
  [FileIntegrity.modifiedBySharePoint]: "modifiedBySharePoint",
  [FileIntegrity.mismatch]: "mismatch",
  [FileIntegrity.recordedBySharePoint]: "recordedBySharePoint",
  [FileIntegrity.hashPending]: "hashPending",
};

/** A backup that is ready but holds a flagged file is not "ready to share": the badge says so. */
function malwareStatus(status: StatusSummary, flagged: boolean): StatusSummary {
  return flagged && status.kind === "readyToShare" ? { ...status, kind: "malwareFound", tone: "danger" } : status;
}

function roleOf(role: number | readonly string[]): AccessRole {
  if (typeof role === "number") return role === RecipientRole.write ? "write" : "read";
  return role.includes("write") || role.includes("owner") ? "write" : "read";
}

/** The latest receipt per item (or per path, for receipts without an item id). */
const receiptKey = (r: ReceiptRecord) => r.itemId ?? `path:${r.path.toLowerCase()}`;

function latestReceipts(receipts: readonly ReceiptRecord[]): Map<string, ReceiptRecord> {
  const latest = new Map<string, ReceiptRecord>();
  for (const r of receipts) {
    const key = receiptKey(r);
    const seen = latest.get(key);
    if (!seen || seen.uploadedOn.getTime() <= r.uploadedOn.getTime()) latest.set(key, r);
  }
  return latest;
}

/** The batch of the newest arrival among receipted files still in the folder. */
function newestBatch(receipts: readonly ReceiptRecord[]): string | undefined {
  let newest: ReceiptRecord | undefined;
  for (const r of receipts) if (r.batchId && (!newest || r.uploadedOn.getTime() > newest.uploadedOn.getTime())) newest = r;
  return newest?.batchId;
}

function countGone(
  receipts: readonly ReceiptRecord[],
  latest: ReadonlyMap<string, ReceiptRecord>,
  listedIds: ReadonlySet<string> | undefined,
): GoneFiles {
  const gone = { replaced: 0, deletedByCustomer: 0, removed: 0, expired: 0 };
  for (const r of receipts) {
    // An earlier version of a file the customer put in again: never shown.
    if (r.status === FileStatus.replaced) {
      gone.replaced++;
      continue;
    }
    if (latest.get(receiptKey(r)) !== r) continue;
    // Still in the folder (its removal did not finish): shown as a row.
    if (listedIds && r.itemId && listedIds.has(r.itemId)) continue;
    if (r.status === FileStatus.deletedByCustomer) gone.deletedByCustomer++;
    else if (r.status === FileStatus.removed) gone.removed++;
    else if (r.status === FileStatus.expired) gone.expired++;
    // In the folder by its receipt, yet not listed: deleted in SharePoint, not recorded yet.
    else if (listedIds && r.itemId) gone.deletedByCustomer++;
  }
  return gone;
}

interface FileContext {
  readonly exchange: Exchange;
  readonly roles: readonly Role[];
  readonly siteUrl: string;
}

function fileActions(ctx: FileContext, row: { malware?: unknown; kept: boolean; webUrl?: string; inFolder: boolean }): FileAction[] {
  return allowedFileActions(
    {
      direction: ctx.exchange.direction,
      stage: ctx.exchange.stage,
      inFolder: row.inFolder,
      flagged: row.malware !== undefined,
      kept: row.kept,
      hasLink: sharePointLink(row.webUrl, ctx.siteUrl) !== undefined,
    },
    ctx.roles,
  );
}

function files(record: ExchangeRecord, snapshot: FolderSnapshot | undefined, ctx: FileContext): { rows: FileRow[]; gone: GoneFiles } {
  const upload = record.exchange.direction === ExchangeDirection.filesFromCustomer;
  const latest = latestReceipts(record.receipts);
  const current = [...latest.values()].filter((r) => !isGoneStatus(r.status));
  const decisions = (r: ReceiptRecord | undefined) => ({
    kept: !!r?.keptSince,
    ...(r?.expiryOverride && !r.keptSince ? { ownExpiry: r.expiryOverride } : {}),
  });
  if (!snapshot?.folder) {
    // SharePoint not read: what the receipts say is in the folder.
    return {
      rows: current
        .map((r) => ({
          key: r.itemId ?? r.path,
          path: r.path,
          size: r.size,
          uploadedOn: r.uploadedOn,
          uploadedBy: r.uploader ?? r.uploadedByName,
          integrity: integrityViews[r.integrity] ?? "notChecked",
          isNew: false,
          ...decisions(r),
          actions: [],
        }))
        .sort((a, b) => a.path.localeCompare(b.path)),
      gone: countGone(record.receipts, latest, undefined),
    };
  }
  const folder = snapshot.folder;
  const byPath = new Map(current.filter((r) => !r.itemId).map((r) => [r.path.toLowerCase(), r]));
  const listedIds = new Set(snapshot.files.map((f) => f.itemId));
  const rows = snapshot.files.map((f): FileRow & { batchId?: string } => {
    const r = latest.get(f.itemId) ?? byPath.get(f.path.toLowerCase());
    // A file still listed is in the folder whatever its receipt says: a removal whose delete did not
    // happen (or whose answer was lost) is finished on the same receipt, never on a second one.
    // Only an earlier version the customer replaced is not this file's receipt.
    const receipt = r && r.status !== FileStatus.replaced ? r : undefined;
    // A customer's file whose content differs from its receipt was changed after the check ran.
    const changed =
      upload && receipt?.quickXorHash !== undefined && f.quickXorHash !== undefined && receipt.quickXorHash !== f.quickXorHash;
    const integrity: IntegrityView =
      receipt && !changed ? (integrityViews[receipt.integrity] ?? "notChecked") : upload ? "notCheckedYet" : "notChecked";
    const d = decisions(receipt);
    return {
      key: f.itemId,
      path: f.path,
      size: f.size,
      uploadedOn: receipt?.uploadedOn ?? f.createdOn,
      uploadedBy: receipt?.uploader ?? receipt?.uploadedByName ?? f.createdByEmail ?? f.createdBy,
      integrity,
      ...(f.malware ? { malware: f.malware } : {}),
      isNew: false,
      ...d,
      actions: fileActions(ctx, { malware: f.malware, kept: d.kept, webUrl: f.webUrl, inFolder: true }),
      source: { driveId: folder.driveId, file: f, ...(receipt ? { receipt } : {}) },
      ...(receipt?.batchId && !changed ? { batchId: receipt.batchId } : {}),
    };
  });
  // The newest batch is marked only beside an earlier batch: when everything arrived together, "New" says nothing.
  const batch = newestBatch(rows.flatMap((row) => (row.source?.receipt && row.batchId ? [row.source.receipt] : [])));
  const mark = batch !== undefined && rows.some((row) => row.batchId !== undefined && row.batchId !== batch);
  return {
    rows: rows.map(({ batchId, ...row }) => ({ ...row, isNew: mark && batchId === batch })).sort((a, b) => a.path.localeCompare(b.path)),
    gone: countGone(record.receipts, latest, listedIds),
  };
}

function access(record: ExchangeRecord, snapshot: FolderSnapshot | undefined): { active: AccessRow[]; revoked: AccessRow[] } {
  const active: AccessRow[] = [];
  const revoked: AccessRow[] = [];
  for (const r of record.recipients) {
    const row: AccessRow = {
      key: r.id,
      email: r.email,
      role: roleOf(r.role),
      invitedOn: r.invitedOn,
      invitedBy: r.invitedByName,
      recipientId: r.id,
      permissionId: r.permissionId,
      unrecorded: false,
      unconfirmed: !r.revokedOn && !r.invitedOn,
      reason: r.reason,
      revokedOn: r.revokedOn,
      revokedBy: r.revokedByName,
    };
    (r.revokedOn ? revoked : active).push(row);
  }
  // Direct permissions given in SharePoint by hand show too: revocation must see every one.
  const known = new Set(record.recipients.filter((r) => !r.revokedOn).flatMap((r) => [r.permissionId, r.email.toLowerCase()]));
  for (const p of snapshot?.permissions ?? []) {
    if (p.inherited || known.has(p.id) || (p.email && known.has(p.email.toLowerCase()))) continue;
    if (p.roles.includes("owner")) continue;
    active.push({
      key: `perm:${p.id}`,
      email: p.email ?? p.displayName ?? (p.isLink ? "A sharing link" : "Someone"),
      role: roleOf(p.roles),
      permissionId: p.id,
      unrecorded: true,
      unconfirmed: false,
    });
  }
  return { active, revoked };
}

function contactChanges(rows: readonly AccessRow[], recipient: DefaultRecipient): ContactChange[] {
  const current = recipient.kind === "contact" ? recipient.email.toLowerCase() : null;
  return rows
    .filter((a) => !a.unrecorded && !a.reason && a.email.toLowerCase() !== current)
    .map((a) => ({ access: a, oldEmail: a.email, newEmail: recipient.kind === "contact" ? recipient.email : null }));
}

/** Everything the case panel shows and offers, computed from the loaded model: pure. */
export function casePanelView(
  model: CasePanelModel,
  actor: CaseActor,
  now: Date,
  settings: Pick<Settings, "warningDays" | "siteUrl">,
): CasePanelView {
  const recipient = defaultRecipient(model.case.contact);
  const inactive = model.case.state !== IncidentState.active;
  const views = model.exchanges.map((record): ExchangeView => {
    const x = record.exchange;
    const snapshot = model.folders.get(x.folderPath);
    const deleted = x.stage === ExchangeStage.deleted;
    const { active, revoked } = deleted ? { active: [], revoked: access(record, undefined).revoked } : access(record, snapshot);
    const listed = deleted
      ? { rows: [], gone: noneGone }
      : files(record, snapshot, { exchange: x, roles: actor.roles, siteUrl: settings.siteUrl });
    const fileRows = listed.rows;
    const tally = tallyFiles(fileRows);
    const refusal = x.direction === ExchangeDirection.backupForCustomer ? malwareShareRefusal(tally) : undefined;
    const actions = allowedActions(
      {
        direction: x.direction,
        stage: x.stage,
        expiresOn: x.expiresOn,
        activeRecipientCount: active.length,
        storedFileCount: tally.goodCount,
        flaggedFileCount: tally.flagged.length,
      },
      actor.roles,
      now,
    ).filter((a) => panelActions.has(a) && (!inactive || inactiveActions.has(a)));
    // Any editor can write the row's web URL: only an https address on the SharePoint site's host is
    // offered, else the one SharePoint reported for the folder, else none.
    const webUrl = sharePointLink(x.webUrl, settings.siteUrl) ?? sharePointLink(snapshot?.folder?.webUrl, settings.siteUrl);
    return {
      id: x.id,
      exchange: x,
      status: malwareStatus(statusSummary(x, now, settings.warningDays), refusal !== undefined),
      ticketName: record.ticketName,
      preparedBy: record.createdByName,
      preparedOn: x.folderCreatedOn ?? record.createdOn,
      files: fileRows,
      goneFiles: listed.gone,
      goodFileCount: fileRows.length ? tally.goodCount : x.fileCount,
      totalBytes: fileRows.length ? tally.goodBytes : x.totalBytes,
      ...(refusal && !deleted ? { malwareRefusal: refusal.message } : {}),
      access: active,
      revoked,
      actions: webUrl ? actions : actions.filter((a) => a !== "copyLink"),
      contactChanges: deleted ? [] : contactChanges(active, recipient),
      folderMissing:
        !deleted && model.libraryError === undefined && model.folders.size > 0 && snapshot !== undefined && snapshot.folder === null,
      webUrl,
    };
  });
  const live = (d: ExchangeDirection) => views.some((v) => v.exchange.direction === d && v.exchange.stage !== ExchangeStage.deleted);
  const requestAllowed = allowedActions({ direction: ExchangeDirection.filesFromCustomer, stage: null }, actor.roles, now).includes(
    "requestFiles",
  );
  return {
    caseRecord: model.case,
    recipient,
    inactive,
    exchanges: [
      ...views.filter((v) => v.exchange.stage !== ExchangeStage.deleted),
      ...views.filter((v) => v.exchange.stage === ExchangeStage.deleted),
    ],
    canRequestFiles: requestAllowed && !inactive && !live(ExchangeDirection.filesFromCustomer),
    noBackup: !live(ExchangeDirection.backupForCustomer),
    libraryError: model.libraryError,
  };
}
