import type { Exchange, FileReceipt, Recipient } from "../domain/exchange";
import type { ContactInfo } from "../domain/recipientPolicy";
import type { IncidentState } from "../model";

/** The case, as the case panel shows it. */
export interface CaseRecord {
  readonly id: string;
  /** The case number (ticketnumber), the folder's name. */
  readonly number: string;
  readonly title: string;
  readonly state: IncidentState;
  /** "Problem Solved", "Cancelled", … when Dataverse formats it. */
  readonly statusLabel?: string;
  /** The responsible contact, from the column the contactColumn setting names; null when empty. */
  readonly contact: ContactInfo | null;
  readonly ownerId: string;
}

/** An access-list row with the names of the people who acted. */
export interface RecipientRecord extends Recipient {
  readonly invitedByName?: string;
  readonly revokedByName?: string;
}

/** A receipt with the uploader's name. */
export interface ReceiptRecord extends FileReceipt {
  readonly uploadedByName?: string;
}

/** An exchange with everything the panel shows about it from Dataverse. */
export interface ExchangeRecord {
  readonly exchange: Exchange;
  /** The hardware ticket's number when the exchange started on one ("being prepared by HWT-00012"). */
  readonly ticketName?: string;
  readonly createdByName?: string;
  readonly createdOn?: Date;
  readonly recipients: readonly RecipientRecord[];
  readonly receipts: readonly ReceiptRecord[];
}

/** What the case panel reads from Dataverse when it opens. */
export interface CasePanelData {
  readonly case: CaseRecord;
  /** Newest first. */
  readonly exchanges: readonly ExchangeRecord[];
}

/** What one user may do to one case's record, as Dataverse's record security answers it. */
export interface CaseAccess {
  readonly read: boolean;
  /** Attaching records to the case: an exchange (its case lookup) and notes need it. */
  readonly appendTo: boolean;
  readonly write: boolean;
}

/** The case panel's read: the case, its contact and its exchanges with recipients and receipts, in ONE request. */
export interface CaseReads {
  loadCasePanel(caseId: string, contactColumn: string): Promise<CasePanelData>;
  /** The user's rights on the case's record (Dataverse's RetrievePrincipalAccess), asked before anything is written for it. */
  accessToCase(caseId: string, userId: string): Promise<CaseAccess>;
}
