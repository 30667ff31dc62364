import {
  type Attempt,
  classify,
  decide,
  type Idempotency,
  idempotencyOf,
  idempotencyOfAll,
  retryPolicy,
  type RetryPolicy,
} from "../../domain/retry";
import type { TokenProvider } from "../../ports/TokenProvider";
import { fetchWithRetry, realEffects } from "../http/retry";
import { parseRetryAfter } from "../http/retryAfter";
import { decodeBatchResponse, encodeBatch, type BatchOperation, type BatchPartResponse } from "./batchFormat";
import { DataverseError, dataverseErrorFrom } from "./DataverseError";

export type { BatchOperation } from "./batchFormat";

/** What became of one operation of a `$batch`. */
export type BatchOutcome =
  { readonly ok: true; readonly status: number; readonly body?: unknown } | { readonly ok: false; readonly error: DataverseError };

/** Dataverse takes at most 1,000 operations in one `$batch`. */
export const MAX_BATCH_OPERATIONS = 1000;

/** fetch, passed in: the narrowest seam for tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type Sleep = (ms: number) => Promise<void>;

export interface DataverseClientOptions {
  /** The organization's URL, e.g. `https://contoso.crm.dynamics.com` (the Web API path is added). */
  readonly orgUrl: string;
  /** App-only tokens; asked for `<orgUrl>/.default`. */
  readonly tokens: TokenProvider;
  readonly fetch?: FetchLike;
  /** Overrides of the product's retry policy (domain/retry.ts): attempts in all. */
  readonly maxAttempts?: number;
  /** The first back-off's upper bound without Retry-After. */
  readonly baseDelayMs?: number;
  /** Longest Retry-After we wait for; a longer one ends the retries. */
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** Called for every response, for request counts and `--verbose`. */
  readonly onResponse?: (info: { readonly method: string; readonly url: string; readonly status: number }) => void;
}

export interface Page<T> {
  readonly value: T[];
  readonly "@odata.nextLink"?: string;
}

const API_PATH = "/api/data/v9.2/";

/** The Web API base for an organization URL (tolerates one given with the API path already). */
export function webApiBase(orgUrl: string): string {
  const trimmed = orgUrl.replace(/\/+$/, "");
  return /\/api\/data\/v\d+\.\d+$/i.test(trimmed) ? `${trimmed}/` : `${trimmed}${API_PATH}`;
}

/**
 * A small Dataverse Web API client for Node: bearer token, OData headers, paging by
 * `Prefer: odata.maxpagesize` and `@odata.nextLink`, and Dataverse's service protection limits
 * (429 with Retry-After) honoured. Every failure is a DataverseError.
 */
export class DataverseClient {
  readonly base: string;
  private readonly scope: string;
  private readonly fetchFn: FetchLike;
  private readonly sleep: Sleep;
  private readonly policy: RetryPolicy;

  constructor(private readonly options: DataverseClientOptions) {
    this.base = webApiBase(options.orgUrl);
    this.scope = `${new URL(this.base).origin}/.default`;
    this.fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.policy = retryPolicy({ attempts: options.maxAttempts, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs });
  }

