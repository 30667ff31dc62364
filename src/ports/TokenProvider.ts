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
