import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// The sandbox's certificate is self-signed; tests trust it the way a developer clicks through it.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

export type UserKey = "agent" | "agent2" | "serviceagent" | "specialist" | "supervisor" | "admin" | "dispatcher";
export type Resource = "dataverse" | "graph";

export interface Origins {
  readonly app: string;
  readonly graph: string;
  readonly sharepoint: string;
}

export interface TestSandbox {
  readonly origins: Origins;
  readonly port: number;
  /** `<app>/api/data/v9.2/` */
  readonly dataverse: string;
  /** `<graph>/v1.0/` */
  readonly graph: string;
  readonly dataDir: string;
  /** An access token for a seeded user (`POST /_sandbox/token`), cached per user and resource. */
  token(user: UserKey, resource?: Resource): Promise<string>;
  /** fetch with the user's bearer token for the API the URL belongs to (Graph or Dataverse). */
  fetchAs(user: UserKey, url: string, init?: RequestInit): Promise<Response>;
  /** Stops the sandbox; its data folder is removed unless `keepData` (or the caller supplied it). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestSandboxOptions {
  /** Reuse a data folder (to test that state survives a restart). Default: a new temp folder. */
  readonly dataDir?: string;
  /** A fixed app port (Graph +1, SharePoint +2). Default: free ports picked at random. */
  readonly port?: number;
  /** Serve web resources from this folder instead of webresources/dist (stand-in panels for shell tests). */
  readonly webResourcesDir?: string;
  /** Import this solution zip at start (as `npm start` does) instead of one packed from the web resources. */
  readonly solutionZip?: string;
}

const root = resolve(__dirname, "../../..");
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function randomPort(): number {
  // Three consecutive ports, clear of the ranges people use by hand (8400-8599).
  return 20000 + Math.floor(Math.random() * 13000) * 3;
}

/** Runs `sandbox/main.ts` as `npm start` does and resolves once it printed its URL. */
function launch(port: number, dataDir: string, webResourcesDir?: string, solutionZip?: string): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "sandbox/main.ts")], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        SANDBOX_DATA_DIR: dataDir,
        NODE_OPTIONS: "",
        ...(webResourcesDir ? { SANDBOX_WEBRESOURCES_DIR: webResourcesDir } : {}),
        ...(solutionZip ? { SANDBOX_SOLUTION_ZIP: solutionZip } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The sandbox did not start within 30 s.\n${out}\n${err}`));
    }, 30_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.split("\n").some((line) => line.trim() === `https://localhost:${port}`)) {
        clearTimeout(timer);
        running.add(child);
        resolvePromise(child);
      }
    });
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      running.delete(child);
      const e = Object.assign(new Error(`The sandbox exited (${code}).\n${out}\n${err}`), {
        code: /port is in use|EADDRINUSE/.test(err) ? "EADDRINUSE" : "EXIT",
      });
      reject(e);
    });
  });
}

/** Starts a sandbox (the real `npm start` entry) on free ports with its own data folder; call `stop()` in afterAll. */
export async function startSandbox(options: TestSandboxOptions = {}): Promise<TestSandbox> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "cfx-sandbox-"));
  let child: ChildProcess | undefined;
  let port = options.port ?? randomPort();
  for (let attempt = 0; !child; attempt++) {
    try {
      child = await launch(port, dataDir, options.webResourcesDir, options.solutionZip);
    } catch (e) {
      if ((e as { code?: string }).code !== "EADDRINUSE" || options.port || attempt >= 8) throw e;
      port = randomPort();
    }
  }
  const proc = child;
  const origins: Origins = {
    app: `https://localhost:${port}`,
    graph: `https://localhost:${port + 1}`,
    sharepoint: `https://127.0.0.1:${port + 2}`,
  };
  const tokens = new Map<string, string>();
  const token = async (user: UserKey, resource: Resource = "dataverse") => {
    const key = `${user}/${resource}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const r = await fetch(`${origins.app}/_sandbox/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, resource }),
    });
    if (!r.ok) throw new Error(`token for ${key}: ${r.status}`);
    const t = ((await r.json()) as { access_token: string }).access_token;
    tokens.set(key, t);
    return t;
  };
  return {
    origins,
    port,
    dataverse: `${origins.app}/api/data/v9.2/`,
    graph: `${origins.graph}/v1.0/`,
    dataDir,
    token,
    async fetchAs(user, url, init = {}) {
      const resource: Resource = url.startsWith(origins.graph) ? "graph" : "dataverse";
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${await token(user, resource)}`);
      return fetch(url, { ...init, headers });
    },
    async stop({ keepData = false } = {}) {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
      running.delete(proc);
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
