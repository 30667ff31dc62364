import { ConfidentialClientApplication, ProtocolMode } from "@azure/msal-node";
import type { TokenProvider } from "../ports/TokenProvider";
import type { JobConfig } from "./jobConfig";

/** Hosts whose authority MSAL knows by itself (public and national clouds). */
const microsoftAuthorityHosts = /(^|\.)(login\.microsoftonline\.(com|us)|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn)$/i;

/**
 * App-only tokens for the job: msal-node's client-credentials grant with the job's certificate
 * (a signed client assertion; no secret). msal-node caches the tokens per scope in memory and
 * renews them before they expire. Any other authority (the sandbox's issuer) is used as a plain
 * OpenID Connect authority.
 *
 * TODO(issue 5): swap for the Graph engineer's Node TokenProvider in src/adapters/auth once it lands.
 */
export function appOnlyTokens(config: Pick<JobConfig, "clientId" | "authority" | "certificate">): TokenProvider {
  const host = new URL(config.authority).host;
  const known = microsoftAuthorityHosts.test(host);
  const create = () =>
    new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        ...(known ? {} : { knownAuthorities: [host] }),
        clientCertificate: { thumbprintSha256: config.certificate.thumbprintSha256, privateKey: config.certificate.privateKeyPem },
      },
      ...(known ? {} : { system: { protocolMode: ProtocolMode.OIDC } }),
    });
  // One client per resource: msal-node reuses its signed client assertion (same `jti`) for every
  // token request of a client, which Entra accepts but the sandbox's oidc-provider refuses as a
  // replay (invalid_client). A client per resource costs one more assertion per run.
  const clients = new Map<string, ConfidentialClientApplication>();
  return {
    async getToken(scopes) {
      const key = [...scopes].sort().join(" ");
      let app = clients.get(key);
      if (!app) clients.set(key, (app = create()));
      const result = await app.acquireTokenByClientCredential({ scopes: [...scopes] });
      if (!result?.accessToken) throw new Error(`No app-only token for ${scopes.join(" ")}.`);
      return result.accessToken;
    },
  };
}
