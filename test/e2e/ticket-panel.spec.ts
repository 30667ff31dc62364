import { expect, test, type APIRequestContext } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dataverse, expectAccessible, signIn } from "./support";

/**
 * The hardware ticket panel in the sandbox's Unified Interface shell, end to end: the specialist
 * prepares the folder, uploads a 60 MB backup through the side dialog, sees it verified and
 * clicks Notify Support on the command bar; the agent then finds the in-app notification, the
 * e-mail, the ticket's note and the case panel showing the backup ready to share.
 */
test.describe.configure({ mode: "serial" });

const NUMBER = "CAS-01000-Z9Y8X7";
const PANEL = 'iframe[src*="cfx_/panels/ticket.html"]';
const DIALOG = 'iframe[src*="cfx_/panels/upload.html"]';
const shots = "test-results/ticket-panel";

async function ids(request: APIRequestContext): Promise<{ caseId: string; ticketId: string }> {
  const cases = await dataverse<{ value: { incidentid: string }[] }>(
    request,
    `incidents?$select=incidentid&$filter=ticketnumber eq '${NUMBER}'`,
  );
  const caseId = cases.value[0].incidentid;
  const tickets = await dataverse<{ value: { cfx_hardwareticketid: string }[] }>(
    request,
    `cfx_hardwaretickets?$select=cfx_hardwareticketid&$filter=_cfx_caseid_value eq ${caseId}`,
  );
  return { caseId, ticketId: tickets.value[0].cfx_hardwareticketid };
}

/** A file of random bytes written in 1 MiB pieces (Playwright hands files over 50 MB by path). */
function bigFile(megabytes: number, name = "customer-backup.img"): string {
  const dir = join(tmpdir(), "cfx-e2e");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const fd = openSync(path, "w");
  for (let i = 0; i < megabytes; i++) writeSync(fd, randomBytes(1024 * 1024));
  closeSync(fd);
  return path;
}

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  await request.put("/_sandbox/faults", { data: {} });
});

