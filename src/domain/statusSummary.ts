import { ExchangeDirection, ExchangeStage } from "../model";
import { daysLeft, isExpired, isExpiringSoon } from "./expiry";

/** How a status should look: the UI maps tones to colours. */
export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

/** Plain facts for the status line of an exchange; the UI turns `kind` into words. */
export interface StatusSummary {
  readonly kind:
    | "notStarted"
    | "beingPrepared"
    | "readyToShare"
    /** Ready, but SharePoint flagged a file of the backup as malware: not to be shared (malware.ts). */
    | "malwareFound"
    | "shared"
    | "awaitingFiles"
    | "filesReceived"
    | "revoked"
    | "deleted"
    /** The record is written and the invitation not yet confirmed (a retry completes it). */
    | "inviting";
  readonly tone: Tone;
  /** null when kept with no expiry or deleted. */
  readonly daysLeft: number | null;
  readonly expiringSoon: boolean;
  readonly expired: boolean;
  readonly kept: boolean;
}

/** The status of an exchange (or of none), as a supervisor or an agent should read it at a glance. */
export function statusSummary(
  exchange: { readonly direction: ExchangeDirection; readonly stage: ExchangeStage | null; readonly expiresOn: Date | null } | null,
  now: Date,
  warningDays: number,
): StatusSummary {
  if (!exchange || exchange.stage === null)
    return { kind: "notStarted", tone: "neutral", daysLeft: null, expiringSoon: false, expired: false, kept: false };
  if (exchange.stage === ExchangeStage.deleted)
    return { kind: "deleted", tone: "neutral", daysLeft: null, expiringSoon: false, expired: false, kept: false };
  const soon = isExpiringSoon(exchange.expiresOn, now, warningDays);
  const expired = isExpired(exchange.expiresOn, now);
  const base = { daysLeft: daysLeft(exchange.expiresOn, now), expiringSoon: soon, expired, kept: exchange.expiresOn === null };
  const urgent = expired ? "danger" : soon ? "warning" : null;
  const files = exchange.direction === ExchangeDirection.filesFromCustomer;
  switch (exchange.stage) {
    case ExchangeStage.folderCreated:
      return { ...base, kind: "beingPrepared", tone: urgent ?? "info" };
    case ExchangeStage.backupReady:
      return { ...base, kind: "readyToShare", tone: urgent ?? "success" };
    case ExchangeStage.shared:
      return { ...base, kind: files ? "awaitingFiles" : "shared", tone: urgent ?? "success" };
    case ExchangeStage.filesReceived:
      return { ...base, kind: "filesReceived", tone: urgent ?? "success" };
    case ExchangeStage.inviting:
      // The record was written before the invitation; whether it went out is not confirmed.
      return { ...base, kind: "inviting", tone: urgent ?? "warning" };
    case ExchangeStage.revoked:
    default:
      return { ...base, kind: "revoked", tone: urgent ?? "neutral" };
  }
}

/** The statuses a case's status columns count, in the order a supervisor reads them. */
export const caseStatusKinds = ["readyToShare", "shared", "awaitingFiles", "filesReceived"] as const;
export type CaseStatusKind = (typeof caseStatusKinds)[number];

/**
 * Which of its case's status counts an active exchange adds to: its status while it is live with
 * the customer (ready, shared, waiting for files, files received); none while the folder is being
 * prepared, nor once access is revoked or the folder deleted. Expiry plays no part: the case's
 * rollup columns count by stage, and show the next deletion beside.
 */
export function caseStatusKind(exchange: { readonly direction: ExchangeDirection; readonly stage: ExchangeStage }): CaseStatusKind | null {
  const { kind } = statusSummary({ ...exchange, expiresOn: null }, new Date(0), 0);
  return (caseStatusKinds as readonly string[]).includes(kind) ? (kind as CaseStatusKind) : null;
}
