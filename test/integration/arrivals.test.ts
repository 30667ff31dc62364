import { join } from "node:path";
import type { ArrivalRunReport } from "../../src/jobs/createRetentionJob";
import { createRetentionJob } from "../../src/jobs/createRetentionJob";
import { appOnlyTokens } from "../../src/jobs/appOnlyTokens";
import { readJobConfig } from "../../src/jobs/jobConfig";
import type { FetchLike } from "../../src/adapters/graph/retryPolicy";
import { ExchangeStage, FileIntegrity, FileStatus, JobHost } from "../../src/model";
import { retentionJobClientId } from "../../sandbox/identity/clients";
import { tenantId } from "../../sandbox/seed/people";
import { runJobCli } from "./support/jobCli";
import { startSandbox, type TestSandbox } from "./support/sandbox";

jest.setTimeout(240_000);

let sb: TestSandbox;
type Row = Record<string, unknown>;

const CASE = "CAS-01005-N4P5Q6";
const FOLDER = `External Data Transfer/${CASE}`;
const GUEST = "ivy.customer@adventure-works.example";
const SUBJECT = "Files received from the customer";

const dv = async (path: string, init: RequestInit = {}, user: "admin" | "agent" = "admin"): Promise<Row> => {
  const r = await sb.fetchAs(user, sb.dataverse + path, {
    ...init,
    headers: { "content-type": "application/json", accept: "application/json", ...(init.headers as Record<string, string>) },
  });
  if (!r.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? {} : ((await r.json()) as Row);
};
const rows = async (path: string, user: "admin" | "agent" = "admin") => (await dv(path, {}, user)).value as Row[];
const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const r = await fetch(sb.origins.app + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  const text = await r.text();
  return text ? JSON.parse(text) : {};
};
const check = async () => (await control("POST", "/_sandbox/arrivals")) as ArrivalRunReport;
const graph = (path: string, init: RequestInit = {}, user: "admin" | "agent" = "agent") =>
  sb.fetchAs(user, sb.graph + path, {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
const drive = async () => ((await (await graph("sites/root/drive")).json()) as { id: string }).id;
const seg = (path: string) => path.split("/").map(encodeURIComponent).join("/");

let exchangeId: string;
let caseId: string;
let agentId: string;

interface Mail {
  to: string[];
  subject: string;
  text: string;
  links: string[];
}
const mails = async () => (await control("GET", "/_sandbox/mail")) as Mail[];
const form = (data: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(data).toString(),
  redirect: "manual" as const,
});

/** The customer, invited to the upload folder with write access, signed in on the sandbox's guest page. */
async function guestSession(): Promise<{ upload: (name: string, text: string) => Promise<void> }> {
  const id = await drive();
  const invited = await graph(`drives/${id}/root:/${seg(FOLDER)}:/invite`, {
    method: "POST",
    body: JSON.stringify({
      recipients: [{ email: GUEST }],
      message: "Please upload the logs.",
      requireSignIn: true,
      sendInvitation: true,
      roles: ["write"],
    }),
  });
  expect(invited.status).toBe(200);
  const link = (await mails())
    .filter((m) => m.to.includes(GUEST) && m.links.length)
    .pop()!
    .links[0].replace(/\/?$/, "");
  await fetch(`${link}/code`, form({ email: GUEST }));
  const code = /code (\d{6})/.exec(
    (await mails()).filter((m) => m.to.includes(GUEST) && /verification code/.test(m.subject)).pop()!.text,
  )![1];
  const verified = await fetch(`${link}/verify`, form({ email: GUEST, code }));
  expect(verified.status).toBe(303);
  const cookie = (verified.headers.get("set-cookie") ?? "").split(";")[0];
  const folderUrl = (await fetch(link, { headers: { cookie }, redirect: "manual" })).headers.get("location")!;
  return {
    upload: async (name, text) => {
      const r = await fetch(`${sb.origins.app}${folderUrl}/upload?name=${encodeURIComponent(name)}`, {
        method: "PUT",
        headers: { cookie },
        body: text,
      });
      expect(r.status).toBe(201);
    },
  };
}

const receipts = (user: "admin" | "agent" = "admin") =>
  rows(
    `cfx_filereceipts?$select=cfx_name,cfx_size,cfx_quickxorhash,cfx_integrity,cfx_uploadedby,cfx_batchid,cfx_filestatus,cfx_filegoneon,cfx_reportedon,cfx_itemid,_ownerid_value` +
      `&$filter=_cfx_exchangeid_value eq ${exchangeId}`,
    user,
  );
const arrivalNotes = async (id: string) =>
  (await rows(`annotations?$select=subject,notetext&$filter=_objectid_value eq ${id}`)).filter((n) => n.subject === SUBJECT);
const notifications = async () =>
  (await rows(`appnotifications?$select=title,body,_ownerid_value`)).filter((n) => String(n.title).includes(CASE));
const stage = async () => (await dv(`cfx_fileexchanges(${exchangeId})?$select=cfx_stage`)).cfx_stage;
async function setSetting(schemaname: string, value: string): Promise<void> {
  const [definition] = await rows(
    `environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq '${schemaname}'`,
  );
  await dv("environmentvariablevalues", {
    method: "POST",
    body: JSON.stringify({
      schemaname,
      value,
      "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${definition.environmentvariabledefinitionid})`,
    }),
  });
}

/** The job in this process, signed in with its certificate as the CLI is, over a fetch the test can steer. */
async function job(fetchFn?: FetchLike) {
  const identity = join(sb.dataDir, "identity");
  const config = readJobConfig({
    CFX_DATAVERSE_URL: sb.origins.app,
    CFX_TENANT_ID: tenantId,
    CFX_CLIENT_ID: retentionJobClientId,
    CFX_AUTHORITY: `${sb.origins.app}/identity`,
    CFX_CERTIFICATE_PATH: join(identity, "retention-job.cert.pem"),
    CFX_PRIVATE_KEY_PATH: join(identity, "retention-job.key.pem"),
  });
  const j = await createRetentionJob({
    dataverseUrl: config.dataverseUrl,
    tokens: appOnlyTokens(config),
    host: JobHost.cli,
    fetch: fetchFn,
  });
  const now = new Date(((await control("GET", "/_sandbox/clock")) as { now: string }).now);
  return { check: () => j.checkArrivals({ clock: { now: () => now } }) };
}

const bodyText = (init: RequestInit) => (typeof init.body === "string" ? init.body : "");

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await control("PUT", "/_sandbox/faults", {});
  await control("POST", "/_sandbox/reset");
  const [x] = await rows(`cfx_fileexchanges?$select=cfx_fileexchangeid,_cfx_caseid_value,_ownerid_value&$filter=cfx_name eq '${CASE}'`);
  exchangeId = String(x.cfx_fileexchangeid);
  caseId = String(x._cfx_caseid_value);
  agentId = String(x._ownerid_value);
  // The first check lists the whole library: the seeded files are receipted already, nothing is told.
  const first = await check();
  expect(first).toMatchObject({ cursor: "advanced", complete: true, counts: { batches: 0, failures: 0 } });
});

