import type { Queryable } from "@pnp/queryable";
import { RejectOnError, ResolveOnData } from "@pnp/queryable";

/**
 * Our replacement for pnpjs's DefaultInit + DefaultHeaders: absolute URLs from the Graph base URL
 * in the settings (national clouds, the sandbox), JSON only where there is a JSON body, and none
 * of pnpjs's `Telemetry` behaviour: its `SdkVersion` header buys us nothing and is one more
 * custom header a CORS preflight must allow (msgraph-sdk-javascript#220/#265).
 */
export function GraphDefaults(baseUrl: string) {
  if (!/^https?:\/\//i.test(baseUrl)) throw new Error(`The Graph base URL must be absolute, not "${baseUrl}".`);
  const base = baseUrl.replace(/\/+$/, "");
  return <T extends Queryable>(instance: T): T => {
    instance.using(RejectOnError(), ResolveOnData());
    instance.on.pre(async function (url: string, init: RequestInit, result: unknown) {
      if (!/^https?:\/\//i.test(url)) url = `${base}/${url.replace(/^\/+/, "")}`;
      const headers = { ...(init.headers as Record<string, string>) };
      headers["Accept"] = headers["Accept"] ?? "application/json";
      if (typeof init.body === "string" && !hasHeader(headers, "content-type")) headers["Content-Type"] = "application/json";
      init.headers = headers;
      init.cache = "no-store";
      // Bearer tokens, not cookies: never send the SharePoint or Graph cookies along.
      init.credentials = "omit";
      return [url, init, result];
    });
    return instance;
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
