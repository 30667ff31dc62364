import type { Exchange, FileReceipt } from "../domain/exchange";
import type { Person } from "../domain/notificationAudience";
import type { ExchangeDirection } from "../model";

/** The case behind a hardware ticket, as the ticket panel shows it. */
export interface CaseSummary {
  readonly id: string;
  /** `ticketnumber`: the folder name. */
  readonly number: string | null;
  readonly title: string;
  readonly customerName?: string;
  /** The account for the `{account}/{case}` layout: the customer when it is an account, else the contact's parent account. */
  readonly accountName?: string;
  readonly contactId?: string;
  readonly contactName?: string;
  /** A user's or a team's id: cases are often owned by a team (queues, routing). */
  readonly ownerId: string;
  readonly ownerName?: string;
  /** The owner is a team (`_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname` is "team"), not a person. */
  readonly ownerIsTeam?: boolean;
  /** false for a resolved or cancelled case (read-only in Dataverse). */
  readonly active: boolean;
}

/** A case and its live and past exchanges of one direction, read in one request. */
export interface CaseWithExchanges {
  readonly case: CaseSummary;
  readonly exchanges: readonly Exchange[];
}

export interface AppNotificationInput {
  /**
   * The notification's id, derived from the event and the person (`notificationRowId`): a second
   * create with it (a retry after a failure half-way) is refused as a duplicate and sends nothing.
   */
  readonly id: string;
  readonly userId: string;
  readonly title: string;
  readonly body: string;
  /** The record the notification opens (the case). */
  readonly link: { readonly table: "incident"; readonly id: string };
}

export interface EmailInput {
  /** The activity's id, derived from the event (`emailRowId`): a second create is refused as a duplicate. */
  readonly id: string;
  readonly regardingCaseId: string;
  /** Users in To (activity parties of type systemuser): the case's owner, or its owning team's members. */
  readonly toUserIds: readonly string[];
  readonly subject: string;
  /** HTML body: Dataverse stores e-mail descriptions as HTML. */
  readonly html: string;
}

/** `sent`: delivered by the mailbox; `pending`: waiting for an approved mailbox (server-side sync). */
export type EmailStatus = "draft" | "sent" | "pending";

export interface EmailRef {
  readonly id: string;
  readonly status: EmailStatus;
}

/**
 * The reads and writes of the hardware ticket panel that the CrmGateway starter does not have.
 * Implemented over Xrm.WebApi (src/adapters/xrm/XrmTicketGateway.ts).
 */
export interface TicketGateway {
  /** The case and its exchanges of the direction (one request). */
  loadCaseWithExchanges(caseId: string, direction: ExchangeDirection): Promise<CaseWithExchanges>;
  /** The exchange as it is now (stage, notified on, counts). */
  getExchange(id: string): Promise<Exchange>;
  listReceipts(exchangeId: string): Promise<FileReceipt[]>;
  createAppNotification(input: AppNotificationInput): Promise<void>;
  /**
   * The team's members who can be told (enabled users), ordered by name, at most `atMost`: one
   * request, made only when a team-owned case needs telling.
   */
  teamMembers(teamId: string, atMost: number): Promise<Person[]>;
  /**
   * The user's Microsoft Entra object id (`systemuser.azureactivedirectoryobjectid`), or null when
   * the user row has none (an application user, a user not synchronised from Entra ID).
   */
  userEntraObjectId(userId: string): Promise<string | null>;
  /** The e-mail activity with this id, or null when there is none. */
  getEmail(id: string): Promise<EmailRef | null>;
  /**
   * Creates the e-mail activity (from the caller, to the users, regarding the case) as a draft under
   * its id. When an earlier attempt created it (Dataverse refuses the id as a duplicate key), it
   * answers that e-mail as it is now, so a retry neither writes nor sends it twice.
   */
  createEmail(input: EmailInput): Promise<EmailRef>;
  /** `SendEmail` with IssueSend: resolves the status the e-mail ends in. */
  sendEmail(emailId: string): Promise<EmailStatus>;
}
