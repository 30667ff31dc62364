import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { allowedFileActions } from "../domain/fileActions";
import type { CaseActor, CasePorts } from "./casePorts";
import type { CaseFile } from "./fileReceipt";

/** Where the browser fetches a download: passed in by the host. */
export interface Downloads {
  start(url: string): void;
}

/**
 * Downloads one file: SharePoint's short-lived download address, read fresh from the item, handed
 * to the browser. A file flagged as malware is never offered, and SharePoint refuses it anyway if
 * it was flagged since the panel read the folder (the adapter says `malwareDetected`). Nothing is
 * written: SharePoint's audit log records who downloaded what.
 */
export async function downloadFile(
  ports: Pick<CasePorts, "library">,
  downloads: Downloads,
  input: CaseFile & { readonly exchange: Exchange; readonly actor: CaseActor },
): Promise<void> {
  const { exchange, file, actor } = input;
  const allowed = allowedFileActions(
    {
      direction: exchange.direction,
      stage: exchange.stage,
      inFolder: true,
      flagged: file.malware !== undefined,
      kept: false,
      hasLink: true,
    },
    actor.roles,
  );
  if (!allowed.includes("downloadFile"))
    throw new ValidationError(
      "actionNotAllowed",
      file.malware ? `SharePoint found malware in "${file.path}": it is not downloaded.` : `"${file.path}" cannot be downloaded now.`,
      "downloadFile",
    );
  downloads.start(await ports.library.downloadAddress({ driveId: input.driveId, itemId: file.itemId }));
}
