import type { Queryable } from "@pnp/queryable";
import type { TokenProvider } from "../../../ports/TokenProvider";

/**
 * Adds `Authorization: Bearer` from our TokenProvider at pnpjs's `auth` moment, and only for the
 * Graph origin: a URL on another host (a SharePoint upload or download URL) must not get it.
 */
export function GraphBearerToken(tokens: TokenProvider, scopes: readonly string[], graphBaseUrl: string) {
  const graphOrigin = new URL(graphBaseUrl).origin;
  return <T extends Queryable>(instance: T): T => {
    instance.on.auth.replace(async function (url: URL, init: RequestInit) {
      if (url.origin === graphOrigin) {
        const token = await tokens.getToken(scopes, { signal: init.signal ?? undefined });
        init.headers = { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` };
      }
      return [url, init];
    });
    return instance;
  };
}
