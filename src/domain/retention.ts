import { ExchangeDirection, ExchangeStage } from "../model";
import { DAY_MS, isExpired, isExpiringSoon, retentionDays } from "./expiry";
import { audienceCapSentence, audienceNames, nobodyNotifiedSentence, type NotificationAudience } from "./notificationAudience";
import type { Settings } from "./settings";
import { keptFileLabel } from "./fileRetention";

/** The settings the retention rules read. */
export type RetentionRuleSettings = Pick<
  Settings,
  | "backupRetentionDays"
  | "uploadRetentionDays"
  | "warningDays"
  | "permanentDelete"
  | "deleteOrphans"
  | "backupRoot"
  | "uploadRoot"
  | "folderLayout"
  | "caseNumberPattern"
  | "closedCaseAccessDays"
>;

/** What the retention job knows about one exchange when it decides. */
export interface RetentionCandidate {
  readonly stage: ExchangeStage;
  /** The effective expiry (`effectiveExpiry`); `null`: kept with no expiry by an administrator. */
  readonly expiresOn: Date | null;
  readonly warnedOn?: Date;
  /** A confirmed removal (`cfx_removedon`, which only the job and administrators write). */
  readonly removedOn?: Date;
}

/**
 * What happens to an exchange in a sweep:
 * - `done`: already deleted, nothing left to do;
 * - `kept`: no expiry (an administrator's choice), never touched;
 * - `wait`: not due yet (or already warned and not yet expired);
 * - `warn`: expires within the warning days and the owner has not been warned;
 * - `delete`: expired: revoke every permission, then delete the folder.
 */
export type RetentionAction = "done" | "kept" | "wait" | "warn" | "delete";

/**
 * The retention decision for one exchange at `now`. An expired exchange is deleted even when its
 * owner was never warned (the job did not run in the warning window): the customer was promised
 * the deletion date when the folder was shared, and that promise wins over the courtesy warning.
 * Only a confirmed removal ends the job's care: a stage of *deleted* that anyone with Write can set
 * (an agent's Remove now sets it too) is not trusted; such an exchange is not warned about, and
 * at its expiry the job removes what is left and confirms it.
 */
export function retentionAction(exchange: RetentionCandidate, now: Date, settings: Pick<Settings, "warningDays">): RetentionAction {
  if (exchange.removedOn !== undefined) return "done";
  if (exchange.expiresOn === null) return "kept";
  if (isExpired(exchange.expiresOn, now)) return "delete";
  if (exchange.stage === ExchangeStage.deleted) return "wait";
  if (exchange.warnedOn === undefined && isExpiringSoon(exchange.expiresOn, now, settings.warningDays)) return "warn";
  return "wait";
}

/** The instant until which exchanges need a look: everything expiring before it is warned or deleted. */
export function retentionHorizon(now: Date, settings: Pick<Settings, "warningDays">): Date {
  return new Date(now.getTime() + settings.warningDays * DAY_MS);
}

/** The direction whose root folder this is, or null for a path outside both roots. */
export function directionOfRoot(root: string, settings: Pick<Settings, "backupRoot" | "uploadRoot">): ExchangeDirection | null {
  const r = root.toLowerCase();
  if (r === settings.backupRoot.toLowerCase()) return ExchangeDirection.backupForCustomer;
  if (r === settings.uploadRoot.toLowerCase()) return ExchangeDirection.filesFromCustomer;
  return null;
}

/** A folder found under one of the roots, as the inventory lists it. */
export interface ListedFolder {
  readonly itemId: string;
  /** Library-relative path, root first, e.g. `Customer Data Migration/Contoso/CAS-01234-A1B2C3`. */
  readonly path: string;
  readonly createdOn: Date;
}

/** The folders exchange records point at (live ones only: a deleted exchange's folder is an orphan). */
export interface KnownFolders {
  readonly itemIds: ReadonlySet<string>;
  /** Lower-cased paths (SharePoint names are case-insensitive). */
  readonly paths: ReadonlySet<string>;
  /** Lower-cased paths of every folder above a known one (an account level holding exchanges). */
  readonly ancestors: ReadonlySet<string>;
}

