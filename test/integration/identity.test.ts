import { chromiumLaunchOptions } from "../support/chromium";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { chromium, type Browser } from "playwright-core";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { msalModule, redirectBridgePage, signInTestPage } from "../../sandbox/identity/testPages";
import { startGraphTestSandbox } from "./graphSandbox";
import { retentionJobClientId } from "../../sandbox/identity/clients";
import { identityMountPath } from "../../sandbox/identity/issuer";
import { tenantId } from "../../sandbox/seed/people";
import { createHash, X509Certificate } from "node:crypto";

jest.setTimeout(90_000);

let sb: StandaloneSandbox;
let browser: Browser;
let webResources: string;
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

beforeAll(async () => {
  // The redirect URI is reached by a redirect, which Playwright does not route: the sandbox serves a
  // bridge page of this test's own from a web resources folder made for it.
  webResources = mkdtempSync(join(tmpdir(), "cfx-identity-wr-"));
  mkdirSync(join(webResources, "cfx_", "auth"), { recursive: true });
  writeFileSync(join(webResources, "cfx_", "auth", "redirect.html"), redirectBridgePage());
  sb = await startGraphTestSandbox({ webResourcesDir: webResources });
  browser = await chromium.launch(chromiumLaunchOptions());
});
afterAll(async () => {
  await browser?.close();
  await sb.stop();
  rmSync(webResources, { recursive: true, force: true });
});

async function signInSilently(shellUser?: string): Promise<Record<string, string>> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  // The test page and msal-browser's modules are served by the test itself on the app origin.
  const origins = { app: sb.app, graph: sb.graph, sharepoint: sb.sharepoint };
  await context.route(`${sb.app}/_test/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/_test/signin.html") return route.fulfill({ contentType: "text/html", body: signInTestPage(origins) });
    const [, , pkg, ...rest] = path.split("/");
    const file = await msalModule(pkg, rest.join("/"));
    return file ? route.fulfill({ contentType: "text/javascript", body: file }) : route.fulfill({ status: 404 });
  });
  const page = await context.newPage();
  const target = `/_test/signin.html`;
  // Playwright does not route a request reached by a redirect: sign in first, then open the page.
  if (shellUser) await page.goto(`${sb.app}/_sandbox/signin?user=${shellUser}&returnTo=${encodeURIComponent("/_sandbox/endpoints")}`);
  await page.goto(sb.app + target);
  await page.waitForFunction(() => (window as unknown as { msalResult?: unknown }).msalResult !== undefined, undefined, {
    timeout: 30_000,
  });
  const result = await page.evaluate(() => (window as unknown as { msalResult: Record<string, string> }).msalResult);
  await context.close();
  return result;
}

test("the issuer publishes OpenID metadata at the authority, on https", async () => {
  const r = await fetch(`${sb.app}${identityMountPath}/.well-known/openid-configuration`);
  const meta = (await r.json()) as Record<string, string>;
  expect(meta.issuer).toBe(`${sb.app}${identityMountPath}`);
  expect(meta.token_endpoint.startsWith("https://")).toBe(true);
});

test("msal-browser in Chromium gets a Graph token silently for the person signed in to the shell", async () => {
  const result = await signInSilently("agent");
  expect(result.error).toBeUndefined();
  const claims = claimsOf(result.accessToken);
  expect(claims).toMatchObject({
    tid: tenantId,
    preferred_username: "alex.agent@contoso.example",
    name: "Alex Agent",
    aud: "https://graph.microsoft.com",
  });
  expect(String(claims.scp)).toContain("Files.ReadWrite.All");
  const graph = await fetch(`${sb.graph}/v1.0/sites/root`, { headers: { authorization: `Bearer ${result.accessToken}` } });
  expect(graph.status).toBe(200);
});

test("silent sign-in follows the shell's user switcher", async () => {
  const result = await signInSilently("supervisor");
  expect(claimsOf(result.accessToken).preferred_username).toBe("pat.supervisor@contoso.example");
});

test("with nobody signed in to the shell, silent sign-in fails with login_required, as Entra answers", async () => {
  const result = await signInSilently();
  expect(result.accessToken).toBeUndefined();
  expect(result.error).toMatch(/login_required|interaction_required/);
});

test("the retention job's msal-node client-credentials flow with its certificate gets an app-only Graph token", async () => {
  const dir = join(sb.dataDir, "identity");
  const cert = readFileSync(join(dir, "retention-job.cert.pem"), "utf8");
  const cca = new ConfidentialClientApplication({
    auth: {
      clientId: retentionJobClientId,
      authority: `${sb.app}${identityMountPath}`,
      knownAuthorities: [new URL(sb.app).host],
      clientCertificate: {
        thumbprintSha256: createHash("sha256").update(new X509Certificate(cert).raw).digest("hex"),
        privateKey: readFileSync(join(dir, "retention-job.key.pem"), "utf8"),
      },
    },
    system: { protocolMode: "OIDC" as never },
  });
  const r = await cca.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
  expect(r?.accessToken).toBeTruthy();
  const claims = claimsOf(r!.accessToken);
  expect(claims).toMatchObject({ idtyp: "app", azp: retentionJobClientId, aud: "https://graph.microsoft.com" });
  const graph = await fetch(`${sb.graph}/v1.0/sites/root/drive`, { headers: { authorization: `Bearer ${r!.accessToken}` } });
  expect(graph.status).toBe(200);
});
