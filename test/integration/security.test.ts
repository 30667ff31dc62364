import { ExchangeDirection, ExchangeStage } from "../../src/model";
import { webResources } from "../../src/model/webresources";
import { solutionParts, zipParts } from "../../solution/buildSolution";
import { serviceBusinessUnitId, teamByKey, userByKey } from "../../sandbox/seed/people";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";

/**
 * The sandbox's Dataverse decides access as Dataverse does: privileges by name and depth from the
 * roles a person and their teams hold (the imported roles, not the model), business units as a tree,
 * owner teams, shares, Append/AppendTo, Assign and the cascades each relationship declares. Each
 * situation below is one a customer's organization meets; the old sandbox answered most of them
 * more kindly than Dataverse.
 *
 * Seeded: "Contoso" (root) with Alex and Jordan (agents), Pat (supervisor), Ada (administrator, System
 * Administrator), Dana (dispatcher, Customer Service Representative only) and the owner team Tier 2
 * Support (Alex, Jordan; the agent role); "Contoso Service Center" below it with Sam (specialist) and
 * Riley (an agent of that unit). Backups' exchanges belong to Sam, upload requests' to Alex.
 */

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startSandbox();
}, 30_000);
afterAll(async () => {
  await sb.stop();
}, 30_000);

type Json = Record<string, unknown> & { value?: Record<string, unknown>[]; error?: { code: string; message: string } };

