import { changeExpiry } from "../../src/app/changeExpiry";
import { loadCasePanel } from "../../src/app/loadCasePanel";
import type { SweepReport } from "../../src/app/sweepExpired";
import { ExchangeDirection, ExchangeStage, fieldSecurityProfiles } from "../../src/model";
import type { Clock } from "../../src/ports/Clock";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";
import { sandboxUser, casePorts as sharedCasePorts } from "./ticketSupport";

/**
 * The rules that protect customers' data, held by Dataverse itself (the sandbox enforcing column
 * security as Dataverse does) and by the retention job, whatever someone with Write on the row
 * sends through the Web API.
 */
jest.setTimeout(180_000);

const DAY = 86_400_000;
let sb: TestSandbox;

type Row = Record<string, unknown>;
const call = (user: UserKey, path: string, init: RequestInit = {}) =>
  sb.fetchAs(user, sb.dataverse + path, {
    ...init,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      prefer: "return=representation",
      ...(init.headers as Record<string, string>),
    },
  });
const dv = async (user: UserKey, path: string, init: RequestInit = {}): Promise<Row> => {
  const r = await call(user, path, init);
  if (!r.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? {} : ((await r.json()) as Row);
};
const patch = (user: UserKey, id: string, body: Row) =>
  sb.fetchAs(user, `${sb.dataverse}cfx_fileexchanges(${id})`, {
    method: "PATCH",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", accept: "application/json", "If-Match": "*" },
  });
const graph = (path: string, init: RequestInit = {}) =>
  sb.fetchAs("admin", sb.graph + path, { ...init, headers: { "content-type": "application/json" } });
const control = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(sb.origins.app + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status}`);
  return (await r.json()) as Record<string, unknown>;
};
const seg = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** Moves the sandbox clock and runs the retention job (the same job as the CLI and the Functions timer). */
async function sweepAfter(days: number): Promise<SweepReport> {
  const answer = (await control("POST", "/_sandbox/clock", { advanceDays: days })) as { swept: boolean; result?: SweepReport };
  expect(answer.swept).toBe(true);
  return answer.result!;
}

const folderExists = async (path: string) => {
  const drive = (await (await graph("sites/root/drive")).json()) as { id: string };
  return (await graph(`drives/${drive.id}/root:/${seg(path)}`)).status === 200;
};

/** A backup folder made now and its exchange, created by the agent through the Web API as Request files would. */
async function agentsExchange(caseNumber: string, extra: Row = {}): Promise<{ id: string; path: string; created: Date }> {
  const drive = (await (await graph("sites/root/drive")).json()) as { id: string };
  const made = await graph(`drives/${drive.id}/root:/${seg("Customer Data Migration")}:/children`, {
    method: "POST",
    body: JSON.stringify({ name: caseNumber, folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
  });
  expect(made.status).toBe(201);
  const folder = (await made.json()) as { id: string; createdDateTime: string };
  const [kase] = (await dv("agent", "incidents?$select=incidentid&$filter=statecode eq 0&$top=1")).value as Row[];
  const created = new Date(folder.createdDateTime);
  const path = `Customer Data Migration/${caseNumber}`;
  const exchange = await dv("agent", "cfx_fileexchanges", {
    method: "POST",
    body: JSON.stringify({
      cfx_name: caseNumber,
      "cfx_CaseId@odata.bind": `/incidents(${kase.incidentid})`,
      cfx_direction: ExchangeDirection.backupForCustomer,
      cfx_stage: ExchangeStage.shared,
      cfx_folderpath: path,
      cfx_driveid: drive.id,
      cfx_itemid: folder.id,
      cfx_foldercreatedon: created.toISOString(),
      cfx_expireson: new Date(created.getTime() + 30 * DAY).toISOString(),
      ...extra,
    }),
  });
  return { id: String(exchange.cfx_fileexchangeid), path, created };
}

const secured = "cfx_keptsince,cfx_expiryoverride,cfx_removedon";

const casePorts = (key: UserKey, clock: Clock) => sharedCasePorts(sb, key, { clock });

const sandboxClock = async (): Promise<Clock> => {
  const now = new Date(String((await control("GET", "/_sandbox/clock")).now));
  return { now: () => now };
};

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await control("POST", "/_sandbox/reset");
});

test("the zip's field security profiles are imported with their permissions; the seed put the administrator and the job's user in them", async () => {
  const profiles = (await dv("admin", "fieldsecurityprofiles?$select=fieldsecurityprofileid,name")).value as Row[];
  expect(profiles.map((p) => p.name).sort()).toEqual(["Case File Exchange Administrators", "Case File Exchange Retention Job"]);
  const permissions = (await dv("admin", "fieldpermissions?$select=entityname,attributelogicalname,canread,cancreate,canupdate"))
    .value as Row[];
  expect(permissions).toHaveLength(10);
  expect(permissions.filter((p) => p.canread === 4)).toHaveLength(10);
  expect(permissions.filter((p) => p.canupdate === 4).map((p) => p.attributelogicalname)).toEqual(
    expect.arrayContaining(["cfx_keptsince", "cfx_expiryoverride", "cfx_removedon"]),
  );
  const admin = sandboxUser("admin");
  const member = await dv("admin", `systemusers(${admin.id})?$select=systemuserid&$expand=systemuserprofiles_association($select=name)`);
  expect((member.systemuserprofiles_association as Row[]).map((p) => p.name)).toEqual(["Case File Exchange Administrators"]);
  // Nobody changes a profile or its members through the Web API but the platform's own screens.
  const refused = await call("admin", "fieldsecurityprofiles", { method: "POST", body: JSON.stringify({ name: "Mine" }) });
  expect(refused.status).toBe(403);
  expect(fieldSecurityProfiles.map((p) => p.id).sort()).toEqual(profiles.map((p) => String(p.fieldsecurityprofileid)).sort());
});

test("an agent's PATCH of cfx_expireson to null or 2099 is accepted, and the job still deletes both folders at creation + retention", async () => {
  const cleared = await agentsExchange("CAS-08001-NULLED");
  const pushed = await agentsExchange("CAS-08002-PUSHED");
  expect((await patch("agent", cleared.id, { cfx_expireson: null })).status).toBe(204);
  expect((await patch("agent", pushed.id, { cfx_expireson: "2099-01-01T00:00:00Z" })).status).toBe(204);

  const day29 = await sweepAfter(29);
  expect(day29.failures).toEqual([]);
  expect(await folderExists(cleared.path)).toBe(true);
  expect(await folderExists(pushed.path)).toBe(true);

  const day31 = await sweepAfter(2);
  expect(day31.failures).toEqual([]);
  expect(await folderExists(cleared.path)).toBe(false);
  expect(await folderExists(pushed.path)).toBe(false);
  for (const x of [cleared, pushed]) {
    const row = await dv("admin", `cfx_fileexchanges(${x.id})?$select=cfx_stage,${secured}`);
    expect(row.cfx_stage).toBe(ExchangeStage.deleted);
    expect(row.cfx_removedon).toBeTruthy();
  }
});

test("an agent can neither write the secured columns nor create an exchange that sets them, with Dataverse's errors", async () => {
  const x = await agentsExchange("CAS-08003-SECURE");
  for (const body of [
    { cfx_keptsince: "2026-12-01T00:00:00Z" },
    { cfx_expiryoverride: "2099-01-01T00:00:00Z" },
    { cfx_removedon: "2026-12-01T00:00:00Z" },
    { cfx_keptsince: null },
  ]) {
    const r = await patch("agent", x.id, body);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("0x8004f507");
  }
  const created = await call("agent", "cfx_fileexchanges", {
    method: "POST",
    body: JSON.stringify({
      cfx_name: "CAS-08004-KEPTBY",
      "cfx_CaseId@odata.bind": `/incidents(${String(((await dv("agent", "incidents?$select=incidentid&$top=1")).value as Row[])[0].incidentid)})`,
      cfx_direction: ExchangeDirection.backupForCustomer,
      cfx_stage: ExchangeStage.folderCreated,
      cfx_keptsince: "2026-12-01T00:00:00Z",
    }),
  });
  expect(created.status).toBe(403);
  const error = ((await created.json()) as { error: { code: string; message: string } }).error;
  expect(error.code).toBe("0x8004f502");
  expect(error.message).toContain("The user does not have create permissions to a secured field");
  // Nothing was written: the row reads as it was.
  expect(await dv("admin", `cfx_fileexchanges(${x.id})?$select=${secured}`)).toMatchObject({
    cfx_keptsince: null,
    cfx_expiryoverride: null,
    cfx_removedon: null,
  });
});

test("an agent's PATCH of cfx_stage to deleted does not hide the folder from the job: it is removed at its expiry and the removal confirmed", async () => {
  const x = await agentsExchange("CAS-08005-HIDDEN");
  expect((await patch("agent", x.id, { cfx_stage: ExchangeStage.deleted, cfx_deletedon: x.created.toISOString() })).status).toBe(204);
  await sweepAfter(29);
  expect(await folderExists(x.path)).toBe(true);
  const day31 = await sweepAfter(2);
  expect(day31.failures).toEqual([]);
  expect(await folderExists(x.path)).toBe(false);
  expect((await dv("admin", `cfx_fileexchanges(${x.id})?$select=cfx_removedon`)).cfx_removedon).toBeTruthy();
});

test("the administrator's Keep and Change expiry through the panel's use case: the job honours both, a supervisor reads the secured columns as null", async () => {
  const kept = await agentsExchange("CAS-08006-KEEPME");
  const later = await agentsExchange("CAS-08007-LATER1");
  const { ports, actor } = await casePorts("admin", await sandboxClock());
  const exchangeOf = async (id: string) => {
    const [row] = (await dv("admin", `cfx_fileexchanges?$select=_cfx_caseid_value&$filter=cfx_fileexchangeid eq ${id}`)).value as Row[];
    const model = await loadCasePanel(ports, { caseId: String(row._cfx_caseid_value) });
    const record = model.exchanges.find((e) => e.exchange.id === id)!;
    return { caseRecord: model.case, exchange: record.exchange };
  };
  await changeExpiry(ports, { ...(await exchangeOf(kept.id)), expiresOn: null, reason: "Legal hold", actor });
  const tenDaysLater = new Date(Math.ceil((ports.clock.now().getTime() + 40 * DAY) / 1000) * 1000);
  await changeExpiry(ports, { ...(await exchangeOf(later.id)), expiresOn: tenDaysLater, reason: "Restore in January", actor });

  const asAdmin = await dv("admin", `cfx_fileexchanges(${kept.id})?$select=cfx_expireson,${secured}`);
  expect(asAdmin.cfx_expireson).toBeNull();
  expect(asAdmin.cfx_keptsince).toBeTruthy();
  const asSupervisor = await dv("supervisor", `cfx_fileexchanges(${kept.id})?$select=cfx_expireson,${secured}`);
  expect(asSupervisor).toMatchObject({ cfx_expireson: null, cfx_keptsince: null, cfx_expiryoverride: null, cfx_removedon: null });
  expect((await dv("supervisor", `cfx_fileexchanges(${later.id})?$select=cfx_expiryoverride`)).cfx_expiryoverride).toBeNull();
  // A filter on a column the caller cannot read matches as null does: nothing to learn from it.
  const probed = (await dv("supervisor", "cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=cfx_keptsince ne null")).value as Row[];
  expect(probed).toEqual([]);

  const day31 = await sweepAfter(31);
  expect(day31.failures).toEqual([]);
  expect(await folderExists(kept.path)).toBe(true);
  expect(await folderExists(later.path)).toBe(true);
  await sweepAfter(10);
  expect(await folderExists(kept.path)).toBe(true);
  expect(await folderExists(later.path)).toBe(false);
});
