import * as fs from "node:fs";
import * as path from "node:path";
import { createGraph } from "../../../src/adapters/graph/createGraph";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { GraphDocumentLibrary, siteAddress } from "../../../src/adapters/graph/GraphDocumentLibrary";
import { MemoryStore } from "../../../src/adapters/graph/KeyValueStore";
import { fakeFetch, json, recordingSleep, staticTokens, type RecordedRequest } from "./fakeFetch";

const G = "https://graph.example.test/v1.0/";
const folderItem = (id: string, name: string) => ({
  id,
  name,
  folder: { childCount: 0 },
  webUrl: `https://sp.example.test/${name}`,
  createdDateTime: "2026-01-02T03:04:05Z",
});

const drives = json(200, {
  value: [
    { id: "other", name: "Other" },
    { id: "drive-1", name: "Case Files", webUrl: "https://sp.example.test/sites/cases/CaseFiles" },
  ],
});

/** Answers the library lookup (by the site's path, or the root site's id); `more` answers the rest. */
function library(more: (req: RecordedRequest, rel: string) => Response | undefined, siteUrl = "https://sp.example.test/sites/cases") {
  const fetch = fakeFetch((req) => {
    const rel = decodeURIComponent(req.url.slice(G.length));
    if (rel.startsWith("sites/sp.example.test:/sites/cases:/drives?")) return drives.clone();
    if (rel.startsWith("sites/sp.example.test?")) return json(200, { id: "sp.example.test,1,2" });
    if (rel.startsWith("sites/sp.example.test,1,2/drives?")) return drives.clone();
    const answer = more(req, rel);
    if (!answer) throw new Error(`unexpected ${req.method} ${rel}`);
    return answer;
  });
  const sleep = recordingSleep();
  const graph = new GraphClient(
    createGraph({ graphEndpoint: "https://graph.example.test", tokens: staticTokens, scopes: ["x"], fetch, retry: { sleep } }),
  );
  const lib = new GraphDocumentLibrary({
    graph,
    siteUrl,
    libraryName: "Case Files",
    batch: { sleep },
  });
  return { fetch, lib, sleep, calls: () => fetch.requests.map((r) => `${r.method} ${decodeURIComponent(r.url.slice(G.length))}`) };
}

