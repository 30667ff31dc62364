/** Entra ID's sign-in hosts (public and national clouds). Any other authority is a plain OpenID issuer. */
const ENTRA_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
  "login.windows.net",
]);

/** Whether the authority setting is Entra ID (then MSAL speaks AAD), or another OIDC issuer such as the sandbox's. */
export function isEntraAuthority(authority: string): boolean {
  return ENTRA_HOSTS.has(new URL(authority).hostname.toLowerCase());
}

/**
 * The authority MSAL gets: Entra's `{authority}/{tenant}`; for another issuer the issuer URL
 * itself, which the sandbox shapes like Entra's (`{authority}/{tenant}/v2.0`), used with
 * protocolMode OIDC (TOOLCHAIN.md: under `system`, else MSAL asks for Entra's metadata).
 */
export function msalAuthority(authority: string, tenantId: string): string {
  const base = authority.replace(/\/+$/, "");
  return isEntraAuthority(base) ? `${base}/${tenantId}` : `${base}/${tenantId}/v2.0`;
}

/**
 * Scopes in the form MSAL needs: a bare permission (`Files.ReadWrite.All`) gets the Graph
 * resource of the endpoint setting (`https://graph.microsoft.us/Files.ReadWrite.All` in a
 * national cloud); full scopes are kept.
 */
export function graphTokenScopes(graphEndpoint: string, scopes: readonly string[]): string[] {
  const resource = new URL(graphEndpoint).origin;
  return scopes.map((s) => (s.includes("/") || s === "openid" || s === "profile" || s === "offline_access" ? s : `${resource}/${s}`));
}
