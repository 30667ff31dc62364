import { readFileSync } from "node:fs";
import { createHash, X509Certificate } from "node:crypto";
import { JobConfigError } from "./JobConfigError";

/** Where the job signs in and which organization it works on. Everything else is read from Dataverse's settings. */
export interface JobConfig {
  /** The organization, e.g. `https://contoso.crm.dynamics.com`. */
  readonly dataverseUrl: string;
  readonly tenantId: string;
  /** The job's own app registration (not the panels' single-page application). */
  readonly clientId: string;
  /** The sign-in authority without the tenant: `https://login.microsoftonline.com` (default), a national cloud's, or the sandbox's `<app>/identity`. */
  readonly authority: string;
  readonly certificate: {
    readonly privateKeyPem: string;
    readonly certificatePem: string;
    /** SHA-256 thumbprint of the certificate, hex. */
    readonly thumbprintSha256: string;
  };
  /** Minutes a run may take before it stops starting new work (Azure Functions Consumption: 5–10). */
  readonly maxMinutes?: number;
  /** The Functions timer ends every guest's access instead of sweeping (before the solution is removed). */
  readonly endAllAccess: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the job's configuration from environment variables (CLI) or app settings (Azure
 * Functions, where the key can be a Key Vault reference):
 * CFX_DATAVERSE_URL, CFX_TENANT_ID, CFX_CLIENT_ID, CFX_AUTHORITY (optional),
 * CFX_CERTIFICATE_PATH + CFX_PRIVATE_KEY_PATH, or CFX_CERTIFICATE_PEM + CFX_PRIVATE_KEY_PEM,
 * CFX_RETENTION_MAX_MINUTES (optional), CFX_RETENTION_END_ALL_ACCESS (optional, the Functions host).
 */
export function readJobConfig(env: Env): JobConfig {
  const need = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new JobConfigError("configMissing", `Set ${name}: ${descriptions[name] ?? "see docs/retention.md"}.`, name);
    return v;
  };
  const dataverseUrl = url(need("CFX_DATAVERSE_URL"), "CFX_DATAVERSE_URL");
  const tenantId = need("CFX_TENANT_ID");
  const clientId = need("CFX_CLIENT_ID");
  const authority = env.CFX_AUTHORITY?.trim()
    ? url(env.CFX_AUTHORITY.trim(), "CFX_AUTHORITY")
    : `https://login.microsoftonline.com/${tenantId}`;
  const certPem = env.CFX_CERTIFICATE_PEM?.trim() || readPem(need("CFX_CERTIFICATE_PATH"), "CFX_CERTIFICATE_PATH");
  const privateKeyPem = env.CFX_PRIVATE_KEY_PEM?.trim() || readPem(need("CFX_PRIVATE_KEY_PATH"), "CFX_PRIVATE_KEY_PATH");
  let thumbprintSha256: string;
  try {
    thumbprintSha256 = createHash("sha256").update(new X509Certificate(certPem).raw).digest("hex");
  } catch (e) {
    throw new JobConfigError("configInvalid", "The job's certificate is not a PEM X.509 certificate.", "CFX_CERTIFICATE_PATH", {
      cause: e,
    });
  }
  const minutes = env.CFX_RETENTION_MAX_MINUTES?.trim();
  const maxMinutes = minutes ? Number(minutes) : undefined;
  if (maxMinutes !== undefined && !(maxMinutes > 0)) {
    throw new JobConfigError(
      "configInvalid",
      `CFX_RETENTION_MAX_MINUTES must be a positive number, not "${minutes}".`,
      "CFX_RETENTION_MAX_MINUTES",
    );
  }
  return {
    dataverseUrl,
    tenantId,
    clientId,
    authority,
    certificate: { privateKeyPem, certificatePem: certPem, thumbprintSha256 },
    maxMinutes,
    endAllAccess: endAllAccessSetting(env),
  };
}

/**
 * CFX_RETENTION_END_ALL_ACCESS: `true`/`yes`/`1` makes the Functions timer end every guest's
 * access (what `cfx-retention --end-all-access` does) instead of sweeping; unset or `false`/`no`/`0`
 * sweeps. Anything else is refused, so a typo cannot start the wrong job.
 */
export function endAllAccessSetting(env: Env): boolean {
  const v = env.CFX_RETENTION_END_ALL_ACCESS?.trim().toLowerCase();
  if (!v || ["false", "no", "0"].includes(v)) return false;
  if (["true", "yes", "1"].includes(v)) return true;
  throw new JobConfigError(
    "configInvalid",
    `CFX_RETENTION_END_ALL_ACCESS must be true or false, not "${env.CFX_RETENTION_END_ALL_ACCESS}".`,
    "CFX_RETENTION_END_ALL_ACCESS",
  );
}

const descriptions: Readonly<Record<string, string>> = {
  CFX_DATAVERSE_URL: "the organization's URL, e.g. https://contoso.crm.dynamics.com",
  CFX_TENANT_ID: "the Entra tenant (directory) id",
  CFX_CLIENT_ID: "the retention job's app registration (client) id",
  CFX_CERTIFICATE_PATH: "the PEM certificate registered on the job's app (or CFX_CERTIFICATE_PEM)",
  CFX_PRIVATE_KEY_PATH: "the PEM private key of that certificate (or CFX_PRIVATE_KEY_PEM)",
};

function url(value: string, name: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== "https:") throw new Error("not https");
    return value.replace(/\/+$/, "");
  } catch (e) {
    throw new JobConfigError("configInvalid", `${name} must be an https URL, not "${value}".`, name, { cause: e });
  }
}

function readPem(path: string, name: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new JobConfigError("configInvalid", `${name}: cannot read ${path}.`, name, { cause: e });
  }
}
