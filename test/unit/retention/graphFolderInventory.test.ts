import { createGraph } from "../../../src/adapters/graph/createGraph";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { isGraphError } from "../../../src/adapters/graph/GraphError";
import { GraphFolderInventory } from "../../../src/adapters/graph/GraphFolderInventory";

const G = "https://graph.example.test/v1.0/";

interface Sub {
  id: string;
  method: string;
  url: string;
}
const json = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A Graph that answers `$batch` envelopes sub-request by sub-request, and plain GETs. */
function setup(
  answer: (sub: Sub, round: number) => { status: number; body?: unknown; headers?: Record<string, string> },
  get?: (url: string) => Response,
) {
  const envelopes: Sub[][] = [];
  const gets: string[] = [];
  const sleeps: number[] = [];
  const seen = new Map<string, number>();
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const rel = decodeURIComponent(url.slice(G.length));
    if (rel === "$batch") {
      const { requests } = JSON.parse(String(init.body)) as { requests: Sub[] };
      envelopes.push(requests);
      const responses = requests.map((r) => {
        const round = (seen.get(r.url) ?? 0) + 1;
        seen.set(r.url, round);
        const a = answer(r, round);
        return { id: r.id, status: a.status, headers: a.headers ?? {}, body: a.body };
      });
      return json(200, { responses: responses.reverse() });
    }
    gets.push(rel);
    if (!get) throw new Error(`unexpected ${rel}`);
    return get(url);
  };
  const sleep = async (ms: number) => void sleeps.push(ms);
  const graph = new GraphClient(
    createGraph({
      graphEndpoint: "https://graph.example.test",
      tokens: { getToken: async () => "t" },
      scopes: ["x"],
      fetch,
      retry: { sleep },
    }),
  );
  const inventory = new GraphFolderInventory({ graph, library: { resolve: async () => ({ driveId: "d1" }) }, batch: { sleep } });
  return { inventory, envelopes, gets, sleeps };
}

const folders = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ itemId: `i${i + 1}`, path: `Customer Data Migration/CAS-0${1000 + i}-AAAAAA` }));

test("folders are listed by pages of 200 with only the fields the sweep needs; files are left out; the next page comes from nextLink", async () => {
  const next = `${G}drives/d1/items/root-x/children?$skiptoken=p2`;
  const { inventory, gets } = setup(
    () => ({ status: 500 }),
    (url) =>
      url === next
        ? json(200, { value: [{ id: "c", name: "CAS-03000-CCCCCC", folder: {}, createdDateTime: "2026-11-02T00:00:00Z" }] })
        : json(200, {
            value: [
              { id: "a", name: "CAS-01000-AAAAAA", folder: { childCount: 1 }, createdDateTime: "2026-11-01T00:00:00Z" },
              { id: "f", name: "notes.txt", file: {} },
            ],
            "@odata.nextLink": next,
          }),
  );
  const first = await inventory.listFolders("Customer Data Migration");
  expect(first.folders).toEqual([
    {
      itemId: "a",
      name: "CAS-01000-AAAAAA",
      path: "Customer Data Migration/CAS-01000-AAAAAA",
      createdOn: new Date("2026-11-01T00:00:00Z"),
    },
  ]);
  expect(first.next).toBe(next);
  const second = await inventory.listFolders("Customer Data Migration", first.next);
  expect(second).toEqual({ folders: [expect.objectContaining({ itemId: "c" })] });
  expect(gets[0]).toBe("drives/d1/root:/Customer Data Migration:/children?$select=id,name,createdDateTime,folder&$top=200");
});

test("a root that does not exist lists as one empty page", async () => {
  const { inventory } = setup(
    () => ({ status: 500 }),
    () => json(404, { error: { code: "itemNotFound", message: "The resource could not be found." } }),
  );
  await expect(inventory.listFolders("External Data Transfer")).resolves.toEqual({ folders: [] });
});

