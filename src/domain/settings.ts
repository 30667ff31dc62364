import { settingDefs, type SettingDef } from "../model";
import { isValidationError, ValidationError } from "./errors";
import { MAX_EXPIRY_DAYS } from "./expiry";
import { validateItemName } from "./itemNames";
import { hasNestedRepetition } from "./patternSafety";

export type FolderLayout = "{case}" | "{account}/{case}";

/** Share message texts, per direction and language code. */
export interface MessageTemplates {
  readonly backup: Readonly<Record<string, string>>;
  readonly upload: Readonly<Record<string, string>>;
}

/** The product's settings, parsed and validated. */
export interface Settings {
  readonly siteUrl: string;
  readonly libraryName: string;
  readonly backupRoot: string;
  readonly uploadRoot: string;
  readonly folderLayout: FolderLayout;
  readonly caseNumberPattern: string;
  readonly contactColumn: string;
  readonly backupRetentionDays: number;
  readonly uploadRetentionDays: number;
  readonly warningDays: number;
  readonly permanentDelete: boolean;
  readonly deleteOrphans: boolean;
  /** Hours without a successful retention run before the dashboard says the job is overdue. */
  readonly retentionOverdueHours: number;
  /** Also e-mail the requesting agent when the customer's files arrive (the notification is always sent). */
  readonly arrivalEmail: boolean;
  /** The organization's own e-mail domains: their people's files in an upload folder are not the customer's. */
  readonly organizationDomains: readonly string[];
  /**
   * Days after the job first sees a case resolved or cancelled at which customers' access to its
   * folders ends; undefined (the default) leaves access until the folder's expiry.
   */
  readonly closedCaseAccessDays?: number;
  /** Notify Support also sends the case's owner a Teams chat message. */
  readonly teamsFollowUp: boolean;
  readonly shareMessageTemplates: MessageTemplates;
  readonly allowedDomains: readonly string[];
  readonly deniedDomains: readonly string[];
  readonly tenantId: string;
  readonly clientId: string;
  readonly authority: string;
  readonly graphEndpoint: string;
  readonly graphScopes: readonly string[];
}

export type SettingKey = keyof Settings;

/** Raw values by schema name, as Dataverse returns them (current value, else the default). */
export type RawSettings = Readonly<Record<string, string | null | undefined>>;

// Retention may not outlast the furthest expiry an administrator may set.
const MAX_RETENTION_DAYS = MAX_EXPIRY_DAYS;
const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const logicalNamePattern = /^[a-z][a-z0-9_]{0,99}$/;
const invalidFolderCharacters = /["*:<>?/\\|#%]/;

function fail(def: SettingDef, why: string): never {
  throw new ValidationError("settingInvalid", `The setting ${def.schemaName} (${def.displayName}) ${why}`, def.key);
}

function parseBoolean(def: SettingDef, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (["yes", "true", "1"].includes(v)) return true;
  if (["no", "false", "0"].includes(v)) return false;
  return fail(def, `must be yes or no, not "${value}".`);
}

function parseDays(def: SettingDef, value: string, min: number): number {
  const v = value.trim();
  if (!/^\d+$/.test(v)) fail(def, `must be a whole number of days, not "${value}".`);
  const n = Number(v);
  if (n < min || n > MAX_RETENTION_DAYS) fail(def, `must be between ${min} and ${MAX_RETENTION_DAYS} days, not ${n}.`);
  return n;
}

/** The longest interval a run may be expected in: two weeks. */
const MAX_OVERDUE_HOURS = 14 * 24;

function parseHours(def: SettingDef, value: string): number {
  const v = value.trim();
  if (!/^\d+$/.test(v)) fail(def, `must be a whole number of hours, not "${value}".`);
  const n = Number(v);
  if (n < 1 || n > MAX_OVERDUE_HOURS) fail(def, `must be between 1 and ${MAX_OVERDUE_HOURS} hours, not ${n}.`);
  return n;
}

function parseUrl(def: SettingDef, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return fail(def, `must be an https URL, not "${value}".`);
  }
  if (url.protocol !== "https:") fail(def, `must be an https URL, not "${value}".`);
  return url.toString().replace(/\/$/, "");
}

