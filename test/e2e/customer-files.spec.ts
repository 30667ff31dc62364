import { expect, test, type APIRequestContext, type FrameLocator, type Page, type TestInfo } from "@playwright/test";
import { caseId, dataverse, expectAccessible, signIn, token } from "./support";

/**
 * The customer's files in the case panel, as the agent and the administrator use them: CAS-01004's
 * upload folder with the seeded file (first batch), a second batch receipted as the arrival check
 * writes it, and a file the check has not seen yet. Download, copy a link, remove one file (noted
 * on the timeline), and the administrator keeps one. Screenshots in test-results/.
 */
test.describe.configure({ mode: "serial" });

const NUMBER = "CAS-01004-K1L2M3";
const FOLDER = `External Data Transfer/${NUMBER}`;
const FRAME = 'iframe[src*="cfx_/panels/case.html"]';

async function openCase(page: Page, user: string): Promise<FrameLocator> {
  const id = await caseId(page.request, NUMBER);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, user, `/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`);
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const panel = page.frameLocator(FRAME);
  await expect(panel.getByRole("heading", { level: 1 })).toContainText(NUMBER, { timeout: 30_000 });
  return panel;
}

async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`customer-files-${name}.png`);
  await page.locator(FRAME).screenshot({ path });
  await info.attach(`customer-files-${name}`, { path, contentType: "image/png" });
}

async function graphOf(request: APIRequestContext): Promise<{ graph: string; token: string; drive: string }> {
  const graph = ((await (await request.get("/_sandbox/endpoints")).json()) as { graph: string }).graph;
  const t = await token(request, "admin", "graph");
  const drive = (await (
    await request.get(`${graph}sites/root/drive?$select=id`, { headers: { authorization: `Bearer ${t}` } })
  ).json()) as {
    id: string;
  };
  return { graph, token: t, drive: drive.id };
}

/** Puts a file into the upload folder and answers its item. */
async function putFile(request: APIRequestContext, name: string, text: string): Promise<{ id: string; size: number; hash: string }> {
  const g = await graphOf(request);
  const path = `${FOLDER}/${name}`.split("/").map(encodeURIComponent).join("/");
  const r = await request.put(`${g.graph}drives/${g.drive}/root:/${path}:/content`, {
    data: Buffer.from(text),
    headers: { authorization: `Bearer ${g.token}`, "content-type": "text/plain" },
  });
  expect(r.ok(), await r.text()).toBe(true);
  const item = (await r.json()) as { id: string; size: number; file: { hashes: { quickXorHash: string } } };
  return { id: item.id, size: item.size, hash: item.file.hashes.quickXorHash };
}

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  // A second batch, receipted as the arrival check writes it (owned by the agent who asked for the files).
  const exchange = await dataverse<{ value: Array<{ cfx_fileexchangeid: string; _ownerid_value: string }> }>(
    request,
    `cfx_fileexchanges?$select=cfx_fileexchangeid,_ownerid_value&$filter=cfx_name eq '${NUMBER}'`,
  );
  const { cfx_fileexchangeid: exchangeId, _ownerid_value: ownerId } = exchange.value[0];
  const shot = await putFile(request, "screenshot.txt", "The error dialog, as the customer saw it.");
  const created = await request.post("/api/data/v9.2/cfx_filereceipts", {
    headers: { authorization: `Bearer ${await token(request, "admin")}`, "content-type": "application/json" },
    data: {
      cfx_name: "screenshot.txt",
      "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${exchangeId})`,
      "ownerid@odata.bind": `/systemusers(${ownerId})`,
      cfx_itemid: shot.id,
      cfx_size: shot.size,
      cfx_quickxorhash: shot.hash,
      cfx_integrity: 136190003,
      cfx_uploadedon: new Date().toISOString(),
      cfx_uploadedby: "tom.baker@northwind.example",
      cfx_batchid: "second-batch",
      cfx_filestatus: 136190000,
    },
  });
  expect(created.ok(), await created.text()).toBe(true);
  // A file the arrival check has not seen yet.
  await putFile(request, "notes.txt", "The printer stopped at 10:14.");
});

