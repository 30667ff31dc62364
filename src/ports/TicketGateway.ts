import type { Exchange, FileReceipt } from "../domain/exchange";
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
  readonly ownerId: string;
  readonly ownerName?: string;
  /** false for a resolved or cancelled case (read-only in Dataverse). */
  readonly active: boolean;
}

/** A case and its live and past exchanges of one direction, read in one request. */
export interface CaseWithExchanges {
  readonly case: CaseSummary;
  readonly exchanges: readonly Exchange[];
}

export interface AppNotificationInput {
  readonly userId: string;
  readonly title: string;
  readonly body: string;
  /** The record the notification opens (the case). */
  readonly link: { readonly table: "incident"; readonly id: string };
  /**
   * What the notification is about, written once: a second create with the same key (a retry
   * after a failure half-way) leaves the first notification alone and sends nothing.
   */
  readonly onceKey: string;
}

export interface EmailInput {
  readonly regardingCaseId: string;
  readonly toUserId: string;
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
  /** The e-mail activity with this subject regarding the case, if one was created before. */
  findEmail(regardingCaseId: string, subject: string): Promise<EmailRef | null>;
  /** Creates the e-mail activity (from the caller, to the user, regarding the case) as a draft. */
  createEmail(input: EmailInput): Promise<EmailRef>;
  /** `SendEmail` with IssueSend: resolves the status the e-mail ends in. */
  sendEmail(emailId: string): Promise<EmailStatus>;
}
