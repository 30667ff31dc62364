import type { Exchange, FileReceipt } from "../../domain/exchange";
import type { Person } from "../../domain/notificationAudience";
import { fileExchange, incident, type ExchangeDirection } from "../../model";
import type {
  AppNotificationInput,
  CaseSummary,
  CaseWithExchanges,
  EmailInput,
  EmailRef,
  EmailStatus,
  TicketGateway,
} from "../../ports/TicketGateway";
import { isDataverseError, toDataverseError } from "./DataverseError";
import { EXCHANGES_NAV, exchangeFromRow, formatted, normalizeId, num, receiptFromRow, str, type Row } from "./records";
import { EXCHANGE_SELECT, RECEIPT_SELECT, type XrmWebApi } from "./XrmCrmGateway";

/** The part of `Xrm.WebApi.online` the ticket gateway uses: `execute` for SendEmail. */
export type XrmExecute = Pick<Xrm.WebApiOnline, "execute">;

/** The ticket panel's one request: the case, its customer's account and its exchanges of one direction. */
export function ticketPanelQuery(direction: ExchangeDirection, contactColumn = "primarycontactid"): string {
  return (
    `?$select=incidentid,ticketnumber,title,statecode,_customerid_value,_${contactColumn}_value,_ownerid_value` +
    // A contact customer's account is its parent account (DESIGN.md "Folder names").
    `&$expand=customerid_contact($select=contactid,_parentcustomerid_value),` +
    `${EXCHANGES_NAV}($select=${EXCHANGE_SELECT};$filter=cfx_direction eq ${direction})`
  );
}

const LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";

export function caseSummaryFromRow(row: Row, contactColumn = "primarycontactid"): CaseSummary {
  const customerTable = str(row, `_customerid_value${LOOKUP_TABLE}`);
  const customerName = formatted(row, "_customerid_value");
  const contact = row.customerid_contact as Row | null | undefined;
  const accountName = customerTable === "account" ? customerName : contact ? formatted(contact, "_parentcustomerid_value") : undefined;
  return {
    id: normalizeId(String(row.incidentid)),
    number: str(row, "ticketnumber") ?? null,
    title: str(row, "title") ?? "",
    customerName,
    accountName,
    contactId: str(row, `_${contactColumn}_value`),
    contactName: formatted(row, `_${contactColumn}_value`),
    ownerId: normalizeId(str(row, "_ownerid_value") ?? ""),
    ownerName: formatted(row, "_ownerid_value"),
    // Owner is polymorphic (user or team): the annotation names the table (Learn, Web API
    // "Select columns", Lookup property data). Xrm.WebApi returns every annotation.
    ownerIsTeam: str(row, `_ownerid_value${LOOKUP_TABLE}`) === "team",
    active: (num(row, "statecode") ?? 0) === 0,
  };
}

const EmailStatusCode = { draft: 1, sent: 3, pendingSend: 6 } as const;

function emailStatus(row: Row): EmailStatus {
  const status = num(row, "statuscode");
  if (status === EmailStatusCode.pendingSend) return "pending";
  return (num(row, "statecode") ?? 0) === 0 ? "draft" : "sent";
}

/**
 * A team's members: `teammembership_association` is the N:N between team and systemuser, with that
 * navigation property on both sides (Learn, Team table reference, Many-To-Many Relationships). One
 * level of `$expand` on a collection takes `$select`, `$filter`, `$orderby` and `$top` (Learn, Web
 * API "Join tables", Expand collection-valued navigation properties); Xrm.WebApi cannot address
 * `teams(<id>)/teammembership_association` itself, so the team is read with its members expanded.
 * Disabled users are left out: they cannot be told.
 */
export function teamMembersQuery(atMost: number): string {
  return (
    "?$select=teamid&$expand=teammembership_association(" +
    `$select=systemuserid,fullname;$filter=isdisabled eq false;$orderby=fullname asc;$top=${Math.max(1, Math.floor(atMost))})`
  );
}

/**
 * The ticket panel's reads and writes over Xrm.WebApi (received, never read from a global), as
 * the CrmGateway adapter does; every failure becomes a DataverseError saying what we were doing.
 */
export class XrmTicketGateway implements TicketGateway {
  constructor(
    private readonly webApi: XrmWebApi,
    private readonly online: XrmExecute,
    private readonly currentUserId: string,
    private readonly contactColumn = "primarycontactid",
  ) {}

