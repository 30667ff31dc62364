import { expect, test, type APIRequestContext } from "@playwright/test";

/**
 * An invitation whose answer never came back: the recipient row was written (before the
 * invitation, as the panel always does) and never confirmed. The case panel says so and Retry
 * finishes it, once.
 */
const NUMBER = "CAS-01002-D4E5F6";
const EMAIL = "tom.baker@northwind.example";
const PANEL = 'iframe[src*="cfx_/panels/case.html"]';

async function api(request: APIRequestContext, method: "GET" | "POST", path: string, data?: unknown) {
  const t = await request.post("/_sandbox/token", { data: { user: "agent", resource: "dataverse" } });
  const token = ((await t.json()) as { access_token: string }).access_token;
  const r = await request.fetch(`/api/data/v9.2/${path}`, {
    method,
    data,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", prefer: 'odata.include-annotations="*"' },
  });
  expect(r.status(), await r.text()).toBeLessThan(300);
  return r.status() === 204 ? {} : ((await r.json()) as Record<string, unknown> & { value?: Record<string, unknown>[] });
}

test("a recipient whose invitation was not confirmed shows as such, and Retry completes it without a second row", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  const kase = (await api(request, "GET", `incidents?$select=incidentid&$filter=ticketnumber eq '${NUMBER}'`)).value![0]
    .incidentid as string;
  const exchange = (await api(request, "GET", `cfx_fileexchanges?$select=cfx_fileexchangeid&$filter=_cfx_caseid_value eq ${kase}`))
    .value![0].cfx_fileexchangeid as string;
  // What a share leaves when it stops between writing the row and hearing back from SharePoint.
  await api(request, "POST", "cfx_exchangerecipients", {
    cfx_name: EMAIL,
    cfx_role: 136190001,
    "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${exchange})`,
  });

  await page.setViewportSize({ width: 1400, height: 1000 });
  const returnTo = `/main.aspx?pagetype=entityrecord&etn=incident&id=${kase}`;
  await page.goto(`/_sandbox/signin?user=agent&returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const panel = page.frameLocator(PANEL);
  await expect(panel.getByText(`Invitation not confirmed for ${EMAIL}`, { exact: false })).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole("table", { name: /Who has access/ }).getByText("Not confirmed")).toBeVisible();
  await page.locator(PANEL).screenshot({ path: "test-results/case-panel-invitation-unconfirmed.png" });

  await panel.getByRole("button", { name: "Retry" }).click();
  const dialog = panel.getByRole("alertdialog");
  await expect(dialog.getByRole("textbox", { name: /Customer's e-mail/ })).toHaveValue(EMAIL);
  await dialog.getByRole("button", { name: "Share", exact: true }).click();
  await expect(panel.getByText(/Invitation not confirmed/)).toHaveCount(0, { timeout: 30_000 });
  await page.locator(PANEL).screenshot({ path: "test-results/case-panel-invitation-confirmed.png" });

  const rows = (
    await api(
      request,
      "GET",
      `cfx_exchangerecipients?$select=cfx_name,cfx_permissionid,cfx_invitedon&$filter=_cfx_exchangeid_value eq ${exchange}`,
    )
  ).value!;
  expect(rows.filter((r) => String(r.cfx_name).toLowerCase() === EMAIL)).toEqual([
    expect.objectContaining({ cfx_permissionid: expect.any(String), cfx_invitedon: expect.any(String) }),
  ]);
  const mail = (await (await request.get("/_sandbox/mail")).json()) as Array<{ to: string[] }>;
  expect(mail.filter((m) => m.to.some((t) => t.toLowerCase() === EMAIL))).toHaveLength(1);
});
