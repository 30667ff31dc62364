import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { allowedFileActions } from "../domain/fileActions";
import { sharePointLink } from "../domain/folderLink";
import { FileStatus } from "../model";
import type { CaseRecord } from "../ports/CaseReads";
import type { CaseActor, CasePorts } from "./casePorts";
import { caseNoteSubjects, fileRemovedNoteText } from "./caseWording";
import { ensureReceipt, type CaseFile } from "./fileReceipt";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

export interface RemoveFileInput extends CaseFile {
  readonly caseRecord: CaseRecord;
  readonly exchange: Exchange;
  readonly actor: CaseActor;
}

export interface RemoveFileOutcome {
  readonly permanent: boolean;
  readonly notes: NotesOutcome;
}

/**
 * Removes one file from an exchange's folder before the folder expires: its receipt marked "removed
 * by support" with the time, the file deleted in SharePoint (to the recycle bin or permanently, by
 * the permanentDelete setting), and noted on the exchange's and the case's timelines. Each step is safe
 * to repeat: a file already gone counts as deleted, the receipt's id is derived, and the note's
 * event is the file's one removal.
 */
export async function removeFile(ports: CasePorts, input: RemoveFileInput): Promise<RemoveFileOutcome> {
  const { exchange, file, actor } = input;
  const allowed = allowedFileActions(
    {
      direction: exchange.direction,
      stage: exchange.stage,
      inFolder: true,
      flagged: file.malware !== undefined,
      kept: false,
      hasLink: sharePointLink(file.webUrl, ports.settings.siteUrl) !== undefined,
    },
    actor.roles,
  );
  if (!allowed.includes("removeFile"))
    throw new ValidationError(
      "actionNotAllowed",
      "Removing files from this folder is not possible now, or not with your role.",
      "removeFile",
    );
  const now = ports.clock.now();
  const permanent = ports.settings.permanentDelete;
  // The receipt first: should the delete fail, the panel still lists the file and offers Remove again;
  // were it the other way round, a failure after the delete would leave a file gone without a word.
  const receiptId = await ensureReceipt(ports, exchange, input);
  await ports.crm.updateReceipt(receiptId, { status: FileStatus.removed, goneOn: now });
  await ports.library.deleteFile({ driveId: input.driveId, itemId: file.itemId }, { permanent });
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      `fileRemoved:${exchange.id}:${file.itemId}`,
      [
        { table: "cfx_fileexchange", id: exchange.id },
        { table: "incident", id: input.caseRecord.id },
      ],
      {
        subject: caseNoteSubjects.fileRemoved,
        text: fileRemovedNoteText({ by: actor.name, path: file.path, size: file.size, folderPath: exchange.folderPath, permanent }),
      },
    ),
  );
  return { permanent, notes };
}
