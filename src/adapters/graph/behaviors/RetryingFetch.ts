import type { Queryable } from "@pnp/queryable";
import { type Idempotency, idempotencyOf } from "../../../domain/retry";
import { type FetchLike, IDEMPOTENCY_HEADER, type RetryOptions, sendWithRetry } from "../retryPolicy";

const DECLARED: ReadonlySet<string> = new Set(["safe", "keyed", "once"]);

/**
 * pnpjs's `send` moment: fetch under the product's retry policy, Retry-After honoured to the
 * millisecond (pnpjs's BrowserFetchWithRetry parseInts it and stops after 3 tries). A request is
 * as safe to repeat as its method and preconditions say, unless its caller declared otherwise
 * (a `$batch` of reads, a folder create that fails on a duplicate name); a POST is `once`, so an
 * invitation is never sent again after an answer that may have been lost (a drop, a 504).
 */
export function RetryingFetch(fetchFn: FetchLike, options: RetryOptions = {}) {
  return <T extends Queryable>(instance: T): T => {
    instance.on.send.replace(async function (url: URL, init: RequestInit) {
      const headers = { ...(init.headers as Record<string, string> | undefined) };
      const declared = headers[IDEMPOTENCY_HEADER];
      delete headers[IDEMPOTENCY_HEADER];
      const method = (init.method ?? "GET").toUpperCase();
      const idempotency: Idempotency = DECLARED.has(declared) ? (declared as Idempotency) : idempotencyOf(method, headers);
      return sendWithRetry(
        fetchFn,
        url.toString(),
        { ...init, headers },
        { ...options, idempotency, requestId: headers["client-request-id"] },
      );
    });
    return instance;
  };
}
