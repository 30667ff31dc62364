import { customerServiceRepresentativeRoleId } from "../../sandbox/install/platformRoles";
import { onceId } from "../../src/domain/onceId";
import type { EndAllAccessReport } from "../../src/app/endAllAccess";
import type { SweepReport } from "../../src/app/sweepExpired";
import { ExchangeDirection, ExchangeStage, RecipientRole } from "../../src/model";
import { runJobCli } from "./support/jobCli";
import { startSandbox, type TestSandbox } from "./support/sandbox";

jest.setTimeout(180_000);

const DAY = 86_400_000;
let sb: TestSandbox;

type Row = Record<string, unknown>;
const dv = async (path: string, init: RequestInit = {}): Promise<Row> => {
  const r = await sb.fetchAs("admin", sb.dataverse + path, {
    ...init,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      prefer: "return=representation",
      ...(init.headers as Record<string, string>),
    },
  });
  if (!r.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? {} : ((await r.json()) as Row);
};
const rows = async (path: string) => (await dv(path)).value as Row[];
const graph = async (path: string, init: RequestInit = {}) =>
  sb.fetchAs("admin", sb.graph + path, {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
const control = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(sb.origins.app + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status}`);
  const text = await r.text();
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
};
const sandboxNow = async () => String((await control("GET", "/_sandbox/clock")).now);
const advanceDays = (n: number) => control("POST", "/_sandbox/clock", { advanceDays: n, sweep: false });
const seg = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** `cfx-retention` run as a scheduler would, against this suite's sandbox. */
const runCli = <R = SweepReport>(...extra: string[]) => runJobCli<R>(sb, ...extra);

/** A backup folder made today through Graph, shared with a guest, and its exchange and recipient rows. */
async function exchangeCreatedToday(caseNumber: string): Promise<{ id: string; path: string; caseId: string }> {
  const drive = (await (await graph("sites/root/drive")).json()) as { id: string };
  const parent = "Customer Data Migration";
  const made = await graph(`drives/${drive.id}/root:/${seg(parent)}:/children`, {
    method: "POST",
    body: JSON.stringify({ name: caseNumber, folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
  });
  expect(made.status).toBe(201);
  const folder = (await made.json()) as { id: string; createdDateTime: string };
  const invited = await graph(`drives/${drive.id}/items/${folder.id}/invite`, {
    method: "POST",
    body: JSON.stringify({
      recipients: [{ email: "ret.guest@fabrikam.example" }],
      requireSignIn: true,
      sendInvitation: true,
      roles: ["write"],
      message: "m",
    }),
  });
  expect(invited.status).toBe(200);
  const permissionId = ((await invited.json()) as { value: Array<{ id: string }> }).value[0].id;
  const [kase] = await rows("incidents?$select=incidentid&$filter=statecode eq 0&$top=1");
  const agent = await rows("systemusers?$select=systemuserid&$filter=startswith(domainname,'alex.agent')");
  const created = new Date(folder.createdDateTime);
  const path = `${parent}/${caseNumber}`;
  const exchange = await dv("cfx_fileexchanges", {
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
      ...(agent[0] ? { "ownerid@odata.bind": `/systemusers(${agent[0].systemuserid})` } : {}),
    }),
  });
  const id = String(exchange.cfx_fileexchangeid);
  await dv("cfx_exchangerecipients", {
    method: "POST",
    body: JSON.stringify({
      cfx_name: "ret.guest@fabrikam.example",
      "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${id})`,
      cfx_role: RecipientRole.write,
      cfx_permissionid: permissionId,
    }),
  });
  return { id, path, caseId: String(kase.incidentid) };
}

const folderExists = async (path: string) => {
  const drive = (await (await graph("sites/root/drive")).json()) as { id: string };
  const r = await graph(`drives/${drive.id}/root:/${seg(path)}`);
  return r.status === 200;
};
const notesOn = (id: string) => rows(`annotations?$select=subject,notetext&$filter=_objectid_value eq ${id}`);

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await control("PUT", "/_sandbox/faults", {});
  await control("POST", "/_sandbox/reset");
});