test("45 deletions go as 3 $batch envelopes of at most 20; gone folders are fine; a refused one is a GraphError for that folder only", async () => {
  const { inventory, envelopes } = setup((sub) => {
    if (sub.url.endsWith("/i2")) return { status: 404, body: { error: { code: "itemNotFound", message: "gone" } } };
    if (sub.url.endsWith("/i3"))
      return { status: 423, body: { error: { code: "resourceLocked", message: "The resource you are attempting to access is locked" } } };
    return { status: 204 };
  });
  const outcomes = await inventory.deleteFolders(folders(45), { permanent: false });
  expect(envelopes.map((e) => e.length)).toEqual([20, 20, 5]);
  expect(envelopes[0][0]).toMatchObject({ method: "DELETE", url: "/drives/d1/items/i1" });
  expect(outcomes[0]).toEqual({ ok: true });
  expect(outcomes[1]).toEqual({ ok: true, gone: true });
  expect(outcomes[2].ok).toBe(false);
  const error = (outcomes[2] as { error: unknown }).error;
  expect(isGraphError(error) && error.code === "resourceLocked" && error.status === 423).toBe(true);
});

test("throttled sub-requests are sent again after the Retry-After they carry", async () => {
  const { inventory, envelopes, sleeps } = setup((sub, round) =>
    sub.url.includes("/i2/") && round === 1
      ? { status: 429, headers: { "Retry-After": "3" }, body: { error: { code: "TooManyRequests" } } }
      : { status: 204 },
  );
  const outcomes = await inventory.deleteFolders(folders(3), { permanent: true });
  expect(outcomes.every((o) => o.ok)).toBe(true);
  expect(envelopes.map((e) => e.map((s) => s.url))).toEqual([
    ["/drives/d1/items/i1/permanentDelete", "/drives/d1/items/i2/permanentDelete", "/drives/d1/items/i3/permanentDelete"],
    ["/drives/d1/items/i2/permanentDelete"],
  ]);
  expect(envelopes[0][0].method).toBe("POST");
  expect(sleeps).toContain(3000);
});

test("permissions of many folders are read in one envelope, inherited ones marked; a folder without an item id is addressed by path", async () => {
  const { inventory, envelopes } = setup((sub) =>
    sub.url.includes("i1")
      ? {
          status: 200,
          body: {
            value: [
              { id: "p1", roles: ["write"], invitation: { email: "Ann@Fabrikam.example" } },
              { id: "p2", roles: ["read"], inheritedFrom: { id: "root" } },
            ],
          },
        }
      : { status: 404 },
  );
  const outcomes = await inventory.listPermissions([{ itemId: "i1", path: "x" }, { path: "Customer Data Migration/CAS-01000-AAAAAA" }]);
  expect(envelopes[0].map((s) => s.url)).toEqual([
    "/drives/d1/items/i1/permissions",
    "/drives/d1/root:/Customer%20Data%20Migration/CAS-01000-AAAAAA:/permissions",
  ]);
  expect(outcomes[0]).toEqual({
    ok: true,
    permissions: [
      expect.objectContaining({ id: "p1", email: "ann@fabrikam.example", inherited: false }),
      expect.objectContaining({ id: "p2", inherited: true }),
    ],
  });
  expect(outcomes[1]).toEqual({ ok: true, gone: true });
});

test("permission removals are DELETEs of each permission, batched", async () => {
  const { inventory, envelopes } = setup(() => ({ status: 204 }));
  await inventory.removePermissions([
    { folder: { itemId: "i1", path: "x" }, permissionId: "p/1" },
    { folder: { itemId: "i2", path: "y" }, permissionId: "p2" },
  ]);
  expect(envelopes).toEqual([
    [
      { id: "1", method: "DELETE", url: "/drives/d1/items/i1/permissions/p%2F1" },
      { id: "2", method: "DELETE", url: "/drives/d1/items/i2/permissions/p2" },
    ],
  ]);
});
