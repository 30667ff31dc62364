import { invalidRequest, GraphHttpError } from "./errors";

/** Characters SharePoint Online refuses in file and folder names. */
const invalidChars = /["*:<>?/\\|]/;
const reservedNames = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|\.lock|desktop\.ini)$/i;

/** SharePoint's full decoded path limit under the site (400 characters). */
export const maxPathLength = 400;

/**
 * Refuses names SharePoint refuses: 400 invalidRequest, inner code invalidPath. `#` and `%` are
 * allowed (SharePoint Online supports them since 2017), unlike the old OneDrive for Business set.
 */
export function checkName(name: string): void {
  const bad = (why: string) => invalidRequest(`The provided name contains invalid characters or is reserved: ${why}`, "invalidPath");
  if (!name || !name.trim()) throw bad("the name is empty.");
  if (invalidChars.test(name)) throw bad(`"${name}" contains one of " * : < > ? / \\ |.`);
  if (name !== name.trim()) throw bad("leading or trailing spaces.");
  if (name.endsWith(".")) throw bad("a name cannot end with a period.");
  if (name.startsWith("~$")) throw bad('a name cannot start with "~$".');
  if (reservedNames.test(name) || /_vti_/i.test(name)) throw bad(`"${name}" is reserved.`);
  if (/[\u0000-\u001f]/.test(name)) throw bad("control characters.");
}

/** Refuses paths over SharePoint's length limit (decoded, under the library). */
export function checkPathLength(segments: readonly string[]): void {
  const length = segments.join("/").length;
  if (length > maxPathLength)
    throw new GraphHttpError(400, "invalidRequest", `The path is ${length} characters; the limit is ${maxPathLength}.`, "pathIsTooLong");
}
