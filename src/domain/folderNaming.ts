import { ExchangeDirection } from "../model";
import { ValidationError } from "./errors";
import { validateItemName, validatePathLength } from "./itemNames";
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
 * Makes a customer's account name safe as a folder name: SharePoint's invalid characters become `-`,
 * runs of `-` and spaces collapse, leading and trailing dots and spaces go. Returns "" when nothing
 * usable is left (the layout then falls back to `{case}`).
 */
export function sanitizeAccountName(name: string): string {
  let s = name
    .replace(/["*:<>?/\\|#%~\u0000-\u001f]/g, "-")
    .replace(/\s+/g, " ")
    .replace(/\s*-[\s-]*/g, "-")
    .replace(/^[\s.\-]+|[\s.\-]+$/g, "");
  if (/^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])$/i.test(s)) s = `${s}-account`;
  s = s.replace(/_vti_/gi, "-vti-");
  if (s.length > 100) s = s.slice(0, 100).replace(/[\s.\-]+$/g, "");
  return s;
}

/** Checks a case number against the pattern setting and SharePoint's naming rules. */
export function validateCaseNumber(caseNumber: string | null | undefined, pattern: string): string {
  const value = (caseNumber ?? "").trim();
  if (!value) throw new ValidationError("caseNumberMissing", "The case has no case number yet; save the case first.", "ticketnumber");
  let re: RegExp;
  try {
    re = new RegExp(pattern);
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
      `The case number "${value}" does not match the pattern ${pattern}. An administrator can widen the pattern in the Case number pattern setting.`,
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
