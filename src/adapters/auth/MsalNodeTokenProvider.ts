import { ConfidentialClientApplication, type Configuration, ProtocolMode } from "@azure/msal-node";
import { type GetTokenOptions, TokenError, type TokenProvider } from "../../ports/TokenProvider";
import { isEntraAuthority, msalAuthority } from "./authority";

export interface MsalNodeOptions {
  readonly clientId: string;
  readonly tenantId: string;
  /** The sign-in authority setting (`https://login.microsoftonline.com`, a national cloud, the sandbox). */
  readonly authority: string;
  /** The app registration's certificate: PEM private key and its SHA-256 thumbprint (hex). */
  readonly certificate: { readonly privateKeyPem: string; readonly thumbprintSha256: string; readonly certificatePem?: string };
}

/**
 * App-only Graph tokens for the retention job: client credentials with a certificate (no
 * secret to rotate or leak). Scopes are `{graph}/.default`: the job's rights are what the
 * tenant granted the app (Sites.Selected on the one site).
 */
export class MsalNodeTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;

  constructor(options: MsalNodeOptions) {
    const entra = isEntraAuthority(options.authority);
    const authority = msalAuthority(options.authority, options.tenantId);
    const config: Configuration = {
      auth: {
        clientId: options.clientId,
        authority,
        knownAuthorities: entra ? undefined : [new URL(authority).host],
        clientCertificate: {
          thumbprintSha256: options.certificate.thumbprintSha256,
          privateKey: options.certificate.privateKeyPem,
          // Sending the public certificate (x5c) lets Entra accept certificate rotation by subject name.
          x5c: options.certificate.certificatePem,
        },
      },
      system: entra ? undefined : { protocolMode: ProtocolMode.OIDC },
    };
    this.app = new ConfidentialClientApplication(config);
  }

  async getToken(scopes: readonly string[], options: GetTokenOptions = {}): Promise<string> {
    if (options.interactive) throw new TokenError("configuration", "The retention job has no user to sign in.");
    try {
      const result = await this.app.acquireTokenByClientCredential({ scopes: scopes.map(toDefaultScope) });
      if (!result?.accessToken) throw new Error("no access token in the response");
      return result.accessToken;
    } catch (e) {
      throw new TokenError(
        "signInFailed",
        "The retention job could not get a Graph token with its certificate. Check the tenant, client id and certificate.",
        { cause: e },
      );
    }
  }
}

/** Client credentials take only `{resource}/.default`. */
function toDefaultScope(scope: string): string {
  const slash = scope.lastIndexOf("/");
  return slash > 0 ? `${scope.slice(0, slash)}/.default` : scope;
}