async function call(user: UserKey, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await sb.fetchAs(user, sb.dataverse + path, {
    method,
    headers: { "content-type": "application/json", prefer: 'odata.include-annotations="*"', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : {}) as Json, headers: r.headers };
}
const get = (user: UserKey, path: string) => call(user, "GET", path);
const q = (s: string) => encodeURIComponent(s);
const id = (key: UserKey) => userByKey(key)!.id;
const tier2 = teamByKey("tier2")!;

async function caseId(number: string): Promise<string> {
  const r = await get("admin", `incidents?$select=incidentid&$filter=${q(`ticketnumber eq '${number}'`)}`);
  return String(r.body.value?.[0]?.incidentid);
}
async function exchangeOf(number: string): Promise<Record<string, unknown>> {
  const r = await get(
    "admin",
    `cfx_fileexchanges?$select=cfx_name,_ownerid_value,_owningbusinessunit_value&$filter=${q(`cfx_name eq '${number}'`)}`,
  );
  return r.body.value?.[0] as Record<string, unknown>;
}
async function names(user: UserKey, set: string, column: string): Promise<string[] | number> {
  const r = await get(user, `${set}?$select=${column}`);
  if (r.status !== 200) return r.status;
  return (r.body.value ?? []).map((v) => String(v[column])).sort();
}
const newExchange = (caseNumber: string, caseRowId: string, extra: Record<string, unknown> = {}) => ({
  cfx_name: caseNumber,
  "cfx_CaseId@odata.bind": `/incidents(${caseRowId})`,
  cfx_direction: ExchangeDirection.backupForCustomer,
  cfx_stage: ExchangeStage.folderCreated,
  ...extra,
});
/** Dataverse's access check failed: the privilege is held, but not at a depth (or share) that reaches the row. */
const accessError = (right: string) => ({
  code: "0x80048306",
  message: expect.stringMatching(
    new RegExp(`^Principal with id [0-9a-f-]{36} does not have ${right} right\\(s\\) for record with id [0-9a-f-]{36} of entity `),
  ),
});
const privilegeError = (privilege: string) => ({
  code: "0x80040220",
  message: expect.stringMatching(new RegExp(`^Principal user \\(Id=.*\\), is missing ${privilege} privilege`)),
});

/** The seeded exchanges by case number (CAS-01004 and CAS-01005 are Alex's upload requests, the rest Sam's backups). */
const all = ["1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1011", "1012", "1013"].map((n) => `CAS-0${n}`);
const serviceCenter = all.filter((n) => n !== "CAS-01004" && n !== "CAS-01005");

describe("who reaches what", () => {
  test("each person reaches the rows their roles' depths and their teams give, from their own business unit", async () => {
    const exchanges = async (user: UserKey) => {
      const found = await names(user, "cfx_fileexchanges", "cfx_name");
      return typeof found === "number" ? found : found.map((n) => n.slice(0, 9));
    };
    // Exchanges: agents Deep (their unit and below), specialists Local, supervisors and administrators Global.
    expect(await exchanges("agent")).toEqual(all);
    expect(await exchanges("agent2")).toEqual(all);
    expect(await exchanges("serviceagent")).toEqual(serviceCenter);
    expect(await exchanges("specialist")).toEqual(serviceCenter);
    expect(await exchanges("supervisor")).toEqual(all);
    expect(await exchanges("admin")).toEqual(all);
    expect(await exchanges("dispatcher")).toBe(403);
    // Cases (all in the root unit): the Customer Service Representative's business unit depth, the
    // specialists' and supervisors' organization-wide read; Riley's unit holds none.
    for (const user of ["agent", "agent2", "specialist", "supervisor", "admin", "dispatcher"] as const)
      expect(((await names(user, "incidents", "ticketnumber")) as string[]).length).toBe(14);
    expect(await names("serviceagent", "incidents", "ticketnumber")).toEqual([]);
    // Recipients (the agents' rows, root unit): not the service center's people.
    expect(((await names("agent", "cfx_exchangerecipients", "cfx_name")) as string[]).length).toBe(5);
    expect(await names("specialist", "cfx_exchangerecipients", "cfx_name")).toEqual([]);
    expect(await names("serviceagent", "cfx_exchangerecipients", "cfx_name")).toEqual([]);
    expect(await names("dispatcher", "cfx_exchangerecipients", "cfx_name")).toBe(403);
    // Tickets (the service center's rows): agents' parent: child depth from the root reaches them.
    for (const user of ["agent", "serviceagent", "specialist", "supervisor"] as const)
      expect(((await names(user, "cfx_hardwaretickets", "cfx_name")) as string[]).length).toBe(6);
    expect(await names("dispatcher", "cfx_hardwaretickets", "cfx_name")).toBe(403);
    // Notifications: their owner's only (Basic), every one for System Administrator.
    expect(((await names("agent", "appnotifications", "title")) as string[]).length).toBeGreaterThan(0);
    for (const user of ["agent2", "specialist", "supervisor", "dispatcher"] as const)
      expect(await names(user, "appnotifications", "title")).toEqual([]);
  });

  test("a specialist of the unit below creates an exchange on a root-unit agent's case, owns it and reads it; the agents above read it too", async () => {
    const kase = await caseId("CAS-01000-Z9Y8X7");
    const created = await call("specialist", "POST", "cfx_fileexchanges", newExchange("CAS-01000-Z9Y8X7", kase), {
      prefer: "return=representation",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ _ownerid_value: id("specialist"), _owningbusinessunit_value: serviceBusinessUnitId });
    const exchange = String(created.body.cfx_fileexchangeid);
    for (const user of ["specialist", "agent", "agent2", "serviceagent", "supervisor"] as const)
      expect((await get(user, `cfx_fileexchanges(${exchange})?$select=cfx_name`)).status).toBe(200);
  });

  test("an agent of the unit below reaches that unit's exchanges, never one of the root unit above it", async () => {
    const upload = await exchangeOf("CAS-01004-K1L2M3");
    expect(upload._ownerid_value).toBe(id("agent"));
    const refused = await get("serviceagent", `cfx_fileexchanges(${String(upload.cfx_fileexchangeid)})`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual(accessError("ReadAccess"));
    expect((await get("agent", `cfx_fileexchanges(${String(upload.cfx_fileexchangeid)})`)).status).toBe(200);
    const backup = await exchangeOf("CAS-01003-G7H8J9");
    expect((await get("serviceagent", `cfx_fileexchanges(${String(backup.cfx_fileexchangeid)})`)).status).toBe(200);
    const kase = await get("serviceagent", `incidents(${await caseId("CAS-01004-K1L2M3")})`);
    expect(kase.status).toBe(403);
  });

  test("a case the Tier 2 Support team owns is read by its members, and by nobody the team's or their own roles do not reach", async () => {
    const kase = await caseId("CAS-01013-T2Q5R8");
    const read = await get("agent", `incidents(${kase})?$select=ticketnumber,_ownerid_value`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      _ownerid_value: tier2.id,
      "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "team",
      "_ownerid_value@OData.Community.Display.V1.FormattedValue": "Tier 2 Support",
    });
    expect((await get("agent2", `incidents(${kase})`)).status).toBe(200);
    expect((await get("serviceagent", `incidents(${kase})`)).status).toBe(403);
    // Its backup is ready to notify support: stored, not yet notified, owned by the specialist who made it.
    const exchange = await get(
      "agent",
      `cfx_fileexchanges?$select=cfx_stage,cfx_filecount,_ownerid_value&$filter=${q(`_cfx_caseid_value eq ${kase}`)}`,
    );
    expect(exchange.body.value).toEqual([
      expect.objectContaining({ cfx_stage: ExchangeStage.folderCreated, cfx_filecount: 1, _ownerid_value: id("specialist") }),
    ]);
  });
});

describe("writes need their privilege at a depth that reaches the row", () => {
  test("an exchange whose case the caller cannot append to is refused, and nothing is written", async () => {
    const before = ((await names("admin", "cfx_fileexchanges", "cfx_name")) as string[]).length;
    const kase = await caseId("CAS-01009-A2B3C4");
    const r = await call("serviceagent", "POST", "cfx_fileexchanges", newExchange("CAS-01009-A2B3C4", kase));
    expect(r.status).toBe(403);
    expect(r.body.error).toEqual(accessError("AppendToAccess"));
    expect(((await names("admin", "cfx_fileexchanges", "cfx_name")) as string[]).length).toBe(before);
  });

  test("giving a row to someone else needs Assign; creating one owned by another user needs Create that reaches them", async () => {
    const mine = await exchangeOf("CAS-01001-A1B2C3");
    expect(mine._ownerid_value).toBe(id("specialist"));
    const assigned = await call("specialist", "PATCH", `cfx_fileexchanges(${String(mine.cfx_fileexchangeid)})`, {
      "ownerid@odata.bind": `/systemusers(${id("agent")})`,
    });
    expect(assigned.status).toBe(403);
    expect(assigned.body.error).toEqual(privilegeError("prvAssigncfx_FileExchange"));
    expect((await exchangeOf("CAS-01001-A1B2C3"))._ownerid_value).toBe(id("specialist"));

    // Agents create exchanges at user level: only their own, not one for a colleague of the same unit.
    const kase = await caseId("CAS-01010-D5E6F7");
    const forColleague = await call(
      "agent",
      "POST",
      "cfx_fileexchanges",
      newExchange("CAS-01010-D5E6F7", kase, { "ownerid@odata.bind": `/systemusers(${id("agent2")})` }),
    );
    expect(forColleague.status).toBe(403);
    expect(forColleague.body.error).toEqual(accessError("CreateAccess"));
    expect((await call("agent", "POST", "cfx_fileexchanges", newExchange("CAS-01010-D5E6F7", kase))).status).toBe(204);
  });

  test("supervisors read everything and write nothing of the product's", async () => {
    const exchange = await exchangeOf("CAS-01002-D4E5F6");
    const path = `cfx_fileexchanges(${String(exchange.cfx_fileexchangeid)})`;
    expect((await get("supervisor", path)).status).toBe(200);
    const write = await call("supervisor", "PATCH", path, { cfx_filecount: 9 });
    expect(write.status).toBe(403);
    expect(write.body.error).toEqual(privilegeError("prvWritecfx_FileExchange"));
    const remove = await call("supervisor", "DELETE", path);
    expect(remove.body.error).toEqual(privilegeError("prvDeletecfx_FileExchange"));
    const ticket = await call("supervisor", "POST", "cfx_hardwaretickets", {
      "cfx_CaseId@odata.bind": `/incidents(${await caseId("CAS-01000-Z9Y8X7")})`,
    });
    expect(ticket.body.error).toEqual(privilegeError("prvCreatecfx_HardwareTicket"));
    // A note on an exchange: the note is theirs to write (Customer Service Representative), the exchange is not theirs to append to.
    const note = await call("supervisor", "POST", "annotations", { subject: "x", [`objectid_cfx_fileexchange@odata.bind`]: `/${path}` });
    expect(note.body.error).toEqual(privilegeError("prvAppendTocfx_FileExchange"));
  });
});

describe("assigning", () => {
  test("a dispatcher with only Customer Service Representative assigns a case with an exchange: the exchange keeps its owner, the new owner reads it", async () => {
    const kase = await caseId("CAS-01003-G7H8J9");
    const before = await exchangeOf("CAS-01003-G7H8J9");
    const r = await call("dispatcher", "PATCH", `incidents(${kase})`, { "ownerid@odata.bind": `/systemusers(${id("agent2")})` });
    expect(r.status).toBe(204);
    expect((await get("admin", `incidents(${kase})?$select=_ownerid_value`)).body._ownerid_value).toBe(id("agent2"));
    // Case → exchange: assign does not cascade (the relationship is configurable).
    expect((await exchangeOf("CAS-01003-G7H8J9"))._ownerid_value).toBe(before._ownerid_value);
    expect((await get("agent2", `cfx_fileexchanges(${String(before.cfx_fileexchangeid)})`)).status).toBe(200);
    // The dispatcher herself holds no privilege on exchanges.
    expect((await get("dispatcher", `cfx_fileexchanges(${String(before.cfx_fileexchangeid)})`)).body.error).toEqual(
      privilegeError("prvReadcfx_FileExchange"),
    );
  });

  test("a dispatcher gives a case to the Tier 2 Support team; its members read it", async () => {
    const kase = await caseId("CAS-01009-A2B3C4");
    const r = await call("dispatcher", "PATCH", `incidents(${kase})`, { "ownerid@odata.bind": `/teams(${tier2.id})` });
    expect(r.status).toBe(204);
    const read = await get("agent2", `incidents(${kase})?$select=_ownerid_value`);
    expect(read.body["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("team");
  });

  test("a new owner must be able to read the table; an assign cascading to recipients moves them with the exchange", async () => {
    const exchange = await exchangeOf("CAS-01011-E5F6G7");
    const path = `cfx_fileexchanges(${String(exchange.cfx_fileexchangeid)})`;
    const refused = await call("admin", "PATCH", path, { "ownerid@odata.bind": `/systemusers(${id("dispatcher")})` });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "0x80040220",
      message: expect.stringMatching(
        new RegExp(
          `^SecLib::CheckPrivilege failed\\. User: ${id("dispatcher")}, PrivilegeName: prvReadcfx_FileExchange, .*Required Depth: Basic`,
        ),
      ),
    });
    expect((await call("admin", "PATCH", path, { "ownerid@odata.bind": `/systemusers(${id("agent2")})` })).status).toBe(204);
    const after = await get(
      "admin",
      `${path}?$select=_ownerid_value&$expand=cfx_fileexchange_cfx_exchangerecipient_ExchangeId($select=_ownerid_value)`,
    );
    expect(after.body._ownerid_value).toBe(id("agent2"));
    const recipients = after.body.cfx_fileexchange_cfx_exchangerecipient_ExchangeId as Record<string, unknown>[];
    expect(recipients.length).toBeGreaterThan(0);
    for (const r of recipients) expect(r._ownerid_value).toBe(id("agent2"));
  });
});

describe("sharing", () => {
  const grant = (user: UserKey, table: string, key: string, rowId: string, principal: string, mask: string) =>
    call(user, "POST", "GrantAccess", {
      Target: { [key]: rowId, "@odata.type": `Microsoft.Dynamics.CRM.${table}` },
      PrincipalAccess: { Principal: { systemuserid: principal, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" }, AccessMask: mask },
    });
  const revoke = (user: UserKey, table: string, key: string, rowId: string, principal: string) =>
    call(user, "POST", "RevokeAccess", {
      Target: { [key]: rowId, "@odata.type": `Microsoft.Dynamics.CRM.${table}` },
      Revokee: { systemuserid: principal, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
    });

  test("sharing a case shares its exchanges and their recipients with the grantee; revoking takes them all back", async () => {
    const kase = await caseId("CAS-01004-K1L2M3");
    const exchange = String((await exchangeOf("CAS-01004-K1L2M3")).cfx_fileexchangeid);
    const recipientsOf = `cfx_exchangerecipients?$select=cfx_name&$filter=${q(`_cfx_exchangeid_value eq ${exchange}`)}`;
    expect((await get("serviceagent", `cfx_fileexchanges(${exchange})`)).status).toBe(403);

    expect((await grant("admin", "incident", "incidentid", kase, id("serviceagent"), "ReadAccess")).status).toBe(204);
    expect((await get("serviceagent", `incidents(${kase})`)).status).toBe(200);
    expect((await get("serviceagent", `cfx_fileexchanges(${exchange})`)).status).toBe(200);
    expect((await get("serviceagent", recipientsOf)).body.value).toHaveLength(1);
    // Read was shared, not Write.
    const write = await call("serviceagent", "PATCH", `cfx_fileexchanges(${exchange})`, { cfx_filecount: 2 });
    expect(write.body.error).toEqual(accessError("WriteAccess"));

    expect((await revoke("admin", "incident", "incidentid", kase, id("serviceagent"))).status).toBe(204);
    expect((await get("serviceagent", `incidents(${kase})`)).status).toBe(403);
    expect((await get("serviceagent", `cfx_fileexchanges(${exchange})`)).status).toBe(403);
    expect((await get("serviceagent", recipientsOf)).body.value).toEqual([]);
  });

  test("the share reaches only the children the sharer may share: an agent's share of their case leaves its exchange unshared", async () => {
    const kase = await caseId("CAS-01005-N4P5Q6");
    const exchange = String((await exchangeOf("CAS-01005-N4P5Q6")).cfx_fileexchangeid);
    expect((await grant("agent", "incident", "incidentid", kase, id("serviceagent"), "ReadAccess, WriteAccess")).status).toBe(204);
    expect((await get("serviceagent", `incidents(${kase})`)).status).toBe(200);
    // The agent role holds no Share privilege on exchanges.
    expect((await get("serviceagent", `cfx_fileexchanges(${exchange})`)).status).toBe(403);
    // Sharing needs Share reaching the case: the specialist's Customer Service Representative role shares their own unit's cases only.
    const refused = await grant("specialist", "incident", "incidentid", kase, id("serviceagent"), "ReadAccess");
    expect(refused.status).toBe(403);
  });
});

describe("RetrievePrincipalAccess", () => {
  const rights = (user: UserKey, principal: string, target: string, alias = `{'@odata.id':'${target}'}`) =>
    call(user, "GET", `systemusers(${principal})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=${q(alias)}`);

  test("answers the rights a user's roles, depths and shares give on a case, as the Web API writes flags", async () => {
    const own = await caseId("CAS-01010-D5E6F7");
    const mine = await rights("agent", id("agent"), `incidents(${own})`);
    expect(mine.status).toBe(200);
    expect(mine.body["@odata.context"]).toMatch(/\$metadata#Microsoft\.Dynamics\.CRM\.RetrievePrincipalAccessResponse$/);
    const names = String(mine.body.AccessRights).split(", ");
    expect(names).toEqual(expect.arrayContaining(["ReadAccess", "AppendToAccess"]));
    // Flags in their numeric order, as OData writes an enum's flags.
    const order = [
      "ReadAccess",
      "WriteAccess",
      "AppendAccess",
      "AppendToAccess",
      "CreateAccess",
      "DeleteAccess",
      "ShareAccess",
      "AssignAccess",
    ];
    expect(names).toEqual([...names].sort((a, b) => order.indexOf(a) - order.indexOf(b)));

    // Riley, an agent of the service center, reaches none of the root unit's cases until one is shared with him.
    const kase = await caseId("CAS-01013-T2Q5R8");
    const none = await rights("serviceagent", id("serviceagent"), `incidents(${kase})`);
    expect(none.body.AccessRights).not.toMatch(/ReadAccess|AppendToAccess/);
    const granted = await call("admin", "POST", "GrantAccess", {
      Target: { incidentid: kase, "@odata.type": "Microsoft.Dynamics.CRM.incident" },
      PrincipalAccess: {
        Principal: { systemuserid: id("serviceagent"), "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
        AccessMask: "ReadAccess",
      },
    });
    expect(granted.status).toBe(204);
    const read = await rights("serviceagent", id("serviceagent"), `incidents(${kase})`);
    expect(String(read.body.AccessRights).split(", ")).toContain("ReadAccess");
    expect(read.body.AccessRights).not.toMatch(/AppendToAccess|WriteAccess/);
    // Another principal may be asked about; the full URI and JSON's double quotes work too.
    const other = await rights("admin", id("serviceagent"), "", JSON.stringify({ "@odata.id": `${sb.dataverse}incidents(${kase})` }));
    expect(other.body.AccessRights).toBe(read.body.AccessRights);
  });

  test("refuses a call without Target, or with a record that is not there", async () => {
    const missing = await call("agent", "GET", `systemusers(${id("agent")})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)`);
    expect(missing.status).toBe(400);
    const gone = await rights("agent", id("agent"), "incidents(00000000-0000-0000-0000-000000000001)");
    expect(gone.status).toBe(404);
  });
});

describe("the app shell", () => {
  test("shows the dispatcher's cases, and tells her she may not read exchanges instead of listing them", async () => {
    const signin = await fetch(`${sb.origins.app}/_sandbox/signin?user=dispatcher&returnTo=/main.aspx`, { redirect: "manual" });
    const cookie = (signin.headers.get("set-cookie") ?? "").split(";")[0];
    const open = (path: string) => fetch(`${sb.origins.app}${path}`, { headers: { cookie } });
    const cases = await open("/main.aspx?pagetype=entitylist&etn=incident");
    expect(cases.status).toBe(200);
    expect(await cases.text()).toContain("CAS-01013-T2Q5R8");
    const exchanges = await open("/main.aspx?pagetype=entitylist&etn=cfx_fileexchange");
    expect(exchanges.status).toBe(403);
    expect(await exchanges.text()).toContain("You do not have permission to access these records.");
    const switcher = await (await open("/main.aspx?pagetype=entitylist&etn=incident")).text();
    expect(switcher).toContain("Dana Dispatcher");
  });
});

describe("the imported roles decide, not the model", () => {
  const stub = (name: string) =>
    new TextEncoder().encode(name.endsWith(".html") ? `<!doctype html><title>${name}</title>` : `/* ${name} */`);
  /** The shipped solution at `version`, with `change` applied to the specialist's role in customizations.xml. */
  async function solutionZip(version: string, change: (specialistRole: string) => string = (x) => x): Promise<Uint8Array> {
    const parts = solutionParts({ version, managed: false, webResources, readWebResource: stub }).map((p) => {
      if (p.path !== "customizations.xml") return p;
      const xml = new TextDecoder().decode(p.data);
      const changed = xml.replace(/<Role id="[^"]*" name="Case File Exchange Service Specialist"[\s\S]*?<\/Role>/, change);
      if (changed === xml && change("") !== "") throw new Error("the specialist's role was not found");
      return { path: p.path, data: new TextEncoder().encode(changed) };
    });
    return zipParts(parts);
  }
  async function importZip(zip: Uint8Array): Promise<void> {
    const r = await fetch(`${sb.origins.app}/_sandbox/import`, {
      method: "POST",
      headers: { "content-type": "application/zip" },
      body: Buffer.from(zip),
    });
    expect(r.status).toBe(200);
  }
  const notifyAgent = () =>
    call("specialist", "POST", "appnotifications", {
      title: "Backup ready",
      body: "Share it with the customer.",
      "ownerid@odata.bind": `/systemusers(${id("agent")})`,
    });

  test("a specialist whose role creates notifications at user level cannot notify a root-unit agent; at the shipped organization level they can", async () => {
    await importZip(
      await solutionZip("0.2.0", (role) =>
        role.replace(
          '<RolePrivilege name="prvCreateappnotification" level="Global" />',
          '<RolePrivilege name="prvCreateappnotification" level="Basic" />',
        ),
      ),
    );
    const refused = await notifyAgent();
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual(accessError("CreateAccess"));
    await importZip(await solutionZip("0.3.0"));
    expect((await notifyAgent()).status).toBe(204);
  });

  test("an assign cascading to recipients fails as a whole when the new owner cannot read recipients", async () => {
    const exchange = await exchangeOf("CAS-01008-W3X4Y5");
    const path = `cfx_fileexchanges(${String(exchange.cfx_fileexchangeid)})`;
    // Move it to an agent first, so that giving it to the specialist is an assign.
    expect((await call("admin", "PATCH", path, { "ownerid@odata.bind": `/systemusers(${id("agent")})` })).status).toBe(204);
    await importZip(
      await solutionZip("0.4.0", (role) => role.replace(/<RolePrivilege name="prvReadcfx_ExchangeRecipient" level="\w+" \/>/, "")),
    );
    const refused = await call("admin", "PATCH", path, { "ownerid@odata.bind": `/systemusers(${id("specialist")})` });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toMatch(
      new RegExp(`^SecLib::CheckPrivilege failed\\. User: ${id("specialist")}, PrivilegeName: prvReadcfx_ExchangeRecipient, `),
    );
    expect((await exchangeOf("CAS-01008-W3X4Y5"))._ownerid_value).toBe(id("agent"));
    await importZip(await solutionZip("0.5.0"));
    expect((await call("admin", "PATCH", path, { "ownerid@odata.bind": `/systemusers(${id("specialist")})` })).status).toBe(204);
  });
});
