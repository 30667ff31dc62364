/**
 * The one retry policy of every call the product makes (Graph, SharePoint upload URLs, the Dataverse
 * Web API, Xrm.WebApi): how an answer is classified, whether it is sent again, and how long to wait.
 * Pure: the clock, the sleep and the random source are passed in; the adapters say what an answer
 * was and whether the request is safe to repeat, and this module decides.
 */

/** How many times, how long between, and how long in all. One set for the whole product. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The first back-off's upper bound when the server gives no Retry-After; it doubles each time. */
  readonly baseDelayMs: number;
  /** The longest single wait: back-off stops growing here, and a longer Retry-After ends the retries. */
  readonly maxDelayMs: number;
  /** No wait is started that would end later than this after the first attempt. */
  readonly deadlineMs: number;
}

export const RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 120_000,
  deadlineMs: 300_000,
};

/** The policy with some values overridden (tests, a job that may wait longer). */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<RetryPolicy>;
  return { ...RETRY_POLICY, ...defined };
}

/**
 * Whether a request may be sent again when its answer was lost:
 * - `safe`: repeating it changes nothing more (GET, HEAD, a PUT of a range or a whole item,
 *   DELETE, a write with If-Match/If-None-Match, a `$batch` of safe parts);
 * - `keyed`: a create whose id we derived: a second one is refused as a duplicate (412
 *   `0x80040237`, 409 `nameAlreadyExists`), which counts as done;
 * - `once`: a second one would do it twice (an invitation sends its e-mail again): sent again only
 *   when the answer proves it was not done.
 */
export type Idempotency = "safe" | "keyed" | "once";

/** Methods that are safe to repeat by themselves. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** The idempotency of an HTTP request from its method and headers; `keyed` when the caller set the new row's id. */
export function idempotencyOf(method: string, headers: { readonly [name: string]: string | undefined } = {}, keyed = false): Idempotency {
  if (SAFE_METHODS.has(method.toUpperCase())) return "safe";
  const names = Object.keys(headers).map((h) => h.toLowerCase());
  if (names.includes("if-match") || names.includes("if-none-match")) return "safe";
  return keyed ? "keyed" : "once";
}

/** A `$batch` is as safe as its least safe part. */
export function idempotencyOfAll(parts: readonly Idempotency[]): Idempotency {
  if (parts.includes("once")) return "once";
  if (parts.includes("keyed")) return "keyed";
  return "safe";
}

/**
 * What came back from one attempt:
 * - `answer`: an HTTP status, with the `Retry-After` in ms and the service's error code when known;
 * - `noAnswer`: the connection failed; `sent` says whether the request may have reached the server
 *   (false only when the connection was never made);
 * - `aborted`: the caller cancelled;
 * - `final`: an outcome that will not change, whatever its form (the retries below it already ended).
 */
export type Attempt =
  | { readonly kind: "answer"; readonly status: number; readonly retryAfterMs?: number; readonly code?: string }
  | { readonly kind: "noAnswer"; readonly sent: boolean }
  | { readonly kind: "aborted" }
  | { readonly kind: "final" };

/**
 * - `done`: it worked (or a keyed create met its own earlier attempt);
 * - `throttled`: refused, not carried out, come back later;
 * - `transient`: a failure that may pass; `notDone` when the answer proves nothing was carried out;
 * - `lostAnswer`: it may have been carried out (dropped after sending, 504 from a gateway);
 * - `final`: sending it again would get the same answer (4xx, validation, privileges, 412…).
 */
export type Verdict =
  | { readonly kind: "done" }
  | { readonly kind: "throttled"; readonly retryAfterMs?: number }
  | { readonly kind: "transient"; readonly notDone: boolean; readonly retryAfterMs?: number }
  | { readonly kind: "lostAnswer" }
  | { readonly kind: "final" };

/**
 * A failure from a port, as an attempt. The product's boundary errors (GraphError, DataverseError)
 * carry a `code` and the HTTP `status` (0 without an answer): throttling and dropped connections
 * are told apart by code, the rest by status and the service's code. A failure that says nothing
 * of an answer counts as a lost one: it may have been carried out.
 */
export function attemptFromFailure(e: unknown): Attempt {
  const f = (typeof e === "object" && e !== null ? e : {}) as { name?: unknown; code?: unknown; status?: unknown; dataverseCode?: unknown };
  if (f.name === "AbortError" || f.code === "aborted") return { kind: "aborted" };
  if (f.code === "throttled") return { kind: "answer", status: 429 };
  const status = typeof f.status === "number" ? f.status : 0;
  if (f.code === "networkError" || status === 0) return { kind: "noAnswer", sent: true };
  const code = typeof f.dataverseCode === "string" ? f.dataverseCode : typeof f.code === "string" ? f.code : undefined;
  return { kind: "answer", status, code };
}

/** Dataverse's service protection codes (requests, execution time, concurrency); Graph's come as 429. */
const THROTTLE_CODES: ReadonlySet<string> = new Set(["0x80072322", "0x80072321", "0x80072326"]);
/** Codes that mark a 500 as a passing condition rather than a fault in the request. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(["serviceNotAvailable", "generalException"]);
/** Codes with which a keyed create says its row is already there. */
const DUPLICATE_CODES: ReadonlySet<string> = new Set(["0x80040237", "nameAlreadyExists"]);

