import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * The supervisor's Cases list with each case's file exchange status: rollup columns on the Case
 * that the solution zip brought, calculated by the organization's system jobs as time passes.
 */
test.describe.configure({ mode: "serial" });
// Wide enough that the screenshots show every column of the view.
test.use({ viewport: { width: 1920, height: 860 } });

const shots = "test-results/case-status";
const view = "Cases with File Exchange Status";

async function adminToken(request: APIRequestContext): Promise<string> {
  const t = await request.post("/_sandbox/token", { data: { user: "admin", resource: "dataverse" } });
  return ((await t.json()) as { access_token: string }).access_token;
}

async function caseIdOf(request: APIRequestContext, number: string): Promise<string> {
  const r = await request.get(`/api/data/v9.2/incidents?$select=incidentid&$filter=ticketnumber eq '${number}'`, {
    headers: { authorization: `Bearer ${await adminToken(request)}` },
  });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { value: { incidentid: string }[] }).value[0].incidentid;
}

/** Moves the organization's clock on without running the retention job: only Dataverse's own jobs fall due. */
async function advanceHours(request: APIRequestContext, hours: number): Promise<void> {
  expect((await request.post("/_sandbox/clock", { data: { advanceDays: hours / 24, sweep: false } })).ok()).toBe(true);
}

/** The grid as rows of cells by header, read from the page. */
async function gridRows(page: Page): Promise<Record<string, string>[]> {
  return page.evaluate(() => {
    const table = document.querySelector("table.grid") as HTMLTableElement;
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => (th.textContent ?? "").replace(/[↑↓]/g, "").trim());
    return Array.from(table.querySelectorAll("tbody tr")).map((tr) =>
      Object.fromEntries(Array.from(tr.querySelectorAll("td")).map((td, i) => [headers[i], (td.textContent ?? "").trim()])),
    );
  });
}

const byNumber = (rows: Record<string, string>[], number: string) => rows.find((r) => r["Case Number"] === number);

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
});

test("a supervisor picks Cases with File Exchange Status, sorts by the next deletion and reads each case's status", async ({ page }) => {
  await page.goto(`/_sandbox/signin?user=supervisor&returnTo=${encodeURIComponent("/main.aspx?pagetype=entitylist&etn=incident")}`);
  await page.locator("#viewSelector").click();
  await page.getByRole("link", { name: view }).click();
  await expect(page.locator("#viewSelector")).toContainText(view);

  // Just imported: the organization has not calculated the columns yet, so they are empty.
  let rows = await gridRows(page);
  expect(byNumber(rows, "CAS-01002-D4E5F6")?.["Backups Ready, Not Shared"]).toBe("");

  // Twelve hours later the Mass Calculate Rollup Field job has run.
  await advanceHours(page.request, 12);
  await page.reload();
  await page.getByRole("link", { name: "Next Folder Deletion" }).click();
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText("Next Folder Deletion");

  rows = await gridRows(page);
  expect(byNumber(rows, "CAS-01002-D4E5F6")).toMatchObject({ "Backups Ready, Not Shared": "1", "Backups Shared": "0" });
  expect(byNumber(rows, "CAS-01003-G7H8J9")).toMatchObject({ "Backups Shared": "1", "Backups Ready, Not Shared": "0" });
  expect(byNumber(rows, "CAS-01005-N4P5Q6")).toMatchObject({ "Waiting for Customer's Files": "1" });
  expect(byNumber(rows, "CAS-01004-K1L2M3")).toMatchObject({ "Customer's Files Received": "1" });
  expect(byNumber(rows, "CAS-01003-G7H8J9")?.["Next Folder Deletion"]).not.toBe("");
  // Sorted by the next deletion: cases with none first (as Dataverse sorts empty values), then soonest first.
  const dates = rows.map((r) => r["Next Folder Deletion"]).filter((d) => d !== "");
  const instants = dates.map((d) => Date.parse(d));
  expect(instants.every((t) => !Number.isNaN(t))).toBe(true);
  expect(instants).toEqual([...instants].sort((a, b) => a - b));
  await page.screenshot({ path: `${shots}/sorted-by-next-deletion.png`, fullPage: true });
});

test("a case with a backup and a request for files shows both once the hourly job has run", async ({ page }) => {
  const number = "CAS-01002-D4E5F6";
  const caseId = await caseIdOf(page.request, number);
  const clock = (await (await page.request.get("/_sandbox/clock")).json()) as { now: string };
  const expires = new Date(Date.parse(clock.now) + 86_400_000).toISOString();
  const created = await page.request.post("/api/data/v9.2/cfx_fileexchanges", {
    headers: { authorization: `Bearer ${await adminToken(page.request)}`, "content-type": "application/json" },
    data: {
      cfx_name: `${number} files`,
      "cfx_CaseId@odata.bind": `/incidents(${caseId})`,
      cfx_direction: 136190001,
      cfx_stage: 136190002,
      cfx_expireson: expires,
      cfx_filecount: 0,
    },
  });
  expect(created.status(), await created.text()).toBe(204);

  const list = `/main.aspx?pagetype=entitylist&etn=incident`;
  await page.goto(`/_sandbox/signin?user=supervisor&returnTo=${encodeURIComponent(list)}`);
  await page.locator("#viewSelector").click();
  await page.getByRole("link", { name: view }).click();
  await page.getByRole("link", { name: "Next Folder Deletion" }).click();
  // Not yet: rollups are calculated by the system job, not when an exchange changes.
  expect(byNumber(await gridRows(page), number)?.["Waiting for Customer's Files"]).toBe("0");

  await advanceHours(page.request, 1);
  await page.reload();
  const rows = await gridRows(page);
  expect(byNumber(rows, number)).toMatchObject({ "Backups Ready, Not Shared": "1", "Waiting for Customer's Files": "1" });
  // Its request for files is deleted first of all the folders: the case comes first among those with a date.
  expect(rows.find((r) => r["Next Folder Deletion"] !== "")?.["Case Number"]).toBe(number);
  await page.screenshot({ path: `${shots}/backup-and-request.png`, fullPage: true });
});
