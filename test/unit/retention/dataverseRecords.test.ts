import { DataverseClient, operationIdempotency, webApiBase, type FetchLike } from "../../../src/adapters/dataverse/DataverseClient";
import { isDataverseError } from "../../../src/adapters/dataverse/DataverseError";
import { DataverseRetentionRecords } from "../../../src/adapters/dataverse/DataverseRetentionRecords";
import { onceId } from "../../../src/domain/onceId";
import { ExchangeDirection, ExchangeStage } from "../../../src/model";

const ORG = "https://contoso.crm.dynamics.com";
const API = `${ORG}/api/data/v9.2/`;
const X1 = "11111111-1111-1111-1111-111111111111";
const X2 = "22222222-2222-2222-2222-222222222222";
const CASE = "33333333-3333-3333-3333-333333333333";
const USER = "44444444-4444-4444-4444-444444444444";
const TEAM = "55555555-5555-5555-5555-555555555555";

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}
type Handler = (req: Sent) => Response | Promise<Response>;

const json = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const dvError = (status: number, code: string, message = "refused") => json(status, { error: { code, message } });

function setup(...handlers: Handler[]) {
  const sent: Sent[] = [];
  const sleeps: number[] = [];
  const scopes: string[][] = [];
  const fetch: FetchLike = async (url, init) => {
    const req: Sent = {
      method: init.method ?? "GET",
      url,
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    sent.push(req);
    const handler = handlers.shift();
    if (!handler) throw new Error(`Unexpected request ${req.method} ${url}`);
    return handler(req);
  };
  const client = new DataverseClient({
    orgUrl: ORG,
    fetch,
    tokens: { getToken: async (s) => (scopes.push([...s]), "app-token") },
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { sent, sleeps, scopes, client, records: new DataverseRetentionRecords(client, { pageSize: 2 }) };
}

test("the Web API base is the org URL plus /api/data/v9.2/, given either way", () => {
  expect(webApiBase(ORG)).toBe(API);
  expect(webApiBase(`${API}`)).toBe(API);
});

test("queries read every page by @odata.nextLink with Prefer odata.maxpagesize and an app-only token for the org", async () => {
  const L = "@Microsoft.Dynamics.CRM.lookuplogicalname";
  const row = (id: string, extra: Record<string, unknown> = {}) => ({
    cfx_fileexchangeid: id,
    cfx_name: "CAS-01000-AAAAAA",
    _cfx_caseid_value: CASE,
    cfx_stage: ExchangeStage.shared,
    cfx_expireson: "2026-12-01T09:00:00Z",
    _ownerid_value: USER,
    [`_ownerid_value${L}`]: "systemuser",
    cfx_CaseId: { incidentid: CASE, _ownerid_value: USER, [`_ownerid_value${L}`]: "systemuser" },
    ...extra,
  });
  const { sent, scopes, records } = setup(
    () => json(200, { value: [row(X1)], "@odata.nextLink": `${API}cfx_fileexchanges?$skiptoken=abc` }),
    () =>
      json(200, {
        value: [
          row(X2, {
            cfx_CaseId: { incidentid: CASE, _ownerid_value: TEAM, [`_ownerid_value${L}`]: "team" },
            cfx_warnedon: "2026-11-28T09:00:00Z",
            createdon: "2026-11-01T08:00:00Z",
            overriddencreatedon: "2026-10-30T08:00:00Z",
            cfx_keptsince: null,
            cfx_expiryoverride: "2026-12-02T08:00:00Z",
          }),
        ],
      }),
  );
  const due = await records.exchangesNeedingAttention(new Date("2026-12-01T12:00:00.250Z"), new Date("2026-12-04T12:00:00Z"), {
    backupRetentionDays: 30,
    uploadRetentionDays: 7,
  });

  expect(due.map((x) => x.id)).toEqual([X1, X2]);
  expect(due[0]).toMatchObject({
    caseId: CASE,
    ownerId: USER,
    caseOwner: { kind: "user", id: USER },
    expiresOn: new Date("2026-12-01T09:00:00Z"),
  });
  expect(due[1]).toMatchObject({
    caseOwner: { kind: "team", id: TEAM },
    warnedOn: new Date("2026-11-28T09:00:00Z"),
    createdOn: new Date("2026-11-01T08:00:00Z"),
    overriddenCreatedOn: new Date("2026-10-30T08:00:00Z"),
    expiryOverride: new Date("2026-12-02T08:00:00Z"),
  });
  expect(due[1].keptSince).toBeUndefined();
  expect(sent).toHaveLength(2);
  expect(sent[0].headers.Prefer).toContain("odata.maxpagesize=2");
  expect(sent[0].headers.Authorization).toBe("Bearer app-token");
  const url = decodeURIComponent(sent[0].url);
  // Live by the confirmed removal, never by the stage; kept only by an administrator's secured column.
  expect(url).toContain("$filter=cfx_removedon eq null and cfx_keptsince eq null and (");
  expect(url.split("$filter=")[1]).not.toContain("cfx_stage");
  // Due now: an administrator's date, else the announced date or creation + the direction's retention.
  expect(url).toContain(
    "((cfx_expiryoverride ne null and cfx_expiryoverride le 2026-12-01T12:00:00Z) or (cfx_expiryoverride eq null and " +
      `(cfx_expireson le 2026-12-01T12:00:00Z or ((cfx_direction eq ${ExchangeDirection.backupForCustomer} and ` +
      "(createdon le 2026-11-01T12:00:00Z or overriddencreatedon le 2026-11-01T12:00:00Z)) or " +
      `(cfx_direction eq ${ExchangeDirection.filesFromCustomer} and (createdon le 2026-11-24T12:00:00Z or overriddencreatedon le 2026-11-24T12:00:00Z))))))`,
  );
  // Due by the horizon, when not warned yet.
  expect(url).toContain("or (cfx_warnedon eq null and ((cfx_expiryoverride ne null and cfx_expiryoverride le 2026-12-04T12:00:00Z)");
  expect(url).toContain("cfx_keptsince,cfx_expiryoverride,cfx_removedon,cfx_caseclosedseenon,createdon,overriddencreatedon");
  // The case's owner comes with the exchange, in the same request: warnings go to the case's owner.
  expect(decodeURIComponent(sent[0].url)).toContain("$expand=cfx_CaseId($select=_ownerid_value,statecode,ticketnumber,title)");
  expect(sent[1].url).toBe(`${API}cfx_fileexchanges?$skiptoken=abc`);
  expect(scopes[0]).toEqual([`${ORG}/.default`]);
});

test("the members of the teams that own cases are read 20 teams to a request, each team's enabled members by name", async () => {
  const teams = Array.from({ length: 21 }, (_, i) => `${String(i + 1).padStart(8, "0")}-5555-5555-5555-555555555555`);
  const { sent, records } = setup(
    () =>
      json(200, {
        value: [
          {
            teamid: teams[0],
            name: "Tier 2",
            teammembership_association: [
              { systemuserid: USER, fullname: "Al Adams" },
              { systemuserid: X1, fullname: "Bo Brown" },
            ],
          },
          { teamid: teams[1], name: "Empty", teammembership_association: [] },
        ],
      }),
    () => json(200, { value: [{ teamid: teams[20], name: "Last", teammembership_association: [] }] }),
  );
  const found = await records.teamMembers(teams, 51);
  expect(sent).toHaveLength(2);
  const url = decodeURIComponent(sent[0].url);
  expect(url).toContain("teams?$select=teamid,name");
  expect(url).toContain(`teamid eq ${teams[0]} or teamid eq ${teams[1]}`);
  expect(url).not.toContain(teams[20]);
  expect(url).toContain(
    "$expand=teammembership_association($select=systemuserid,fullname;$filter=isdisabled eq false;$orderby=fullname asc;$top=51)",
  );
  expect(found.get(teams[0])).toEqual({
    name: "Tier 2",
    members: [
      { id: USER, name: "Al Adams" },
      { id: X1, name: "Bo Brown" },
    ],
  });
  expect(found.get(teams[1])).toEqual({ name: "Empty", members: [] });
  expect(found.get(teams[20])).toEqual({ name: "Last", members: [] });
  expect(found.has(teams[5])).toBe(false);
});

test("no team owns a case due: no team request at all", async () => {
  const { sent, records } = setup();
  expect((await records.teamMembers([], 51)).size).toBe(0);
  expect(sent).toHaveLength(0);
});

test("every exchange not deleted is read for ending all access, every page", async () => {
  const { sent, records } = setup(
    () =>
      json(200, {
        value: [{ cfx_fileexchangeid: X1, cfx_stage: ExchangeStage.shared }],
        "@odata.nextLink": `${API}cfx_fileexchanges?$skiptoken=1`,
      }),
    () => json(200, { value: [{ cfx_fileexchangeid: X2, cfx_stage: ExchangeStage.revoked, cfx_expireson: null }] }),
  );
  const live = await records.exchangesNotDeleted();
  expect(live.map((x) => [x.id, x.stage, x.expiresOn])).toEqual([
    [X1, ExchangeStage.shared, null],
    [X2, ExchangeStage.revoked, null],
  ]);
  expect(decodeURIComponent(sent[0].url)).toContain("$filter=cfx_removedon eq null");
  expect(sent).toHaveLength(2);
});

test("a throttled request waits the Retry-After Dataverse asks for, then goes through", async () => {
  const { sleeps, records } = setup(
    () => json(429, { error: { code: "0x80072322", message: "Number of requests exceeded the limit" } }, { "Retry-After": "2.128" }),
    () => json(204),
  );
  await records.updateExchange(X1, { warnedOn: new Date("2026-12-01T12:00:00Z") });
  expect(sleeps).toEqual([2128]);
});

test("updates PATCH with If-Match so a missing record is a 404, never an upsert", async () => {
  const { sent, records } = setup(() => json(204));
  await records.updateExchange(X1, { stage: ExchangeStage.deleted, deletedOn: new Date("2026-12-01T12:00:00Z") });
  expect(sent[0]).toMatchObject({
    method: "PATCH",
    url: `${API}cfx_fileexchanges(${X1})`,
    body: { cfx_stage: ExchangeStage.deleted, cfx_deletedon: "2026-12-01T12:00:00Z" },
  });
  expect(sent[0].headers["If-Match"]).toBe("*");
});

test("a note is created with an id derived from its key: a repeat is a duplicate and counts as written", async () => {
  const { sent, records } = setup(
    () => json(204),
    () => dvError(412, "0x80040237", "A record with matching key values already exists."),
  );
  const note = { subject: "s", text: "t" };
  await expect(records.addNote({ table: "cfx_fileexchange", id: X1 }, note, { onceKey: "warn:1" })).resolves.toBe(true);
  await expect(records.addNote({ table: "cfx_fileexchange", id: X1 }, note, { onceKey: "warn:1" })).resolves.toBe(true);
  expect(sent[0].body).toEqual({
    annotationid: onceId("warn:1"),
    subject: "s",
    notetext: "t",
    [`objectid_cfx_fileexchange@odata.bind`]: `/cfx_fileexchanges(${X1})`,
  });
  expect((sent[1].body as { annotationid: string }).annotationid).toBe(onceId("warn:1"));
});

test("a resolved case refusing the note resolves false; other refusals reject with a DataverseError", async () => {
  const { records } = setup(
    () => dvError(400, "0x800404cf", "This case has already been resolved."),
    () => dvError(403, "0x80040220", "Principal user is missing prvCreateNote privilege."),
  );
  await expect(records.addNote({ table: "incident", id: CASE }, { subject: "s", text: "t" }, { onceKey: "a" })).resolves.toBe(false);
  const p = records.addNote({ table: "incident", id: CASE }, { subject: "s", text: "t" }, { onceKey: "b" });
  await expect(p).rejects.toMatchObject({ name: "DataverseError", code: "accessDenied", status: 403, dataverseCode: "0x80040220" });
});

test("the in-app notification goes to the owner, once per key", async () => {
  const { sent, records } = setup(
    () => json(204),
    () => dvError(412, "0x80040237"),
  );
  await records.notifyUser(USER, { title: "Folder expires", body: "b" }, { onceKey: "n" });
  await records.notifyUser(USER, { title: "Folder expires", body: "b" }, { onceKey: "n" });
  expect(sent[0]).toMatchObject({ method: "POST", url: `${API}appnotifications` });
  expect(sent[0].body).toMatchObject({
    appnotificationid: onceId("n"),
    "ownerid@odata.bind": `/systemusers(${USER})`,
    icontype: 100000003,
  });
});

test("recipients are read for several exchanges in one query, not yet revoked", async () => {
  const { sent, records } = setup(() =>
    json(200, {
      value: [{ cfx_exchangerecipientid: X2, cfx_name: "ann@fabrikam.example", _cfx_exchangeid_value: X1, cfx_permissionid: "p1" }],
    }),
  );
  const recipients = await records.activeRecipients([X1, X2]);
  expect(recipients).toEqual([expect.objectContaining({ id: X2, exchangeId: X1, email: "ann@fabrikam.example", permissionId: "p1" })]);
  expect(decodeURIComponent(sent[0].url)).toContain(
    `(_cfx_exchangeid_value eq ${X1} or _cfx_exchangeid_value eq ${X2}) and cfx_revokedon eq null`,
  );
});

test("the orphan report is one note with a fixed id: created the first time, updated after, read back", async () => {
  const { sent, records } = setup(
    () => dvError(404, "0x80040217", "Entity 'annotation' With Id = x Does Not Exist"),
    () => json(404, { error: { code: "0x80040217", message: "Does Not Exist" } }),
    () => json(204),
  );
  await expect(records.lastOrphanReport()).resolves.toBeNull();
  await records.saveOrphanReport({ reportedOn: new Date("2026-12-01T12:00:00Z"), deletable: ["item-1"] });
  expect(sent.map((s) => s.method)).toEqual(["GET", "PATCH", "POST"]);
  const created = sent[2].body as { annotationid: string; notetext: string };
  expect(created.annotationid).toBe(onceId("orphan-report"));

  const again = setup(() => json(200, { notetext: created.notetext }));
  await expect(again.records.lastOrphanReport()).resolves.toEqual({ reportedOn: new Date("2026-12-01T12:00:00Z"), deletable: ["item-1"] });
});

test("a connection that keeps dropping ends in a DataverseError networkError with the cause", async () => {
  const drop = () => {
    throw new TypeError("fetch failed");
  };
  const { records } = setup(drop, drop, drop, drop, drop, drop);
  const p = records.exchangeFolders();
  await expect(p).rejects.toMatchObject({ code: "networkError", status: 0 });
  await p.catch((e: unknown) => {
    expect(isDataverseError(e)).toBe(true);
    expect((e as Error).cause).toBeInstanceOf(TypeError);
  });
});

test("ids that are not GUIDs never reach a URL", async () => {
  const { records } = setup();
  await expect(records.updateExchange("1) or (x", { stage: ExchangeStage.deleted })).rejects.toThrow("Not a record id");
});

test("the exchanges of closed cases are one query filtered through the case lookup, with the case's state, number and title", async () => {
  const { sent, records } = setup(() =>
    json(200, {
      value: [
        {
          cfx_fileexchangeid: X1,
          cfx_name: "CAS-01001-ABCDEF",
          cfx_caseclosedseenon: "2026-12-01T00:00:00Z",
          cfx_CaseId: { _ownerid_value: USER, statecode: 1, ticketnumber: "CAS-01001-ABCDEF", title: "Laptop" },
        },
      ],
    }),
  );
  const [x] = await records.exchangesOfClosedCases();
  const url = decodeURIComponent(sent[0].url);
  expect(url).toContain("$filter=cfx_removedon eq null and (cfx_caseclosedseenon ne null or cfx_CaseId/statecode ne 0)");
  expect(url).toContain("$expand=cfx_CaseId($select=_ownerid_value,statecode,ticketnumber,title)");
  expect(x).toMatchObject({
    caseState: 1,
    caseNumber: "CAS-01001-ABCDEF",
    caseTitle: "Laptop",
    caseClosedSeenOn: new Date("2026-12-01T00:00:00Z"),
  });
});

test("files due on their own date are one query with their exchange expanded; a receipt whose folder's removal is confirmed is left out", async () => {
  const receipt = (id: string, removedOn: string | null) => ({
    cfx_filereceiptid: id,
    cfx_name: "logs/app.log",
    _cfx_exchangeid_value: X1,
    cfx_itemid: "item-1",
    cfx_filestatus: 136190000,
    cfx_keptsince: null,
    cfx_expiryoverride: "2026-12-01T00:00:00Z",
    cfx_ExchangeId: {
      cfx_fileexchangeid: X1,
      cfx_name: "CAS-1",
      _cfx_caseid_value: CASE,
      cfx_folderpath: "R/CAS-1",
      cfx_removedon: removedOn,
    },
  });
  const { sent, records } = setup(() => json(200, { value: [receipt(X1, null), receipt(X2, "2026-11-01T00:00:00Z")] }));
  const due = await records.receiptsDueOnTheirOwn(new Date("2026-12-02T00:00:00Z"));
  const url = decodeURIComponent(sent[0].url);
  expect(url).toContain("cfx_filereceipts?$select=");
  expect(url).toContain(
    "$filter=cfx_keptsince eq null and cfx_expiryoverride ne null and cfx_expiryoverride le 2026-12-02T00:00:00Z and (cfx_filestatus eq 136190000 or cfx_filestatus eq null)",
  );
  expect(url).toContain("$expand=cfx_ExchangeId($select=");
  expect(due).toEqual([
    expect.objectContaining({
      id: X1,
      name: "logs/app.log",
      itemId: "item-1",
      exchange: expect.objectContaining({ id: X1, caseId: CASE, folderPath: "R/CAS-1" }),
    }),
  ]);
});

test("receipts are read for up to 20 exchanges in one query: those in the folder and those with a decision", async () => {
  const ids = Array.from({ length: 21 }, (_, i) => `${String(i).padStart(8, "0")}-1111-1111-1111-111111111111`);
  const { sent, records } = setup(
    () => json(200, { value: [] }),
    () => json(200, { value: [] }),
  );
  await records.receiptsOf(ids);
  expect(sent).toHaveLength(2);
  expect(decodeURIComponent(sent[0].url)).toContain("or cfx_keptsince ne null or cfx_expiryoverride ne null)");
  expect(decodeURIComponent(sent[1].url)).toContain(`_cfx_exchangeid_value eq ${ids[20]}) and`);
});

test("the job's own user, the sender of its e-mails, comes from WhoAmI", async () => {
  const { sent, records } = setup(() => json(200, { UserId: USER.toUpperCase() }));
  expect(await records.currentUserId()).toBe(USER);
  expect(sent[0].url).toBe(`${API}WhoAmI`);
});

test("an e-mail created under its own activityid is a keyed create, safe to send again after a lost answer", () => {
  expect(operationIdempotency({ method: "POST", path: "emails", body: { activityid: X1 } })).toBe("keyed");
  expect(operationIdempotency({ method: "POST", path: "emails", body: { subject: "s" } })).toBe("once");
});
