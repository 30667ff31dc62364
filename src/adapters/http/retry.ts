import {
  type Attempt,
  type Idempotency,
  type RetryEffects,
  type RetryPolicy,
  type RetryResult,
  type Verdict,
  runWithRetry,
} from "../../domain/retry";
import { parseRetryAfter } from "./retryAfter";

/** fetch, passed in: the narrowest seam for tests and for Node. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Waits `ms`, or rejects when the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
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

/** The real clock, sleep and jitter; `sleep` may be replaced (tests, an uploader's own). */
export function realEffects(sleep: Sleep = realSleep): RetryEffects {
  return { sleep, now: () => Date.now(), random: () => Math.random() };
}

/** Whether what fetch threw is the caller's cancellation. */
export function isAbort(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError";
}

/** Node's codes for a connection that was never made: the request cannot have reached the server. */
const NOT_CONNECTED: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/**
 * What fetch threw, as an attempt: a cancellation, or no answer. A browser's "Failed to fetch"
 * does not say whether the request went out, so it counts as sent (the answer may be lost).
 */
export function attemptFromException(e: unknown): Attempt {
  if (isAbort(e)) return { kind: "aborted" };
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  return { kind: "noAnswer", sent: !(code !== undefined && NOT_CONNECTED.has(code)) };
}

/** A response as an attempt: its status and Retry-After (the body is not read). */
export function attemptFromResponse(response: Response): Attempt {
  return { kind: "answer", status: response.status, retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) };
}

export interface FetchWithRetryOptions {
  readonly idempotency: Idempotency;
  readonly policy?: RetryPolicy;
  readonly effects?: RetryEffects;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: {
    readonly attempt: number;
    readonly waitMs: number;
    readonly verdict: Verdict;
    readonly status: number;
  }) => void;
  /** Runs before each attempt (a fresh token, a request count). */
  readonly before?: () => Promise<RequestInit | void> | RequestInit | void;
}

/**
 * Sends one HTTP request under the product's retry policy. Returns the last response or the last
 * exception with the decision that ended the loop; each adapter turns that into its own error.
 * A response that is sent again has its body released first, so the connection can be reused.
 */
export function fetchWithRetry(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  options: FetchWithRetryOptions,
): Promise<RetryResult<Response>> {
  let lastStatus = 0;
  return runWithRetry<Response>(
    async () => {
      const extra = (await options.before?.()) ?? {};
      lastStatus = 0;
      const response = await fetchFn(url, { ...init, ...extra });
      lastStatus = response.status;
      return response;
    },
    {
      idempotency: options.idempotency,
      policy: options.policy,
      effects: options.effects ?? realEffects(),
      signal: options.signal ?? init.signal ?? undefined,
      classify: (outcome) => ("value" in outcome ? attemptFromResponse(outcome.value) : attemptFromException(outcome.error)),
      discard: async (response) => {
        await response.body?.cancel().catch(() => undefined);
      },
      onRetry: (info) => options.onRetry?.({ ...info, status: lastStatus }),
    },
  );
}
