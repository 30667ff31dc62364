import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running standalone host (sandbox/graph/standalone.ts) in a child process, for integration tests. */
export interface StandaloneSandbox {
  readonly app: string;
  readonly graph: string;
  readonly sharepoint: string;
  readonly dataDir: string;
  token(body: { user?: string; resource?: "graph" | "dataverse"; guest?: string; app?: string }): Promise<string>;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function freePortTriple(): Promise<number> {
  for (;;) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if ((await portFree(p)) && (await portFree(p + 1)) && (await portFree(p + 2))) return p;
  }
}

/** Starts the standalone host on free ports with its own temporary data folder. */
export async function startStandalone(): Promise<StandaloneSandbox> {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const port = await freePortTriple();
  const dataDir = mkdtempSync(join(tmpdir(), "cfx-graph-"));
  const child: ChildProcess = spawn(
    join(process.cwd(), "node_modules", ".bin", "tsx"),
    [join(process.cwd(), "sandbox", "graph", "standalone.ts"), String(port), dataDir],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`standalone sandbox did not start:\n${output}`)), 30_000);
    const on = (d: Buffer) => {
      output += d.toString();
      if (output.includes("ready ")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => reject(new Error(`standalone sandbox exited ${code}:\n${output}`)));
  });
  const app = `https://localhost:${port}`;
  const control = (method: string, path: string, body?: unknown) =>
    fetch(app + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    app,
    graph: `https://localhost:${port + 1}`,
    sharepoint: `https://127.0.0.1:${port + 2}`,
    dataDir,
    control,
    async token(body) {
      const r = await control("POST", "/_sandbox/token", body);
      return ((await r.json()) as { access_token: string }).access_token;
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 100));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