function parseDomains(def: SettingDef, value: string): string[] {
  const domains = value
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
  for (const d of domains) if (!domainPattern.test(d)) fail(def, `lists "${d}", which is not a domain name.`);
  return [...new Set(domains)];
}

function parseFolderName(def: SettingDef, value: string): string {
  const v = value.trim();
  if (!v) fail(def, "must not be empty.");
  if (invalidFolderCharacters.test(v)) fail(def, `contains a character SharePoint does not allow in a folder name: "${value}".`);
  if (v.endsWith(".")) fail(def, "must not end with a dot.");
  // The roots sit directly under the library: SharePoint's naming rules, `Forms` included.
  try {
    validateItemName(v, "Its value", { atLibraryRoot: true });
  } catch (e) {
    if (!isValidationError(e)) throw e;
    fail(def, `is not a folder name SharePoint allows. ${e.message}`);
  }
  return v;
}

/** Library-relative segments of a root, compared ignoring letter case and surrounding spaces. */
const rootSegments = (root: string) => root.split("/").map((seg) => seg.trim().toLowerCase());

/**
 * The two roots must be two separate folders: the same folder (ignoring letter case, as SharePoint
 * does) would let Request files adopt, share and expire backup folders. Root names cannot hold `/`
 * today, so this compares whole names; it compares segments so that a root nested in the other
 * stays refused should nested roots ever be allowed.
 */
function checkRootsApart(settings: Settings): void {
  const backup = rootSegments(settings.backupRoot);
  const upload = rootSegments(settings.uploadRoot);
  const shorter = Math.min(backup.length, upload.length);
  if (backup.slice(0, shorter).join("/") !== upload.slice(0, shorter).join("/")) return;
  const def = settingDefs.find((d) => d.key === "uploadRoot")!;
  const other = settingDefs.find((d) => d.key === "backupRoot")!;
  fail(
    def,
    backup.length === upload.length
      ? `must differ from ${other.schemaName} ("${settings.backupRoot}"), ignoring letter case: files from customers and backups need two separate folders.`
      : `must not be inside ${other.schemaName} ("${settings.backupRoot}") nor contain it: files from customers and backups need two separate folders.`,
  );
}

function parseTemplates(def: SettingDef, value: string): MessageTemplates {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return fail(def, "is not valid JSON.");
  }
  const out: Record<"backup" | "upload", Record<string, string>> = { backup: {}, upload: {} };
  if (typeof parsed !== "object" || parsed === null)
    return fail(def, 'must be a JSON object like {"backup": {"en": "..."}, "upload": {"en": "..."}}.');
  for (const direction of ["backup", "upload"] as const) {
    const texts = (parsed as Record<string, unknown>)[direction];
    if (typeof texts !== "object" || texts === null) fail(def, `has no "${direction}" texts.`);
    for (const [lang, text] of Object.entries(texts as Record<string, unknown>)) {
      if (typeof text !== "string" || !text.trim()) fail(def, `has an empty "${direction}" text for "${lang}".`);
      out[direction][lang.toLowerCase()] = text as string;
    }
    if (!out[direction].en) fail(def, `needs an English ("en") "${direction}" text, the fallback for every language.`);
  }
  return out;
}

