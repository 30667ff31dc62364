import { ExchangeDirection, FileIntegrity } from "../model";
import { arrivalReceiptId, contentKeyOf } from "./arrivals";
import { receiptRowId } from "./recordIds";

/** A file as SharePoint lists it, for a receipt written by the panel. */
export interface ListedFile {
  readonly itemId: string;
  readonly path: string;
  readonly size: number;
  readonly quickXorHash?: string;
  readonly modifiedOn?: Date;
}

/**
 * The receipt id for a file that has none yet (the arrival check has not run, or the file was put
 * in by hand), derived as its writer would derive it: a customer's file as the arrival check does
 * (item and content), so that the check meets the same row instead of writing a second; a file in
 * a backup folder as an upload's receipt (path, item and content).
 */
export function receiptIdForListedFile(exchange: { readonly id: string; readonly direction: ExchangeDirection }, file: ListedFile): string {
  return exchange.direction === ExchangeDirection.filesFromCustomer
    ? arrivalReceiptId(file.itemId, contentKeyOf(file))
    : receiptRowId({ exchangeId: exchange.id, path: file.path, itemId: file.itemId, size: file.size, quickXorHash: file.quickXorHash });
}

/** The integrity a receipt written from SharePoint's listing records: its hash, or that it has none yet. */
export function listedIntegrity(file: Pick<ListedFile, "quickXorHash">): FileIntegrity {
  return file.quickXorHash ? FileIntegrity.recordedBySharePoint : FileIntegrity.hashPending;
}
