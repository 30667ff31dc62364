import type { SweepReport } from "../../src/app/sweepExpired";
import { ExchangeDirection, ExchangeStage, JobHost, JobRunOutcome } from "../../src/model";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";

jest.setTimeout(180_000);

const DAY = 86_400_000;
let sb: TestSandbox;

type Row = Record<string, unknown>;
const dv = async (user: UserKey, path: string, init: RequestInit = {}) =>
  sb.fetchAs(user, sb.dataverse + path, {
    ...init,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      prefer: 'return=representation,odata.include-annotations="*"',
      ...(init.headers as Record<string, string>),
    },
  });
const rows = async (user: UserKey, path: string): Promise<Row[]> => {
  const r = await dv(user, path);
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { value: Row[] }).value;
};
const control = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(sb.origins.app + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status}`);
  return (await r.json()) as { now: string; swept?: boolean; result?: SweepReport };
};
/** Moves the sandbox clock and runs the retention job there, as its daily timer does. */
const sweep = (advanceDays = 0) => control("POST", "/_sandbox/clock", { advanceDays });
const runs = () =>
  rows(
    "supervisor",
    "cfx_jobruns?$select=cfx_name,cfx_host,cfx_outcome,cfx_startedon,cfx_finishedon,cfx_warned,cfx_deleted,cfx_expired,cfx_failures,cfx_failuredetails&$orderby=cfx_startedon desc",
  );

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await control("POST", "/_sandbox/reset");
});

test("a run records itself: host, outcome, counts and its stamps on the sandbox's clock, readable by the supervisor", async () => {
  expect(await runs()).toEqual([]);
  const swept = await sweep(31);
  const report = swept.result!;
  const [run, ...others] = await runs();
  expect(others).toEqual([]);
  expect(run).toEqual(
    expect.objectContaining({
      cfx_host: JobHost.sandbox,
      cfx_outcome: report.failures.length === 0 ? JobRunOutcome.succeeded : JobRunOutcome.completedWithFailures,
      "cfx_host@OData.Community.Display.V1.FormattedValue": "Sandbox clock",
      cfx_warned: report.counts.warned,
      cfx_deleted: report.counts.deleted,
      cfx_expired: report.counts.expired,
      cfx_failures: report.failures.length,
    }),
  );
  expect(report.counts.deleted).toBeGreaterThan(0);
  expect(String(run.cfx_name)).toMatch(/^Retention run \d{4}-\d\d-\d\d \d\d:\d\d UTC \(sandbox\)$/);
  // Stamped in the sandbox's time (31 days ahead), not the machine's.
  const started = new Date(String(run.cfx_startedon)).getTime();
  expect(Math.abs(started - new Date(swept.now).getTime())).toBeLessThan(60_000);
  expect(started - Date.now()).toBeGreaterThan(30 * DAY);
  expect(new Date(String(run.cfx_finishedon)).getTime()).toBeGreaterThanOrEqual(started);

  await sweep(1);
  expect(await runs()).toHaveLength(2);
});

test("a run whose deletion SharePoint refuses records that it failed, and what failed", async () => {
  // Whatever the seed has due is done first, so that the next run meets only the broken exchange.
  await sweep(0);
  const drive = (await (await sb.fetchAs("admin", `${sb.graph}sites/root/drive`)).json()) as { id: string };
  const root = (await (await sb.fetchAs("admin", `${sb.graph}drives/${drive.id}/root`)).json()) as { id: string };
  const [kase] = await rows("admin", "incidents?$select=incidentid&$filter=statecode eq 0&$top=1");
  // An exchange that records the library's root as its folder: SharePoint refuses to delete it (403).
  const created = await dv("admin", "cfx_fileexchanges", {
    method: "POST",
    body: JSON.stringify({
      cfx_name: "CAS-09999-BROKEN",
      "cfx_CaseId@odata.bind": `/incidents(${String(kase.incidentid)})`,
      cfx_direction: ExchangeDirection.backupForCustomer,
      cfx_stage: ExchangeStage.folderCreated,
      cfx_folderpath: "Customer Data Migration/CAS-09999-BROKEN",
      cfx_driveid: drive.id,
      cfx_itemid: root.id,
      cfx_foldercreatedon: new Date(Date.now() - 40 * DAY).toISOString(),
      cfx_expireson: new Date(Date.now() - 10 * DAY).toISOString(),
    }),
  });
  expect(created.status).toBe(201);

  // Runs stamped within the same second sort in any order: the new run is the one not there before.
  const before = new Set((await runs()).map((r) => String(r.cfx_jobrunid)));
  const report = (await sweep(0)).result!;
  expect(report.failures).toEqual([expect.objectContaining({ step: "delete", code: "accessDenied", status: 403 })]);
  const fresh = (await runs()).filter((r) => !before.has(String(r.cfx_jobrunid)));
  expect(fresh).toHaveLength(1);
  const [latest] = fresh;
  expect(latest).toEqual(
    expect.objectContaining({
      cfx_outcome: JobRunOutcome.failed,
      "cfx_outcome@OData.Community.Display.V1.FormattedValue": "Failed",
      cfx_expired: 1,
      cfx_deleted: 0,
      cfx_failures: 1,
    }),
  );
  expect(latest.cfx_failuredetails).toBe(
    `delete Customer Data Migration/CAS-09999-BROKEN: accessDenied 403: ${report.failures[0].message}`,
  );
});

test("agents and specialists cannot read the runs; supervisors and administrators can", async () => {
  await sweep(0);
  for (const user of ["agent", "specialist"] as const) {
    const r = await dv(user, "cfx_jobruns?$select=cfx_name");
    expect(r.status).toBe(403);
  }
  for (const user of ["supervisor", "admin"] as const) expect(await rows(user, "cfx_jobruns?$select=cfx_name")).toHaveLength(1);
});
