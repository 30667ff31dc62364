/**
 * A minimal host for the parts of issue 4 (Graph, SharePoint host, identity, mail, guest pages)
 * with the test controls they need, for their integration tests and manual runs while the full
 * sandbox (sandbox/server.ts) is built beside them. Usage: tsx sandbox/graph/standalone.ts PORT DATADIR
 */
import Database from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import selfsigned from "selfsigned";
import type { Faults, SandboxContext, TenantPolicy } from "../context";
import { createTokenService } from "../identity/tokens";
import { createMailSink } from "../mail/sink";
import { userByKey } from "../seed/people";
import { throttleDecision } from "./index";

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 8610);
  const dataDir = process.argv[3] ?? join(process.cwd(), ".sandbox", "standalone");
  mkdirSync(join(dataDir, "blobs"), { recursive: true });
  const origins = { app: `https://localhost:${port}`, graph: `https://localhost:${port + 1}`, sharepoint: `https://127.0.0.1:${port + 2}` };
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs), advanceDays: (d: number) => void (offsetMs += d * 86400_000) };
  let faults: Faults = { latencyMs: 0, throttleRate: 0, dropRate: 0 };
  let policy: TenantPolicy = { externalSharing: true, blockedDomains: [], mailboxApproved: true, teamsChat: true };
  const resets: (() => void | Promise<void>)[] = [];
  const db = new Database(join(dataDir, "sandbox.db"));
  db.pragma("journal_mode = WAL");
  const tokens = await createTokenService({ dataDir, origins, clock });
  const ctx: SandboxContext = {
    db,
    dataDir,
    blobDir: join(dataDir, "blobs"),
    origins,
    clock,
    faults: () => faults,
    policy: () => policy,
    tokens,
    mail: createMailSink(db, clock),
    appUserFromCookie: (cookie) => userByKey(/(?:^|;\s*)cfx_user=(\w+)/.exec(cookie ?? "")?.[1] ?? ""),
    onReset: (step) => void resets.push(step),
  };
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const https = { key: pems.private, cert: pems.cert };
  const make = () => Fastify({ https, logger: false, bodyLimit: 8 << 20 }) as unknown as FastifyInstance;
  const app = make();
  const graph = make();
  const sp = make();
  for (const inst of [graph, sp]) {
    inst.addHook("onRequest", async (request, reply) => {
      if (request.method === "OPTIONS" || request.url.startsWith("/_sandbox/")) return;
      if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
      // Upload fragments are throttled here too; the SharePoint host drops them mid-body itself.
      const retry = throttleDecision(ctx);
      if (retry !== undefined) {
        return reply
          .code(inst === graph ? 429 : 503)
          .header("retry-after", String(retry))
          .send({
            error: {
              code: inst === graph ? "TooManyRequests" : "serviceNotAvailable",
              message: "Please retry after the number of seconds in Retry-After.",
            },
          });
      }
    });
  }
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_r, body, done) => {
    try {
      done(null, body ? JSON.parse(String(body)) : {});
    } catch (e) {
      done(e as Error);
    }
  });
  app.post("/_sandbox/token", async (request, reply) => {
    const b = request.body as { user?: string; resource?: "graph" | "dataverse"; guest?: string; app?: string };
    if (b.guest) return { access_token: await tokens.issueGuest(b.guest) };
    if (b.app) return { access_token: await tokens.issueApp(b.app) };
    const user = userByKey(b.user ?? "");
    if (!user || (b.resource !== "graph" && b.resource !== "dataverse")) return reply.code(400).send({ error: "user and resource" });
    return { access_token: await tokens.issue(user, b.resource) };
  });
  app.put("/_sandbox/faults", async (request) => {
    const b = (request.body ?? {}) as Partial<Faults>;
    faults = { latencyMs: b.latencyMs ?? 0, throttleRate: b.throttleRate ?? 0, dropRate: b.dropRate ?? 0 };
    return faults;
  });
  app.put("/_sandbox/policy", async (request) => {
    policy = { ...policy, ...((request.body ?? {}) as Partial<TenantPolicy>) };
    return policy;
  });
  app.post("/_sandbox/clock", async (request) => {
    clock.advanceDays(Number((request.body as { advanceDays?: number }).advanceDays ?? 0));
    return { now: clock.now().toISOString() };
  });
  app.post("/_sandbox/reset", async () => {
    for (const step of resets) await step();
    return { ok: true };
  });
  app.get("/_sandbox/endpoints", async () => ({
    app: origins.app,
    dataverse: `${origins.app}/api/data/v9.2/`,
    graph: `${origins.graph}/v1.0/`,
    sharepoint: origins.sharepoint,
  }));
  app.get("/_sandbox/signin", async (request, reply) => {
    const q = request.query as { user?: string; returnTo?: string };
    return reply.header("set-cookie", `cfx_user=${q.user ?? "agent"}; Path=/; Secure; SameSite=None`).redirect(q.returnTo ?? "/");
  });
  const parts: [string, string, FastifyInstance][] = [
    ["../identity/index", "registerIdentity", app],
    ["./index", "registerGraph", graph],
    ["../sharepoint/index", "registerSharePointHost", sp],
    ["../mail/index", "registerMail", app],
    ["../guest/index", "registerGuest", app],
  ];
  for (const [mod, fn, inst] of parts) {
    let loaded: Record<string, unknown>;
    try {
      loaded = (await import(mod)) as Record<string, unknown>;
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || /Cannot find module/.test(String(e))) continue;
      throw e;
    }
    await (loaded[fn] as (a: FastifyInstance, c: SandboxContext) => Promise<void>)(inst, ctx);
  }
  (await import("../identity/testPages")).registerIdentityTestPages(app, origins);
  await app.listen({ port, host: "127.0.0.1" });
  await graph.listen({ port: port + 1, host: "127.0.0.1" });
  await sp.listen({ port: port + 2, host: "127.0.0.1" });
  console.log(`ready ${origins.app}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
