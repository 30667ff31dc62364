import type { Exchange, FileReceipt } from "../../domain/exchange";
import { ExchangeDirection, ExchangeStage, FileIntegrity, type FileStatus, RecipientRole, IncidentState } from "../../model";
import type { CaseRecord, ExchangeRecord, ReceiptRecord, RecipientRecord } from "../../ports/CaseReads";

/**
 * Rows as Dataverse's Web API returns them, turned into the product's records. Pure: the gateway
 * fetches, these map, and the tests feed them recorded rows.
 */
export type Row = Readonly<Record<string, unknown>>;

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

export function str(row: Row, key: string): string | undefined {
  const v = row[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function num(row: Row, key: string): number | undefined {
  const v = row[key];
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function date(row: Row, key: string): Date | undefined {
  const v = str(row, key);
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The display value Dataverse adds for lookups and choices (absent when annotations are off). */
export function formatted(row: Row, key: string): string | undefined {
  return str(row, key + FORMATTED);
}

/** A GUID without braces, lower case: how ids are compared everywhere in the product. */
export function normalizeId(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

export function exchangeFromRow(row: Row): Exchange {
  const expires = date(row, "cfx_expireson");
  return {
    id: String(row.cfx_fileexchangeid),
    name: str(row, "cfx_name") ?? "",
    caseId: str(row, "_cfx_caseid_value") ?? "",
    ticketId: str(row, "_cfx_hardwareticketid_value"),
    direction: (num(row, "cfx_direction") ?? ExchangeDirection.backupForCustomer) as ExchangeDirection,
    stage: (num(row, "cfx_stage") ?? ExchangeStage.folderCreated) as ExchangeStage,
    folderPath: str(row, "cfx_folderpath") ?? "",
    driveId: str(row, "cfx_driveid"),
    itemId: str(row, "cfx_itemid"),
    webUrl: str(row, "cfx_weburl"),
    folderCreatedOn: date(row, "cfx_foldercreatedon"),
    expiresOn: expires ?? null,
    expiryReason: str(row, "cfx_expiryreason"),
    readyOn: date(row, "cfx_readyon"),
    notifiedOn: date(row, "cfx_notifiedon"),
    sharedOn: date(row, "cfx_sharedon"),
    warnedOn: date(row, "cfx_warnedon"),
    deletedOn: date(row, "cfx_deletedon"),
    fileCount: num(row, "cfx_filecount") ?? 0,
    totalBytes: num(row, "cfx_totalbytes") ?? 0,
    ownerId: str(row, "_ownerid_value") ?? "",
    createdById: str(row, "_createdby_value"),
  };
}

export function recipientFromRow(row: Row, exchangeId: string): RecipientRecord {
  return {
    id: String(row.cfx_exchangerecipientid),
    exchangeId: str(row, "_cfx_exchangeid_value") ?? exchangeId,
    email: str(row, "cfx_name") ?? "",
    role: (num(row, "cfx_role") ?? RecipientRole.write) as RecipientRole,
    permissionId: str(row, "cfx_permissionid"),
    invitedOn: date(row, "cfx_invitedon"),
    invitedBy: str(row, "_cfx_invitedbyid_value"),
    invitedByName: formatted(row, "_cfx_invitedbyid_value"),
    revokedOn: date(row, "cfx_revokedon"),
    revokedBy: str(row, "_cfx_revokedbyid_value"),
    revokedByName: formatted(row, "_cfx_revokedbyid_value"),
    reason: str(row, "cfx_reason"),
  };
}

export function receiptFromRow(row: Row, exchangeId: string): ReceiptRecord {
  return {
    id: String(row.cfx_filereceiptid),
    exchangeId: str(row, "_cfx_exchangeid_value") ?? exchangeId,
    path: str(row, "cfx_name") ?? "",
    itemId: str(row, "cfx_itemid"),
    size: num(row, "cfx_size") ?? 0,
    quickXorHash: str(row, "cfx_quickxorhash"),
    integrity: (num(row, "cfx_integrity") ?? FileIntegrity.verified) as FileIntegrity,
    uploadedOn: date(row, "cfx_uploadedon") ?? date(row, "createdon") ?? new Date(0),
    uploadedBy: str(row, "_createdby_value"),
    uploadedByName: formatted(row, "_createdby_value"),
    uploader: str(row, "cfx_uploadedby"),
    batchId: str(row, "cfx_batchid"),
    status: num(row, "cfx_filestatus") as FileStatus | undefined,
    goneOn: date(row, "cfx_filegoneon"),
    // Secured: null for anyone outside the profiles that read them, as for a file without a decision.
    keptSince: date(row, "cfx_keptsince"),
    expiryOverride: date(row, "cfx_expiryoverride"),
  };
}

/**
 * Columns written for a receipt's fields, the lookup to its exchange and its own key aside.
 * `null` clears a date; an absent field is left as it is.
 */
export function receiptToRow(changes: Partial<Omit<FileReceipt, "id" | "exchangeId">>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  if (changes.path !== undefined) out.cfx_name = changes.path;
  if (changes.itemId !== undefined) out.cfx_itemid = changes.itemId;
  if (changes.size !== undefined) out.cfx_size = changes.size;
  if (changes.quickXorHash !== undefined) out.cfx_quickxorhash = changes.quickXorHash;
  if (changes.integrity !== undefined) out.cfx_integrity = changes.integrity;
  if (changes.uploadedOn !== undefined) out.cfx_uploadedon = iso(changes.uploadedOn);
  if (changes.uploader !== undefined) out.cfx_uploadedby = changes.uploader;
  if (changes.batchId !== undefined) out.cfx_batchid = changes.batchId;
  if (changes.status !== undefined) out.cfx_filestatus = changes.status;
  if (changes.goneOn !== undefined) out.cfx_filegoneon = iso(changes.goneOn);
  if (changes.keptSince !== undefined) out.cfx_keptsince = iso(changes.keptSince);
  if (changes.expiryOverride !== undefined) out.cfx_expiryoverride = iso(changes.expiryOverride);
  return out;
}

export const RECIPIENTS_NAV = "cfx_fileexchange_cfx_exchangerecipient_ExchangeId";
export const RECEIPTS_NAV = "cfx_fileexchange_cfx_filereceipt_ExchangeId";
export const EXCHANGES_NAV = "cfx_incident_cfx_fileexchange_CaseId";

function rows(value: unknown): Row[] {
  return Array.isArray(value) ? (value as Row[]) : [];
}

export function exchangeRecordFromRow(row: Row): ExchangeRecord {
  const exchange = exchangeFromRow(row);
  return {
    exchange,
    ticketName: formatted(row, "_cfx_hardwareticketid_value"),
    createdByName: formatted(row, "_createdby_value"),
    createdOn: date(row, "createdon"),
    recipients: rows(row[RECIPIENTS_NAV]).map((r) => recipientFromRow(r, exchange.id)),
    receipts: rows(row[RECEIPTS_NAV])
      .map((r) => receiptFromRow(r, exchange.id))
      .sort((a, b) => a.path.localeCompare(b.path)),
  };
}

export function caseFromRow(row: Row, contactColumn: string, contactNav: string): CaseRecord {
  const c = row[contactNav];
  const contactRow = typeof c === "object" && c !== null ? (c as Row) : null;
  const contactId = str(row, `_${contactColumn}_value`);
  return {
    id: String(row.incidentid),
    number: str(row, "ticketnumber") ?? "",
    title: str(row, "title") ?? "",
    state: (num(row, "statecode") ?? IncidentState.active) as IncidentState,
    statusLabel: formatted(row, "statuscode"),
    contact: contactRow
      ? {
          id: str(contactRow, "contactid") ?? contactId ?? "",
          name: str(contactRow, "fullname") ?? formatted(row, `_${contactColumn}_value`) ?? "",
          email: str(contactRow, "emailaddress1") ?? null,
        }
      : contactId
        ? // The contact exists but the user may not read it: show its name, no address.
          { id: contactId, name: formatted(row, `_${contactColumn}_value`) ?? "", email: null }
        : null,
    ownerId: str(row, "_ownerid_value") ?? "",
  };
}

/** Columns written for an exchange's fields (the reverse of exchangeFromRow). */
export function exchangeToRow(changes: Partial<Exchange>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  if (changes.name !== undefined) out.cfx_name = changes.name;
  if (changes.caseId !== undefined) out["cfx_CaseId@odata.bind"] = `/incidents(${changes.caseId})`;
  if (changes.ticketId !== undefined) out["cfx_HardwareTicketId@odata.bind"] = `/cfx_hardwaretickets(${changes.ticketId})`;
  if (changes.direction !== undefined) out.cfx_direction = changes.direction;
  if (changes.stage !== undefined) out.cfx_stage = changes.stage;
  if (changes.folderPath !== undefined) out.cfx_folderpath = changes.folderPath;
  if (changes.driveId !== undefined) out.cfx_driveid = changes.driveId;
  if (changes.itemId !== undefined) out.cfx_itemid = changes.itemId;
  if (changes.webUrl !== undefined) out.cfx_weburl = changes.webUrl;
  if (changes.folderCreatedOn !== undefined) out.cfx_foldercreatedon = iso(changes.folderCreatedOn);
  if (changes.expiresOn !== undefined) out.cfx_expireson = iso(changes.expiresOn);
  if (changes.expiryReason !== undefined) out.cfx_expiryreason = changes.expiryReason;
  if (changes.readyOn !== undefined) out.cfx_readyon = iso(changes.readyOn);
  if (changes.notifiedOn !== undefined) out.cfx_notifiedon = iso(changes.notifiedOn);
  if (changes.sharedOn !== undefined) out.cfx_sharedon = iso(changes.sharedOn);
  if (changes.warnedOn !== undefined) out.cfx_warnedon = iso(changes.warnedOn);
  if (changes.deletedOn !== undefined) out.cfx_deletedon = iso(changes.deletedOn);
  if (changes.keptSince !== undefined) out.cfx_keptsince = iso(changes.keptSince);
  if (changes.expiryOverride !== undefined) out.cfx_expiryoverride = iso(changes.expiryOverride);
  if (changes.removedOn !== undefined) out.cfx_removedon = iso(changes.removedOn);
  if (changes.fileCount !== undefined) out.cfx_filecount = changes.fileCount;
  if (changes.totalBytes !== undefined) out.cfx_totalbytes = changes.totalBytes;
  if (changes.ownerId !== undefined) out["ownerid@odata.bind"] = `/systemusers(${changes.ownerId})`;
  return out;
}
