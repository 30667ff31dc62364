/**
 * SharePoint refused to invite an address (207 with per-recipient `notAllowed`, or 400
 * `invalidRequest` / `secureSharingInvalidRequest`): nothing was shared and nothing recorded.
 */
export class ShareRefusedError extends Error {
  override readonly name = "ShareRefusedError";
  constructor(
    /** `notAllowed`, `invalidRequest`, … as SharePoint said. */
    readonly code: string,
    readonly email: string,
    message: string,
    readonly innerCode?: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export function isShareRefusedError(e: unknown): e is ShareRefusedError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "ShareRefusedError" && "code" in e;
}
