import { JobRunOutcome, type JobHost } from "../model/choices";

/** What one run of the retention job did, as the run records it. */
export interface JobRunCounts {
  readonly warned: number;
  readonly expired: number;
  readonly deleted: number;
  readonly permissionsRevoked: number;
  readonly recipientsRevoked: number;
  readonly orphans: number;
  readonly orphansDeleted: number;
  readonly failures: number;
}

/** One failure of a run, in the words of the job's report. */
export interface JobRunFailure {
  readonly step: string;
  readonly where?: string;
  readonly code: string;
  readonly status?: number;
  readonly message: string;
}

/** A run of the retention job, as recorded in Dataverse (`cfx_jobrun`). */
export interface JobRun {
  readonly id: string;
  readonly name: string;
  readonly host: JobHost;
  readonly outcome: JobRunOutcome;
  readonly startedOn: Date;
  readonly finishedOn: Date;
  readonly counts: JobRunCounts;
  /** The first failures, one a line, or the error that stopped the run. */
  readonly failureDetails?: string;
}

/** How many failures a run writes out; the rest are counted ("and 12 more"). */
export const MAX_LISTED_FAILURES = 10;
/** The text column's length (`cfx_failuredetails`). */
export const FAILURE_DETAILS_LENGTH = 4000;

/**
 * How a run ended. Failed: an error stopped it, or something failed and nothing was done (nothing
 * warned, revoked or deleted): the job is not doing its work, whatever the reason (a refused
 * permission, an unreachable site). Completed with failures: some work done, some failed (the next
 * run tries those again). Succeeded: nothing failed.
 */
export function jobRunOutcome(input: { readonly stoppedBy?: unknown; readonly counts: JobRunCounts }): JobRunOutcome {
  const c = input.counts;
  if (input.stoppedBy !== undefined) return JobRunOutcome.failed;
  if (c.failures === 0) return JobRunOutcome.succeeded;
  const done = c.warned + c.deleted + c.permissionsRevoked + c.recipientsRevoked + c.orphansDeleted;
  return done === 0 ? JobRunOutcome.failed : JobRunOutcome.completedWithFailures;
}

/** The first failures as lines of text, within the column's length. */
export function failureDetails(failures: readonly JobRunFailure[], stoppedBy?: string): string | undefined {
  const lines: string[] = [];
  if (stoppedBy) lines.push(`The run stopped: ${stoppedBy}`);
  for (const f of failures.slice(0, MAX_LISTED_FAILURES)) {
    lines.push(`${f.step}${f.where ? ` ${f.where}` : ""}: ${f.code}${f.status ? ` ${f.status}` : ""}: ${f.message}`);
  }
  if (failures.length > MAX_LISTED_FAILURES) lines.push(`… and ${failures.length - MAX_LISTED_FAILURES} more.`);
  if (lines.length === 0) return undefined;
  const text = lines.join("\n");
  return text.length <= FAILURE_DETAILS_LENGTH ? text : `${text.slice(0, FAILURE_DETAILS_LENGTH - 1)}…`;
}

/** What the dashboard says about the job. */
export type JobHealth =
  /** A run succeeded (or completed with failures) within the interval. */
  | { readonly state: "onTime"; readonly lastSuccess: JobRun; readonly dueBy: Date }
  /** No run succeeded within the interval: overdue since the last success's end plus the interval. */
  | { readonly state: "overdue"; readonly lastSuccess: JobRun; readonly overdueSince: Date }
  /** No run has ever succeeded (a new installation, or a job that never worked). */
  | { readonly state: "neverSucceeded" };

const HOUR_MS = 3_600_000;

/** A run that did its work: succeeded, or completed with some failures. */
export function isSuccessful(run: Pick<JobRun, "outcome">): boolean {
  return run.outcome !== JobRunOutcome.failed;
}

/**
 * Whether the job is on time: a successful run finished within `intervalHours` before `now`. A run
 * that fails before it reaches Dataverse (a refused token) cannot record itself, so being overdue
 * is judged from the successes alone, never from the failures that were recorded.
 */
export function jobHealth(lastSuccess: JobRun | undefined, now: Date, intervalHours: number): JobHealth {
  if (!lastSuccess) return { state: "neverSucceeded" };
  const due = new Date(lastSuccess.finishedOn.getTime() + intervalHours * HOUR_MS);
  if (now.getTime() <= due.getTime()) return { state: "onTime", lastSuccess, dueBy: due };
  return { state: "overdue", lastSuccess, overdueSince: due };
}
