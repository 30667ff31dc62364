import { flaggedList, type ScannedFile } from "../domain/malware";
import type { TeamsFollowUpResult } from "./teamsFollowUp";
import { audienceCapSentence, audienceNames, nobodyNotifiedSentence, type NotificationAudience } from "../domain/notificationAudience";

/**
 * The plain-words texts the ticket's use cases write (timeline notes, the notification, the
 * e-mail). They are records, not UI: they stay in English like the rest of the timeline.
 */

/** 1536 → "1.5 KB": 1024-based, as Explorer, SharePoint and the panels show sizes. */
export function bytesInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, "")} ${units[i]}`;
}

/** "22 December 2026 (UTC)": notes are read by people in several time zones. */
export function dateInWords(date: Date): string {
  return `${new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(date)} (UTC)`;
}

export const noteSubjects = {
  /** One subject whether created or adopted, so a retry recognises its own note. */
  folderPrepared: "Backup folder prepared",
  backupReady: "Backup is ready",
  teamsFollowUp: "Teams message to support",
} as const;

export function folderNoteText(input: {
  readonly created: boolean;
  readonly by: string;
  readonly folderPath: string;
  readonly webUrl: string;
  readonly ticketName: string;
  readonly expiresOn: Date | null;
}): string {
  const what = input.created ? "created the backup folder" : "adopted the existing backup folder";
  const until = input.expiresOn
    ? `It will be deleted on ${dateInWords(input.expiresOn)}.`
    : "It is kept with no expiry (created by an administrator).";
  return `${input.by} ${what} "${input.folderPath}" on SharePoint for hardware ticket ${input.ticketName}. ${until}\n${input.webUrl}`;
}

export function backupReadyNoteText(input: {
  readonly by: string;
  readonly caseNumber: string;
  readonly folderPath: string;
  readonly webUrl?: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  /** Files SharePoint flagged as malware: named, and not counted in `fileCount`. */
  readonly flagged?: readonly ScannedFile[];
  /** Who was told: the case's owner, or its owning team's members (none when the team has none). */
  readonly audience: NotificationAudience;
}): string {
  const files = `${input.fileCount} file${input.fileCount === 1 ? "" : "s"}, ${bytesInWords(input.totalBytes)}`;
  const n = input.flagged?.length ?? 0;
  const flagged =
    n > 0
      ? `SharePoint flagged ${n === 1 ? "1 file" : `${n} files`} as malware: ${flaggedList(input.flagged!)}. ${n === 1 ? "It is" : "They are"} not counted, and the backup cannot be shared with the customer until ${n === 1 ? "it is" : "they are"} deleted from the folder.`
      : "";
  const told =
    input.audience.people.length > 0
      ? [`${input.by} notified ${audienceNames(input.audience)} to share it with the customer.`, audienceCapSentence(input.audience)]
      : [
          nobodyNotifiedSentence(input.audience),
          "Add members to the team or assign the case to a person, then select Notify Support again on the hardware ticket.",
        ];
  return (
    [`The backup is ready for case ${input.caseNumber}: ${files} in "${input.folderPath}".`, flagged, ...told].filter(Boolean).join(" ") +
    (input.webUrl ? `\n${input.webUrl}` : "")
  );
}

const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function backupReadyEmail(input: {
  readonly caseNumber: string;
  readonly caseTitle: string;
  readonly caseUrl: string;
  readonly folderPath: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly by: string;
  /** Set when the case is owned by a team: the e-mail goes to its members and says why. */
  readonly teamName?: string;
}): { subject: string; html: string } {
  const files = `${input.fileCount} file${input.fileCount === 1 ? "" : "s"} (${bytesInWords(input.totalBytes)})`;
  return {
    subject: `Backup ready for case ${input.caseNumber}`,
    html:
      `<p>The customer's backup for case <a href="${escapeHtml(input.caseUrl)}">${escapeHtml(input.caseNumber)}: ${escapeHtml(input.caseTitle)}</a> ` +
      `is uploaded and verified: ${files} in the SharePoint folder "${escapeHtml(input.folderPath)}".</p>` +
      `<p>Open the case and use <b>Share with customer</b> in the Case File Exchange panel.</p>` +
      (input.teamName !== undefined
        ? `<p>You receive this as a member of the team that owns the case${input.teamName ? `, ${escapeHtml(input.teamName)}` : ""}.</p>`
        : "") +
      `<p>${escapeHtml(input.by)}, service team</p>`,
  };
}

/** The one-to-one Teams message of Notify Support: the case's number, title and a link to it. */
export function teamsFollowUpMessage(input: {
  readonly caseNumber: string;
  readonly caseTitle: string;
  readonly caseUrl: string;
  readonly by: string;
  readonly fileCount: number;
  readonly totalBytes: number;
}): { html: string } {
  const files = `${input.fileCount} file${input.fileCount === 1 ? "" : "s"}, ${bytesInWords(input.totalBytes)}`;
  return {
    html:
      `<p>The customer's backup for case <b>${escapeHtml(input.caseNumber)}: ${escapeHtml(input.caseTitle)}</b> is ready (${files}). ` +
      `Please share it with the customer from the case's File Exchange tab.</p>` +
      `<p><a href="${escapeHtml(input.caseUrl)}">Open case ${escapeHtml(input.caseNumber)}</a></p>` +
      `<p>${escapeHtml(input.by)}, service team</p>`,
  };
}

/** The timeline's record of the Teams follow-up: sent, not sent and why, or not known. */
export function teamsFollowUpNoteText(input: {
  readonly by: string;
  readonly caseNumber: string;
  readonly result: TeamsFollowUpResult;
}): string {
  const { result } = input;
  const to = result.to || "the case's owner";
  if (result.status === "sent") return `${input.by} sent ${to} a Teams message about case ${input.caseNumber} with a link to the case.`;
  if (result.status === "unknown")
    return `${input.by}'s Teams message to ${to} about case ${input.caseNumber} may not have arrived: the answer from Teams was lost (${result.detail}). It is not sent again, so that nobody gets it twice.`;
  const why: Record<typeof result.reason, string> = {
    teamOwned: "the case is owned by a team, whose members were notified in the app and by e-mail",
    ownCase: "the case is owned by the person who notified support",
    noEntraAccount: `${to} has no Microsoft Entra account recorded in Dynamics 365`,
    signInNeeded: `Teams needs ${input.by} to sign in and allow chat messages`,
    refused: `Teams refused: ${result.detail ?? "no reason given"}`,
    failed: `it could not be sent: ${result.detail ?? "no reason given"}`,
  };
  const reason = why[result.reason].replace(/[.!?…]+$/, "");
  return `No Teams message was sent to ${to} about case ${input.caseNumber}: ${reason}. The in-app notification and the e-mail were sent as usual.`;
}