  /** Every row of a query, following `@odata.nextLink`, `pageSize` rows per request. */
  async getAll<T>(query: string, pageSize = 5000): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(query, pageSize)) out.push(...page);
    return out;
  }

  /** The pages of a query, one request each. */
  async *pages<T>(query: string, pageSize = 5000): AsyncGenerator<T[]> {
    let url: string | undefined = this.url(query);
    while (url) {
      const page: Page<T> | undefined = await this.send<Page<T>>("GET", url, undefined, {
        Prefer: `odata.maxpagesize=${pageSize},odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"`,
      });
      if (!page || !Array.isArray(page.value))
        throw new DataverseError("invalidResponse", `GET ${query}: the answer has no value array.`, 200);
      yield page.value;
      url = page["@odata.nextLink"];
    }
  }

  /** One record, or null when it does not exist. */
  async getOne<T>(path: string): Promise<T | null> {
    try {
      return (await this.send<T>("GET", this.url(path))) ?? null;
    } catch (e) {
      if (e instanceof DataverseError && e.code === "notFound") return null;
      throw e;
    }
  }

  /** Creates a record; the body may carry its own primary key (an idempotent create). */
  async create(entitySet: string, body: Readonly<Record<string, unknown>>): Promise<void> {
    await this.send("POST", this.url(entitySet), body);
  }

  /** Updates an existing record (`If-Match: *`, so a missing record is a 404, never an upsert). */
  async update(entitySet: string, id: string, body: Readonly<Record<string, unknown>>): Promise<void> {
    await this.send("PATCH", this.url(`${entitySet}(${id})`), body, { "If-Match": "*" });
  }

  /** One operation as its own request (what a batch part would be), with the usual retries. */
  async execute(operation: BatchOperation): Promise<unknown> {
    return this.send(operation.method, this.url(operation.path), operation.body, { ...operation.headers });
  }

  /**
   * Sends independent operations as `$batch` requests of `batchSize` operations (default 20), each
   * operation its own part (never a change set: one refusal would roll back the others) with
   * `Prefer: odata.continue-on-error`, so every part gets its own answer. A throttled batch is
   * sent again after its Retry-After; throttled parts are sent again, alone, in a later batch.
   * Outcomes come back in the order of `operations`; a batch that fails as a whole fails each of
   * its operations, and the next batch is still sent. Parts are sent again as the product's retry
   * policy says (throttled; lost and safe to repeat); a batch is as safe to repeat as its parts.
   */
  async batch(operations: readonly BatchOperation[], batchSize = 20): Promise<BatchOutcome[]> {
    const size = Math.max(1, Math.min(batchSize, MAX_BATCH_OPERATIONS));
    const out: BatchOutcome[] = [];
    for (let i = 0; i < operations.length; i += size) {
      const chunk = operations.slice(i, i + size);
      try {
        out.push(...(await this.batchOnce(chunk)));
      } catch (e) {
        const error = isError(e) ? e : new DataverseError("failed", String(e), 0, { cause: e });
        out.push(...chunk.map(() => ({ ok: false as const, error })));
      }
    }
    return out;
  }

  private async batchOnce(operations: readonly BatchOperation[]): Promise<BatchOutcome[]> {
    const outcomes: Array<BatchOutcome | undefined> = operations.map(() => undefined);
    const effects = realEffects(this.sleep);
    const started = effects.now();
    let pending = operations.map((_, i) => i);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const request = encodeBatch(
        this.base,
        pending.map((i) => operations[i]),
      );
      const { status, text, contentType } = await this.exchange(
        "POST",
        this.url("$batch"),
        request.body,
        { "Content-Type": request.contentType, Prefer: "odata.continue-on-error" },
        idempotencyOfAll(pending.map((i) => operationIdempotency(operations[i]))),
      );
      if (!ok(status)) throw dataverseErrorFrom(status, parseJson(text), "POST $batch");
      let parts: BatchPartResponse[];
      try {
        parts = decodeBatchResponse(contentType, text);
      } catch (e) {
        throw new DataverseError("invalidResponse", "POST $batch: the answer is not a multipart batch response.", status, { cause: e });
      }
      const again: number[] = [];
      let wait = 0;
      pending.forEach((index, k) => {
        const part = parts[k];
        const op = operations[index];
        const operation = `${op.method} ${op.path}`;
        const idempotency = operationIdempotency(op);
        const decision = decide({
          verdict: classify(partAttempt(part), idempotency),
          idempotency,
          attempt,
          elapsedMs: effects.now() - started,
          policy: this.policy,
          random: effects.random(),
        });
        if (decision.action === "retry") {
          again.push(index);
          wait = Math.max(wait, decision.waitMs);
          return;
        }
        if (!part) {
          outcomes[index] = {
            ok: false,
            error: new DataverseError("invalidResponse", `${operation}: no answer in the $batch response.`, status),
          };
        } else if (ok(part.status)) {
          outcomes[index] = { ok: true, status: part.status, body: parseJson(part.body) };
        } else {
          outcomes[index] = { ok: false, error: dataverseErrorFrom(part.status, parseJson(part.body), operation) };
        }
      });
      if (again.length > 0) await effects.sleep(wait);
      pending = again;
    }
    return outcomes.map((o) => o!);
  }

  private url(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl.replace(/^\/+/, "")}`;
  }

  /**
   * Sends one request with retries. What the job sends is safe to repeat (reads, PATCH with
   * If-Match, creates that carry their own key), so lost answers are retried too; a POST that
   * carries no key of its own is sent again only when the answer proves it was not carried out.
   */
  private async send<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T | undefined> {
    const operation = `${method} ${url.replace(this.base, "")}`;
    const { status, text } = await this.exchange(
      method,
      url,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? headers : { "Content-Type": "application/json; charset=utf-8", ...headers },
      operationIdempotency({ method, path: url.replace(this.base, ""), body, headers }),
    );
    let parsed: unknown;
    try {
      parsed = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      if (ok(status)) throw new DataverseError("invalidResponse", `${operation}: the answer is not JSON.`, status, { cause: text });
    }
    if (!ok(status)) throw dataverseErrorFrom(status, parsed, operation);
    return parsed as T | undefined;
  }

  /** One HTTP exchange under the product's retry policy, with a fresh token for every attempt. */
  private async exchange(
    method: string,
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
    idempotency: Idempotency,
  ): Promise<{ status: number; text: string; contentType: string }> {
    const operation = `${method} ${url.replace(this.base, "")}`;
    const counted = async (u: string, init: RequestInit): Promise<Response> => {
      const response = await this.fetchFn(u, init);
      this.options.onResponse?.({ method, url, status: response.status });
      return response;
    };
    const result = await fetchWithRetry(
      counted,
      url,
      { method, body },
      {
        idempotency,
        policy: this.policy,
        effects: realEffects(this.sleep),
        before: async () => ({
          headers: {
            Accept: "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
            Authorization: `Bearer ${await this.options.tokens.getToken([this.scope])}`,
            ...headers,
          },
        }),
      },
    );
    if (!("value" in result))
      throw new DataverseError("networkError", `${operation}: the connection to Dataverse failed.`, 0, { cause: result.error });
    const response = result.value;
    const text = await response.text().catch(() => "");
    return { status: response.status, text, contentType: response.headers.get("content-type") ?? "" };
  }
}

/**
 * How safe an operation is to repeat: by its method and preconditions, and a create is keyed when
 * its body carries the new row's own primary key (`annotations` with `annotationid`): a second
 * one is refused as a duplicate instead of writing twice.
 */
export function operationIdempotency(op: {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}): Idempotency {
  return idempotencyOf(op.method, op.headers ?? {}, op.method === "POST" && carriesOwnKey(op.path, op.body));
}

function carriesOwnKey(path: string, body: unknown): boolean {
  const entitySet = path.replace(/^\/+/, "").split(/[?(/]/)[0];
  if (!/^[a-z_]+$/i.test(entitySet) || typeof body !== "object" || body === null) return false;
  const singular = [entitySet.replace(/ies$/, "y"), entitySet.replace(/es$/, ""), entitySet.replace(/s$/, "")];
  // Activities (e-mails) share one primary key column, `activityid`.
  const keys = [...singular.map((name) => `${name}id`), ...(entitySet === "emails" ? ["activityid"] : [])];
  return keys.some((key) => typeof (body as Record<string, unknown>)[key] === "string");
}

/** A `$batch` part's answer as an attempt; a part with no answer was never run. */
function partAttempt(part: BatchPartResponse | undefined): Attempt {
  if (!part) return { kind: "noAnswer", sent: false };
  const code = (parseJson(part.body) as { error?: { code?: unknown } } | undefined)?.error?.code;
  return {
    kind: "answer",
    status: part.status,
    retryAfterMs: parseRetryAfter(part.headers["retry-after"] ?? null),
    code: typeof code === "string" ? code.toLowerCase() : undefined,
  };
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

function parseJson(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function isError(e: unknown): e is DataverseError {
  return e instanceof DataverseError;
}