test("a folder created today is warned once, kept after 29 days, deleted after 31 with access revoked first; a kept one never", async () => {
  const x = await exchangeCreatedToday("CAS-07001-TODAY1");
  const [kept] = await rows(
    `cfx_fileexchanges?$select=cfx_fileexchangeid,cfx_folderpath&$filter=cfx_expireson eq null and cfx_stage ne ${ExchangeStage.deleted}`,
  );
  expect(kept).toBeDefined();

  await advanceDays(29);
  const day29 = await runCli();
  expect(day29.code).toBe(0);
  expect(await folderExists(x.path)).toBe(true);
  const warned = await dv(`cfx_fileexchanges(${x.id})?$select=cfx_warnedon,cfx_stage`);
  expect(warned.cfx_warnedon).toBeTruthy();
  expect(warned.cfx_stage).toBe(ExchangeStage.shared);
  expect((await notesOn(x.id)).filter((n) => String(n.subject).includes("will be deleted"))).toHaveLength(1);

  // The warning comes once.
  const again = await runCli();
  expect(again.report.counts.warned).toBe(0);
  expect((await notesOn(x.id)).filter((n) => String(n.subject).includes("will be deleted"))).toHaveLength(1);
  const notifications = await rows(`appnotifications?$select=title`);
  expect(notifications.filter((n) => String(n.title).includes("CAS-07001-TODAY1"))).toHaveLength(1);

  await advanceDays(2);
  const day31 = await runCli();
  expect(day31.code).toBe(0);
  expect(day31.report.failures).toEqual([]);
  expect(await folderExists(x.path)).toBe(false);
  const gone = await dv(`cfx_fileexchanges(${x.id})?$select=cfx_stage,cfx_deletedon`);
  expect(gone.cfx_stage).toBe(ExchangeStage.deleted);
  expect(gone.cfx_deletedon).toBeTruthy();
  const [recipient] = await rows(`cfx_exchangerecipients?$select=cfx_revokedon&$filter=_cfx_exchangeid_value eq ${x.id}`);
  expect(recipient.cfx_revokedon).toBeTruthy();
  const deletionNotes = [...(await notesOn(x.id)), ...(await notesOn(x.caseId))].filter((n) =>
    String(n.notetext).includes("CAS-07001-TODAY1"),
  );
  expect(deletionNotes.filter((n) => String(n.notetext).includes("deleted after 30 days, as announced to the customer"))).toHaveLength(2);

  // Kept with no expiry: never touched, however far the clock goes.
  expect(await folderExists(String(kept.cfx_folderpath))).toBe(true);
  expect((await dv(`cfx_fileexchanges(${kept.cfx_fileexchangeid})?$select=cfx_stage`)).cfx_stage).not.toBe(ExchangeStage.deleted);
});

test("twice in a row: the second run changes nothing but the arrival check's cursor, and records itself", async () => {
  await advanceDays(31);
  const first = await runCli();
  expect(first.code).toBe(0);
  expect(first.report.counts.deleted).toBeGreaterThan(0);
  await control("DELETE", "/_sandbox/requests");
  const second = await runCli();
  expect(second.code).toBe(0);
  expect(second.report.counts).toMatchObject({ warned: 0, expired: 0, deleted: 0, permissionsRevoked: 0, orphansDeleted: 0, failures: 0 });
  const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as Array<{
    method: string;
    path: string;
    origin: string;
  }>;
  const api = log.filter((r) => r.path.startsWith("/api/data/") || r.origin === sb.origins.graph);
  const writes = api.filter((r) => r.method !== "GET" && !(r.method === "POST" && r.path.endsWith("/$batch")));
  expect(api.length).toBeGreaterThan(0);
  // Its writes are its own record, where the supervisors' dashboard sees that it ran, and the arrival
  // check's place in the change feed, which moves on past the folders the first run deleted.
  expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
    expect.stringMatching(/^PATCH \/api\/data\/v9\.2\/cfx_librarycursors\([0-9a-f-]{36}\)$/),
    "POST /api/data/v9.2/cfx_jobruns",
  ]);
  // Dataverse writes go as $batch now: a run with nothing to do sends none.
  expect(api.filter((r) => r.path === "/api/data/v9.2/$batch")).toEqual([]);
});

