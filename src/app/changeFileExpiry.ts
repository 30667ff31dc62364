import { FileStatus } from "../model";
import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { validateExpiryChange } from "../domain/expiry";
import { allowedFileActions, type FileAction } from "../domain/fileActions";
import { eventInstant } from "../domain/recordIds";
import type { CaseRecord } from "../ports/CaseReads";
import type { CaseActor, CasePorts } from "./casePorts";
import { caseNoteSubjects, fileExpiryNoteText } from "./caseWording";
import { ensureReceipt, type CaseFile } from "./fileReceipt";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

export interface ChangeFileExpiryInput extends CaseFile {
  readonly caseRecord: CaseRecord;
  readonly exchange: Exchange;
  /** The file's own expiry, or `null` to keep it with no expiry. */
  readonly expiresOn: Date | null;
  readonly reason: string;
  readonly actor: CaseActor;
}

export interface ChangeFileExpiryOutcome {
  readonly expiresOn: Date | null;
  readonly notes: NotesOutcome;
}

/**
 * The administrator keeps one file with no expiry, or gives it its own date, with a reason: written
 * in the file receipt's secured columns (`cfx_keptsince`, `cfx_expiryoverride`), which the
 * retention job follows and Dataverse lets only the administrators' field security profile write;
 * a file without a receipt gets one first (derived id). Noted on the exchange's and the case's
 * timelines.
 */
export async function changeFileExpiry(ports: CasePorts, input: ChangeFileExpiryInput): Promise<ChangeFileExpiryOutcome> {
  const { exchange, file, actor } = input;
  const now = ports.clock.now();
  const action: FileAction = input.expiresOn === null ? "keepFile" : "changeFileExpiry";
  const allowed = allowedFileActions(
    {
      direction: exchange.direction,
      stage: exchange.stage,
      inFolder: true,
      flagged: file.malware !== undefined,
      kept: !!input.receipt?.keptSince,
      hasLink: true,
    },
    actor.roles,
  );
  if (!allowed.includes(action))
    throw new ValidationError(
      "actionNotAllowed",
      action === "keepFile"
        ? `Keeping "${file.path}" with no expiry is not possible now, or not with your role (administrators only).`
        : `Giving "${file.path}" its own expiry is not possible now, or not with your role (administrators only).`,
      action,
    );
  const change = validateExpiryChange({ expiresOn: input.expiresOn, reason: input.reason }, now);
  const receiptId = await ensureReceipt(ports, exchange, input);
  await ports.crm.updateReceipt(receiptId, {
    keptSince: change.expiresOn === null ? now : null,
    expiryOverride: change.expiresOn,
    // The file is listed in the folder: a removal that never finished is over, so that the
    // retention job keeps the file rather than count it gone.
    ...(input.receipt?.status !== undefined && input.receipt.status !== FileStatus.inFolder ? { status: FileStatus.inFolder } : {}),
  });
  const from = input.receipt?.keptSince ? null : (input.receipt?.expiryOverride ?? exchange.expiresOn);
  const event = `fileExpiry:${exchange.id}:${file.itemId}:${eventInstant(change.expiresOn)}:${eventInstant(now)}`;
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      event,
      [
        { table: "cfx_fileexchange", id: exchange.id },
        { table: "incident", id: input.caseRecord.id },
      ],
      {
        subject: change.expiresOn === null ? caseNoteSubjects.fileKept : caseNoteSubjects.fileExpiryChanged,
        text: fileExpiryNoteText({
          by: actor.name,
          path: file.path,
          folderPath: exchange.folderPath,
          from,
          to: change.expiresOn,
          reason: change.reason,
        }),
      },
    ),
  );
  return { expiresOn: change.expiresOn, notes };
}
