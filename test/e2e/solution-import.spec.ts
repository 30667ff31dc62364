import { expect, test } from "@playwright/test";

/**
 * What a customizer sees after `npm start` imported the built solution zip: the Solutions page
 * with the installed version and the import's log, and a form drawn from the imported XML with
 * the product's panel and its command (the icon is the zip's own SVG web resource).
 */
const shots = "test-results/solution-import";

test("the import's log and a form drawn from the imported solution", async ({ page, request }) => {
  const jobs = (await (await request.get("/_sandbox/imports")).json()) as {
    succeeded: boolean;
    version: string;
    log: { level: string }[];
  }[];
  expect(jobs[0]).toMatchObject({ succeeded: true, version: "0.1.0.0" });
  expect(jobs[0].log.filter((l) => l.level !== "info")).toEqual([]);

  await page.goto(`/_sandbox/signin?user=admin&returnTo=${encodeURIComponent("/main.aspx?pagetype=solutions")}`);
  const installed = page.getByRole("table", { name: "Installed solutions" });
  await expect(installed).toContainText("CaseFileExchange");
  await expect(installed).toContainText("0.1.0.0");
  await expect(page.locator(".import-status.ok").first()).toBeVisible();
  await page.screenshot({ path: `${shots}/import-log.png`, fullPage: true });

  await page.goto("/main.aspx?pagetype=entitylist&etn=cfx_hardwareticket");
  await page.locator("a.primary-link").first().click();
  const panel = page.frameLocator('iframe[src*="cfx_/panels/ticket.html"]');
  await expect(panel.getByRole("heading").first()).toBeVisible();
  const command = page.getByRole("menuitem", { name: "Notify Support" });
  await expect(command).toBeVisible();
  const iconLoaded = await command.locator("img.cmd-icon").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
  expect(iconLoaded).toBe(true);
  await expect(page.locator(".form-notice.error, #formNotifications .error")).toHaveCount(0);
  await page.screenshot({ path: `${shots}/form-from-imported-xml.png` });
});
