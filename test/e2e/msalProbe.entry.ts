// A page script for the MSAL-in-Chromium check (test/integration/graph-adapter.msal-chromium.test.ts):
// the product's real token provider and Graph pipeline, run in a real browser against the sandbox.
import { graphTokenScopes } from "../../src/adapters/auth/authority";
import { MsalBrowserTokenProvider } from "../../src/adapters/auth/MsalBrowserTokenProvider";
import { createGraph } from "../../src/adapters/graph/createGraph";
import { GraphClient } from "../../src/adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../../src/adapters/graph/GraphDocumentLibrary";
import { GraphUploader } from "../../src/adapters/graph/GraphUploader";
import { WebStorageStore } from "../../src/adapters/graph/KeyValueStore";

interface ProbeConfig {
  readonly clientId: string;
  readonly tenantId: string;
  readonly authority: string;
  readonly graph: string;
  readonly siteUrl: string;
  readonly loginHint?: string;
  readonly uploadBytes?: number;
}

async function probe(cfg: ProbeConfig): Promise<Record<string, unknown>> {
  const tokens = new MsalBrowserTokenProvider({
    clientId: cfg.clientId,
    tenantId: cfg.tenantId,
    authority: cfg.authority,
    redirectUri: new URL("../auth/redirect.html", location.href).toString(),
    loginHint: async () => cfg.loginHint,
  });
  const scopes = graphTokenScopes(cfg.graph, ["Files.ReadWrite.All"]);
  try {
    const token = await tokens.getToken(scopes);
    const graph = new GraphClient(createGraph({ graphEndpoint: cfg.graph, tokens, scopes }));
    const library = new GraphDocumentLibrary({
      graph,
      siteUrl: cfg.siteUrl,
      libraryName: "Documents",
      cache: new WebStorageStore(sessionStorage),
    });
    const folder = await library.ensureFolder(`browser-probe/${Date.now()}`);
    let upload: unknown;
    if (cfg.uploadBytes) {
      const bytes = new Uint8Array(cfg.uploadBytes).map((_, i) => (i * 7) & 0xff);
      const file = new File([bytes], "from-the-browser.bin", { lastModified: 1_700_000_000_000 });
      const uploader = new GraphUploader({ graph, store: new WebStorageStore(localStorage) });
      upload = await uploader.upload(folder, file);
    }
    return { ok: true, tokenParts: token.split(".").length, folder: folder.path, upload };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string; status?: number };
    return { ok: false, name: err.name, code: err.code, status: err.status, message: err.message };
  }
}

(window as unknown as { cfxProbe: typeof probe }).cfxProbe = probe;
