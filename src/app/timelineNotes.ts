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

export interface WriteNotesOptions {
  /** Attempts per note, the first included (default 3). */
  readonly attempts?: number;
  /** Waits between attempts; passed in so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Writes notes after an action that already happened (a share, a revocation): each is retried a
 * few times, and those that still fail are returned for the user to retry, so the action itself is
 * never repeated to get its note written. Every attempt writes the note under its one id, so an
 * attempt whose answer was lost after Dataverse wrote the note is not written again by the next.
 */
export async function writeNotes(
  crm: Pick<CrmGateway, "addNote">,
  notes: readonly PendingNote[],
  options: WriteNotesOptions = {},
): Promise<NotesOutcome> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  let written = 0;
  let refused = 0;
  const pending: PendingNote[] = [];
  let error: unknown;
  for (const n of notes) {
    for (let attempt = 1; ; attempt++) {
      try {
        if (await crm.addNote(n.target, n.note, n.id)) written++;
        else refused++;
        break;
      } catch (e) {
        if (attempt >= attempts) {
          pending.push(n);
          error ??= e;
          break;
        }
        await sleep(400 * attempt);
      }
    }
  }
  return { written, refused, pending, error };
}
