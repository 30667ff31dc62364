import { recordJobRun } from "../../../src/app/recordJobRun";
import { sweepExpired } from "../../../src/app/sweepExpired";
import type { JobRun } from "../../../src/domain/jobHealth";
import type { RetentionRuleSettings } from "../../../src/domain/retention";
import { JobHost, JobRunOutcome } from "../../../src/model";
import type { Clock } from "../../../src/ports/Clock";
import type { JobRunLog } from "../../../src/ports/JobRuns";
import { FakeError, FakeInventory, FakeRecords } from "./fakes";

const DAY = 86_400_000;
const business = new Date("2027-03-01T02:15:00Z");
const settings: RetentionRuleSettings = {
  backupRetentionDays: 30,
  uploadRetentionDays: 7,
  warningDays: 3,
  permanentDelete: false,
  deleteOrphans: false,
  backupRoot: "Customer Data Migration",
  uploadRoot: "External Data Transfer",
  folderLayout: "{case}",
  caseNumberPattern: "^CAS-[0-9]{4,}-[A-Z0-9]{6}$",
};

/** `cfx_jobrun` with real state: one row per id; a second create with the same id changes nothing, as Dataverse's duplicate key. */
class FakeJobRuns implements JobRunLog {
  readonly rows = new Map<string, JobRun>();
  creates = 0;
  /** Errors the next creates throw, in order. */
  readonly refuse: Error[] = [];
  async record(run: JobRun): Promise<void> {
    this.creates++;
    const error = this.refuse.shift();
    if (error) throw error;
    if (!this.rows.has(run.id)) this.rows.set(run.id, run);
  }
}

/** Real time that moves 90 seconds per reading: the run's duration. */
function ticking(start: string): Clock {
  let t = new Date(start).getTime();
  return { now: () => new Date((t += 90_000) - 90_000) };
}

function world() {
  const records = new FakeRecords();
  const folders = new FakeInventory();
  const runs = new FakeJobRuns();
  const exchange = (id: string, ageDays: number) => {
    const created = new Date(business.getTime() - ageDays * DAY);
    const path = `Customer Data Migration/CAS-0${id.padStart(4, "0")}-ABCDEF`;
    const itemId = folders.addFolder(path, created);
    records.addExchange({
      id,
      name: path.split("/")[1],
      folderPath: path,
      itemId,
      folderCreatedOn: created,
      expiresOn: new Date(created.getTime() + 30 * DAY),
    });
  };
  const run = (wall = ticking("2027-03-01T02:15:07Z"), host: JobHost = JobHost.functions) =>
    recordJobRun(runs, () => sweepExpired({ records, folders }, { now: () => business }, { settings }), {
      host,
      hostLabel: "Functions",
      clock: { now: () => business },
      wallClock: wall,
    });
  return { records, folders, runs, exchange, run };
}

test("a run records itself: business-time stamps, the outcome, the counts and its host", async () => {
  const w = world();
  w.exchange("1", 28);
  w.exchange("2", 31);
  const report = await w.run();
  expect(report.failures).toEqual([]);
  expect([...w.runs.rows.values()]).toEqual([
    expect.objectContaining({
      name: "Retention run 2027-03-01 02:15 UTC (Functions)",
      host: JobHost.functions,
      outcome: JobRunOutcome.succeeded,
      startedOn: business,
      finishedOn: new Date(business.getTime() + 90_000),
      counts: expect.objectContaining({ warned: 1, expired: 1, deleted: 1, failures: 0 }),
      failureDetails: undefined,
    }),
  ]);
});

test("the run's id comes from its host and real start: the same run written again is one row, the next run another", async () => {
  const w = world();
  const wall = "2027-03-01T02:15:07Z";
  await w.run(ticking(wall));
  await w.run(ticking(wall));
  expect(w.runs.creates).toBe(2);
  expect(w.runs.rows.size).toBe(1);
  await w.run(ticking("2027-03-02T02:15:07Z"));
  await w.run(ticking(wall), JobHost.cli);
  expect(w.runs.rows.size).toBe(3);
});

test("a run whose deletions are refused records that it failed, with what failed", async () => {
  const w = world();
  w.exchange("1", 31);
  w.folders.failDelete.add(w.records.exchanges.get("1")!.folderPath);
  const report = await w.run();
  expect(report.failures).toHaveLength(1);
  const [row] = w.runs.rows.values();
  expect(row.outcome).toBe(JobRunOutcome.failed);
  expect(row.counts).toEqual(expect.objectContaining({ expired: 1, deleted: 0, failures: 1 }));
  expect(row.failureDetails).toMatch(/^delete Customer Data Migration\/CAS-00001-ABCDEF: /);
});

test("some done and some failed is recorded as completed with failures", async () => {
  const w = world();
  w.exchange("1", 31);
  w.exchange("2", 31);
  w.folders.failDelete.add(w.records.exchanges.get("2")!.folderPath);
  await w.run();
  const [row] = w.runs.rows.values();
  expect(row.outcome).toBe(JobRunOutcome.completedWithFailures);
  expect(row.counts).toEqual(expect.objectContaining({ deleted: 1, failures: 1 }));
});

test("a run that throws is recorded as failed with its error, and the error still reaches the host", async () => {
  const runs = new FakeJobRuns();
  const boom = new FakeError("invalidResponse", 200);
  const wall = ticking("2027-03-01T02:15:07Z");
  await expect(
    recordJobRun(runs, () => Promise.reject(boom), {
      host: JobHost.cli,
      hostLabel: "CLI",
      clock: { now: () => business },
      wallClock: wall,
    }),
  ).rejects.toBe(boom);
  const [row] = runs.rows.values();
  expect(row.outcome).toBe(JobRunOutcome.failed);
  expect(row.failureDetails).toBe("The run stopped: invalidResponse: fake invalidResponse");
});

test("a run that cannot be recorded keeps its work and reports the failed record", async () => {
  const w = world();
  w.exchange("1", 31);
  w.runs.refuse.push(new FakeError("privilege", 403));
  const lines: string[] = [];
  const report = await recordJobRun(
    w.runs,
    () => sweepExpired({ records: w.records, folders: w.folders }, { now: () => business }, { settings }),
    { host: JobHost.sandbox, hostLabel: "sandbox", clock: { now: () => business }, log: (l) => lines.push(l) },
  );
  expect(report.counts.deleted).toBe(1);
  expect(report.failures).toEqual([
    { step: "record", code: "privilege", status: 403, message: "The run could not be recorded in Dataverse: privilege: fake privilege" },
  ]);
  expect(report.counts.failures).toBe(1);
  expect(lines).toEqual(["The run could not be recorded in Dataverse: privilege: fake privilege"]);
  expect(w.runs.rows.size).toBe(0);
});
