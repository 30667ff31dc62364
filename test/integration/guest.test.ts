import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { startGraphTestSandbox } from "./graphSandbox";

jest.setTimeout(60_000);

let sb: StandaloneSandbox;
let driveId: string;
let agent: string;

interface Mail {
  to: string[];
  subject: string;
  text: string;
  links: string[];
}

const form = (data: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(data).toString(),
  redirect: "manual" as const,
});
const mails = async () => (await (await sb.control("GET", "/_sandbox/mail")).json()) as Mail[];
const lastCode = async (email: string) => {
  const m = (await mails()).filter((x) => x.to.includes(email) && /verification code/.test(x.subject)).pop();
  return /code (\d{6})/.exec(m?.text ?? "")?.[1] ?? "";
};
const graph = (path: string, init: RequestInit = {}) =>
  fetch(`${sb.graph}/v1.0/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${agent}`, "content-type": "application/json", ...(init.headers as object) },
  });

async function share(folder: string, email: string, role: "read" | "write"): Promise<string> {
  await graph(`drives/${driveId}/root:/${folder}:/invite`, {
    method: "POST",
    body: JSON.stringify({
      recipients: [{ email }],
      message: "Here are your files.",
      requireSignIn: true,
      sendInvitation: true,
      roles: [role],
    }),
  });
  const m = (await mails()).filter((x) => x.to.includes(email) && x.links.length).pop()!;
  return m.links[0];
}

async function signIn(link: string, email: string): Promise<string> {
  const action = link.replace(/\/?$/, "");
  await fetch(`${action}/code`, form({ email }));
  const r = await fetch(`${action}/verify`, form({ email, code: await lastCode(email) }));
  expect(r.status).toBe(303);
  return (r.headers.get("set-cookie") ?? "").split(";")[0];
}

beforeAll(async () => {
  sb = await startGraphTestSandbox();
  agent = await sb.token({ user: "agent", resource: "graph" });
  driveId = ((await (await graph("sites/root/drive")).json()) as { id: string }).id;
});
afterAll(() => sb.stop());

test("a guest with the invitation and the mailed code sees only the shared folder and can download its files", async () => {
  const email = "ann@fabrikam.example";
  const link = await share("Customer Data Migration/CAS-01002-D4E5F6", email, "read");
  const open = await fetch(link);
  expect(open.status).toBe(200);
  expect(await open.text()).toContain("CAS-01002-D4E5F6");
  const cookie = await signIn(link, email);
  const folderUrl = (await fetch(`${link}`, { headers: { cookie }, redirect: "manual" })).headers.get("location")!;
  const folder = await fetch(sb.app + folderUrl, { headers: { cookie } });
  const page = await folder.text();
  expect(page).toContain("backup-2026-11-20.zip");
  expect(page).not.toContain("Upload files");
  const fileHref = /href="(\/guest\/file\/[^"]+)"/.exec(page)![1];
  const download = await fetch(sb.app + fileHref, { headers: { cookie } });
  expect(download.status).toBe(200);
  expect((await download.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024 + 17);
  const other = ((await (await graph(`drives/${driveId}/root:/Customer Data Migration/CAS-01003-G7H8J9`)).json()) as { id: string }).id;
  const refused = await fetch(`${sb.app}/guest/folder/${other}`, { headers: { cookie } });
  expect(refused.status).toBe(403);
  expect(await refused.text()).not.toContain("mailbox-export.pst");
  const upload = await fetch(`${sb.app}${folderUrl}/upload?name=x.txt`, { method: "PUT", headers: { cookie }, body: "hello" });
  expect(upload.status).toBe(403);
});

test("a guest with write access uploads into the shared folder, and the file is in SharePoint with its hash", async () => {
  const email = "bob@northwind.example";
  const link = await share("External Data Transfer/CAS-01004-K1L2M3", email, "write");
  const cookie = await signIn(link, email);
  const folderUrl = (await fetch(link, { headers: { cookie }, redirect: "manual" })).headers.get("location")!;
  const r = await fetch(`${sb.app}${folderUrl}/upload?name=logs.txt`, { method: "PUT", headers: { cookie }, body: "the logs" });
  expect(r.status).toBe(201);
  const item = (await (await graph(`drives/${driveId}/root:/External Data Transfer/CAS-01004-K1L2M3/logs.txt`)).json()) as {
    size: number;
    createdBy: { user: { email: string } };
  };
  expect(item.size).toBe(8);
  expect(item.createdBy.user.email).toBe(email);
});

