import { createGraph } from "../../../src/adapters/graph/createGraph";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { isGraphError } from "../../../src/adapters/graph/GraphError";
import { GraphLibraryChanges } from "../../../src/adapters/graph/GraphLibraryChanges";
import { fakeFetch, json, recordingSleep, staticTokens, type Route } from "./fakeFetch";

const G = "https://graph.example.test/v1.0/";
const first = `${G}drives/d1/root/delta`;
const page2 = `${G}drives/d1/root/delta?token=page2`;
const fresh = `${G}drives/d1/root/delta?token=fresh`;
const done = `${G}drives/d1/root/delta?token=done`;

const rootItem = { id: "root", name: "root", root: {}, folder: { childCount: 2 }, parentReference: { driveId: "d1" } };
const folder = { id: "fa", name: "CAS-01004-K1L2M3", folder: { childCount: 1 }, parentReference: { driveId: "d1", id: "root" } };
const fileItem = (id: string, hash: string, by: unknown = { user: { email: "Tom.Baker@Northwind.example", displayName: "Tom" } }) => ({
  id,
  name: `${id}.txt`,
  size: 12,
  file: { mimeType: "text/plain", hashes: { quickXorHash: hash } },
  parentReference: { driveId: "d1", id: "fa" },
  createdDateTime: "2026-12-01T10:00:00Z",
  lastModifiedDateTime: "2026-12-01T11:00:00Z",
  createdBy: by,
  lastModifiedBy: by,
});

function setup(route: Route, pageSize?: number) {
  const fetch = fakeFetch(route);
  const sleep = recordingSleep();
  const graph = new GraphClient(
    createGraph({ graphEndpoint: "https://graph.example.test", tokens: staticTokens, scopes: ["x"], fetch, retry: { sleep } }),
  );
  const changes = new GraphLibraryChanges({ graph, library: { resolve: async () => ({ driveId: "d1" }) }, pageSize });
  return { changes, fetch, sleep, urls: () => fetch.requests.map((r) => r.url) };
}

test("a first call enumerates the drive's root delta, follows nextLink to the deltaLink and maps each item", async () => {
  const { changes, urls } = setup((req) => {
    if (req.url === first) return json(200, { value: [rootItem, folder, fileItem("f1", "h1")], "@odata.nextLink": page2 });
    if (req.url === page2)
      return json(200, {
        value: [{ id: "gone", deleted: { state: "deleted" } }, fileItem("f2", "h2", { application: { id: "app", displayName: "Job" } })],
        "@odata.deltaLink": done,
      });
    throw new Error(`unexpected ${req.url}`);
  });
  const set = await changes.changesSince(undefined);
  expect(urls()).toEqual([first, page2]);
  expect(set).toMatchObject({ link: done, complete: true, resynced: false });
  expect(set.items).toEqual([
    { kind: "folder", itemId: "root", parentId: undefined, name: "root" },
    { kind: "folder", itemId: "fa", parentId: "root", name: "CAS-01004-K1L2M3" },
    {
      kind: "file",
      itemId: "f1",
      parentId: "fa",
      name: "f1.txt",
      size: 12,
      quickXorHash: "h1",
      createdOn: new Date("2026-12-01T10:00:00Z"),
      modifiedOn: new Date("2026-12-01T11:00:00Z"),
      createdBy: { kind: "user", id: undefined, email: "tom.baker@northwind.example", displayName: "Tom" },
      modifiedBy: { kind: "user", id: undefined, email: "tom.baker@northwind.example", displayName: "Tom" },
    },
    { kind: "deleted", itemId: "gone" },
    expect.objectContaining({ itemId: "f2", modifiedBy: { kind: "application", id: "app", displayName: "Job" } }),
  ]);
});

test("with a link, only that link is read; the page size goes on the first enumeration only", async () => {
  const { changes, urls } = setup((req) => json(200, { value: [], "@odata.deltaLink": req.url === page2 ? done : page2 }), 500);
  const set = await changes.changesSince(page2);
  expect(urls()).toEqual([page2]);
  expect(set).toEqual({ items: [], link: done, complete: false, resynced: false });
  await changes.changesSince(undefined);
  expect(urls()[1]).toBe(`${first}?$top=500`);
});

test("an item listed twice counts once, in its last state", async () => {
  const { changes } = setup((req) =>
    req.url === first
      ? json(200, { value: [fileItem("f1", "old"), folder], "@odata.nextLink": page2 })
      : json(200, { value: [fileItem("f1", "new")], "@odata.deltaLink": done }),
  );
  const set = await changes.changesSince(undefined);
  expect(set.items.map((i) => [i.itemId, "quickXorHash" in i ? i.quickXorHash : undefined])).toEqual([
    ["fa", undefined],
    ["f1", "new"],
  ]);
});

test("an expired link (410 Gone) is followed to its Location: a complete, fresh enumeration, dropping what the old round gave", async () => {
  const stale = `${G}drives/d1/root/delta?token=stale`;
  const { changes, urls } = setup((req) => {
    if (req.url === stale) return json(200, { value: [fileItem("old", "h")], "@odata.nextLink": page2 });
    if (req.url === page2) return json(410, { error: { code: "resyncRequired", message: "Resync required." } }, { location: fresh });
    if (req.url === fresh) return json(200, { value: [rootItem, folder], "@odata.deltaLink": done });
    throw new Error(`unexpected ${req.url}`);
  });
  const set = await changes.changesSince(stale);
  expect(urls()).toEqual([stale, page2, fresh]);
  expect(urls().some((u) => u.includes("/children"))).toBe(false);
  expect(set).toMatchObject({ link: done, complete: true, resynced: true });
  expect(set.items.map((i) => i.itemId)).toEqual(["root", "fa"]);
});

test("a 410 without a Location starts the enumeration at the drive's root delta", async () => {
  const stale = `${G}drives/d1/root/delta?token=stale`;
  const { changes, urls } = setup((req) =>
    req.url === stale ? json(410, { error: { code: "resyncRequired" } }) : json(200, { value: [], "@odata.deltaLink": done }),
  );
  const set = await changes.changesSince(stale);
  expect(urls()).toEqual([stale, first]);
  expect(set.resynced).toBe(true);
});

test("a second 410 in the same call is an error, not a loop", async () => {
  const { changes, urls } = setup(() => json(410, { error: { code: "resyncRequired" } }, { location: fresh }));
  const err = await changes.changesSince(page2).catch((e: unknown) => e);
  expect(isGraphError(err) && err.status).toBe(410);
  expect(urls()).toEqual([page2, fresh]);
});

test("a throttled page is sent again after its Retry-After", async () => {
  let calls = 0;
  const { changes, sleep } = setup(() =>
    ++calls === 1
      ? json(429, { error: { code: "TooManyRequests" } }, { "retry-after": "1.5" })
      : json(200, { value: [folder], "@odata.deltaLink": done }),
  );
  const set = await changes.changesSince(undefined);
  expect(sleep.waits).toEqual([1500]);
  expect(set.items).toHaveLength(1);
});

test("a page with neither link is an invalid response; other failures pass through", async () => {
  const { changes } = setup(() => json(200, { value: [] }));
  const err = await changes.changesSince(undefined).catch((e: unknown) => e);
  expect(isGraphError(err) && err.code).toBe("invalidResponse");
  const denied = setup(() => json(403, { error: { code: "accessDenied", message: "Access denied" } }));
  const e2 = await denied.changes.changesSince(undefined).catch((e: unknown) => e);
  expect(isGraphError(e2) && [e2.status, e2.code]).toEqual([403, "accessDenied"]);
});
