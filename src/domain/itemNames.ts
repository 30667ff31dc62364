import { ValidationError } from "./errors";
import { shownValue } from "./shownValue";

/** SharePoint Online's limit on the decoded path of an item, library-relative (400 characters). */
export const MAX_PATH_LENGTH = 400;
/** SharePoint Online's limit on one file (250 GB). */
export const MAX_FILE_BYTES = 250 * 1024 ** 3;

// Characters SharePoint and OneDrive for Business refuse in a file or folder name.
const invalidCharacters = /["*:<>?/\\|#%\u0000-\u001f]/;
// Whole names SharePoint reserves anywhere in a library.
const reservedNames = /^(\.lock|CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|desktop\.ini)$/i;
// The library's own folder of views and templates sits at its top level.
const reservedAtLibraryRoot = /^forms$/i;
// Bidirectional embeddings, overrides and isolates: "invoice\u202Efdp.exe" reads as "invoiceexe.pdf".
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/;
const htmlLike = /<[^>]*>|&[a-z]+;|&#\d+;/i;

export interface ItemNameOptions {
  /** The name is of a folder directly under the library, where `Forms` is taken too. */
  readonly atLibraryRoot?: boolean;
}

/**
 * Whether SharePoint reserves the name: `.lock`, `CON`, `PRN`, `AUX`, `NUL`, `COM0-9`, `LPT0-9`,
 * `desktop.ini`, names starting with `~` (`~$` is Office's lock files), anything containing `_vti_`,
 * and `Forms` directly under the library. The one list every name check uses.
 */
export function isReservedName(name: string, options: ItemNameOptions = {}): boolean {
  return (
    reservedNames.test(name) ||
    name.startsWith("~") ||
    name.toLowerCase().includes("_vti_") ||
    (!!options.atLibraryRoot && reservedAtLibraryRoot.test(name))
  );
}

/**
 * Checks one file or folder name (a single path segment) against SharePoint's rules, and throws a
 * ValidationError whose code and message say what is wrong.
 */
export function validateItemName(name: string, what = "The name", options: ItemNameOptions = {}): string {
  if (name.length === 0 || name.trim().length === 0) throw new ValidationError("nameEmpty", `${what} is empty.`, name);
  if (name === ".." || name === ".")
    throw new ValidationError(
      "nameDotDot",
      `${what} "${shownValue(name)}" would point outside its folder; SharePoint does not allow it.`,
      name,
    );
  if (htmlLike.test(name))
    throw new ValidationError("nameHtml", `${what} "${shownValue(name)}" looks like HTML; rename it without < > or & codes.`, name);
  if (name.includes("/") || name.includes("\\"))
    throw new ValidationError(
      "namePathSeparator",
      `${what} "${shownValue(name)}" contains a path separator (/ or \\), so it is not a single name.`,
      name,
    );
  const bad = invalidCharacters.exec(name);
  if (bad) {
    const shown = bad[0] < " " ? "a control character" : `"${bad[0]}"`;
    throw new ValidationError(
      "nameInvalidCharacters",
      `${what} "${shownValue(name)}" contains ${shown}, which SharePoint does not allow (" * : < > ? / \\ | # %).`,
      name,
    );
  }
  if (bidiControls.test(name))
    throw new ValidationError(
      "nameInvalidCharacters",
      `${what} "${shownValue(name)}" contains a character that reverses the text's direction, which can disguise what a file is (its extension); rename it without it.`,
      name,
    );
  if (/^[\s.]|[\s.]$/.test(name))
    throw new ValidationError(
      "nameLeadingOrTrailing",
      `${what} "${shownValue(name)}" starts or ends with a space or a dot, which SharePoint does not allow.`,
      name,
    );
  if (isReservedName(name))
    throw new ValidationError("nameReserved", `${what} "${shownValue(name)}" is a name SharePoint reserves; choose another.`, name);
  if (isReservedName(name, options))
    throw new ValidationError(
      "nameReserved",
      `${what} "${shownValue(name)}" is a name SharePoint reserves at the top of a library for its own forms; choose another.`,
      name,
    );
  if (name.length > 255)
    throw new ValidationError("nameTooLong", `${what} is ${name.length} characters long; SharePoint allows 255.`, name);
  return name;
}

/** Checks a whole library-relative path (segments joined by `/`) against the 400-character limit. */
export function validatePathLength(path: string): string {
  if (path.length > MAX_PATH_LENGTH)
    throw new ValidationError(
      "pathTooLong",
      `The path "${shownValue(path.slice(0, 60))}…" is ${path.length} characters long; SharePoint allows ${MAX_PATH_LENGTH}. Use shorter folder or file names.`,
      path,
    );
  return path;
}

/** Checks a file before any byte is sent: its relative path inside the folder and its size. */
export function validateUploadFile(file: { readonly relativePath: string; readonly size: number }, folderPath: string): string {
  const segments = file.relativePath.split("/").filter((s) => s !== "");
  if (segments.length === 0) throw new ValidationError("nameEmpty", "The file has no name.", file.relativePath);
  segments.forEach((s, i) => validateItemName(s, i === segments.length - 1 ? "The file name" : "The folder name"));
  validatePathLength(`${folderPath}/${segments.join("/")}`);
  if (file.size > MAX_FILE_BYTES)
    throw new ValidationError(
      "fileTooLarge",
      `"${shownValue(segments[segments.length - 1])}" is ${(file.size / 1024 ** 3).toFixed(1)} GB; SharePoint accepts files up to 250 GB.`,
      file.relativePath,
    );
  return segments.join("/");
}
