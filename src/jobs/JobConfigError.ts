/** Why the retention job could not start: a missing or unreadable piece of its configuration. */
export class JobConfigError extends Error {
  override readonly name = "JobConfigError";
  constructor(
    readonly code: "configMissing" | "configInvalid",
    message: string,
    /** The environment variable concerned. */
    readonly variable?: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Recognises a JobConfigError by name, across bundles and realms (not only `instanceof`). */
export function isJobConfigError(e: unknown): e is JobConfigError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "JobConfigError" && "code" in e;
}
