import type { Clock } from "../ports/Clock";
import { appOnlyTokens } from "./appOnlyTokens";
import { createRetentionJob, type CreateRetentionJobOptions } from "./createRetentionJob";
import { ExitCode, exitCodeFor } from "./exitCodes";
import { formatArrivalsReport } from "./formatArrivalsReport";
import { formatEndAllAccessReport } from "./formatEndAllAccessReport";
import { formatReport } from "./formatReport";
import { readJobConfig, type Env } from "./jobConfig";
import { JobHost } from "../model/choices";

const USAGE = `Usage: cfx-retention [--dry-run] [--now <ISO date-time>] [--max-minutes <n>] [--json] [--verbose]
       cfx-retention --arrivals-only [--dry-run] [--now <ISO date-time>] [--json] [--verbose]
       cfx-retention --end-all-access [--dry-run] [--max-minutes <n>] [--json] [--verbose]

Reports the files customers put into their upload folders to the agents who requested them (the
arrival check), then warns the owners of cases whose folders are about to expire, revokes access to
and deletes expired folders, and reports orphan folders (deleting them only when the orphan setting
is on), as docs/retention.md describes.

With --arrivals-only, only the arrival check runs (docs/retention.md, "Files from the customer"):
each batch of new files gets receipts, a note on the case, a notification to the agent (and an
e-mail with cfx_ArrivalEmail on), and the request moves to files received. It is not recorded as a
run of the retention job.

With --end-all-access, before the solution is removed (docs/deploy.md, "Removing the solution"):
for every exchange not deleted, removes every direct permission on its folder, marks its recipients
revoked, sets its stage to revoked and notes it on the exchange and the case; then removes the
direct permissions of every folder under the two roots that no exchange records. Deletes nothing.
A second run finds nothing to do.

  --arrivals-only    only the arrival check (see above)
  --end-all-access   end every guest's access (see above) instead of the retention sweep
  --dry-run          decide and report, change nothing
  --now <instant>    decide as of this instant instead of the machine's clock (e.g. 2027-01-01T00:00:00Z)
  --max-minutes <n>  start no new work after n minutes (default CFX_RETENTION_MAX_MINUTES, else none)
  --json             print the report as JSON
  --verbose          print each step as it happens (to stderr)

Configuration: CFX_DATAVERSE_URL, CFX_TENANT_ID, CFX_CLIENT_ID, CFX_CERTIFICATE_PATH, CFX_PRIVATE_KEY_PATH
(or CFX_CERTIFICATE_PEM, CFX_PRIVATE_KEY_PEM), CFX_AUTHORITY (optional).

Exit codes: 0 done; 1 some items failed (retried next run); 2 bad command line; 3 could not run;
4 stopped at the deadline with work left.`;

export interface CliArgs {
  readonly dryRun: boolean;
  readonly now?: Date;
  readonly maxMinutes?: number;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly endAllAccess: boolean;
  readonly arrivalsOnly: boolean;
}

/** Parses the command line; throws an Error whose message is for the user. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args: { -readonly [K in keyof CliArgs]: CliArgs[K] } = {
    dryRun: false,
    json: false,
    verbose: false,
    help: false,
    endAllAccess: false,
    arrivalsOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case "--dry-run":
        args.dryRun = true;
        break;
      case "--json":
        args.json = true;
        break;
      case "--end-all-access":
        args.endAllAccess = true;
        break;
      case "--arrivals-only":
        args.arrivalsOnly = true;
        break;
      case "--verbose":
      case "-v":
        args.verbose = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      case "--now": {
        const v = value();
        const d = new Date(v);
        if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new Error(`--now must be an ISO date-time, not "${v}".`);
        args.now = d;
        break;
      }
      case "--max-minutes": {
        const v = value();
        const n = Number(v);
        if (!(n > 0)) throw new Error(`--max-minutes must be a positive number, not "${v}".`);
        args.maxMinutes = n;
        break;
      }
      default:
        throw new Error(`Unknown option ${a}.`);
    }
  }
  if (args.arrivalsOnly && args.endAllAccess) throw new Error("--arrivals-only and --end-all-access cannot be combined.");
  return args;
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Replaces the real job wiring (tests). */
  readonly jobOptions?: Partial<CreateRetentionJobOptions>;
  readonly wallClock?: Clock;
}

/** Runs the CLI; resolves with the exit code (the bin script passes it to the process). */
export async function runCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  if (args.help) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const wall = io.wallClock ?? { now: () => new Date() };
  const started = wall.now();
  const log = args.verbose ? (line: string) => io.err(`[${wall.now().toISOString()}] ${line}`) : undefined;
  let job;
  try {
    const config = readJobConfig(env);
    const maxMinutes = args.maxMinutes ?? config.maxMinutes;
    job = {
      maxMinutes,
      job: await createRetentionJob({
        dataverseUrl: config.dataverseUrl,
        tokens: appOnlyTokens(config),
        host: JobHost.cli,
        onRequest: log ? (r) => log(`${r.api} ${r.method} ${r.status} ${r.url}`) : undefined,
        ...io.jobOptions,
      }),
    };
  } catch (e) {
    io.err(`The retention job could not start: ${describe(e)}`);
    return ExitCode.couldNotRun;
  }
  const now = args.now;
  const clock: Clock = now ? { now: () => now } : { now: () => new Date() };
  const deadline = job.maxMinutes ? new Date(started.getTime() + job.maxMinutes * 60_000) : undefined;
  const options = { clock, dryRun: args.dryRun, deadline, log };
  try {
    if (args.arrivalsOnly) {
      const report = await job.job.checkArrivals(options);
      io.out(args.json ? JSON.stringify(report, null, 2) : formatArrivalsReport(report));
      return exitCodeFor({ failures: report.failures, complete: true });
    }
    if (args.endAllAccess) {
      const report = await job.job.endAllAccess(options);
      io.out(args.json ? JSON.stringify(report, null, 2) : formatEndAllAccessReport(report));
      return exitCodeFor(report);
    }
    const report = await job.job.run(options);
    io.out(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return exitCodeFor(report);
  } catch (e) {
    io.err(`The retention job stopped unexpectedly: ${describe(e)}`);
    return ExitCode.couldNotRun;
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : "";
    return `${typeof code === "string" ? `${code}: ` : ""}${e.message}${cause}`;
  }
  return String(e);
}
