import { readFileSync } from "node:fs";
import { graphTokenScopes } from "../../src/adapters/auth/authority";
import { MsalNodeTokenProvider } from "../../src/adapters/auth/MsalNodeTokenProvider";
import { createGraph } from "../../src/adapters/graph/createGraph";
import { GraphClient } from "../../src/adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../../src/adapters/graph/GraphDocumentLibrary";
import { GraphUploader } from "../../src/adapters/graph/GraphUploader";
import { MemoryStore } from "../../src/adapters/graph/KeyValueStore";
import type { TokenProvider } from "../../src/ports/TokenProvider";
import { startSandbox, type TestSandbox } from "./support/sandbox";

/** Where the adapter's integration tests run: the sandbox always, a real tenant when configured. */
export interface AdapterTarget {
  readonly name: string;
  readonly library: GraphDocumentLibrary;
  readonly uploader: GraphUploader;
  readonly graph: GraphClient;
  /** A root folder of our own for this run, removed at the end. */
  readonly root: string;
  /** An address that may be invited. */
  readonly recipient: string;
  readonly sandbox?: TestSandbox;
  stop(): Promise<void>;
}

const LIVE_VARS = ["CFX_LIVE_TENANT", "CFX_LIVE_CLIENT", "CFX_LIVE_SITE", "CFX_LIVE_RECIPIENT"] as const;

/** Which CFX_LIVE_* variables are missing (empty: the live tenant tests run). */
export function missingLiveVars(): string[] {
  const missing: string[] = LIVE_VARS.filter((v) => !process.env[v]);
  const certificate = process.env.CFX_LIVE_CERT_KEY && process.env.CFX_LIVE_CERT_THUMBPRINT;
  if (!process.env.CFX_LIVE_TOKEN && !certificate) missing.push("CFX_LIVE_TOKEN (or CFX_LIVE_CERT_KEY and CFX_LIVE_CERT_THUMBPRINT)");
  return missing;
}

function build(
  name: string,
  graphEndpoint: string,
  tokens: TokenProvider,
  siteUrl: string,
  libraryName: string,
  recipient: string,
  sandbox?: TestSandbox,
): AdapterTarget {
  const graph = new GraphClient(
    createGraph({ graphEndpoint, tokens, scopes: graphTokenScopes(graphEndpoint, [".default"]), retry: { maxAttempts: 8 } }),
  );
  const library = new GraphDocumentLibrary({ graph, siteUrl, libraryName, batch: { maxAttempts: 8 } });
  const uploader = new GraphUploader({ graph, store: new MemoryStore(), retry: { maxAttempts: 8 } });
  const root = `cfx-it-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  return {
    name,
    library,
    uploader,
    graph,
    root,
    recipient,
    sandbox,
    async stop() {
      const folder = await library.findFolder(root).catch(() => null);
      if (folder) await library.deleteFolder(folder, { permanent: true }).catch(() => undefined);
      await sandbox?.stop();
    },
  };
}

export async function sandboxTarget(): Promise<AdapterTarget> {
  const sandbox = await startSandbox();
  const tokens: TokenProvider = { getToken: () => sandbox.token("agent", "graph") };
  return build(
    "sandbox",
    sandbox.origins.graph,
    tokens,
    `${sandbox.origins.sharepoint}/sites/CustomerFiles`,
    "Documents",
    "guest.one@example.com",
    sandbox,
  );
}

/**
 * A real tenant: CFX_LIVE_TENANT, CFX_LIVE_CLIENT, CFX_LIVE_SITE (site URL), CFX_LIVE_RECIPIENT
 * (an address you own), and either CFX_LIVE_TOKEN (a delegated Graph token with
 * Files.ReadWrite.All or Sites.Selected) or the app's certificate, CFX_LIVE_CERT_KEY (PEM file)
 * and CFX_LIVE_CERT_THUMBPRINT (SHA-256, hex), for app-only tokens (then the recipient must
 * already be a member or guest: new guests cannot be invited app-only). CFX_LIVE_LIBRARY
 * defaults to "Documents", CFX_LIVE_GRAPH to https://graph.microsoft.com, CFX_LIVE_AUTHORITY to
 * https://login.microsoftonline.com.
 */
export function liveTarget(): AdapterTarget {
  const token = process.env.CFX_LIVE_TOKEN;
  const graphEndpoint = process.env.CFX_LIVE_GRAPH ?? "https://graph.microsoft.com";
  const tokens: TokenProvider = token
    ? { getToken: async () => token }
    : new MsalNodeTokenProvider({
        clientId: process.env.CFX_LIVE_CLIENT!,
        tenantId: process.env.CFX_LIVE_TENANT!,
        authority: process.env.CFX_LIVE_AUTHORITY ?? "https://login.microsoftonline.com",
        certificate: {
          privateKeyPem: readFileSync(process.env.CFX_LIVE_CERT_KEY!, "utf8"),
          thumbprintSha256: process.env.CFX_LIVE_CERT_THUMBPRINT!,
        },
      });
  return build(
    "live tenant",
    graphEndpoint,
    tokens,
    process.env.CFX_LIVE_SITE!,
    process.env.CFX_LIVE_LIBRARY ?? "Documents",
    process.env.CFX_LIVE_RECIPIENT!,
  );
}

/** Sets faults on the sandbox (`{}` turns them off). */
export async function setFaults(sb: TestSandbox, faults: { throttleRate?: number; dropRate?: number; latencyMs?: number }): Promise<void> {
  const r = await fetch(`${sb.origins.app}/_sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!r.ok) throw new Error(`faults: ${r.status}`);
}

export interface LoggedRequest {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  readonly status: number;
}

export async function requestLog(sb: TestSandbox): Promise<LoggedRequest[]> {
  return (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as LoggedRequest[];
}

export async function clearRequestLog(sb: TestSandbox): Promise<void> {
  await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });
}

/** A Blob-backed file for the uploader, from bytes in memory. */
export function memoryFile(name: string, bytes: Uint8Array, lastModified = 1_700_000_000_000) {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  return { name, size: bytes.length, lastModified, slice: (a?: number, b?: number) => blob.slice(a, b) };
}

export function pseudoRandom(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}