test("with the services throttling 10% of requests the job still finishes, and a rerun leaves no duplicate notes", async () => {
  const expiring = await rows(
    `cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=cfx_expireson ne null and cfx_stage ne ${ExchangeStage.deleted}`,
  );
  await advanceDays(31);
  await control("PUT", "/_sandbox/faults", { throttleRate: 0.1 });
  const faulted = await runCli();
  expect([0, 1]).toContain(faulted.code);
  await control("PUT", "/_sandbox/faults", {});
  const clean = await runCli();
  expect(clean.code).toBe(0);
  for (const x of expiring) {
    const id = String(x.cfx_fileexchangeid);
    expect((await dv(`cfx_fileexchanges(${id})?$select=cfx_stage`)).cfx_stage).toBe(ExchangeStage.deleted);
    expect((await notesOn(id)).filter((n) => String(n.notetext).includes("as announced to the customer"))).toHaveLength(1);
  }
});

test("a dry run reports what it would do and changes nothing", async () => {
  await advanceDays(31);
  const dry = await runCli("--dry-run");
  expect(dry.code).toBe(0);
  expect(dry.report.dryRun).toBe(true);
  expect(dry.report.counts.deleted).toBeGreaterThan(0);
  const live = await rows(
    `cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=cfx_stage eq ${ExchangeStage.deleted} and cfx_deletedon ge ${(await sandboxNow()).slice(0, 10)}T00:00:00Z`,
  );
  expect(live).toEqual([]);
});

test("the sandbox's clock hook runs the same job: POST /_sandbox/clock without sweep:false sweeps", async () => {
  const answer = (await control("POST", "/_sandbox/clock", { advanceDays: 31 })) as { swept: boolean; result?: SweepReport };
  expect(answer.swept).toBe(true);
  expect(answer.result?.counts.deleted).toBeGreaterThan(0);
  expect(answer.result?.failures).toEqual([]);
});

test("orphan folders: reported only while the setting is off; with it on, the first run reports and the next deletes those older than the retention", async () => {
  const drive = (await (await graph("sites/root/drive")).json()) as { id: string };
  const make = async (parent: string, name: string) => {
    const r = await graph(`drives/${drive.id}/root:/${seg(parent)}:/children`, {
      method: "POST",
      body: JSON.stringify({ name, folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
    });
    expect(r.status).toBe(201);
  };
  await make("Customer Data Migration", "CAS-08001-ORPHAN");
  await make("Customer Data Migration", "Team notes");
  await advanceDays(31);
  await make("External Data Transfer", "CAS-08002-YOUNG1");

  const off = await runCli();
  expect(off.report.counts).toMatchObject({ orphans: 2, orphansDeleted: 0, unrecognised: 1 });
  expect(off.report.unrecognised).toEqual(["Customer Data Migration/Team notes"]);

  const [definition] = await rows(
    "environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq 'cfx_DeleteOrphanFolders'",
  );
  await dv("environmentvariablevalues", {
    method: "POST",
    body: JSON.stringify({
      schemaname: "cfx_DeleteOrphanFolders",
      value: "yes",
      "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${definition.environmentvariabledefinitionid})`,
    }),
  });
  const first = await runCli();
  expect(first.report.counts.orphansDeleted).toBe(0);
  expect(await folderExists("Customer Data Migration/CAS-08001-ORPHAN")).toBe(true);

  const second = await runCli();
  expect(second.code).toBe(0);
  expect(second.report.orphans).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: "Customer Data Migration/CAS-08001-ORPHAN", action: "deleted" }),
      expect.objectContaining({ path: "External Data Transfer/CAS-08002-YOUNG1", action: "reported" }),
    ]),
  );
  expect(await folderExists("Customer Data Migration/CAS-08001-ORPHAN")).toBe(false);
  expect(await folderExists("External Data Transfer/CAS-08002-YOUNG1")).toBe(true);
  expect(await folderExists("Customer Data Migration/Team notes")).toBe(true);
});

