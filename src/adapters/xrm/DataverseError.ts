/**
 * The one error type of the Dataverse boundary in the panels (Xrm.WebApi). `code` is ours and
 * stable; `dataverseCode` is the platform's hex code (`0x80040217`); the original is `cause`.
 */
export type DataverseErrorCode =
  /** The record does not exist (or no longer). */
  | "notFound"
  /** The user's security roles do not allow the operation. */
  | "accessDenied"
  /** The record is resolved, cancelled or otherwise inactive and refuses changes. */
  | "inactiveRecord"
  /** Service protection limits: try again later. */
  | "throttled"
  /** The request did not reach Dataverse or no answer came back. */
  | "networkError"
  /** The request was malformed (a column or query the organization does not know). */
  | "badRequest"
  /** Anything else Dataverse answered. */
  | "failed";

export class DataverseError extends Error {
  override readonly name = "DataverseError";
  constructor(
    readonly code: DataverseErrorCode,
    message: string,
    /** HTTP status when known, else 0. */
    readonly status: number,
    /** The platform's error code in hex, e.g. `0x80040217`. */
    readonly dataverseCode?: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Recognises a DataverseError by name, across bundles and realms (not only `instanceof`). */
export function isDataverseError(e: unknown): e is DataverseError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "DataverseError" && "code" in e;
}

// Dataverse's own codes for the failures the panels tell apart.
const byHex: Readonly<Record<string, { code: DataverseErrorCode; status: number }>> = {
  "0x80040217": { code: "notFound", status: 404 },
  "0x80040220": { code: "accessDenied", status: 403 },
  "0x80042f09": { code: "accessDenied", status: 403 },
  "0x8004140f": { code: "accessDenied", status: 403 },
  "0x800404cf": { code: "inactiveRecord", status: 400 },
  "0x80040203": { code: "inactiveRecord", status: 400 },
  "0x80043b1d": { code: "inactiveRecord", status: 400 },
  "0x80072322": { code: "throttled", status: 429 },
  "0x80072321": { code: "throttled", status: 429 },
  "0x80072326": { code: "throttled", status: 429 },
  "0x80060888": { code: "badRequest", status: 400 },
  "0x8006088a": { code: "badRequest", status: 400 },
  "0x80060891": { code: "badRequest", status: 400 },
};

/** `0x80040217` from a number (signed or unsigned, as Xrm.WebApi hands them out) or a string. */
export function hexCode(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
  if (typeof value === "string" && value.trim()) {
    const v = value.trim().toLowerCase();
    if (/^0x[0-9a-f]+$/.test(v)) return `0x${v.slice(2).padStart(8, "0")}`;
    if (/^-?\d+$/.test(v)) return hexCode(Number(v));
  }
  return undefined;
}

interface XrmErrorLike {
  readonly errorCode?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly status?: unknown;
  readonly httpStatus?: unknown;
  readonly name?: unknown;
}

/**
 * Wraps what Xrm.WebApi rejected with (`{errorCode, message}` in Unified Interface, a TypeError
 * for a dropped connection) into a DataverseError; `operation` says what we were doing.
 */
export function toDataverseError(e: unknown, operation: string): DataverseError {
  if (isDataverseError(e)) return e;
  const x = (typeof e === "object" && e !== null ? e : {}) as XrmErrorLike;
  const hex = hexCode(x.errorCode) ?? hexCode(x.code);
  const status = typeof x.status === "number" ? x.status : typeof x.httpStatus === "number" ? x.httpStatus : 0;
  const text = typeof x.message === "string" && x.message ? x.message : String(e);
  const known = hex ? byHex[hex] : undefined;
  let code: DataverseErrorCode = known?.code ?? "failed";
  if (!known) {
    if (status === 404) code = "notFound";
    else if (status === 403) code = "accessDenied";
    else if (status === 429) code = "throttled";
    else if (x.name === "TypeError" || /failed to fetch|network/i.test(text)) code = "networkError";
  }
  return new DataverseError(code, `${operation}: ${text}`, status || known?.status || 0, hex, { cause: e });
}
