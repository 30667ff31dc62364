import { MsalNodeTokenProvider } from "../adapters/auth/MsalNodeTokenProvider";
import type { TokenProvider } from "../ports/TokenProvider";
import type { JobConfig } from "./jobConfig";

/**
 * App-only tokens for the job, for Graph and for Dataverse: the Graph engineer's msal-node
 * provider (client credentials with the job's certificate), one instance per resource. msal-node
 * reuses one signed client assertion (same `jti`) for every request of a client: Entra accepts
 * that, but the sandbox's oidc-provider refuses it as a replay (invalid_client) on the second
 * resource. A client per resource costs one more assertion per run.
 */
export function appOnlyTokens(config: Pick<JobConfig, "tenantId" | "clientId" | "authority" | "certificate">): TokenProvider {
  const providers = new Map<string, MsalNodeTokenProvider>();
  return {
    getToken(scopes, options) {
      const resource = scopes.map((s) => (/^https?:\/\//i.test(s) ? new URL(s).origin : "")).join(" ");
      let provider = providers.get(resource);
      if (!provider) {
        provider = new MsalNodeTokenProvider({
          clientId: config.clientId,
          tenantId: config.tenantId,
          authority: config.authority,
          certificate: config.certificate,
        });
        providers.set(resource, provider);
      }
      return provider.getToken(scopes, options);
    },
  };
}
