import { expect, test, type FrameLocator, type Page, type TestInfo } from "@playwright/test";
import { caseId, dataverse, expectAccessible as expectFrameAccessible, token } from "./support";

/**
 * The case panel in the sandbox's Unified Interface shell, as the support agent uses it: a seeded
 * case opened from its URL, the File Exchange tab, the panel's frame. Screenshots of every state
 * are attached to the test output (test-results/).
 */
test.describe.configure({ mode: "serial" });

const SHARED_NOTE = "The backup folder on SharePoint was shared with the customer";

async function openCase(page: Page, number: string, user = "agent"): Promise<FrameLocator> {
  const id = await caseId(page.request, number);
  const returnTo = `/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`;
  await page.goto(`/_sandbox/signin?user=${user}&returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const panel = page.frameLocator('iframe[src*="cfx_/panels/case.html"]');
  await expect(panel.getByRole("heading", { level: 1 })).toContainText(number, { timeout: 30_000 });
  return panel;
}

async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
  const frame = page.locator('iframe[src*="cfx_/panels/case.html"]');
  const path = info.outputPath(`case-panel-${name}.png`);
  await frame.screenshot({ path });
  await info.attach(`case-panel-${name}`, { path, contentType: "image/png" });
}

/** No serious or critical accessibility violations inside the panel's frame. */
async function expectAccessible(page: Page): Promise<void> {
  await expectFrameAccessible(page, 'iframe[src*="cfx_/panels/case.html"]');
}

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  await request.put("/_sandbox/policy", { data: { externalSharing: true, blockedDomains: [] } });
});

test("the agent shares the backup: invitation to the contact with the message, permission in Graph, note on the timeline", async ({
  page,
  request,
}, info) => {
  const number = "CAS-01002-D4E5F6";
  const panel = await openCase(page, number);
  await expect(panel.getByText("Ready to share with the customer")).toBeVisible();
  await expect(panel.getByText("tom.baker@northwind.example")).toBeVisible();
  await expectAccessible(page);
  await shoot(page, info, "ready-to-share");

  await panel.getByRole("button", { name: "Share with customer" }).click();
  const dialog = panel.getByRole("alertdialog");
  await expect(dialog.getByRole("textbox", { name: /Customer's e-mail/ })).toHaveValue("tom.baker@northwind.example");
  await expect(dialog.getByRole("radio", { name: /Can edit/ })).toBeChecked();
  const messageBox = dialog.getByRole("textbox", { name: /Message/ });
  await expect(messageBox).toHaveValue(
    /Kindly upload the files within \d+ days\. Please note that they will be automatically deleted after this period\./,
  );
  const message = await messageBox.inputValue();
  await expectAccessible(page);
  await shoot(page, info, "share-dialog");

  await dialog.getByRole("button", { name: "Share", exact: true }).click();
  await expect(panel.getByText("Shared with tom.baker@northwind.example. They receive an invitation by e-mail.")).toBeVisible({
    timeout: 30_000,
  });
  await expect(panel.getByText("Shared with the customer", { exact: true })).toBeVisible();
  await expect(panel.getByRole("table", { name: /Who has access/ }).getByText("tom.baker@northwind.example")).toBeVisible();
  await shoot(page, info, "shared");

  // The invitation, addressed to the contact, with the agent's message.
  const mail = (await (await request.get("/_sandbox/mail")).json()) as Array<{ to: string[]; text: string; subject: string }>;
  const invitation = mail.find((m) => m.to.some((t) => t.toLowerCase() === "tom.baker@northwind.example") && m.text.includes(message));
  expect(invitation, JSON.stringify(mail.map((m) => ({ to: m.to, subject: m.subject })))).toBeDefined();

  // The permission in Graph, with sign-in required and the right the agent chose.
  const exchange = await dataverse<{ value: Array<{ cfx_driveid: string; cfx_itemid: string; cfx_stage: number }> }>(
    request,
    `cfx_fileexchanges?$select=cfx_driveid,cfx_itemid,cfx_stage&$filter=cfx_name eq '${number}'`,
  );
  const { cfx_driveid: driveId, cfx_itemid: itemId } = exchange.value[0];
  const endpoints = (await (await request.get("/_sandbox/endpoints")).json()) as { graph: string };
  const perms = await request.get(`${endpoints.graph}drives/${driveId}/items/${itemId}/permissions`, {
    headers: { authorization: `Bearer ${await token(request, "agent", "graph")}` },
  });
  expect(perms.status()).toBe(200);
  const permissions = (
    (await perms.json()) as {
      value: Array<{
        roles: string[];
        invitation?: { email?: string; signInRequired?: boolean };
        grantedToV2?: { user?: { email?: string } };
      }>;
    }
  ).value;
  const granted = permissions.find(
    (p) => (p.invitation?.email ?? p.grantedToV2?.user?.email ?? "").toLowerCase() === "tom.baker@northwind.example",
  );
  expect(granted?.roles).toContain("write");
  expect(granted?.invitation?.signInRequired ?? true).toBe(true);

  // The note on the case's timeline, with address, right and expiry.
  const id = await caseId(request, number);
  const notes = await dataverse<{ value: Array<{ subject: string; notetext: string }> }>(
    request,
    `annotations?$select=subject,notetext&$filter=_objectid_value eq ${id}`,
  );
  const note = notes.value.find((n) => n.subject === SHARED_NOTE);
  expect(note?.notetext).toContain("tom.baker@northwind.example (Can edit, sign-in required)");
  expect(note?.notetext).toMatch(/deleted on \d+ \w+ \d{4} \(UTC\)/);
  // The panel redraws the form's timeline when the action ends: no reload needed.
  await expect(page.locator("#timeline").getByText(SHARED_NOTE).first()).toBeVisible();
});

const states: Array<{ number: string; name: string; user?: string; expectText: RegExp | string }> = [
  { number: "CAS-01000-Z9Y8X7", name: "no-backup-yet", expectText: /No backup folder yet/ },
  { number: "CAS-01001-A1B2C3", name: "being-prepared", expectText: /Being prepared by/ },
  { number: "CAS-01003-G7H8J9", name: "shared-expiring-soon", expectText: /days? left/ },
  { number: "CAS-01004-K1L2M3", name: "files-received", expectText: "Files received from the customer" },
  { number: "CAS-01005-N4P5Q6", name: "awaiting-files", expectText: "Waiting for the customer's files" },
  { number: "CAS-01006-R7S8T9", name: "revoked", expectText: "Nobody outside has access" },
  { number: "CAS-01007-U1V2W3", name: "deleted", expectText: "Removed" },
  { number: "CAS-01008-W3X4Y5", name: "resolved-case", expectText: /This case is .*You can still see its folders/ },
  { number: "CAS-01009-A2B3C4", name: "no-contact", expectText: /This case has no responsible contact/ },
  { number: "CAS-01010-D5E6F7", name: "contact-without-email", expectText: /has no e-mail address/ },
  { number: "CAS-01011-E5F6G7", name: "contact-email-changed", expectText: /but the folder is still shared with/ },
  { number: "CAS-01003-G7H8J9", name: "supervisor-read-only", user: "supervisor", expectText: "Shared with the customer" },
];

for (const s of states) {
  test(`shows the ${s.name} state plainly, accessibly, and offers only allowed actions`, async ({ page }, info) => {
    const panel = await openCase(page, s.number, s.user);
    await expect(panel.getByText(s.expectText).first()).toBeVisible();
    if (s.user === "supervisor") {
      for (const name of ["Share with customer", "Copy link", "Revoke access", "Remove now", "Request files"])
        await expect(panel.getByRole("button", { name })).toHaveCount(0);
    }
    if (s.name === "resolved-case") await expect(panel.getByRole("button", { name: "Share with customer" })).toHaveCount(0);
    await expectAccessible(page);
    await shoot(page, info, s.name);
  });
}

test("a refused invitation says what happened and what an administrator can change, and leaves nobody with access", async ({
  page,
  request,
}, info) => {
  await request.put("/_sandbox/policy", { data: { externalSharing: false } });
  try {
    const panel = await openCase(page, "CAS-01000-Z9Y8X7");
    await panel.getByRole("button", { name: "Request files" }).click();
    const dialog = panel.getByRole("alertdialog");
    await expect(dialog.getByRole("textbox", { name: /Message/ })).toHaveValue(/within 7 days/);
    await dialog.getByRole("button", { name: "Request files" }).click();
    await expect(dialog.getByText(/SharePoint refused to invite maria.lopez@fabrikam.example/)).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByText(/An administrator can change this/)).toBeVisible();
    await shoot(page, info, "invitation-refused");
    const id = await caseId(request, "CAS-01000-Z9Y8X7");
    // The request was recorded before the invitation; refused, it is closed and its recipient revoked.
    const rows = await dataverse<{ value: Array<{ cfx_stage: number; cfx_fileexchangeid: string }> }>(
      request,
      `cfx_fileexchanges?$select=cfx_stage&$filter=_cfx_caseid_value eq ${id}`,
    );
    expect(rows.value.map((r) => r.cfx_stage)).toEqual([136190005]);
    const recipients = await dataverse<{ value: Array<{ cfx_revokedon: string | null; cfx_permissionid: string | null }> }>(
      request,
      `cfx_exchangerecipients?$select=cfx_revokedon,cfx_permissionid&$filter=_cfx_exchangeid_value eq ${rows.value[0].cfx_fileexchangeid}`,
    );
    expect(recipients.value).toEqual([expect.objectContaining({ cfx_revokedon: expect.any(String), cfx_permissionid: null })]);
  } finally {
    await request.put("/_sandbox/policy", { data: { externalSharing: true } });
  }
});

test("Revoke access for the contact's old address, then Remove now", async ({ page }, info) => {
  const panel = await openCase(page, "CAS-01011-E5F6G7");
  const warning = panel.locator(".ms-MessageBar").filter({ hasText: "still shared with" });
  await warning.getByRole("button", { name: "Revoke access" }).click();
  await panel.getByRole("alertdialog").getByRole("button", { name: "Revoke access" }).click();
  await expect(panel.getByText(/can no longer open the folder/)).toBeVisible({ timeout: 30_000 });
  await shoot(page, info, "revoked-old-address");

  await panel.getByRole("button", { name: "Remove now" }).click();
  const confirm = panel.getByRole("alertdialog");
  await expect(confirm.getByText(/recycle bin for about 93 days/)).toBeVisible();
  await shoot(page, info, "remove-confirmation");
  await confirm.getByRole("button", { name: "Remove now" }).click();
  await expect(panel.getByText(/The folder was removed/)).toBeVisible({ timeout: 30_000 });
  await shoot(page, info, "removed");
});

test("the administrator keeps a folder with no expiry, with a reason, then gives it a date again, and sees both on the case's timeline", async ({
  page,
  request,
}, info) => {
  const number = "CAS-01003-G7H8J9";
  const panel = await openCase(page, number, "admin");
  await expect(panel.getByText(/days? left/)).toBeVisible();
  await panel.getByRole("button", { name: "Keep with no expiry" }).click();
  const dialog = panel.getByRole("alertdialog");
  await expect(dialog.getByRole("radio", { name: /Keep with no expiry/ })).toBeChecked();
  // Saving without a reason: the domain's sentence on the reason field, nothing written.
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Say why the expiry changes; the reason is noted on the timeline.")).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole("textbox", { name: /Reason/ }).fill("Legal hold until the audit ends");
  await expectAccessible(page);
  await shoot(page, info, "keep-dialog");

  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByText("The folder is kept with no expiry; the reason is on the timeline.")).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByText("Kept with no expiry", { exact: true })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Keep with no expiry" })).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Change expiry" })).toBeVisible();
  await shoot(page, info, "kept");

  // Sharing a kept folder: the template's deletion date is said in a sentence and must be edited out first.
  await panel.getByRole("button", { name: "Share with customer" }).click();
  const share = panel.getByRole("alertdialog");
  await expect(share.getByText(/kept with no expiry, but the message speaks of a deletion date/)).toBeVisible();
  await expect(share.getByRole("button", { name: "Share", exact: true })).toBeDisabled();
  await shoot(page, info, "kept-share-dialog");
  await share.getByRole("textbox", { name: /Message/ }).fill("Your backup is in the folder; it stays there until we tell you.");
  await expect(share.getByText(/speaks of a deletion date/)).toHaveCount(0);
  await expect(share.getByRole("button", { name: "Share", exact: true })).toBeEnabled();
  await share.getByRole("button", { name: "Cancel" }).click();

  // Change expiry gives the kept folder a date again: the 15th of next month, from the date picker.
  await panel.getByRole("button", { name: "Change expiry" }).click();
  const change = panel.getByRole("alertdialog");
  await change.getByRole("combobox", { name: /New expiry date/ }).click();
  await panel.getByRole("button", { name: /Go to next month/ }).click();
  const next = new Date();
  next.setDate(1);
  next.setMonth(next.getMonth() + 1);
  const month = next.toLocaleString("en-US", { month: "long" });
  await panel.getByRole("button", { name: new RegExp(`^15, ${month}, ${next.getFullYear()}`) }).click();
  await change.getByRole("textbox", { name: /Reason/ }).fill("Audit over");
  await expectAccessible(page);
  await shoot(page, info, "change-expiry-dialog");
  await change.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByText(new RegExp(`The folder is now deleted on ${month} 15, ${next.getFullYear()}`))).toBeVisible({
    timeout: 30_000,
  });
  await expect(panel.getByRole("button", { name: "Keep with no expiry" })).toBeVisible();

  // The exchange row and the note on the case's timeline.
  const exchange = await dataverse<{ value: Array<{ cfx_expireson: string | null; cfx_expiryreason: string | null }> }>(
    request,
    `cfx_fileexchanges?$select=cfx_expireson,cfx_expiryreason&$filter=cfx_name eq '${number}'`,
  );
  expect(exchange.value.find((x) => x.cfx_expiryreason === "Audit over")?.cfx_expireson).toMatch(/^\d{4}-/);
  await page.reload();
  const timeline = page.locator("#timeline");
  await expect(timeline.getByText(/Kept with no expiry by .+: Legal hold until the audit ends/).first()).toBeVisible({ timeout: 30_000 });
  await expect(timeline.getByText(/Expiry changed from no expiry to .+ by .+: Audit over/).first()).toBeVisible();
  await timeline.scrollIntoViewIfNeeded();
  const path = info.outputPath("case-panel-kept-timeline.png");
  await page.screenshot({ path, fullPage: true });
  await info.attach("case-panel-kept-timeline", { path, contentType: "image/png" });
});
