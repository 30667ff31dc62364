import type { Recipient } from "../../domain/exchange";
import { ExchangeDirection, ExchangeStage, FileStatus, RecipientRole } from "../../model";
import { IncidentState } from "../../model/system";
import type { NoteInput, TimelineTarget } from "../../ports/CrmGateway";
import type {
  ExchangeChanges,
  ExchangeFolder,
  OnceOptions,
  OrphanReport,
  ReceiptWithExchange,
  RetentionExchange,
  RetentionReceipt,
  RetentionRecords,
  RetentionWrite,
  RetentionWriteOutcome,
  TeamMembers,
} from "../../ports/RetentionRecords";
import type { CaseOwner } from "../../domain/notificationAudience";
import type { BatchOperation, DataverseClient } from "./DataverseClient";
import { DataverseError, isDataverseError } from "./DataverseError";
import {
  date,
  guid,
  IDS_PER_QUERY,
  iso,
  LOOKUP_TABLE,
  noteOperation,
  NotificationIcon,
  notificationOperation,
  num,
  str,
  type Row,
} from "./webApiRows";
import { onceId } from "../../domain/onceId";
import { DAY_MS, type RetentionSettings } from "../../domain/expiry";

const EXCHANGE_COLUMNS = [
  "cfx_fileexchangeid",
  "cfx_name",
  "_cfx_caseid_value",
  "cfx_direction",
  "cfx_stage",
  "cfx_folderpath",
  "cfx_driveid",
  "cfx_itemid",
  "cfx_foldercreatedon",
  "cfx_expireson",
  "cfx_warnedon",
  "cfx_deletedon",
  "cfx_keptsince",
  "cfx_expiryoverride",
  "cfx_removedon",
  "cfx_caseclosedseenon",
  "createdon",
  "overriddencreatedon",
  "_ownerid_value",
].join(",");

/**
 * Exchanges the job still looks after: those whose removal it (or an administrator) has not
 * confirmed. `cfx_stage` is not trusted for this: anyone with Write on the row can set it.
 */
const LIVE = "cfx_removedon eq null";

/**
 * The exchange's case and its owner, in the same request as the exchange (a single-valued
 * navigation). The owner is a user or a team: `_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname`
 * says which (Learn, Web API "Select columns", Lookup property data); the client asks for that annotation.
 */
const CASE_OWNER_EXPAND = "cfx_CaseId($select=_ownerid_value,statecode,ticketnumber,title)";

const RECEIPT_COLUMNS = "cfx_filereceiptid,cfx_name,_cfx_exchangeid_value,cfx_itemid,cfx_filestatus,cfx_keptsince,cfx_expiryoverride";

/** A receipt's file is in the folder: its status says so, or it was written before the status existed. */
const IN_FOLDER = `(cfx_filestatus eq ${FileStatus.inFolder} or cfx_filestatus eq null)`;

/** The receipt's exchange, read with it: its folder and case, and whether its removal is confirmed. */
const RECEIPT_EXCHANGE_EXPAND =
  "cfx_ExchangeId($select=cfx_fileexchangeid,cfx_name,_cfx_caseid_value,cfx_driveid,cfx_itemid,cfx_folderpath,cfx_removedon)";

/** The orphan report lives in one note with a fixed id and no regarding record. */
export const ORPHAN_REPORT_SUBJECT = "Case File Exchange retention: orphan folder report";
const ORPHAN_REPORT_ID = onceId("orphan-report");
const REPORT_MARKER = "--- report ---";

export interface DataverseRetentionRecordsOptions {
  /** Rows per page of the exchange queries (`Prefer: odata.maxpagesize`). */
  readonly pageSize?: number;
  /**
   * Writes per `$batch` (default 20). Dataverse takes up to 1,000, but the design budgets 20: a
   * batch is one request to the service protection limits yet its execution time counts in full,
   * and a throttled or dropped batch is resent whole, so smaller batches keep a retry cheap.
   */
  readonly batchSize?: number;
}

