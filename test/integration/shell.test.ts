import { chromiumLaunchOptions, chromiumPath } from "../support/chromium";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { roleDefs } from "../../src/model";
import { viewByKey } from "../../src/model/views";
import { viewId } from "../../solution/savedQueryXml";
import { startSandbox, type TestSandbox } from "./support/sandbox";
import { customerServiceRepresentativeRoleId } from "../../sandbox/install/platformRoles";

let sb: TestSandbox;
let browser: Browser | undefined;

beforeAll(async () => {
  sb = await startSandbox({ webResourcesDir: join(__dirname, "support/webresources") });
  if (existsSync(chromiumPath)) {
    browser = await chromium.launch(chromiumLaunchOptions());
  } else {
    console.warn(`The browser half of the shell tests needs Chromium at ${chromiumPath} (apt-get install -y chromium).`);
  }
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await sb.stop();
}, 30_000);

const cookie = (user: string) => ({ cookie: `cfx_sandbox_user=${user}` });

async function recordId(table: string, filter: string): Promise<string> {
  const set = table === "incident" ? "incidents" : `${table}s`;
  const r = await sb.fetchAs("admin", `${sb.dataverse}${set}?$filter=${encodeURIComponent(filter)}`);
  const body = (await r.json()) as { value: Record<string, string>[] };
  return body.value[0][table === "incident" ? "incidentid" : `${table}id`];
}

async function signedInPage(user: string, path: string): Promise<Page> {
  if (!browser) throw new Error("no browser");
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${sb.origins.app}/_sandbox/signin?user=${user}&returnTo=${encodeURIComponent(path)}`);
  return page;
}

const whenBrowser = existsSync(chromiumPath) ? test : test.skip;

describe("the app shell over HTTP", () => {
  test("without a session the shell shows an account picker for the seeded users", async () => {
    const r = await fetch(`${sb.origins.app}/main.aspx?pagetype=entitylist&etn=incident`);
    const html = await r.text();
    expect(r.status).toBe(200);
    expect(html).toContain("Pick an account");
    for (const user of ["agent", "specialist", "supervisor", "admin"]) expect(html).toContain(`/_sandbox/signin?user=${user}`);
  });

  test("the case list shows the cases the user may see, with links in Dynamics' URL form", async () => {
    const html = await (await fetch(`${sb.origins.app}/main.aspx?pagetype=entitylist&etn=incident`, { headers: cookie("agent") })).text();
    expect(html).toContain("CAS-01003-G7H8J9");
    expect(html).toContain("Mailbox export after device swap");
    expect(html).toMatch(/href="\/main\.aspx\?pagetype=entityrecord&etn=incident&id=[0-9a-f-]{36}"/);
  });

  test("the exchange list is the supervisors' view: the case's number, title, customer and owner", async () => {
    const html = await (
      await fetch(`${sb.origins.app}/main.aspx?pagetype=entitylist&etn=cfx_fileexchange`, { headers: cookie("supervisor") })
    ).text();
    expect(html).toContain("File Exchanges with Their Cases");
    for (const heading of ["Case Number (Case)", "Case Title (Case)", "Customer (Case)", "Owner (Case)", "Stage", "Expires On"])
      expect(html).toContain(heading);
    expect(html).toContain("Fabrikam, Inc.");
    expect(html).toContain("Backup ready");
  });

  test("the supervisors' dashboard lists what needs attention across cases, and every exchange with its case", async () => {
    const r = await fetch(`${sb.origins.app}/main.aspx?pagetype=dashboard`, { headers: cookie("supervisor") });
    expect(r.status).toBe(200);
    const html = await r.text();
    const tile = (name: string) => {
      const m = new RegExp(`<section class="dash-tile[^"]*" aria-label="${name}">([\\s\\S]*?)</section>`).exec(html);
      if (!m) throw new Error(`no tile "${name}"`);
      return m[1];
    };
    // A row shows the exchange's name (its case's number) and the case's number: count each case once.
    const cases = (name: string) => [...new Set([...tile(name).matchAll(/CAS-\d{5}-[A-Z0-9]{6}/g)].map((m) => m[0]))].sort();
    // Seeded relative to the sandbox's clock: three folders are deleted within a week; the
    // deleted one (past its date) and the kept one (no date) are not among them.
    expect(cases("Exchanges Expiring in the Next 7 Days")).toEqual(["CAS-01003-G7H8J9", "CAS-01004-K1L2M3", "CAS-01005-N4P5Q6"]);
    expect(cases("Backups Ready, Not Yet Shared")).toEqual(["CAS-01002-D4E5F6"]);
    expect(cases("Exchanges Kept Without Expiry")).toEqual(["CAS-01012-H8J9K2"]);
    expect(tile("File Exchanges with Their Cases")).toContain("Fabrikam, Inc.");
    // Each tile opens its view, by the id the solution gave it, as a full list.
    const expiring = viewId(viewByKey("cfx_fileexchange/expiring")).replace(/[{}]/g, "").toLowerCase();
    expect(html).toContain(`href="/main.aspx?pagetype=entitylist&etn=cfx_fileexchange&viewid=${expiring}"`);
  });

  test("a case form renders its fields, the panel host and a timeline of notes and e-mails", async () => {
    const id = await recordId("incident", "ticketnumber eq 'CAS-01003-G7H8J9'");
    const html = await (
      await fetch(`${sb.origins.app}/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`, { headers: cookie("agent") })
    ).text();
    expect(html).toContain("Mailbox export after device swap");
    expect(html).toContain('data-control="WebResource_cfx_casepanel"');
    expect(html).toContain("Timeline");
    expect(html).toContain("Shared with the customer");
    expect(html).toContain("files shared with you");
  });

  test("a record the user may not see answers as Dynamics does: unavailable", async () => {
    const ticket = await recordId("cfx_hardwareticket", "cfx_description ne null");
    const r = await fetch(`${sb.origins.app}/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${ticket}`, {
      headers: cookie("agent"),
    });
    expect([200, 404]).toContain(r.status);
    const missing = await fetch(`${sb.origins.app}/main.aspx?pagetype=entityrecord&etn=incident&id=00000000-0000-4000-8000-000000000000`, {
      headers: cookie("agent"),
    });
    expect(missing.status).toBe(404);
  });
});

