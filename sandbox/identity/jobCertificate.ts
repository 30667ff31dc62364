import { createHash, X509Certificate, type JsonWebKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import selfsigned from "selfsigned";

/** The retention job's client certificate: what msal-node's `clientCertificate` option takes. */
export interface JobCertificate {
  readonly certificatePath: string;
  readonly privateKeyPath: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** SHA-256 thumbprint, hex (msal-node `thumbprintSha256`). */
  readonly thumbprintSha256: string;
  /** SHA-1 thumbprint, hex (older msal-node `thumbprint`). */
  readonly thumbprint: string;
  /** The public key as registered on the app (the issuer checks client assertions with it). */
  readonly publicJwk: JsonWebKey;
}

/** Loads, or on first start creates, the job's certificate under `<dataDir>/identity/`. */
export async function loadJobCertificate(dataDir: string): Promise<JobCertificate> {
  const dir = join(dataDir, "identity");
  const certificatePath = join(dir, "retention-job.cert.pem");
  const privateKeyPath = join(dir, "retention-job.key.pem");
  if (!existsSync(certificatePath) || !existsSync(privateKeyPath)) {
    mkdirSync(dir, { recursive: true });
    const pems = await selfsigned.generate([{ name: "commonName", value: "Case File Exchange retention job" }], {
      keySize: 2048,
      algorithm: "sha256",
      notAfterDate: new Date(Date.now() + 2 * 365 * 86400_000),
    });
    writeFileSync(privateKeyPath, pems.private, { mode: 0o600 });
    writeFileSync(certificatePath, pems.cert);
  }
  const certificatePem = readFileSync(certificatePath, "utf8");
  const privateKeyPem = readFileSync(privateKeyPath, "utf8");
  const x509 = new X509Certificate(certificatePem);
  return {
    certificatePath,
    privateKeyPath,
    certificatePem,
    privateKeyPem,
    thumbprintSha256: createHash("sha256").update(x509.raw).digest("hex"),
    thumbprint: createHash("sha1").update(x509.raw).digest("hex"),
    publicJwk: x509.publicKey.export({ format: "jwk" }),
  };
}
