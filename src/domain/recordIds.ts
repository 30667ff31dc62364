import type { ExchangeDirection } from "../model";
import { onceId } from "./onceId";

/**
 * The ids of the rows and notes the panels write, each derived from what the row records
 * (DESIGN.md "Writes happen once"). A step repeated after a lost answer writes the same id again,
 * Dataverse refuses it as a duplicate, and the write counts as done: nothing is written twice.
 */

/** A GUID as the keys hold it: no braces, lower case (Xrm hands out `{ABC…}`, the Web API `abc…`). */
const bare = (id: string) => id.replace(/[{}]/g, "").trim().toLowerCase();

/** SharePoint names are case-insensitive: one path, one key. */
const pathKey = (path: string) => path.trim().replace(/\/+$/, "").toLowerCase();

/**
 * The exchange that records one folder for one case and direction. The folder counts by its item
 * id (with its drive); the path stands in only when no item id is known. `earlier` counts the
 * case's exchanges of that direction that came before (all deleted when a new one is due: a case
 * has one live exchange per direction), so a retry finds the same id while the next exchange after
 * a deletion gets a new one, even for a folder restored from the recycle bin with its old item id.
 */
export function exchangeRowId(input: {
  readonly caseId: string;
  readonly direction: ExchangeDirection;
  readonly folder: { readonly driveId?: string; readonly itemId?: string; readonly path: string };
  readonly earlier: number;
}): string {
  const { folder } = input;
  // Drive item ids are case-sensitive; they are kept as SharePoint gave them.
  const where = folder.itemId ? `item:${folder.driveId ?? ""}:${folder.itemId}` : `path:${pathKey(folder.path)}`;
  return onceId(`exchange:${bare(input.caseId)}:${input.direction}:${where}:${input.earlier}`);
}

/**
 * One invitation of one address to one exchange's folder. The access list (seed 002: who was
 * invited, when, by whom, revoked when) keeps every invitation: sharing again after a revoke is a
 * new row, the revoked one stays as it was. `round` counts the rows the address already has on
 * the exchange (all revoked when a new invitation is due), so a retry of the same invitation finds
 * the same id and the next invitation after a revoke gets a new one.
 */
export function recipientRowId(input: { readonly exchangeId: string; readonly email: string; readonly round: number }): string {
  return onceId(`recipient:${bare(input.exchangeId)}:${input.email.trim().toLowerCase()}:${input.round}`);
}

/**
 * The receipt of one finished upload: the file's path, item and content. Replacing a file with
 * other content is a new receipt (the latest per path counts); the same upload's receipt written
 * again is the same row.
 */
export function receiptRowId(input: {
  readonly exchangeId: string;
  readonly path: string;
  readonly itemId?: string;
  readonly size: number;
  readonly quickXorHash?: string;
}): string {
  return onceId(`receipt:${bare(input.exchangeId)}:${pathKey(input.path)}:${input.itemId ?? ""}:${input.size}:${input.quickXorHash ?? ""}`);
}

/**
 * A note about one event on one record's timeline. `event` names what happened and to what
 * (`shared:<recipient id>`, `folderPrepared:<exchange id>`); an event that may happen again (a
 * copied link, a changed expiry) carries its instant, so only a retry of the same note meets it.
 */
export function noteRowId(event: string, target: { readonly table: string; readonly id: string }): string {
  return onceId(`note:${event}:${target.table}:${bare(target.id)}`);
}

/** An instant as note events carry it (milliseconds, UTC). */
export const eventInstant = (d: Date | null | undefined): string => (d ? d.toISOString() : "none");

/**
 * One in-app notification about one event to one person. Notifications belong to their recipient
 * (the sender cannot look them up), so each person's is keyed on its own: a team's members each
 * get one, and a retry after a lost answer writes none twice.
 */
export function notificationRowId(event: string, userId: string): string {
  return onceId(`notification:${event}:${bare(userId)}`);
}

/** The one e-mail activity about an event, however many recipients it has (`activityid`). */
export function emailRowId(event: string): string {
  return onceId(`email:${event}`);
}

/**
 * One run of a job on one host, keyed by the instant (real time) it started: the run's create sent
 * again after a lost answer meets its own row, and the next run gets a new one.
 */
export function jobRunRowId(input: { readonly job: string; readonly host: string; readonly startedAt: Date }): string {
  return onceId(`jobrun:${input.job}:${input.host}:${input.startedAt.toISOString()}`);
}