test("one check: receipts owned by the agent, files received, a note on the case and the exchange, a notification; a second changes nothing", async () => {
  expect(await stage()).toBe(ExchangeStage.shared);
  const guest = await guestSession();
  await guest.upload("install.log", "installer said: driver signature invalid\n");
  await guest.upload("setupapi.dev.log", "device install log\n".repeat(40));

  const report = await check();
  expect(report).toMatchObject({ cursor: "advanced", complete: false, counts: { batches: 1, files: 2, exchangesTold: 1, failures: 0 } });
  const written = await receipts();
  expect(written).toHaveLength(2);
  const id = await drive();
  for (const r of written) {
    const item = (await (await graph(`drives/${id}/root:/${seg(FOLDER)}/${encodeURIComponent(String(r.cfx_name))}`)).json()) as {
      id: string;
      size: number;
      file: { hashes: { quickXorHash: string } };
    };
    expect(r).toMatchObject({
      cfx_itemid: item.id,
      cfx_size: item.size,
      cfx_quickxorhash: item.file.hashes.quickXorHash,
      cfx_integrity: FileIntegrity.recordedBySharePoint,
      cfx_uploadedby: GUEST,
      cfx_filestatus: FileStatus.inFolder,
      _ownerid_value: agentId,
    });
    expect(r.cfx_reportedon).toBeTruthy();
  }
  expect(new Set(written.map((r) => r.cfx_batchid)).size).toBe(1);
  // The agent who requested the files reads them (their depth on receipts reaches their own rows).
  expect(await receipts("agent")).toHaveLength(2);
  expect(await stage()).toBe(ExchangeStage.filesReceived);
  const [caseNote] = await arrivalNotes(caseId);
  expect(caseNote.notetext).toContain(`${GUEST} put 2 files`);
  expect(caseNote.notetext).toContain("- install.log (41 bytes)");
  expect(caseNote.notetext).toContain("setupapi.dev.log");
  expect(await arrivalNotes(exchangeId)).toHaveLength(1);
  const told = await notifications();
  expect(told).toHaveLength(1);
  expect(told[0]._ownerid_value).toBe(agentId);

  // Nothing changed: the second check only reads.
  await control("DELETE", "/_sandbox/requests");
  const again = await check();
  expect(again).toMatchObject({ cursor: "unchanged", counts: { batches: 0, changes: 0, failures: 0 } });
  const log = (await control("GET", "/_sandbox/requests")) as Array<{ method: string; origin: string; path: string }>;
  expect(log.filter((r) => r.method !== "GET")).toEqual([]);
  expect(await arrivalNotes(caseId)).toHaveLength(1);
  expect(await notifications()).toHaveLength(1);
});