function parseOne(def: SettingDef, value: string): Settings[SettingKey] {
  switch (def.key as SettingKey) {
    case "siteUrl":
    case "authority":
    case "graphEndpoint":
      return parseUrl(def, value);
    case "libraryName":
      return value.trim() || fail(def, "must not be empty.");
    case "backupRoot":
    case "uploadRoot":
      return parseFolderName(def, value);
    case "folderLayout": {
      const v = value.trim();
      if (v !== "{case}" && v !== "{account}/{case}") fail(def, `must be {case} or {account}/{case}, not "${value}".`);
      return v as FolderLayout;
    }
    case "caseNumberPattern":
      try {
        new RegExp(value);
      } catch {
        return fail(def, `is not a valid regular expression: "${value}".`);
      }
      if (hasNestedRepetition(value))
        fail(
          def,
          `repeats a group that itself repeats ("${value}"), which can freeze the browser on some case numbers: write it without nested repeats, like ^CAS-[0-9]{4,}-[A-Z0-9]{6}$.`,
        );
      return value;
    case "contactColumn": {
      const v = value.trim().toLowerCase();
      if (!logicalNamePattern.test(v)) fail(def, `must be a column's logical name, not "${value}".`);
      return v;
    }
    case "backupRetentionDays":
    case "uploadRetentionDays":
      return parseDays(def, value, 1);
    case "warningDays":
      return parseDays(def, value, 0);
    case "permanentDelete":
    case "deleteOrphans":
    case "arrivalEmail":
    case "teamsFollowUp":
      return parseBoolean(def, value);
    case "closedCaseAccessDays":
      return value.trim() === "" ? undefined : parseDays(def, value, 0);
    case "retentionOverdueHours":
      return parseHours(def, value);
    case "shareMessageTemplates":
      return parseTemplates(def, value);
    case "allowedDomains":
    case "deniedDomains":
    case "organizationDomains":
      return parseDomains(def, value);
    case "tenantId":
    case "clientId":
      return value.trim();
    case "graphScopes":
      return value.split(/[\s,;]+/).filter(Boolean);
  }
}

/**
 * One setting from its raw value (the definition's default when empty), for a page that needs only
 * that one (the dashboard's retention tile). Throws a ValidationError naming the setting.
 */
export function parseSetting<K extends SettingKey>(key: K, raw: string | null | undefined): Settings[K] {
  const def = settingDefs.find((d) => d.key === key);
  if (!def) throw new Error(`There is no setting with the key ${key}.`);
  const value = raw === null || raw === undefined || raw === "" ? def.defaultValue : raw;
  return parseOne(def, value) as Settings[K];
}

/**
 * Parses every setting from raw values by schema name, falling back to the definition's default.
 * Throws a ValidationError naming the first setting that is missing or malformed; unknown schema
 * names with the product's prefix are refused too, since they are usually a typo.
 */
export function parseSettings(raw: RawSettings): Settings {
  const known = new Set(settingDefs.map((d) => d.schemaName.toLowerCase()));
  for (const name of Object.keys(raw)) {
    if (name.toLowerCase().startsWith("cfx_") && !known.has(name.toLowerCase())) {
      throw new ValidationError(
        "settingInvalid",
        `There is no setting called ${name}. Check the environment variable's schema name.`,
        name,
      );
    }
  }
  const byLower = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, unknown> = {};
  for (const def of settingDefs) {
    const given = byLower.get(def.schemaName.toLowerCase());
    const value = given === null || given === undefined || given === "" ? def.defaultValue : given;
    if (def.required && value.trim() === "" && def.type === "string") {
      throw new ValidationError(
        "settingMissing",
        `The setting ${def.schemaName} (${def.displayName}) has no value. ${def.description}`,
        def.key,
      );
    }
    const parsed = parseOne(def, value);
    if (parsed !== undefined) out[def.key] = parsed;
  }
  const settings = out as unknown as Settings;
  checkRootsApart(settings);
  const shortest = Math.min(settings.backupRetentionDays, settings.uploadRetentionDays);
  if (settings.warningDays >= shortest) {
    const def = settingDefs.find((d) => d.key === "warningDays")!;
    fail(def, `(${settings.warningDays}) must be shorter than the shortest retention (${shortest} days).`);
  }
  return settings;
}
