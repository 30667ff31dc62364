import { parseRetryAfter } from "../http/retryAfter";
import type { TokenProvider } from "../../ports/TokenProvider";
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
  /** Attempts in all for a throttled (429/503) or dropped request (default 6). */
  readonly maxAttempts?: number;
  /** Back-off without Retry-After: base × 2^n (default 1 s). */
  readonly baseDelayMs?: number;
  /** Longest Retry-After we wait for; a longer one ends the retries (default 5 min, Dataverse's own window). */
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
const RETRYABLE = new Set([429, 503, 504]);

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

  constructor(private readonly options: DataverseClientOptions) {
    this.base = webApiBase(options.orgUrl);
    this.scope = `${new URL(this.base).origin}/.default`;
    this.fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
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
   * its operations, and the next batch is still sent.
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
    const maxAttempts = this.options.maxAttempts ?? 6;
    const outcomes: Array<BatchOutcome | undefined> = operations.map(() => undefined);
    let pending = operations.map((_, i) => i);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const request = encodeBatch(
        this.base,
        pending.map((i) => operations[i]),
      );
      const { status, text, contentType } = await this.exchange("POST", this.url("$batch"), request.body, {
        "Content-Type": request.contentType,
        Prefer: "odata.continue-on-error",
      });
      if (!ok(status)) throw dataverseErrorFrom(status, parseJson(text), "POST $batch");
      let parts: BatchPartResponse[];
      try {
        parts = decodeBatchResponse(contentType, text);
      } catch (e) {
        throw new DataverseError("invalidResponse", "POST $batch: the answer is not a multipart batch response.", status, { cause: e });
      }
      const again: number[] = [];
      let wait: number | undefined;
      pending.forEach((index, k) => {
        const part = parts[k];
        const op = operations[index];
        const operation = `${op.method} ${op.path}`;
        // A part without an answer was not run (Dataverse stopped the batch): send it again.
        const retryable = !part || RETRYABLE.has(part.status);
        if (retryable && attempt < maxAttempts) {
          again.push(index);
          const after = part ? parseRetryAfter(part.headers["retry-after"] ?? null) : undefined;
          if (after !== undefined) wait = Math.max(wait ?? 0, after);
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
      if (again.length > 0) {
        const delay = wait ?? this.backoff(attempt);
        if (delay > (this.options.maxDelayMs ?? 300_000)) {
          for (const index of again) {
            const op = operations[index];
            outcomes[index] = {
              ok: false,
              error: new DataverseError("throttled", `${op.method} ${op.path}: throttled longer than the job waits.`, 429),
            };
          }
          break;
        }
        await this.sleep(delay);
      }
      pending = again;
    }
    return outcomes.map((o) => o!);
  }

  private url(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl.replace(/^\/+/, "")}`;
  }

  /**
   * Sends one request with retries. Every request the job makes may be repeated safely (reads,
   * PATCH with If-Match, creates with their own key), so dropped connections are retried too.
   */
  private async send<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T | undefined> {
    const operation = `${method} ${url.replace(this.base, "")}`;
    const { status, text } = await this.exchange(
      method,
      url,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? headers : { "Content-Type": "application/json; charset=utf-8", ...headers },
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

  /** One HTTP exchange, retried on 429/503/504 (after Retry-After) and on dropped connections. */
  private async exchange(
    method: string,
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string; contentType: string }> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const operation = `${method} ${url.replace(this.base, "")}`;
    for (let attempt = 1; ; attempt++) {
      const token = await this.options.tokens.getToken([this.scope]);
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method,
          headers: {
            Accept: "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
            Authorization: `Bearer ${token}`,
            ...headers,
          },
          body,
        });
      } catch (e) {
        if (attempt >= maxAttempts)
          throw new DataverseError("networkError", `${operation}: the connection to Dataverse failed.`, 0, { cause: e });
        await this.sleep(this.backoff(attempt));
        continue;
      }
      this.options.onResponse?.({ method, url, status: response.status });
      if (RETRYABLE.has(response.status) && attempt < maxAttempts) {
        const wait = parseRetryAfter(response.headers.get("retry-after")) ?? this.backoff(attempt);
        if (wait <= (this.options.maxDelayMs ?? 300_000)) {
          await response.body?.cancel().catch(() => undefined);
          await this.sleep(wait);
          continue;
        }
      }
      const text = await response.text().catch(() => "");
      return { status: response.status, text, contentType: response.headers.get("content-type") ?? "" };
    }
  }

  private backoff(attempt: number): number {
    return (this.options.baseDelayMs ?? 1000) * 2 ** (attempt - 1);
  }
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
