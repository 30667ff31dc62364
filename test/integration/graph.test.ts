import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { startGraphTestSandbox } from "./graphSandbox";

jest.setTimeout(60_000);

let sb: StandaloneSandbox;
let agent: string;
let v1: string;
let driveId: string;

const json = async (r: Response) => (await r.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const g = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(v1 + path, { ...init, headers: { authorization: `Bearer ${init.token ?? agent}`, ...(init.headers as Record<string, string>) } });
const post = (path: string, body: unknown, token?: string) =>
  g(path, { method: "POST", token, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const seg = (s: string) => encodeURIComponent(s);
const hashOf = (b: Uint8Array) => new QuickXorHash().update(b).digest();
const bytes = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

beforeAll(async () => {
  sb = await startGraphTestSandbox();
  agent = await sb.token({ user: "agent", resource: "graph" });
  v1 = `${sb.graph}/v1.0/`;
  driveId = (await json(await g("sites/root/drive"))).id;
});
afterAll(() => sb.stop());

describe("authentication and CORS", () => {
  test("a request without a bearer token is refused with 401 InvalidAuthenticationToken", async () => {
    const r = await fetch(v1 + "sites/root");
    expect(r.status).toBe(401);
    expect((await json(r)).error.code).toBe("InvalidAuthenticationToken");
  });

  test("a Dataverse token is refused by Graph (wrong audience)", async () => {
    const r = await g("sites/root", { token: await sb.token({ user: "agent", resource: "dataverse" }) });
    expect(r.status).toBe(401);
  });

  test("a preflight from any origin allows authorization and client-request-id but not a custom header", async () => {
    const r = await fetch(v1 + "sites/root", {
      method: "OPTIONS",
      headers: {
        origin: "https://example.org",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization,client-request-id,x-custom-thing",
      },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const allowed = r.headers.get("access-control-allow-headers") ?? "";
    expect(allowed).toContain("authorization");
    expect(allowed).toContain("client-request-id");
    expect(allowed).not.toContain("x-custom-thing");
  });
});

describe("sites, drives and items", () => {
  test("the seeded site answers at sites/root, by id and by hostname and path", async () => {
    const root = await json(await g("sites/root"));
    expect(root.webUrl).toBe(`${sb.sharepoint}/sites/CustomerFiles`);
    const byId = await g(`sites/${root.id}`);
    expect(byId.status).toBe(200);
    const host = new URL(sb.sharepoint).host;
    const byPath = await json(await g(`sites/${host}:/sites/CustomerFiles`));
    expect(byPath.id).toBe(root.id);
    expect((await g(`sites/${host}:/sites/Nope`)).status).toBe(404);
    const drives = await json(await g(`sites/${root.id}/drives`));
    expect(drives.value[0].name).toBe("Documents");
    expect((await g(`drives/${driveId}`)).status).toBe(200);
  });

  test("both root folders are reachable by path, and an unknown path is 404 itemNotFound", async () => {
    for (const name of ["Customer Data Migration", "External Data Transfer"]) {
      const r = await g(`drives/${driveId}/root:/${seg(name)}`);
      expect(r.status).toBe(200);
      expect((await json(r)).folder).toBeDefined();
    }
    const r = await g(`drives/${driveId}/root:/Nowhere`);
    expect(r.status).toBe(404);
    expect((await json(r)).error.code).toBe("itemNotFound");
  });

  test("folder creation honours conflictBehavior: fail gives 409 nameAlreadyExists, rename adds a number, absent means fail", async () => {
    const parent = `drives/${driveId}/root:/${seg("Customer Data Migration")}:/children`;
    const created = await post(parent, { name: "CAS-09999-ZZZZZZ", folder: {}, "@microsoft.graph.conflictBehavior": "fail" });
    expect(created.status).toBe(201);
    const item = await json(created);
    expect(item.parentReference.path).toBe(`/drives/${driveId}/root:/Customer Data Migration`);
    expect(item.createdBy.user.displayName).toBe("Alex Agent");
    const again = await post(parent, { name: "CAS-09999-ZZZZZZ", folder: {}, "@microsoft.graph.conflictBehavior": "fail" });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe("nameAlreadyExists");
    expect((await post(parent, { name: "cas-09999-zzzzzz", folder: {} })).status).toBe(409);
    const renamed = await json(await post(parent, { name: "CAS-09999-ZZZZZZ", folder: {}, "@microsoft.graph.conflictBehavior": "rename" }));
    expect(renamed.name).toBe("CAS-09999-ZZZZZZ 1");
  });

  test("names SharePoint refuses are 400 invalidRequest with inner code invalidPath", async () => {
    for (const name of ["a:b", "bad|name", "trailing.", "CON", " lead"]) {
      const r = await post(`drives/${driveId}/root/children`, { name, folder: {} });
      expect(r.status).toBe(400);
      const e = (await json(r)).error;
      expect(e.code).toBe("invalidRequest");
      expect(e.innerError.code).toBe("invalidPath");
    }
  });

  test("children page by 200 with @odata.nextLink, and $select and $top are honoured", async () => {
    const folder = await json(await post(`drives/${driveId}/root/children`, { name: "Paging", folder: {} }));
    for (let b = 0; b < 11; b++) {
      const requests = Array.from({ length: b < 10 ? 20 : 1 }, (_, i) => ({
        id: String(i + 1),
        method: "POST",
        url: `/drives/${driveId}/items/${folder.id}/children`,
        headers: { "content-type": "application/json" },
        body: { name: `f-${String(b * 20 + i).padStart(3, "0")}`, folder: {} },
      }));
      const r = await json(await post("$batch", { requests }));
      expect(r.responses.every((x: { status: number }) => x.status === 201)).toBe(true);
    }
    const first = await json(await g(`drives/${driveId}/items/${folder.id}/children?$select=id,name`));
    expect(first.value).toHaveLength(200);
    expect(Object.keys(first.value[0]).sort()).toEqual(["@odata.etag", "id", "name"]);
    const second = await json(await fetch(first["@odata.nextLink"], { headers: { authorization: `Bearer ${agent}` } }));
    expect(second.value).toHaveLength(1);
    expect(second["@odata.nextLink"]).toBeUndefined();
    const small = await json(await g(`drives/${driveId}/items/${folder.id}/children?$top=2`));
    expect(small.value).toHaveLength(2);
    expect(small["@odata.nextLink"]).toContain("$top=2");
  });
});

describe("files", () => {
  test("a small upload stores the bytes with size, quickXorHash and a download URL that needs no token and serves ranges", async () => {
    const body = bytes(5000);
    const r = await g(`drives/${driveId}/root:/${seg("External Data Transfer")}/small.bin:/content`, { method: "PUT", body });
    expect(r.status).toBe(201);
    const item = await json(r);
    expect(item.size).toBe(5000);
    expect(item.file.hashes.quickXorHash).toBe(hashOf(body));
    expect(item.webUrl).toBe(`${sb.sharepoint}/sites/CustomerFiles/Shared%20Documents/External%20Data%20Transfer/small.bin`);
    const url: string = item["@microsoft.graph.downloadUrl"];
    expect(url.startsWith(sb.sharepoint)).toBe(true);
    expect(new Uint8Array(await (await fetch(url)).arrayBuffer())).toEqual(body);
    const part = await fetch(url, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/5000");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(body.slice(10, 20));
    const content = await g(`drives/${driveId}/items/${item.id}/content`, { redirect: "manual" });
    expect(content.status).toBe(302);
    const replaced = await g(`drives/${driveId}/items/${item.id}/content`, { method: "PUT", body: bytes(10) });
    expect(replaced.status).toBe(200);
    expect((await fetch(url.replace(/tempauth=[^&]+/, "tempauth=forged"))).status).toBe(401);
  });

  test("an upload session takes ordered 320 KiB fragments, answers 202, 416 on overlap, resumes with GET, and ends with 201", async () => {
    const total = 327_680 * 2 + 1000;
    const data = bytes(total, 3);
    const folder = await json(await g(`drives/${driveId}/root:/${seg("External Data Transfer")}`));
    const s = await json(
      await post(`drives/${driveId}/items/${folder.id}:/session.bin:/createUploadSession`, {
        item: { "@microsoft.graph.conflictBehavior": "fail" },
      }),
    );
    expect(s.uploadUrl.startsWith(sb.sharepoint)).toBe(true);
    expect(s.nextExpectedRanges).toEqual(["0-"]);
    const put = (start: number, end: number, headers: Record<string, string> = {}) =>
      fetch(s.uploadUrl, {
        method: "PUT",
        headers: { "content-range": `bytes ${start}-${end}/${total}`, ...headers },
        body: data.slice(start, end + 1),
      });
    expect((await put(0, 327_679, { authorization: `Bearer ${agent}` })).status).toBe(401);
    const misaligned = await put(0, 1000);
    expect(misaligned.status).toBe(400);
    const first = await put(0, 327_679);
    expect(first.status).toBe(202);
    expect((await json(first)).nextExpectedRanges).toEqual(["327680-"]);
    const overlap = await put(0, 327_679);
    expect(overlap.status).toBe(416);
    expect((await json(overlap)).error.innerError.code).toBe("fragmentOverlap");
    expect((await put(655_360, total - 1)).status).toBe(416);
    expect((await json(await fetch(s.uploadUrl))).nextExpectedRanges).toEqual(["327680-"]);
    expect((await put(327_680, 655_359)).status).toBe(202);
    const last = await put(655_360, total - 1);
    expect(last.status).toBe(201);
    const item = await json(last);
    expect(item.size).toBe(total);
    expect(item.file.hashes.quickXorHash).toBe(hashOf(data));
    expect((await fetch(s.uploadUrl)).status).toBe(404);
  });

  test("a cancelled session is gone (DELETE 204, then 404), and a dropped fragment leaves nothing behind", async () => {
    const s = await json(await post(`drives/${driveId}/root:/cancel.bin:/createUploadSession`, {}));
    expect((await fetch(s.uploadUrl, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(s.uploadUrl)).status).toBe(404);
    const s2 = await json(await post(`drives/${driveId}/root:/drop.bin:/createUploadSession`, {}));
    // Large enough to arrive in many chunks, so the cut happens while writes are still queued.
    const size = 327_680 * 32;
    const body = bytes(size);
    const range = { "content-range": `bytes 0-${size - 1}/${size * 2}` };
    await sb.control("PUT", "/_sandbox/faults", { dropRate: 1 });
    for (let i = 0; i < 3; i++) await expect(fetch(s2.uploadUrl, { method: "PUT", headers: range, body })).rejects.toThrow();
    await sb.control("PUT", "/_sandbox/faults", {});
    expect((await json(await fetch(s2.uploadUrl))).nextExpectedRanges).toEqual(["0-"]);
    const ok = await fetch(s2.uploadUrl, { method: "PUT", headers: range, body });
    expect(ok.status).toBe(202);
    expect((await json(ok)).nextExpectedRanges).toEqual([`${size}-`]);
  });

  test("with deferCommit the file appears only after the explicit commit POST", async () => {
    const s = await json(await post(`drives/${driveId}/root:/deferred.bin:/createUploadSession`, { deferCommit: true }));
    const body = bytes(1000);
    const put = await fetch(s.uploadUrl, { method: "PUT", headers: { "content-range": "bytes 0-999/1000" }, body });
    expect(put.status).toBe(202);
    expect((await g(`drives/${driveId}/root:/deferred.bin`)).status).toBe(404);
    const commit = await fetch(s.uploadUrl, { method: "POST", headers: { "content-length": "0" } });
    expect(commit.status).toBe(201);
    expect((await json(commit)).file.hashes.quickXorHash).toBe(hashOf(body));
  });

  test("a throttled answer carries CORS headers, so a browser can read Retry-After", async () => {
    await sb.control("PUT", "/_sandbox/faults", { throttleRate: 1 });
    const r = await g("sites/root", { headers: { origin: "https://example.org" } });
    await sb.control("PUT", "/_sandbox/faults", {});
    expect([429, 503]).toContain(r.status);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-expose-headers")).toContain("Retry-After");
  });

  test("the sink stores and hashes a plain PUT", async () => {
    const body = bytes(100_000);
    const r = await fetch(`${sb.sharepoint}/_sandbox/sink`, { method: "PUT", body });
    expect(r.status).toBe(201);
    expect(await json(r)).toEqual({ size: 100_000, quickXorHash: hashOf(body) });
  });

  test("DELETE sends an item to the recycle bin and permanentDelete accepts the body null", async () => {
    const a = await json(await post(`drives/${driveId}/root/children`, { name: "to-delete", folder: {} }));
    expect((await g(`drives/${driveId}/items/${a.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await g(`drives/${driveId}/items/${a.id}`)).status).toBe(404);
    const b = await json(await post(`drives/${driveId}/root/children`, { name: "to-purge", folder: {} }));
    const r = await g(`drives/${driveId}/items/${b.id}/permanentDelete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "null",
    });
    expect(r.status).toBe(204);
    expect((await g(`drives/${driveId}/items/${b.id}`)).status).toBe(404);
  });
});

describe("$batch", () => {
  test("more than 20 requests is a 400, and a failed dependency gives 424", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/sites/root" }));
    expect((await post("$batch", { requests: many })).status).toBe(400);
    const r = await json(
      await post("$batch", {
        requests: [
          { id: "1", method: "GET", url: `/drives/${driveId}/root:/Nope` },
          { id: "2", method: "GET", url: "/sites/root", dependsOn: ["1"] },
          { id: "3", method: "GET", url: "/sites/root" },
        ],
      }),
    );
    const byId = Object.fromEntries(r.responses.map((x: { id: string; status: number }) => [x.id, x.status]));
    expect(byId).toEqual({ "1": 404, "2": 424, "3": 200 });
  });

  test("sub-requests are throttled one by one with their own 429 and Retry-After", async () => {
    await sb.control("PUT", "/_sandbox/faults", { throttleRate: 0.5 });
    let body: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let i = 0; i < 40 && !body; i++) {
      const r = await post("$batch", {
        requests: Array.from({ length: 20 }, (_, k) => ({ id: String(k), method: "GET", url: "/sites/root" })),
      });
      if (r.status === 200) body = await json(r);
      else expect(r.headers.get("retry-after")).toBeTruthy();
    }
    await sb.control("PUT", "/_sandbox/faults", {});
    const throttled = body!.responses.filter((x: { status: number }) => x.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].headers["retry-after"]).toBeTruthy();
  });
});

describe("sharing", () => {
  const folderPath = () => `drives/${driveId}/root:/${seg("Customer Data Migration")}/${seg("CAS-01001-A1B2C3")}:`;

  test("invite grants, mails the message with a link, and permissions can be listed, updated and deleted", async () => {
    const r = await post(`${folderPath()}/invite`, {
      recipients: [{ email: "jane@fabrikam.example" }],
      message: "Your backup is ready.",
      requireSignIn: true,
      sendInvitation: true,
      roles: ["write"],
    });
    expect(r.status).toBe(200);
    const perm = (await json(r)).value[0];
    expect(perm.roles).toEqual(["write"]);
    expect(perm.invitation).toEqual({ email: "jane@fabrikam.example", signInRequired: true });
    const mail = (await json(await sb.control("GET", "/_sandbox/mail"))) as unknown as { to: string[]; text: string; links: string[] }[];
    const sent = mail.find((m) => m.to.includes("jane@fabrikam.example"))!;
    expect(sent.text).toContain("Your backup is ready.");
    expect(sent.links[0]).toContain(`${sb.app}/guest/`);
    const list = (await json(await g(`${folderPath()}/permissions`))).value as { id: string; inheritedFrom?: unknown }[];
    expect(list.find((p) => p.id === perm.id)?.inheritedFrom).toBeUndefined();
    const inherited = list.find((p) => p.inheritedFrom)!;
    expect(inherited).toBeDefined();
    const again = await json(
      await post(`${folderPath()}/invite`, {
        recipients: [{ email: "Jane@fabrikam.example" }],
        requireSignIn: true,
        sendInvitation: false,
        roles: ["read"],
      }),
    );
    expect(again.value[0].id).toBe(perm.id);
    const patched = await g(`${folderPath()}/permissions/${perm.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ roles: ["write"] }),
    });
    expect((await json(patched)).roles).toEqual(["write"]);
    expect((await g(`${folderPath()}/permissions/${inherited.id}`, { method: "DELETE" })).status).toBe(400);
    expect((await g(`${folderPath()}/permissions/${perm.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await g(`${folderPath()}/permissions/${perm.id}`)).status).toBe(404);
  });

  test("invite refuses bad requests: both flags false, a message over 2,000 characters, a bad address", async () => {
    const base = { recipients: [{ email: "x@fabrikam.example" }], requireSignIn: true, sendInvitation: false, roles: ["read"] };
    expect((await post(`${folderPath()}/invite`, { ...base, requireSignIn: false })).status).toBe(400);
    expect((await post(`${folderPath()}/invite`, { ...base, message: "x".repeat(2001) })).status).toBe(400);
    expect((await post(`${folderPath()}/invite`, { ...base, recipients: [{ email: "not-an-address" }] })).status).toBe(400);
  });

  test("tenant policy: a blocked domain gives 207 with notAllowed for that recipient; external sharing off gives 400 secureSharingInvalidRequest", async () => {
    await sb.control("PUT", "/_sandbox/policy", { blockedDomains: ["blocked.example"] });
    const r = await post(`${folderPath()}/invite`, {
      recipients: [{ email: "ok@fabrikam.example" }, { email: "no@blocked.example" }],
      requireSignIn: true,
      sendInvitation: false,
      roles: ["read"],
    });
    expect(r.status).toBe(207);
    const value = (await json(r)).value;
    expect(value[0].id).toBeTruthy();
    expect(value[1].error.code).toBe("notAllowed");
    await sb.control("PUT", "/_sandbox/policy", { blockedDomains: [], externalSharing: false });
    const off = await post(`${folderPath()}/invite`, {
      recipients: [{ email: "ok@fabrikam.example" }],
      requireSignIn: true,
      sendInvitation: false,
      roles: ["read"],
    });
    expect(off.status).toBe(400);
    expect((await json(off)).error.innerError.code).toBe("secureSharingInvalidRequest");
    await sb.control("PUT", "/_sandbox/policy", { externalSharing: true });
  });

  test("createLink is refused for anonymous and organization scopes", async () => {
    for (const scope of ["anonymous", "organization"]) {
      const r = await post(`${folderPath()}/createLink`, { type: "view", scope });
      expect(r.status).toBe(403);
    }
  });

  test("a guest sees only what was shared with them, and 403 elsewhere", async () => {
    const guest = await sb.token({ guest: "tom.baker@northwind.example" });
    const shared = `drives/${driveId}/root:/${seg("External Data Transfer")}/CAS-01004-K1L2M3:`;
    expect((await g(shared, { token: guest })).status).toBe(200);
    const kids = await json(await g(`${shared}/children`, { token: guest }));
    expect(kids.value.map((x: { name: string }) => x.name)).toEqual(["error-log.txt"]);
    const perms = (await json(await g(`${shared}/permissions`, { token: guest }))).value;
    expect(perms).toHaveLength(1);
    expect((await g(`drives/${driveId}/root:/${seg("Customer Data Migration")}/CAS-01003-G7H8J9:`, { token: guest })).status).toBe(403);
    expect((await g("sites/root", { token: guest })).status).toBe(403);
    const supervisor = await sb.token({ user: "supervisor", resource: "graph" });
    expect((await post(`drives/${driveId}/root/children`, { name: "nope", folder: {} }, supervisor)).status).toBe(403);
  });
});
