import { type ExchangeDirection, ExchangeStage, FileStatus } from "../model";
import type { Role } from "./exchange";

/** What a person can do to one file in an exchange's folder (seed 002's File Manager). */
export type FileAction = "downloadFile" | "copyFileLink" | "removeFile" | "keepFile" | "changeFileExpiry";

/** The facts about one file that decide what may happen to it. */
export interface FileState {
  readonly direction: ExchangeDirection;
  /** The exchange's stage. */
  readonly stage: ExchangeStage;
  /** The file is in the folder now (SharePoint listed it). */
  readonly inFolder: boolean;
  /** SharePoint's scan flagged it. */
  readonly flagged: boolean;
  /** An administrator keeps it with no expiry already. */
  readonly kept: boolean;
  /** Its address is an https link on the SharePoint site. */
  readonly hasLink: boolean;
}

const readers: readonly Role[] = ["agent", "specialist", "administrator"];
const removers: readonly Role[] = ["agent", "administrator"];
const deciders: readonly Role[] = ["administrator"];

/**
 * The file-level actions the holder of these roles may take: download and copy a link (never for a
 * file flagged as malware), remove it (agents and administrators; a flagged file too, which is
 * what should happen to it), and the administrator's keep or own date. Nothing for a file that is
 * no longer in the folder or a folder that was removed.
 */
export function allowedFileActions(state: FileState, roles: readonly Role[]): FileAction[] {
  if (!state.inFolder || state.stage === ExchangeStage.deleted) return [];
  const has = (who: readonly Role[]) => who.some((r) => roles.includes(r));
  const out: FileAction[] = [];
  if (!state.flagged && has(readers)) out.push("downloadFile");
  if (!state.flagged && state.hasLink && has(readers)) out.push("copyFileLink");
  if (has(removers)) out.push("removeFile");
  if (!state.flagged && !state.kept && has(deciders)) out.push("keepFile");
  if (!state.flagged && has(deciders)) out.push("changeFileExpiry");
  return out;
}

/** Whether a receipt says the file is gone (replaced, deleted by the customer, removed, expired). */
export function isGoneStatus(status: FileStatus | undefined): boolean {
  return status !== undefined && status !== FileStatus.inFolder;
}