/** Classifies one attempt of a request with the given idempotency. */
export function classify(attempt: Attempt, idempotency: Idempotency): Verdict {
  if (attempt.kind === "aborted" || attempt.kind === "final") return { kind: "final" };
  if (attempt.kind === "noAnswer") return attempt.sent ? { kind: "lostAnswer" } : { kind: "transient", notDone: true };
  const { status, retryAfterMs, code } = attempt;
  if (status >= 200 && status < 400) return { kind: "done" };
  if (status === 429 || (code !== undefined && THROTTLE_CODES.has(code))) return { kind: "throttled", retryAfterMs };
  if (status === 503) return retryAfterMs !== undefined ? { kind: "throttled", retryAfterMs } : { kind: "transient", notDone: true };
  if (status === 408) return { kind: "transient", notDone: true, retryAfterMs };
  if (status === 504) return { kind: "lostAnswer" };
  if (status === 502) return { kind: "transient", notDone: false, retryAfterMs };
  if (status === 500 && code !== undefined && TRANSIENT_CODES.has(code)) return { kind: "transient", notDone: false, retryAfterMs };
  if (idempotency === "keyed" && (status === 412 || status === 409) && (code === undefined || DUPLICATE_CODES.has(code)))
    return { kind: "done" };
  return { kind: "final" };
}

/** What to do after an attempt. */
export type Decision =
  | { readonly action: "done" }
  | { readonly action: "retry"; readonly waitMs: number }
  | { readonly action: "giveUp"; readonly reason: GiveUpReason };

/**
 * - `final`: the answer will not change;
 * - `notRepeatable`: it may have been carried out and is not safe to send again;
 * - `attempts`: every attempt was used;
 * - `waitTooLong`: the server asked for a wait longer than the policy accepts;
 * - `deadline`: the wait would end after the overall deadline.
 */
export type GiveUpReason = "final" | "notRepeatable" | "attempts" | "waitTooLong" | "deadline";

export interface DecideInput {
  readonly verdict: Verdict;
  readonly idempotency: Idempotency;
  /** The attempt just made, counting from 1. */
  readonly attempt: number;
  /** Milliseconds since the first attempt started. */
  readonly elapsedMs: number;
  readonly policy: RetryPolicy;
  /** A number in [0, 1): the back-off's jitter. */
  readonly random: number;
}

/** Whether to send again, and after how long. */
export function decide(input: DecideInput): Decision {
  const { verdict, idempotency, attempt, elapsedMs, policy } = input;
  if (verdict.kind === "done") return { action: "done" };
  if (verdict.kind === "final") return { action: "giveUp", reason: "final" };
  // Something may have been carried out: only a request that is safe to repeat goes again.
  const mayHaveHappened = verdict.kind === "lostAnswer" || (verdict.kind === "transient" && !verdict.notDone);
  if (mayHaveHappened && idempotency === "once") return { action: "giveUp", reason: "notRepeatable" };
  if (attempt >= policy.attempts) return { action: "giveUp", reason: "attempts" };
  const retryAfterMs = verdict.kind === "lostAnswer" ? undefined : verdict.retryAfterMs;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) return { action: "giveUp", reason: "waitTooLong" };
  const waitMs = retryAfterMs ?? backoffDelay(policy, attempt, input.random);
  if (elapsedMs + waitMs > policy.deadlineMs) return { action: "giveUp", reason: "deadline" };
  return { action: "retry", waitMs };
}

/**
 * Exponential back-off with full jitter: a wait drawn from [0, base × 2^(attempt−1)], the bound
 * capped at the policy's longest wait. Full jitter spreads clients that failed together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.ceil(bound * Math.min(1, Math.max(0, random)));
}

/** The effects a retry loop needs, passed in. */
export interface RetryEffects {
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
}

export interface RetryOptions<T> {
  readonly idempotency: Idempotency;
  /** Classifies what one attempt gave: a value, or what it threw. */
  readonly classify: (outcome: { readonly value: T } | { readonly error: unknown }) => Attempt;
  readonly policy?: RetryPolicy;
  readonly effects: RetryEffects;
  readonly signal?: AbortSignal;
  /** Called before each wait, for logs, progress and tests. */
  readonly onRetry?: (info: { readonly attempt: number; readonly waitMs: number; readonly verdict: Verdict }) => void;
  /** Called with a value that will be discarded because the request is sent again (to release its body). */
  readonly discard?: (value: T) => Promise<void> | void;
}

/** What the loop ended with: the last value, or the last error, and why it stopped. */
export type RetryResult<T> =
  | { readonly value: T; readonly decision: Decision; readonly attempts: number }
  | { readonly error: unknown; readonly decision: Decision; readonly attempts: number };

/**
 * Runs `attempt` until the policy says stop. Never throws what `attempt` threw: the caller gets it
 * back in the result (with the decision) and turns it into its boundary's error. Rejects only when
 * the sleep does (a cancelled wait).
 */
export async function runWithRetry<T>(attempt: () => Promise<T>, options: RetryOptions<T>): Promise<RetryResult<T>> {
  const policy = options.policy ?? RETRY_POLICY;
  const { effects } = options;
  const started = effects.now();
  for (let n = 1; ; n++) {
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await attempt() };
    } catch (error) {
      outcome = { error };
    }
    const verdict = classify(options.classify(outcome), options.idempotency);
    const decision = decide({
      verdict,
      idempotency: options.idempotency,
      attempt: n,
      elapsedMs: effects.now() - started,
      policy,
      random: effects.random(),
    });
    if (decision.action !== "retry") return { ...outcome, decision, attempts: n };
    options.onRetry?.({ attempt: n, waitMs: decision.waitMs, verdict });
    if ("value" in outcome) await options.discard?.(outcome.value);
    await effects.sleep(decision.waitMs, options.signal);
  }
}
