import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import type { Principal, SandboxContext } from "../context";
import { seededExchangeFolders } from "../seed/exchanges";
import { handleBatch } from "./batch";
import { graphCors, installCors } from "./cors";
import { graphEnv } from "./env";
import { GraphHttpError, isGraphHttpError, sendGraphError } from "./errors";
import { rootItemId } from "./library";
import { reseedGraph } from "./seed";
import { handleGraph } from "./service";

/** Seconds to put in Retry-After when the fault switch throttles, or undefined to let the request through. */
export function throttleDecision(ctx: SandboxContext): number | undefined {
  const { throttleRate } = ctx.faults();
  return throttleRate > 0 && Math.random() < throttleRate ? 1 + Math.round(Math.random() * 2) : undefined;
}

async function authenticate(ctx: SandboxContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  const token = header && /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, "") : undefined;
  try {
    return await ctx.tokens.verify(token, "graph");
  } catch (e) {
    const message = token ? `Access token validation failure. ${e instanceof Error ? e.message : ""}`.trim() : "Access token is empty.";
    throw new GraphHttpError(401, "InvalidAuthenticationToken", message, undefined, {
      "www-authenticate": `Bearer realm="", authorization_uri="${ctx.origins.app}", client_id="00000003-0000-0000-c000-000000000000"`,
    });
  }
}

/** Mounts Microsoft Graph (`/v1.0/…`) on the Graph origin; seeds the library on first start and on reset. */
export async function registerGraph(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const env = graphEnv(ctx);
  if (!env.store.item(rootItemId)) reseedGraph(env, seededExchangeFolders);
  ctx.onReset(() => reseedGraph(env, seededExchangeFolders));
  installCors(app, graphCors);
  await app.register(async (scope) => {
    // Bodies stay streams: file content goes straight to disk; JSON is read by the handlers.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    scope.all("/v1.0/*", async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const principal = await authenticate(ctx, request);
        const url = new URL(request.raw.url ?? "/", "https://graph.invalid");
        const path = url.pathname.replace(/^\/v1\.0\/?/, "");
        const body = request.body as Readable | undefined;
        const res =
          path === "$batch"
            ? request.method === "POST"
              ? await handleBatch(env, body, principal, () => throttleDecision(ctx))
              : (() => {
                  throw new GraphHttpError(405, "BadRequest", "$batch takes POST.");
                })()
            : await handleGraph(env, {
                method: request.method,
                path,
                query: url.searchParams,
                headers: request.headers as Record<string, string>,
                body,
                principal,
              });
        reply.code(res.status);
        if (res.headers) reply.headers(res.headers);
        if (res.json !== undefined)
          return reply.header("content-type", "application/json; odata.metadata=minimal").send(JSON.stringify(res.json));
        return reply.send();
      } catch (e) {
        if (isGraphHttpError(e)) return sendGraphError(reply, e);
        request.log.error(e);
        return sendGraphError(reply, new GraphHttpError(500, "generalException", "An unspecified error has occurred."));
      }
    });
  });
}
