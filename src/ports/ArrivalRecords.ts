import type { ExchangeStage, FileIntegrity, FileStatus } from "../model";
import type { TimelineTarget } from "./CrmGateway";

/**
 * Dataverse in the arrival check's words: where the check left off in the library's change feed,
 * the open requests for files, their receipts, and the writes that record and report what the
 * customer sent. Implemented over the Web API with the job's app-only token
 * (src/adapters/dataverse/DataverseArrivalRecords.ts). Queries read every page.
 */

/** The one row per library that holds the check's place in the change feed. */
export interface LibraryCursor {
  readonly id: string;
  /** Graph's delta link; absent before the first run. */
  readonly link?: string;
  /** The row's version as read (`@odata.etag`), for advancing it with `If-Match`. */
  readonly etag: string;
  readonly advancedOn?: Date;
  /** The run that last advanced it. */
  readonly runId?: string;
}

/** Who owns a row: the agent who requested the files, or (rarely) a team. */
export interface RecordOwner {
  readonly kind: "user" | "team";
  readonly id: string;
}

/** An open request for files from the customer (direction files from customer, not removed). */
export interface ArrivalExchange {
  readonly id: string;
  /** The folder's name (the case number). */
  readonly name: string;
  readonly caseId: string;
  readonly stage: ExchangeStage;
  /** The folder's SharePoint item id, by which the change feed's files are placed. */
  readonly folderItemId: string;
  readonly folderPath?: string;
  /** Whoever requested the files (the exchange's owner): told of arrivals, owns the receipts. */
  readonly owner?: RecordOwner;
}

/** A receipt of a file in an exchange's folder, as stored. */
export interface StoredReceipt {
  readonly id: string;
  readonly exchangeId: string;
  readonly itemId?: string;
  /** The file's path inside the folder. */
  readonly name: string;
  readonly size: number;
  readonly quickXorHash?: string;
  readonly integrity?: FileIntegrity;
  readonly uploadedOn?: Date;
  readonly uploadedBy?: string;
  readonly batchId?: string;
  readonly status?: FileStatus;
  /** When the check reported it; absent while recorded but not reported. */
  readonly reportedOn?: Date;
}

/** A receipt the check writes for a file that arrived. */
export interface NewArrivalReceipt {
  readonly id: string;
  readonly exchangeId: string;
  readonly owner?: RecordOwner;
  readonly itemId: string;
  readonly path: string;
  readonly size: number;
  readonly quickXorHash?: string;
  readonly uploadedOn?: Date;
  readonly uploadedBy?: string;
  readonly batchId: string;
}

/** One write of the check. Every create carries an id derived from the batch, so a repeat is refused as a duplicate. */
export type ArrivalWrite =
  | { readonly kind: "createReceipt"; readonly receipt: NewArrivalReceipt }
  | {
      readonly kind: "updateReceipt";
      readonly id: string;
      readonly changes: { readonly status?: FileStatus; readonly goneOn?: Date; readonly reportedOn?: Date };
    }
  | { readonly kind: "updateExchange"; readonly id: string; readonly changes: { readonly stage: ExchangeStage } }
  | {
      readonly kind: "addNote";
      readonly id: string;
      readonly target: TimelineTarget;
      readonly note: { readonly subject: string; readonly text: string };
    }
  | {
      readonly kind: "notifyUser";
      readonly id: string;
      readonly userId: string;
      readonly title: string;
      readonly body: string;
      /** The case the notification's action opens. */
      readonly caseId: string;
    }
  | {
      readonly kind: "createEmail";
      readonly id: string;
      readonly caseId: string;
      readonly fromUserId: string;
      readonly toUserIds: readonly string[];
      readonly subject: string;
      readonly html: string;
    };

/** Done (a duplicate of a keyed create counts as done; `refused`: a note an inactive case will not take), or failed. */
export type ArrivalWriteOutcome = { readonly ok: true; readonly refused?: boolean } | { readonly ok: false; readonly error: unknown };

export interface ArrivalRecords {
  /** The library's cursor row, or null before the first run. */
  cursor(id: string): Promise<LibraryCursor | null>;
  /**
   * Moves the cursor on to `link`, only if the row is still the version read (`If-Match`), or
   * creates it when there was none. "lost": another run advanced (or created) it first; this run's
   * own write, whose answer was lost and whose repeat met its own new version, still counts as
   * "advanced" (recognised by `runId`).
   */
  advanceCursor(input: {
    readonly id: string;
    readonly name: string;
    readonly link: string;
    readonly runId: string;
    readonly now: Date;
    /** The version read; absent when there was no row. */
    readonly etag?: string;
  }): Promise<"advanced" | "lost">;
  /**
   * Open requests for files: direction files from customer, removal not confirmed, stage shared,
   * files received or inviting, with a folder. With `only`, those whose folder or id is listed
   * (the cost grows with the changes); without, all of them.
   */
  openUploadExchanges(only?: {
    readonly folderItemIds: readonly string[];
    readonly exchangeIds: readonly string[];
  }): Promise<ArrivalExchange[]>;
  /** Receipts of these SharePoint items (any exchange). */
  receiptsOfItems(itemIds: readonly string[]): Promise<StoredReceipt[]>;
  /** Every receipt of a file still in its folder (for a complete listing, to find what is gone). */
  receiptsInFolders(): Promise<StoredReceipt[]>;
  /** Receipts the check wrote and has not reported yet (a run stopped between recording and telling). */
  unreportedReceipts(): Promise<StoredReceipt[]>;
  /** The job's own user id (WhoAmI): the sender of the arrival e-mail. */
  jobUserId(): Promise<string>;
  /** Independent writes (over the Web API: `$batch` requests of 20); outcomes in the order of `writes`. */
  write(writes: readonly ArrivalWrite[]): Promise<ArrivalWriteOutcome[]>;
  /** `SendEmail` for a draft e-mail; an e-mail already sent (a repeat) counts as done. */
  sendEmail(id: string): Promise<void>;
}
