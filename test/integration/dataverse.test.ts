import { ExchangeDirection, ExchangeStage } from "../../src/model";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startSandbox();
}, 30_000);
afterAll(async () => {
  await sb.stop();
}, 30_000);

type Json = Record<string, unknown> & { value?: Record<string, unknown>[] };

async function get(
  user: UserKey,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await sb.fetchAs(user, sb.dataverse + path, { headers });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Json) : {}, headers: r.headers };
}

async function send(user: UserKey, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await sb.fetchAs(user, sb.dataverse + path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Json) : {}, headers: r.headers };
}

const q = (s: string) => encodeURIComponent(s);

async function caseId(number: string): Promise<string> {
  const r = await get("admin", `incidents?$select=incidentid&$filter=${q(`ticketnumber eq '${number}'`)}`);
  return String(r.body.value?.[0]?.incidentid);
}

describe("Dataverse queries", () => {
  test("a request without a token is refused with 401 and an authorization_uri", async () => {
    const r = await fetch(`${sb.dataverse}incidents`);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer authorization_uri=/);
  });

  test("a token for Graph is not accepted by Dataverse", async () => {
    const r = await fetch(`${sb.dataverse}incidents`, { headers: { authorization: `Bearer ${await sb.token("agent", "graph")}` } });
    expect(r.status).toBe(401);
  });

  test("$select returns only the chosen columns, the primary key and an etag", async () => {
    const r = await get("agent", "incidents?$select=ticketnumber,title&$top=1");
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.value?.[0] ?? {}).sort()).toEqual(["@odata.etag", "incidentid", "ticketnumber", "title"]);
  });

  test("$filter supports comparisons, and/or/not, contains/startswith and null", async () => {
    const filter =
      "(startswith(ticketnumber,'CAS-0100') or contains(title,'raid')) and not (statecode eq 1) and _primarycontactid_value ne null";
    const r = await get("admin", `incidents?$select=ticketnumber&$orderby=ticketnumber asc&$filter=${q(filter)}`);
    expect(r.status).toBe(200);
    const numbers = r.body.value?.map((v) => v.ticketnumber);
    expect(numbers).toContain("CAS-01003-G7H8J9");
    expect(numbers).toContain("CAS-01012-H8J9K2");
    expect(numbers).not.toContain("CAS-01008-W3X4Y5"); // resolved
    expect(numbers).not.toContain("CAS-01009-A2B3C4"); // no contact
    expect(numbers).toEqual([...(numbers ?? [])].sort());
  });

  test("strings compare case-insensitively and quotes are escaped by doubling", async () => {
    const r = await get("admin", `accounts?$select=name&$filter=${q("name eq 'FABRIKAM, INC.' or name eq 'O''Neil'")}`);
    expect(r.body.value?.map((v) => v.name)).toEqual(["Fabrikam, Inc."]);
  });

  test("a lookup filters by _x_value and through its navigation property", async () => {
    const id = await caseId("CAS-01003-G7H8J9");
    const a = await get("agent", `cfx_fileexchanges?$select=cfx_name&$filter=${q(`_cfx_caseid_value eq ${id}`)}`);
    const b = await get("agent", `cfx_fileexchanges?$select=cfx_name&$filter=${q(`cfx_CaseId/incidentid eq ${id}`)}`);
    expect(a.body.value?.map((v) => v.cfx_name)).toEqual(["CAS-01003-G7H8J9"]);
    expect(b.body.value).toEqual(a.body.value);
  });

  test("$orderby sorts descending and $top limits", async () => {
    const r = await get("admin", "incidents?$select=ticketnumber&$orderby=ticketnumber desc&$top=2");
    expect(r.body.value?.map((v) => v.ticketnumber)).toEqual(["CAS-01013-T2Q5R8", "CAS-01012-H8J9K2"]);
    expect(r.body["@odata.nextLink"]).toBeUndefined();
  });

  test("$expand follows a single-valued and a collection-valued navigation property with nested options", async () => {
    const expand =
      "cfx_CaseId($select=title,ticketnumber),cfx_fileexchange_cfx_exchangerecipient_ExchangeId($select=cfx_name;$orderby=cfx_name)";
    const r = await get("agent", `cfx_fileexchanges?$select=cfx_name&$filter=${q("cfx_name eq 'CAS-01003-G7H8J9'")}&$expand=${q(expand)}`);
    const row = r.body.value?.[0] as Record<string, unknown>;
    expect((row.cfx_CaseId as Record<string, unknown>).ticketnumber).toBe("CAS-01003-G7H8J9");
    expect((row.cfx_fileexchange_cfx_exchangerecipient_ExchangeId as Record<string, unknown>[]).map((x) => x.cfx_name)).toEqual([
      "maria.lopez@fabrikam.example",
    ]);
  });

  test("a case expands its exchanges, and a definition its values", async () => {
    const id = await caseId("CAS-01002-D4E5F6");
    const r = await get("agent", `incidents(${id})?$select=title&$expand=cfx_incident_cfx_fileexchange_CaseId($select=cfx_stage)`);
    expect((r.body.cfx_incident_cfx_fileexchange_CaseId as Record<string, unknown>[])[0].cfx_stage).toBe(ExchangeStage.backupReady);
    const filter = q("schemaname eq 'cfx_GraphEndpoint'");
    const d = await get(
      "agent",
      `environmentvariabledefinitions?$select=defaultvalue&$filter=${filter}&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
    );
    const values = d.body.value?.[0].environmentvariabledefinition_environmentvariablevalue as Record<string, unknown>[];
    expect(values[0].value).toBe(sb.origins.graph);
  });

  test("a nested $expand inside a collection works, but not together with $orderby or $top there", async () => {
    const id = await caseId("CAS-01003-G7H8J9");
    const expand =
      "cfx_incident_cfx_fileexchange_CaseId($select=cfx_name;$expand=cfx_fileexchange_cfx_exchangerecipient_ExchangeId($select=cfx_name))";
    const r = await get("agent", `incidents(${id})?$select=title&$expand=${q(expand)}`);
    const exchanges = r.body.cfx_incident_cfx_fileexchange_CaseId as Record<string, unknown>[];
    expect((exchanges[0].cfx_fileexchange_cfx_exchangerecipient_ExchangeId as Record<string, unknown>[])[0].cfx_name).toBe(
      "maria.lopez@fabrikam.example",
    );
    const withTop = "cfx_incident_cfx_fileexchange_CaseId($top=1;$expand=cfx_CaseId($select=title))";
    expect((await get("agent", `incidents(${id})?$expand=${q(withTop)}`)).status).toBe(400);
  });

  test("Prefer odata.maxpagesize pages with @odata.nextLink until the last page", async () => {
    const seen: unknown[] = [];
    let url: string | undefined = `${sb.dataverse}incidents?$select=ticketnumber&$orderby=ticketnumber`;
    let pages = 0;
    while (url) {
      const r = await sb.fetchAs("admin", url, { headers: { prefer: "odata.maxpagesize=5" } });
      expect(r.headers.get("preference-applied")).toContain("odata.maxpagesize=5");
      const body = (await r.json()) as Json;
      seen.push(...(body.value ?? []).map((v) => v.ticketnumber));
      url = body["@odata.nextLink"] as string | undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
  });

  test("Prefer include-annotations adds formatted values and lookup annotations", async () => {
    const r = await get(
      "agent",
      `cfx_fileexchanges?$select=cfx_stage,_cfx_caseid_value,cfx_expireson&$filter=${q("cfx_name eq 'CAS-01002-D4E5F6'")}`,
      {
        prefer: 'odata.include-annotations="*"',
      },
    );
    const row = r.body.value?.[0] as Record<string, unknown>;
    expect(row["cfx_stage@OData.Community.Display.V1.FormattedValue"]).toBe("Backup ready");
    expect(row["_cfx_caseid_value@OData.Community.Display.V1.FormattedValue"]).toBe("Workstation data migration");
    expect(row["_cfx_caseid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("incident");
    expect(row["_cfx_caseid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"]).toBe("cfx_CaseId");
    expect(row["cfx_expireson@OData.Community.Display.V1.FormattedValue"]).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2} (AM|PM)$/);
    const plain = await get("agent", `cfx_fileexchanges?$select=cfx_stage&$top=1`);
    expect(Object.keys(plain.body.value?.[0] ?? {}).some((k) => k.includes("FormattedValue"))).toBe(false);
  });

  test("a polymorphic customer lookup names its table", async () => {
    const id = await caseId("CAS-01001-A1B2C3");
    const r = await get("agent", `incidents(${id})?$select=_customerid_value`, {
      prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"',
    });
    expect(r.body["_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
    expect(r.body["_customerid_value@OData.Community.Display.V1.FormattedValue"]).toBeUndefined();
  });

  test("errors carry Dataverse's codes: 404 for a missing record, 400 for a bad query or property", async () => {
    const missing = await get("agent", "incidents(00000000-0000-4000-8000-000000000000)");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: "0x80040217", message: expect.stringContaining("Does Not Exist") } });
    const badFilter = await get("agent", `incidents?$filter=${q("title eq")}`);
    expect(badFilter.status).toBe(400);
    expect((badFilter.body.error as Record<string, string>).code).toMatch(/^0x/);
    const badColumn = await get("agent", "incidents?$select=nosuchcolumn");
    expect(badColumn.status).toBe(400);
    expect((badColumn.body.error as Record<string, string>).message).toContain("nosuchcolumn");
    const lookupByName = await get("agent", "cfx_fileexchanges?$select=cfx_caseid");
    expect(lookupByName.status).toBe(400);
    const unknownSet = await get("agent", "nosuchthings");
    expect(unknownSet.status).toBe(404);
    const skip = await get("agent", "incidents?$skip=1");
    expect(skip.status).toBe(400);
  });
});

describe("Dataverse writes", () => {
  test("POST creates with @odata.bind and answers 204 with OData-EntityId; return=representation answers 201", async () => {
    const id = await caseId("CAS-01000-Z9Y8X7");
    const created = await send("specialist", "POST", "annotations", {
      subject: "Folder created",
      notetext: "Created by a test.",
      "objectid_incident@odata.bind": `/incidents(${id})`,
    });
    expect(created.status).toBe(204);
    expect(created.headers.get("odata-entityid")).toMatch(/annotations\([0-9a-f-]{36}\)$/);
    const rep = await send(
      "agent",
      "POST",
      "annotations?$select=subject,objecttypecode,_objectid_value",
      { subject: "Second", "objectid_incident@odata.bind": `${sb.dataverse}incidents(${id})` },
      { prefer: "return=representation" },
    );
    expect(rep.status).toBe(201);
    expect(rep.body).toMatchObject({ subject: "Second", objecttypecode: "incident", _objectid_value: id });
  });

  test("a create with the id of an existing row is refused as a duplicate key (412, 0x80040237) and changes nothing", async () => {
    const id = await caseId("CAS-01000-Z9Y8X7");
    const noteId = "7d0c5a1e-3b2f-5c4d-8e9f-0a1b2c3d4e5f";
    const note = { annotationid: noteId, subject: "Once", notetext: "First", "objectid_incident@odata.bind": `/incidents(${id})` };
    expect((await send("agent", "POST", "annotations", note)).status).toBe(204);
    const again = await send("agent", "POST", "annotations", { ...note, notetext: "Second" });
    expect(again.status).toBe(412);
    expect(again.body.error).toEqual({ code: "0x80040237", message: "Cannot insert duplicate key." });
    const kept = await get("agent", `annotations(${noteId})?$select=notetext`);
    expect(kept.body.notetext).toBe("First");
    // The same in a $batch part: the retention job's writes take that answer as done.
    const boundary = "batch_once";
    const batch = await sb.fetchAs("agent", `${sb.dataverse}$batch`, {
      method: "POST",
      headers: { "content-type": `multipart/mixed; boundary=${boundary}` },
      body: [
        `--${boundary}`,
        "Content-Type: application/http",
        "Content-Transfer-Encoding: binary",
        "",
        `POST ${sb.dataverse}annotations HTTP/1.1`,
        "Content-Type: application/json",
        "",
        JSON.stringify({ ...note, notetext: "Third" }),
        `--${boundary}--`,
        "",
      ].join("\r\n"),
    });
    const text = await batch.text();
    expect(text).toContain("HTTP/1.1 412 Precondition Failed");
    expect(text).toContain('"code":"0x80040237"');
  });

  test("an exchange a specialist creates is theirs and the case's agent reads it; one created in the agent's name is refused", async () => {
    const id = await caseId("CAS-01000-Z9Y8X7");
    const agentId = "5e1a0001-0000-4000-8000-0000000000a1";
    const body = {
      cfx_name: "CAS-01000-Z9Y8X7",
      "cfx_CaseId@odata.bind": `/incidents(${id})`,
      cfx_direction: ExchangeDirection.backupForCustomer,
      cfx_stage: ExchangeStage.folderCreated,
    };
    // Business unit Create does not reach a row owned by a user of another unit (the agent sits in the root unit).
    const forAgent = await send("specialist", "POST", "cfx_fileexchanges", { ...body, "ownerid@odata.bind": `/systemusers(${agentId})` });
    expect(forAgent.status).toBe(403);
    expect(forAgent.body.error).toMatchObject({
      code: "0x80048306",
      message: expect.stringContaining("does not have CreateAccess right(s)"),
    });
    const r = await send("specialist", "POST", "cfx_fileexchanges", body, { prefer: "return=representation" });
    expect(r.status).toBe(201);
    expect(r.body._ownerid_value).toBe("5e1a0002-0000-4000-8000-0000000000a2");
    const seen = await get("agent", `cfx_fileexchanges(${String(r.body.cfx_fileexchangeid)})?$select=cfx_name`);
    expect(seen.status).toBe(200);
  });

  test("PATCH updates, If-Match: * refuses to create a missing record, and values are validated", async () => {
    const list = await get("agent", `cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=${q("cfx_name eq 'CAS-01001-A1B2C3'")}`);
    const id = String(list.body.value?.[0].cfx_fileexchangeid);
    const ok = await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { cfx_filecount: 3 }, { "if-match": "*" });
    expect(ok.status).toBe(204);
    const after = await get("agent", `cfx_fileexchanges(${id})?$select=cfx_filecount`);
    expect(after.body.cfx_filecount).toBe(3);
    const missing = await send(
      "agent",
      "PATCH",
      "cfx_fileexchanges(00000000-0000-4000-8000-000000000001)",
      { cfx_filecount: 1 },
      { "if-match": "*" },
    );
    expect(missing.status).toBe(404);
    const badStage = await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { cfx_stage: 7 });
    expect(badStage.status).toBe(400);
    const tooLong = await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { cfx_name: "x".repeat(300) });
    expect(tooLong.status).toBe(400);
    const unknown = await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { cfx_nosuch: 1 });
    expect(unknown.status).toBe(400);
    const badBind = await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { "cfx_caseid@odata.bind": `/incidents(${id})` });
    expect(badBind.status).toBe(400);
  });

  test("If-Match with an etag updates only the version it names (412 otherwise)", async () => {
    const list = await get("agent", `cfx_fileexchanges?$select=cfx_filecount&$filter=${q("cfx_name eq 'CAS-01002-D4E5F6'")}`);
    const row = list.body.value?.[0] as Record<string, unknown>;
    const id = String(row.cfx_fileexchangeid);
    const etag = String(row["@odata.etag"]);
    expect((await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { cfx_filecount: 5 }, { "if-match": etag })).status).toBe(204);
    const stale = await send("agent", "PATCH", `cfx_fileexchanges(${id})`, { cfx_filecount: 6 }, { "if-match": etag });
    expect(stale.status).toBe(412);
    expect((stale.body.error as Record<string, string>).code).toBe("0x80060882");
  });

  test("a resolved case refuses updates as Dataverse does, but its exchange still changes", async () => {
    const id = await caseId("CAS-01008-W3X4Y5");
    const r = await send("agent", "PATCH", `incidents(${id})`, { title: "changed" });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "0x800404cf", message: expect.stringContaining("already been resolved") });
    const ex = await get("agent", `cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=${q(`_cfx_caseid_value eq ${id}`)}`);
    const exId = String(ex.body.value?.[0].cfx_fileexchangeid);
    expect((await send("agent", "PATCH", `cfx_fileexchanges(${exId})`, { cfx_filecount: 1 })).status).toBe(204);
  });

  test("reassigning a case leaves its exchanges with their owner; reassigning an exchange reassigns its recipients (parental cascade)", async () => {
    const id = await caseId("CAS-01011-E5F6G7");
    const adminId = "5e1a0004-0000-4000-8000-0000000000a4";
    const agentId = "5e1a0001-0000-4000-8000-0000000000a1";
    const exchange = async () => {
      const ex = await get(
        "admin",
        `cfx_fileexchanges?$select=_ownerid_value&$filter=${q(`_cfx_caseid_value eq ${id}`)}&$expand=cfx_fileexchange_cfx_exchangerecipient_ExchangeId($select=_ownerid_value)`,
      );
      return ex.body.value?.[0] as Record<string, unknown>;
    };
    const before = await exchange();
    expect((await send("admin", "PATCH", `incidents(${id})`, { "ownerid@odata.bind": `/systemusers(${adminId})` })).status).toBe(204);
    // Case → exchange is configurable with assign NoCascade: the exchange keeps the owner who created it.
    expect((await exchange())._ownerid_value).toBe(before._ownerid_value);
    expect((await get("agent", `cfx_fileexchanges?$filter=${q(`_cfx_caseid_value eq ${id}`)}`)).body.value).toHaveLength(1);
    // Exchange → recipient is parental: assigning the exchange takes its recipients along.
    const exchangeId = String(before.cfx_fileexchangeid);
    expect(
      (await send("admin", "PATCH", `cfx_fileexchanges(${exchangeId})`, { "ownerid@odata.bind": `/systemusers(${agentId})` })).status,
    ).toBe(204);
    const after = await exchange();
    expect(after._ownerid_value).toBe(agentId);
    expect((after.cfx_fileexchange_cfx_exchangerecipient_ExchangeId as Record<string, unknown>[])[0]._ownerid_value).toBe(agentId);
  });

  test("CloseIncident resolves a case, which then refuses updates", async () => {
    const id = await caseId("CAS-01010-D5E6F7");
    const resolution = { IncidentResolution: { subject: "Solved", "incidentid@odata.bind": `/incidents(${id})` }, Status: 5 };
    expect((await send("agent", "POST", "CloseIncident", resolution)).status).toBe(204);
    expect((await get("agent", `incidents(${id})?$select=statecode,statuscode`)).body).toMatchObject({ statecode: 1, statuscode: 5 });
    expect((await send("agent", "PATCH", `incidents(${id})`, { title: "late edit" })).status).toBe(400);
    expect((await send("agent", "POST", "CloseIncident", resolution)).status).toBe(400);
    expect((await send("agent", "PATCH", `incidents(${id})`, { statecode: 0 })).status).toBe(400);
  });

  test("deleting a case deletes its exchanges (parental) and their recipients", async () => {
    const id = await caseId("CAS-01005-N4P5Q6");
    const ex = await get("admin", `cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=${q(`_cfx_caseid_value eq ${id}`)}`);
    const exId = String(ex.body.value?.[0].cfx_fileexchangeid);
    expect((await send("admin", "DELETE", `incidents(${id})`)).status).toBe(204);
    expect((await get("admin", `cfx_fileexchanges(${exId})`)).status).toBe(404);
    const recipients = await get("admin", `cfx_exchangerecipients?$filter=${q(`_cfx_exchangeid_value eq ${exId}`)}`);
    expect(recipients.body.value).toEqual([]);
  });
});

describe("record-level security", () => {
  test("an agent sees the exchanges of their business unit and the units below it, an agent of a unit below not those above", async () => {
    const created = await send(
      "admin",
      "POST",
      "incidents",
      {
        title: "Admin's own case",
        "customerid_account@odata.bind": `/accounts(${String((await get("admin", "accounts?$top=1")).body.value?.[0].accountid)})`,
      },
      { prefer: "return=representation" },
    );
    const id = String(created.body.incidentid);
    expect(created.body.ticketnumber).toMatch(/^CAS-\d{5}-[A-Z0-9]{6}$/);
    const ex = await send("admin", "POST", "cfx_fileexchanges", {
      cfx_name: String(created.body.ticketnumber),
      "cfx_CaseId@odata.bind": `/incidents(${id})`,
      cfx_direction: ExchangeDirection.backupForCustomer,
      cfx_stage: ExchangeStage.folderCreated,
    });
    const exId = /\(([^)]+)\)$/.exec(ex.headers.get("odata-entityid") ?? "")?.[1];
    // The administrator's exchange sits in the root unit: agents of the root unit reach it (parent: child depth)…
    expect((await get("agent", `cfx_fileexchanges(${exId})`)).status).toBe(200);
    // …an agent of the service center below does not, by id (403) or in a list (left out).
    const below = await get("serviceagent", `cfx_fileexchanges(${exId})`);
    expect(below.status).toBe(403);
    expect((below.body.error as Record<string, string>).code).toBe("0x80048306");
    const list = await get("serviceagent", `cfx_fileexchanges?$select=cfx_name&$filter=${q(`_cfx_caseid_value eq ${id}`)}`);
    expect(list.body.value).toEqual([]);
    expect((await get("supervisor", `cfx_fileexchanges(${exId})`)).status).toBe(200);
    const shared = await get("agent", `cfx_fileexchanges?$select=cfx_name&$filter=${q("cfx_name eq 'CAS-01012-H8J9K2'")}`);
    expect(shared.body.value).toHaveLength(1);
  });

  test("a specialist sees the exchanges of their business unit only", async () => {
    const r = await get("specialist", "cfx_fileexchanges?$select=cfx_name&$orderby=cfx_name");
    const names = r.body.value?.map((v) => v.cfx_name);
    expect(names).toEqual(expect.arrayContaining(["CAS-01001-A1B2C3", "CAS-01002-D4E5F6", "CAS-01003-G7H8J9", "CAS-01006-R7S8T9"]));
    // The agent's upload request belongs to the root unit.
    expect(names).not.toContain("CAS-01004-K1L2M3");
  });

  test("a supervisor reads everything and changes nothing", async () => {
    const r = await get("supervisor", "cfx_fileexchanges?$select=cfx_fileexchangeid&$top=1");
    const id = String(r.body.value?.[0].cfx_fileexchangeid);
    const patch = await send("supervisor", "PATCH", `cfx_fileexchanges(${id})`, { cfx_filecount: 9 });
    expect(patch.status).toBe(403);
    expect((patch.body.error as Record<string, string>).code).toBe("0x80040220");
  });

  test("in-app notifications are visible to their owner only", async () => {
    const mine = await get("agent", "appnotifications?$select=title");
    expect(mine.body.value?.length).toBeGreaterThan(0);
    const theirs = await get("specialist", "appnotifications?$select=title");
    expect(theirs.body.value).toEqual([]);
  });
});

describe("$batch", () => {
  test("answers each part in a multipart response and counts as one request in the log", async () => {
    await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });
    const body = [
      "--batch_1",
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      "",
      `GET ${sb.dataverse}incidents?$select=ticketnumber&$top=1 HTTP/1.1`,
      "Accept: application/json",
      "",
      "--batch_1",
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      "",
      "GET WhoAmI() HTTP/1.1",
      "",
      "--batch_1--",
      "",
    ].join("\r\n");
    const r = await sb.fetchAs("agent", `${sb.dataverse}$batch`, {
      method: "POST",
      headers: { "content-type": "multipart/mixed; boundary=batch_1" },
      body,
    });
    expect(r.status).toBe(200);
    const boundary = /boundary=(\S+)/.exec(r.headers.get("content-type") ?? "")?.[1];
    expect(boundary).toMatch(/^batchresponse_/);
    const text = await r.text();
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(text).toContain('"UserId":"5e1a0001-0000-4000-8000-0000000000a1"');
    const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as { path: string }[];
    expect(log.map((e) => e.path)).toEqual(["/api/data/v9.2/$batch"]);
  });
});

describe("functions and actions", () => {
  test("WhoAmI names the caller", async () => {
    const r = await get("specialist", "WhoAmI()");
    expect(r.body).toMatchObject({
      UserId: "5e1a0002-0000-4000-8000-0000000000a2",
      BusinessUnitId: expect.any(String),
      OrganizationId: expect.any(String),
    });
  });

  test("RetrieveEnvironmentVariableValue returns the current value, else the default; aliases work", async () => {
    const site = await get("agent", "RetrieveEnvironmentVariableValue(DefinitionSchemaName='cfx_SharePointSiteUrl')");
    expect(site.body.Value).toBe(`${sb.origins.sharepoint}/sites/CustomerFiles`);
    const days = await get("agent", "RetrieveEnvironmentVariableValue(DefinitionSchemaName=@p1)?@p1='cfx_BackupRetentionDays'");
    expect(days.body.Value).toBe("30");
    const missing = await get("agent", "RetrieveEnvironmentVariableValue(DefinitionSchemaName='cfx_Nope')");
    expect(missing.status).toBe(404);
  });

  test("SendEmail delivers to the mail sink at once, or leaves the e-mail pending while the mailbox is not approved", async () => {
    const id = await caseId("CAS-01002-D4E5F6");
    const makeEmail = async (subject: string) => {
      const r = await send(
        "agent",
        "POST",
        "emails",
        {
          subject,
          description: '<p>Your backup: <a href="https://example.test/folder">open</a></p>',
          "regardingobjectid_incident@odata.bind": `/incidents(${id})`,
          email_activity_parties: [{ addressused: "tom.baker@northwind.example", participationtypemask: 2 }],
        },
        { prefer: "return=representation" },
      );
      return String(r.body.activityid);
    };
    const first = await makeEmail("Sent at once");
    const sent = await send("agent", "POST", `emails(${first})/Microsoft.Dynamics.CRM.SendEmail`, { IssueSend: true });
    expect(sent.status).toBe(200);
    expect(sent.body.Subject).toBe("Sent at once");
    const mail = (await (await fetch(`${sb.origins.app}/_sandbox/mail`)).json()) as { subject: string; to: string[]; links: string[] }[];
    expect(mail.find((m) => m.subject === "Sent at once")).toMatchObject({
      to: ["tom.baker@northwind.example"],
      links: ["https://example.test/folder"],
    });
    expect((await get("agent", `emails(${first})?$select=statuscode`)).body.statuscode).toBe(3);

    await fetch(`${sb.origins.app}/_sandbox/policy`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mailboxApproved: false }),
    });
    const second = await makeEmail("Waits for the mailbox");
    await send("agent", "POST", `emails(${second})/Microsoft.Dynamics.CRM.SendEmail`, { IssueSend: true });
    expect((await get("agent", `emails(${second})?$select=statuscode`)).body.statuscode).toBe(6);
    await fetch(`${sb.origins.app}/_sandbox/policy`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mailboxApproved: true }),
    });
    expect((await get("agent", `emails(${second})?$select=statuscode`)).body.statuscode).toBe(3);
    const again = await send("agent", "POST", `emails(${second})/Microsoft.Dynamics.CRM.SendEmail`, { IssueSend: true });
    expect(again.status).toBe(400);
  });
});
