import { randomUUID } from "node:crypto";
import { request } from "node:https";
import type { FastifyInstance } from "fastify";
import type { FetchLike } from "../src/adapters/graph/retryPolicy";
import type { TokenProvider } from "../src/ports/TokenProvider";
import { createRetentionJob } from "../src/jobs/createRetentionJob";
import { JobHost } from "../src/model/choices";
import { loadOrCreateCertificate } from "./cert";
import type { SandboxContext } from "./context";
import { setSweep } from "./controls/sweep";
import { retentionJobClientId, retentionJobRoles } from "./identity/clients";
import { graphAudience } from "./identity/issuer";
import { signJwt, type SandboxTokenService } from "./identity/tokens";
import { tenantId } from "./seed/people";

const DAY_MS = 24 * 3600 * 1000;
/** The arrival check's own timer, as the Functions app's default schedule. */
const ARRIVALS_MS = 15 * 60 * 1000;

/**
 * The retention job inside the sandbox: `POST /_sandbox/clock` runs it (the arrival check, then
 * the sweep) after moving the clock (unless `sweep: false`), and a timer runs it once a day while
 * the sandbox is up. `POST /_sandbox/arrivals` runs only the arrival check, and a timer runs that
 * every 15 minutes. It is the same job as the CLI and the Functions timers (createRetentionJob over
 * real HTTP to the sandbox's own origins), deciding by the sandbox clock. Register with
 * `registerRetention(app, ctx)`.
 */
export async function registerRetention(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const { cert } = await loadOrCreateCertificate(ctx.dataDir);
  const fetch = trustingFetch(cert);
  const tokens = appTokens(ctx);
  let running: Promise<unknown> | undefined;
  /** One run at a time (a clock jump during the daily run waits for it; the cursor would refuse the second anyway). */
  const serialised = async <T>(work: () => Promise<T>): Promise<T> => {
    while (running) await running.catch(() => undefined);
    const run = work();
    running = run;
    try {
      return await run;
    } finally {
      running = undefined;
    }
  };
  const job = (c: SandboxContext) => createRetentionJob({ dataverseUrl: c.origins.app, tokens, fetch, host: JobHost.sandbox });
  const sweep = (c: SandboxContext) => serialised(async () => (await job(c)).run({ clock: c.clock }));
  const arrivals = (c: SandboxContext) => serialised(async () => (await job(c)).checkArrivals({ clock: c.clock }));
  setSweep(sweep);
  app.post("/_sandbox/arrivals", async (_req, reply) => {
    try {
      return await arrivals(ctx);
    } catch (e) {
      return reply
        .code(500)
        .send({ error: { code: "arrivalCheckFailed", message: `The arrival check could not run: ${(e as Error).message}` } });
    }
  });
  const timer = setInterval(() => {
    sweep(ctx).catch((e: unknown) => app.log.error(e, "The daily retention sweep failed."));
  }, DAY_MS);
  const arrivalsTimer = setInterval(() => {
    arrivals(ctx).catch((e: unknown) => app.log.error(e, "The arrival check failed."));
  }, ARRIVALS_MS);
  timer.unref();
  arrivalsTimer.unref();
  app.addHook("onClose", async () => {
    clearInterval(timer);
    clearInterval(arrivalsTimer);
    setSweep(undefined);
  });
}

/**
 * App-only tokens for the job, signed with the sandbox issuer's key as its client-credentials
 * grant issues them (the CLI gets the same through msal-node and the job's certificate; in
 * process we skip the round trip to our own issuer).
 */
function appTokens(ctx: SandboxContext): TokenProvider {
  const service = ctx.tokens as SandboxTokenService;
  return {
    async getToken(scopes) {
      const aud = scopes.some((s) => s.startsWith(ctx.origins.app)) ? ctx.origins.app : graphAudience;
      const now = Math.floor(Date.now() / 1000);
      return signJwt(service.signingKey, {
        aud,
        iss: service.issuer,
        iat: now,
        nbf: now,
        exp: now + 3600,
        tid: tenantId,
        ver: "2.0",
        uti: randomUUID(),
        oid: retentionJobClientId,
        sub: retentionJobClientId,
        azp: retentionJobClientId,
        appid: retentionJobClientId,
        idtyp: "app",
        roles: [...retentionJobRoles],
      });
    },
  };
}

/** fetch over node:https that trusts the sandbox's own self-signed certificate (and nothing else extra). */
function trustingFetch(ca: string): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (headers[k] = v));
      const body =
        typeof init.body === "string" ? init.body : init.body === undefined || init.body === null ? undefined : String(init.body);
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const req = request(url, { method: init.method ?? "GET", headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const status = res.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(", ") : v);
          const empty = status === 204 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      init.signal?.addEventListener("abort", () => req.destroy(new DOMException("Aborted", "AbortError")), { once: true });
      if (body !== undefined) req.write(body);
      req.end();
    });
}