/** RetentionRecords over the Dataverse Web API with the job's app-only token. */
export class DataverseRetentionRecords implements RetentionRecords {
  constructor(
    private readonly client: DataverseClient,
    private readonly options: DataverseRetentionRecordsOptions = {},
  ) {}

  /**
   * The effective expiry (`effectiveExpiry`) as a filter: not kept, and either an administrator's
   * date that is due, or (without one) an announced date or a creation plus the direction's
   * retention that is due. The job's profile reads the secured columns; outside it they would read
   * as null and every kept folder would look due, which is why the profile is part of installing.
   */
  async exchangesNeedingAttention(now: Date, horizon: Date, retention: RetentionSettings): Promise<RetentionExchange[]> {
    const filter = `${LIVE} and cfx_keptsince eq null and (${dueBy(now, retention)} or (cfx_warnedon eq null and ${dueBy(horizon, retention)}))`;
    const rows = await this.client.getAll<Row>(
      `cfx_fileexchanges?$select=${EXCHANGE_COLUMNS}&$filter=${encodeURIComponent(filter)}&$orderby=createdon asc` +
        `&$expand=${encodeURIComponent(CASE_OWNER_EXPAND)}`,
      this.options.pageSize,
    );
    return rows.map(exchangeFromRow);
  }

  /**
   * One query, filtered on the case's state through the lookup (`cfx_CaseId/statecode`), with the
   * case's state, number and title expanded: never a request per exchange or per case.
   */
  async exchangesOfClosedCases(): Promise<RetentionExchange[]> {
    const filter = `${LIVE} and (cfx_caseclosedseenon ne null or cfx_CaseId/statecode ne ${IncidentState.active})`;
    const rows = await this.client.getAll<Row>(
      `cfx_fileexchanges?$select=${EXCHANGE_COLUMNS}&$filter=${encodeURIComponent(filter)}&$orderby=createdon asc` +
        `&$expand=${encodeURIComponent(CASE_OWNER_EXPAND)}`,
      this.options.pageSize,
    );
    return rows.map(exchangeFromRow);
  }

  /**
   * Files whose own date has come, in one query for the run (the job's field security profile reads
   * the secured decisions). A receipt whose exchange's removal is confirmed went with its folder.
   */
  async receiptsDueOnTheirOwn(now: Date): Promise<ReceiptWithExchange[]> {
    const filter = `cfx_keptsince eq null and cfx_expiryoverride ne null and cfx_expiryoverride le ${iso(now)} and ${IN_FOLDER}`;
    const rows = await this.client.getAll<Row>(
      `cfx_filereceipts?$select=${RECEIPT_COLUMNS}&$filter=${encodeURIComponent(filter)}&$orderby=cfx_expiryoverride asc` +
        `&$expand=${encodeURIComponent(RECEIPT_EXCHANGE_EXPAND)}`,
      this.options.pageSize,
    );
    const out: ReceiptWithExchange[] = [];
    for (const r of rows) {
      const x = r.cfx_ExchangeId;
      if (typeof x !== "object" || x === null) continue;
      const exchange = x as Row;
      if (date(exchange, "cfx_removedon")) continue;
      out.push({
        ...receiptFromRow(r),
        exchange: {
          id: str(exchange, "cfx_fileexchangeid") ?? str(r, "_cfx_exchangeid_value") ?? "",
          name: str(exchange, "cfx_name") ?? "",
          caseId: str(exchange, "_cfx_caseid_value") ?? "",
          driveId: str(exchange, "cfx_driveid"),
          itemId: str(exchange, "cfx_itemid"),
          folderPath: str(exchange, "cfx_folderpath") ?? "",
        },
      });
    }
    return out;
  }

