import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import JSZip from "jszip";
import { functionPackage, hostJson } from "../../solution/functionPackage";
import { retentionJobClientId } from "../../sandbox/identity/clients";
import { tenantId } from "../../sandbox/seed/people";
import { JobHost, JobRunOutcome } from "../../src/model";
import { startSandbox, type TestSandbox } from "./support/sandbox";

jest.setTimeout(180_000);

// What the Functions worker provides as `@azure/functions-core`: it records the registrations.
const fakeWorkerCore = `
const registered = [];
module.exports = {
  setProgrammingModel(model) { globalThis.programmingModel = model; },
  registerFunction(metadata, handler) { registered.push({ metadata, handler }); return { dispose() {} }; },
  registered,
};
`;

// Loads the app as the worker does (package.json "main"), then fires the timer once.
const fireTimer = `
const pkg = require("./app/package.json");
require("./app/" + pkg.main);
const core = require("@azure/functions-core");
const lines = [];
const context = Object.fromEntries(
  ["log", "info", "warn", "error", "debug", "trace"].map((level) => [level, (...args) => lines.push({ level, text: args.join(" ") })]),
);
const [fn] = core.registered;
Promise.resolve(fn.handler({ isPastDue: false, scheduleStatus: {} }, context)).then(
  () => process.stdout.write(JSON.stringify({ model: globalThis.programmingModel.name, functions: core.registered.map((r) => r.metadata), lines })),
  (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); },
);
`;

let sb: TestSandbox;
let dir: string;
let zip: JSZip;

beforeAll(async () => {
  [sb, zip] = await Promise.all([startSandbox(), functionPackage("0.1.0").then((bytes) => JSZip.loadAsync(bytes))]);
  dir = mkdtempSync(join(tmpdir(), "cfx-function-app-"));
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    mkdirSync(dirname(join(dir, "app", name)), { recursive: true });
    writeFileSync(join(dir, "app", name), await entry.async("nodebuffer"));
  }
  mkdirSync(join(dir, "node_modules/@azure/functions-core"), { recursive: true });
  writeFileSync(join(dir, "node_modules/@azure/functions-core/index.js"), fakeWorkerCore);
  writeFileSync(join(dir, "fire.js"), fireTimer);
});

afterAll(async () => {
  await sb?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the retention job's Azure Functions package", () => {
  it("holds host.json, package.json and one bundled script, and nothing else", () => {
    expect(Object.keys(zip.files).sort()).toEqual(["dist/index.js", "host.json", "package.json"]);
  });

  it("registers the daily timer and the arrival check's, and runs a sweep against the sandbox from the zip alone (no node_modules)", async () => {
    const identity = join(sb.dataDir, "identity");
    const child = spawn(process.execPath, ["fire.js"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
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
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const out = JSON.parse(stdout) as {
      model: string;
      functions: { name: string; bindings: Record<string, { type: string; schedule: string }> }[];
      lines: { level: string; text: string }[];
    };
    expect(out.model).toBe("@azure/functions");
    expect(out.functions).toHaveLength(2);
    expect(out.functions[0].name).toBe("cfxRetention");
    expect(Object.values(out.functions[0].bindings)).toEqual([expect.objectContaining({ type: "timerTrigger", schedule: "0 15 2 * * *" })]);
    // The arrival check's own timer: every 15 minutes unless CFX_ARRIVALS_SCHEDULE says otherwise.
    expect(out.functions[1].name).toBe("cfxArrivals");
    expect(Object.values(out.functions[1].bindings)).toEqual([
      expect.objectContaining({ type: "timerTrigger", schedule: "0 */15 * * * *" }),
    ]);
    const reports = out.lines.filter((l) => l.text.includes('"event":"cfx-retention-report"'));
    expect(reports).toHaveLength(1);
    const report = JSON.parse(reports[0].text) as { complete: boolean; counts: Record<string, number>; failures: unknown[] };
    // It read the seeded exchanges and folders, wrote what was due, and nothing failed: a clean run logs, not warns.
    expect(reports[0].level).toBe("log");
    expect(report).toMatchObject({ complete: true, failures: [] });
    expect(report.counts.kept).toBeGreaterThanOrEqual(1);
    // The run recorded itself, as run by the Functions host, where the supervisors' dashboard reads it.
    const runs = await sb.fetchAs("supervisor", `${sb.dataverse}cfx_jobruns?$select=cfx_outcome&$filter=cfx_host eq ${JobHost.functions}`);
    expect(((await runs.json()) as { value: unknown[] }).value).toEqual([
      expect.objectContaining({ cfx_outcome: JobRunOutcome.succeeded }),
    ]);
  });

  it("gives a run the Consumption plan's longest time", () => {
    expect(hostJson.functionTimeout).toBe("00:10:00");
  });
});