test("files added later make a second batch; a file put in again with other content replaces its receipt; a deleted one is marked", async () => {
  const guest = await guestSession();
  await guest.upload("a.log", "first");
  await guest.upload("b.log", "second");
  expect((await check()).counts.batches).toBe(1);

  await guest.upload("c.log", "third");
  const id = await drive();
  // The same file with other content (the guest page renames instead, so through Graph; with no
  // organization domains set, a person's file counts as the customer's).
  const again = await graph(`drives/${id}/root:/${seg(FOLDER)}/a.log:/content`, { method: "PUT", body: "first, longer this time" });
  expect(again.status).toBe(200);
  const b = (await (await graph(`drives/${id}/root:/${seg(FOLDER)}/b.log`)).json()) as { id: string };
  expect((await graph(`drives/${id}/items/${b.id}`, { method: "DELETE" })).status).toBe(204);

  const second = await check();
  expect(second.counts).toMatchObject({ batches: 1, files: 2, replaced: 1, deleted: 1, failures: 0 });
  const all = await receipts();
  expect(all).toHaveLength(4);
  expect(new Set(all.map((r) => r.cfx_batchid)).size).toBe(2);
  const byName = (name: string) => all.filter((r) => r.cfx_name === name);
  expect(
    byName("a.log")
      .map((r) => r.cfx_filestatus)
      .sort(),
  ).toEqual([FileStatus.inFolder, FileStatus.replaced].sort());
  expect(byName("a.log").find((r) => r.cfx_filestatus === FileStatus.replaced)!.cfx_filegoneon).toBeTruthy();
  expect(byName("b.log")[0]).toMatchObject({ cfx_filestatus: FileStatus.deletedByCustomer });
  const notes = await arrivalNotes(caseId);
  expect(notes).toHaveLength(2);
  // Two uploaders in one batch: each file says who put it in.
  expect(notes.map((n) => String(n.notetext))).toContainEqual(
    expect.stringContaining("- a.log (23 bytes, by alex.agent@contoso.example), replacing the earlier file of that name"),
  );
  expect(notes.map((n) => String(n.notetext))).toContainEqual(expect.stringContaining(`- c.log (5 bytes, by ${GUEST})`));
  expect(await notifications()).toHaveLength(2);
});

test("a file the organization's own people put in is not reported; with the e-mail setting on, the agent gets one e-mail", async () => {
  await setSetting("cfx_OrganizationDomains", "contoso.example");
  await setSetting("cfx_ArrivalEmail", "yes");
  const id = await drive();
  const own = await graph(`drives/${id}/root:/${seg(FOLDER)}/template.txt:/content`, { method: "PUT", body: "fill this in" });
  expect(own.status).toBe(201);
  const quiet = await check();
  expect(quiet.counts).toMatchObject({ batches: 0, failures: 0 });
  expect(await receipts()).toEqual([]);
  expect(await stage()).toBe(ExchangeStage.shared);

  const guest = await guestSession();
  await guest.upload("scan.pdf", "%PDF-1.4 scan");
  const report = await check();
  expect(report.counts).toMatchObject({ batches: 1, files: 1, failures: 0 });
  await check();
  const toAgent = (await mails()).filter((m) => m.to.includes("alex.agent@contoso.example") && m.subject === `Files received for ${CASE}`);
  expect(toAgent).toHaveLength(1);
  expect(toAgent[0].text).toContain("scan.pdf");
  expect(await notifications()).toHaveLength(1);
});

test("an expired link is followed to a fresh listing, and nothing is told twice", async () => {
  const guest = await guestSession();
  await guest.upload("trace.etl", "trace");
  expect((await check()).counts.batches).toBe(1);
  await control("POST", "/_sandbox/clock", { advanceDays: 31, sweep: false });
  const report = await check();
  expect(report).toMatchObject({ cursor: "advanced", complete: true, resynced: true, counts: { batches: 0, deleted: 0, failures: 0 } });
  expect(await arrivalNotes(caseId)).toHaveLength(1);
  expect(await notifications()).toHaveLength(1);
});

