import { ExchangeDirection } from "../model";
import { ValidationError } from "./errors";
import { isReservedName, validateItemName, validatePathLength } from "./itemNames";
import { hasNestedRepetition } from "./patternSafety";
import { shownValue } from "./shownValue";
import type { Settings } from "./settings";

export type FolderNamingSettings = Pick<Settings, "backupRoot" | "uploadRoot" | "folderLayout" | "caseNumberPattern">;

/** Where an exchange's folder goes, under the document library. */
export interface FolderLocation {
  /** The folder's own name: the case number. */
  readonly name: string;
  /** Library-relative segments, root first: [root, (account,) case]. */
  readonly segments: readonly string[];
  /** The segments joined by `/`, not encoded. */
  readonly path: string;
  /** The per-account level, when the layout uses one: never deleted as an orphan. */
  readonly accountFolder?: string;
}

/**
 * Makes a customer's account name safe as a folder name: invisible formatting characters (zero-width
 * spaces, direction overrides) are dropped, SharePoint's invalid characters become `-`,
 * runs of `-` and spaces collapse, leading and trailing dots and spaces go. A name SharePoint
 * reserves (`CON`, `desktop.ini`, …) gets `-account` appended rather than being dropped, so that all
 * of that customer's cases still share one folder that reads as the customer's name, as every other
 * account's do. Returns "" when nothing usable is left (the layout then falls back to `{case}`).
 */
export function sanitizeAccountName(name: string): string {
  let s = name
    // Invisible characters go first: "Fab\u200Brikam" is Fabrikam's folder, not a look-alike of it.
    .replace(/\p{Cf}/gu, "")
    .replace(/["*:<>?/\\|#%~\u0000-\u001f]/g, "-")
    .replace(/\s+/g, " ")
    .replace(/\s*-[\s-]*/g, "-")
    .replace(/^[\s.\-]+|[\s.\-]+$/g, "");
  s = s.replace(/_vti_/gi, "-vti-");
  if (s.length > 100) s = s.slice(0, 100).replace(/[\s.\-]+$/g, "");
  if (s && isReservedName(s)) s = `${s}-account`;
  // Whatever the steps above could not make valid (HTML-like text, say) falls back to `{case}`
  // instead of failing Prepare folder for every case of that customer.
  try {
    return s && validateItemName(s, "The account folder");
  } catch {
    return "";
  }
}

// Spaces, tabs, no-break spaces and invisible formatting characters (zero-width space, joiners,
// byte order mark). A number that differs from another only by these must never be trimmed or
// cleaned into the other's folder name: it is refused, and the case's number is corrected instead.
const surroundingBlank = /^[\s\p{Cf}]|[\s\p{Cf}]$/u;
const invisible = /\p{Cf}/u;

/**
 * Checks a case number against the pattern setting and SharePoint's naming rules and returns it
 * unchanged: the whole number must match the pattern, and nothing is trimmed.
 */
export function validateCaseNumber(caseNumber: string | null | undefined, pattern: string): string {
  const value = caseNumber ?? "";
  if (!value.trim())
    throw new ValidationError("caseNumberMissing", "The case has no case number yet; save the case first.", "ticketnumber");
  if (surroundingBlank.test(value))
    throw new ValidationError(
      "caseNumberWhitespace",
      `The case number "${shownValue(value)}" starts or ends with a space or another invisible character. A folder is named after the exact case number, so correct the number on the case first.`,
      "ticketnumber",
    );
  if (invisible.test(value))
    throw new ValidationError(
      "caseNumberWhitespace",
      `The case number "${shownValue(value)}" contains an invisible character. A folder is named after the exact case number, so correct the number on the case first.`,
      "ticketnumber",
    );
  if (hasNestedRepetition(pattern))
    throw new ValidationError(
      "casePatternInvalid",
      `The case number pattern setting "${shownValue(pattern)}" repeats a group that itself repeats, which can freeze the browser on some case numbers. An administrator can write it without nested repeats, like ^CAS-[0-9]{4,}-[A-Z0-9]{6}$.`,
      "caseNumberPattern",
    );
  let re: RegExp;
  try {
    new RegExp(pattern);
    // The whole number must be what the pattern allows, even when the setting forgot ^ and $.
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new ValidationError(
      "casePatternInvalid",
      `The case number pattern setting "${pattern}" is not a valid regular expression.`,
      "caseNumberPattern",
    );
  }
  // SharePoint's rules come first: they say precisely what is wrong with the name.
  validateItemName(value, "The case number");
  if (!re.test(value))
    throw new ValidationError(
      "caseNumberPattern",
      new RegExp(pattern).test(value)
        ? `The case number "${shownValue(value)}" has characters the pattern ${pattern} does not allow: the whole case number must match it. An administrator can widen the pattern in the Case number pattern setting.`
        : `The case number "${shownValue(value)}" does not match the pattern ${pattern}. An administrator can widen the pattern in the Case number pattern setting.`,
      "ticketnumber",
    );
  return value;
}

/** The root folder of a direction. */
export function rootFolder(direction: ExchangeDirection, settings: Pick<Settings, "backupRoot" | "uploadRoot">): string {
  return direction === ExchangeDirection.backupForCustomer ? settings.backupRoot : settings.uploadRoot;
}

/**
 * The folder of an exchange: `{root}/{case}` or `{root}/{account}/{case}` by the layout setting.
 * The case number must be a valid folder name; the account name is sanitised, and without a usable
 * account the layout falls back to `{case}`.
 */
export function folderLocation(
  input: { readonly direction: ExchangeDirection; readonly caseNumber: string; readonly accountName?: string | null },
  settings: FolderNamingSettings,
): FolderLocation {
  const name = validateCaseNumber(input.caseNumber, settings.caseNumberPattern);
  const root = rootFolder(input.direction, settings);
  const account = settings.folderLayout === "{account}/{case}" && input.accountName ? sanitizeAccountName(input.accountName) : "";
  const segments = account ? [root, account, name] : [root, name];
  const path = validatePathLength(segments.join("/"));
  return account ? { name, segments, path, accountFolder: `${root}/${account}` } : { name, segments, path };
}
