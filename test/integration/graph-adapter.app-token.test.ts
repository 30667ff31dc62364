import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MsalNodeTokenProvider } from "../../src/adapters/auth/MsalNodeTokenProvider";
import { createGraph } from "../../src/adapters/graph/createGraph";
import { GraphClient } from "../../src/adapters/graph/GraphClient";
import { retentionJobClientId } from "../../sandbox/identity/clients";
import { tenantId } from "../../sandbox/seed/people";
import { startSandbox, type TestSandbox } from "./support/sandbox";

jest.setTimeout(60_000);

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.stop());

describe("the retention job's token provider (msal-node, client credentials with a certificate)", () => {
  it("gets an app-only Graph token from the sandbox's issuer that Graph accepts", async () => {
    const dir = join(sb.dataDir, "identity");
    const certificatePem = readFileSync(join(dir, "retention-job.cert.pem"), "utf8");
    const thumbprintSha256 = createHash("sha256").update(new X509Certificate(certificatePem).raw).digest("hex");
    const tokens = new MsalNodeTokenProvider({
      clientId: retentionJobClientId,
      tenantId,
      authority: `${sb.origins.app}/identity`,
      certificate: { privateKeyPem: readFileSync(join(dir, "retention-job.key.pem"), "utf8"), thumbprintSha256 },
    });
    const token = await tokens.getToken([`${sb.origins.graph}/Sites.Selected`]);
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ idtyp: "app", appid: retentionJobClientId });
    const graph = new GraphClient(createGraph({ graphEndpoint: sb.origins.graph, tokens, scopes: [`${sb.origins.graph}/.default`] }));
    const site = await graph.get<{ id: string }>("sites/root?$select=id").catch((e: { status?: number }) => e);
    // Graph knows the token: anything but 401 (the job's site grant is the sandbox's business).
    expect((site as { status?: number }).status).not.toBe(401);
  });

  it("says plainly when the certificate is wrong", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const tokens = new MsalNodeTokenProvider({
      clientId: retentionJobClientId,
      tenantId,
      authority: `${sb.origins.app}/identity`,
      certificate: { privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), thumbprintSha256: "00".repeat(32) },
    });
    await expect(tokens.getToken([`${sb.origins.graph}/.default`])).rejects.toMatchObject({ name: "TokenError", code: "signInFailed" });
  });
});
