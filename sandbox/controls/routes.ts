import type { FastifyInstance } from "fastify";
import type { Socket } from "node:net";
import type { Faults, SandboxContext } from "../context";
import { setMalwareFlag } from "../graph/malwareControl";
import { userByKey, users } from "../seed/people";
import { parseFaults } from "./faults";
import type { RequestLog } from "./requestLog";
import { currentSweep } from "./sweep";
import { runDueRollupJobs } from "../dataverse/rollups";
import { RowStore } from "../store/rows";

export const sessionCookie = "cfx_sandbox_user";

export interface ControlDeps {
  readonly ctx: SandboxContext;
  readonly log: RequestLog;
  setFaults(faults: Faults): void;
  updatePolicy(patch: Record<string, unknown>): unknown;
  reset(): Promise<void>;
  /** Stops and starts the servers over the same files, keeping `keep` open; resolves once `/healthz` answers 200. */
  restart(keep: Socket): Promise<void>;
}

/** The test controls of the fixed contract (`/healthz`, `/_sandbox/*` on the app origin). */
export function registerControls(app: FastifyInstance, deps: ControlDeps): void {
  const { ctx, log } = deps;
  const bad = (message: string) => ({ error: { code: "badRequest", message } });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/_sandbox/endpoints", async () => ({
    app: ctx.origins.app,
    dataverse: `${ctx.origins.app}/api/data/v9.2/`,
    graph: `${ctx.origins.graph}/v1.0/`,
    sharepoint: ctx.origins.sharepoint,
  }));

  app.post("/_sandbox/token", async (req, reply) => {
    const body = (req.body ?? {}) as { user?: unknown; resource?: unknown; scopes?: unknown };
    const user = typeof body.user === "string" ? userByKey(body.user) : undefined;
    if (!user) return reply.code(400).send(bad(`user must be one of ${users.map((u) => `"${u.key}"`).join(", ")}.`));
    if (body.resource !== "graph" && body.resource !== "dataverse")
      return reply.code(400).send(bad('resource must be "graph" or "dataverse".'));
    // A Graph token with only the named delegated permissions: what a user who consented to less holds.
    if (
      body.scopes !== undefined &&
      (!Array.isArray(body.scopes) || !body.scopes.every((s) => typeof s === "string" && /^[\w.]+$/.test(s)))
    )
      return reply.code(400).send(bad('scopes must be a list of permission names, such as ["User.Read"].'));
    const scopes = body.scopes as string[] | undefined;
    return { access_token: await ctx.tokens.issue(user, body.resource, scopes), token_type: "Bearer", expires_in: 3600 };
  });

  app.get("/_sandbox/signin", async (req, reply) => {
    const q = req.query as { user?: string; returnTo?: string };
    const user = q.user ? userByKey(q.user) : undefined;
    if (!user) return reply.code(400).send(bad(`user must be one of ${users.map((u) => `"${u.key}"`).join(", ")}.`));
    // Only same-origin paths: an open redirect would be a bad habit to teach, even in a sandbox.
    const returnTo = q.returnTo && q.returnTo.startsWith("/") && !q.returnTo.startsWith("//") ? q.returnTo : "/main.aspx";
    return reply.header("set-cookie", `${sessionCookie}=${user.key}; Path=/; HttpOnly; Secure; SameSite=Lax`).redirect(returnTo, 302);
  });

  app.get("/_sandbox/signout", async (_req, reply) =>
    reply.header("set-cookie", `${sessionCookie}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`).redirect("/", 302),
  );

  app.get("/_sandbox/requests", async () => log.list());
  app.delete("/_sandbox/requests", async (_req, reply) => {
    log.clear();
    return reply.code(204).send();
  });

  app.get("/_sandbox/faults", async () => ctx.faults());
  app.put("/_sandbox/faults", async (req, reply) => {
    try {
      deps.setFaults(parseFaults(req.body));
      return ctx.faults();
    } catch (e) {
      return reply.code(400).send(bad((e as Error).message));
    }
  });

  app.get("/_sandbox/policy", async () => ctx.policy());
  app.put("/_sandbox/policy", async (req, reply) => {
    try {
      return deps.updatePolicy((req.body ?? {}) as Record<string, unknown>);
    } catch (e) {
      return reply.code(400).send(bad((e as Error).message));
    }
  });

  // An addition to the fixed contract: flags a file as SharePoint's malware scan does ({"itemId"} or
  // {"path"}, optional "description"), or clears it with "clean": true.
  app.post("/_sandbox/graph/malware", async (req, reply) => {
    try {
      return setMalwareFlag(ctx, req.body);
    } catch (e) {
      return reply.code(/^There is no file/.test((e as Error).message) ? 404 : 400).send(bad((e as Error).message));
    }
  });

  app.get("/_sandbox/clock", async () => ({ now: ctx.clock.now().toISOString() }));
  app.post("/_sandbox/clock", async (req, reply) => {
    const body = (req.body ?? {}) as { advanceDays?: unknown; sweep?: unknown };
    const days = body.advanceDays ?? 0;
    if (typeof days !== "number" || !Number.isFinite(days)) return reply.code(400).send(bad("advanceDays must be a number."));
    ctx.clock.advanceDays(days);
    // Dataverse's system jobs that fell due in the time that passed (the rollup calculations) run first.
    runDueRollupJobs(ctx.db, new RowStore(ctx.db), ctx.clock.now());
    const sweep = currentSweep();
    const swept = body.sweep !== false && sweep !== undefined;
    const result = swept ? await sweep(ctx) : undefined;
    return { now: ctx.clock.now().toISOString(), swept, ...(result !== undefined ? { result } : {}) };
  });

  app.post("/_sandbox/reset", async () => {
    await deps.reset();
    return { reset: true, now: ctx.clock.now().toISOString() };
  });

  // The restart closes the servers this request came in on, except this one connection: the
  // answer waits on it until the new servers answer /healthz, and then ends it (this instance
  // and its database are closed by then, so the handler touches neither).
  app.post("/_sandbox/restart", async (req, reply) => {
    const started = Date.now();
    reply.header("connection", "close");
    try {
      await deps.restart(req.raw.socket);
    } catch (e) {
      return reply.code(500).send({ error: { code: "restartFailed", message: `The sandbox did not come back: ${(e as Error).message}` } });
    }
    return { restarted: true, ms: Date.now() - started };
  });
}
