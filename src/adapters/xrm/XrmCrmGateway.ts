import type { Exchange, FileReceipt, Recipient } from "../../domain/exchange";
import { annotation, fileExchange, hardwareTicket, incident } from "../../model";
import type { CaseAccess, CasePanelData, CaseReads } from "../../ports/CaseReads";
import type { CrmGateway, FolderHolder, NoteInput, TimelineTarget } from "../../ports/CrmGateway";
import type { FolderRef } from "../../ports/DocumentLibrary";
import { isDataverseError, toDataverseError } from "./DataverseError";
import type { XrmExecute } from "./XrmTicketGateway";
import {
  caseFromRow,
  EXCHANGES_NAV,
  exchangeFromRow,
  exchangeRecordFromRow,
  exchangeToRow,
  normalizeId,
  RECEIPTS_NAV,
  RECIPIENTS_NAV,
  receiptToRow,
  str,
  type Row,
} from "./records";

/** The part of Xrm.WebApi the gateway uses; the real `Xrm.WebApi` satisfies it. */
export type XrmWebApi = Pick<Xrm.WebApi, "createRecord" | "updateRecord" | "retrieveRecord" | "retrieveMultipleRecords" | "deleteRecord">;

/** The exchange columns the panels read. */
export const EXCHANGE_SELECT = [
  "cfx_fileexchangeid",
  "cfx_name",
  "_cfx_caseid_value",
  "_cfx_hardwareticketid_value",
  "cfx_direction",
  "cfx_stage",
  "cfx_folderpath",
  "cfx_driveid",
  "cfx_itemid",
  "cfx_weburl",
  "cfx_foldercreatedon",
  "cfx_expireson",
  "cfx_expiryreason",
  "cfx_readyon",
  "cfx_notifiedon",
  "cfx_sharedon",
  "cfx_warnedon",
  "cfx_deletedon",
  "cfx_filecount",
  "cfx_totalbytes",
  "_ownerid_value",
  "_createdby_value",
  "createdon",
].join(",");

const RECIPIENT_SELECT = [
  "cfx_exchangerecipientid",
  "cfx_name",
  "cfx_role",
  "cfx_permissionid",
  "cfx_invitedon",
  "_cfx_invitedbyid_value",
  "cfx_revokedon",
  "_cfx_revokedbyid_value",
  "cfx_reason",
].join(",");

/** The receipt columns the panels read. */
export const RECEIPT_SELECT = [
  "cfx_filereceiptid",
  "cfx_name",
  "cfx_itemid",
  "cfx_size",
  "cfx_quickxorhash",
  "cfx_integrity",
  "cfx_uploadedon",
  "cfx_uploadedby",
  "cfx_batchid",
  "cfx_filestatus",
  "cfx_filegoneon",
  "cfx_keptsince",
  "cfx_expiryoverride",
  "_createdby_value",
  "createdon",
].join(",");

/** The navigation property of the case's contact column: from the model when known, else the logical name. */
export function contactNavigation(contactColumn: string): string {
  const known = incident.columns.find((c) => c.logicalName === contactColumn);
  return known?.navigationProperty ?? contactColumn;
}

/** The options of the case panel's one request: case, contact, exchanges, recipients, receipts. */
export function casePanelQuery(contactColumn: string): string {
  const nav = contactNavigation(contactColumn);
  return (
    `?$select=incidentid,ticketnumber,title,statecode,statuscode,_ownerid_value,_${contactColumn}_value` +
    `&$expand=${nav}($select=contactid,fullname,emailaddress1),` +
    `${EXCHANGES_NAV}($select=${EXCHANGE_SELECT};$expand=${RECIPIENTS_NAV}($select=${RECIPIENT_SELECT}),${RECEIPTS_NAV}($select=${RECEIPT_SELECT}))`
  );
}

/** The exchange's lookup to its case, as a navigation property. */
const CASE_NAV = "cfx_CaseId";

/** A string literal in a `$filter`, quotes doubled and URL-encoded (folder paths may hold `&` or `+`). */
const odataLiteral = (s: string) => encodeURIComponent(`'${s.replace(/'/g, "''")}'`);

/** The options of the query for the exchanges that record a folder, by item id or path, with their case's number. */
export function folderHoldersQuery(folder: Pick<FolderRef, "itemId" | "path">): string {
  const byPath = `cfx_folderpath eq ${odataLiteral(folder.path)}`;
  const filter = folder.itemId ? `cfx_itemid eq ${odataLiteral(folder.itemId)} or ${byPath}` : byPath;
  return `?$select=${EXCHANGE_SELECT}&$filter=${filter}&$expand=${CASE_NAV}($select=ticketnumber)&$top=20`;
}

