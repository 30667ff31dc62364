import { InvocationContext, type Timer } from "@azure/functions";
import type { SweepReport } from "../../../src/app/sweepExpired";
import { arrivalsSchedule, arrivalsTimer, retentionTimer } from "../../../src/jobs/functions";
import { endAllAccessSetting } from "../../../src/jobs/jobConfig";

const report = (over: Partial<SweepReport> = {}): SweepReport => ({
  now: "2026-12-01T12:00:00.000Z",
  startedAt: "2026-12-01T12:00:00.000Z",
  finishedAt: "2026-12-01T12:00:01.000Z",
  dryRun: false,
  complete: true,
  counts: {
    warned: 0,
    expired: 1,
    permissionsRevoked: 1,
    recipientsRevoked: 1,
    deleted: 1,
    kept: 0,
    filesDeleted: 0,
    filesKept: 0,
    closedCasesSeen: 0,
    closedCasesReopened: 0,
    accessEndedCaseClosed: 0,
    orphans: 0,
    orphansDeleted: 0,
    unrecognised: 0,
    failures: 0,
  },
  orphans: [],
  unrecognised: [],
  failures: [],
  ...over,
});
const timer = { isPastDue: false, scheduleStatus: { last: "", next: "", lastUpdated: "" } } as Timer;

function context() {
  const lines: Array<{ level: string; text: string }> = [];
  const ctx = new InvocationContext({
    invocationId: "1",
    functionName: "cfxRetention",
    logHandler: (level, ...args) => lines.push({ level, text: String(args[0]) }),
  });
  return { ctx, lines };
}

test("the Functions timer runs the job with a deadline and logs the report as one JSON line", async () => {
  const { ctx, lines } = context();
  let deadline: Date | undefined;
  const before = Date.now();
  await retentionTimer(async () => ({ job: { run: async (o) => ((deadline = o.deadline), report()) }, maxMinutes: 4 }), {})(timer, ctx);
  expect(deadline!.getTime() - before).toBeGreaterThanOrEqual(4 * 60_000 - 50);
  expect(deadline!.getTime() - before).toBeLessThanOrEqual(4 * 60_000 + 1000);
  const info = lines.filter((l) => l.level === "information");
  expect(info).toHaveLength(1);
  expect(JSON.parse(info[0].text)).toMatchObject({ event: "cfx-retention-report", counts: { deleted: 1 } });
});

test("a run with failures is logged as a warning", async () => {
  const { ctx, lines } = context();
  const failed = report({ failures: [{ step: "delete", code: "resourceLocked", message: "locked" }] });
  await retentionTimer(async () => ({ job: { run: async () => failed } }), {})(timer, ctx);
  expect(lines.map((l) => l.level)).toContain("warning");
});

test("a job that cannot start fails the invocation", async () => {
  const { ctx } = context();
  await expect(retentionTimer(undefined, {})(timer, ctx)).rejects.toMatchObject({ name: "JobConfigError", code: "configMissing" });
});

test("with CFX_RETENTION_END_ALL_ACCESS set, the timer ends all access instead of sweeping, and logs that report", async () => {
  const { ctx, lines } = context();
  let swept = false;
  const job = {
    run: async () => ((swept = true), report()),
    endAllAccess: async () => ({
      command: "endAllAccess" as const,
      now: "2026-12-01T12:00:00.000Z",
      startedAt: "2026-12-01T12:00:00.000Z",
      finishedAt: "2026-12-01T12:00:01.000Z",
      dryRun: false,
      complete: true,
      counts: {
        exchanges: 2,
        ended: 2,
        permissionsRevoked: 3,
        recipientsRevoked: 1,
        otherFolders: 0,
        otherFoldersWithAccess: 0,
        failures: 0,
      },
      folders: [],
      failures: [],
    }),
  };
  await retentionTimer(async () => ({ job, endAllAccess: true }), {})(timer, ctx);
  expect(swept).toBe(false);
  const info = lines.filter((l) => l.level === "information");
  expect(JSON.parse(info[0].text)).toMatchObject({ event: "cfx-retention-end-all-access-report", counts: { ended: 2 } });
});

test("CFX_RETENTION_END_ALL_ACCESS is read from the app settings", () => {
  const base = { CFX_DATAVERSE_URL: "https://contoso.crm.dynamics.com", CFX_TENANT_ID: "t", CFX_CLIENT_ID: "c" };
  expect(endAllAccessSetting({ ...base, CFX_RETENTION_END_ALL_ACCESS: "true" })).toBe(true);
  expect(endAllAccessSetting({ ...base, CFX_RETENTION_END_ALL_ACCESS: "yes" })).toBe(true);
  expect(endAllAccessSetting({ ...base })).toBe(false);
  expect(() => endAllAccessSetting({ ...base, CFX_RETENTION_END_ALL_ACCESS: "maybe" })).toThrow(/CFX_RETENTION_END_ALL_ACCESS/);
});

test("the arrival check's own timer runs only the check, every 15 minutes unless CFX_ARRIVALS_SCHEDULE says otherwise", async () => {
  expect(arrivalsSchedule({})).toBe("0 */15 * * * *");
  expect(arrivalsSchedule({ CFX_ARRIVALS_SCHEDULE: "0 */5 * * * *" })).toBe("0 */5 * * * *");
  const { ctx, lines } = context();
  let swept = false;
  const arrivals = {
    now: "2026-12-01T12:00:00.000Z",
    dryRun: false,
    cursor: "advanced" as const,
    complete: false,
    resynced: false,
    counts: { changes: 2, batches: 1, exchangesTold: 1, files: 1, replaced: 0, deleted: 0, failures: 0 },
    failures: [],
    requests: { dataverse: 7, graph: 1 },
  };
  const job = { run: async () => ((swept = true), report()), checkArrivals: async () => arrivals };
  await arrivalsTimer(async () => ({ job }), {})(timer, ctx);
  expect(swept).toBe(false);
  const info = lines.filter((l) => l.level === "information");
  expect(JSON.parse(info[0].text)).toMatchObject({ event: "cfx-arrivals-report", counts: { batches: 1 } });
  // A check with failures is a warning.
  const failing = context();
  const failed = { ...arrivals, failures: [{ step: "arrivals" as const, code: "throttled", message: "later" }] };
  await arrivalsTimer(async () => ({ job: { ...job, checkArrivals: async () => failed } }), {})(timer, failing.ctx);
  expect(failing.lines.map((l) => l.level)).toContain("warning");
});
