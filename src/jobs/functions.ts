import { app, type InvocationContext, type Timer } from "@azure/functions";
import { appOnlyTokens } from "./appOnlyTokens";
import { createRetentionJob } from "./createRetentionJob";
import { exitCodeFor, ExitCode } from "./exitCodes";
import { readJobConfig } from "./jobConfig";

/**
 * Azure Functions host (v4 programming model): a timer runs the same job as the CLI. On the
 * Consumption plan a run is stopped after 5 minutes by default (10 at most), so the job stops
 * starting new work after CFX_RETENTION_MAX_MINUTES (default 4) and the next run continues.
 * The schedule is the app setting CFX_RETENTION_SCHEDULE (NCRONTAB, default 02:15 UTC daily),
 * and runs every hour in practice let a large backlog drain in passes.
 */
export async function retentionTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const started = Date.now();
  const config = readJobConfig(process.env);
  const job = await createRetentionJob({ dataverseUrl: config.dataverseUrl, tokens: appOnlyTokens(config) });
  const deadline = new Date(started + (config.maxMinutes ?? 4) * 60_000);
  const report = await job.run({ clock: { now: () => new Date() }, deadline, log: (line) => context.debug(line) });
  const code = exitCodeFor(report);
  // One JSON line: Application Insights keeps it as a trace that can be queried.
  const line = JSON.stringify({ event: "cfx-retention-report", ...report });
  if (code === ExitCode.ok) context.log(line);
  else context.warn(line);
}

app.timer("cfxRetention", {
  schedule: process.env.CFX_RETENTION_SCHEDULE ?? "0 15 2 * * *",
  runOnStartup: false,
  handler: retentionTimer,
});
