import { type Attempt, classify, decide, type Idempotency, idempotencyOf, idempotencyOfAll } from "../../domain/retry";
import { realEffects } from "../http/retry";
import { parseRetryAfter } from "../http/retryAfter";
import type { GraphClient } from "./GraphClient";
import { graphErrorFromBody, type GraphError } from "./GraphError";
import { declareIdempotency, graphRetryPolicy, type Sleep } from "./retryPolicy";

/** One request inside a `$batch`; `url` is relative to the version root (`/drives/…`). */
export interface BatchRequest {
  readonly id: string;
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly url: string;
  readonly body?: unknown;
  /** How safe it is to repeat; by default what its method says (a POST is `once`). */
  readonly idempotency?: Idempotency;
}

export interface BatchResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface BatchOptions {
  /** Rounds in all for sub-requests that may be sent again (default: the product's retry policy). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: Sleep;
  readonly signal?: AbortSignal;
}

/** Graph's limit of requests per `$batch`. */
export const BATCH_LIMIT = 20;

/**
 * Runs requests through JSON batching, 20 per envelope, and sends again the sub-requests the
 * product's retry policy says to (throttled ones; lost ones that are safe to repeat), after the
 * longest wait among them. Graph throttles sub-requests one by one inside a 200 envelope, and
 * neither pnpjs's `batched()` nor the SDK retry handlers retry them (json-batching.md). Returns
 * every response by id; those that never got through keep their last status, for the caller to
 * turn into a GraphError with {@link batchError}. The envelope is as safe to repeat as its parts.
 */
export async function executeBatch(
  graph: GraphClient,
  requests: readonly BatchRequest[],
  options: BatchOptions = {},
): Promise<Map<string, BatchResponse>> {
  const policy = graphRetryPolicy({ maxAttempts: options.maxAttempts, baseDelayMs: options.baseDelayMs });
  const effects = realEffects(options.sleep);
  const started = effects.now();
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
        const idempotency = partIdempotency(req);
        const decision = decide({
          verdict: classify(partAttempt(res), idempotency),
          idempotency,
          attempt,
          elapsedMs: effects.now() - started,
          policy,
          random: effects.random(),
        });
        if (decision.action === "retry") {
          retry.push(req);
          waitMs = Math.max(waitMs, decision.waitMs);
        }
      }
    }
    pending = retry;
    if (pending.length > 0) await effects.sleep(waitMs, options.signal);
  }
  return results;
}

function partIdempotency(req: BatchRequest): Idempotency {
  return req.idempotency ?? idempotencyOf(req.method);
}

/** A sub-response as an attempt: status, Retry-After and Graph's error code. */
function partAttempt(res: BatchResponse): Attempt {
  const code = (res.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return {
    kind: "answer",
    status: res.status,
    retryAfterMs: parseRetryAfter(header(res, "retry-after")),
    code: typeof code === "string" ? code : undefined,
  };
}

async function sendEnvelope(graph: GraphClient, chunk: readonly BatchRequest[], signal?: AbortSignal): Promise<Map<string, BatchResponse>> {
  const body = {
    requests: chunk.map((r) =>
      r.body === undefined
        ? { id: r.id, method: r.method, url: r.url }
        : { id: r.id, method: r.method, url: r.url, headers: { "Content-Type": "application/json" }, body: r.body },
    ),
  };
  const init = declareIdempotency({ signal }, idempotencyOfAll(chunk.map(partIdempotency)));
  const answer = await graph.post<{ responses?: BatchResponse[] }>("$batch", body, init);
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
