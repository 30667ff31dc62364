import type { SweepReport } from "./sweepExpired";
import { failureDetails, jobRunOutcome, type JobRun, type JobRunCounts } from "../domain/jobHealth";
import { jobRunRowId } from "../domain/recordIds";
import type { JobHost } from "../model/choices";
import { systemClock, type Clock } from "../ports/Clock";
import type { JobRunLog } from "../ports/JobRuns";

export interface RecordJobRunOptions {
  readonly host: JobHost;
  /** The host's name in the run's title ("Functions", "CLI", "sandbox"). */
  readonly hostLabel: string;
  /** The business clock the run decides by (the sandbox's clock, or `--now`). */
  readonly clock: Clock;
  /** Real time, for the run's duration and its id. */
  readonly wallClock?: Clock;
  /** Told when the run could not be recorded (the run's own outcome stands). */
  readonly log?: (line: string) => void;
}

const JOB = "retention";

/**
 * Runs one sweep and records it in Dataverse (`cfx_jobrun`): started and finished, the outcome,
 * the counts and the first failures, under an id derived from the host and the instant it started.
 * Stamps are in the run's business time (started at `clock`, finished after the real time it took),
 * so a run decided as of `--now`, or in the sandbox, is dated as it decided. A run that throws is
 * recorded as failed with its error, then the error goes on to the host. When the record itself
 * cannot be written, the report gains a failure saying so (and the dashboard will say the job is
 * overdue if that lasts).
 */
export async function recordJobRun<R extends SweepReport>(log: JobRunLog, run: () => Promise<R>, options: RecordJobRunOptions): Promise<R> {
  const wall = options.wallClock ?? systemClock;
  const startedAt = wall.now();
  const startedOn = options.clock.now();
  let report: R | undefined;
  let stoppedBy: unknown;
  try {
    report = await run();
  } catch (e) {
    stoppedBy = e ?? new Error("The run stopped.");
  }
  const finishedOn = new Date(startedOn.getTime() + Math.max(0, wall.now().getTime() - startedAt.getTime()));
  const counts: JobRunCounts = report
    ? {
        warned: report.counts.warned,
        expired: report.counts.expired,
        deleted: report.counts.deleted,
        permissionsRevoked: report.counts.permissionsRevoked,
        recipientsRevoked: report.counts.recipientsRevoked,
        orphans: report.counts.orphans,
        orphansDeleted: report.counts.orphansDeleted,
        failures: report.failures.length,
      }
    : { warned: 0, expired: 0, deleted: 0, permissionsRevoked: 0, recipientsRevoked: 0, orphans: 0, orphansDeleted: 0, failures: 1 };
  const entry: JobRun = {
    id: jobRunRowId({ job: JOB, host: String(options.host), startedAt }),
    name: `Retention run ${startedOn.toISOString().slice(0, 16).replace("T", " ")} UTC (${options.hostLabel})`,
    host: options.host,
    outcome: jobRunOutcome({ stoppedBy, counts }),
    startedOn,
    finishedOn,
    counts,
    failureDetails: failureDetails(
      (report?.failures ?? []).map((f) => ({
        step: f.step,
        where: f.path ?? f.exchangeId,
        code: f.code,
        status: f.status,
        message: f.message,
      })),
      stoppedBy === undefined ? undefined : messageOf(stoppedBy),
    ),
  };
  let recordError: unknown;
  try {
    await log.record(entry);
  } catch (e) {
    recordError = e ?? new Error("The run could not be recorded.");
    options.log?.(`The run could not be recorded in Dataverse: ${messageOf(recordError)}`);
  }
  if (stoppedBy !== undefined || !report) throw stoppedBy;
  if (recordError === undefined) return report;
  const e = recordError as { code?: unknown; status?: unknown };
  const failures = [
    ...report.failures,
    {
      step: "record" as const,
      code: typeof e.code === "string" ? e.code : "error",
      ...(typeof e.status === "number" ? { status: e.status } : {}),
      message: `The run could not be recorded in Dataverse: ${messageOf(recordError)}`,
    },
  ];
  return { ...report, failures, counts: { ...report.counts, failures: failures.length } };
}

function messageOf(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `${typeof code === "string" ? `${code}: ` : ""}${e.message}`;
  }
  return String(e);
}
