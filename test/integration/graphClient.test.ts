import { Client, FileUpload, LargeFileUploadTask, type UploadResult } from "@microsoft/microsoft-graph-client";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { startGraphTestSandbox } from "./graphSandbox";

jest.setTimeout(60_000);

let sb: StandaloneSandbox;
let client: Client;
let driveId: string;

beforeAll(async () => {
  sb = await startGraphTestSandbox();
  const token = await sb.token({ user: "specialist", resource: "graph" });
  // Microsoft's own client, pointed at the sandbox's Graph origin; the SharePoint host (127.0.0.1) is not a custom host, so no token goes there.
  client = Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => token },
    baseUrl: `${sb.graph}/`,
    customHosts: new Set(["localhost"]),
  });
  driveId = (await client.api("/sites/root/drive").get()).id;
});
afterAll(() => sb.stop());

test("Microsoft's LargeFileUploadTask uploads a multi-fragment file that downloads byte-identical", async () => {
  const size = 327_680 * 7 + 12_345;
  const data = Buffer.from(Uint8Array.from({ length: size }, (_, i) => (i * 7919) % 251));
  const folder = await client.api(`/drives/${driveId}/root:/Customer Data Migration/CAS-01001-A1B2C3`).get();
  const session = await LargeFileUploadTask.createUploadSession(
    client,
    `/drives/${driveId}/items/${folder.id}:/backup.bin:/createUploadSession`,
    {
      item: { "@microsoft.graph.conflictBehavior": "fail" },
    },
  );
  const ranges: string[] = [];
  const task = new LargeFileUploadTask(client, new FileUpload(data, "backup.bin", size), session, {
    rangeSize: 327_680 * 2,
    uploadEventHandlers: { progress: (range) => void ranges.push(`${range?.minValue}-${range?.maxValue}`) },
  });
  const result = (await task.upload()) as UploadResult;
  expect(ranges.length).toBe(4);
  const item = result.responseBody as { id: string; size: number; file: { hashes: { quickXorHash: string } } };
  expect(item.size).toBe(size);
  expect(item.file.hashes.quickXorHash).toBe(new QuickXorHash().update(data).digest());
  const fresh = await client.api(`/drives/${driveId}/items/${item.id}`).get();
  const downloaded = Buffer.from(await (await fetch(fresh["@microsoft.graph.downloadUrl"])).arrayBuffer());
  expect(downloaded.equals(data)).toBe(true);
});

test("an invite and permissions round trip works with Microsoft's client", async () => {
  const path = `/drives/${driveId}/root:/Customer Data Migration/CAS-01002-D4E5F6:`;
  const invited = await client.api(`${path}/invite`).post({
    recipients: [{ email: "pat@contoso-customer.example" }],
    message: "Kindly upload the files within 30 days.",
    requireSignIn: true,
    sendInvitation: true,
    roles: ["read"],
  });
  const id: string = invited.value[0].id;
  const listed = await client.api(`${path}/permissions`).get();
  expect(listed.value.map((p: { id: string }) => p.id)).toContain(id);
  const updated = await client.api(`${path}/permissions/${id}`).patch({ roles: ["write"] });
  expect(updated.roles).toEqual(["write"]);
  await client.api(`${path}/permissions/${id}`).delete();
  await expect(client.api(`${path}/permissions/${id}`).get()).rejects.toMatchObject({ statusCode: 404 });
});
