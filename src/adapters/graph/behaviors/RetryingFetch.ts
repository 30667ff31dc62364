import type { Queryable } from "@pnp/queryable";
import { type FetchLike, type RetryOptions, sendWithRetry } from "../retryPolicy";

/** Methods that are safe to send again after a dropped connection. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * pnpjs's `send` moment: fetch with bounded retries of 429/503/504 that honour Retry-After to the
 * millisecond (pnpjs's BrowserFetchWithRetry parseInts it and stops after 3 tries).
 */
export function RetryingFetch(fetchFn: FetchLike, options: RetryOptions = {}) {
  return <T extends Queryable>(instance: T): T => {
    instance.on.send.replace(async function (url: URL, init: RequestInit) {
      const headers = init.headers as Record<string, string> | undefined;
      const method = (init.method ?? "GET").toUpperCase();
      return sendWithRetry(fetchFn, url.toString(), init, {
        ...options,
        retryNetworkErrors: IDEMPOTENT.has(method),
        // A `$batch` carries its own retries per part; any other POST (an invitation, a folder
        // create) may have happened behind a gateway that timed out, and is not sent twice.
        retryGatewayTimeout: IDEMPOTENT.has(method) || url.pathname.endsWith("/$batch"),
        requestId: headers?.["client-request-id"],
      });
    });
    return instance;
  };
}
