/** Options for one token request. */
export interface GetTokenOptions {
  /** Allowed to show a sign-in window: only ever true from a user's click. */
  readonly interactive?: boolean;
  readonly signal?: AbortSignal;
}

/** Access tokens for one resource (Graph). Browser: MSAL with the user's account; job: app-only. */
export interface TokenProvider {
  getToken(scopes: readonly string[], options?: GetTokenOptions): Promise<string>;
}

/**
 * Why no token came back. `interactionRequired` is the normal first-visit case when silent
 * sign-in cannot work (third-party cookies blocked, consent missing): the panel shows a
 * "Sign in to SharePoint" button whose click calls `getToken(scopes, { interactive: true })`.
 */
export type TokenErrorCode =
  | "interactionRequired"
  /** Another sign-in window is open (in this panel or another one). */
  | "interactionInProgress"
  /** The browser blocked the sign-in window: it must come from a click. */
  | "popupBlocked"
  | "signInCancelled"
  | "signInFailed"
  | "configuration";

/** The one error type of the token boundary. */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(
    readonly code: TokenErrorCode,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Recognises a TokenError by name, across bundles and realms (not only `instanceof`). */
export function isTokenError(e: unknown): e is TokenError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "TokenError" && "code" in e;
}
