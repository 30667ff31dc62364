import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { validateExpiryChange } from "../domain/expiry";
import { allowedActions, type Action } from "../domain/lifecycle";
import type { CaseRecord } from "../ports/CaseReads";
import type { CaseActor, CasePorts } from "./casePorts";
import { caseNoteSubjects, expiryChangedNoteText } from "./caseWording";
import { eventInstant } from "../domain/recordIds";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

export interface ChangeExpiryInput {
  readonly caseRecord: CaseRecord;
  readonly exchange: Exchange;
  /** The new expiry instant, or `null` to keep the folder with no expiry. */
  readonly expiresOn: Date | null;
  readonly reason: string;
  readonly actor: CaseActor;
}

export interface ChangeExpiryOutcome {
  readonly expiresOn: Date | null;
  readonly reason: string;
  readonly notes: NotesOutcome;
}

/**
 * The administrator's Keep with no expiry / Change expiry: checks the role, stage and input
 * (a reason, a date in the future), writes the new expiry and the reason on the exchange (the
 * announced date and the administrator's secured decision), and notes
 * it on the exchange's and the case's timelines. A resolved case refuses its note; that is expected.
 */
export async function changeExpiry(ports: CasePorts, input: ChangeExpiryInput): Promise<ChangeExpiryOutcome> {
  const { exchange, actor } = input;
  const now = ports.clock.now();
  const action: Action = input.expiresOn === null ? "keepWithoutExpiry" : "changeExpiry";
  if (
    !allowedActions({ direction: exchange.direction, stage: exchange.stage, expiresOn: exchange.expiresOn }, actor.roles, now).includes(
      action,
    )
  )
    throw new ValidationError(
      "actionNotAllowed",
      action === "keepWithoutExpiry"
        ? "Keeping this folder with no expiry is not possible now, or not with your role (administrators only)."
        : "Changing this folder's expiry is not possible now, or not with your role (administrators only).",
      action,
    );
  const change = validateExpiryChange({ expiresOn: input.expiresOn, reason: input.reason }, now);
  // The announced date is what panels and views show; the secured columns are what the retention
  // job follows, and Dataverse lets only the administrators' field security profile write them.
  await ports.crm.updateExchange(exchange.id, {
    expiresOn: change.expiresOn,
    expiryReason: change.reason,
    keptSince: change.expiresOn === null ? now : null,
    expiryOverride: change.expiresOn,
  });
  const note = {
    subject: change.expiresOn === null ? caseNoteSubjects.kept : caseNoteSubjects.expiryChanged,
    text: expiryChangedNoteText({
      by: actor.name,
      folderPath: exchange.folderPath,
      from: exchange.expiresOn,
      to: change.expiresOn,
      reason: change.reason,
    }),
  };
  // The same change may be made again later: the event carries its instant as well as the dates.
  const event = `expiry:${exchange.id}:${eventInstant(exchange.expiresOn)}:${eventInstant(change.expiresOn)}:${eventInstant(now)}`;
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      event,
      [
        { table: "cfx_fileexchange", id: exchange.id },
        { table: "incident", id: input.caseRecord.id },
      ],
      note,
    ),
  );
  return { expiresOn: change.expiresOn, reason: change.reason, notes };
}
