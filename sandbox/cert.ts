import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import selfsigned from "selfsigned";

export interface TlsFiles {
  readonly key: string;
  readonly cert: string;
}

/**
 * One self-signed certificate for `localhost` and `127.0.0.1`, generated on first start and kept
 * in the data folder, so the browser's "accept the risk" choice survives restarts and resets.
 */
export async function loadOrCreateCertificate(dataDir: string): Promise<TlsFiles> {
  const keyPath = join(dataDir, "tls-key.pem");
  const certPath = join(dataDir, "tls-cert.pem");
  if (existsSync(keyPath) && existsSync(certPath)) {
    return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8") };
  }
  mkdirSync(dataDir, { recursive: true });
  const notAfterDate = new Date(Date.now() + 825 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert };
}
