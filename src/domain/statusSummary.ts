import { ExchangeDirection, ExchangeStage } from "../model";
import { daysLeft, isExpired, isExpiringSoon } from "./expiry";

/** How a status should look: the UI maps tones to colours. */
export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

/** Plain facts for the status line of an exchange; the UI turns `kind` into words. */
export interface StatusSummary {
  readonly kind:
    "notStarted" | "beingPrepared" | "readyToShare" | "shared" | "awaitingFiles" | "filesReceived" | "revoked" | "deleted" | "inviting";
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
