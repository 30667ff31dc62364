import type { CrmGateway, NoteInput, TimelineTarget } from "../ports/CrmGateway";

/** A note to write on one timeline. */
export interface PendingNote {
  readonly target: TimelineTarget;
  readonly note: NoteInput;
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
 * never repeated to get its note written.
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
        if (await crm.addNote(n.target, n.note)) written++;
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
