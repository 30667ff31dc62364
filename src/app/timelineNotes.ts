import { noteRowId } from "../domain/recordIds";
import type { CrmGateway, NoteInput, TimelineTarget } from "../ports/CrmGateway";

/** A note to write on one timeline, with the id it is written under (the same for every attempt). */
export interface PendingNote {
  readonly target: TimelineTarget;
  readonly note: NoteInput;
  readonly id: string;
}

/** The same note about one event on several timelines, each with its id derived from the event and the timeline. */
export function notesAbout(event: string, targets: readonly TimelineTarget[], note: NoteInput): PendingNote[] {
  return targets.map((target) => ({ target, note, id: noteRowId(event, target) }));
}

/** What became of a set of notes: written, refused by an inactive record (expected), or still to write. */
export interface NotesOutcome {
  readonly written: number;
  /** Refused because the record is resolved/cancelled: expected, not a failure. */
  readonly refused: number;
  /** Notes that failed after retrying: shown to the user with "Write the notes again". */
  readonly pending: readonly PendingNote[];
  /** Why the first pending note failed. */
  readonly error?: unknown;
}

/**
 * Writes notes after an action that already happened (a share, a revocation); those that fail are
 * returned for the user to write again ("Write the notes again"), so the action itself is never
 * repeated to get its note written. Retrying is the gateway's: it sends each note under its one id
 * (a keyed create) by the product's retry policy, so an attempt whose answer was lost after
 * Dataverse wrote the note is not written twice (Dataverse refuses the duplicate, which counts as
 * written). A second loop here would only multiply the gateway's waits.
 */
export async function writeNotes(crm: Pick<CrmGateway, "addNote">, notes: readonly PendingNote[]): Promise<NotesOutcome> {
  let written = 0;
  let refused = 0;
  const pending: PendingNote[] = [];
  let error: unknown;
  for (const n of notes) {
    try {
      if (await crm.addNote(n.target, n.note, n.id)) written++;
      else refused++;
    } catch (e) {
      pending.push(n);
      error ??= e;
    }
  }
  return { written, refused, pending, error };
}