describe("the form host in a browser", () => {
  whenBrowser(
    "the case form runs OnLoad, hands Xrm and the form context to the panel, which reads Dataverse with the user's session",
    async () => {
      const id = await recordId("incident", "ticketnumber eq 'CAS-01003-G7H8J9'");
      const page = await signedInPage("agent", `/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`);
      await page.click('button.tab[data-tab="cfx_fileexchange"]');
      const frame = page.frameLocator("iframe.wr-frame");
      await frame.locator("body[data-result]").waitFor({ timeout: 10_000 });
      const result = JSON.parse((await frame.locator("body").getAttribute("data-result")) ?? "{}");
      expect(result).toMatchObject({
        entity: "incident",
        title: "Mailbox export after device swap",
        userName: "Alex Agent",
        userId: "{5E1A0001-0000-4000-8000-0000000000A1}",
        // userSettings.roles: Alex's own roles and his team's (the agent role again, the same copy).
        roles: [roleDefs.find((r) => r.key === "agent")?.id, customerServiceRepresentativeRoleId],
        stages: ["Shared"],
        query: { typename: "incident", id: `{${id.toUpperCase()}}`, orgname: "contoso", userlcid: "1033" },
      });
      expect(result.path).toMatch(/^\/%7B[^/]+%7D\/WebResources\/cfx_\/panels\/case\.html$/);

      mkdirSync(join(__dirname, "../../test-results"), { recursive: true });
      await page.screenshot({ path: join(__dirname, "../../test-results/sandbox-case-form.png") });

      // Leaving the tab tears the frame down; coming back builds it again and hands over again.
      await page.click('button.tab[data-tab="summary"]');
      expect(await page.locator("iframe.wr-frame").count()).toBe(0);
      await page.click('button.tab[data-tab="cfx_fileexchange"]');
      await frame.locator("body[data-result]").waitFor({ timeout: 10_000 });
      await page.context().close();
    },
    30_000,
  );

  whenBrowser(
    "Xrm covers notifications and dialogs and refuses what it does not implement",
    async () => {
      const id = await recordId("incident", "ticketnumber eq 'CAS-01002-D4E5F6'");
      const page = await signedInPage("agent", `/main.aspx?pagetype=entityrecord&etn=incident&id=${id}`);
      await page.waitForFunction(() => typeof (window as unknown as { Xrm?: unknown }).Xrm === "object");
      const out = await page.evaluate(async () => {
        const xrm = (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm;
        const fc = xrm.Page as unknown as Xrm.FormContext;
        fc.ui.setFormNotification("Hello from a test", "WARNING", "t1");
        await xrm.App.addGlobalNotification({ type: 2, level: 4, message: "Global hello", showCloseButton: true });
        let notImplemented = "";
        try {
          (xrm.Utility as unknown as { lookupObjects: () => void }).lookupObjects();
        } catch (e) {
          notImplemented = (e as Error).message;
        }
        const who = await xrm.WebApi.retrieveRecord("incident", fc.data.entity.getId(), "?$select=ticketnumber");
        // A note written through Xrm.WebApi shows on the timeline after formContext.data.refresh().
        const id = fc.data.entity.getId().replace(/[{}]/g, "");
        await xrm.WebApi.createRecord("annotation", {
          subject: "Written by a test",
          notetext: "x",
          "objectid_incident@odata.bind": `/incidents(${id})`,
        });
        await fc.data.refresh(false);
        return {
          timeline: document.getElementById("timeline")?.textContent ?? "",
          notImplemented,
          ticket: (who as { ticketnumber: string }).ticketnumber,
          clientUrl: xrm.Utility.getGlobalContext().getClientUrl(),
        };
      });
      expect(out.notImplemented).toMatch(/not implemented/);
      expect(out.ticket).toBe("CAS-01002-D4E5F6");
      expect(out.clientUrl).toBe(sb.origins.app);
      expect(out.timeline).toContain("Written by a test");
      await page.locator(".form-notice.warning").waitFor();
      expect(await page.locator(".form-notice.warning").textContent()).toBe("Hello from a test");
      expect(await page.locator(".global-notification").textContent()).toContain("Global hello");
      const confirm = page.evaluate(() =>
        (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm.Navigation.openConfirmDialog({ text: "Sure?", title: "Confirm" }),
      );
      await page.click(".dialog .btn.primary");
      expect(await confirm).toEqual({ confirmed: true });
      await page.evaluate(() => {
        void (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm.Navigation.navigateTo(
          { pageType: "webresource", webresourceName: "cfx_/panels/case.html", data: "x=1" },
          { target: 2, position: 2, width: { value: 500, unit: "px" }, title: "Upload" },
        );
      });
      await page.locator(".side-dialog iframe").waitFor();
      expect(await page.locator(".side-dialog iframe").getAttribute("src")).toMatch(
        /\/WebResources\/cfx_\/panels\/case\.html\?data=x%3D1$/,
      );
      await page.context().close();
    },
    30_000,
  );

  whenBrowser(
    "the hardware ticket form's Notify Support button calls the form library with the form context",
    async () => {
      const id = await recordId("cfx_hardwareticket", "cfx_description ne null");
      const page = await signedInPage("specialist", `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${id}`);
      await page.click('.cmd[data-command="custom"]:has-text("Notify Support")');
      await page.locator(".form-notice.info").waitFor();
      expect(await page.locator(".form-notice.info").textContent()).toBe(`Support notified for {${id.toUpperCase()}}`);
      await page.context().close();
    },
    30_000,
  );

  whenBrowser(
    "the notification bell lists the user's in-app notifications and the user switcher changes who is signed in",
    async () => {
      const page = await signedInPage("agent", "/main.aspx?pagetype=entitylist&etn=incident");
      await page.click("#notificationBell");
      await page.locator("#notificationList .notification").first().waitFor();
      expect(await page.locator("#notificationList .notification").first().textContent()).toMatch(/Backup ready|Files received/);
      await page.click("#userButton");
      await Promise.all([page.waitForNavigation(), page.click('.switch-user:has-text("Pat Supervisor")')]);
      expect(await page.locator("#userButton").getAttribute("aria-label")).toMatch(/Pat Supervisor/);
      await page.context().close();
    },
    30_000,
  );
});
