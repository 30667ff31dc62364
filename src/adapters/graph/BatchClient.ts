import type { GraphClient } from "./GraphClient";
import { parseRetryAfter } from "../http/retryAfter";
import { graphErrorFromBody, type GraphError } from "./GraphError";
import { defaultSleep, RETRYABLE_STATUSES, type Sleep } from "./retryPolicy";

/** One request inside a `$batch`; `url` is relative to the version root (`/drives/…`). */
export interface BatchRequest {
  readonly id: string;
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly url: string;
  readonly body?: unknown;
}

export interface BatchResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface BatchOptions {
  /** Rounds in all for sub-requests that come back 429/503/504 (default 6). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: Sleep;
  readonly signal?: AbortSignal;
}

/** Graph's limit of requests per `$batch`. */
export const BATCH_LIMIT = 20;

/**
 * Runs requests through JSON batching, 20 per envelope, and sends again the sub-requests that
 * were throttled, after the longest Retry-After among them. Graph throttles sub-requests one by
 * one inside a 200 envelope, and neither pnpjs's `batched()` nor the SDK retry handlers retry them
 * (json-batching.md). Returns every response by id; throttled ones that never got through keep
 * their last status, for the caller to turn into a GraphError with {@link batchError}.
 */
export async function executeBatch(
  graph: GraphClient,
  requests: readonly BatchRequest[],
  options: BatchOptions = {},
): Promise<Map<string, BatchResponse>> {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? defaultSleep;
  const results = new Map<string, BatchResponse>();
  let pending = [...requests];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const envelopes: BatchRequest[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_LIMIT) envelopes.push(pending.slice(i, i + BATCH_LIMIT));
    const answered = await Promise.all(envelopes.map((chunk) => sendEnvelope(graph, chunk, options.signal)));
    const retry: BatchRequest[] = [];
    let waitMs = 0;
    for (const [i, responses] of answered.entries()) {
      for (const req of envelopes[i]) {
        const res = responses.get(req.id);
        if (!res) throw graphErrorFromBody(502, undefined, emptyHeaders, undefined);
        results.set(req.id, res);
        if (RETRYABLE_STATUSES.has(res.status) && attempt < maxAttempts) {
          retry.push(req);
          const after = parseRetryAfter(header(res, "retry-after"));
          waitMs = Math.max(waitMs, after ?? (options.baseDelayMs ?? 500) * 2 ** (attempt - 1));
        }
      }
    }
    pending = retry;
    if (pending.length > 0) await sleep(waitMs, options.signal);
  }
  return results;
}

async function sendEnvelope(graph: GraphClient, chunk: readonly BatchRequest[], signal?: AbortSignal): Promise<Map<string, BatchResponse>> {
  const body = {
    requests: chunk.map((r) =>
      r.body === undefined
        ? { id: r.id, method: r.method, url: r.url }
        : { id: r.id, method: r.method, url: r.url, headers: { "Content-Type": "application/json" }, body: r.body },
    ),
  };
  const answer = await graph.post<{ responses?: BatchResponse[] }>("$batch", body, { signal });
  const byId = new Map<string, BatchResponse>();
  for (const r of answer.responses ?? []) byId.set(String(r.id), { ...r, headers: r.headers ?? {} });
  return byId;
}

/** A sub-response header, whatever its case. */
export function header(res: BatchResponse, name: string): string | null {
  const key = Object.keys(res.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : res.headers[key];
}

/** The GraphError for a failed sub-response. */
export function batchError(res: BatchResponse): GraphError {
  return graphErrorFromBody(res.status, res.body, { get: (name) => header(res, name.toLowerCase()) });
}

const emptyHeaders = { get: () => null };
