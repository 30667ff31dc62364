import { FileStatus } from "../model";

/**
 * An administrator's decision about one file in a folder (seed 002), as the retention job reads
 * it from the file's receipt: kept with no expiry (`cfx_keptsince`) or given its own date
 * (`cfx_expiryoverride`). Both columns are secured: only administrators write them.
 */
export interface FileDecision {
  /** `cfx_filestatus`; absent on receipts written before the column existed (the file is in the folder). */
  readonly status?: FileStatus;
  readonly keptSince?: Date;
  readonly expiryOverride?: Date;
}

/** Whether the receipt's file is still in the folder as far as the records know. */
export function isInFolder(file: Pick<FileDecision, "status">): boolean {
  return file.status === undefined || file.status === FileStatus.inFolder;
}

/**
 * When one file is deleted: `null` never (kept with no expiry), its own date when an
 * administrator gave it one (earlier or later than the folder's), else with its folder.
 */
export function fileExpiry(file: FileDecision, folderExpiry: Date | null): Date | null {
  if (file.keptSince) return null;
  if (file.expiryOverride) return file.expiryOverride;
  return folderExpiry;
}

/**
 * What the job does with one receipted file now:
 * - `gone`: the file is no longer in the folder (replaced, deleted, removed, expired): nothing;
 * - `deleteOnOwnDate`: its own date has come: the file is deleted on its own, whatever the folder's expiry;
 * - `keep`: kept with no expiry, or its own date is still ahead: it stays in the folder when the folder expires;
 * - `withFolder`: no decision: it goes with the folder.
 */
export type FileAction = "gone" | "deleteOnOwnDate" | "keep" | "withFolder";

export function fileAction(file: FileDecision, now: Date): FileAction {
  if (!isInFolder(file)) return "gone";
  if (file.keptSince) return "keep";
  if (file.expiryOverride) return file.expiryOverride.getTime() <= now.getTime() ? "deleteOnOwnDate" : "keep";
  return "withFolder";
}

/** One item directly inside a folder being emptied at its expiry. */
export interface FolderChild {
  readonly itemId: string;
  readonly name: string;
  readonly isFolder: boolean;
}

/** A kept file: its path inside the exchange's folder (`logs/app.log`) and, when recorded, its item id. */
export interface KeptFile {
  readonly path: string;
  readonly itemId?: string;
}

/**
 * Sorts the children of one level of an expiring folder (`prefix` is the level's path inside the
 * exchange's folder, "" at the top): a kept file (by item id, or by path ignoring letter case, as
 * SharePoint does) stays; a subfolder holding a kept file is looked into; everything else is
 * deleted, subfolders with all they hold.
 */
export function sortChildren(
  prefix: string,
  children: readonly FolderChild[],
  kept: readonly KeptFile[],
): { readonly keep: FolderChild[]; readonly descend: FolderChild[]; readonly remove: FolderChild[] } {
  const ids = new Set(kept.flatMap((k) => (k.itemId ? [k.itemId] : [])));
  const paths = kept.map((k) => normalise(k.path));
  const keep: FolderChild[] = [];
  const descend: FolderChild[] = [];
  const remove: FolderChild[] = [];
  for (const child of children) {
    const path = normalise(prefix ? `${prefix}/${child.name}` : child.name);
    if (ids.has(child.itemId) || paths.includes(path)) keep.push(child);
    else if (child.isFolder && paths.some((p) => p.startsWith(`${path}/`))) descend.push(child);
    else remove.push(child);
  }
  return { keep, descend, remove };
}

function normalise(path: string): string {
  return path.split("/").filter(Boolean).join("/").toLowerCase();
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** How a kept file reads in a note: `report.pdf (kept with no expiry)`, `app.log (until 2027-01-05)`. */
export function keptFileLabel(file: { readonly name: string; readonly until: Date | null }): string {
  return file.until === null ? `${file.name} (kept with no expiry)` : `${file.name} (kept until ${day(file.until)})`;
}

/**
 * The note on the exchange and the case when a folder reaches its expiry holding files an
 * administrator kept: the guests' access ended, everything else was deleted, the kept files stay
 * until their own date, and the folder goes with the last of them.
 */
export function keptFilesNote(input: {
  readonly folderName: string;
  readonly kept: ReadonlyArray<{ readonly name: string; readonly until: Date | null }>;
  /** Receipted files deleted now (names); other items may have gone too. */
  readonly deleted: readonly string[];
  readonly revokedCount: number;
}): { subject: string; text: string } {
  const n = input.kept.length;
  const access = input.revokedCount === 1 ? "1 external permission was removed" : `${input.revokedCount} external permissions were removed`;
  const deleted =
    input.deleted.length > 0
      ? `Everything else in the folder was deleted, including ${listed(input.deleted)}.`
      : "Everything else in the folder was deleted.";
  const forever = input.kept.some((k) => k.until === null);
  return {
    subject: `Folder ${input.folderName} expired: ${n === 1 ? "1 file" : `${n} files`} kept`,
    text: [
      `The SharePoint folder ${input.folderName} reached its expiry. ${access}, so the customer can no longer open it.`,
      deleted,
      `An administrator kept ${n === 1 ? "this file" : "these files"}, which stay${n === 1 ? "s" : ""} in the folder: ${input.kept.map(keptFileLabel).join(", ")}.`,
      forever
        ? "A file kept with no expiry keeps the folder until an administrator changes that."
        : "The folder is deleted with its last kept file.",
      "(Retention job)",
    ].join(" "),
  };
}

/** The note when one file is deleted on the date an administrator gave it. */
export function fileExpiredNote(input: { readonly folderName: string; readonly fileName: string; readonly on: Date }): {
  subject: string;
  text: string;
} {
  return {
    subject: `File ${input.fileName} deleted on its own date`,
    text: `The file ${input.fileName} in the SharePoint folder ${input.folderName} was deleted on ${day(input.on)} (UTC), the date an administrator set for it. The rest of the folder keeps its own expiry. (Retention job)`,
  };
}

/** The note when a folder whose expiry had passed is deleted because its last kept file is gone. */
export function lastKeptFileNote(input: { readonly folderName: string; readonly permanent: boolean }): { subject: string; text: string } {
  const where = input.permanent ? "deleted permanently" : "moved to the site's recycle bin (restorable for about 93 days)";
  return {
    subject: `Folder ${input.folderName} deleted`,
    text: `The SharePoint folder ${input.folderName} had passed its expiry and held only files an administrator kept; the last of them is gone, so the folder was ${where}. (Retention job)`,
  };
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 10);
  const more = names.length - shown.length;
  return shown.join(", ") + (more > 0 ? ` and ${more} more` : "");
}
