import type { ExchangeDirection, ExchangeStage, FileIntegrity, FileStatus, RecipientRole } from "../model";

/** The product's roles, as recognised from the user's security roles. */
export type Role = "agent" | "specialist" | "supervisor" | "administrator";

/** One SharePoint folder and what the product knows about it (a `cfx_fileexchange` row). */
export interface Exchange {
  readonly id: string;
  /** The folder's name: the case number. */
  readonly name: string;
  readonly caseId: string;
  readonly ticketId?: string;
  readonly direction: ExchangeDirection;
  readonly stage: ExchangeStage;
  /** Path under the library, e.g. `Customer Data Migration/CAS-01234-A1B2C3`. */
  readonly folderPath: string;
  readonly driveId?: string;
  readonly itemId?: string;
  readonly webUrl?: string;
  readonly folderCreatedOn?: Date;
  /** `null`: kept with no expiry. */
  readonly expiresOn: Date | null;
  readonly expiryReason?: string;
  readonly readyOn?: Date;
  readonly notifiedOn?: Date;
  readonly sharedOn?: Date;
  readonly warnedOn?: Date;
  readonly deletedOn?: Date;
  /**
   * An administrator's Keep with no expiry (`cfx_keptsince`, secured): when set, the retention job
   * never deletes the folder. Read as absent by anyone outside the administrators' and the job's
   * field security profiles; `null` clears it.
   */
  readonly keptSince?: Date | null;
  /** An administrator's expiry (`cfx_expiryoverride`, secured), which the retention job follows; `null` clears it. */
  readonly expiryOverride?: Date | null;
  /** When the job or an administrator removed the folder (`cfx_removedon`, secured): the job's own "deleted". */
  readonly removedOn?: Date;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly ownerId: string;
  readonly createdById?: string;
}

/** A person outside the organization with access to an exchange's folder. */
export interface Recipient {
  readonly id: string;
  readonly exchangeId: string;
  readonly email: string;
  readonly role: RecipientRole;
  readonly permissionId?: string;
  readonly invitedOn?: Date;
  readonly invitedBy?: string;
  readonly revokedOn?: Date;
  readonly revokedBy?: string;
  readonly reason?: string;
}

/** A finished upload, as checked against the hash SharePoint reported. */
export interface FileReceipt {
  readonly id: string;
  readonly exchangeId: string;
  /** Path inside the exchange's folder. */
  readonly path: string;
  readonly itemId?: string;
  readonly size: number;
  readonly quickXorHash?: string;
  readonly integrity: FileIntegrity;
  readonly uploadedOn: Date;
  readonly uploadedBy?: string;
  /** Who put the file into the folder as SharePoint reports it (`cfx_uploadedby`): the guest's address for a customer's file. */
  readonly uploader?: string;
  /** The arrival batch that claimed the file (`cfx_batchid`); absent for the service team's uploads. */
  readonly batchId?: string;
  /** What became of the file (`cfx_filestatus`); absent counts as in the folder. */
  readonly status?: FileStatus;
  /** When the file was replaced, deleted, removed or expired (`cfx_filegoneon`). */
  readonly goneOn?: Date;
  /** An administrator keeps this one file with no expiry (`cfx_keptsince`, secured); `null` clears it. */
  readonly keptSince?: Date | null;
  /** This one file's own expiry, set by an administrator (`cfx_expiryoverride`, secured); `null` clears it. */
  readonly expiryOverride?: Date | null;
}
