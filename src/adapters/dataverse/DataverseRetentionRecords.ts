import type { Recipient } from "../../domain/exchange";
import { ExchangeDirection, ExchangeStage, RecipientRole } from "../../model";
import type { NoteInput, TimelineTarget } from "../../ports/CrmGateway";
import type { ExchangeFolder, OnceOptions, OrphanReport, RetentionExchange, RetentionRecords } from "../../ports/RetentionRecords";
import type { DataverseClient } from "./DataverseClient";
import { isDataverseError } from "./DataverseError";
import { onceId } from "./onceId";

type Row = Readonly<Record<string, unknown>>;

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
  "_ownerid_value",
].join(",");

const entitySets: Readonly<Record<TimelineTarget["table"], string>> = {
  incident: "incidents",
  cfx_hardwareticket: "cfx_hardwaretickets",
  cfx_fileexchange: "cfx_fileexchanges",
};

/** Recipients are read for this many exchanges per query (an `or` of ids keeps the URL short). */
const IDS_PER_QUERY = 20;

/** The orphan report lives in one note with a fixed id and no regarding record. */
export const ORPHAN_REPORT_SUBJECT = "Case File Exchange retention: orphan folder report";
const ORPHAN_REPORT_ID = onceId("orphan-report");
const REPORT_MARKER = "--- report ---";

// appnotification choices (Learn: "Send in-app notifications within model-driven apps").
const ICON_WARNING = 100000003;
const TOAST_TIMED = 200000000;
const TWO_WEEKS_SECONDS = 14 * 24 * 3600;

export interface DataverseRetentionRecordsOptions {
  /** Rows per page of the exchange queries (`Prefer: odata.maxpagesize`). */
  readonly pageSize?: number;
}

/** RetentionRecords over the Dataverse Web API with the job's app-only token. */
export class DataverseRetentionRecords implements RetentionRecords {
  constructor(
    private readonly client: DataverseClient,
    private readonly options: DataverseRetentionRecordsOptions = {},
  ) {}

  async exchangesNeedingAttention(now: Date, horizon: Date): Promise<RetentionExchange[]> {
    const filter =
      `cfx_stage ne ${ExchangeStage.deleted} and cfx_expireson ne null and ` +
      `(cfx_expireson le ${iso(now)} or (cfx_warnedon eq null and cfx_expireson le ${iso(horizon)}))`;
    const rows = await this.client.getAll<Row>(
      `cfx_fileexchanges?$select=${EXCHANGE_COLUMNS}&$filter=${encodeURIComponent(filter)}&$orderby=cfx_expireson asc`,
      this.options.pageSize,
    );
    return rows.map(exchangeFromRow);
  }

  async exchangeFolders(): Promise<ExchangeFolder[]> {
    const rows = await this.client.getAll<Row>(
      `cfx_fileexchanges?$select=cfx_folderpath,cfx_itemid,cfx_expireson&$filter=${encodeURIComponent(`cfx_stage ne ${ExchangeStage.deleted}`)}`,
      this.options.pageSize,
    );
    return rows.map((r) => ({
      folderPath: str(r, "cfx_folderpath"),
      itemId: str(r, "cfx_itemid"),
      expiresOn: date(r, "cfx_expireson") ?? null,
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

  async updateExchange(id: string, changes: Partial<Pick<RetentionExchange, "stage" | "warnedOn" | "deletedOn">>): Promise<void> {
    const body: Record<string, unknown> = {};
    if (changes.stage !== undefined) body.cfx_stage = changes.stage;
    if (changes.warnedOn !== undefined) body.cfx_warnedon = iso(changes.warnedOn);
    if (changes.deletedOn !== undefined) body.cfx_deletedon = iso(changes.deletedOn);
    await this.client.update("cfx_fileexchanges", guid(id), body);
  }

  async updateRecipient(id: string, changes: Partial<Pick<Recipient, "revokedOn" | "reason">>): Promise<void> {
    const body: Record<string, unknown> = {};
    if (changes.revokedOn !== undefined) body.cfx_revokedon = iso(changes.revokedOn);
    if (changes.reason !== undefined) body.cfx_reason = changes.reason;
    await this.client.update("cfx_exchangerecipients", guid(id), body);
  }

  async addNote(target: TimelineTarget, note: NoteInput, options: OnceOptions): Promise<boolean> {
    try {
      await this.client.create("annotations", {
        annotationid: onceId(options.onceKey),
        subject: note.subject,
        notetext: note.text,
        [`objectid_${target.table}@odata.bind`]: `/${entitySets[target.table]}(${guid(target.id)})`,
      });
      return true;
    } catch (e) {
      if (isDataverseError(e) && e.code === "duplicate") return true;
      if (isDataverseError(e) && e.code === "inactiveRecord") return false;
      throw e;
    }
  }

  async notifyUser(userId: string, notification: { readonly title: string; readonly body: string }, options: OnceOptions): Promise<void> {
    try {
      await this.client.create("appnotifications", {
        appnotificationid: onceId(options.onceKey),
        title: notification.title.slice(0, 200),
        body: notification.body.slice(0, 5000),
        icontype: ICON_WARNING,
        toasttype: TOAST_TIMED,
        ttlinseconds: TWO_WEEKS_SECONDS,
        "ownerid@odata.bind": `/systemusers(${guid(userId)})`,
      });
    } catch (e) {
      if (isDataverseError(e) && e.code === "duplicate") return;
      throw e;
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
    ownerId: str(r, "_ownerid_value") ?? "",
    ownerIsTeam: str(r, "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname") === "team",
  };
}

function str(r: Row, key: string): string | undefined {
  const v = r[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(r: Row, key: string): number | undefined {
  const v = r[key];
  return typeof v === "number" ? v : undefined;
}

function date(r: Row, key: string): Date | undefined {
  const v = str(r, key);
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Dataverse's date-time literal: ISO 8601 in UTC, whole seconds. */
function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A GUID without braces, lower case; refuses anything else (it goes into a URL). */
function guid(id: string): string {
  const v = id.replace(/[{}]/g, "").toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) throw new Error(`Not a record id: "${id}".`);
  return v;
}
