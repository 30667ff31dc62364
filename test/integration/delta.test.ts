import { createGraph } from "../../src/adapters/graph/createGraph";
import { GraphClient } from "../../src/adapters/graph/GraphClient";
import { GraphLibraryChanges } from "../../src/adapters/graph/GraphLibraryChanges";
import { decideArrivals } from "../../src/domain/arrivals";
import type { LibraryChange, LibraryChangeSet } from "../../src/ports/LibraryChanges";
import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { seededItemId } from "../../sandbox/seed/ids";
import { startGraphTestSandbox } from "./graphSandbox";

jest.setTimeout(120_000);

let sb: StandaloneSandbox;
let agent: string;
let v1: string;
let driveId: string;
/** Every request the adapter sent, with its status. */
const sent: { url: string; status: number; location: string | null }[] = [];

const tom = "tom.baker@northwind.example";
const priya = "priya.patel@adventure-works.example";
const folderA = seededItemId("External Data Transfer/CAS-01004-K1L2M3");
const folderB = seededItemId("External Data Transfer/CAS-01005-N4P5Q6");
const seededLog = seededItemId("External Data Transfer/CAS-01004-K1L2M3/error-log.txt");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response) => (await r.json()) as Record<string, any>;
const g = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(path.startsWith("https:") ? path : v1 + path, {
    ...init,
    headers: { authorization: `Bearer ${init.token ?? agent}`, ...(init.headers as Record<string, string>) },
  });
const upload = async (token: string, parentId: string, name: string, text: string) => {
  const r = await g(`drives/${driveId}/items/${parentId}:/${encodeURIComponent(name)}:/content`, { method: "PUT", token, body: text });
  expect([200, 201]).toContain(r.status);
  return json(r);
};
const mkdir = async (token: string, parentId: string, name: string) => {
  const r = await g(`drives/${driveId}/items/${parentId}/children`, {
    method: "POST",
    token,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
  });
  expect(r.status).toBe(201);
  return json(r);
};

function adapter(pageSize?: number): GraphLibraryChanges {
  const fetchFn = async (url: string, init: RequestInit) => {
    const res = await fetch(url, init);
    sent.push({ url, status: res.status, location: res.headers.get("location") });
    return res;
  };
  const graph = new GraphClient(
    createGraph({
      graphEndpoint: sb.graph,
      tokens: { getToken: async () => agent },
      scopes: ["Files.ReadWrite.All"],
      fetch: fetchFn,
      retry: { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) },
    }),
  );
  return new GraphLibraryChanges({ graph, library: { resolve: async () => ({ driveId }) }, pageSize });
}
const ids = (set: LibraryChangeSet) => set.items.map((i) => i.itemId);
const find = (set: LibraryChangeSet, id: string): LibraryChange | undefined => set.items.find((i) => i.itemId === id);

beforeAll(async () => {
  sb = await startGraphTestSandbox();
  agent = await sb.token({ user: "agent", resource: "graph" });
  v1 = `${sb.graph}/v1.0/`;
  driveId = (await json(await g("sites/root/drive"))).id;
});
afterAll(() => sb.stop());

let link: string;

test("a first enumeration lists the whole library, parents before children, with ids and no paths", async () => {
  sent.length = 0;
  const set = await adapter().changesSince(undefined);
  expect(set.complete).toBe(true);
  expect(set.resynced).toBe(false);
  expect(new Set(ids(set)).size).toBe(set.items.length);
  const order = ids(set);
  expect(order.indexOf(folderA)).toBeLessThan(order.indexOf(seededLog));
  expect(find(set, seededLog)).toMatchObject({ kind: "file", parentId: folderA, name: "error-log.txt", size: 2048 });
  expect((find(set, seededLog) as { quickXorHash?: string }).quickXorHash).toMatch(/=$/);
  expect(find(set, folderB)).toMatchObject({ kind: "folder", name: "CAS-01005-N4P5Q6" });
  expect(set.link).toContain("/root/delta?token=");
  // Only the delta feed was read: no listing of any folder's children.
  expect(sent.every((r) => /\/root\/delta/.test(r.url))).toBe(true);
  link = set.link;

  const raw = await json(await g(`drives/${driveId}/root/delta`));
  const item = raw.value.find((i: { id: string }) => i.id === seededLog);
  expect(item.parentReference).toEqual({ driveType: "documentLibrary", driveId, id: folderA, siteId: expect.any(String) });
  expect(item.cTag).toBeUndefined();
  expect(raw.value[0].root).toEqual({});
});

test("asking again with the link, nothing having changed, gives an empty set and a link", async () => {
  const set = await adapter().changesSince(link);
  expect(set.items).toEqual([]);
  expect(set.complete).toBe(false);
  const latest = await json(await g(`drives/${driveId}/root/delta?token=latest`));
  expect(latest.value).toEqual([]);
  expect(latest["@odata.deltaLink"]).toContain("token=");
});

