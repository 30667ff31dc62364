import { parseRetryAfter } from "../http/retryAfter";
import { GraphError, graphErrorFromException } from "./GraphError";

/** fetch, passed in: the narrowest seam for tests and for Node. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Waits `ms`, or rejects when the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  readonly maxAttempts?: number;
  /** Back-off when the server gives no Retry-After: base × 2^n, with jitter (default 500 ms). */
  readonly baseDelayMs?: number;
  /** Longest single wait we accept; a longer Retry-After ends the retries (default 120 s). */
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** Called before each wait, for logs and tests. */
  readonly onRetry?: (info: { attempt: number; status: number; waitMs: number; url: string }) => void;
}

/** Statuses Graph and SharePoint use for "not now, try again". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new DOMException("Aborted", "AbortError"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason ?? new DOMException("Aborted", "AbortError"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** How long to wait before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelay(response: Response | undefined, attempt: number, options: RetryOptions): number {
  const fromHeader = parseRetryAfter(response?.headers.get("retry-after"));
  if (fromHeader !== undefined) return fromHeader;
  const base = options.baseDelayMs ?? 500;
  const exp = base * 2 ** (attempt - 1);
  return Math.round(exp / 2 + (Math.random() * exp) / 2);
}

/**
 * Sends one request, retrying 429/503/504 as the server asks (Retry-After, fractional seconds
 * too) up to a bounded number of attempts. Connection failures are retried only when
 * `retryNetworkErrors` says the request is safe to repeat (GET, PUT, DELETE of Graph items):
 * a dropped POST may have happened, and its caller decides.
 * Returns the last response (ok or not: the caller turns it into a GraphError).
 */
export async function sendWithRetry(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  options: RetryOptions & {
    readonly retryNetworkErrors?: boolean;
    /**
     * Whether a 504 may be sent again. A gateway that timed out may have passed the request on:
     * a POST that is not safe to repeat (an invitation sends its e-mail again) is not retried
     * on 504, and its caller reads what is true before deciding. 429 and 503 are refusals: always retried.
     */
    readonly retryGatewayTimeout?: boolean;
    readonly requestId?: string;
  } = {},
): Promise<Response> {
  const maxAttempts = options.maxAttempts ?? 6;
  const maxDelay = options.maxDelayMs ?? 120_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined;
    try {
      response = await fetchFn(url, init);
    } catch (e) {
      const err = graphErrorFromException(e, options.requestId);
      if (err.code === "aborted" || !options.retryNetworkErrors || attempt >= maxAttempts) throw err;
    }
    if (response && !RETRYABLE_STATUSES.has(response.status)) return response;
    if (response && response.status === 504 && options.retryGatewayTimeout === false) return response;
    if (attempt >= maxAttempts) {
      if (response) return response;
      throw new GraphError("retriesExhausted", `No answer after ${attempt} attempts.`, 0, { requestId: options.requestId });
    }
    const waitMs = retryDelay(response, attempt, options);
    if (waitMs > maxDelay) {
      if (response) return response;
      throw new GraphError("retriesExhausted", `The server asked to wait ${waitMs} ms, longer than we accept.`, 0, {
        requestId: options.requestId,
      });
    }
    options.onRetry?.({ attempt, status: response?.status ?? 0, waitMs, url });
    // Let the throttled response's body go, so the connection can be reused.
    await response?.body?.cancel().catch(() => undefined);
    try {
      await sleep(waitMs, init.signal ?? undefined);
    } catch (e) {
      throw graphErrorFromException(e, options.requestId);
    }
  }
}
