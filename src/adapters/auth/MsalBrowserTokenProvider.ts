import {
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
  PublicClientApplication,
} from "@azure/msal-browser";
import { type GetTokenOptions, TokenError, type TokenProvider } from "../../ports/TokenProvider";
import { isEntraAuthority, msalAuthority } from "./authority";

export interface MsalBrowserOptions {
  readonly clientId: string;
  readonly tenantId: string;
  /** The sign-in authority setting (`https://login.microsoftonline.com`, a national cloud, the sandbox). */
  readonly authority: string;
  /** Absolute URL of the redirect bridge web resource (cfx_/auth/redirect.html), as registered. */
  readonly redirectUri: string;
  /**
   * The user's sign-in name, `systemuser.domainname` (not `userSettings.userName`, the display
   * name). Called at most once; the caller may read it from Dataverse or a session cache.
   */
  readonly loginHint: () => Promise<string | undefined>;
  /** For tests: an application already built. */
  readonly application?: IPublicClientApplication;
}

/**
 * The redirect URI as registered: Dynamics serves web resources under a cache-busting segment
 * (`/%7B638…%7D/WebResources/…`) too, and a URI built relative to the panel would carry it and no
 * longer match the app registration (AADSTS50011). The segment is dropped.
 */
export function canonicalRedirectUri(uri: string): string {
  const url = new URL(uri);
  url.pathname = url.pathname.replace(/\/(?:%7B|\{)[^/]*(?:%7D|\})(?=\/WebResources\/)/i, "");
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** MSAL's configuration for our settings; OIDC mode when the authority is not Entra ID. */
export function msalConfiguration(options: Pick<MsalBrowserOptions, "clientId" | "tenantId" | "authority" | "redirectUri">): Configuration {
  const authority = msalAuthority(options.authority, options.tenantId);
  const entra = isEntraAuthority(options.authority);
  return {
    auth: {
      clientId: options.clientId,
      authority,
      knownAuthorities: entra ? undefined : [new URL(authority).host],
      redirectUri: canonicalRedirectUri(options.redirectUri),
    },
    // sessionStorage: the panels of one tab share it (same origin), nothing outlives the tab.
    cache: { cacheLocation: "sessionStorage" },
    system: entra ? {} : { protocolMode: "OIDC" },
  } as Configuration;
}

/**
 * Graph tokens in the panels: silent first (the cached account, else `ssoSilent` with the login
 * hint), a popup only when the caller says the user clicked, one popup at a time. Silent failure
 * becomes TokenError `interactionRequired`, for the panel's "Sign in to SharePoint" button;
 * unlike @pnp/msaljsclient, which opens `loginPopup` on any error without a user gesture.
 */
export class MsalBrowserTokenProvider implements TokenProvider {
  private app?: IPublicClientApplication;
  private ready?: Promise<IPublicClientApplication>;
  private hint?: Promise<string | undefined>;
  private silent = new Map<string, Promise<string>>();
  private popup: Promise<AuthenticationResult> | null = null;

  constructor(private readonly options: MsalBrowserOptions) {}

  getToken(scopes: readonly string[], options: GetTokenOptions = {}): Promise<string> {
    if (options.interactive) return this.interactive(scopes);
    // Concurrent calls for the same scopes share one silent attempt (one hidden iframe).
    const key = [...scopes].sort().join(" ");
    let p = this.silent.get(key);
    if (!p) {
      p = this.acquireSilently(scopes).finally(() => this.silent.delete(key));
      this.silent.set(key, p);
    }
    return p;
  }

  private init(): Promise<IPublicClientApplication> {
    this.ready ??= (async () => {
      const app = this.options.application ?? new PublicClientApplication(msalConfiguration(this.options));
      await app.initialize();
      this.app = app;
      return app;
    })().catch((e: unknown) => {
      this.ready = undefined;
      throw new TokenError("configuration", "The sign-in library could not start. Check the tenant, client id and authority settings.", {
        cause: e,
      });
    });
    return this.ready;
  }

  private loginHint(): Promise<string | undefined> {
    this.hint ??= this.options.loginHint().then(
      (h) => (this.hintValue = h),
      () => undefined,
    );
    return this.hint;
  }

  private async acquireSilently(scopes: readonly string[]): Promise<string> {
    const app = await this.init();
    const account = this.account(app);
    if (account) {
      try {
        return (await app.acquireTokenSilent({ scopes: [...scopes], account })).accessToken;
      } catch (e) {
        if (!needsInteraction(e)) throw failure(e);
      }
    }
    const loginHint = await this.loginHint();
    try {
      const result = await app.ssoSilent({ scopes: [...scopes], loginHint });
      if (result.account) app.setActiveAccount(result.account);
      return result.accessToken;
    } catch (e) {
      throw new TokenError("interactionRequired", "Sign in to SharePoint to continue.", { cause: e });
    }
  }

  /**
   * Opens the popup synchronously when MSAL is already initialised (it is, after the silent try
   * that showed the button), so the browser still sees the user's click.
   */
  private interactive(scopes: readonly string[]): Promise<string> {
    if (this.popup)
      return Promise.reject(new TokenError("interactionInProgress", "A sign-in window is already open. Finish or close it first."));
    const start = (app: IPublicClientApplication) => {
      const hint = this.hintValue;
      this.popup = app.acquireTokenPopup({ scopes: [...scopes], loginHint: hint });
      return this.popup
        .then((result) => {
          if (result.account) app.setActiveAccount(result.account);
          return result.accessToken;
        })
        .catch((e: unknown) => {
          throw failure(e);
        })
        .finally(() => {
          this.popup = null;
        });
    };
    if (this.app) return start(this.app);
    return this.init().then(start);
  }

  /** The login hint if it has been read already (no await before opening a popup). */
  private hintValue: string | undefined;

  private account(app: IPublicClientApplication): AccountInfo | null {
    const active = app.getActiveAccount();
    if (active) return active;
    const all = app.getAllAccounts();
    return all.length === 1 ? all[0] : null;
  }
}

function needsInteraction(e: unknown): boolean {
  if (e instanceof InteractionRequiredAuthError) return true;
  const code = (e as { errorCode?: string } | null)?.errorCode;
  return (
    code === "no_tokens_found" ||
    code === "login_required" ||
    code === "interaction_required" ||
    code === "consent_required" ||
    code === "refresh_token_expired"
  );
}

/** Maps MSAL's errors to ours. */
function failure(e: unknown): TokenError {
  const code = (e as { errorCode?: string } | null)?.errorCode;
  switch (code) {
    case "interaction_in_progress":
      return new TokenError("interactionInProgress", "A sign-in window is already open. Finish or close it first.", { cause: e });
    case "popup_window_error":
    case "empty_window_error":
      return new TokenError(
        "popupBlocked",
        "The browser blocked the sign-in window. Allow pop-ups for this site and click Sign in again.",
        { cause: e },
      );
    case "user_cancelled":
      return new TokenError("signInCancelled", "Sign-in was cancelled.", { cause: e });
    default:
      return needsInteraction(e)
        ? new TokenError("interactionRequired", "Sign in to SharePoint to continue.", { cause: e })
        : new TokenError("signInFailed", `Sign-in failed${code ? ` (${code})` : ""}.`, { cause: e });
  }
}