export function knownFolders(exchanges: Iterable<{ readonly folderPath?: string; readonly itemId?: string }>): KnownFolders {
  const itemIds = new Set<string>();
  const paths = new Set<string>();
  const ancestors = new Set<string>();
  for (const e of exchanges) {
    if (e.itemId) itemIds.add(e.itemId);
    if (!e.folderPath) continue;
    const path = normalisePath(e.folderPath);
    paths.add(path);
    const segments = path.split("/");
    for (let i = 1; i < segments.length; i++) ancestors.add(segments.slice(0, i).join("/"));
  }
  return { itemIds, paths, ancestors };
}

/**
 * What a folder under a root is:
 * - `exchange`: an exchange record points at it (by item id or path): the sweep handles it by its record;
 * - `container`: the per-account level of the `{account}/{case}` layout, or a folder that holds
 *   exchanges' folders: never deleted; its children are looked at instead;
 * - `unrecognised`: not named like a case folder: reported, never deleted (the job deletes only
 *   what looks like a folder the product or the seeds' teams would make);
 * - `orphan`: named like a case folder with no record; `deletableFrom` is when it is older than the
 *   retention of its root's direction.
 */
export type FolderClass =
  | { readonly kind: "exchange" }
  | { readonly kind: "container" }
  | { readonly kind: "unrecognised" }
  | { readonly kind: "orphan"; readonly deletableFrom: Date };

/** Classifies one listed folder (depth 1 is directly under a root, depth 2 under an account folder). */
export function classifyFolder(folder: ListedFolder, known: KnownFolders, settings: RetentionRuleSettings): FolderClass {
  const segments = folder.path.split("/").filter(Boolean);
  const depth = segments.length - 1;
  const path = normalisePath(folder.path);
  if (known.itemIds.has(folder.itemId) || known.paths.has(path)) return { kind: "exchange" };
  if (known.ancestors.has(path)) return { kind: "container" };
  const direction = directionOfRoot(segments[0] ?? "", settings);
  const name = segments[segments.length - 1] ?? "";
  if (direction === null || depth < 1 || depth > 2) return { kind: "unrecognised" };
  const caseNamed = matchesCasePattern(name, settings.caseNumberPattern);
  if (depth === 1 && !caseNamed && settings.folderLayout === "{account}/{case}") return { kind: "container" };
  if (!caseNamed) return { kind: "unrecognised" };
  // A case-named folder two levels down is a case folder only under the account layout.
  if (depth === 2 && settings.folderLayout !== "{account}/{case}") return { kind: "unrecognised" };
  const days = retentionDays(direction, settings);
  return { kind: "orphan", deletableFrom: new Date(folder.createdOn.getTime() + days * DAY_MS) };
}

/**
 * Whether an orphan may be deleted now: the setting is on, it is older than the retention, and an
 * earlier run already reported it as deletable (so a first run, and the first sighting of any
 * orphan, only reports).
 */
export function mayDeleteOrphan(
  orphan: { readonly itemId: string; readonly deletableFrom: Date },
  now: Date,
  previouslyReported: ReadonlySet<string>,
  settings: Pick<Settings, "deleteOrphans">,
): boolean {
  return settings.deleteOrphans && orphan.deletableFrom.getTime() <= now.getTime() && previouslyReported.has(orphan.itemId);
}

/** Whether a permission is removed when access is revoked: every direct one, except the site owners' own. */
export function isRevocable(permission: { readonly inherited: boolean; readonly roles: readonly string[] }): boolean {
  return !permission.inherited && !permission.roles.includes("owner");
}

function matchesCasePattern(name: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}

function normalisePath(path: string): string {
  return path.split("/").filter(Boolean).join("/").toLowerCase();
}

/** Whole days the folder lived: from its creation to its expiry (the retention, unless an administrator changed it). */
export function lifetimeDays(
  exchange: { readonly direction: ExchangeDirection; readonly folderCreatedOn?: Date; readonly expiresOn: Date | null },
  settings: Pick<Settings, "backupRetentionDays" | "uploadRetentionDays">,
): number {
  if (exchange.folderCreatedOn && exchange.expiresOn) {
    return Math.max(1, Math.round((exchange.expiresOn.getTime() - exchange.folderCreatedOn.getTime()) / DAY_MS));
  }
  return retentionDays(exchange.direction, settings);
}

