import { ExchangeDirection, ExchangeStage, roleDefs } from "../model";
import { ValidationError } from "./errors";
import { isExpired } from "./expiry";
import type { Role } from "./exchange";

/** What a person can do to an exchange (or to a case, for the actions that create one). */
export type Action =
  | "prepareFolder"
  | "uploadBackup"
  | "notifySupport"
  | "shareWithCustomer"
  | "requestFiles"
  | "markFilesReceived"
  | "copyLink"
  | "revokeAccess"
  | "removeNow"
  | "keepWithoutExpiry"
  | "changeExpiry";

/** `null`: the case has no live exchange of that direction (none yet, or only deleted ones). */
export type StageOrNone = ExchangeStage | null;

/** The facts about an exchange that decide what may happen to it. */
export interface ExchangeState {
  readonly direction: ExchangeDirection;
  readonly stage: StageOrNone;
  readonly expiresOn?: Date | null;
  /** Files stored in the folder and verified (or modified by SharePoint, which counts as stored). */
  readonly storedFileCount?: number;
  /** Recipients whose access has not been revoked. */
  readonly activeRecipientCount?: number;
  /** Files SharePoint flagged as malware (not counted in `storedFileCount`); unknown counts as none. */
  readonly flaggedFileCount?: number;
}

export interface Transition {
  readonly action: Action;
  readonly directions: readonly ExchangeDirection[];
  readonly from: readonly StageOrNone[];
  /** The stage after the action; "unchanged" keeps it. */
  readonly to: ExchangeStage | "unchanged";
  readonly roles: readonly Role[];
}

const { backupForCustomer: backup, filesFromCustomer: files } = ExchangeDirection;
const { folderCreated, backupReady, shared, filesReceived, revoked, deleted, inviting } = ExchangeStage;
const both = [backup, files] as const;
const live = [folderCreated, backupReady, shared, filesReceived, revoked, inviting] as const;

/** The lifecycle of both directions, as data (DESIGN.md "Stages and who moves them"). */
export const transitions: readonly Transition[] = [
  { action: "prepareFolder", directions: [backup], from: [null], to: folderCreated, roles: ["specialist", "administrator"] },
  {
    action: "uploadBackup",
    directions: [backup],
    from: [folderCreated, backupReady],
    to: "unchanged",
    roles: ["specialist", "administrator"],
  },
  { action: "notifySupport", directions: [backup], from: [folderCreated], to: backupReady, roles: ["specialist", "administrator"] },
  {
    action: "shareWithCustomer",
    directions: [backup],
    from: [backupReady, shared, revoked],
    to: shared,
    roles: ["agent", "administrator"],
  },
  // A request whose invitation was not confirmed (the record is written first) is completed by asking again.
  { action: "requestFiles", directions: [files], from: [null, inviting], to: shared, roles: ["agent", "administrator"] },
  {
    action: "shareWithCustomer",
    directions: [files],
    from: [shared, filesReceived, revoked, inviting],
    to: shared,
    roles: ["agent", "administrator"],
  },
  { action: "markFilesReceived", directions: [files], from: [shared], to: filesReceived, roles: ["agent", "specialist", "administrator"] },
  { action: "copyLink", directions: both, from: live, to: "unchanged", roles: ["agent", "specialist", "administrator"] },
  { action: "revokeAccess", directions: both, from: live, to: "unchanged", roles: ["agent", "administrator"] },
  { action: "removeNow", directions: both, from: live, to: deleted, roles: ["agent", "administrator"] },
  { action: "keepWithoutExpiry", directions: both, from: live, to: "unchanged", roles: ["administrator"] },
  { action: "changeExpiry", directions: both, from: live, to: "unchanged", roles: ["administrator"] },
];

/** Extra conditions beyond stage and role. */
function conditionsHold(action: Action, state: ExchangeState, now: Date): boolean {
  const expired = isExpired(state.expiresOn ?? null, now);
  switch (action) {
    case "notifySupport":
      return (state.storedFileCount ?? 0) > 0;
    case "shareWithCustomer":
      // A backup holding a file SharePoint flagged as malware is not sent to a customer (malware.ts).
      if (state.direction === ExchangeDirection.backupForCustomer && (state.flaggedFileCount ?? 0) > 0) return false;
      return !expired;
    case "uploadBackup":
      // A folder past its expiry is about to be deleted: nothing new goes into it or out of it.
      return !expired;
    case "revokeAccess":
      return (state.activeRecipientCount ?? 0) > 0;
    case "keepWithoutExpiry":
      return state.expiresOn !== null;
    default:
      return true;
  }
}

/** What the holder of these roles may do now; several roles give the union. */
export function allowedActions(state: ExchangeState, roles: readonly Role[], now: Date): Action[] {
  const out = new Set<Action>();
  for (const t of transitions) {
    if (!t.directions.includes(state.direction) || !t.from.includes(state.stage)) continue;
    if (!t.roles.some((r) => roles.includes(r))) continue;
    if (conditionsHold(t.action, state, now)) out.add(t.action);
  }
  return [...out];
}

/** The stage after an action, or a ValidationError when the action is not allowed. */
export function nextStage(state: ExchangeState, action: Action, roles: readonly Role[], now: Date): ExchangeStage | null {
  if (!allowedActions(state, roles, now).includes(action))
    throw new ValidationError("actionNotAllowed", `"${action}" is not possible for this exchange now, or not with your role.`, action);
  const t = transitions.find((x) => x.action === action && x.directions.includes(state.direction) && x.from.includes(state.stage))!;
  return t.to === "unchanged" ? state.stage : t.to;
}

/** After revoking recipients: the last one gone makes the exchange "revoked". */
export function stageAfterRevoke(stage: ExchangeStage, remainingRecipients: number): ExchangeStage {
  if (stage === deleted) return deleted;
  return remainingRecipients === 0 && (stage === shared || stage === filesReceived || stage === inviting) ? revoked : stage;
}

/** The product's roles held by a user, from the ids in `userSettings.roles` (braces and case ignored). */
export function rolesFromIds(roleIds: readonly string[]): Role[] {
  const ids = new Set(roleIds.map((id) => id.replace(/[{}]/g, "").toLowerCase()));
  return roleDefs.filter((r) => ids.has(r.id)).map((r) => r.key);
}