  async receiptsOf(exchangeIds: readonly string[]): Promise<RetentionReceipt[]> {
    const out: RetentionReceipt[] = [];
    for (let i = 0; i < exchangeIds.length; i += IDS_PER_QUERY) {
      const ids = exchangeIds.slice(i, i + IDS_PER_QUERY);
      const filter =
        `(${ids.map((id) => `_cfx_exchangeid_value eq ${guid(id)}`).join(" or ")}) and ` +
        `(${IN_FOLDER} or cfx_keptsince ne null or cfx_expiryoverride ne null)`;
      const rows = await this.client.getAll<Row>(`cfx_filereceipts?$select=${RECEIPT_COLUMNS}&$filter=${encodeURIComponent(filter)}`);
      out.push(...rows.map(receiptFromRow));
    }
    return out;
  }

  async currentUserId(): Promise<string> {
    const who = await this.client.getOne<Row>("WhoAmI");
    const id = who ? str(who, "UserId") : undefined;
    if (!id) throw new DataverseError("invalidResponse", "WhoAmI answered without a UserId.", 200);
    return id.toLowerCase();
  }

  async exchangesNotDeleted(): Promise<RetentionExchange[]> {
    const rows = await this.client.getAll<Row>(
      `cfx_fileexchanges?$select=${EXCHANGE_COLUMNS}&$filter=${encodeURIComponent(LIVE)}&$orderby=cfx_fileexchangeid asc`,
      this.options.pageSize,
    );
    return rows.map(exchangeFromRow);
  }

