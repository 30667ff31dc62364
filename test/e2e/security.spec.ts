import { expect, test, type APIRequestContext } from "@playwright/test";
import { dataverse, signIn } from "./support";

/**
 * Security as a real organization has it, in the browser: a dispatcher who holds only the Customer
 * Service Representative role reassigns a case that has an exchange, and the new owner works it in
 * the case panel; a case owned by a team gets its Notify Support through the team's members.
 */
test.describe.configure({ mode: "serial" });

const JORDAN = "5e1a0006-0000-4000-8000-0000000000a6";
const shots = "test-results/security";

async function idOf(request: APIRequestContext, table: "incident" | "cfx_hardwareticket", number: string): Promise<string> {
  const kase = await dataverse<{ value: { incidentid: string }[] }>(
    request,
    `incidents?$select=incidentid&$filter=ticketnumber eq '${number}'`,
  );
  const caseId = kase.value[0].incidentid;
  if (table === "incident") return caseId;
  const tickets = await dataverse<{ value: { cfx_hardwareticketid: string }[] }>(
    request,
    `cfx_hardwaretickets?$select=cfx_hardwareticketid&$filter=_cfx_caseid_value eq ${caseId}`,
  );
  return tickets.value[0].cfx_hardwareticketid;
}

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
});

test("a dispatcher with only the Customer Service role reassigns a case with a backup; the new owner shares it from the case panel", async ({
  page,
}) => {
  const number = "CAS-01002-D4E5F6";
  const caseId = await idOf(page.request, "incident", number);
  const form = `/main.aspx?pagetype=entityrecord&etn=incident&id=${caseId}`;

  // Dana Dispatcher assigns the case to Jordan Agent, as Unified Interface's Assign does: one
  // update of the case's owner through the Web API, in her own session.
  await signIn(page, "dispatcher", form);
  const assigned = await page.evaluate(
    async ([id, owner]) => {
      const xrm = (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm;
      try {
        await xrm.WebApi.updateRecord("incident", id, { "ownerid@odata.bind": `/systemusers(${owner})` });
        return "assigned";
      } catch (e) {
        return `refused: ${(e as { message?: string }).message}`;
      }
    },
    [caseId, JORDAN] as const,
  );
  expect(assigned).toBe("assigned");
  // She holds no privilege on exchanges: the File Exchange tab shows her nothing of it.
  await page.reload();
  await page.screenshot({ path: `${shots}-1-dispatcher-assigned.png` });

  // Jordan, the new owner, opens the case: the backup is there, ready to share, and his to share.
  await signIn(page, "agent2", form);
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const panel = page.frameLocator('iframe[src*="cfx_/panels/case.html"]');
  await expect(panel.getByRole("heading", { level: 1 })).toContainText(number, { timeout: 30_000 });
  await expect(panel.getByText("Ready to share with the customer").first()).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByRole("button", { name: "Share with customer" })).toBeVisible();
  await page.screenshot({ path: `${shots}-2-new-owner-case-panel.png` });
});

test("Notify Support on a case a team owns reaches each member of the team", async ({ page }) => {
  const number = "CAS-01013-T2Q5R8";
  const ticketId = await idOf(page.request, "cfx_hardwareticket", number);

  await signIn(page, "specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`);
  const panel = page.frameLocator('iframe[src*="cfx_/panels/ticket.html"]');
  await expect(panel.getByText(number).first()).toBeVisible({ timeout: 30_000 });
  await panel.getByRole("button", { name: "Notify Support" }).click();
  await expect(
    panel.getByText('Support is notified: the 2 members of team "Tier 2 Support" have an in-app notification and an e-mail.'),
  ).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: `${shots}-3-team-notified.png` });

  for (const member of ["agent", "agent2"]) {
    await signIn(page, member, "/main.aspx");
    await page.locator("#notificationBell").click();
    await expect(page.locator("#notificationList")).toContainText(`Backup ready for ${number}`);
    await page.keyboard.press("Escape");
  }
  const mail = (await (await page.request.get("/_sandbox/mail")).json()) as { to: string[]; subject: string }[];
  const sent = mail.filter((m) => m.subject === `Backup ready for case ${number}`);
  expect(sent).toHaveLength(1);
  expect(sent[0].to.sort()).toEqual(["alex.agent@contoso.example", "jordan.agent@contoso.example"]);
});
