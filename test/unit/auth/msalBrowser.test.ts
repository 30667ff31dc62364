import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from "@azure/msal-browser";
import { graphTokenScopes, msalAuthority } from "../../../src/adapters/auth/authority";
import { canonicalRedirectUri, MsalBrowserTokenProvider, msalConfiguration } from "../../../src/adapters/auth/MsalBrowserTokenProvider";
import { isTokenError } from "../../../src/ports/TokenProvider";

const account = { homeAccountId: "u1", username: "ann@contoso.com" } as AccountInfo;
const result = (token: string) => ({ accessToken: token, account }) as AuthenticationResult;
const msalError = (errorCode: string) => Object.assign(new Error(errorCode), { errorCode });

/** The parts of MSAL's application the provider uses; anything else fails loudly. */
function fakeApp(
  behaviour: {
    ssoSilent?: () => Promise<AuthenticationResult>;
    popup?: () => Promise<AuthenticationResult>;
    silent?: () => Promise<AuthenticationResult>;
  } = {},
) {
  let active: AccountInfo | null = null;
  const calls: string[] = [];
  const app = {
    initialize: async () => void calls.push("initialize"),
    getActiveAccount: () => active,
    setActiveAccount: (a: AccountInfo | null) => void (active = a),
    getAllAccounts: () => (active ? [active] : []),
    acquireTokenSilent: async () => (calls.push("acquireTokenSilent"), (behaviour.silent ?? (async () => result("silent")))()),
    ssoSilent: async (req: { loginHint?: string }) => (
      calls.push(`ssoSilent ${req.loginHint}`),
      (behaviour.ssoSilent ?? (async () => result("sso")))()
    ),
    acquireTokenPopup: (req: { loginHint?: string }) => (
      calls.push(`popup ${req.loginHint}`),
      (behaviour.popup ?? (async () => result("popup")))()
    ),
  };
  const proxy = new Proxy(app, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      if (prop === "then") return undefined;
      throw new Error(`fake MSAL: ${String(prop)} is not implemented`);
    },
  });
  return { app: proxy as unknown as IPublicClientApplication, calls };
}

function provider(app: IPublicClientApplication, hint = jest.fn(async () => "ann@contoso.com")) {
  return {
    hint,
    tokens: new MsalBrowserTokenProvider({
      clientId: "c",
      tenantId: "t",
      authority: "https://login.microsoftonline.com",
      redirectUri: "https://org.crm.dynamics.com/WebResources/cfx_/auth/redirect.html",
      loginHint: hint,
      application: app,
    }),
  };
}

describe("MsalBrowserTokenProvider", () => {
  it("signs in silently with the login hint first, then uses the account it got", async () => {
    const { app, calls } = fakeApp();
    const { tokens, hint } = provider(app);
    await expect(tokens.getToken(["https://graph.microsoft.com/Files.ReadWrite.All"])).resolves.toBe("sso");
    await expect(tokens.getToken(["https://graph.microsoft.com/Files.ReadWrite.All"])).resolves.toBe("silent");
    expect(calls).toEqual(["initialize", "ssoSilent ann@contoso.com", "acquireTokenSilent"]);
    expect(hint).toHaveBeenCalledTimes(1);
  });

  it("shares one silent attempt between concurrent calls", async () => {
    const { app, calls } = fakeApp();
    const { tokens } = provider(app);
    await Promise.all([tokens.getToken(["a"]), tokens.getToken(["a"]), tokens.getToken(["a"])]);
    expect(calls.filter((c) => c.startsWith("ssoSilent"))).toHaveLength(1);
  });

  it("asks for interaction instead of opening a popup by itself when silent sign-in fails", async () => {
    const { app, calls } = fakeApp({ ssoSilent: async () => Promise.reject(msalError("login_required")) });
    const { tokens } = provider(app);
    const err = await tokens.getToken(["a"]).catch((e: unknown) => e);
    expect(isTokenError(err) && err.code).toBe("interactionRequired");
    expect(calls.some((c) => c.startsWith("popup"))).toBe(false);
  });

  it("opens the popup only when asked from a click, one at a time", async () => {
    let finish!: (r: AuthenticationResult) => void;
    const { app, calls } = fakeApp({
      ssoSilent: async () => Promise.reject(msalError("login_required")),
      popup: () => new Promise((r) => (finish = r)),
    });
    const { tokens } = provider(app);
    await expect(tokens.getToken(["a"])).rejects.toMatchObject({ code: "interactionRequired" });
    const first = tokens.getToken(["a"], { interactive: true });
    await expect(tokens.getToken(["a"], { interactive: true })).rejects.toMatchObject({
      name: "TokenError",
      code: "interactionInProgress",
    });
    finish(result("popup"));
    await expect(first).resolves.toBe("popup");
    expect(calls.filter((c) => c.startsWith("popup"))).toEqual(["popup ann@contoso.com"]);
  });

  it.each([
    ["popup_window_error", "popupBlocked"],
    ["user_cancelled", "signInCancelled"],
    ["interaction_in_progress", "interactionInProgress"],
    ["server_error", "signInFailed"],
  ])("turns MSAL's %s into %s", async (msal, ours) => {
    const { app } = fakeApp({ popup: async () => Promise.reject(msalError(msal)) });
    const { tokens } = provider(app);
    await expect(tokens.getToken(["a"], { interactive: true })).rejects.toMatchObject({ name: "TokenError", code: ours });
  });
});

describe("MSAL configuration from the settings", () => {
  it("uses Entra's tenant authority and AAD protocol for Entra ID", () => {
    const c = msalConfiguration({
      clientId: "c",
      tenantId: "t1",
      authority: "https://login.microsoftonline.com/",
      redirectUri: "https://x/r.html",
    });
    expect(c.auth.authority).toBe("https://login.microsoftonline.com/t1");
    expect(c.system).toEqual({});
    expect(c.auth.knownAuthorities).toBeUndefined();
  });

  it("switches to protocolMode OIDC under system for another issuer (the sandbox)", () => {
    const c = msalConfiguration({
      clientId: "c",
      tenantId: "t1",
      authority: "https://localhost:8400/identity",
      redirectUri: "https://localhost:8400/WebResources/cfx_/auth/redirect.html",
    });
    expect(c.auth.authority).toBe("https://localhost:8400/identity/t1/v2.0");
    expect(c.auth.knownAuthorities).toEqual(["localhost:8400"]);
    expect(c.system).toEqual({ protocolMode: "OIDC" });
  });

  it("qualifies bare Graph permissions with the endpoint's resource", () => {
    expect(
      graphTokenScopes("https://graph.microsoft.us", ["Files.ReadWrite.All", "https://graph.microsoft.us/.default", "offline_access"]),
    ).toEqual(["https://graph.microsoft.us/Files.ReadWrite.All", "https://graph.microsoft.us/.default", "offline_access"]);
    expect(msalAuthority("https://login.microsoftonline.us", "t")).toBe("https://login.microsoftonline.us/t");
  });

  it("registers the redirect page without Dynamics' cache-busting segment", () => {
    expect(canonicalRedirectUri("https://org.crm.dynamics.com/%7B638712345%7D/WebResources/cfx_/auth/redirect.html?x=1")).toBe(
      "https://org.crm.dynamics.com/WebResources/cfx_/auth/redirect.html",
    );
    expect(canonicalRedirectUri("https://org.crm.dynamics.com/WebResources/cfx_/auth/redirect.html")).toBe(
      "https://org.crm.dynamics.com/WebResources/cfx_/auth/redirect.html",
    );
  });
});