  /**
   * `teammembership_association` is the N:N between team and systemuser (Learn, Team table
   * reference, Many-To-Many Relationships). It cannot be nested under the case's owner (Learn, Web
   * API "Join tables": no nested `$expand` with N:N), so the teams are read on their own, 20 to a
   * request, each with one level of `$expand`, which takes `$filter`, `$orderby` and `$top` and is
   * not paged (up to 5,000 related rows per team; `atMost` keeps it small).
   */
  async teamMembers(teamIds: readonly string[], atMost: number): Promise<ReadonlyMap<string, TeamMembers>> {
    const out = new Map<string, TeamMembers>();
    const ids = [...new Set(teamIds.map(guid))];
    const expand =
      "teammembership_association($select=systemuserid,fullname;$filter=isdisabled eq false;$orderby=fullname asc;" +
      `$top=${Math.max(1, Math.floor(atMost))})`;
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const filter = ids
        .slice(i, i + IDS_PER_QUERY)
        .map((id) => `teamid eq ${id}`)
        .join(" or ");
      const rows = await this.client.getAll<Row>(
        `teams?$select=teamid,name&$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent(expand)}`,
        this.options.pageSize,
      );
      for (const r of rows) {
        const members = Array.isArray(r.teammembership_association) ? (r.teammembership_association as Row[]) : [];
        out.set(String(r.teamid).toLowerCase(), {
          name: str(r, "name"),
          members: members
            .filter((m) => typeof m.systemuserid === "string")
            .map((m) => ({ id: String(m.systemuserid).toLowerCase(), name: str(m, "fullname") ?? "" })),
        });
      }
    }
    return out;
  }

  async exchangeFolders(): Promise<ExchangeFolder[]> {
    const rows = await this.client.getAll<Row>(
      `cfx_fileexchanges?$select=cfx_folderpath,cfx_itemid,cfx_keptsince&$filter=${encodeURIComponent(LIVE)}`,
      this.options.pageSize,
    );
    return rows.map((r) => ({
      folderPath: str(r, "cfx_folderpath"),
      itemId: str(r, "cfx_itemid"),
      kept: date(r, "cfx_keptsince") !== undefined,
    }));
  }

  async activeRecipients(exchangeIds: readonly string[]): Promise<Recipient[]> {
    const out: Recipient[] = [];
    for (let i = 0; i < exchangeIds.length; i += IDS_PER_QUERY) {
      const ids = exchangeIds.slice(i, i + IDS_PER_QUERY);
      const filter = `(${ids.map((id) => `_cfx_exchangeid_value eq ${guid(id)}`).join(" or ")}) and cfx_revokedon eq null`;
      const rows = await this.client.getAll<Row>(
        `cfx_exchangerecipients?$select=cfx_exchangerecipientid,cfx_name,_cfx_exchangeid_value,cfx_role,cfx_permissionid&$filter=${encodeURIComponent(filter)}`,
      );
      for (const r of rows) {
        out.push({
          id: String(r.cfx_exchangerecipientid),
          exchangeId: str(r, "_cfx_exchangeid_value") ?? "",
          email: str(r, "cfx_name") ?? "",
          role: (num(r, "cfx_role") ?? RecipientRole.write) as RecipientRole,
          permissionId: str(r, "cfx_permissionid"),
        });
      }
    }
    return out;
  }

  async updateExchange(id: string, changes: ExchangeChanges): Promise<void> {
    await this.single({ kind: "updateExchange", id, changes });
  }

  async updateRecipient(id: string, changes: Partial<Pick<Recipient, "revokedOn" | "reason">>): Promise<void> {
    await this.single({ kind: "updateRecipient", id, changes });
  }

  async addNote(target: TimelineTarget, note: NoteInput, options: OnceOptions): Promise<boolean> {
    return !(await this.single({ kind: "addNote", target, note, options })).refused;
  }

  async notifyUser(userId: string, notification: { readonly title: string; readonly body: string }, options: OnceOptions): Promise<void> {
    await this.single({ kind: "notifyUser", userId, notification, options });
  }

  async write(writes: readonly RetentionWrite[]): Promise<RetentionWriteOutcome[]> {
    const outcomes: Array<RetentionWriteOutcome | undefined> = writes.map(() => undefined);
    const operations: BatchOperation[] = [];
    const sent: number[] = [];
    writes.forEach((w, i) => {
      try {
        operations.push(operationOf(w));
        sent.push(i);
      } catch (e) {
        // A malformed id never reaches Dataverse; the other writes still go.
        outcomes[i] = { ok: false, error: e };
      }
    });
    const results = operations.length > 0 ? await this.client.batch(operations, this.options.batchSize ?? 20) : [];
    results.forEach((r, k) => {
      const w = writes[sent[k]];
      outcomes[sent[k]] = r.ok ? { ok: true } : outcomeOfError(w, r.error);
    });
    return outcomes.map((o) => o!);
  }

  /** One write as its own request, with the same refusals counted as done as in a batch. */
  private async single(w: RetentionWrite): Promise<{ refused: boolean }> {
    const op = operationOf(w);
    try {
      await this.client.execute(op);
      return { refused: false };
    } catch (e) {
      if (!isDataverseError(e)) throw e;
      const outcome = outcomeOfError(w, e);
      if (!outcome.ok) throw e;
      return { refused: outcome.refused ?? false };
    }
  }

  async lastOrphanReport(): Promise<OrphanReport | null> {
    const row = await this.client.getOne<Row>(`annotations(${ORPHAN_REPORT_ID})?$select=notetext`);
    const text = row ? str(row, "notetext") : undefined;
    const json = text?.split(REPORT_MARKER)[1];
    if (!json) return null;
    try {
      const parsed = JSON.parse(json) as { reportedOn?: string; deletable?: unknown };
      const reportedOn = parsed.reportedOn ? new Date(parsed.reportedOn) : undefined;
      if (!reportedOn || Number.isNaN(reportedOn.getTime()) || !Array.isArray(parsed.deletable)) return null;
      return { reportedOn, deletable: parsed.deletable.filter((x): x is string => typeof x === "string") };
    } catch {
      // A note edited by hand into something else: start over, which only delays deletions.
      return null;
    }
  }

  async saveOrphanReport(report: OrphanReport): Promise<void> {
    const notetext =
      `The retention job's last full look at the folders under the roots (${iso(report.reportedOn)}). ` +
      `${report.deletable.length} orphan folder(s) older than the retention were reported; when orphan deletion is on, ` +
      `the next run deletes those still orphaned. Do not edit the text below.\n${REPORT_MARKER}\n` +
      JSON.stringify({ reportedOn: iso(report.reportedOn), deletable: report.deletable });
    const body = { subject: ORPHAN_REPORT_SUBJECT, notetext };
    try {
      await this.client.update("annotations", ORPHAN_REPORT_ID, body);
    } catch (e) {
      if (!(isDataverseError(e) && e.code === "notFound")) throw e;
      await this.client.create("annotations", { annotationid: ORPHAN_REPORT_ID, ...body });
    }
  }
}

