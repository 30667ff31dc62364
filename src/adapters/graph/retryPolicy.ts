import { type Idempotency, retryPolicy, type RetryPolicy } from "../../domain/retry";
import { type FetchLike, fetchWithRetry, realEffects, realSleep, type Sleep } from "../http/retry";
import { graphErrorFromException } from "./GraphError";

export type { FetchLike, Sleep } from "../http/retry";

/** Overrides of the product's retry policy for the Graph pipeline (tests, a job). */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** The first back-off's upper bound when the server gives no Retry-After. */
  readonly baseDelayMs?: number;
  /** Longest single wait we accept; a longer Retry-After ends the retries. */
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** Called before each wait, for logs, "SharePoint is busy" and tests. */
  readonly onRetry?: (info: { attempt: number; status: number; waitMs: number; url: string }) => void;
}

export const defaultSleep: Sleep = realSleep;

/** The policy these options give. */
export function graphRetryPolicy(options: RetryOptions): RetryPolicy {
  return retryPolicy({ attempts: options.maxAttempts, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs });
}

/**
 * A request header by which a caller declares how safe its request is to repeat
 * (see {@link Idempotency}); the pipeline removes it before the request is sent.
 */
export const IDEMPOTENCY_HEADER = "x-cfx-idempotency";

/** `init` with its idempotency declared for the pipeline. */
export function declareIdempotency(init: RequestInit | undefined, idempotency: Idempotency): RequestInit {
  return { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), [IDEMPOTENCY_HEADER]: idempotency } };
}

/**
 * Sends one Graph or SharePoint request under the product's retry policy (domain/retry.ts): what
 * is refused or throttled is sent again after Retry-After or a back-off; what may have happened
 * (a dropped connection, a 504) is sent again only when `idempotency` says it is safe.
 * Returns the last response (ok or not: the caller turns it into a GraphError); throws a GraphError
 * (`networkError`, `aborted`) when no response came.
 */
export async function sendWithRetry(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  options: RetryOptions & { readonly idempotency: Idempotency; readonly requestId?: string },
): Promise<Response> {
  let result;
  try {
    result = await fetchWithRetry(fetchFn, url, init, {
      idempotency: options.idempotency,
      policy: graphRetryPolicy(options),
      effects: realEffects(options.sleep ?? realSleep),
      onRetry: ({ attempt, waitMs, status }) => options.onRetry?.({ attempt, status, waitMs, url }),
    });
  } catch (e) {
    // The wait was cancelled.
    throw graphErrorFromException(e, options.requestId);
  }
  if ("value" in result) return result.value;
  // No answer came (the last attempt dropped too, or the request was not safe to send again).
  throw graphErrorFromException(result.error, options.requestId);
}
