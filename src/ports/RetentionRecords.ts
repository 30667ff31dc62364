import type { Exchange, Recipient } from "../domain/exchange";
import type { FileStatus } from "../model";
import type { RetentionSettings } from "../domain/expiry";
import type { CaseOwner, Person } from "../domain/notificationAudience";
import type { NoteInput, TimelineTarget } from "./CrmGateway";

/** An exchange as the retention job reads it. */
export type RetentionExchange = Pick<
  Exchange,
  | "id"
  | "name"
  | "caseId"
  | "direction"
  | "stage"
  | "folderPath"
  | "driveId"
  | "itemId"
  | "folderCreatedOn"
  | "expiresOn"
  | "warnedOn"
  | "deletedOn"
  | "ownerId"
> & {
  /**
   * The owner of the exchange's case, read with the exchange: who is warned before the folder goes
   * (the exchange itself belongs to whoever created it). Absent when the case could not be read.
   */
  readonly caseOwner?: CaseOwner;
  /** The row's `createdon` and `overriddencreatedon` (see `effectiveExpiry`). */
  readonly createdOn?: Date;
  readonly overriddenCreatedOn?: Date;
  /** The administrators' decisions and the confirmed removal (secured columns the job's profile reads). */
  readonly keptSince?: Date;
  readonly expiryOverride?: Date;
  readonly removedOn?: Date;
  /** The case's `statecode` (0 active, 1 resolved, 2 cancelled), read with the exchange; absent when the case could not be read. */
  readonly caseState?: number;
  /** The case's number and title, read with it (for the customer's e-mail when access ends). */
  readonly caseNumber?: string;
  readonly caseTitle?: string;
  /** When the job first saw the case resolved or cancelled (`cfx_caseclosedseenon`). */
  readonly caseClosedSeenOn?: Date;
};

/** A file's receipt as the retention job reads it: where the file is and an administrator's decision about it. */
export interface RetentionReceipt {
  readonly id: string;
  readonly exchangeId: string;
  /** The file's path inside the exchange's folder. */
  readonly name: string;
  readonly itemId?: string;
  /** Absent on receipts written before the status existed: in the folder. */
  readonly status?: FileStatus;
  /** Kept with no expiry by an administrator (secured). */
  readonly keptSince?: Date;
  /** The file's own date, set by an administrator (secured). */
  readonly expiryOverride?: Date;
}

/** A receipt read with its exchange's folder and case (one query for the whole run). */
export interface ReceiptWithExchange extends RetentionReceipt {
  readonly exchange: Pick<RetentionExchange, "id" | "name" | "caseId" | "driveId" | "itemId" | "folderPath">;
}

/** The columns of an exchange the job writes. `caseClosedSeenOn: null` clears the mark. */
export type ExchangeChanges = Partial<Pick<Exchange, "stage" | "warnedOn" | "deletedOn" | "removedOn">> & {
  readonly caseClosedSeenOn?: Date | null;
};

/** A team's name and its members who can be told (enabled users), ordered by name. */
export interface TeamMembers {
  readonly name?: string;
  readonly members: readonly Person[];
}

/** A live exchange's folder, for telling orphan folders apart. */
export interface ExchangeFolder {
  readonly folderPath?: string;
  readonly itemId?: string;
  /** Kept with no expiry by an administrator. */
  readonly kept: boolean;
}

/** The orphan folders a run found deletable, kept so that the next run may delete them. */
export interface OrphanReport {
  readonly reportedOn: Date;
  /** Item ids of orphans that were older than the retention when reported. */
  readonly deletable: readonly string[];
}

/** A write that must happen once even when a run is repeated after a crash. */
export interface OnceOptions {
  /** A stable key (e.g. `warn:<exchange id>`): a second write with the same key changes nothing. */
  readonly onceKey: string;
}

