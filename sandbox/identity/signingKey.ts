import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The one RSA key that signs every sandbox token: `/_sandbox/token` and the OpenID issuer alike. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** Private JWK with `kid`, `alg` and `use`: what oidc-provider's `jwks` option takes. */
  readonly privateJwk: JsonWebKey & { kid: string; alg: "RS256"; use: "sig" };
  /** Public JWK, as published at the issuer's `jwks_uri`. */
  readonly publicJwk: JsonWebKey & { kid: string; alg: "RS256"; use: "sig" };
}

/** Where the key lives, so tokens stay valid across a restart of the sandbox. */
export function signingKeyPath(dataDir: string): string {
  return join(dataDir, "identity", "signing-key.jwk.json");
}

/** Loads the sandbox's signing key from `dataDir`, generating and saving it on first use. */
export function loadSigningKey(dataDir: string): SigningKey {
  const file = signingKeyPath(dataDir);
  let jwk: JsonWebKey;
  if (existsSync(file)) {
    jwk = JSON.parse(readFileSync(file, "utf8")) as JsonWebKey;
  } else {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    jwk = privateKey.export({ format: "jwk" });
    mkdirSync(join(dataDir, "identity"), { recursive: true });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const privateKey = createPrivateKey({ key: jwk, format: "jwk" });
  // Entra's kids are opaque short strings; a thumbprint of the modulus keeps ours stable per key.
  const kid = createHash("sha256").update(String(jwk.n)).digest("base64url").slice(0, 27);
  const { kty, n, e } = jwk;
  return {
    kid,
    privateKey,
    privateJwk: { ...jwk, kid, alg: "RS256", use: "sig" },
    publicJwk: { kty, n, e, kid, alg: "RS256", use: "sig" },
  };
}
