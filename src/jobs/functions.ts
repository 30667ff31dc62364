import { app, type InvocationContext, type Timer } from "@azure/functions";
import { appOnlyTokens } from "./appOnlyTokens";
import { createRetentionJob, type RetentionJob } from "./createRetentionJob";
import { exitCodeFor, ExitCode } from "./exitCodes";
import { readJobConfig, type Env } from "./jobConfig";
import { JobHost } from "../model/choices";

/** Builds the job from the app settings (the real wiring; tests pass their own). */
export type JobFactory = (env: Env) => Promise<{
  readonly job: Pick<RetentionJob, "run"> & Partial<Pick<RetentionJob, "endAllAccess" | "checkArrivals">>;
  readonly maxMinutes?: number;
  /** CFX_RETENTION_END_ALL_ACCESS: end every guest's access instead of sweeping. */
  readonly endAllAccess?: boolean;
}>;

const realJob: JobFactory = async (env) => {
  const config = readJobConfig(env);
  const job = await createRetentionJob({
    dataverseUrl: config.dataverseUrl,
    tokens: appOnlyTokens(config),
    host: JobHost.functions,
  });
  return { job, maxMinutes: config.maxMinutes, endAllAccess: config.endAllAccess };
};

/**
 * Azure Functions host (v4 programming model): a timer runs the same job as the CLI. On the
 * Consumption plan a run is stopped after 5 minutes by default (10 at most), so the job stops
 * starting new work after CFX_RETENTION_MAX_MINUTES (default 4) and the next run continues.
 * The report is logged as one JSON line (a warning when something failed or is left); a job that
 * cannot start throws, so the invocation shows as failed. With CFX_RETENTION_END_ALL_ACCESS set, it
 * ends every guest's access instead (before the solution is removed).
 */
export function retentionTimer(factory: JobFactory = realJob, env: Env = process.env) {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const started = Date.now();
    const { job, maxMinutes, endAllAccess } = await factory(env);
    const deadline = new Date(started + (maxMinutes ?? 4) * 60_000);
    const options = { clock: { now: () => new Date() }, deadline, log: (line: string) => context.debug(line) };
    // Before the solution is removed, CFX_RETENTION_END_ALL_ACCESS turns the timer into
    // `--end-all-access`: run it (Code + Test, or the next schedule) until the report shows nothing left.
    if (endAllAccess && !job.endAllAccess) throw new Error("This job cannot end all access.");
    const report = endAllAccess && job.endAllAccess ? await job.endAllAccess(options) : await job.run(options);
    // One JSON line: Application Insights keeps it as a trace that can be queried.
    const event = "command" in report ? "cfx-retention-end-all-access-report" : "cfx-retention-report";
    const line = JSON.stringify({ event, ...report });
    if (exitCodeFor(report) === ExitCode.ok) context.log(line);
    else context.warn(line);
  };
}

/**
 * The arrival check on its own timer, more often than the daily sweep: the agent hears of the
 * customer's files within minutes. The report is logged as one JSON line; a check that cannot
 * start throws, so the invocation shows as failed. Not recorded as a run of the retention job.
 */
export function arrivalsTimer(factory: JobFactory = realJob, env: Env = process.env) {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const { job } = await factory(env);
    if (!job.checkArrivals) throw new Error("This job cannot check for arrivals.");
    const report = await job.checkArrivals({ clock: { now: () => new Date() }, log: (line: string) => context.debug(line) });
    const line = JSON.stringify({ event: "cfx-arrivals-report", ...report });
    if (report.failures.length === 0) context.log(line);
    else context.warn(line);
  };
}

/** The arrival check's schedule: the app setting CFX_ARRIVALS_SCHEDULE (NCRONTAB with seconds), else every 15 minutes. */
export function arrivalsSchedule(env: Env = process.env): string {
  return env.CFX_ARRIVALS_SCHEDULE?.trim() || "0 */15 * * * *";
}

app.timer("cfxRetention", {
  // NCRONTAB with seconds; daily at 02:15 UTC unless the app setting says otherwise.
  schedule: process.env.CFX_RETENTION_SCHEDULE ?? "0 15 2 * * *",
  runOnStartup: false,
  handler: retentionTimer(),
});

app.timer("cfxArrivals", {
  // A timer's schedule is read when the Functions host starts, so it is an app setting, not a
  // Dataverse one: changing it restarts the app, as changing any app setting does.
  schedule: arrivalsSchedule(),
  runOnStartup: false,
  handler: arrivalsTimer(),
});