test("a pass cut by its deadline exits 4 and the next pass finishes the work", async () => {
  await advanceDays(31);
  const cut = await runCli("--max-minutes", "0.000001");
  expect(cut.code).toBe(4);
  expect(cut.report.complete).toBe(false);
  const next = await runCli();
  expect(next.code).toBe(0);
  expect(next.report.complete).toBe(true);
  expect(next.report.counts.deleted).toBeGreaterThan(0);
});

test("Dataverse writes go as $batch requests, never one request per exchange", async () => {
  type Logged = { method: string; path: string; origin: string };
  const dataverseLog = async () =>
    ((await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as Logged[]).filter((r) => r.path.startsWith("/api/data/"));
  const made = [];
  for (const n of ["CAS-07101-BATCH1", "CAS-07102-BATCH2", "CAS-07103-BATCH3"]) made.push(await exchangeCreatedToday(n));

  // Other tests' exchanges may fall due in the same runs: the bound follows the run's own counts.
  // Per chunk of 20 exchanges: warnings take notes+notifications (≤ 2 batches) and cfx_warnedon (1);
  // expiries take recipient rows (≥ 1), notes (≤ 2) and the records (1).
  const batchesAtMost = (c: SweepReport["counts"], recipientRows: number) =>
    3 * Math.ceil(c.warned / 20) + 3 * Math.ceil(c.expired / 20) + Math.ceil(recipientRows / 20);
  const check = async (report: SweepReport, recipientRows: number) => {
    const writes = (await dataverseLog()).filter((r) => r.method !== "GET");
    const batches = writes.filter((r) => r.path.endsWith("/$batch"));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.length).toBeLessThanOrEqual(batchesAtMost(report.counts, recipientRows));
    // Nothing else but the orphan report note, the arrival check's cursor and the run's own record goes on its own.
    expect(
      writes
        .filter((r) => !r.path.endsWith("/$batch"))
        .every(
          (r) =>
            r.path.startsWith("/api/data/v9.2/annotations") ||
            r.path.startsWith("/api/data/v9.2/cfx_librarycursors") ||
            r.path === "/api/data/v9.2/cfx_jobruns",
        ),
    ).toBe(true);
  };

  await advanceDays(29);
  await control("DELETE", "/_sandbox/requests");
  const warn = await runCli();
  expect(warn.report.counts.warned).toBeGreaterThanOrEqual(3);
  expect(warn.report.failures).toEqual([]);
  await check(warn.report, warn.report.counts.recipientsRevoked);

  await advanceDays(2);
  await control("DELETE", "/_sandbox/requests");
  const del = await runCli();
  expect(del.report.counts.deleted).toBeGreaterThanOrEqual(3);
  expect(del.report.failures).toEqual([]);
  await check(del.report, del.report.counts.recipientsRevoked);
  // Three exchanges' writes (3 recipients, 6 notes, 3 records = 12 writes) took fewer requests than writes.
  expect((await dataverseLog()).filter((r) => r.path.endsWith("/$batch")).length).toBeLessThan(
    del.report.counts.recipientsRevoked + 3 * del.report.counts.deleted,
  );
  for (const x of made) {
    expect((await dv(`cfx_fileexchanges(${x.id})?$select=cfx_stage`)).cfx_stage).toBe(ExchangeStage.deleted);
    expect((await notesOn(x.id)).filter((n) => String(n.notetext).includes("deleted after 30 days"))).toHaveLength(1);
  }
});

test("a note already written by an interrupted run is a duplicate inside the batch, counted as done: warned once, no failure", async () => {
  const x = await exchangeCreatedToday("CAS-07201-DUPKEY");
  // What a run that stopped after its note batch, before cfx_warnedon, leaves behind.
  await dv("annotations", {
    method: "POST",
    body: JSON.stringify({
      annotationid: onceId(`warn:${x.id}:note`),
      subject: "Folder CAS-07201-DUPKEY will be deleted soon",
      notetext: "written by the interrupted run",
      "objectid_cfx_fileexchange@odata.bind": `/cfx_fileexchanges(${x.id})`,
    }),
  });
  await advanceDays(29);
  const run = await runCli();
  expect(run.report.failures).toEqual([]);
  expect((await dv(`cfx_fileexchanges(${x.id})?$select=cfx_warnedon`)).cfx_warnedon).toBeTruthy();
  expect((await notesOn(x.id)).filter((n) => String(n.subject).includes("will be deleted"))).toHaveLength(1);
  const notifications = await rows(`appnotifications?$select=title`);
  expect(notifications.filter((n) => String(n.title).includes("CAS-07201-DUPKEY"))).toHaveLength(1);
});

