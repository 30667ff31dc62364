import { app, type InvocationContext, type Timer } from "@azure/functions";
import { appOnlyTokens } from "./appOnlyTokens";
import { createRetentionJob, type RetentionJob } from "./createRetentionJob";
import { exitCodeFor, ExitCode } from "./exitCodes";
import { readJobConfig, type Env } from "./jobConfig";

/** Builds the job from the app settings (the real wiring; tests pass their own). */
export type JobFactory = (env: Env) => Promise<{ readonly job: Pick<RetentionJob, "run">; readonly maxMinutes?: number }>;

const realJob: JobFactory = async (env) => {
  const config = readJobConfig(env);
  const job = await createRetentionJob({ dataverseUrl: config.dataverseUrl, tokens: appOnlyTokens(config) });
  return { job, maxMinutes: config.maxMinutes };
};

/**
 * Azure Functions host (v4 programming model): a timer runs the same job as the CLI. On the
 * Consumption plan a run is stopped after 5 minutes by default (10 at most), so the job stops
 * starting new work after CFX_RETENTION_MAX_MINUTES (default 4) and the next run continues.
 * The report is logged as one JSON line (a warning when something failed or is left); a job that
 * cannot start throws, so the invocation shows as failed.
 */
export function retentionTimer(factory: JobFactory = realJob, env: Env = process.env) {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const started = Date.now();
    const { job, maxMinutes } = await factory(env);
    const deadline = new Date(started + (maxMinutes ?? 4) * 60_000);
    const report = await job.run({ clock: { now: () => new Date() }, deadline, log: (line) => context.debug(line) });
    // One JSON line: Application Insights keeps it as a trace that can be queried.
    const line = JSON.stringify({ event: "cfx-retention-report", ...report });
    if (exitCodeFor(report) === ExitCode.ok) context.log(line);
    else context.warn(line);
  };
}

app.timer("cfxRetention", {
  // NCRONTAB with seconds; daily at 02:15 UTC unless the app setting says otherwise.
  schedule: process.env.CFX_RETENTION_SCHEDULE ?? "0 15 2 * * *",
  runOnStartup: false,
  handler: retentionTimer(),
});