test("a guest uploads a folder: its sub-folders are created as the guest and the files land inside them", async () => {
  const email = "bob@northwind.example";
  const link = await share("External Data Transfer/CAS-01004-K1L2M3", email, "write");
  const cookie = await signIn(link, email);
  const folderUrl = (await fetch(link, { headers: { cookie }, redirect: "manual" })).headers.get("location")!;
  for (const [path, body] of [
    ["old-pc/logs/system.log", "boot ok"],
    ["old-pc/logs/app.log", "app ok"],
    ["old-pc/readme.txt", "hello"],
  ]) {
    const r = await fetch(`${sb.app}${folderUrl}/upload?path=${encodeURIComponent(path!)}`, { method: "PUT", headers: { cookie }, body });
    expect(r.status).toBe(201);
  }
  const logs = (await (await graph(`drives/${driveId}/root:/External Data Transfer/CAS-01004-K1L2M3/old-pc/logs:/children`)).json()) as {
    value: { name: string; size: number; createdBy: { user: { email: string } } }[];
  };
  expect(logs.value.map((i) => i.name).sort()).toEqual(["app.log", "system.log"]);
  expect(logs.value.every((i) => i.createdBy.user.email === email)).toBe(true);
  const folder = (await (await graph(`drives/${driveId}/root:/External Data Transfer/CAS-01004-K1L2M3/old-pc`)).json()) as {
    folder: { childCount: number };
    createdBy: { user: { email: string } };
  };
  expect(folder.folder.childCount).toBe(2);
  expect(folder.createdBy.user.email).toBe(email);
  // A path that climbs out, or names SharePoint refuses, are refused with nothing written.
  for (const bad of ["../CAS-01003-G7H8J9/x.txt", "old-pc/a:b.txt", "old-pc//", ""]) {
    const r = await fetch(`${sb.app}${folderUrl}/upload?path=${encodeURIComponent(bad)}`, {
      method: "PUT",
      headers: { cookie },
      body: "x",
    });
    expect(r.status).toBe(400);
  }
});

test("another person's address, a wrong code, an expired code and no session are refused with nothing shown", async () => {
  const email = "cy@fabrikam.example";
  const link = await share("Customer Data Migration/CAS-01001-A1B2C3", email, "read");
  const before = (await mails()).length;
  const wrongPerson = await fetch(`${link}/code`, form({ email: "mallory@evil.example" }));
  expect(wrongPerson.status).toBe(403);
  expect(await wrongPerson.text()).toContain("not sent to that address");
  expect((await mails()).length).toBe(before);
  await fetch(`${link}/code`, form({ email }));
  const code = await lastCode(email);
  const wrong = await fetch(`${link}/verify`, form({ email, code: code === "000000" ? "111111" : "000000" }));
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get("set-cookie")).toBeNull();
  await sb.control("POST", "/_sandbox/clock", { advanceDays: 1, sweep: false });
  const expired = await fetch(`${link}/verify`, form({ email, code }));
  expect(expired.status).toBe(401);
  expect(await expired.text()).toContain("expired");
  const anon = await fetch(`${sb.app}/guest/folder/anything`);
  expect(anon.status).toBe(401);
});

test("a revoked invitation's link no longer opens", async () => {
  const email = "dee@fabrikam.example";
  const link = await share("Customer Data Migration/CAS-01001-A1B2C3", email, "read");
  const id = link.split("/").pop()!;
  await graph(`drives/${driveId}/root:/Customer Data Migration/CAS-01001-A1B2C3:/permissions/${id}`, { method: "DELETE" });
  const r = await fetch(link);
  expect(r.status).toBe(404);
  expect(await r.text()).toContain("no longer valid");
});
