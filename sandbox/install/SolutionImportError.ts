/**
 * Why a solution package could not be imported: the file inside the zip, the element in it and
 * the reason, as one line of Dataverse's import log (`customizations.xml: Entity[cfx_X]/attribute[cfx_Y]/Type: …`).
 */
export class SolutionImportError extends Error {
  override readonly name = "SolutionImportError";
  constructor(
    readonly file: string,
    readonly element: string,
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${file}: ${element}: ${reason}`, options);
  }
}

/** Recognises a SolutionImportError by its name, so a copy from another module instance counts too. */
export function isSolutionImportError(e: unknown): e is SolutionImportError {
  return e instanceof Error && e.name === "SolutionImportError" && typeof (e as SolutionImportError).file === "string";
}
