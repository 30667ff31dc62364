import { toDataverseError } from "./DataverseError";
import type { XrmWebApi } from "./XrmCrmGateway";
import type { XrmExecute } from "./XrmTicketGateway";

export interface RetryingWebApiOptions {
  /** Attempts in all, the first included (default 5). */
  readonly attempts?: number;
  /** The first wait when Dataverse gives none; doubles each time (default 1 s). */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Retry-After in ms, when the rejection carries it (Xrm.WebApi usually does not). */
function retryAfterMs(e: unknown): number | undefined {
  const v = (e as { retryAfterMs?: unknown; retryAfter?: unknown } | null) ?? {};
  if (typeof v.retryAfterMs === "number") return v.retryAfterMs;
  if (typeof v.retryAfter === "number") return v.retryAfter * 1000;
  return undefined;
}

/**
 * Xrm.WebApi with Dataverse's service protection limits waited out: a call answered "throttled"
 * (429, 0x80072322…) was not carried out, so it is sent again after Retry-After or an exponential
 * back-off; a read whose connection dropped is read again. Everything else is passed through.
 */
export function retryingWebApi<T extends Partial<XrmWebApi & XrmExecute>>(api: T, options: RetryingWebApiOptions = {}): T {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => PromiseLike<R>, read: boolean) =>
    async (...args: A): Promise<R> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn(...args);
        } catch (e) {
          const code = toDataverseError(e, "").code;
          // A dropped connection may have carried out a write: only reads are sent again then.
          const again = code === "throttled" || (read && code === "networkError");
          if (attempt >= attempts || !again) throw e;
          await sleep(retryAfterMs(e) ?? base * 2 ** (attempt - 1));
        }
      }
    };
  const out: Record<string, unknown> = {};
  for (const name of ["createRecord", "updateRecord", "retrieveRecord", "retrieveMultipleRecords", "deleteRecord", "execute"] as const) {
    const fn = api[name] as ((...args: unknown[]) => PromiseLike<unknown>) | undefined;
    if (typeof fn === "function") out[name] = wrap(fn.bind(api), name.startsWith("retrieve"));
  }
  return out as T;
}
