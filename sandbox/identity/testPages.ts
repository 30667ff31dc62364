import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import type { FastifyInstance } from "fastify";
import { redirectWebResource, spaClientId } from "./clients";
import { issuerUrl } from "./issuer";
import type { Origins } from "../context";

const importMap = `<script type="importmap">{"imports":{"@azure/msal-common/browser":"/_test/msal-common/index-browser.mjs"}}</script>`;

/**
 * Pages for the msal-browser test and manual checks on the standalone host: msal-browser's own
 * ES modules, the redirect bridge at the registered redirect URI, and a page that signs in silently.
 * The full sandbox serves the product's real redirect page instead.
 */
export function registerIdentityTestPages(app: FastifyInstance, origins: Origins): void {
  app.get("/_test/:pkg/*", async (request, reply) => {
    const { pkg, "*": rest } = request.params as { pkg: string; "*": string };
    const file = await msalModule(pkg, rest);
    return file ? reply.type("text/javascript").send(file) : reply.code(404).send();
  });
  app.get(`/WebResources/${redirectWebResource}`, async (_request, reply) => reply.type("text/html").send(redirectBridgePage()));
  app.get("/_test/signin.html", async (_request, reply) => reply.type("text/html").send(signInTestPage(origins)));
}

/** msal-browser's and msal-common's own ES modules, by `/_test/<package>/<path>`; undefined when not one of them. */
export async function msalModule(pkg: string, rest: string): Promise<Buffer | undefined> {
  const roots: Record<string, string> = {
    "msal-browser": join(process.cwd(), "node_modules", "@azure", "msal-browser", "dist"),
    "msal-common": join(process.cwd(), "node_modules", "@azure", "msal-common", "dist-browser"),
  };
  const root = roots[pkg];
  const file = normalize(join(root ?? "/nonexistent", rest));
  if (!root || !file.startsWith(root) || !file.endsWith(".mjs")) return undefined;
  return readFile(file);
}

/** The redirect bridge msal-browser 5 needs at the registered redirect URI. */
export function redirectBridgePage(): string {
  return `<!doctype html><html><head>${importMap}</head><body><script type="module">
import { broadcastResponseToMainFrame } from "/_test/msal-browser/redirect_bridge/index.mjs";
broadcastResponseToMainFrame();
</script></body></html>`;
}

/** A page that signs in silently with msal-browser and leaves the outcome in `window.msalResult`. */
export function signInTestPage(origins: Origins): string {
  const authority = issuerUrl(origins);
  return `<!doctype html><html><head>${importMap}</head><body><pre id="out">working</pre><script type="module">
import { PublicClientApplication } from "/_test/msal-browser/index.mjs";
const out = document.getElementById("out");
try {
  const pca = new PublicClientApplication({
    auth: { clientId: ${JSON.stringify(spaClientId)}, authority: ${JSON.stringify(authority)}, knownAuthorities: [${JSON.stringify(new URL(origins.app).host)}], redirectUri: ${JSON.stringify(`${origins.app}/WebResources/${redirectWebResource}`)} },
    system: { protocolMode: "OIDC" },
    cache: { cacheLocation: "sessionStorage" },
  });
  await pca.initialize();
  const params = new URLSearchParams(location.search);
  const r = await pca.ssoSilent({ scopes: ["https://graph.microsoft.com/Files.ReadWrite.All"], loginHint: params.get("hint") ?? undefined });
  window.msalResult = { accessToken: r.accessToken, username: r.account?.username };
  out.textContent = "ok";
} catch (e) {
  window.msalResult = { error: String(e && (e.errorCode || e.message) || e) };
  out.textContent = "error";
}
</script></body></html>`;
}