test("the specialist uploads a 60 MB backup through the panel and notifies support; the agent finds everything", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const { caseId, ticketId } = await ids(request);
  await page.setViewportSize({ width: 1400, height: 950 });

  // The specialist on the hardware ticket.
  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator(PANEL);
  await expect(panel.getByText(NUMBER)).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByText("Alex Agent")).toBeVisible();
  await expect(panel.getByText("Maria Lopez")).toBeVisible();
  await expect(panel.getByRole("status")).toHaveText("No backup folder yet");
  await expectAccessible(page, PANEL);
  await page.screenshot({ path: `${shots}-1-no-folder.png` });

  await panel.getByRole("button", { name: "Prepare folder" }).click();
  await expect(panel.getByText(`The folder Customer Data Migration/${NUMBER} was created.`)).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole("button", { name: "Notify Support" })).toHaveCount(0);
  await page.screenshot({ path: `${shots}-2-folder-prepared.png` });

  // Upload backup: the side dialog.
  await panel.getByRole("button", { name: "Upload backup" }).click();
  const dialog = page.frameLocator(DIALOG);
  await expect(dialog.getByRole("heading", { name: "Upload backup" })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, DIALOG);
  await page.screenshot({ path: `${shots}-3-upload-dialog.png` });
  await dialog.getByTestId("pick-files").setInputFiles(bigFile(60));
  await expect(dialog.getByRole("button", { name: "Pause" })).toBeVisible();
  await page.screenshot({ path: `${shots}-4-uploading.png` });
  await expect(dialog.getByTestId("file-state")).toHaveText("Verified", { timeout: 120_000 });
  await expect(dialog.getByText("All files are uploaded and verified.")).toBeVisible();
  await expectAccessible(page, DIALOG);
  await page.screenshot({ path: `${shots}-5-verified.png` });
  await page.locator(".side-dialog .close").click();

  // Back on the panel: the file is counted, Notify Support is offered; use the command bar's.
  await expect(panel.getByText("1 file, 60 MB")).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole("button", { name: "Notify Support" })).toBeVisible();
  await page.locator('[data-command="custom"]', { hasText: "Notify Support" }).click();
  await expect(panel.getByText("Support is notified: Alex Agent has an in-app notification and an e-mail.")).toBeVisible({
    timeout: 30_000,
  });
  await expect(panel.getByRole("status").first()).toHaveText("Backup ready, support notified");
  await expectAccessible(page, PANEL);
  await page.screenshot({ path: `${shots}-6-notified.png` });

  // Clicking again notifies once.
  await panel.getByRole("button", { name: "Upload backup" }).waitFor();
  await page.locator('[data-command="custom"]', { hasText: "Notify Support" }).click();
  await expect(panel.getByText("Support was already notified; nothing was sent again.")).toBeVisible({ timeout: 30_000 });

  // The ticket's timeline has the note.
  await page.reload();
  await expect(page.locator("#timeline")).toContainText("Backup is ready", { timeout: 30_000 });

  // The agent: the notification, the e-mail, the case panel.
  await signIn(page, "agent", `/main.aspx?pagetype=entityrecord&etn=incident&id=${caseId}`);
  await page.locator("#notificationBell").click();
  await expect(page.locator("#notificationList")).toContainText(`Backup ready for ${NUMBER}`);
  await page.screenshot({ path: `${shots}-7-agent-notification.png` });
  await page.keyboard.press("Escape");
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const casePanel = page.frameLocator('iframe[src*="cfx_/panels/case.html"]');
  await expect(casePanel.getByText("Ready to share with the customer").first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${shots}-8-case-panel.png` });

  await page.goto("/mail");
  await expect(page.getByText(`Backup ready for case ${NUMBER}`).first()).toBeVisible();
  const mail = (await (await request.get("/_sandbox/mail")).json()) as { to: string[]; subject: string; links: string[] }[];
  const sent = mail.filter((m) => m.subject === `Backup ready for case ${NUMBER}`);
  expect(sent).toHaveLength(1);
  expect(sent[0].to).toEqual(["alex.agent@contoso.example"]);
  expect(sent[0].links.some((l) => l.includes(`etn=incident&id=${caseId}`))).toBe(true);
  await page.screenshot({ path: `${shots}-9-mail.png` });
});

test("files SharePoint refuses are turned away before any byte, with the reason", async ({ page, request }) => {
  const { ticketId } = await ids(request);
  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 30_000 });
  const dialog = page.frameLocator(DIALOG);
  await dialog.getByTestId("pick-files").setInputFiles([
    { name: "bad:name.txt", mimeType: "text/plain", buffer: Buffer.from("x") },
    { name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) },
  ]);
  await expect(dialog.getByText(/Refused: The file name "bad:name.txt" contains ":"/)).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByTestId("file-state").first()).toHaveText("Verified", { timeout: 30_000 });
  await page.screenshot({ path: `${shots}-10-refused-and-empty.png` });
});

test("after a browser reload, picking the same file again continues the upload where it stopped", async ({ page, request }) => {
  test.setTimeout(240_000);
  const { ticketId } = await ids(request);
  const file = bigFile(120, "second-disk.img");
  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 30_000 });
  const dialog = page.frameLocator(DIALOG);
  await dialog.getByTestId("pick-files").setInputFiles(file);
  // Wait until SharePoint holds part of it, then pause and reload the whole browser page.
  await expect(dialog.getByText(/^[1-9]\d* MB of 120 MB/).first()).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole("button", { name: "Pause" }).click();
  await expect(dialog.getByRole("button", { name: "Resume" })).toBeVisible();
  await page.reload();
  await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 30_000 });
  await dialog.getByTestId("pick-files").setInputFiles(file);
  await expect(dialog.getByTestId("file-state").first()).toHaveText("Verified", { timeout: 120_000 });
  await expect(dialog.getByText(/continued from \d+/)).toBeVisible();
  await page.screenshot({ path: `${shots}-11-resumed-after-reload.png` });
});

test("a file moved away during its upload stops with a plain reason and no retries", async ({ page, request }) => {
  test.setTimeout(180_000);
  const { ticketId } = await ids(request);
  const file = bigFile(120, "moved-away.img");
  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 30_000 });
  const dialog = page.frameLocator(DIALOG);
  await dialog.getByTestId("pick-files").setInputFiles(file);
  await expect(dialog.getByText(/^[1-9]\d* MB of 120 MB/).first()).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole("button", { name: "Pause" }).click();
  await expect(dialog.getByRole("button", { name: "Resume" })).toBeVisible();
  rmSync(file);
  await dialog.getByRole("button", { name: "Resume" }).click();
  await expect(dialog.getByText(/could not be read any more.*Pick it again/).first()).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByRole("button", { name: "Resume" })).toHaveCount(0);
  await page.screenshot({ path: `${shots}-12-file-moved-away.png` });
  // Put back and picked again, it uploads (a new file to SharePoint: it changed on disk).
  const again = bigFile(2, "moved-away.img");
  await dialog.getByTestId("pick-files").setInputFiles(again);
  await expect(dialog.getByTestId("file-state").first()).toHaveText("Verified", { timeout: 60_000 });
  await page.screenshot({ path: `${shots}-13-picked-again.png` });
  await expectAccessible(page, DIALOG);
});

test("closing the dialog during an upload asks first, stops it, and the panel says what was not finished", async ({ page, request }) => {
  test.setTimeout(240_000);
  const { ticketId } = await ids(request);
  const file = bigFile(200, "unfinished.img");
  await page.setViewportSize({ width: 1400, height: 950 });
  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 30_000 });
  const dialog = page.frameLocator(DIALOG);
  await expect(dialog.getByRole("heading", { name: "Upload backup" })).toBeVisible({ timeout: 30_000 });
  // Slow answers keep the upload running long enough to close the dialog in the middle of it.
  await request.put("/_sandbox/faults", { data: { latencyMs: 400 } });
  try {
    await dialog.getByTestId("pick-files").setInputFiles(file);
    await expect(dialog.getByText(/^[1-9]\d* MB of 200 MB/).first()).toBeVisible({ timeout: 60_000 });
    await dialog.getByRole("button", { name: "Close" }).click();
    const confirm = dialog.getByRole("alertdialog");
    await expect(confirm.getByText("Stop the upload and close?")).toBeVisible();
    await expect(confirm.getByText(/Not finished yet: unfinished\.img \(\d+(\.\d+)? MB of 200 MB\)/)).toBeVisible();
    await page.screenshot({ path: `${shots}-13-close-while-uploading.png` });
    await confirm.getByRole("button", { name: "Stop and close" }).click();
    await expect(page.locator(DIALOG)).toHaveCount(0, { timeout: 30_000 });
  } finally {
    await request.put("/_sandbox/faults", { data: {} });
  }
  // The panel reads again when the dialog closes and says what was left.
  const notice = panel.getByText(/^1 upload was not finished: unfinished\.img \(\d+(\.\d+)? MB of 200 MB\)\./);
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole("button", { name: "Resume" })).toBeVisible();
  await page.screenshot({ path: `${shots}-14-unfinished-upload.png` });
  // A reload keeps it: the panel reads it from this browser.
  await page.reload();
  await expect(panel.getByText(/^1 upload was not finished: unfinished\.img/)).toBeVisible({ timeout: 30_000 });
});
