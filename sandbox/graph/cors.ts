import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** A CORS policy as one service answers it: which request headers it lets a browser send, which it exposes. */
export interface CorsPolicy {
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly methods: readonly string[];
}

/**
 * Graph's: any origin, no credentials, a fixed list of request headers. A header outside the list
 * (a custom `x-…`) is left out of the preflight answer, so the browser refuses the request, as with
 * the real service.
 */
export const graphCors: CorsPolicy = {
  allowHeaders: [
    "accept",
    "accept-language",
    "authorization",
    "cache-control",
    "client-request-id",
    "consistencylevel",
    "content-language",
    "content-type",
    "if-match",
    "if-none-match",
    "prefer",
    "return-client-request-id",
    "sdkversion",
    "x-ms-client-request-id",
    "x-requested-with",
  ],
  exposeHeaders: [
    "Location",
    "ETag",
    "Content-Range",
    "Preference-Applied",
    "Retry-After",
    "request-id",
    "client-request-id",
    "SdkVersion",
    "WWW-Authenticate",
  ],
  methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
};

/** SharePoint's on upload and download URLs: the upload headers, Range for downloads; still no custom headers. */
export const sharePointCors: CorsPolicy = {
  allowHeaders: [
    "accept",
    "accept-language",
    "authorization",
    "cache-control",
    "content-language",
    "content-range",
    "content-type",
    "if-match",
    "if-none-match",
    "range",
    "sdkversion",
    "x-requested-with",
    "x-requestdigest",
  ],
  exposeHeaders: [
    "Content-Range",
    "Content-Length",
    "Content-Disposition",
    "ETag",
    "Location",
    "Retry-After",
    "SPRequestGuid",
    "request-id",
  ],
  methods: ["GET", "PUT", "POST", "DELETE", "OPTIONS"],
};

/** Answers preflights and decorates every response of the instance with the policy's CORS headers. */
export function installCors(app: FastifyInstance, policy: CorsPolicy): void {
  // onSend, so every answer carries the headers, also a 429/503 sent early by the fault hook
  // (the browser could not read its Retry-After otherwise).
  app.addHook("onSend", async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.headers.origin && !reply.hasHeader("access-control-allow-origin")) {
      reply.header("access-control-allow-origin", "*").header("access-control-expose-headers", policy.exposeHeaders.join(", "));
    }
    return payload;
  });
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"]) {
      const asked = String(request.headers["access-control-request-headers"] ?? "")
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const allowed = asked.filter((h) => policy.allowHeaders.includes(h));
      reply
        .code(200)
        .header("access-control-allow-origin", "*")
        .header("access-control-allow-methods", policy.methods.join(", "))
        .header("access-control-max-age", "3600");
      if (allowed.length) reply.header("access-control-allow-headers", allowed.join(", "));
      return reply.send();
    }
  });
}