/** The note written on the exchange and the case when the folder is deleted at expiry. */
export function deletionNote(input: {
  readonly folderName: string;
  readonly days: number;
  readonly permanent: boolean;
  readonly revokedCount: number;
}): { subject: string; text: string } {
  const where = input.permanent ? "deleted permanently" : "moved to the site's recycle bin (restorable for about 93 days)";
  const access =
    input.revokedCount === 1 ? "1 external permission was removed first" : `${input.revokedCount} external permissions were removed first`;
  return {
    subject: `Folder ${input.folderName} deleted after ${input.days} days`,
    text: `The SharePoint folder ${input.folderName} was deleted after ${input.days} days, as announced to the customer. ${capitalise(access)}; the folder was ${where}. (Retention job)`,
  };
}

/**
 * The note and in-app notification that warn the case's owner before the folder is deleted. With
 * `audience`, the note also says who was notified (or why nobody could be).
 */
export function warningNote(input: {
  readonly folderName: string;
  readonly expiresOn: Date;
  readonly daysLeft: number;
  readonly audience?: NotificationAudience;
  /**
   * Files an administrator kept (with no expiry, or to a date after the folder's): the folder is
   * then emptied around them, not deleted, and the warning says so.
   */
  readonly kept?: readonly { readonly name: string; readonly until: Date | null }[];
}): {
  subject: string;
  text: string;
} {
  const when = input.daysLeft <= 1 ? "within a day" : `in ${input.daysLeft} days`;
  const on = input.expiresOn.toISOString().slice(0, 10);
  const kept = input.kept ?? [];
  if (kept.length > 0) {
    const files = kept.map(keptFileLabel).join(", ");
    const base = `The SharePoint folder ${input.folderName} expires on ${on} (UTC): the customer's access then ends and everything in it is deleted, as announced to the customer, except ${kept.length === 1 ? "the file" : `the ${kept.length} files`} an administrator kept: ${files}. An administrator can keep the folder or change its expiry before then.`;
    return {
      subject: `Folder ${input.folderName} expires ${when}`,
      text: [base, ...(input.audience ? toldSentences(input.audience) : []), "(Retention job)"].filter(Boolean).join(" "),
    };
  }
  const base = `The SharePoint folder ${input.folderName} expires on ${on} (UTC) and will then be deleted, as announced to the customer. An administrator can keep it or change its expiry before then.`;
  return {
    subject: `Folder ${input.folderName} will be deleted ${when}`,
    text: [base, ...(input.audience ? toldSentences(input.audience) : []), "(Retention job)"].filter(Boolean).join(" "),
  };
}

/** The subject of the note written when every guest's access ends before the solution is removed. */
export const ACCESS_ENDED_SUBJECT = "Access ended before the solution was removed";

/**
 * The note on the exchange and the case when the retention job ends every guest's access before
 * Case File Exchange is removed from the environment (`cfx-retention --end-all-access`).
 */
export function accessEndedNote(input: { readonly folderName: string; readonly folderPath?: string }): { subject: string; text: string } {
  const where = input.folderPath
    ? `Every external permission on the SharePoint folder "${input.folderPath}" was removed (inherited entries and the site owners' own stay), and every recipient was marked revoked.`
    : `No SharePoint folder is recorded for ${input.folderName}; every recipient was marked revoked.`;
  return {
    subject: ACCESS_ENDED_SUBJECT,
    text: `${where} Case File Exchange is being removed from this environment, so nothing would end this access later. The folder itself was not deleted. (Retention job)`,
  };
}

function toldSentences(audience: NotificationAudience): string[] {
  const { people } = audience;
  if (people.length === 0) return [nobodyNotifiedSentence(audience)];
  const one = audience.owner.kind === "user" || (people.length === 1 && !audience.capped);
  return [`${capitalise(audienceNames(audience))} ${one ? "was" : "were"} notified.`, audienceCapSentence(audience)];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
