import type { Exchange, FileReceipt } from "../domain/exchange";
import { listedIntegrity, receiptIdForListedFile } from "../domain/listedFileReceipt";
import { FileStatus } from "../model";
import type { StoredFile } from "../ports/DocumentLibrary";
import type { CasePorts } from "./casePorts";

/** One file of an exchange's folder as a file-level action receives it: SharePoint's listing and its receipt, if any. */
export interface CaseFile {
  /** The library's drive the folder is in. */
  readonly driveId: string;
  readonly file: StoredFile;
  /** The file's latest receipt; absent when none was written yet. */
  readonly receipt?: FileReceipt;
}

/**
 * The id of the file's receipt, writing one first when the file has none (the arrival check has not
 * run yet, or someone put the file in by hand in SharePoint): what SharePoint lists, under the id
 * its usual writer derives, so a second attempt, or the arrival check later, meets the same row.
 */
export async function ensureReceipt(ports: Pick<CasePorts, "crm">, exchange: Exchange, input: CaseFile): Promise<string> {
  if (input.receipt) return input.receipt.id;
  const f = input.file;
  const receipt: FileReceipt = {
    id: receiptIdForListedFile(exchange, { ...f, modifiedOn: f.modifiedOn }),
    exchangeId: exchange.id,
    path: f.path,
    itemId: f.itemId,
    size: f.size,
    ...(f.quickXorHash ? { quickXorHash: f.quickXorHash } : {}),
    integrity: listedIntegrity(f),
    uploadedOn: f.createdOn,
    ...((f.createdByEmail ?? f.createdBy) ? { uploader: f.createdByEmail ?? f.createdBy } : {}),
    status: FileStatus.inFolder,
  };
  return (await ports.crm.addReceipt(receipt)).id;
}
