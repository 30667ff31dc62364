/**
 * The plain-words texts the case panel's use cases write on timelines. They are records, not UI:
 * English, like the rest of the timeline, with dates in UTC for readers in other zones.
 */
import type { AccessRole } from "../ports/DocumentLibrary";
import { dateInWords } from "./ticketWording";

export const caseNoteSubjects = {
  /** Seed 000's words, exactly. */
  shared: "The backup folder on SharePoint was shared with the customer",
  requested: "A folder on SharePoint was shared with the customer to upload files",
  revoked: "Access to the SharePoint folder was revoked",
  removed: "The SharePoint folder was removed",
  requestClosed: "The request for files was closed",
  linkCopied: "The folder link was copied",
  kept: "The SharePoint folder is kept with no expiry",
  expiryChanged: "The SharePoint folder's expiry was changed",
  fileRemoved: "A file was removed from the SharePoint folder",
  fileLinkCopied: "A file's link was copied",
  fileKept: "A file is kept with no expiry",
  fileExpiryChanged: "A file's expiry was changed",
} as const;

export function rightInWords(role: AccessRole): string {
  return role === "write" ? "Can edit" : "Can view";
}

function until(expiresOn: Date | null): string {
  return expiresOn ? `Access ends when the folder is deleted on ${dateInWords(expiresOn)}.` : "The folder is kept with no expiry.";
}

export function sharedNoteText(input: {
  readonly email: string;
  readonly role: AccessRole;
  readonly by: string;
  readonly folderPath: string;
  readonly expiresOn: Date | null;
  readonly reason?: string;
  readonly webUrl?: string;
}): string {
  const other = input.reason ? `\nNot the case's contact; reason: ${input.reason}` : "";
  return (
    `${input.by} shared "${input.folderPath}" with ${input.email} (${rightInWords(input.role)}, sign-in required). ${until(input.expiresOn)}` +
    other +
    (input.webUrl ? `\n${input.webUrl}` : "")
  );
}

export function revokedNoteText(input: {
  readonly email: string;
  readonly by: string;
  readonly folderPath: string;
  readonly last: boolean;
}): string {
  return (
    `${input.by} revoked the access of ${input.email} to "${input.folderPath}"; they can no longer open it.` +
    (input.last ? " Nobody outside the organization has access now." : "")
  );
}

export function removedNoteText(input: {
  readonly by: string;
  readonly folderPath: string;
  readonly permanent: boolean;
  readonly expiresOn: Date | null;
  readonly revoked: readonly string[];
  /** A request for files closed early: the access went first, then the folder. */
  readonly request?: boolean;
}): string {
  const where = input.permanent
    ? "It was deleted permanently and cannot be restored."
    : "It is in the SharePoint site's recycle bin for about 93 days, then deleted for good.";
  const early = input.expiresOn ? ` It would have expired on ${dateInWords(input.expiresOn)}.` : "";
  const access = input.revoked.length ? ` Access removed for ${input.revoked.join(", ")}.` : "";
  if (input.request)
    return `${input.by} closed the request for files early.${early}${access || " Nobody outside the organization had access."} Then "${input.folderPath}" and the customer's files in it were deleted. ${where}`;
  return `${input.by} removed "${input.folderPath}" early.${early} ${where}${access}`;
}

export function linkCopiedNoteText(input: { readonly by: string; readonly webUrl: string }): string {
  return `${input.by} copied the folder's link (only people with access can open it).\n${input.webUrl}`;
}

/** "Kept with no expiry by <admin>: <reason>" / "Expiry changed from <old> to <new> by <admin>: <reason>". */
export function expiryChangedNoteText(input: {
  readonly by: string;
  readonly folderPath: string;
  readonly from: Date | null;
  readonly to: Date | null;
  readonly reason: string;
}): string {
  const head =
    input.to === null
      ? `Kept with no expiry by ${input.by}`
      : `Expiry changed from ${input.from ? dateInWords(input.from) : "no expiry"} to ${dateInWords(input.to)} by ${input.by}`;
  return `${head}: ${input.reason}\nFolder: "${input.folderPath}"`;
}

/** A file's size in words for a record: bytes, KB, MB or GB (1024-based, one decimal). */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function fileRemovedNoteText(input: {
  readonly by: string;
  readonly path: string;
  readonly size: number;
  readonly folderPath: string;
  readonly permanent: boolean;
}): string {
  const where = input.permanent
    ? "It was deleted permanently and cannot be restored."
    : "It is in the SharePoint site's recycle bin for about 93 days, then deleted for good.";
  return `${input.by} removed "${input.path}" (${sizeInWords(input.size)}) from "${input.folderPath}". ${where}`;
}

export function fileLinkCopiedNoteText(input: { readonly by: string; readonly path: string; readonly webUrl: string }): string {
  return `${input.by} copied the link to "${input.path}" (only people with access can open it).\n${input.webUrl}`;
}

/** "<file> kept with no expiry by <admin>: <reason>" / "<file>'s expiry set to <date> (was <old>) by <admin>: <reason>". */
export function fileExpiryNoteText(input: {
  readonly by: string;
  readonly path: string;
  readonly folderPath: string;
  readonly from: Date | null;
  readonly to: Date | null;
  readonly reason: string;
}): string {
  const head =
    input.to === null
      ? `"${input.path}" is kept with no expiry by ${input.by}; it stays when the rest of the folder is deleted`
      : `"${input.path}" is deleted on ${dateInWords(input.to)} (was ${input.from ? dateInWords(input.from) : "no expiry"}), set by ${input.by}`;
  return `${head}: ${input.reason}\nFolder: "${input.folderPath}"`;
}