/** Dataverse's AccessRights flags as the Web API writes them (`"ReadAccess, AppendToAccess"`) → what the product asks. */
export function accessFromRights(rights: string): CaseAccess {
  const names = new Set(rights.split(",").map((r) => r.trim()));
  return { read: names.has("ReadAccess"), appendTo: names.has("AppendToAccess"), write: names.has("WriteAccess") };
}

const entitySets: Record<TimelineTarget["table"], string> = {
  incident: incident.entitySetName,
  cfx_hardwareticket: hardwareTicket.entitySetName,
  cfx_fileexchange: fileExchange.entitySetName,
};

/**
 * CrmGateway and the case panel's read over Xrm.WebApi, received in the constructor (never read
 * from a global), so tests pass a fake and the ticket panel shares it.
 */
export class XrmCrmGateway implements CrmGateway, CaseReads {
  /** `online` is `Xrm.WebApi.online`, for the functions the record API does not reach (RetrievePrincipalAccess). */
  constructor(
    private readonly webApi: XrmWebApi,
    private readonly online?: XrmExecute,
  ) {}

  async accessToCase(caseId: string, userId: string): Promise<CaseAccess> {
    if (!this.online) throw new Error("XrmCrmGateway: checking access needs Xrm.WebApi.online.");
    // GET systemusers(<user>)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t={'@odata.id':'incidents(<case>)'}
    const request = {
      entity: { entityType: "systemuser", id: normalizeId(userId) },
      Target: { entityType: incident.logicalName, id: normalizeId(caseId) },
      getMetadata: () => ({
        boundParameter: "entity",
        parameterTypes: {
          entity: { typeName: "mscrm.systemuser", structuralProperty: 5 },
          Target: { typeName: "mscrm.crmbaseentity", structuralProperty: 5 },
        },
        operationType: 1,
        operationName: "RetrievePrincipalAccess",
      }),
    };
    let rights: string;
    try {
      const response = (await this.online.execute(request)) as { json?: () => Promise<unknown> } | undefined;
      const body = (typeof response?.json === "function" ? await response.json() : response) as { AccessRights?: unknown } | undefined;
      rights = typeof body?.AccessRights === "string" ? body.AccessRights : "";
    } catch (e) {
      throw toDataverseError(e, "Checking your access to the case");
    }
    return accessFromRights(rights);
  }

  async loadCasePanel(caseId: string, contactColumn: string): Promise<CasePanelData> {
    let row: Row;
    try {
      row = (await this.webApi.retrieveRecord(incident.logicalName, normalizeId(caseId), casePanelQuery(contactColumn))) as Row;
    } catch (e) {
      throw toDataverseError(e, "Reading the case");
    }
    const exchanges = (Array.isArray(row[EXCHANGES_NAV]) ? (row[EXCHANGES_NAV] as Row[]) : [])
      .map(exchangeRecordFromRow)
      .sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
    return { case: caseFromRow(row, contactColumn, contactNavigation(contactColumn)), exchanges };
  }

  async createExchange(
    input: Omit<Exchange, "fileCount" | "totalBytes"> & Partial<Pick<Exchange, "fileCount" | "totalBytes">>,
  ): Promise<Exchange> {
    const id = normalizeId(input.id);
    const body = { [fileExchange.primaryIdColumn]: id, ...exchangeToRow({ fileCount: 0, totalBytes: 0, ...input }) };
    if (!input.ticketId) delete body["cfx_HardwareTicketId@odata.bind"];
    await this.createOnce(fileExchange.logicalName, body, "Recording the folder");
    return { fileCount: 0, totalBytes: 0, ...input, id };
  }

  async exchangesRecordingFolder(folder: Pick<FolderRef, "driveId" | "itemId" | "path">): Promise<FolderHolder[]> {
    let result: Xrm.RetrieveMultipleResult;
    try {
      result = await this.webApi.retrieveMultipleRecords(fileExchange.logicalName, folderHoldersQuery(folder));
    } catch (e) {
      throw toDataverseError(e, "Checking which case records the folder");
    }
    return result.entities.map((row: Row) => {
      const kase = row[CASE_NAV];
      const caseNumber = typeof kase === "object" && kase !== null ? str(kase as Row, "ticketnumber") : undefined;
      return { exchange: exchangeFromRow(row), caseNumber };
    });
  }