test("the expiry warning goes to the case's owner, not to the specialist who created the exchange", async () => {
  const x = await exchangeCreatedToday("CAS-07301-OWNERS");
  const specialist = await rows("systemusers?$select=systemuserid&$filter=startswith(domainname,'sam.specialist')");
  const kase = await dv(`incidents(${x.caseId})?$select=_ownerid_value`, {
    headers: { prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"' },
  });
  expect(kase["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("systemuser");
  expect(specialist[0].systemuserid).not.toBe(kase._ownerid_value);
  // The exchange belongs to whoever created it: here the specialist.
  await dv(`cfx_fileexchanges(${x.id})`, {
    method: "PATCH",
    body: JSON.stringify({ "ownerid@odata.bind": `/systemusers(${specialist[0].systemuserid})` }),
  });

  await advanceDays(29);
  const run = await runCli();
  expect(run.report.failures).toEqual([]);
  const notes = (await notesOn(x.id)).filter((n) => String(n.subject).includes("will be deleted"));
  expect(notes).toHaveLength(1);
  expect(String(notes[0].notetext)).toContain("The case's owner was notified.");
  const sent = (await rows("appnotifications?$select=title,_ownerid_value")).filter((n) => String(n.title).includes("CAS-07301-OWNERS"));
  expect(sent.map((n) => n._ownerid_value)).toEqual([kase._ownerid_value]);
});

// Real Dataverse has this; the sandbox lacks: (1) a case owned by a team — its writes always set
// ownerid to a systemuser (sandbox/dataverse/writes.ts), `ownerid@odata.bind: /teams(<id>)` is not
// taken, and `_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname` only ever says systemuser;
// (2) the N:N `teammembership_association` between team and systemuser (no N:N relationships at
// all: no `$expand` of it on `teams`, no `POST teams(<id>)/teammembership_association/$ref`).
test("a team-owned case's members are each warned once; an empty team's note says nobody could be", async () => {
  const x = await exchangeCreatedToday("CAS-07302-TEAMED");
  const team = await dv("teams", { method: "POST", body: JSON.stringify({ name: "Tier 2 (retention test)" }) });
  // A team owns a case only when its roles let it read cases (Dataverse refuses the assignment otherwise).
  await dv(`teams(${team.teamid})/teamroles_association/$ref`, {
    method: "POST",
    body: JSON.stringify({ "@odata.id": `${sb.dataverse}roles(${customerServiceRepresentativeRoleId})` }),
  });
  const users = await rows(
    "systemusers?$select=systemuserid&$filter=startswith(domainname,'alex.agent') or startswith(domainname,'pat.supervisor')",
  );
  for (const u of users) {
    await dv(`teams(${team.teamid})/teammembership_association/$ref`, {
      method: "POST",
      body: JSON.stringify({ "@odata.id": `${sb.dataverse}systemusers(${u.systemuserid})` }),
    });
  }
  await dv(`incidents(${x.caseId})`, { method: "PATCH", body: JSON.stringify({ "ownerid@odata.bind": `/teams(${team.teamid})` }) });

  await advanceDays(29);
  const run = await runCli();
  expect(run.report.failures).toEqual([]);
  const sent = (await rows("appnotifications?$select=title,_ownerid_value")).filter((n) => String(n.title).includes("CAS-07302-TEAMED"));
  expect(sent.map((n) => n._ownerid_value).sort()).toEqual(users.map((u) => u.systemuserid).sort());
  const [note] = (await notesOn(x.id)).filter((n) => String(n.subject).includes("will be deleted"));
  expect(String(note.notetext)).toContain('members of team "Tier 2 (retention test)"');
});

test("--end-all-access ends every guest's access, on exchanges' folders and on folders no exchange records, and a second run finds nothing to do", async () => {
  const x = await exchangeCreatedToday("CAS-07401-ENDALL");
  const drive = (await (await graph("sites/root/drive")).json()) as { id: string };
  const orphan = (await (
    await graph(`drives/${drive.id}/root:/${seg("External Data Transfer")}:/children`, {
      method: "POST",
      body: JSON.stringify({ name: "CAS-07402-ORPHAN", folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
    })
  ).json()) as { id: string };
  const invited = await graph(`drives/${drive.id}/items/${orphan.id}/invite`, {
    method: "POST",
    body: JSON.stringify({
      recipients: [{ email: "left.behind@fabrikam.example" }],
      requireSignIn: true,
      sendInvitation: false,
      roles: ["read"],
    }),
  });
  expect(invited.status).toBe(200);
  const [xFolder] = await rows(`cfx_fileexchanges?$select=cfx_itemid&$filter=cfx_fileexchangeid eq ${x.id}`);
  type Permission = { id: string; roles: string[]; inheritedFrom?: unknown };
  const direct = async (itemId: string) =>
    ((await (await graph(`drives/${drive.id}/items/${itemId}/permissions`)).json()) as { value: Permission[] }).value.filter(
      (p) => !p.inheritedFrom && !p.roles.includes("owner"),
    );
  expect(await direct(String(xFolder.cfx_itemid))).toHaveLength(1);
  expect(await direct(orphan.id)).toHaveLength(1);

  const dry = await runCli<EndAllAccessReport>("--end-all-access", "--dry-run");
  expect(dry.code).toBe(0);
  expect(dry.report).toMatchObject({ command: "endAllAccess", dryRun: true });
  expect(dry.report.counts.permissionsRevoked).toBeGreaterThanOrEqual(2);
  expect(await direct(String(xFolder.cfx_itemid))).toHaveLength(1);

  const run = await runCli<EndAllAccessReport>("--end-all-access");
  expect(run.code).toBe(0);
  expect(run.report.failures).toEqual([]);
  expect(run.report.folders).toEqual(
    expect.arrayContaining([
      { path: x.path, exchangeId: x.id, permissions: 1 },
      { path: "External Data Transfer/CAS-07402-ORPHAN", permissions: 1 },
    ]),
  );
  expect(await direct(String(xFolder.cfx_itemid))).toEqual([]);
  expect(await direct(orphan.id)).toEqual([]);
  // Nothing is deleted: the administrator decides about the folders.
  expect(await folderExists(x.path)).toBe(true);
  const [recipient] = await rows(`cfx_exchangerecipients?$select=cfx_revokedon,cfx_reason&$filter=_cfx_exchangeid_value eq ${x.id}`);
  expect(recipient.cfx_revokedon).toBeTruthy();
  expect(String(recipient.cfx_reason)).toContain("Access ended before the solution was removed");
  const live = await rows(`cfx_fileexchanges?$select=cfx_stage&$filter=cfx_stage ne ${ExchangeStage.deleted}`);
  expect(live.length).toBeGreaterThan(0);
  expect(live.every((r) => r.cfx_stage === ExchangeStage.revoked)).toBe(true);
  const ended = [...(await notesOn(x.id)), ...(await notesOn(x.caseId))].filter(
    (n) => n.subject === "Access ended before the solution was removed" && String(n.notetext).includes("CAS-07401-ENDALL"),
  );
  expect(ended).toHaveLength(2);

  await control("DELETE", "/_sandbox/requests");
  const again = await runCli<EndAllAccessReport>("--end-all-access");
  expect(again.code).toBe(0);
  expect(again.report.counts).toMatchObject({
    ended: 0,
    permissionsRevoked: 0,
    recipientsRevoked: 0,
    otherFoldersWithAccess: 0,
    failures: 0,
  });
  const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as Array<{
    method: string;
    path: string;
    origin: string;
  }>;
  const writes = log.filter(
    (r) => (r.path.startsWith("/api/data/") || r.origin === sb.origins.graph) && r.method !== "GET" && !r.path.endsWith("/$batch"),
  );
  expect(writes).toEqual([]);
  expect(log.filter((r) => r.path === "/api/data/v9.2/$batch")).toEqual([]);
});
