import { parseRetryAfter } from "../http/retryAfter";

/**
 * The one error type of the Graph boundary (Graph API, SharePoint upload URLs, $batch
 * sub-requests). `code` is Graph's top-level code (`itemNotFound`, `nameAlreadyExists`,
 * `TooManyRequests`, …) or one of ours below; `innerCode` is the innermost `innererror.code`
 * (`fragmentOverlap`, `secureSharingInvalidRequest`, …).
 */
export type GraphOwnCode =
  /** The connection failed or was dropped before a response arrived. */
  | "networkError"
  /** A request that is never sent twice (a chat message) lost its answer: it may have been carried out. */
  | "outcomeUnknown"
  /** The response was not what Graph documents (not JSON, missing fields). */
  | "invalidResponse"
  /** Throttled (429/503/504) more times than the retry policy allows. */
  | "retriesExhausted"
  /** The request was aborted by the caller (pause, cancel, closed panel). */
  | "aborted"
  /** The stored file's quickXorHash differs from the local file's (not an Office document). */
  | "hashMismatch"
  /** The path names a file where a folder was expected. */
  | "notAFolder"
  /** The library named in the settings is not on the site. */
  | "libraryNotFound"
  /** The local file could not be read any more (moved, changed or locked since it was picked). */
  | "fileUnreadable";

export interface GraphErrorOptions {
  readonly innerCode?: string;
  /** Graph's `request-id` (to quote to Microsoft support), else our `client-request-id`. */
  readonly requestId?: string;
  readonly cause?: unknown;
  /** Milliseconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;
  /** The answer's `Location` header: where a `410 Gone` from drive delta says to start again. */
  readonly location?: string;
}

export class GraphError extends Error {
  override readonly name = "GraphError";
  readonly innerCode?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly location?: string;

  constructor(
    readonly code: GraphOwnCode | (string & {}),
    message: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    options: GraphErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.innerCode = options.innerCode;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
    this.location = options.location;
  }
}

/** Recognises a GraphError by name, across bundles and realms (not only `instanceof`). */
export function isGraphError(e: unknown): e is GraphError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "GraphError" && "code" in e && "status" in e;
}

interface GraphErrorBody {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly innerError?: InnerError;
    readonly innererror?: InnerError;
  };
}
interface InnerError {
  readonly code?: string;
  readonly "request-id"?: string;
  readonly innerError?: InnerError;
  readonly innererror?: InnerError;
}

/** Builds the GraphError for a Graph-shaped error body (`{"error":{code,message,innerError}}`). */
export function graphErrorFromBody(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null },
  fallbackRequestId?: string,
): GraphError {
  const err = (body as GraphErrorBody | undefined)?.error;
  let inner = err?.innerError ?? err?.innererror;
  let innerCode: string | undefined;
  let innerRequestId: string | undefined;
  // Walk to the innermost code: SharePoint nests them (invalidRange > fragmentOverlap).
  for (let depth = 0; inner && depth < 8; depth++) {
    innerCode = inner.code ?? innerCode;
    innerRequestId = inner["request-id"] ?? innerRequestId;
    inner = inner.innerError ?? inner.innererror;
  }
  const code = err?.code ?? statusCode(status);
  const requestId = headers.get("request-id") ?? innerRequestId ?? headers.get("client-request-id") ?? fallbackRequestId;
  const message = err?.message ? `${err.message} (${status} ${code})` : `Graph answered ${status} ${code}.`;
  return new GraphError(code, message, status, {
    innerCode,
    requestId,
    retryAfterMs: parseRetryAfter(headers.get("retry-after")),
    location: headers.get("location") ?? undefined,
  });
}

/** Builds the GraphError for a failed fetch Response, reading its body. */
export async function graphErrorFromResponse(response: Response, clientRequestId?: string): Promise<GraphError> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return graphErrorFromBody(response.status, body, response.headers, clientRequestId);
}

/** Wraps whatever fetch threw (TypeError, AbortError) into a GraphError. */
export function graphErrorFromException(e: unknown, requestId?: string): GraphError {
  if (isGraphError(e)) return e;
  const aborted = typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError";
  return aborted
    ? new GraphError("aborted", "The request was cancelled.", 0, { cause: e, requestId })
    : new GraphError("networkError", "The connection to Microsoft Graph or SharePoint failed.", 0, { cause: e, requestId });
}

function statusCode(status: number): string {
  if (status === 429) return "TooManyRequests";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "accessDenied";
  if (status === 404) return "itemNotFound";
  if (status === 409) return "conflict";
  if (status >= 500) return "serviceNotAvailable";
  return "invalidRequest";
}
