/**
 * Xrm.WebApi's rejections, turned into the product's one Dataverse error type (shared with the
 * retention job's Web API client).
 */
import { DataverseError, isDataverseError, knownDataverseCodes, type DataverseErrorCode } from "../dataverse/DataverseError";

export { DataverseError, isDataverseError, type DataverseErrorCode };

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
  const known = hex ? knownDataverseCodes[hex] : undefined;
  let code: DataverseErrorCode = known?.code ?? "failed";
  if (!known) {
    if (status === 404) code = "notFound";
    else if (status === 403) code = "accessDenied";
    else if (status === 429) code = "throttled";
    else if (x.name === "TypeError" || /failed to fetch|network/i.test(text)) code = "networkError";
  }
  return new DataverseError(code, `${operation}: ${text}`, status || known?.status || 0, { dataverseCode: hex, cause: e });
}
