/**
 * What the job benches share: a bounded pool for seeding, and one run of `cfx-retention` (the
 * CLI, signed in with the sandbox's job certificate) at the sandbox clock's time, with the
 * requests the sandbox served during it.
 */
import { join } from "node:path";
import { runCli } from "../src/jobs/cli";
import { retentionJobClientId } from "../sandbox/identity/clients";
import { tenantId } from "../sandbox/seed/people";
import type { TestSandbox } from "../test/integration/support/sandbox";

/** One entry of the sandbox's request log (`GET /_sandbox/requests`). */
export interface LoggedRequest {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

/** Runs `tasks` with at most `n` at a time. */
export async function pool<T>(n: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

/** Runs the CLI with `args` (plus `--json --now <sandbox clock>`); answers its exit code, JSON report, time and the requests it caused. */
export async function runJob<R>(
  sb: TestSandbox,
  args: readonly string[],
): Promise<{ code: number; report: R; ms: number; log: LoggedRequest[] }> {
  await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });
  const now = ((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now;
  const identity = join(sb.dataDir, "identity");
  let out = "";
  const started = performance.now();
  const code = await runCli(
    [...args, "--json", "--now", now],
    {
      CFX_DATAVERSE_URL: sb.origins.app,
      CFX_TENANT_ID: tenantId,
      CFX_CLIENT_ID: retentionJobClientId,
      CFX_AUTHORITY: `${sb.origins.app}/identity`,
      CFX_CERTIFICATE_PATH: join(identity, "retention-job.cert.pem"),
      CFX_PRIVATE_KEY_PATH: join(identity, "retention-job.key.pem"),
    },
    { out: (t) => (out += t), err: (t) => process.stderr.write(`${t}\n`) },
  );
  const ms = Math.round(performance.now() - started);
  const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as LoggedRequest[];
  return { code, report: JSON.parse(out) as R, ms, log };
}
