import { ExchangeStage } from "../model";
import { ValidationError } from "./errors";
import type { Exchange } from "./exchange";

/** An exchange that records a folder, with its case's number when the reader may see it. */
export interface FolderHolder {
  readonly exchange: Pick<Exchange, "id" | "name" | "caseId" | "stage" | "folderPath" | "driveId" | "itemId">;
  readonly caseNumber?: string;
}

/** The folder that was already on SharePoint when a case asked for it. */
export type ExistingFolder = Pick<Exchange, "folderPath" | "driveId" | "itemId">;

const sameId = (a: string, b: string) => a.replace(/[{}]/g, "").toLowerCase() === b.replace(/[{}]/g, "").toLowerCase();

/**
 * Whether an exchange records this very folder: by drive item id in any stage (a deleted folder
 * restored from the recycle bin keeps its id and its files), or by path, ignoring letter case as
 * SharePoint does, while the exchange is not deleted (a deleted exchange's path may since hold a
 * new folder).
 */
function records(holder: FolderHolder, folder: ExistingFolder): boolean {
  const x = holder.exchange;
  const byId = !!folder.itemId && x.itemId === folder.itemId && (!x.driveId || !folder.driveId || x.driveId === folder.driveId);
  const byPath = x.stage !== ExchangeStage.deleted && x.folderPath.toLowerCase() === folder.folderPath.toLowerCase();
  return byId || byPath;
}

/**
 * Before a case adopts a folder that was already on SharePoint: refuses when an exchange of another
 * case records it, since that folder holds another customer's files and sharing it would hand them
 * over. The message names that case. Exchanges of the same case (a retry, an earlier exchange) are fine.
 */
export function checkFolderAdoption(folder: ExistingFolder, caseId: string, holders: readonly FolderHolder[]): void {
  const other = holders.find((h) => !sameId(h.exchange.caseId, caseId) && records(h, folder));
  if (!other) return;
  const whose = other.caseNumber ?? other.exchange.name;
  throw new ValidationError(
    "folderHeldByAnotherCase",
    `The folder "${folder.folderPath}" is already on SharePoint and is recorded by the exchange of case "${whose}", so it is not used for this case. Check both case numbers; a folder belongs to one case only.`,
    folder.folderPath,
  );
}
