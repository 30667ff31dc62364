import { createGraph } from "../../../src/adapters/graph/createGraph";
import { FRAGMENT_UNIT } from "../../../src/adapters/graph/fragmentSizing";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { GraphUploader } from "../../../src/adapters/graph/GraphUploader";
import { MemoryStore } from "../../../src/adapters/graph/KeyValueStore";
import { quickXorHash } from "../../../src/adapters/graph/quickXorHash";
import type { UploadProgress, UploadSource } from "../../../src/ports/Uploader";
import { fakeUploadServer } from "./fakeUploadServer";
import { staticTokens } from "./fakeFetch";

const folder = { driveId: "d", itemId: "folder", path: "R/CAS-1", webUrl: "", createdOn: new Date() };
const sizing = { min: FRAGMENT_UNIT, max: 4 * FRAGMENT_UNIT, targetSeconds: 1 };

function fileOf(name: string, size: number, seed = 1): UploadSource & { bytes: Uint8Array } {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  const blob = new Blob([bytes]);
  return { name, size, lastModified: 1_700_000_000_000, slice: (a, b) => blob.slice(a, b), bytes };
}

function setup(server: ReturnType<typeof fakeUploadServer>, store = new MemoryStore()) {
  const noWait = async () => undefined;
  const graph = new GraphClient(
    createGraph({
      graphEndpoint: "https://graph.example.test",
      tokens: staticTokens,
      scopes: ["x"],
      fetch: server.fetch,
      retry: { sleep: noWait },
    }),
  );
  const uploader = new GraphUploader({ graph, fetch: server.fetch, store, sizing, singlePutLimit: 64 * 1024, sleep: noWait });
  return { uploader, store };
}

