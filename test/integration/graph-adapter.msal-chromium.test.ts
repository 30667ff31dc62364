import { chromiumLaunchOptions } from "../support/chromium";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import webpack from "webpack";
import { spaClientId } from "../../sandbox/identity/clients";
import { tenantId } from "../../sandbox/seed/people";
import { startSandbox, type TestSandbox } from "./support/sandbox";

jest.setTimeout(180_000);

const root = resolve(__dirname, "../..");
let sb: TestSandbox;
let browser: Browser;
let out: string;

/** Builds the probe page script and the real redirect bridge (src/entries/redirect.ts). */
function build(dir: string): Promise<void> {
  return new Promise((done, fail) => {
    webpack(
      {
        mode: "development",
        devtool: false,
        context: root,
        entry: { probe: join(root, "test/e2e/msalProbe.entry.ts"), redirect: join(root, "src/entries/redirect.ts") },
        output: { path: dir, filename: "cfx_/js/[name].js" },
        resolve: { extensions: [".ts", ".js"] },
        module: { rules: [{ test: /\.ts$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true } } }] },
      },
      (err, stats) => (err || stats?.hasErrors() ? fail(err ?? new Error(stats!.toString("errors-only"))) : done()),
    );
  });
}

beforeAll(async () => {
  // The sandbox serves this build as its web resources: the bridge loads in MSAL's hidden iframe,
  // whose requests a Playwright route does not see, so it must come from the server itself. The
  // sandbox installs what the folder holds when it starts, so the build comes first.
  out = mkdtempSync(join(tmpdir(), "cfx-msal-probe-"));
  mkdirSync(join(out, "cfx_/auth"), { recursive: true });
  copyFileSync(join(root, "webresources/auth/redirect.html"), join(out, "cfx_/auth/redirect.html"));
  await build(out);
  sb = await startSandbox({ webResourcesDir: out });
  browser = await chromium.launch(chromiumLaunchOptions());
});
afterAll(async () => {
  await browser?.close();
  await sb?.stop();
  rmSync(out, { recursive: true, force: true });
});

/** A browser context where the app origin serves the probe page (not a web resource of the solution). */
async function context() {
  // The sandbox puts Graph and SharePoint on other loopback ports: Chromium asks the user before a
  // page reaches another local address (Local Network Access); production origins are public.
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ["local-network-access"] });
  const wr = `${sb.origins.app}/WebResources/cfx_`;
  await ctx.route(`${wr}/test/probe.html`, (r) =>
    r.fulfill({ contentType: "text/html", body: '<!doctype html><html><body><script src="../js/probe.js"></script></body></html>' }),
  );
  await ctx.route(`${wr}/js/probe.js`, (r) =>
    r.fulfill({ contentType: "text/javascript", body: readFileSync(join(out, "cfx_/js/probe.js"), "utf8") }),
  );
  return ctx;
}

const config = () => ({
  clientId: spaClientId,
  tenantId,
  authority: `${sb.origins.app}/identity`,
  graph: sb.origins.graph,
  siteUrl: `${sb.origins.sharepoint}/sites/CustomerFiles`,
});

describe("MSAL in Chromium with the product's token provider", () => {
  it("gets a Graph token silently for the signed-in user and uses it across Graph's and SharePoint's CORS", async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    // Signed in to the Dynamics shell, as a user who opens a form is (the issuer knows them).
    await page.goto(`${sb.origins.app}/_sandbox/signin?user=agent&returnTo=%2F`);
    await page.goto(`${sb.origins.app}/WebResources/cfx_/test/probe.html`);
    await page.waitForFunction(() => "cfxProbe" in window);
    const result = await page.evaluate(
      (cfg) => (window as unknown as { cfxProbe: (c: unknown) => Promise<Record<string, unknown>> }).cfxProbe(cfg),
      {
        ...config(),
        uploadBytes: 6 * 1024 * 1024 + 3,
      },
    );
    if (!result.ok) console.log(JSON.stringify(result));
    expect(result).toMatchObject({ ok: true, tokenParts: 3, upload: { verdict: "verified" } });
    await ctx.close();
  });

  it("asks for a sign-in button instead of opening a popup when nobody is signed in", async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${sb.origins.app}/WebResources/cfx_/test/probe.html`);
    await page.waitForFunction(() => "cfxProbe" in window);
    const popups: unknown[] = [];
    page.on("popup", (p) => popups.push(p));
    const result = await page.evaluate(
      (cfg) => (window as unknown as { cfxProbe: (c: unknown) => Promise<Record<string, unknown>> }).cfxProbe(cfg),
      config(),
    );
    expect(result).toMatchObject({ ok: false, name: "TokenError", code: "interactionRequired" });
    expect(popups).toHaveLength(0);
    await ctx.close();
  });
});