test("the agent sees the customer's files, downloads one, copies a link and removes one, noted on the timeline", async ({
  page,
  context,
}, info) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const panel = await openCase(page, "agent");
  const files = panel.getByRole("table", { name: /Files: Files from the customer/ });
  await expect(files.locator("tr[data-file]")).toHaveCount(3);
  await expect(files.locator('tr[data-file="screenshot.txt"]')).toContainText("New");
  await expect(files.locator('tr[data-file="error-log.txt"]')).not.toContainText("New");
  await expect(files.locator('tr[data-file="error-log.txt"]')).toContainText("tom.baker@northwind.example");
  await expect(files.locator('tr[data-file="notes.txt"]')).toContainText("Not checked yet");
  await expect(panel.getByRole("link", { name: /^Open in SharePoint: the folder External Data Transfer/ })).toHaveAttribute(
    "href",
    /External%20Data%20Transfer/,
  );
  await expect(panel.getByRole("button", { name: "Close request" })).toBeVisible();
  await expectAccessible(page, FRAME);
  await shoot(page, info, "list");

  // Download: SharePoint's download address, in the panel's own frame; the page stays.
  await panel.getByRole("button", { name: "More actions for error-log.txt" }).click();
  await expect(panel.getByRole("menuitem", { name: "Download" })).toBeVisible();
  await shoot(page, info, "menu");
  const [download] = await Promise.all([page.waitForEvent("download"), panel.getByRole("menuitem", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toBe("error-log.txt");
  const bytes = await download.createReadStream().then(async (s) => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  });
  expect(bytes.length).toBe(2048);
  await expect(panel.getByText("The download of error-log.txt has started.")).toBeVisible({ timeout: 30_000 });

  // Copy link: the file's address (sign-in required), on the clipboard and noted on the exchange.
  await panel.getByRole("button", { name: "More actions for screenshot.txt" }).click();
  await panel.getByRole("menuitem", { name: "Copy link" }).click();
  await expect(panel.getByText(/The link to screenshot.txt is on the clipboard/)).toBeVisible({ timeout: 30_000 });
  const copied = await page.frame({ url: /cfx_\/panels\/case\.html/ })!.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/\/External%20Data%20Transfer\/CAS-01004-K1L2M3\/screenshot\.txt$/);

  // Remove one file: confirmed, gone from the list, counted below it, noted on the case's timeline.
  await panel.getByRole("button", { name: "More actions for notes.txt" }).click();
  await panel.getByRole("menuitem", { name: "Remove" }).click();
  const confirm = panel.getByRole("alertdialog");
  await expect(confirm.getByText(/notes.txt is deleted from the folder/)).toBeVisible();
  await shoot(page, info, "remove-confirmation");
  await confirm.getByRole("button", { name: "Remove" }).click();
  await expect(panel.getByText("notes.txt was removed. It stays in the site's recycle bin for about 93 days.")).toBeVisible({
    timeout: 30_000,
  });
  await expect(files.locator("tr[data-file]")).toHaveCount(2);
  await expect(panel.getByText("Not shown: 1 removed by support.")).toBeVisible();
  await expect(
    page
      .locator("#timeline")
      .getByText(/removed "notes.txt"/)
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  await shoot(page, info, "removed");
});

test("the administrator keeps one file with no expiry, with a reason; the list shows it", async ({ page, request }, info) => {
  const panel = await openCase(page, "admin");
  await panel.getByRole("button", { name: "More actions for screenshot.txt" }).click();
  await panel.getByRole("menuitem", { name: "Keep with no expiry" }).click();
  const dialog = panel.getByRole("alertdialog");
  await expect(dialog.getByText(/screenshot.txt in External Data Transfer/)).toBeVisible();
  await dialog.getByRole("textbox", { name: /Reason/ }).fill("Evidence for the warranty claim");
  await shoot(page, info, "keep-dialog");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByText("screenshot.txt is kept with no expiry; the reason is on the timeline.")).toBeVisible({ timeout: 30_000 });
  const row = panel.getByRole("table", { name: /Files: Files from the customer/ }).locator('tr[data-file="screenshot.txt"]');
  await expect(row).toContainText("Kept, no expiry");
  await expectAccessible(page, FRAME);
  await shoot(page, info, "kept");
  const receipts = await dataverse<{ value: Array<{ cfx_name: string; cfx_keptsince: string | null }> }>(
    request,
    `cfx_filereceipts?$select=cfx_name,cfx_keptsince&$filter=cfx_name eq 'screenshot.txt'`,
  );
  expect(receipts.value).toEqual([expect.objectContaining({ cfx_keptsince: expect.any(String) })]);
  await expect(
    page
      .locator("#timeline")
      .getByText(/"screenshot.txt" is kept with no expiry by .+: Evidence for the warranty claim/)
      .first(),
  ).toBeVisible({
    timeout: 30_000,
  });
});
