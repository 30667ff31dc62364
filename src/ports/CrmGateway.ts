import type { Exchange, Recipient, FileReceipt } from "../domain/exchange";
import type { FolderHolder } from "../domain/folderAdoption";
import type { FolderRef } from "./DocumentLibrary";

export type { FolderHolder };

/** A record a note can be written to: the timeline of a case, a ticket or an exchange. */
export interface TimelineTarget {
  readonly table: "incident" | "cfx_hardwareticket" | "cfx_fileexchange";
  readonly id: string;
}

export interface NoteInput {
  readonly subject: string;
  readonly text: string;
}

/** The signed-in Dynamics user, as the panels need them. */
export interface CurrentUser {
  readonly id: string;
  readonly name: string;
  /** systemuser.domainname: the sign-in name MSAL uses as login hint. */
  readonly signInName?: string;
  readonly roleIds: readonly string[];
  readonly languageCode: number;
}

/**
 * Dataverse in the product's words. Implemented over Xrm.WebApi in the panels (src/adapters/xrm)
 * and over the Web API with app-only tokens in the retention job (src/adapters/dataverse).
 * Panel-specific reads are added by the use cases that need them.
 */
export interface CrmGateway {
  /**
   * Creates the exchange under the id it is given (derived from what it records, see
   * domain/recordIds.ts). Creates, here and below, count as done when a row with that id is
   * already there: an earlier attempt wrote it and its answer was lost.
   */
  createExchange(
    input: Omit<Exchange, "fileCount" | "totalBytes"> & Partial<Pick<Exchange, "fileCount" | "totalBytes">>,
  ): Promise<Exchange>;
  updateExchange(id: string, changes: Partial<Omit<Exchange, "id" | "caseId" | "direction">>): Promise<void>;
  /** Records one invitation under its derived id (an access-list row). */
  addRecipient(input: Recipient): Promise<Recipient>;
  updateRecipient(id: string, changes: Partial<Omit<Recipient, "id" | "exchangeId">>): Promise<void>;
  /** Records one finished upload under its derived id. */
  addReceipt(input: FileReceipt): Promise<FileReceipt>;
  /**
   * Changes a receipt: what became of the file, or an administrator's decision about it (the
   * secured columns, which Dataverse refuses to anyone outside the administrators' profile).
   */
  updateReceipt(id: string, changes: Partial<Omit<FileReceipt, "id" | "exchangeId">>): Promise<void>;
  /**
   * The exchanges, of any case and stage, that record this folder by its item id or its path
   * (ignoring letter case), as far as the user may read them. Asked only when a folder a use case
   * meant to create was already there, so it costs nothing on the common path.
   */
  exchangesRecordingFolder(folder: Pick<FolderRef, "driveId" | "itemId" | "path">): Promise<FolderHolder[]>;
  /**
   * Writes a note with the id it is given (derived from the event it records, see
   * domain/recordIds.ts): a note with this id already on record counts as written, so a retry
   * after a lost answer writes nothing twice. Resolves false when the platform refuses it on an
   * inactive record.
   */
  addNote(target: TimelineTarget, note: NoteInput, id: string): Promise<boolean>;
}