test("new files in two folders after the link, one in a sub-folder the customer made, come with their parents, each once", async () => {
  const tomToken = await sb.token({ guest: tom });
  const priyaToken = await sb.token({ guest: priya });
  const a1 = await upload(tomToken, folderA, "screenshot.txt", "what the screen showed");
  const sub = await mkdir(priyaToken, folderB, "logs");
  const b1 = await upload(priyaToken, sub.id, "app.log", "line 1\nline 2\n");
  const b2 = await upload(priyaToken, folderB, "config.json", "{}");
  sent.length = 0;
  const set = await adapter().changesSince(link);
  expect(sent).toHaveLength(1);
  expect(set.complete).toBe(false);
  expect(new Set(ids(set)).size).toBe(set.items.length);
  for (const id of [a1.id, sub.id, b1.id, b2.id, folderA, folderB]) expect(ids(set)).toContain(id);
  expect(ids(set)).not.toContain(seededLog);
  expect(find(set, a1.id)).toMatchObject({ kind: "file", parentId: folderA, modifiedBy: { kind: "user", email: tom } });
  expect(find(set, b1.id)).toMatchObject({ kind: "file", parentId: sub.id, quickXorHash: b1.file.hashes.quickXorHash });

  const arrivals = decideArrivals({
    exchanges: [
      { exchangeId: "ex-a", folderItemId: folderA },
      { exchangeId: "ex-b", folderItemId: folderB },
    ],
    changes: set.items,
    complete: set.complete,
    receipts: [],
    organizationDomains: ["contoso.example"],
  });
  expect(arrivals.map((a) => [a.exchangeId, a.newFiles.map((f) => f.path).sort()])).toEqual([
    ["ex-a", ["screenshot.txt"]],
    ["ex-b", ["config.json", "logs/app.log"]],
  ]);

  // deltaExcludeParent: only what changed itself.
  const bare = await json(await g(link, { headers: { deltaExcludeParent: "true" } }));
  expect(bare.value.map((i: { id: string }) => i.id).sort()).toEqual([a1.id, sub.id, b1.id, b2.id].sort());
  link = set.link;
});

test("a deleted file comes back as its id with the deleted facet, and nothing more", async () => {
  const before = await adapter().changesSince(link);
  expect(before.items).toEqual([]);
  const r = await g(`drives/${driveId}/items/${seededLog}`, { method: "DELETE" });
  expect(r.status).toBe(204);
  const raw = await json(await g(link));
  const gone = raw.value.find((i: { id: string }) => i.id === seededLog);
  expect(gone).toEqual({ id: seededLog, deleted: { state: "deleted" }, parentReference: expect.objectContaining({ driveId }) });
  const set = await adapter().changesSince(link);
  expect(find(set, seededLog)).toEqual({ kind: "deleted", itemId: seededLog });
  link = set.link;
});

test("a file the customer puts in again under the same name is the same item with new content: replaced", async () => {
  const tomToken = await sb.token({ guest: tom });
  const before = await upload(tomToken, folderA, "notes.txt", "first version");
  const mid = await adapter().changesSince(link);
  const again = await upload(tomToken, folderA, "notes.txt", "second version, longer");
  expect(again.id).toBe(before.id);
  const set = await adapter().changesSince(mid.link);
  const changed = find(set, before.id);
  expect(changed).toMatchObject({ kind: "file", quickXorHash: again.file.hashes.quickXorHash, size: again.size });
  const [arrival] = decideArrivals({
    exchanges: [{ exchangeId: "ex-a", folderItemId: folderA }],
    changes: set.items,
    complete: false,
    receipts: [
      {
        exchangeId: "ex-a",
        itemId: before.id,
        contentKey: `qx:${before.file.hashes.quickXorHash}`,
        receiptId: "r-1",
        deleted: false,
      },
    ],
    organizationDomains: ["contoso.example"],
  });
  expect(arrival.newFiles).toEqual([]);
  expect(arrival.replacedFiles).toMatchObject([{ itemId: before.id, path: "notes.txt", replaces: ["r-1"] }]);
  link = set.link;
});

test("deleted items come a few to a page, as SharePoint pages them; every one is reported", async () => {
  const bulk = await mkdir(agent, folderA, "bulk");
  const files = [];
  for (let i = 0; i < 10; i++) files.push(await upload(agent, bulk.id, `f${i}.txt`, `file ${i}`));
  link = (await adapter().changesSince(link)).link;
  expect((await g(`drives/${driveId}/items/${bulk.id}`, { method: "DELETE" })).status).toBe(204);
  const firstPage = await json(await g(link));
  expect(firstPage.value).toHaveLength(7);
  expect(firstPage["@odata.nextLink"]).toBeDefined();
  sent.length = 0;
  const set = await adapter().changesSince(link);
  expect(sent).toHaveLength(2);
  expect(set.items.map((i) => i.kind)).toEqual(Array(11).fill("deleted"));
  expect(ids(set).sort()).toEqual([bulk.id, ...files.map((f) => f.id)].sort());
  link = set.link;
});