  private async call<T>(operation: string, run: () => PromiseLike<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw toDataverseError(e, operation);
    }
  }

  async loadCaseWithExchanges(caseId: string, direction: ExchangeDirection): Promise<CaseWithExchanges> {
    const row = (await this.call("Reading the case", () =>
      this.webApi.retrieveRecord(incident.logicalName, normalizeId(caseId), ticketPanelQuery(direction, this.contactColumn)),
    )) as Row;
    const exchanges = (Array.isArray(row[EXCHANGES_NAV]) ? (row[EXCHANGES_NAV] as Row[]) : []).map(exchangeFromRow);
    return { case: caseSummaryFromRow(row, this.contactColumn), exchanges };
  }

  async getExchange(id: string): Promise<Exchange> {
    const row = (await this.call("Reading the exchange", () =>
      this.webApi.retrieveRecord(fileExchange.logicalName, normalizeId(id), `?$select=${EXCHANGE_SELECT}`),
    )) as Row;
    return exchangeFromRow(row);
  }

  async listReceipts(exchangeId: string): Promise<FileReceipt[]> {
    const id = normalizeId(exchangeId);
    const out: FileReceipt[] = [];
    let options: string | undefined = `?$select=${RECEIPT_SELECT}&$filter=_cfx_exchangeid_value eq ${id}`;
    while (options) {
      const page: Xrm.RetrieveMultipleResult = await this.call("Reading the uploaded files", () =>
        this.webApi.retrieveMultipleRecords("cfx_filereceipt", options),
      );
      out.push(...page.entities.map((r) => receiptFromRow(r as Row, id)));
      // nextLink's query part is passed back unchanged (dataverse.md §2).
      options = page.nextLink ? new URL(page.nextLink).search : undefined;
    }
    return out;
  }

  async createAppNotification(input: AppNotificationInput): Promise<void> {
    const url = `?pagetype=entityrecord&etn=${input.link.table}&id=${normalizeId(input.link.id)}`;
    const once = this.call("Notifying support in the app", () =>
      this.webApi.createRecord("appnotification", {
        // Derived from the event and the person: a retry's create is refused as a duplicate instead of notifying twice.
        appnotificationid: normalizeId(input.id),
        title: input.title,
        body: input.body,
        "ownerid@odata.bind": `/systemusers(${normalizeId(input.userId)})`,
        icontype: 100000000, // Info
        toasttype: 200000000, // Timed
        priority: 200000000, // Normal
        // The notification's action opens the case (in-app notifications' `data.actions`).
        data: JSON.stringify({ actions: [{ title: "Open case", data: { url, navigationTarget: "dialog" } }] }),
      }),
    );
    await once.catch((e: unknown) => {
      if (!(isDataverseError(e) && e.code === "duplicate")) throw e;
    });
  }

  async teamMembers(teamId: string, atMost: number): Promise<Person[]> {
    const row = (await this.call("Reading the members of the team that owns the case", () =>
      this.webApi.retrieveRecord("team", normalizeId(teamId), teamMembersQuery(atMost)),
    )) as Row;
    const members = Array.isArray(row.teammembership_association) ? (row.teammembership_association as Row[]) : [];
    return members
      .filter((m) => typeof m.systemuserid === "string")
      .map((m) => ({ id: normalizeId(String(m.systemuserid)), name: str(m, "fullname") ?? "" }));
  }

  async userEntraObjectId(userId: string): Promise<string | null> {
    const row = (await this.call("Reading the Microsoft Entra account of the case's owner", () =>
      this.webApi.retrieveRecord("systemuser", normalizeId(userId), "?$select=azureactivedirectoryobjectid"),
    )) as Row;
    const id = str(row, "azureactivedirectoryobjectid");
    return id ? normalizeId(id) : null;
  }

  async getEmail(id: string): Promise<EmailRef | null> {
    try {
      const row = (await this.call("Reading the e-mail", () =>
        this.webApi.retrieveRecord("email", normalizeId(id), "?$select=activityid,statecode,statuscode"),
      )) as Row;
      return { id: normalizeId(id), status: emailStatus(row) };
    } catch (e) {
      if (isDataverseError(e) && e.code === "notFound") return null;
      throw e;
    }
  }

  async createEmail(input: EmailInput): Promise<EmailRef> {
    const id = normalizeId(input.id);
    try {
      await this.call("Writing the e-mail", () =>
        this.webApi.createRecord("email", {
          // Derived from the event: a retry's create is refused as a duplicate key instead of writing a second e-mail.
          activityid: id,
          subject: input.subject,
          description: input.html,
          directioncode: true,
          "regardingobjectid_incident@odata.bind": `/incidents(${normalizeId(input.regardingCaseId)})`,
          // Activity parties: 1 Sender, 2 ToRecipient (Learn, ActivityParty table, Activity Party Types).
          email_activity_parties: [
            { "partyid_systemuser@odata.bind": `/systemusers(${normalizeId(this.currentUserId)})`, participationtypemask: 1 },
            ...input.toUserIds.map((to) => ({
              "partyid_systemuser@odata.bind": `/systemusers(${normalizeId(to)})`,
              participationtypemask: 2,
            })),
          ],
        }),
      );
      return { id, status: "draft" };
    } catch (e) {
      if (!(isDataverseError(e) && e.code === "duplicate")) throw e;
      // Written by an earlier attempt whose answer was lost: carry on from where that e-mail is.
      const existing = await this.getEmail(id);
      if (!existing) throw e;
      return existing;
    }
  }

  async sendEmail(emailId: string): Promise<EmailStatus> {
    const id = normalizeId(emailId);
    const request = {
      entity: { entityType: "email", id },
      IssueSend: true,
      getMetadata: () => ({
        boundParameter: "entity",
        parameterTypes: {
          entity: { typeName: "mscrm.email", structuralProperty: 5 },
          IssueSend: { typeName: "Edm.Boolean", structuralProperty: 1 },
        },
        operationType: 0,
        operationName: "SendEmail",
      }),
    };
    await this.call("Sending the e-mail", async () => {
      // Unified Interface resolves a fetch Response; treat anything without `ok: false` as done.
      const response = (await this.online.execute(request)) as { ok?: boolean; status?: number } | undefined;
      if (response?.ok === false) throw Object.assign(new Error(`SendEmail answered ${response.status}`), { status: response.status ?? 0 });
    });
    // The mailbox decides: Sent, or Pending Send until it is approved.
    const row = (await this.call("Reading the e-mail", () =>
      this.webApi.retrieveRecord("email", id, "?$select=statecode,statuscode"),
    )) as Row;
    return emailStatus(row);
  }
}
