import { ExchangeStage } from "../../src/model";
import { startSandbox, type TestSandbox } from "./support/sandbox";
import { retentionWorld } from "./support/retentionWorld";

/**
 * Following the case (cfx_ClosedCaseAccessDays): with the setting on, customers' access to a
 * resolved case's folders ends the set days after the retention job first sees it closed —
 * revoked, noted, the customer e-mailed once — while the folder keeps its expiry; a case reopened
 * in time keeps its access; with the setting off (the default) nothing of this happens.
 */
jest.setTimeout(180_000);

let sb: TestSandbox;
const w = retentionWorld(() => sb);
const CASE = "CAS-01009-A2B3C4";

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await w.control("PUT", "/_sandbox/faults", {});
  await w.control("POST", "/_sandbox/reset");
});

const resolve = async (caseId: string) =>
  w.dv("CloseIncident", {
    method: "POST",
    body: JSON.stringify({ IncidentResolution: { subject: "Solved", "incidentid@odata.bind": `/incidents(${caseId})` }, Status: 5 }),
  });
const reopen = (caseId: string) =>
  w.dv(`incidents(${caseId})`, { method: "PATCH", body: JSON.stringify({ statecode: 0, statuscode: 1 }), headers: { "If-Match": "*" } });
const seenOn = async (id: string) => (await w.dv(`cfx_fileexchanges(${id})?$select=cfx_caseclosedseenon`)).cfx_caseclosedseenon;
const mailTo = async (address: string) =>
  ((await (await fetch(`${sb.origins.app}/_sandbox/mail`)).json()) as Array<{ to: string[]; subject: string; text: string }>).filter((m) =>
    m.to.includes(address),
  );

test("with the setting on, access ends the set days after the job first sees the case resolved, once", async () => {
  await w.setSetting("cfx_ClosedCaseAccessDays", "3");
  const x = await w.uploadFolder("CAS-07201-CLOSE1", ["log.txt"], { caseNumber: CASE });
  const invitations = (await mailTo(x.email)).length;
  await resolve(x.caseId);

  const seen = await w.sweepAfter(0.1);
  expect(seen.failures).toEqual([]);
  expect(await seenOn(x.id)).toBeTruthy();
  expect(await w.guestPermissions(x.itemId)).toHaveLength(1);

  await w.sweepAfter(2.5);
  expect(await w.guestPermissions(x.itemId)).toHaveLength(1);

  const ended = await w.sweepAfter(0.5);
  expect(ended.failures).toEqual([]);
  expect(ended.counts.accessEndedCaseClosed).toBeGreaterThanOrEqual(1);
  expect(await w.guestPermissions(x.itemId)).toEqual([]);
  const [recipient] = await w.rows(`cfx_exchangerecipients?$select=cfx_revokedon,cfx_reason&$filter=_cfx_exchangeid_value eq ${x.id}`);
  expect(recipient.cfx_revokedon).toBeTruthy();
  expect(recipient.cfx_reason).toBe("Access ended because the case was closed. (Retention job)");
  const mail = (await mailTo(x.email)).slice(invitations);
  expect(mail.map((m) => m.subject)).toEqual([`Your access to the files of case ${CASE} has ended`]);
  expect(mail[0].text).toContain("has been closed, so your access to the shared folder");
  expect((await w.dv(`cfx_fileexchanges(${x.id})?$select=cfx_stage`)).cfx_stage).toBe(ExchangeStage.revoked);
  // The resolved case refuses notes: the exchange's timeline has it.
  const notes = (await w.notesOn(x.id)).filter((n) => n.subject === "Customer access to CAS-07201-CLOSE1 ended: case closed");
  expect(notes).toHaveLength(1);
  expect(String(notes[0].notetext)).toContain(`${x.email} was told by e-mail`);
  // The folder keeps its expiry.
  expect(await w.itemExists(`${x.path}/log.txt`)).toBe(true);

  // Once: the next run tells nobody again and writes nothing.
  await w.clearRequests();
  await w.sweepAfter(0.5);
  expect(await mailTo(x.email)).toHaveLength(invitations + 1);
  expect((await w.requestsSince()).filter((r) => r.path === "/api/data/v9.2/$batch")).toEqual([]);
});

test("a case reopened before then keeps its access, and its mark is cleared", async () => {
  await w.setSetting("cfx_ClosedCaseAccessDays", "3");
  const x = await w.uploadFolder("CAS-07202-AGAIN1", ["log.txt"], { caseNumber: CASE });
  await resolve(x.caseId);
  await w.sweepAfter(0.1);
  expect(await seenOn(x.id)).toBeTruthy();

  await reopen(x.caseId);
  const reopened = await w.sweepAfter(1);
  expect(reopened.counts.closedCasesReopened).toBe(1);
  expect(await seenOn(x.id)).toBeNull();
  await w.sweepAfter(3);
  expect(await w.guestPermissions(x.itemId)).toHaveLength(1);
  const [recipient] = await w.rows(`cfx_exchangerecipients?$select=cfx_revokedon&$filter=_cfx_exchangeid_value eq ${x.id}`);
  expect(recipient.cfx_revokedon).toBeNull();
});

test("with the setting off (the default), a resolved case's folders are untouched and the column is not written", async () => {
  const x = await w.uploadFolder("CAS-07203-OFF001", ["log.txt"], { caseNumber: CASE });
  const invitations = (await mailTo(x.email)).length;
  await resolve(x.caseId);
  const report = await w.sweepAfter(4);
  expect(report.counts).toMatchObject({ closedCasesSeen: 0, accessEndedCaseClosed: 0 });
  expect(await seenOn(x.id)).toBeNull();
  expect(await w.guestPermissions(x.itemId)).toHaveLength(1);
  expect(await mailTo(x.email)).toHaveLength(invitations);
});
