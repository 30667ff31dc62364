/** Why the solution could not be built. */
export type SolutionBuildErrorCode = "missingWebResource" | "badVersion" | "forbiddenFile";

/** The packer's one error type: a stable `code` and, when a file is missing, its path. */
export class SolutionBuildError extends Error {
  override readonly name = "SolutionBuildError";
  constructor(
    readonly code: SolutionBuildErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export function isSolutionBuildError(e: unknown): e is SolutionBuildError {
  return e instanceof Error && e.name === "SolutionBuildError" && typeof (e as SolutionBuildError).code === "string";
}
