/**
 * The one error type of the Dataverse boundary, for the panels (over Xrm.WebApi, see
 * ../xrm/DataverseError.ts) and the retention job (over the Web API) alike. `code` is ours and
 * stable; `dataverseCode` is the platform's hex code (`0x80040217`); the original (a fetch
 * TypeError, the response body, Xrm's rejection) is `cause`.
 */
export type DataverseErrorCode =
  /** The record does not exist (or no longer). */
  | "notFound"
  /** The token was missing, expired or for another organization (401). */
  | "unauthenticated"
  /** The user's (or application user's) security roles do not allow the operation. */
  | "accessDenied"
  /**
   * A create or update set a secured column (column security) the user's field security profiles do
   * not allow: here, an administrator's expiry decision by someone outside the administrators' profile.
   */
  | "securedColumn"
  /** The record is resolved, cancelled or otherwise inactive and refuses changes. */
  | "inactiveRecord"
  /** A record with the same key already exists. */
  | "duplicate"
  /** An update with `If-Match: <etag>` found the record changed since it was read (412). */
  | "versionMismatch"
  /** Service protection limits, still refused after the retries. */
  | "throttled"
  /** The request did not reach Dataverse or no answer came back. */
  | "networkError"
  /** The request was malformed (a column or query the organization does not know). */
  | "badRequest"
  /** The answer was not what the Web API documents. */
  | "invalidResponse"
  /** Anything else Dataverse answered. */
  | "failed";

export class DataverseError extends Error {
  override readonly name = "DataverseError";
  constructor(
    readonly code: DataverseErrorCode,
    message: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    options: { readonly dataverseCode?: string; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.dataverseCode = options.dataverseCode;
  }
  /** The platform's error code in hex, e.g. `0x80040217`. */
  readonly dataverseCode?: string;
}

/** Recognises a DataverseError by name, across bundles and realms (not only `instanceof`). */
export function isDataverseError(e: unknown): e is DataverseError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "DataverseError" && "code" in e;
}

/** Dataverse's own codes for the failures the product tells apart, with the status they come with. */
export const knownDataverseCodes: Readonly<Record<string, { readonly code: DataverseErrorCode; readonly status: number }>> = {
  "0x80040217": { code: "notFound", status: 404 },
  "0x80040220": { code: "accessDenied", status: 403 },
  "0x80042f09": { code: "accessDenied", status: 403 },
  "0x8004140f": { code: "accessDenied", status: 403 },
  "0x800404cf": { code: "inactiveRecord", status: 400 },
  "0x80040203": { code: "inactiveRecord", status: 400 },
  "0x80043b1d": { code: "inactiveRecord", status: 400 },
  "0x80040237": { code: "duplicate", status: 412 },
  // ConcurrencyVersionMismatch: the row's version is not the one If-Match named (Learn, optimistic concurrency).
  "0x80060882": { code: "versionMismatch", status: 412 },
  // AttributePrivilegeCreateIsMissing, AttributePermissionUpdateIsMissingDuringUpdate (Learn, Web service error codes).
  "0x8004f502": { code: "securedColumn", status: 403 },
  "0x8004f507": { code: "securedColumn", status: 403 },
  "0x80072322": { code: "throttled", status: 429 },
  "0x80072321": { code: "throttled", status: 429 },
  "0x80072326": { code: "throttled", status: 429 },
  "0x80060888": { code: "badRequest", status: 400 },
  "0x8006088a": { code: "badRequest", status: 400 },
  "0x80060891": { code: "badRequest", status: 400 },
};

/** Builds the DataverseError for an answer with a status ≥ 400 and its parsed body (`{error:{code,message}}`). */
export function dataverseErrorFrom(status: number, body: unknown, operation: string): DataverseError {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const hex = typeof err?.code === "string" && /^0x[0-9a-f]+$/i.test(err.code) ? err.code.toLowerCase() : undefined;
  const text = typeof err?.message === "string" && err.message ? err.message : `Dataverse answered ${status}.`;
  let code: DataverseErrorCode = (hex && knownDataverseCodes[hex]?.code) || "failed";
  if (code === "failed") {
    if (status === 401) code = "unauthenticated";
    else if (status === 403) code = "accessDenied";
    else if (status === 404) code = "notFound";
    else if (status === 412) code = "duplicate";
    else if (status === 429) code = "throttled";
    else if (status === 400) code = "badRequest";
  }
  return new DataverseError(code, `${operation}: ${text}`, status, { dataverseCode: hex, cause: body });
}
