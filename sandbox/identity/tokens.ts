import { createPublicKey, randomUUID, sign, verify as verifySignature, type KeyObject } from "node:crypto";
import type { Origins, Principal, Resource, SandboxClock, TokenService } from "../context";
import { stableId } from "../seed/ids";
import { tenantId, users, type SandboxUser } from "../seed/people";
import { delegatedGraphScopes, retentionJobRoles, spaClientId } from "./clients";
import { dataverseAudiences, graphAudience, graphAudiences, issuerUrl } from "./issuer";
import { loadSigningKey, type SigningKey } from "./signingKey";

export interface CreateTokenServiceOptions {
  readonly dataDir: string;
  readonly origins: Origins;
  /**
   * Accepted for symmetry with the other parts, but token lifetimes run on real time: the sandbox
   * clock jumps days ahead to show expiry, and a token MSAL cached in the browser (which keeps real
   * time) would then be refused here while MSAL still thinks it fresh.
   */
  readonly clock: SandboxClock;
}

/** The sandbox's tokens, plus the issuing forms the guest pages and tests need. */
export interface SandboxTokenService extends TokenService {
  readonly issuer: string;
  readonly signingKey: SigningKey;
  /** A Graph token for an external guest (Entra B2B: `acct` 1), identified by e-mail. */
  issueGuest(email: string): Promise<string>;
  /** An app-only Graph token, as the client-credentials grant gives the retention job. */
  issueApp(appId: string): Promise<string>;
}

/** Why a token was refused; the Graph and Dataverse stand-ins answer 401 with it. */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(
    readonly code: "missing" | "malformed" | "badSignature" | "expired" | "wrongIssuer" | "wrongAudience",
    message: string,
  ) {
    super(message);
  }
}

export function isTokenError(e: unknown): e is TokenError {
  return e instanceof Error && e.name === "TokenError";
}

const lifetimeSeconds = 3600;
/** Clock skew tolerated on `exp`/`nbf`, as Microsoft's validators do (5 minutes). */
const skewSeconds = 300;

/** Stable object id of an external guest in the tenant (Entra creates one on invitation). */
export function guestObjectId(email: string): string {
  return stableId(`entra/guest/${email.trim().toLowerCase()}`);
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Signs claims as an RS256 JWT with the sandbox key (also used for the issuer's own tokens). */
export function signJwt(key: SigningKey, claims: Record<string, unknown>, typ = "JWT"): string {
  const head = b64url({ typ, alg: "RS256", kid: key.kid });
  const body = b64url(claims);
  const signature = sign("RSA-SHA256", Buffer.from(`${head}.${body}`), key.privateKey).toString("base64url");
  return `${head}.${body}.${signature}`;
}

/** Creates the sandbox's token service over the persisted signing key (generated on first start). */
export async function createTokenService(options: CreateTokenServiceOptions): Promise<SandboxTokenService> {
  const { origins } = options;
  const signingKey = loadSigningKey(options.dataDir);
  const publicKey: KeyObject = createPublicKey({ key: signingKey.publicJwk, format: "jwk" });
  const issuer = issuerUrl(origins);
  const audienceOf = (resource: Resource) => (resource === "graph" ? graphAudience : origins.app);

  const base = (aud: string) => {
    const now = Math.floor(Date.now() / 1000);
    return { aud, iss: issuer, iat: now, nbf: now, exp: now + lifetimeSeconds, tid: tenantId, ver: "2.0", uti: randomUUID() };
  };

  const userClaims = (user: SandboxUser, resource: Resource, scopes?: readonly string[]) => ({
    ...base(audienceOf(resource)),
    // Entra's object id, not the systemuserid: Dynamics keeps it as azureactivedirectoryobjectid.
    oid: user.entraId,
    sub: user.entraId,
    name: user.fullName,
    preferred_username: user.upn,
    upn: user.upn,
    azp: spaClientId,
    appid: spaClientId,
    scp: resource === "graph" ? (scopes ?? delegatedGraphScopes).join(" ") : "user_impersonation",
    idtyp: "user",
    acct: 0,
  });

  return {
    issuer,
    signingKey,
    async issue(user, resource, scopes) {
      return signJwt(signingKey, userClaims(user, resource, scopes));
    },
    async issueGuest(email) {
      const oid = guestObjectId(email);
      const address = email.trim().toLowerCase();
      return signJwt(signingKey, {
        ...base(graphAudience),
        oid,
        sub: oid,
        name: address,
        preferred_username: address,
        email: address,
        azp: spaClientId,
        appid: spaClientId,
        scp: "Files.ReadWrite.All User.Read",
        idtyp: "user",
        acct: 1,
      });
    },
    async issueApp(appId) {
      const oid = stableId(`entra/sp/${appId}`);
      return signJwt(signingKey, {
        ...base(graphAudience),
        oid,
        sub: oid,
        azp: appId,
        appid: appId,
        roles: [...retentionJobRoles],
        idtyp: "app",
      });
    },
    async verify(token, resource) {
      if (!token) throw new TokenError("missing", "No bearer token.");
      const parts = token.split(".");
      if (parts.length !== 3) throw new TokenError("malformed", "The token is not a JWT.");
      let header: { alg?: string; kid?: string };
      let claims: Record<string, unknown>;
      try {
        header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
        claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
      } catch {
        throw new TokenError("malformed", "The token's header or payload is not JSON.");
      }
      if (header.alg !== "RS256" || header.kid !== signingKey.kid) throw new TokenError("badSignature", "Unknown signing key.");
      const ok = verifySignature("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], "base64url"));
      if (!ok) throw new TokenError("badSignature", "Signature verification failed.");
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== "number" || claims.exp + skewSeconds < now)
        throw new TokenError("expired", "Lifetime validation failed, the token is expired.");
      if (typeof claims.nbf === "number" && claims.nbf - skewSeconds > now) throw new TokenError("expired", "The token is not yet valid.");
      if (claims.iss !== issuer) throw new TokenError("wrongIssuer", "The token's issuer is not this tenant.");
      const accepted = resource === "graph" ? graphAudiences(origins) : dataverseAudiences(origins);
      const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!auds.some((a) => typeof a === "string" && accepted.includes(a))) {
        throw new TokenError("wrongAudience", `Invalid audience for ${resource}.`);
      }
      return principalOf(claims);
    },
  };
}

/** Maps verified claims to who they speak for: a seeded user, an external guest, or an application. */
export function principalOf(claims: Record<string, unknown>): Principal {
  if (claims.idtyp === "app") return { kind: "app", appId: String(claims.azp ?? claims.appid ?? ""), claims };
  // Tokens signed before people had Entra object ids carried the systemuserid: honoured until they expire (an hour).
  const user = users.find((u) => u.entraId === claims.oid) ?? users.find((u) => u.id === claims.oid);
  if (user) return { kind: "user", user, email: user.upn, claims };
  const email = String(claims.email ?? claims.preferred_username ?? "").toLowerCase();
  return { kind: "guest", email, claims };
}
