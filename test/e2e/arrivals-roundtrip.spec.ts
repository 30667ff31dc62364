import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { caseId, dataverse, expectAccessible, signIn } from "./support";

/**
 * Seed 001's round trip, with the agent and the customer in two separate browsers: the agent
 * requests files on a case, the customer opens the invitation, signs in with the mailed code and
 * uploads two files and a folder through the guest page, the arrival check runs, and the agent
 * finds the files in the panel, the note on the timeline and the notification under the bell.
 * Screenshots in test-results/.
 */
test.describe.configure({ mode: "serial" });

const NUMBER = "CAS-01000-Z9Y8X7";
const CUSTOMER = "maria.lopez@fabrikam.example";
const FRAME = 'iframe[src*="cfx_/panels/case.html"]';

async function customerSignsIn(browser: Browser, request: APIRequestContext): Promise<Page> {
  const mail = (await (await request.get("/_sandbox/mail")).json()) as Array<{ to: string[]; subject: string; links: string[] }>;
  const invitation = mail.filter((m) => m.to.includes(CUSTOMER) && m.subject.includes(NUMBER)).at(-1);
  expect(invitation, `an invitation to ${CUSTOMER}`).toBeDefined();
  const link = invitation!.links.find((l) => l.includes("/guest/invite/"))!;
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("E-mail address").fill(CUSTOMER);
  await page.getByRole("button").first().click();
  const codes = (await (await request.get("/_sandbox/mail")).json()) as Array<{ to: string[]; text: string }>;
  const code = /use the code (\d+)/.exec(codes.filter((m) => m.to.includes(CUSTOMER) && m.text.includes("use the code")).at(-1)!.text)![1];
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button").first().click();
  await expect(page.getByRole("heading", { name: NUMBER })).toBeVisible();
  return page;
}

test("the agent requests files, the customer uploads two files and a folder, the check runs, the agent is told and sees them", async ({
  page,
  browser,
  request,
}, info) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  const shot = async (p: Page, name: string) => {
    const path = info.outputPath(`arrivals-${name}.png`);
    await p.screenshot({ path });
    await info.attach(`arrivals-${name}`, { path, contentType: "image/png" });
  };

  // The agent asks the customer for files.
  const id = await caseId(request, NUMBER);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, "agent", `/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`);
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const panel = page.frameLocator(FRAME);
  await panel.getByRole("button", { name: "Request files" }).click({ timeout: 30_000 });
  await panel.getByRole("alertdialog").getByRole("button", { name: "Request files" }).click();
  await expect(panel.getByRole("table", { name: /Who has access/ }).getByText(CUSTOMER)).toBeVisible({ timeout: 30_000 });

  // The customer, in a browser of their own: two files and a folder with a sub-folder.
  const dir = info.outputPath("upload");
  mkdirSync(join(dir, "old-pc", "logs"), { recursive: true });
  writeFileSync(join(dir, "photo-of-label.txt"), "Serial number 4711-0815, as on the label.");
  writeFileSync(join(dir, "error-report.txt"), "The printer stopped at 10:14 with E-17.\n".repeat(50));
  writeFileSync(join(dir, "old-pc", "readme.txt"), "The old PC's documents.");
  writeFileSync(join(dir, "old-pc", "logs", "system.log"), "boot ok\nspooler failed\n");
  const customer = await customerSignsIn(browser, request);
  await customer.getByLabel("Files").setInputFiles([join(dir, "photo-of-label.txt"), join(dir, "error-report.txt")]);
  await customer.getByLabel("A folder (with everything in it)").setInputFiles(join(dir, "old-pc"));
  await customer.getByRole("button", { name: "Upload" }).click();
  await expect(customer.getByRole("link", { name: "old-pc" })).toBeVisible({ timeout: 30_000 });
  await expect(customer.getByRole("link", { name: "error-report.txt" })).toBeVisible();
  await shot(customer, "1-customer-uploaded");
  await customer.context().close();

  // The check runs (every 15 minutes in the sandbox; here at once).
  const run = await request.post("/_sandbox/arrivals");
  expect(run.ok(), await run.text()).toBe(true);
  const report = (await run.json()) as { counts: { batches: number; files: number; failures: number } };
  expect(report.counts).toMatchObject({ batches: 1, files: 4, failures: 0 });

  // The agent: the notification under the bell.
  await page.reload();
  await page.locator("#notificationBell").click();
  await expect(page.locator("#notificationList")).toContainText(NUMBER, { timeout: 30_000 });
  await shot(page, "2-agent-notification");
  await page.keyboard.press("Escape");

  // The files in the panel, with who uploaded them, the stage and the note on the timeline.
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const files = panel.getByRole("table", { name: /Files: Files from the customer/ });
  await expect(files.locator("tr[data-file]")).toHaveCount(4, { timeout: 30_000 });
  for (const path of ["photo-of-label.txt", "error-report.txt", "old-pc/readme.txt", "old-pc/logs/system.log"])
    await expect(files.locator(`tr[data-file="${path}"]`)).toContainText(CUSTOMER);
  await expect(files).not.toContainText("Not checked yet");
  await expect(panel.getByText(/Files received/).first()).toBeVisible();
  await expect(
    page
      .locator("#timeline")
      .getByText(/error-report\.txt/)
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, FRAME);
  await shot(page, "3-agent-files");

  // What Dataverse holds: four receipts with SharePoint's hashes, one batch, the stage moved.
  const exchange = await dataverse<{ value: Array<{ cfx_fileexchangeid: string; cfx_stage: number }> }>(
    request,
    `cfx_fileexchanges?$select=cfx_stage&$filter=_cfx_caseid_value eq ${id} and cfx_direction eq 136190001`,
  );
  expect(exchange.value.map((e) => e.cfx_stage)).toEqual([136190003]);
  const receipts = await dataverse<{
    value: Array<{ cfx_name: string; cfx_quickxorhash: string; cfx_batchid: string; cfx_uploadedby: string }>;
  }>(
    request,
    `cfx_filereceipts?$select=cfx_name,cfx_quickxorhash,cfx_batchid,cfx_uploadedby&$filter=_cfx_exchangeid_value eq ${exchange.value[0].cfx_fileexchangeid}`,
  );
  expect(receipts.value.map((r) => r.cfx_name).sort()).toEqual([
    "error-report.txt",
    "old-pc/logs/system.log",
    "old-pc/readme.txt",
    "photo-of-label.txt",
  ]);
  expect(new Set(receipts.value.map((r) => r.cfx_batchid)).size).toBe(1);
  expect(receipts.value.every((r) => r.cfx_quickxorhash && r.cfx_uploadedby === CUSTOMER)).toBe(true);

  // A second check with nothing new tells nobody again.
  const again = (await (await request.post("/_sandbox/arrivals")).json()) as { counts: { batches: number } };
  expect(again.counts.batches).toBe(0);
});