test("under throttling (20% of requests) every file is receipted and told once", async () => {
  const guest = await guestSession();
  await guest.upload("one.txt", "1");
  await guest.upload("two.txt", "22");
  await control("PUT", "/_sandbox/faults", { throttleRate: 0.2 });
  const report = await check();
  await control("PUT", "/_sandbox/faults", {});
  expect(report.counts).toMatchObject({ batches: 1, files: 2, failures: 0 });
  expect(await receipts()).toHaveLength(2);
  expect(await arrivalNotes(caseId)).toHaveLength(1);
  expect(await notifications()).toHaveLength(1);
});

test("two checks at once: only the one that moves the cursor on tells", async () => {
  const guest = await guestSession();
  await guest.upload("race.txt", "who tells?");
  // Both runs are held just before they move the cursor on, then let go together.
  let waiting = 0;
  let release!: () => void;
  const bothThere = new Promise<void>((r) => (release = r));
  const gated: FetchLike = async (url, init) => {
    if (/cfx_librarycursors/.test(url) && (init.method === "PATCH" || init.method === "POST")) {
      if (++waiting === 2) release();
      await bothThere;
    }
    return fetch(url, init);
  };
  const [a, b] = await Promise.all([job(gated), job(gated)]);
  const reports = await Promise.all([a.check(), b.check()]);
  expect(reports.map((r) => r.cursor).sort()).toEqual(["advanced", "lost"]);
  const winner = reports.find((r) => r.cursor === "advanced")!;
  const loser = reports.find((r) => r.cursor === "lost")!;
  expect(winner.counts).toMatchObject({ batches: 1, files: 1, failures: 0 });
  expect(loser.counts).toMatchObject({ batches: 0, failures: 0 });
  expect(await receipts()).toHaveLength(1);
  expect(await arrivalNotes(caseId)).toHaveLength(1);
  expect(await notifications()).toHaveLength(1);
});

test.each([
  [
    "after the receipts, before the cursor moved on",
    (url: string, init: RequestInit) => /\$batch$/.test(url) && /POST \S+\/cfx_filereceipts HTTP/.test(bodyText(init)),
  ],
  [
    "after the notes, before the receipts were marked reported",
    (url: string, init: RequestInit) => /\$batch$/.test(url) && bodyText(init).includes("annotations"),
  ],
])("a check that stops %s: the next reports each file, note and notification once", async (_label, crashAfter) => {
  const guest = await guestSession();
  await guest.upload("crash.dmp", "dump");
  await guest.upload("crash.txt", "what happened");
  // The process "dies" once the matching request was answered: every later request fails at once.
  let dead = false;
  const dying: FetchLike = async (url, init) => {
    if (dead) throw new DOMException("The process stopped.", "AbortError");
    const response = await fetch(url, init);
    if (crashAfter(url, init)) dead = true;
    return response;
  };
  const crashed = await (await job(dying)).check();
  expect(crashed.counts.failures).toBeGreaterThan(0);
  expect(await receipts()).toHaveLength(2);

  const rerun = await check();
  expect(rerun.counts).toMatchObject({ batches: 1, files: 2, failures: 0 });
  const written = await receipts();
  expect(written).toHaveLength(2);
  expect(written.every((r) => r.cfx_reportedon)).toBe(true);
  expect(await arrivalNotes(caseId)).toHaveLength(1);
  expect(await arrivalNotes(exchangeId)).toHaveLength(1);
  expect(await notifications()).toHaveLength(1);
  expect(await stage()).toBe(ExchangeStage.filesReceived);
  // And once more: nothing left to tell.
  expect((await check()).counts.batches).toBe(0);
  expect(await arrivalNotes(caseId)).toHaveLength(1);
});

test("files in a folder whose request was removed (deleted at expiry) are not reported", async () => {
  const guest = await guestSession();
  await guest.upload("late.txt", "too late");
  // The folder's removal confirmed, as the retention job confirms it at expiry.
  await dv(`cfx_fileexchanges(${exchangeId})`, {
    method: "PATCH",
    headers: { "if-match": "*" },
    body: JSON.stringify({ cfx_stage: ExchangeStage.deleted, cfx_removedon: new Date().toISOString() }),
  });
  const report = await check();
  expect(report.counts).toMatchObject({ batches: 0, failures: 0 });
  expect(await receipts()).toEqual([]);
  expect(await arrivalNotes(caseId)).toEqual([]);
});

