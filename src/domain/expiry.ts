import { ExchangeDirection } from "../model";
import { ValidationError } from "./errors";
import { MAX_REASON_LENGTH } from "./recipientPolicy";
import type { Settings } from "./settings";

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The furthest an expiry may lie from now: 10 years, the longest retention the settings accept.
 * A folder that must stay longer is kept with no expiry, which says so plainly on the timeline and
 * the dashboard, instead of hiding behind a date no one will reach.
 */
export const MAX_EXPIRY_DAYS = 3650;

export type RetentionSettings = Pick<Settings, "backupRetentionDays" | "uploadRetentionDays">;

/** Days a folder of this direction lives (30 for backups, 7 for upload requests by default). */
export function retentionDays(direction: ExchangeDirection, settings: RetentionSettings): number {
  return direction === ExchangeDirection.backupForCustomer ? settings.backupRetentionDays : settings.uploadRetentionDays;
}

/** Expiry is an instant: folder created on + N × 24 h (UTC). */
export function expiryFrom(folderCreatedOn: Date, days: number): Date {
  return new Date(folderCreatedOn.getTime() + days * DAY_MS);
}

/**
 * The expiry a new exchange starts with: an administrator's start with no expiry (seed 002: admins'
 * uploads never expire by default); everyone else's expire after the direction's retention.
 */
export function initialExpiry(
  input: { readonly direction: ExchangeDirection; readonly folderCreatedOn: Date; readonly createdByAdministrator: boolean },
  settings: RetentionSettings,
): Date | null {
  if (input.createdByAdministrator) return null;
  return expiryFrom(input.folderCreatedOn, retentionDays(input.direction, settings));
}

/** What the retention job reads of an exchange to decide when its folder goes. */
export interface ExpiryEvidence {
  readonly direction: ExchangeDirection;
  /**
   * `createdon`, which only the platform sets. A create may back-date it (`overriddencreatedon`,
   * for migrations: createdon takes the given date and overriddencreatedon keeps the real instant).
   */
  readonly createdOn?: Date;
  readonly overriddenCreatedOn?: Date;
  /** The announced expiry (`cfx_expireson`) the panels and views show; `null` shows as kept. Anyone who writes the row can change it. */
  readonly expiresOn: Date | null;
  /** An administrator's Keep with no expiry (secured). */
  readonly keptSince?: Date | null;
  /** An administrator's expiry (secured). */
  readonly expiryOverride?: Date | null;
}

/**
 * The instant the retention job deletes the folder, `null` for never. An administrator's decision
 * (secured columns only administrators write) wins: kept is never, an override is its date.
 * Otherwise the folder lives at most the direction's current retention from the row's creation
 * (the earlier of `createdon` and `overriddencreatedon`: neither reading can make it longer), and
 * the announced expiry may only shorten that. So lowering the retention setting shortens existing
 * folders too, and nulling or pushing out `cfx_expireson` changes what is shown, never what happens.
 */
export function effectiveExpiry(x: ExpiryEvidence, settings: RetentionSettings): Date | null {
  if (x.keptSince) return null;
  if (x.expiryOverride) return x.expiryOverride;
  const created = [x.createdOn, x.overriddenCreatedOn]
    .filter((d): d is Date => d !== undefined && !Number.isNaN(d.getTime()))
    .reduce<Date | undefined>((a, b) => (a === undefined || b.getTime() < a.getTime() ? b : a), undefined);
  if (created === undefined) return x.expiresOn;
  const limit = expiryFrom(created, retentionDays(x.direction, settings));
  return x.expiresOn !== null && x.expiresOn.getTime() < limit.getTime() ? x.expiresOn : limit;
}

/** Whole days left, rounded up (0 once expired); null for an exchange kept with no expiry. */
export function daysLeft(expiresOn: Date | null, now: Date): number | null {
  if (expiresOn === null) return null;
  const ms = expiresOn.getTime() - now.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / DAY_MS);
}

export function isExpired(expiresOn: Date | null, now: Date): boolean {
  return expiresOn !== null && expiresOn.getTime() <= now.getTime();
}

/** Expires within the warning days, and not yet expired. */
export function isExpiringSoon(expiresOn: Date | null, now: Date, warningDays: number): boolean {
  if (expiresOn === null || isExpired(expiresOn, now)) return false;
  return expiresOn.getTime() - now.getTime() <= warningDays * DAY_MS;
}

/** An administrator's change of expiry: a new instant, or `null` to keep with no expiry. */
export interface ExpiryChange {
  readonly expiresOn: Date | null;
  readonly reason: string;
}

/** The latest expiry that may be set now. */
export function latestExpiry(now: Date): Date {
  return expiryFrom(now, MAX_EXPIRY_DAYS);
}

/**
 * Validates an expiry change: a reason is required and a new date must lie in the future, at most
 * MAX_EXPIRY_DAYS away.
 */
export function validateExpiryChange(change: { readonly expiresOn: Date | null; readonly reason: string }, now: Date): ExpiryChange {
  const reason = change.reason.trim();
  if (!reason) throw new ValidationError("reasonRequired", "Say why the expiry changes; the reason is noted on the timeline.", "reason");
  if (reason.length > MAX_REASON_LENGTH)
    throw new ValidationError(
      "reasonTooLong",
      `The reason is ${reason.length} characters long; at most ${MAX_REASON_LENGTH} are kept with the expiry. Shorten it.`,
      "reason",
    );
  if (change.expiresOn !== null) {
    if (Number.isNaN(change.expiresOn.getTime()))
      throw new ValidationError("expiryInvalid", "The new expiry is not a valid date.", "expiresOn");
    if (change.expiresOn.getTime() <= now.getTime())
      throw new ValidationError(
        "expiryInPast",
        "The new expiry must be in the future; use Remove now to delete the folder today.",
        "expiresOn",
      );
    const latest = latestExpiry(now);
    if (change.expiresOn.getTime() > latest.getTime())
      throw new ValidationError(
        "expiryTooFar",
        `The new expiry can be at most ${Math.round(MAX_EXPIRY_DAYS / 365)} years (${MAX_EXPIRY_DAYS} days) from now, so no later than ${formatExpiryDate(latest, "en-GB", "UTC")} (UTC). To keep the folder longer, choose Keep with no expiry.`,
        "expiresOn",
      );
  }
  return { expiresOn: change.expiresOn, reason };
}

/** The expiry as a date in the user's language and time zone (e.g. "22 December 2026"). */
export function formatExpiryDate(expiresOn: Date, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(expiresOn);
}
