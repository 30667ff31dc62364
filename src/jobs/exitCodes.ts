import type { SweepReport } from "../app/sweepExpired";

/**
 * Exit codes a scheduler can act on (cron, Task Scheduler, a pipeline):
 * 0 everything due was done; 1 some items failed (they are retried on the next run);
 * 2 bad command line; 3 the job could not run at all (configuration, sign-in, settings,
 * Dataverse or Graph unreachable); 4 the deadline stopped the run with work left (run again soon).
 */
export const ExitCode = { ok: 0, someFailed: 1, usage: 2, couldNotRun: 3, incomplete: 4 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for a finished run (a sweep, or ending all access): failures first (they need a look), then an unfinished pass. */
export function exitCodeFor(report: Pick<SweepReport, "failures" | "complete">): ExitCode {
  if (report.failures.length > 0) return ExitCode.someFailed;
  if (!report.complete) return ExitCode.incomplete;
  return ExitCode.ok;
}
