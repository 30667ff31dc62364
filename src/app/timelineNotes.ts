import { noteRowId } from "../domain/recordIds";
import { type Attempt, attemptFromFailure, runWithRetry } from "../domain/retry";
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
  /** Waits between attempts; passed in so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Writes notes after an action that already happened (a share, a revocation): each is retried
 * under the product's retry policy, and those that still fail are returned for the user to retry,
 * so the action itself is never repeated to get its note written. Every attempt writes the note
 * under its one id (a keyed create), so an attempt whose answer was lost after Dataverse wrote the
 * note is not written again by the next: Dataverse refuses it as a duplicate, which counts as
 * written. Throttling that reaches this far was already waited out below: it is not waited again.
 */
export async function writeNotes(
  crm: Pick<CrmGateway, "addNote">,
  notes: readonly PendingNote[],
  options: WriteNotesOptions = {},
): Promise<NotesOutcome> {
  const effects = { sleep: options.sleep ?? defaultSleep, now: () => Date.now(), random: () => Math.random() };
  let written = 0;
  let refused = 0;
  const pending: PendingNote[] = [];
  let error: unknown;
  for (const n of notes) {
    const result = await runWithRetry(() => crm.addNote(n.target, n.note, n.id), {
      idempotency: "keyed",
      classify: (outcome) => ("value" in outcome ? { kind: "answer", status: 200 } : notesFailure(outcome.error)),
      effects,
    });
    if ("value" in result) {
      if (result.value) written++;
      else refused++;
    } else {
      pending.push(n);
      error ??= result.error;
    }
  }
  return { written, refused, pending, error };
}

/** A failed note as an attempt; a throttled one ends the retries (the gateway already waited it out). */
function notesFailure(e: unknown): Attempt {
  const attempt = attemptFromFailure(e);
  return attempt.kind === "answer" && attempt.status === 429 ? { kind: "final" } : attempt;
}