test("the sandbox's clock sweep runs the check before the retention sweep; `cfx-retention --arrivals-only` runs only the check and records no run", async () => {
  const guest = await guestSession();
  await guest.upload("before-sweep.txt", "seen by the daily run");
  const swept = (await control("POST", "/_sandbox/clock", { advanceDays: 0 })) as {
    result: { arrivals: ArrivalRunReport; failures: unknown[] };
  };
  expect(swept.result.arrivals.counts).toMatchObject({ batches: 1, files: 1, failures: 0 });
  expect(swept.result.failures).toEqual([]);

  await guest.upload("by-hand.txt", "seen by the command line");
  const runsBefore = await rows(`cfx_jobruns?$select=cfx_jobrunid&$filter=cfx_host eq ${JobHost.cli}`);
  const { code, report } = await runJobCli<ArrivalRunReport>(sb, "--arrivals-only");
  expect(code).toBe(0);
  expect(report.counts).toMatchObject({ batches: 1, files: 1, failures: 0 });
  expect(report.requests.graph).toBeGreaterThan(0);
  expect(await rows(`cfx_jobruns?$select=cfx_jobrunid&$filter=cfx_host eq ${JobHost.cli}`)).toHaveLength(runsBefore.length);
  expect(await arrivalNotes(caseId)).toHaveLength(2);
});

test("the answer to moving the cursor on is lost: the repeat meets the check's own new version, and the check still tells, once", async () => {
  const guest = await guestSession();
  await guest.upload("lost-answer.txt", "did it move?");
  let lost = 0;
  const statuses: number[] = [];
  const losing: FetchLike = async (url, init) => {
    const response = await fetch(url, init);
    if (/cfx_librarycursors\(/.test(url) && init.method === "PATCH") statuses.push(response.status);
    if (/cfx_librarycursors\(/.test(url) && init.method === "PATCH" && lost++ === 0) {
      // Dataverse moved the row on; the answer never came back.
      throw new TypeError("fetch failed");
    }
    return response;
  };
  const report = await (await job(losing)).check();
  // The repeat was refused as a changed version (412): the row named this check, so it counts as its own.
  expect(statuses).toEqual([204, 412]);
  expect(report).toMatchObject({ cursor: "advanced", counts: { batches: 1, files: 1, failures: 0 } });
  expect(await arrivalNotes(caseId)).toHaveLength(1);
  expect(await notifications()).toHaveLength(1);
});

test("the 7-day expiry: the request's folder goes with the guest's access at creation + 7 days, its receipts are marked expired, and nothing is reported after", async () => {
  const guest = await guestSession();
  await guest.upload("crash.dmp", "minidump");
  expect((await check()).counts).toMatchObject({ batches: 1, files: 1, failures: 0 });
  const exchange = await dv(`cfx_fileexchanges(${exchangeId})?$select=cfx_foldercreatedon,cfx_expireson`);
  const created = Date.parse(String(exchange.cfx_foldercreatedon));
  const expires = Date.parse(String(exchange.cfx_expireson));
  expect(expires - created).toBe(7 * 24 * 3600 * 1000);
  const now = Date.parse(((await control("GET", "/_sandbox/clock")) as { now: string }).now);
  const days = Math.max(0, Math.ceil((expires - now) / (24 * 3600 * 1000))) + 1;
  // The day before the expiry nothing goes.
  if (days > 1) await control("POST", "/_sandbox/clock", { advanceDays: days - 2 });
  expect(await stage()).not.toBe(ExchangeStage.deleted);
  await control("POST", "/_sandbox/clock", { advanceDays: days > 1 ? 2 : days });
  expect(await stage()).toBe(ExchangeStage.deleted);
  const id = await drive();
  expect((await graph(`drives/${id}/root:/${seg(FOLDER)}`, {}, "admin")).status).toBe(404);
  const gone = await receipts();
  expect(gone.filter((r) => r.cfx_name === "crash.dmp")).toEqual([
    expect.objectContaining({ cfx_filestatus: FileStatus.expired, cfx_filegoneon: expect.any(String) }),
  ]);
  // The customer can no longer put anything there, and a check finds nothing to tell.
  await expect(guest.upload("after.txt", "after the expiry")).rejects.toThrow();
  expect((await check()).counts).toMatchObject({ batches: 0, failures: 0 });
  expect(await arrivalNotes(caseId)).toHaveLength(1);
});
