import { commonStrings as s, fill } from "./strings";

/**
 * Turns the product's errors into sentences. The UI never imports the adapters, so errors are
 * recognised by their stable shape (`name` + `code`), as each boundary's type guard does.
 */
export interface CodedError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  readonly innerCode?: string;
  readonly retryAfterMs?: number;
  /** For refused invitations: the address SharePoint refused. */
  readonly email?: string;
}

/** What a message bar shows for an error. */
export interface ErrorDescription {
  /** error: it failed; blocked: the user lacks access; warning: it may work later. */
  readonly kind: "error" | "blocked" | "warning";
  readonly text: string;
  /** A second sentence: what to do about it. */
  readonly howTo?: string;
  /** Whether trying again may help. */
  readonly retryable: boolean;
  /** Signing in (a popup, from the user's click) fixes it. */
  readonly signIn?: boolean;
}

function coded(e: unknown): CodedError | null {
  if (typeof e !== "object" || e === null) return null;
  const x = e as Partial<CodedError>;
  return typeof x.name === "string" && typeof x.code === "string" ? (x as CodedError) : null;
}

/** The sentence for an invitation SharePoint refused (207 notAllowed, 400 secureSharingInvalidRequest). */
export function inviteRefusalReason(code: string, innerCode?: string): string {
  if (innerCode === "secureSharingInvalidRequest") return s.errors.inviteSecure;
  if (innerCode === "exchangeInvalidUser" || innerCode === "exchangeOutOfMailboxQuota") return s.errors.inviteMailbox;
  if (innerCode === "accountVerificationRequired" || innerCode === "hipCheckRequired") return s.errors.inviteVerification;
  if (code === "notAllowed") return s.errors.inviteNotAllowed;
  return s.errors.inviteNotAllowed;
}

function describeGraph(e: CodedError): ErrorDescription {
  const service = s.services.sharePoint;
  if (e.code === "inviteRefused" || e.code === "notAllowed" || e.innerCode === "secureSharingInvalidRequest")
    return {
      kind: "blocked",
      text: fill(s.errors.inviteRefused, { email: e.email ?? "the address", reason: inviteRefusalReason(e.code, e.innerCode) }),
      howTo: s.errors.inviteRefusedAdmin,
      retryable: false,
    };
  if (e.code === "malwareDetected") return { kind: "blocked", text: s.errors.malwareDetected, retryable: false };
  if (e.status === 403 || e.code === "accessDenied")
    return { kind: "blocked", text: s.errors.sharePointAccessDenied, howTo: s.errors.sharePointAccessHowTo, retryable: true };
  if (e.status === 401 || e.code === "unauthenticated" || e.code === "signInRequired")
    return { kind: "warning", text: s.errors.signIn, retryable: true };
  if (e.code === "libraryNotFound") return { kind: "error", text: s.errors.libraryNotFound, retryable: false };
  if (e.code === "fileUnreadable") return { kind: "error", text: s.errors.fileUnreadable, retryable: false };
  if (e.status === 404 || e.code === "itemNotFound") return { kind: "error", text: s.errors.folderGone, retryable: true };
  if (e.code === "networkError") return { kind: "warning", text: fill(s.errors.network, { service }), retryable: true };
  if (e.code === "retriesExhausted" || e.status === 429 || e.status === 503 || e.status === 504)
    return { kind: "warning", text: fill(s.errors.busy, { service }), retryable: true };
  return { kind: "error", text: fill(s.errors.unexpected, { detail: e.message }), retryable: true };
}

function describeDataverse(e: CodedError): ErrorDescription {
  const service = s.services.dataverse;
  switch (e.code) {
    case "accessDenied":
      return { kind: "blocked", text: s.errors.dataverseAccessDenied, retryable: false };
    case "securedColumn":
      return { kind: "blocked", text: s.errors.securedColumn, howTo: s.errors.securedColumnHowTo, retryable: false };
    case "notFound":
      return { kind: "error", text: s.errors.dataverseNotFound, retryable: true };
    case "inactiveRecord":
      return { kind: "warning", text: s.errors.caseInactive, retryable: false };
    case "throttled":
      return { kind: "warning", text: fill(s.errors.busy, { service }), retryable: true };
    case "networkError":
      return { kind: "warning", text: fill(s.errors.network, { service }), retryable: true };
    default:
      return { kind: "error", text: fill(s.errors.unexpected, { detail: e.message }), retryable: true };
  }
}

function describeToken(e: CodedError): ErrorDescription {
  switch (e.code) {
    case "interactionRequired":
      return { kind: "warning", text: s.errors.signIn, retryable: false, signIn: true };
    case "signInCancelled":
      return { kind: "warning", text: s.errors.signInCancelled, retryable: false, signIn: true };
    case "interactionInProgress":
    case "popupBlocked":
      return { kind: "warning", text: e.message, retryable: false, signIn: true };
    default:
      return { kind: "error", text: fill(s.errors.signInFailed, { detail: e.message }), retryable: true };
  }
}

/** The message bar content for any error the panels can meet. */
export function describeError(e: unknown): ErrorDescription {
  const c = coded(e);
  if (c?.name === "ValidationError") {
    const settings = c.code === "settingMissing" || c.code === "settingInvalid";
    return settings
      ? { kind: "error", text: fill(s.errors.settings, { detail: c.message }), retryable: false }
      : { kind: "error", text: c.message, retryable: false };
  }
  if (c?.name === "GraphError" || c?.name === "ShareRefusedError") return describeGraph(c);
  if (c?.name === "DataverseError") return describeDataverse(c);
  if (c?.name === "TokenError") return describeToken(c);
  const message = e instanceof Error ? e.message : String(e);
  return { kind: "error", text: fill(s.errors.unexpected, { detail: message }), retryable: true };
}

/** "SharePoint is busy, retrying in 4 s" while the Graph pipeline waits out a throttle. */
export function retryingText(waitMs: number, service: string = s.services.sharePoint): string {
  return fill(s.errors.busyRetrying, { service, seconds: Math.max(1, Math.round(waitMs / 1000)) });
}