/** One of the job's writes, for `RetentionRecords.write` (the same writes as the single methods). */
export type RetentionWrite =
  | { readonly kind: "updateExchange"; readonly id: string; readonly changes: ExchangeChanges }
  /** A receipted file deleted (or found gone): its status and when. */
  | { readonly kind: "updateReceipt"; readonly id: string; readonly changes: { readonly status: FileStatus; readonly goneOn: Date } }
  /**
   * An e-mail activity to addresses (unresolved recipients), regarding a case, from the job's own
   * user, created under an id derived from `options.onceKey` (a second create is a duplicate: done).
   */
  | {
      readonly kind: "createEmail";
      readonly options: OnceOptions;
      readonly senderId: string;
      readonly to: readonly string[];
      readonly regardingCaseId: string;
      readonly subject: string;
      readonly html: string;
    }
  /** `SendEmail` for the e-mail created under `options.onceKey`; one already sent (or pending) counts as done. */
  | { readonly kind: "sendEmail"; readonly options: OnceOptions }
  | { readonly kind: "updateRecipient"; readonly id: string; readonly changes: Partial<Pick<Recipient, "revokedOn" | "reason">> }
  | { readonly kind: "addNote"; readonly target: TimelineTarget; readonly note: NoteInput; readonly options: OnceOptions }
  | {
      readonly kind: "notifyUser";
      readonly userId: string;
      readonly notification: { readonly title: string; readonly body: string };
      readonly options: OnceOptions;
    };

/**
 * What became of one write: done (a duplicate key counts as done), done-but-refused (a note an
 * inactive case will not take: expected, not a failure), or failed with the adapter's error.
 */
export type RetentionWriteOutcome = { readonly ok: true; readonly refused?: boolean } | { readonly ok: false; readonly error: unknown };

/**
 * Dataverse in the retention job's words. Implemented over the Web API with an app-only token
 * (src/adapters/dataverse/DataverseRetentionRecords.ts). Queries read every page.
 */
export interface RetentionRecords {
  /**
   * Exchanges whose removal is not confirmed, not kept by an administrator, whose effective expiry
   * (`effectiveExpiry`) is by `now`, or by `horizon` when not warned yet. The answer may hold a few
   * more (the caller decides with `retentionAction`), never fewer.
   */
  exchangesNeedingAttention(now: Date, horizon: Date, retention: RetentionSettings): Promise<RetentionExchange[]>;
  /**
   * Live exchanges whose case is resolved or cancelled, or that were seen so (`cfx_caseclosedseenon`
   * set), with the case's state, number and title read in the same query.
   */
  exchangesOfClosedCases(): Promise<RetentionExchange[]>;
  /**
   * Receipts of files in live exchanges' folders whose own date (an administrator's) is by `now` and
   * that are not kept: one query for the run, each with its exchange's folder and case.
   */
  receiptsDueOnTheirOwn(now: Date): Promise<ReceiptWithExchange[]>;
  /**
   * The receipts of these exchanges whose file is in the folder, and those with an administrator's
   * decision whatever their status (20 exchanges to a query).
   */
  receiptsOf(exchangeIds: readonly string[]): Promise<RetentionReceipt[]>;
  /** The job's own user (`WhoAmI`): the sender of its e-mails. */
  currentUserId(): Promise<string>;
  /**
   * The members of these teams, at most `atMost` per team, by team id (a team that cannot be found
   * is absent). Reads go 20 teams to a request: the cost grows with the teams, not the exchanges.
   */
  teamMembers(teamIds: readonly string[], atMost: number): Promise<ReadonlyMap<string, TeamMembers>>;
  /** Every exchange whose removal is not confirmed, kept ones included (for ending all access before the solution is removed). */
  exchangesNotDeleted(): Promise<RetentionExchange[]>;
  /** The folder of every exchange whose removal is not confirmed (kept ones included). */
  exchangeFolders(): Promise<ExchangeFolder[]>;
  /** Recipients of these exchanges whose access is not revoked yet. */
  activeRecipients(exchangeIds: readonly string[]): Promise<Recipient[]>;
  updateExchange(id: string, changes: ExchangeChanges): Promise<void>;
  updateRecipient(id: string, changes: Partial<Pick<Recipient, "revokedOn" | "reason">>): Promise<void>;
  /** Writes a note once per key; resolves false when the platform refuses it (an inactive case). */
  addNote(target: TimelineTarget, note: NoteInput, options: OnceOptions): Promise<boolean>;
  /** An in-app notification to a user, once per key. */
  notifyUser(userId: string, notification: { readonly title: string; readonly body: string }, options: OnceOptions): Promise<void>;
  /**
   * Independent writes at once (over the Web API: `$batch` requests of 20, each write its own
   * part). One failure does not stop the others; outcomes come back in the order of `writes`.
   */
  write(writes: readonly RetentionWrite[]): Promise<RetentionWriteOutcome[]>;
  /** The last orphan report a run saved, or null before the first. */
  lastOrphanReport(): Promise<OrphanReport | null>;
  saveOrphanReport(report: OrphanReport): Promise<void>;
}
