import { quickXorHash } from "../../src/adapters/graph/quickXorHash";
import { isGraphError } from "../../src/adapters/graph/GraphError";
import {
  type AdapterTarget,
  clearRequestLog,
  liveTarget,
  memoryFile,
  missingLiveVars,
  pseudoRandom,
  requestLog,
  sandboxTarget,
  setFaults,
} from "./graph-adapter.target";

jest.setTimeout(180_000);

const missing = missingLiveVars();
if (missing.length > 0) {
  // Said plainly, once: the sandbox run below is not a tenant run.
  console.log(`Live tenant tests skipped: set ${missing.join(", ")} to run the Graph adapter against a real tenant too.`);
}
const targets: Array<[string, () => Promise<AdapterTarget> | AdapterTarget]> = [["sandbox", sandboxTarget]];
if (missing.length === 0) targets.push(["live tenant", liveTarget]);

describe.each(targets)("the Graph DocumentLibrary adapter against the %s", (_name, make) => {
  let t: AdapterTarget;
  beforeAll(async () => {
    t = await make();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("creates a folder path once and adopts it the second time, never renaming", async () => {
    const path = `${t.root}/Customer Data Migration/CAS-01234-A1B2C3`;
    const first = await t.library.ensureFolder(path);
    expect(first).toMatchObject({ created: true, path });
    const again = await t.library.ensureFolder(path);
    expect(again).toMatchObject({ created: false, itemId: first.itemId });
    const siblings = await t.library.listFolders(`${t.root}/Customer Data Migration`);
    expect(siblings.map((f) => f.path)).toEqual([path]);
    await expect(t.library.findFolder(`${t.root}/nothing here`)).resolves.toBeNull();
  });

  it("lists the files it uploaded, recursively, with size, author, dates and the same quickXorHash", async () => {
    const folder = await t.library.ensureFolder(`${t.root}/files/CAS-1`);
    const sub = await t.library.ensureFolder(`${t.root}/files/CAS-1/sub`);
    const small = pseudoRandom(1000, 3);
    const large = pseudoRandom(6 * 1024 * 1024 + 17, 4);
    const r1 = await t.uploader.upload(folder, memoryFile("small.txt", small));
    const r2 = await t.uploader.upload(sub, memoryFile("large.bin", large));
    expect([r1.verdict, r2.verdict]).toEqual(["verified", "verified"]);
    const files = await t.library.listFiles(folder);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(byPath.get("small.txt")).toMatchObject({ size: 1000, quickXorHash: quickXorHash(small), createdBy: expect.any(String) });
    expect(byPath.get("sub/large.bin")).toMatchObject({ size: large.length, quickXorHash: quickXorHash(large) });
    expect(byPath.get("small.txt")!.createdOn.getTime()).toBeGreaterThan(0);
  });

  it("refuses to overwrite an existing file unless the caller says so", async () => {
    const folder = await t.library.ensureFolder(`${t.root}/conflict`);
    await t.uploader.upload(folder, memoryFile("a.txt", pseudoRandom(10, 1)));
    const err = await t.uploader.upload(folder, memoryFile("a.txt", pseudoRandom(10, 2))).catch((e: unknown) => e);
    expect(isGraphError(err) && err.status).toBe(409);
    await expect(t.uploader.upload(folder, memoryFile("a.txt", pseudoRandom(10, 2)), { conflict: "replace" })).resolves.toMatchObject({
      verdict: "verified",
    });
  });

  it("invites with the message, lists the permission and removes it", async () => {
    const folder = await t.library.ensureFolder(`${t.root}/share/CAS-2`);
    const message = `Your backup is ready for 30 days (${t.root}).`;
    const [outcome] = await t.library.invite(folder, { recipients: [t.recipient], role: "write", message });
    expect(outcome).toMatchObject({ email: t.recipient, permissionId: expect.any(String) });
    const perms = await t.library.listPermissions(folder);
    const mine = perms.find((p) => p.id === outcome.permissionId);
    expect(mine).toMatchObject({ inherited: false, isLink: false, roles: ["write"] });
    if (t.sandbox) {
      const mail = (await (await fetch(`${t.sandbox.origins.app}/_sandbox/mail`)).json()) as Array<{ to: string[]; text: string }>;
      expect(mail.some((m) => m.to.includes(t.recipient) && m.text.includes(message))).toBe(true);
    }
    await t.library.removePermission(folder, outcome.permissionId!);
    await t.library.removePermission(folder, outcome.permissionId!); // already gone: fine
    expect((await t.library.listPermissions(folder)).some((p) => p.id === outcome.permissionId)).toBe(false);
  });

  it("reads several folders in one Graph request", async () => {
    const a = await t.library.ensureFolder(`${t.root}/snap/CAS-A`);
    await t.library.ensureFolder(`${t.root}/snap/CAS-B`);
    await t.uploader.upload(a, memoryFile("x.txt", pseudoRandom(5, 9)));
    if (t.sandbox) await clearRequestLog(t.sandbox);
    const snap = await t.library.snapshot([`${t.root}/snap/CAS-A`, `${t.root}/snap/CAS-B`, `${t.root}/snap/CAS-none`]);
    expect(snap.map((s) => [s.path.split("/").pop(), s.folder ? "folder" : null, s.files.map((f) => f.name)])).toEqual([
      ["CAS-A", "folder", ["x.txt"]],
      ["CAS-B", "folder", []],
      ["CAS-none", null, []],
    ]);
    if (t.sandbox) {
      const graphCalls = (await requestLog(t.sandbox)).filter((r) => r.origin === t.sandbox!.origins.graph);
      expect(graphCalls.map((r) => `${r.method} ${r.path.replace(/\?.*$/, "")}`)).toEqual(["POST /v1.0/$batch"]);
    }
  });

  it("deletes folders to the recycle bin or permanently, and a second delete is harmless", async () => {
    const soft = await t.library.ensureFolder(`${t.root}/del/soft`);
    const hard = await t.library.ensureFolder(`${t.root}/del/hard`);
    await t.library.deleteFolder(soft, { permanent: false });
    await t.library.deleteFolder(hard, { permanent: true });
    await t.library.deleteFolder(hard, { permanent: true });
    await expect(t.library.findFolder(soft.path)).resolves.toBeNull();
    await expect(t.library.findFolder(hard.path)).resolves.toBeNull();
  });
});

describe("the Graph adapter under the sandbox's fault switch", () => {
  let t: AdapterTarget;
  beforeAll(async () => {
    t = await sandboxTarget();
    await t.library.resolve();
  });
  afterAll(async () => {
    await setFaults(t.sandbox!, {});
    await t.stop();
  });

  it("completes everything with 10% throttling and makes no duplicate folder, permission or file", async () => {
    const sb = t.sandbox!;
    await setFaults(sb, { throttleRate: 0.1 });
    const cases = ["CAS-1", "CAS-2", "CAS-3", "CAS-4"].map((c) => `${t.root}/throttle/${c}`);
    // The same folders asked for concurrently and twice over: each must exist exactly once.
    const folders = await Promise.all([...cases, ...cases].map((p) => t.library.ensureFolder(p)));
    expect(new Set(folders.map((f) => f.itemId)).size).toBe(cases.length);
    const uploads = await Promise.all(
      folders
        .slice(0, cases.length)
        .map((f, i) => t.uploader.upload(f, memoryFile(`file-${i}.bin`, pseudoRandom(i === 0 ? 6 * 1024 * 1024 : 2000 + i, i)))),
    );
    expect(uploads.map((u) => u.verdict)).toEqual(["verified", "verified", "verified", "verified"]);
    for (const f of folders.slice(0, 2)) await t.library.invite(f, { recipients: [t.recipient], role: "read", message: "Files for you." });
    await t.library.invite(folders[0], { recipients: [t.recipient], role: "read", message: "Again." });
    const snap = await t.library.snapshot(cases);
    const log = await requestLog(sb);
    await setFaults(sb, {});

    expect(log.some((r) => r.status === 429 || r.status === 503)).toBe(true);
    const listed = await t.library.listFolders(`${t.root}/throttle`);
    expect(listed.map((f) => f.path).sort()).toEqual([...cases].sort());
    for (const [i, s] of snap.entries()) {
      expect(s.files.map((f) => f.name)).toEqual([`file-${i}.bin`]);
      const invited = s.permissions.filter((p) => p.email === t.recipient.toLowerCase());
      expect(invited.length).toBe(i < 2 ? 1 : 0);
    }
  });
});
