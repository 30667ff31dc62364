import { type Attempt, type Idempotency, retryPolicy, runWithRetry } from "../../domain/retry";
import { toDataverseError } from "./DataverseError";
import type { XrmWebApi } from "./XrmCrmGateway";
import type { XrmExecute } from "./XrmTicketGateway";

export interface RetryingWebApiOptions {
  /** Overrides of the product's retry policy (domain/retry.ts): attempts in all, the first included. */
  readonly attempts?: number;
  /** The first back-off's upper bound when Dataverse gives no Retry-After; it doubles each time. */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The back-off's jitter, a number in [0, 1) (tests pass a fixed one). */
  readonly random?: () => number;
}

/** Retry-After in ms, when the rejection carries it (Xrm.WebApi usually does not). */
function retryAfterMs(e: unknown): number | undefined {
  const v = (e as { retryAfterMs?: unknown; retryAfter?: unknown } | null) ?? {};
  if (typeof v.retryAfterMs === "number") return v.retryAfterMs;
  if (typeof v.retryAfter === "number") return v.retryAfter * 1000;
  return undefined;
}

/** What Xrm.WebApi rejected with, as an attempt: throttled, no answer, or the status and code it carries. */
function attemptFromRejection(e: unknown): Attempt {
  const err = toDataverseError(e, "");
  if (err.code === "networkError") return { kind: "noAnswer", sent: true };
  if (err.code === "throttled") return { kind: "answer", status: 429, retryAfterMs: retryAfterMs(e), code: err.dataverseCode };
  return { kind: "answer", status: err.status, retryAfterMs: retryAfterMs(e), code: err.dataverseCode };
}

/**
 * How safe a call is to repeat. Reads and deletes are; a create is keyed when its body carries the
 * new row's own primary key (`annotationid` for `annotation`): Dataverse refuses a second one as a
 * duplicate. An update (no precondition: Xrm.WebApi sends none) and an action are sent once.
 */
function idempotencyOfCall(name: string, args: readonly unknown[]): Idempotency {
  if (name.startsWith("retrieve") || name === "deleteRecord") return "safe";
  if (name === "createRecord") {
    const [table, body] = args as [unknown, Record<string, unknown> | undefined];
    return typeof table === "string" && typeof body?.[`${table}id`] === "string" ? "keyed" : "once";
  }
  return "once";
}

/**
 * Xrm.WebApi under the product's retry policy: a call answered "throttled" (429, 0x80072322…) was
 * not carried out, so it is sent again after Retry-After or a back-off; after a dropped connection
 * only what is safe to repeat (reads, keyed creates) is sent again. The last rejection is passed
 * through as it came.
 */
export function retryingWebApi<T extends Partial<XrmWebApi & XrmExecute>>(api: T, options: RetryingWebApiOptions = {}): T {
  const policy = retryPolicy({ attempts: options.attempts, baseDelayMs: options.baseDelayMs });
  // A plain timer: Xrm.WebApi calls cannot be cancelled, so neither is the wait.
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const effects = { sleep, now: () => Date.now(), random: options.random ?? (() => Math.random()) };
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...args: A) => PromiseLike<R>) =>
    async (...args: A): Promise<R> => {
      const result = await runWithRetry<R>(async () => fn(...args), {
        idempotency: idempotencyOfCall(name, args),
        classify: (outcome) => ("value" in outcome ? { kind: "answer", status: 200 } : attemptFromRejection(outcome.error)),
        policy,
        effects,
      });
      if ("value" in result) return result.value;
      throw result.error;
    };
  const out: Record<string, unknown> = {};
  for (const name of ["createRecord", "updateRecord", "retrieveRecord", "retrieveMultipleRecords", "deleteRecord", "execute"] as const) {
    const fn = api[name] as ((...args: unknown[]) => PromiseLike<unknown>) | undefined;
    if (typeof fn === "function") out[name] = wrap(name, fn.bind(api));
  }
  return out as T;
}
