import { IncidentState } from "../model/system";
import { DAY_MS } from "./expiry";

/**
 * Following the case (setting `cfx_ClosedCaseAccessDays`, off by default since the customer was
 * promised a date): customers' access to a resolved or cancelled case's folders ends the set number
 * of days after the retention job first sees the case closed. The folders keep their expiry.
 */
export interface ClosedCaseEvidence {
  /** The case's `statecode` as read with the exchange; absent when the case could not be read. */
  readonly caseState?: number;
  /** `cfx_caseclosedseenon`: when the job first saw the case closed. */
  readonly caseClosedSeenOn?: Date;
}

/**
 * What the job does about one live exchange:
 * - `none`: the setting is off, the case is open and was never seen closed, or its state is unknown;
 * - `markSeen`: the case is closed and this is the first time the job sees it (writes the instant);
 * - `markSeenAndEnd`: the same, with 0 days: access ends in the same run;
 * - `wait`: seen closed, the days have not passed;
 * - `endAccess`: seen closed at least the set days ago: every guest's access ends;
 * - `clearSeen`: seen closed earlier, open again now: the mark is cleared and access stays.
 */
export type ClosedCaseStep = "none" | "markSeen" | "markSeenAndEnd" | "wait" | "endAccess" | "clearSeen";

export function isClosedCase(state: number | undefined): boolean {
  return state === IncidentState.resolved || state === IncidentState.cancelled;
}

/** The instant access ends for a case first seen closed at `seenOn`. */
export function accessEndsOn(seenOn: Date, days: number): Date {
  return new Date(seenOn.getTime() + days * DAY_MS);
}

export function closedCaseStep(x: ClosedCaseEvidence, now: Date, days: number | undefined): ClosedCaseStep {
  if (days === undefined || x.caseState === undefined) return "none";
  if (!isClosedCase(x.caseState)) return x.caseClosedSeenOn ? "clearSeen" : "none";
  if (!x.caseClosedSeenOn) return days === 0 ? "markSeenAndEnd" : "markSeen";
  return accessEndsOn(x.caseClosedSeenOn, days).getTime() <= now.getTime() ? "endAccess" : "wait";
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The reason recorded on each recipient row whose access ended this way. */
export const CLOSED_CASE_REASON = "Access ended because the case was closed. (Retention job)";

/** The note on the exchange and the case when customers' access ends after the case closed. */
export function closedCaseAccessNote(input: {
  readonly folderName: string;
  readonly days: number;
  readonly seenOn: Date;
  /** Addresses whose access ended now (their recipient rows). */
  readonly emails: readonly string[];
  readonly revokedCount: number;
  readonly expiresOn: Date | null;
}): { subject: string; text: string } {
  const after = input.days === 0 ? "when" : `${input.days} day${input.days === 1 ? "" : "s"} after`;
  const access = input.revokedCount === 1 ? "1 external permission was removed" : `${input.revokedCount} external permissions were removed`;
  const told =
    input.emails.length > 0
      ? `${input.emails.join(", ")} ${input.emails.length === 1 ? "was" : "were"} told by e-mail.`
      : "No recipient was left to tell.";
  const expiry =
    input.expiresOn === null
      ? "The folder itself is kept with no expiry."
      : `The folder itself keeps its expiry, ${day(input.expiresOn)} (UTC).`;
  return {
    subject: `Customer access to ${input.folderName} ended: case closed`,
    text: `The case was closed (first seen closed on ${day(input.seenOn)}), so customers' access to the SharePoint folder ${input.folderName} ended ${after} that, as the Case File Exchange settings say: ${access}. ${told} ${expiry} (Retention job)`,
  };
}

const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The e-mail to one customer whose access ended because the case was closed. */
export function closedCaseAccessEmail(input: {
  readonly caseNumber: string;
  readonly caseTitle?: string;
  readonly folderName: string;
  readonly expiresOn: Date | null;
}): { subject: string; html: string } {
  const kase = input.caseTitle ? `${input.caseNumber} (${input.caseTitle})` : input.caseNumber;
  const expiry =
    input.expiresOn === null
      ? "The files are not deleted by this."
      : `The files themselves stay until ${day(input.expiresOn)}, as announced; only your access has ended.`;
  return {
    subject: `Your access to the files of case ${input.caseNumber} has ended`,
    html:
      `<p>Hello,</p>` +
      `<p>Your support case ${escapeHtml(kase)} has been closed, so your access to the shared folder "${escapeHtml(input.folderName)}" has ended.</p>` +
      `<p>${escapeHtml(expiry)} If you still need something from it, reply to this e-mail or contact support and mention the case number.</p>`,
  };
}
