import type { Queryable } from "@pnp/queryable";

/**
 * Puts Graph's own correlation header, `client-request-id`, on every call. pnpjs already makes a
 * GUID per request but sends it as `X-PnPjs-RequestId`, a custom header Graph does not document;
 * we reuse the GUID under Graph's name and drop pnpjs's header. Graph echoes it in the response
 * and in its logs, so a failure the user reports can be found.
 */
export function ClientRequestId(newId: () => string = randomId) {
  return <T extends Queryable>(instance: T): T => {
    instance.on.pre(async function (url: string, init: RequestInit, result: unknown) {
      const headers = { ...(init.headers as Record<string, string>) };
      const pnpId = headers["X-PnPjs-RequestId"];
      delete headers["X-PnPjs-RequestId"];
      headers["client-request-id"] = headers["client-request-id"] ?? pnpId ?? newId();
      init.headers = headers;
      return [url, init, result];
    });
    return instance;
  };
}

/** A random v4 GUID (crypto.randomUUID exists in browsers and Node 20). */
export function randomId(): string {
  return crypto.randomUUID();
}