describe("GraphUploader", () => {
  it("sends a small file in one PUT that refuses to overwrite, and verifies its hash", async () => {
    const server = fakeUploadServer();
    const { uploader } = setup(server);
    const file = fileOf("notes.txt", 1000);
    const result = await uploader.upload(folder, file);
    expect(result).toMatchObject({
      name: "notes.txt",
      size: 1000,
      verdict: "verified",
      localHash: quickXorHash(file.bytes),
      resumedFrom: 0,
    });
    expect(server.fetch.requests.map((r) => r.method)).toEqual(["PUT"]);
    expect(server.fetch.requests[0].url).toContain("conflictBehavior=fail");
  });

  it("uploads an empty file with a single PUT", async () => {
    const server = fakeUploadServer();
    const { uploader } = setup(server);
    await expect(uploader.upload(folder, fileOf("empty.bin", 0))).resolves.toMatchObject({
      size: 0,
      verdict: "verified",
      localHash: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    });
  });

  it("uploads a large file in 320 KiB-multiple fragments with no Authorization header on the upload URL", async () => {
    const server = fakeUploadServer();
    const { uploader, store } = setup(server);
    const file = fileOf("backup.bak", 10 * FRAGMENT_UNIT + 12345);
    const progress: UploadProgress[] = [];
    const result = await uploader.upload(folder, file, { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ verdict: "verified", size: file.size });
    const fragments = server.fetch.requests.filter((r) => r.url.startsWith("https://sp.example.test/upload/"));
    expect(fragments.length).toBeGreaterThan(2);
    for (const f of fragments) expect(f.headers["authorization"]).toBeUndefined();
    expect(Object.keys(fragments[0].headers).sort()).toEqual(["content-range"]);
    expect(progress.at(-1)).toMatchObject({ bytesDone: file.size, totalBytes: file.size, secondsLeft: expect.any(Number) });
    expect(progress.map((p) => p.bytesDone)).toEqual([...progress.map((p) => p.bytesDone)].sort((a, b) => a - b));
    expect(store.get(`upload:d/folder/backup.bak|${file.size}|${file.lastModified}`)).toBeNull();
    expect(quickXorHash(server.files.get("backup.bak")!.bytes)).toBe(quickXorHash(file.bytes));
  });

  it("resumes after a dropped connection without resending fragments SharePoint already has", async () => {
    const server = fakeUploadServer({ dropAfter: [2], dropBefore: [4] });
    const { uploader } = setup(server);
    const file = fileOf("backup.bak", 9 * FRAGMENT_UNIT + 7);
    const result = await uploader.upload(folder, file);
    expect(result.verdict).toBe("verified");
    const accepted = server.puts.filter((p) => p.accepted).map((p) => p.start);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(server.puts.filter((p) => !p.accepted)).toHaveLength(1); // only the fragment that never arrived went twice
    expect(quickXorHash(server.files.get("backup.bak")!.bytes)).toBe(quickXorHash(file.bytes));
  });

  it("sends the fragment again when the status check after a drop fails too, and SharePoint's 416 sets it right", async () => {
    const server = fakeUploadServer({ dropAfter: [2], dropStatus: [1, 2, 3, 4, 5, 6] });
    const { uploader } = setup(server);
    const file = fileOf("backup.bak", 6 * FRAGMENT_UNIT + 1);
    await expect(uploader.upload(folder, file)).resolves.toMatchObject({ verdict: "verified" });
    expect(server.puts.filter((p) => !p.accepted)).toHaveLength(1); // the resend of what had arrived: a 416
  });

  it("takes the file as done when the committing fragment's answer and the status check are both lost (the resend meets a 404)", async () => {
    const server = fakeUploadServer({ dropAfter: [2], dropStatus: [1] });
    const { uploader } = setup(server);
    const file = fileOf("backup.bak", FRAGMENT_UNIT + 7);
    await expect(uploader.upload(folder, file)).resolves.toMatchObject({ verdict: "verified" });
    expect(quickXorHash(server.files.get("backup.bak")!.bytes)).toBe(quickXorHash(file.bytes));
    expect(server.sessions.size).toBe(0);
  });

  it("continues after a reload from the saved upload URL and still hashes the whole file", async () => {
    const server = fakeUploadServer();
    const store = new MemoryStore();
    const file = fileOf("backup.bak", 8 * FRAGMENT_UNIT + 99);
    const pause = new AbortController();
    const first = setup(server, store).uploader;
    const paused = first.upload(folder, file, {
      signal: pause.signal,
      onProgress: (p) => p.bytesDone >= 3 * FRAGMENT_UNIT && pause.abort(),
    });
    await expect(paused).rejects.toMatchObject({ name: "GraphError", code: "aborted" });
    const second = setup(server, store).uploader; // a new page: only the storage survives
    await expect(second.pending(folder, file)).resolves.toEqual({ bytesDone: expect.any(Number) });
    const result = await second.upload(folder, file);
    expect(result.resumedFrom).toBeGreaterThanOrEqual(3 * FRAGMENT_UNIT);
    expect(result.verdict).toBe("verified");
    expect(result.localHash).toBe(quickXorHash(file.bytes));
    expect(server.fetch.requests.filter((r) => r.url.endsWith("createUploadSession"))).toHaveLength(1);
  });

  it("tells a later page which uploads into a folder stopped, with the bytes SharePoint confirmed, until they finish", async () => {
    const server = fakeUploadServer();
    const store = new MemoryStore();
    const file = fileOf("backup.bak", 8 * FRAGMENT_UNIT + 99);
    const pause = new AbortController();
    let confirmed = 0;
    await expect(
      setup(server, store).uploader.upload(folder, file, {
        signal: pause.signal,
        onProgress: (p) => ((confirmed = p.bytesDone), p.bytesDone >= 3 * FRAGMENT_UNIT && pause.abort()),
      }),
    ).rejects.toMatchObject({ code: "aborted" });
    const later = setup(server, store).uploader; // a new page: only the storage survives
    await expect(later.unfinished(folder)).resolves.toEqual([{ name: "backup.bak", size: file.size, bytesDone: confirmed }]);
    await expect(later.unfinished({ ...folder, itemId: "another" })).resolves.toEqual([]);
    await later.upload(folder, file);
    await expect(later.unfinished(folder)).resolves.toEqual([]);
  });

  it("cancels an interrupted upload by deleting its session", async () => {
    const server = fakeUploadServer();
    const { uploader } = setup(server);
    const file = fileOf("backup.bak", 8 * FRAGMENT_UNIT);
    const pause = new AbortController();
    await expect(
      uploader.upload(folder, file, { signal: pause.signal, onProgress: (p) => p.bytesDone > 0 && pause.abort() }),
    ).rejects.toMatchObject({ code: "aborted" });
    expect(server.sessions.size).toBe(1);
    await uploader.cancel(folder, file);
    expect(server.sessions.size).toBe(0);
    await expect(uploader.pending(folder, file)).resolves.toBeNull();
  });

  it("never overwrites an existing file unless told to", async () => {
    const server = fakeUploadServer({ existing: ["backup.bak", "small.txt"] });
    const { uploader } = setup(server);
    const big = fileOf("backup.bak", 5 * FRAGMENT_UNIT);
    await expect(uploader.upload(folder, big)).rejects.toMatchObject({ name: "GraphError", code: "nameAlreadyExists", status: 409 });
    await expect(uploader.upload(folder, fileOf("small.txt", 10))).rejects.toMatchObject({ code: "nameAlreadyExists" });
    await expect(uploader.upload(folder, big, { conflict: "replace" })).resolves.toMatchObject({ verdict: "verified" });
  });

  it("takes an identical file already in the folder as this upload done (its last answer was lost), not as a conflict", async () => {
    const server = fakeUploadServer();
    const file = fileOf("backup.bak", 5 * FRAGMENT_UNIT);
    await setup(server).uploader.upload(folder, file);
    // A new run (Resume after the answer to the committing fragment was lost) meets the name taken by itself.
    await expect(setup(server).uploader.upload(folder, file)).resolves.toMatchObject({ verdict: "verified" });
    // A different file under the same name is still a conflict.
    await expect(setup(server).uploader.upload(folder, fileOf("backup.bak", 6 * FRAGMENT_UNIT))).rejects.toMatchObject({
      code: "nameAlreadyExists",
    });
  });

  it("reports Office documents SharePoint rewrote as modified by SharePoint, and other mismatches as errors", async () => {
    const server = fakeUploadServer({ rewrite: true });
    const { uploader } = setup(server);
    await expect(uploader.upload(folder, fileOf("Report.DOCX", 5 * FRAGMENT_UNIT))).resolves.toMatchObject({
      verdict: "modifiedBySharePoint",
    });
    await expect(uploader.upload(folder, fileOf("backup.zip", 5 * FRAGMENT_UNIT))).rejects.toMatchObject({
      name: "GraphError",
      code: "hashMismatch",
    });
  });
  it("says the file cannot be read any more, instead of retrying a network error, when it is moved half-way", async () => {
    class UnreadableBlob extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new DOMException("A requested file could not be read.", "NotReadableError"));
      }
    }
    const server = fakeUploadServer();
    const { uploader } = setup(server);
    const source = fileOf("moved.bak", 3 * FRAGMENT_UNIT + 5);
    const movedAt = FRAGMENT_UNIT;
    const file = { ...source, slice: (a = 0, b = source.size) => (b > movedAt ? new UnreadableBlob([]) : source.slice(a, b)) };
    await expect(uploader.upload(folder, file)).rejects.toMatchObject({ name: "GraphError", code: "fileUnreadable" });
    // The first fragment went; nothing was retried against a file that is gone.
    expect(server.puts.filter((p) => p.accepted)).toHaveLength(1);
  });
});