  async updateExchange(id: string, changes: Partial<Omit<Exchange, "id" | "caseId" | "direction">>): Promise<void> {
    try {
      await this.webApi.updateRecord(fileExchange.logicalName, normalizeId(id), exchangeToRow(changes));
    } catch (e) {
      throw toDataverseError(e, "Updating the exchange");
    }
  }

  async addRecipient(input: Recipient): Promise<Recipient> {
    const id = normalizeId(input.id);
    const body: Record<string, unknown> = {
      cfx_exchangerecipientid: id,
      cfx_name: input.email,
      "cfx_ExchangeId@odata.bind": `/${fileExchange.entitySetName}(${normalizeId(input.exchangeId)})`,
      cfx_role: input.role,
    };
    if (input.permissionId) body.cfx_permissionid = input.permissionId;
    if (input.invitedOn) body.cfx_invitedon = input.invitedOn.toISOString();
    if (input.invitedBy) body["cfx_InvitedById@odata.bind"] = `/systemusers(${normalizeId(input.invitedBy)})`;
    if (input.reason) body.cfx_reason = input.reason;
    await this.createOnce("cfx_exchangerecipient", body, "Recording the recipient");
    return { ...input, id };
  }

  async updateRecipient(id: string, changes: Partial<Omit<Recipient, "id" | "exchangeId">>): Promise<void> {
    const body: Record<string, unknown> = {};
    if (changes.email !== undefined) body.cfx_name = changes.email;
    if (changes.role !== undefined) body.cfx_role = changes.role;
    if (changes.permissionId !== undefined) body.cfx_permissionid = changes.permissionId;
    if (changes.invitedOn !== undefined) body.cfx_invitedon = changes.invitedOn.toISOString();
    if (changes.revokedOn !== undefined) body.cfx_revokedon = changes.revokedOn.toISOString();
    if (changes.revokedBy !== undefined) body["cfx_RevokedById@odata.bind"] = `/systemusers(${normalizeId(changes.revokedBy)})`;
    if (changes.reason !== undefined) body.cfx_reason = changes.reason;
    try {
      await this.webApi.updateRecord("cfx_exchangerecipient", normalizeId(id), body);
    } catch (e) {
      throw toDataverseError(e, "Updating the recipient");
    }
  }

  async addReceipt(input: FileReceipt): Promise<FileReceipt> {
    const id = normalizeId(input.id);
    const { id: _id, exchangeId, itemId, quickXorHash, ...rest } = input;
    const body: Record<string, unknown> = {
      cfx_filereceiptid: id,
      "cfx_ExchangeId@odata.bind": `/${fileExchange.entitySetName}(${normalizeId(exchangeId)})`,
      ...receiptToRow({ ...rest, ...(itemId ? { itemId } : {}), ...(quickXorHash ? { quickXorHash } : {}) }),
    };
    await this.createOnce("cfx_filereceipt", body, "Recording the file");
    return { ...input, id };
  }

  async updateReceipt(id: string, changes: Partial<Omit<FileReceipt, "id" | "exchangeId">>): Promise<void> {
    try {
      await this.webApi.updateRecord("cfx_filereceipt", normalizeId(id), receiptToRow(changes));
    } catch (e) {
      throw toDataverseError(e, "Updating the file's receipt");
    }
  }

  /**
   * Creates a row whose body carries its own primary key. Dataverse refuses a second create with
   * that key as a duplicate (`0x80040237`): the row is there, written by an earlier attempt whose
   * answer was lost, so that counts as done.
   */
  private async createOnce(table: string, body: Record<string, unknown>, operation: string): Promise<void> {
    try {
      await this.webApi.createRecord(table, body);
    } catch (e) {
      const err = toDataverseError(e, operation);
      if (err.code !== "duplicate") throw err;
    }
  }

  async addNote(target: TimelineTarget, note: NoteInput, id: string): Promise<boolean> {
    const body = {
      annotationid: normalizeId(id),
      subject: note.subject,
      notetext: note.text,
      [`objectid_${target.table}@odata.bind`]: `/${entitySets[target.table]}(${normalizeId(target.id)})`,
    };
    try {
      await this.createOnce(annotation.logicalName, body, "Writing the note");
      return true;
    } catch (e) {
      // A resolved or cancelled case refuses notes: expected, the exchange's own timeline has it.
      if (isDataverseError(e) && e.code === "inactiveRecord") return false;
      throw e;
    }
  }
}
