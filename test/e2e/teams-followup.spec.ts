import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { dataverse, expectAccessible, signIn, token } from "./support";

/**
 * Notify Support's Teams follow-up in the sandbox's shell: with the setting on, the specialist's
 * Notify Support also sends the agent a one-to-one Teams message, which the agent finds on the
 * shell's Teams chat page with a link that opens the case; with Teams refusing, the panel warns
 * with the reason and the agent is notified all the same.
 */
test.describe.configure({ mode: "serial" });

const NUMBER = "CAS-01000-Z9Y8X7";
const PANEL = 'iframe[src*="cfx_/panels/ticket.html"]';
const DIALOG = 'iframe[src*="cfx_/panels/upload.html"]';
const shots = "test-results/teams-followup";

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

/** A fresh sandbox with the Teams follow-up setting on (the environment variable's current value "yes"). */
async function resetWithTeamsOn(request: APIRequestContext): Promise<void> {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  const defs = await dataverse<{ value: { environmentvariabledefinitionid: string }[] }>(
    request,
    "environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=schemaname eq 'cfx_TeamsFollowUp'",
  );
  const created = await request.post("/api/data/v9.2/environmentvariablevalues", {
    data: {
      schemaname: "cfx_TeamsFollowUp",
      value: "yes",
      "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${defs.value[0].environmentvariabledefinitionid})`,
    },
    headers: { authorization: `Bearer ${await token(request, "admin")}` },
  });
  expect(created.ok(), await created.text()).toBe(true);
}

/** As the specialist: Prepare folder, upload one small file through the side dialog, Notify Support in the panel. */
async function prepareUploadAndNotify(page: Page, ticketId: string): Promise<void> {
  await page.setViewportSize({ width: 1400, height: 950 });
  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole("button", { name: "Prepare folder" }).click({ timeout: 30_000 });
  await expect(panel.getByText(`The folder Customer Data Migration/${NUMBER} was created.`)).toBeVisible({ timeout: 30_000 });
  await panel.getByRole("button", { name: "Upload backup" }).click();
  const dialog = page.frameLocator(DIALOG);
  await dialog.getByTestId("pick-files").setInputFiles({ name: "backup.zip", mimeType: "application/zip", buffer: Buffer.alloc(4096, 7) });
  await expect(dialog.getByTestId("file-state")).toHaveText("Verified", { timeout: 60_000 });
  await page.locator(".side-dialog .close").click();
  await expect(panel.getByRole("button", { name: "Notify Support" })).toBeVisible({ timeout: 30_000 });
  await panel.getByRole("button", { name: "Notify Support" }).click();
  await expect(panel.getByText("Support is notified: Alex Agent has an in-app notification and an e-mail.")).toBeVisible({
    timeout: 30_000,
  });
}

// The setting's value and the policy switch go with the state the next spec starts from.
test.afterAll(async ({ request }) => {
  await request.put("/_sandbox/policy", { data: { teamsChat: true } });
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
});

test("with the setting on, the agent finds the specialist's Teams message in the shell and opens the case from it", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await resetWithTeamsOn(request);
  const { caseId, ticketId } = await ids(request);
  await prepareUploadAndNotify(page, ticketId);
  const panel = page.frameLocator(PANEL);
  await expect(panel.getByText("Alex Agent also has a Teams message from you with a link to the case.")).toBeVisible();
  await expectAccessible(page, PANEL);
  await page.locator(PANEL).screenshot({ path: `${shots}-1-notified.png` });

  // The agent: the header's Teams chat shows the message from Sam Specialist.
  await signIn(page, "agent", "/main.aspx");
  await page.locator("#teamsChatLink").click();
  await expect(page.getByRole("heading", { name: "Teams chat" })).toBeVisible();
  const message = page.getByRole("article", { name: "Message from Sam Specialist" });
  await expect(message).toHaveCount(1);
  await expect(message).toContainText(`The customer's backup for case ${NUMBER}: Laptop does not boot after update is ready`);
  await page.screenshot({ path: `${shots}-2-agent-chat.png` });
  await message.getByRole("link", { name: `Open case ${NUMBER}` }).click();
  await expect(page).toHaveURL(new RegExp(`etn=incident&id=${caseId}`));
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const casePanel = page.frameLocator('iframe[src*="cfx_/panels/case.html"]');
  await expect(casePanel.getByText("Ready to share with the customer").first()).toBeVisible({ timeout: 30_000 });

  // The case's timeline notes the Teams message.
  await expect(page.locator("#timeline")).toContainText("Teams message to support", { timeout: 30_000 });
});

test("with Teams refusing, the panel warns with the reason and the agent is still notified", async ({ page, request }) => {
  test.setTimeout(180_000);
  await resetWithTeamsOn(request);
  expect((await request.put("/_sandbox/policy", { data: { teamsChat: false } })).ok()).toBe(true);
  try {
    const { ticketId } = await ids(request);
    await prepareUploadAndNotify(page, ticketId);
    const panel = page.frameLocator(PANEL);
    await expect(
      panel.getByText(
        "Teams refused the message to Alex Agent: Teams chat is turned off for the organization's users. (403 Forbidden). The notification and the e-mail reached them.",
      ),
    ).toBeVisible();
    await expect(panel.getByRole("status").first()).toHaveText("Backup ready, support notified");
    await expectAccessible(page, PANEL);
    await page.locator(PANEL).screenshot({ path: `${shots}-3-refused.png` });

    await signIn(page, "agent", "/main.aspx");
    await page.locator("#notificationBell").click();
    await expect(page.locator("#notificationList")).toContainText(`Backup ready for ${NUMBER}`);
    await page.keyboard.press("Escape");
    await page.locator("#teamsChatLink").click();
    await expect(page.getByText("Alex Agent has no Teams chats yet.")).toBeVisible();
  } finally {
    await request.put("/_sandbox/policy", { data: { teamsChat: true } });
  }
});
