import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { retentionJobClientId } from "../../../sandbox/identity/clients";
import { tenantId } from "../../../sandbox/seed/people";
import type { TestSandbox } from "./sandbox";

const root = resolve(__dirname, "../../..");

/**
 * Runs `cfx-retention --json --now <sandbox clock> …extra` as a scheduler would, in a process of its
 * own, signed in with the job's certificate; answers the exit code and the JSON report.
 */
export async function runJobCli<R>(sb: TestSandbox, ...extra: string[]): Promise<{ code: number; report: R; stderr: string }> {
  const now = ((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now;
  const identity = join(sb.dataDir, "identity");
  const child = spawn(process.execPath, [join(root, "src/jobs/bin/cfx-retention.cjs"), "--json", "--now", now, ...extra], {
    cwd: root,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
      NODE_NO_WARNINGS: "1",
      CFX_DATAVERSE_URL: sb.origins.app,
      CFX_TENANT_ID: tenantId,
      CFX_CLIENT_ID: retentionJobClientId,
      CFX_AUTHORITY: `${sb.origins.app}/identity`,
      CFX_CERTIFICATE_PATH: join(identity, "retention-job.cert.pem"),
      CFX_PRIVATE_KEY_PATH: join(identity, "retention-job.key.pem"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((r) => child.on("exit", (c) => r(c ?? -1)));
  let report: R;
  try {
    report = JSON.parse(stdout) as R;
  } catch {
    throw new Error(`cfx-retention exited ${code} without a JSON report.\n${stdout}\n${stderr}`);
  }
  return { code, report, stderr };
}