test("an instant as the token gives what changed since then (SharePoint's timestamp tokens)", async () => {
  const { now } = await json(await sb.control("GET", "/_sandbox/clock"));
  const added = await upload(agent, folderB, "after-instant.txt", "new");
  const since = await json(await g(`drives/${driveId}/root/delta?token=${encodeURIComponent(now)}`));
  const listed = since.value.map((i: { id: string }) => i.id);
  expect(listed).toContain(added.id);
  expect(listed).not.toContain(folderA);
  expect(since["@odata.deltaLink"]).toContain("token=");
});

test("pages follow @odata.nextLink to the deltaLink; the set is the same whatever the page size", async () => {
  const whole = await adapter().changesSince(undefined);
  sent.length = 0;
  const paged = await adapter(3).changesSince(undefined);
  expect(sent.length).toBe(Math.ceil(whole.items.length / 3));
  expect(ids(paged)).toEqual(ids(whole));
  const first = await json(await g(`drives/${driveId}/root/delta?$top=3`));
  expect(first.value).toHaveLength(3);
  expect(first["@odata.nextLink"]).toBeDefined();
  expect(first["@odata.deltaLink"]).toBeUndefined();
});

test("throttled pages are sent again after Retry-After", async () => {
  await sb.control("PUT", "/_sandbox/faults", { throttleRate: 0.2 });
  try {
    const whole = await adapter().changesSince(undefined);
    // Throttling is random: list again until a page was throttled at least once (one listing
    // nearly always suffices), each listing complete and the same.
    let throttled = false;
    for (let round = 0; round < 10 && !throttled; round++) {
      sent.length = 0;
      const set = await adapter(4).changesSince(undefined);
      expect(ids(set)).toEqual(ids(whole));
      throttled = sent.some((r) => r.status === 429 || r.status === 503);
    }
    expect(throttled).toBe(true);
  } finally {
    await sb.control("PUT", "/_sandbox/faults", {});
  }
});

test("a link older than 30 days by the sandbox clock is 410 resyncRequired with a Location, and the adapter starts again there", async () => {
  const stale = link;
  const r0 = await g(stale);
  expect(r0.status).toBe(200);
  await sb.control("POST", "/_sandbox/clock", { advanceDays: 31, sweep: false });
  const r = await g(stale);
  expect(r.status).toBe(410);
  expect((await json(r)).error.code).toBe("resyncRequired");
  const location = r.headers.get("location");
  expect(location).toContain("/root/delta?token=");
  sent.length = 0;
  const set = await adapter().changesSince(stale);
  expect(sent[0].status).toBe(410);
  expect(sent[1].url).toBe(sent[0].location);
  expect(set).toMatchObject({ resynced: true, complete: true });
  expect(ids(set)).toContain(folderA);
  expect(ids(set)).not.toContain(seededLog);
  // The fresh link works.
  expect((await g(set.link)).status).toBe(200);
});

test("after a reset, older links are 410 too; a guest cannot read the feed; delta is offered at the root only", async () => {
  const older = (await adapter().changesSince(undefined)).link;
  await sb.control("POST", "/_sandbox/reset");
  expect((await g(older)).status).toBe(410);
  expect((await g(`drives/${driveId}/root/delta`, { token: await sb.token({ guest: tom }) })).status).toBe(403);
  const r = await g(`drives/${driveId}/items/${folderA}/delta`);
  expect(r.status).toBe(400);
  expect((await g(`drives/${driveId}/root/delta?token=not-a-token`)).status).toBe(400);
});

test("over many case folders, a check after 20 new files costs one request; a first enumeration grows by pages of 200", async () => {
  const count = Number(process.env.DELTA_FOLDERS ?? 1000);
  const uploadsRoot = seededItemId("External Data Transfer");
  const made: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const requests = Array.from({ length: Math.min(20, count - start) }, (_, i) => ({
      id: String(i + 1),
      method: "POST",
      url: `/drives/${driveId}/items/${uploadsRoot}/children`,
      headers: { "content-type": "application/json" },
      body: { name: `CAS-${String(20000 + start + i)}-BULK00`, folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
    }));
    const r = await json(
      await g("$batch", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requests }) }),
    );
    for (const res of r.responses as { status: number; body: { id: string } }[]) {
      expect(res.status).toBe(201);
      made.push(res.body.id);
    }
  }
  sent.length = 0;
  const whole = await adapter().changesSince(undefined);
  const enumeration = sent.length;
  expect(enumeration).toBe(Math.ceil(whole.items.length / 200));
  for (let i = 0; i < 20; i++) await upload(agent, made[i % 2 === 0 ? 3 : count - 5], `file-${i}.txt`, `content ${i}`);
  sent.length = 0;
  const set = await adapter().changesSince(whole.link);
  expect(sent).toHaveLength(1);
  // The 20 files, their two folders, the root folder above them and the library root.
  expect(set.items).toHaveLength(24);
  if (process.env.DELTA_FOLDERS)
    process.stdout.write(
      `delta over ${whole.items.length} items: first enumeration ${enumeration} requests, after 20 new files ${sent.length}\n`,
    );
}, 1_200_000);