describe("GraphDocumentLibrary", () => {
  it("addresses a site by host and path", () => {
    expect(siteAddress("https://contoso.sharepoint.com/sites/Case Files")).toBe("sites/contoso.sharepoint.com:/sites/Case%20Files");
    expect(siteAddress("https://contoso.sharepoint.com/")).toBe("sites/contoso.sharepoint.com");
  });

  it("finds the library of a site with a path in one request and keeps it in the cache", async () => {
    const cache = new MemoryStore();
    const { lib, calls } = library(() => undefined);
    const viaCache = new GraphDocumentLibrary({
      graph: (lib as unknown as { options: { graph: GraphClient } }).options.graph,
      siteUrl: "https://sp.example.test/sites/cases",
      libraryName: "Case Files",
      cache,
    });
    const [a, b] = await Promise.all([viaCache.resolve(), viaCache.resolve()]);
    expect(a).toEqual({ driveId: "drive-1" });
    expect(b).toBe(a);
    expect(calls()).toEqual(["GET sites/sp.example.test:/sites/cases:/drives?$select=id,name,webUrl"]);
    await new GraphDocumentLibrary({
      graph: (lib as unknown as { options: { graph: GraphClient } }).options.graph,
      siteUrl: "https://sp.example.test/sites/cases",
      libraryName: "Case Files",
      cache,
    }).resolve();
    expect(calls()).toHaveLength(1);
  });

  it("looks the tenant's root site up first, then its libraries", async () => {
    const { lib, calls } = library(() => undefined, "https://sp.example.test/");
    await expect(lib.resolve()).resolves.toEqual({ driveId: "drive-1" });
    expect(calls()).toEqual(["GET sites/sp.example.test?$select=id", "GET sites/sp.example.test,1,2/drives?$select=id,name,webUrl"]);
  });

  it("says which library is missing when the site has none of that name", async () => {
    const { fetch } = library(() => undefined);
    const graph = new GraphClient(createGraph({ graphEndpoint: "https://graph.example.test", tokens: staticTokens, scopes: ["x"], fetch }));
    const lib = new GraphDocumentLibrary({ graph, siteUrl: "https://sp.example.test/sites/cases", libraryName: "Backups" });
    await expect(lib.resolve()).rejects.toMatchObject({ code: "libraryNotFound", status: 404 });
  });

  it("creates a folder with conflictBehavior fail in one request when its parent exists", async () => {
    const { lib, fetch } = library((req, rel) =>
      req.method === "POST" && rel.startsWith("drives/drive-1/root:/Customer Data Migration:/children")
        ? json(201, folderItem("f1", "CAS-1"))
        : undefined,
    );
    await expect(lib.ensureFolder("Customer Data Migration/CAS-1")).resolves.toMatchObject({
      itemId: "f1",
      created: true,
      path: "Customer Data Migration/CAS-1",
    });
    const post = fetch.requests.find((r) => r.method === "POST")!;
    expect(JSON.parse(post.body as string)).toEqual({ name: "CAS-1", folder: {}, "@microsoft.graph.conflictBehavior": "fail" });
  });

  it("adopts the existing folder on 409 and never renames", async () => {
    const { lib, fetch } = library((req, rel) => {
      if (req.method === "POST") return json(409, { error: { code: "nameAlreadyExists", message: "exists" } });
      if (rel.startsWith("drives/drive-1/root:/Root/CAS-1?")) return json(200, folderItem("f1", "CAS-1"));
      return undefined;
    });
    await expect(lib.ensureFolder("Root/CAS-1")).resolves.toMatchObject({ itemId: "f1", created: false });
    expect(fetch.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(fetch.requests.some((r) => String(r.body).includes("rename"))).toBe(false);
  });

  it("creates missing parents first when the parent is not there", async () => {
    const made = new Set<string>();
    const { lib } = library((req, rel) => {
      if (req.method !== "POST") return undefined;
      const name = JSON.parse(req.body as string).name as string;
      if (rel.startsWith("drives/drive-1/root/children")) return (made.add(name), json(201, folderItem("a", name)));
      if (rel.startsWith("drives/drive-1/root:/A:/children"))
        return made.has("A") ? (made.add(name), json(201, folderItem("b", name))) : json(404, { error: { code: "itemNotFound" } });
      return undefined;
    });
    await expect(lib.ensureFolder("A/B")).resolves.toMatchObject({ itemId: "b", created: true });
    expect([...made]).toEqual(["A", "B"]);
  });

  it("invites with sign-in required, the roles and the message, and reports per-recipient refusals", async () => {
    const { lib, fetch } = library((_req, rel) =>
      rel === "drives/d/items/i/invite"
        ? json(207, {
            value: [
              { id: "p1", roles: ["write"], invitation: { email: "a@x.test" } },
              { error: { code: "notAllowed", message: "Blocked", innererror: { code: "exchangeInvalidUser" } } },
            ],
          })
        : undefined,
    );
    const folder = { driveId: "d", itemId: "i", path: "R/C", webUrl: "", createdOn: new Date() };
    const out = await lib.invite(folder, { recipients: ["a@x.test", "b@y.test"], role: "write", message: "Your files, 30 days." });
    expect(out).toEqual([
      { email: "a@x.test", permissionId: "p1" },
      { email: "b@y.test", refusal: { code: "notAllowed", innerCode: "exchangeInvalidUser", message: "Blocked" } },
    ]);
    expect(JSON.parse(fetch.requests.at(-1)!.body as string)).toEqual({
      recipients: [{ email: "a@x.test" }, { email: "b@y.test" }],
      message: "Your files, 30 days.",
      requireSignIn: true,
      sendInvitation: true,
      roles: ["write"],
    });
  });

  it("reads several folders in one $batch and retries only the sub-requests that were throttled", async () => {
    let round = 0;
    const { lib, fetch, sleep } = library((req, rel) => {
      if (rel !== "$batch") return undefined;
      round++;
      const { requests } = JSON.parse(req.body as string) as { requests: Array<{ id: string; url: string }> };
      return json(200, {
        responses: requests.map(({ id, url }) => {
          if (round === 1 && id === "0.permissions")
            return { id, status: 429, headers: { "Retry-After": "1.5" }, body: { error: { code: "TooManyRequests" } } };
          if (id.startsWith("1.")) return { id, status: 404, headers: {}, body: { error: { code: "itemNotFound" } } };
          if (id.endsWith(".item")) return { id, status: 200, headers: {}, body: folderItem("f0", "CAS-1") };
          if (id.endsWith(".children"))
            return {
              id,
              status: 200,
              headers: {},
              body: { value: [{ id: "x", name: "a.bin", size: 3, file: { hashes: { quickXorHash: "h" } } }] },
            };
          return { id, status: 200, headers: {}, body: { value: [{ id: "p", roles: ["read"], invitation: { email: "A@x.test" } }], url } };
        }),
      });
    });
    const snap = await lib.snapshot(["R/CAS-1", "R/CAS-2"]);
    expect(snap[0]).toMatchObject({
      path: "R/CAS-1",
      folder: { itemId: "f0" },
      files: [{ name: "a.bin", size: 3, quickXorHash: "h" }],
      permissions: [{ id: "p", email: "a@x.test", inherited: false, isLink: false }],
    });
    expect(snap[1]).toEqual({ path: "R/CAS-2", folder: null, files: [], permissions: [] });
    const batches = fetch.requests.filter((r) => r.url.endsWith("$batch"));
    expect(batches).toHaveLength(2);
    expect(JSON.parse(batches[1].body as string).requests.map((r: { id: string }) => r.id)).toEqual(["0.permissions"]);
    expect(sleep.waits).toEqual([1500]);
  });

  it("treats an already deleted folder or permission as done", async () => {
    const { lib } = library(() => json(404, { error: { code: "itemNotFound" } }));
    const folder = { driveId: "d", itemId: "i", path: "R/C", webUrl: "", createdOn: new Date() };
    await expect(lib.deleteFolder(folder, { permanent: true })).resolves.toBeUndefined();
    await expect(lib.removePermission(folder, "p")).resolves.toBeUndefined();
  });

  it("lists no permissions on a folder that is gone: nothing is left to revoke", async () => {
    const { lib, calls } = library(() => json(404, { error: { code: "itemNotFound", message: "The resource could not be found." } }));
    const folder = { driveId: "d", itemId: "i", path: "R/C", webUrl: "", createdOn: new Date() };
    await expect(lib.listPermissions(folder)).resolves.toEqual([]);
    expect(calls()).toEqual(["GET drives/d/items/i/permissions"]);
  });

  it("still fails on other errors while listing permissions", async () => {
    const { lib } = library(() => json(403, { error: { code: "accessDenied", message: "No." } }));
    const folder = { driveId: "d", itemId: "i", path: "R/C", webUrl: "", createdOn: new Date() };
    await expect(lib.listPermissions(folder)).rejects.toMatchObject({ name: "GraphError", status: 403 });
  });

  it("deletes to the recycle bin with DELETE and permanently with permanentDelete", async () => {
    const { lib, calls } = library(() => json(204, null));
    const folder = { driveId: "d", itemId: "i", path: "R/C", webUrl: "", createdOn: new Date() };
    await lib.deleteFolder(folder, { permanent: false });
    await lib.deleteFolder(folder, { permanent: true });
    expect(calls()).toEqual(["DELETE drives/d/items/i", "POST drives/d/items/i/permanentDelete"]);
  });

  it("lists files recursively across pages with size, author, dates and hash", async () => {
    const { lib } = library((_req, rel) => {
      if (rel.startsWith("drives/d/items/top/children?page=2"))
        return json(200, { value: [{ id: "f1", name: "a.txt", size: 1, file: {} }] });
      if (rel.startsWith("drives/d/items/top/children"))
        return json(200, { value: [{ id: "sub", name: "sub", folder: {} }], "@odata.nextLink": `${G}drives/d/items/top/children?page=2` });
      if (rel.startsWith("drives/d/items/sub/children"))
        return json(200, {
          value: [
            {
              id: "f2",
              name: "b.txt",
              size: 2,
              createdBy: { user: { displayName: "Ann" } },
              createdDateTime: "2026-01-01T00:00:00Z",
              file: { hashes: { quickXorHash: "q" } },
            },
          ],
        });
      return undefined;
    });
    const files = await lib.listFiles({ driveId: "d", itemId: "top", path: "R/C", webUrl: "", createdOn: new Date() });
    expect(files.map((f) => [f.path, f.size, f.createdBy, f.quickXorHash])).toEqual([
      ["a.txt", 1, undefined, undefined],
      ["sub/b.txt", 2, "Ann", "q"],
    ]);
  });

  it("asks for the malware facet and reads it in listings and snapshots: present means flagged, null or absent means clean", async () => {
    const children = {
      value: [
        { id: "f1", name: "clean.bak", size: 5, file: {} },
        { id: "f2", name: "tool.exe", size: 7, file: {}, malware: { description: "Win32/EICAR_Test_File" } },
        { id: "f3", name: "odd.bin", size: 1, file: {}, malware: {} },
        { id: "f4", name: "nulled.txt", size: 2, file: {}, malware: null },
      ],
    };
    const { lib, calls, fetch } = library((req, rel) => {
      if (rel.startsWith("drives/d/items/top/children")) return json(200, children);
      if (rel !== "$batch") return undefined;
      const { requests } = JSON.parse(req.body as string) as { requests: Array<{ id: string }> };
      return json(200, {
        responses: requests.map(({ id }) => ({
          id,
          status: 200,
          headers: {},
          body: id.endsWith(".item") ? folderItem("top", "CAS-1") : id.endsWith(".children") ? children : { value: [] },
        })),
      });
    });
    const flags = (files: ReadonlyArray<{ name: string; malware?: { description: string } }>) =>
      files.map((f) => [f.name, f.malware?.description ?? null]);
    const expected = [
      ["clean.bak", null],
      ["tool.exe", "Win32/EICAR_Test_File"],
      ["odd.bin", ""],
      ["nulled.txt", null],
    ];
    expect(flags(await lib.listFiles({ driveId: "d", itemId: "top", path: "R/C", webUrl: "", createdOn: new Date() }))).toEqual(expected);
    expect(flags((await lib.snapshot(["R/CAS-1"]))[0].files)).toEqual(expected);
    expect(calls()[0]).toMatch(/\$select=[^&]*\bmalware\b/);
    const batch = JSON.parse(fetch.requests.find((r) => r.url.endsWith("$batch"))!.body as string) as { requests: Array<{ url: string }> };
    expect(batch.requests.filter((r) => /children\?\$select=[^&]*\bmalware\b/.test(r.url))).toHaveLength(1);
  });

  it("has no code path that creates a sharing link", () => {
    const dir = path.resolve(__dirname, "../../../src/adapters/graph");
    const sources = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".ts"));
    for (const f of sources) {
      const text = fs.readFileSync(path.join(dir, String(f)), "utf8");
      expect([
        String(f),
        /createLink|createSharingLink|"anonymous"|"organization"/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "")),
      ]).toEqual([String(f), false]);
    }
  });
});

describe("permission mapping", () => {
  it("treats the site's own groups as inherited, so nothing revokes them", async () => {
    const { toFolderPermission } = await import("../../../src/adapters/graph/driveItems");
    expect(
      toFolderPermission({ id: "g", roles: ["write"], grantedToV2: { siteGroup: { displayName: "Customer Files Members" } } }),
    ).toEqual({
      id: "g",
      roles: ["write"],
      email: undefined,
      displayName: "Customer Files Members",
      inherited: true,
      isLink: false,
      siteGroup: "Customer Files Members",
    });
    expect(toFolderPermission({ id: "p", roles: ["read"], invitation: { email: "Guest@Example.com" } })).toMatchObject({
      email: "guest@example.com",
      inherited: false,
    });
  });
});