/** The Web API request for one write. Updates carry `If-Match: *`: a missing record is a 404, never an upsert. */
function operationOf(w: RetentionWrite): BatchOperation {
  switch (w.kind) {
    case "updateExchange": {
      const body: Record<string, unknown> = {};
      if (w.changes.stage !== undefined) body.cfx_stage = w.changes.stage;
      if (w.changes.warnedOn !== undefined) body.cfx_warnedon = iso(w.changes.warnedOn);
      if (w.changes.deletedOn !== undefined) body.cfx_deletedon = iso(w.changes.deletedOn);
      if (w.changes.removedOn !== undefined) body.cfx_removedon = iso(w.changes.removedOn);
      if (w.changes.caseClosedSeenOn !== undefined)
        body.cfx_caseclosedseenon = w.changes.caseClosedSeenOn === null ? null : iso(w.changes.caseClosedSeenOn);
      return { method: "PATCH", path: `cfx_fileexchanges(${guid(w.id)})`, body, headers: { "If-Match": "*" } };
    }
    case "updateRecipient": {
      const body: Record<string, unknown> = {};
      if (w.changes.revokedOn !== undefined) body.cfx_revokedon = iso(w.changes.revokedOn);
      if (w.changes.reason !== undefined) body.cfx_reason = w.changes.reason;
      return { method: "PATCH", path: `cfx_exchangerecipients(${guid(w.id)})`, body, headers: { "If-Match": "*" } };
    }
    case "updateReceipt":
      return {
        method: "PATCH",
        path: `cfx_filereceipts(${guid(w.id)})`,
        body: { cfx_filestatus: w.changes.status, cfx_filegoneon: iso(w.changes.goneOn) },
        headers: { "If-Match": "*" },
      };
    case "createEmail":
      return {
        method: "POST",
        path: "emails",
        body: {
          // Derived from the event: a second create is refused as a duplicate instead of writing a second e-mail.
          activityid: onceId(w.options.onceKey),
          subject: w.subject.slice(0, 200),
          description: w.html,
          directioncode: true,
          "regardingobjectid_incident@odata.bind": `/incidents(${guid(w.regardingCaseId)})`,
          // Activity parties: 1 Sender, 2 ToRecipient (Learn, ActivityParty table). Recipients are the
          // addresses the folder was shared with, unresolved (`addressused`), as the invitation was.
          email_activity_parties: [
            { "partyid_systemuser@odata.bind": `/systemusers(${guid(w.senderId)})`, participationtypemask: 1 },
            ...w.to.map((address) => ({ addressused: address, participationtypemask: 2 })),
          ],
        },
      };
    case "sendEmail":
      return {
        method: "POST",
        path: `emails(${onceId(w.options.onceKey)})/Microsoft.Dynamics.CRM.SendEmail`,
        body: { IssueSend: true },
      };
    case "addNote":
      return noteOperation(onceId(w.options.onceKey), w.target, w.note);
    case "notifyUser":
      return notificationOperation({
        id: onceId(w.options.onceKey),
        userId: w.userId,
        title: w.notification.title,
        body: w.notification.body,
        icon: NotificationIcon.warning,
      });
  }
}

/**
 * A refusal that still means "done": a keyed create refused as a duplicate was written by an
 * earlier attempt; a note refused by an inactive (resolved, cancelled) record is expected.
 */
function outcomeOfError(w: RetentionWrite, error: DataverseError): RetentionWriteOutcome {
  const keyed = w.kind === "addNote" || w.kind === "notifyUser" || w.kind === "createEmail";
  if (keyed && error.code === "duplicate") return { ok: true };
  // An e-mail already sent (or left Pending Send by the mailbox) refuses a second SendEmail: done once.
  if (w.kind === "sendEmail" && error.code === "inactiveRecord") return { ok: true };
  if (w.kind === "addNote" && error.code === "inactiveRecord") return { ok: true, refused: true };
  return { ok: false, error };
}

