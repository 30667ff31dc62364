/** A solution the sandbox cannot import, as a line of Dataverse's import log names it: the file, the element, the reason. */
export class SolutionImportError extends Error {
  constructor(
    readonly file: string,
    readonly element: string,
    readonly reason: string,
  ) {
    super(`${file}: ${element}: ${reason}`);
    this.name = "SolutionImportError";
  }
}
