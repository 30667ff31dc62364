import { ExchangeDirection, ExchangeStage } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";

/**
 * The Case's file exchange status columns against the sandbox: rollups the solution zip brings,
 * calculated as Dataverse calculates them (the system jobs as time passes, CalculateRollupField on
 * demand), never by a write to the case.
 */
jest.setTimeout(120_000);

type Json = Record<string, unknown>;
let sb: TestSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb?.stop();
});

async function send(
  user: UserKey,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await sb.fetchAs(user, sb.dataverse + path, {
    method,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Json) : {}, headers: r.headers };
}

async function advanceHours(hours: number): Promise<void> {
  const r = await fetch(`${sb.origins.app}/_sandbox/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceDays: hours / 24, sweep: false }),
  });
  expect(r.status).toBe(200);
}

const columns = [
  "cfx_backupsreadycount",
  "cfx_backupssharedcount",
  "cfx_awaitingfilescount",
  "cfx_filesreceivedcount",
  "cfx_nextfolderdeletionon",
  "cfx_exchangefilecount",
];
const caseId = (number: string) => stableId(`incident/${number}`);

async function figures(number: string): Promise<Json> {
  const r = await send(
    "supervisor",
    "GET",
    `incidents(${caseId(number)})?$select=${columns.join(",")},cfx_backupsreadycount_state,modifiedon`,
  );
  expect(r.status).toBe(200);
  return r.body;
}

async function expiryOf(number: string): Promise<string | null> {
  const r = await send("admin", "GET", `cfx_fileexchanges?$select=cfx_expireson&$filter=_cfx_caseid_value eq ${caseId(number)}`);
  const values = (r.body.value as { cfx_expireson: string | null }[]).map((e) => e.cfx_expireson).filter((v): v is string => v !== null);
  return values.sort()[0] ?? null;
}

describe("the Case's file exchange status", () => {
  test("is not calculated until the mass calculation runs, 12 hours after the import", async () => {
    const before = await figures("CAS-01002-D4E5F6");
    expect(before.cfx_backupsreadycount).toBeNull();
    expect(before.cfx_backupsreadycount_state).toBe(0);
    await advanceHours(11);
    expect((await figures("CAS-01002-D4E5F6")).cfx_backupsreadycount).toBeNull();
  });

  test("after it, each seeded case shows its exchanges' status, next deletion and files", async () => {
    await advanceHours(1);
    expect(await figures("CAS-01002-D4E5F6")).toMatchObject({
      cfx_backupsreadycount: 1,
      cfx_backupssharedcount: 0,
      cfx_exchangefilecount: 1,
    });
    expect(await figures("CAS-01003-G7H8J9")).toMatchObject({
      cfx_backupssharedcount: 1,
      cfx_backupsreadycount: 0,
      cfx_nextfolderdeletionon: await expiryOf("CAS-01003-G7H8J9"),
    });
    expect(await figures("CAS-01005-N4P5Q6")).toMatchObject({ cfx_awaitingfilescount: 1, cfx_filesreceivedcount: 0 });
    expect(await figures("CAS-01004-K1L2M3")).toMatchObject({ cfx_filesreceivedcount: 1, cfx_awaitingfilescount: 0 });
    // A deleted folder is no longer counted, nor deleted again.
    expect(await figures("CAS-01007-U1V2W3")).toMatchObject({
      cfx_backupsreadycount: 0,
      cfx_backupssharedcount: 0,
      cfx_nextfolderdeletionon: null,
      cfx_exchangefilecount: 0,
    });
    expect(await figures("CAS-01000-Z9Y8X7")).toMatchObject({ cfx_backupsreadycount: 0, cfx_nextfolderdeletionon: null });
    expect((await figures("CAS-01002-D4E5F6")).cfx_backupsreadycount_state).toBe(1);
  });

  test("a second live exchange shows once recalculated: on demand, then by the hourly job; the case row is not modified", async () => {
    const number = "CAS-01002-D4E5F6";
    const before = await figures(number);
    const expires = new Date(Date.parse(String((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()).now)) + 3 * 86_400_000);
    const created = await send("admin", "POST", "cfx_fileexchanges", {
      cfx_name: `${number} upload`,
      "cfx_CaseId@odata.bind": `/incidents(${caseId(number)})`,
      cfx_direction: ExchangeDirection.filesFromCustomer,
      cfx_stage: ExchangeStage.shared,
      cfx_expireson: expires.toISOString(),
      cfx_filecount: 0,
    });
    expect(created.status).toBe(204);
    // Nothing changes on write.
    expect((await figures(number)).cfx_awaitingfilescount).toBe(0);

    const target = encodeURIComponent(JSON.stringify({ "@odata.id": `incidents(${caseId(number)})` }));
    const calculated = await send(
      "supervisor",
      "GET",
      `CalculateRollupField(Target=@t,FieldName=@f)?@t=${target}&@f=${encodeURIComponent("'cfx_awaitingfilescount'")}`,
    );
    expect(calculated.status).toBe(200);
    expect(calculated.body).toMatchObject({ cfx_awaitingfilescount: 1, cfx_awaitingfilescount_state: 1 });
    expect(calculated.body.cfx_awaitingfilescount_date).toEqual(expect.any(String));
    // Only the column asked for: the next deletion waits for the job.
    expect((await figures(number)).cfx_nextfolderdeletionon).toBe(before.cfx_nextfolderdeletionon);

    await advanceHours(1);
    const after = await figures(number);
    expect(after).toMatchObject({
      cfx_backupsreadycount: 1,
      cfx_awaitingfilescount: 1,
      cfx_nextfolderdeletionon: expires.toISOString().replace(/\.\d{3}Z$/, "Z"),
    });
    expect(after.modifiedon).toBe(before.modifiedon);
  });

  test("a rollup column cannot be written, and CalculateRollupField refuses a column that is not one", async () => {
    const number = "CAS-01003-G7H8J9";
    const patched = await send("admin", "PATCH", `incidents(${caseId(number)})`, { cfx_backupssharedcount: 99 });
    expect(patched.status).toBe(204);
    expect((await figures(number)).cfx_backupssharedcount).toBe(1);
    const target = encodeURIComponent(JSON.stringify({ "@odata.id": `incidents(${caseId(number)})` }));
    const refused = await send("supervisor", "GET", `CalculateRollupField(Target=@t,FieldName=@f)?@t=${target}&@f='title'`);
    expect(refused.status).toBe(400);
  });
});