function exchangeFromRow(r: Row): RetentionExchange {
  return {
    id: String(r.cfx_fileexchangeid),
    name: str(r, "cfx_name") ?? "",
    caseId: str(r, "_cfx_caseid_value") ?? "",
    direction: (num(r, "cfx_direction") ?? ExchangeDirection.backupForCustomer) as ExchangeDirection,
    stage: (num(r, "cfx_stage") ?? ExchangeStage.folderCreated) as ExchangeStage,
    folderPath: str(r, "cfx_folderpath") ?? "",
    driveId: str(r, "cfx_driveid"),
    itemId: str(r, "cfx_itemid"),
    folderCreatedOn: date(r, "cfx_foldercreatedon"),
    expiresOn: date(r, "cfx_expireson") ?? null,
    warnedOn: date(r, "cfx_warnedon"),
    deletedOn: date(r, "cfx_deletedon"),
    keptSince: date(r, "cfx_keptsince"),
    expiryOverride: date(r, "cfx_expiryoverride"),
    removedOn: date(r, "cfx_removedon"),
    createdOn: date(r, "createdon"),
    overriddenCreatedOn: date(r, "overriddencreatedon"),
    ownerId: str(r, "_ownerid_value") ?? "",
    caseOwner: caseOwnerOf(r.cfx_CaseId),
    caseClosedSeenOn: date(r, "cfx_caseclosedseenon"),
    ...caseOf(r.cfx_CaseId),
  };
}

/** The expanded case's state, number and title. */
function caseOf(value: unknown): Pick<RetentionExchange, "caseState" | "caseNumber" | "caseTitle"> {
  if (typeof value !== "object" || value === null) return {};
  const kase = value as Row;
  return { caseState: num(kase, "statecode"), caseNumber: str(kase, "ticketnumber"), caseTitle: str(kase, "title") };
}

function receiptFromRow(r: Row): RetentionReceipt {
  return {
    id: String(r.cfx_filereceiptid),
    exchangeId: str(r, "_cfx_exchangeid_value") ?? "",
    name: str(r, "cfx_name") ?? "",
    itemId: str(r, "cfx_itemid"),
    status: num(r, "cfx_filestatus") as FileStatus | undefined,
    keptSince: date(r, "cfx_keptsince"),
    expiryOverride: date(r, "cfx_expiryoverride"),
  };
}

/** The expanded case's owner: a user or a team, by the lookup's logical name. */
function caseOwnerOf(value: unknown): CaseOwner | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const kase = value as Row;
  const id = str(kase, "_ownerid_value");
  if (!id) return undefined;
  return { kind: str(kase, `_ownerid_value${LOOKUP_TABLE}`) === "team" ? "team" : "user", id: id.toLowerCase() };
}

/**
 * `$filter` for "the effective expiry is at or before `t`" (not counting Keep, filtered apart).
 * Creation counts by the earlier of `createdon` and `overriddencreatedon`; each direction has its
 * own retention.
 */
function dueBy(t: Date, retention: RetentionSettings): string {
  const createdBy = (days: number) => {
    const before = iso(new Date(t.getTime() - days * DAY_MS));
    return `(createdon le ${before} or overriddencreatedon le ${before})`;
  };
  const byRetention =
    `((cfx_direction eq ${ExchangeDirection.backupForCustomer} and ${createdBy(retention.backupRetentionDays)}) or ` +
    `(cfx_direction eq ${ExchangeDirection.filesFromCustomer} and ${createdBy(retention.uploadRetentionDays)}))`;
  return (
    `((cfx_expiryoverride ne null and cfx_expiryoverride le ${iso(t)}) or ` +
    `(cfx_expiryoverride eq null and (cfx_expireson le ${iso(t)} or ${byRetention})))`
  );
}
