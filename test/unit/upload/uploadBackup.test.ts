import { prepareFolder } from "../../../src/app/prepareFolder";
import { BackupUpload, integrityOf, type ConflictAnswer, type LocalFile, type UploadSnapshot } from "../../../src/app/uploadBackup";
import { FileIntegrity } from "../../../src/model";
import { FakeCrm, FakeLibrary, FakeUploader, fixedClock, ports, specialist, ticket } from "../ticket/fakes";

const file = (relativePath: string, size: number): LocalFile => ({
  file: new Blob([]),
  relativePath,
  size,
  lastModified: 1_700_000_000_000,
});

async function setUp(files: LocalFile[], askConflict: (p: string) => Promise<ConflictAnswer> = async () => "skip") {
  const crm = new FakeCrm();
  const library = new FakeLibrary();
  const { exchange } = await prepareFolder(ports(crm, library), ticket, specialist);
  const folder = (await library.findFolder(exchange.folderPath))!;
  const uploader = new FakeUploader(library);
  const asked: string[] = [];
  const upload = new BackupUpload(
    { crm, tickets: crm, library, uploader, clock: fixedClock() },
    { exchange, folder, user: specialist, askConflict: (p) => (asked.push(p), askConflict(p)) },
    files,
  );
  const snapshots: UploadSnapshot[] = [];
  upload.subscribe((s) => snapshots.push(s));
  return { crm, library, uploader, upload, exchange, asked, snapshots };
}

const storedAt = (path: string) => ({
  itemId: `old-${path}`,
  name: path,
  path,
  size: 1,
  createdOn: new Date(),
  modifiedOn: new Date(),
  webUrl: "",
  folderPath: "Customer Data Migration/CAS-01234-A1B2C3",
});

const states = (u: BackupUpload) => u.snapshot().files.map((f) => [f.relativePath, f.state.kind]);

describe("BackupUpload", () => {
  it("uploads every file with its folder structure and writes a verified receipt for each", async () => {
    const { upload, crm, library } = await setUp([file("backup/disk1.img", 450), file("backup/logs/a.txt", 20)]);
    await upload.start();
    expect(states(upload)).toEqual([
      ["backup/disk1.img", "done"],
      ["backup/logs/a.txt", "done"],
    ]);
    expect([...library.files.keys()]).toEqual([
      "customer data migration/cas-01234-a1b2c3/backup/disk1.img",
      "customer data migration/cas-01234-a1b2c3/backup/logs/a.txt",
    ]);
    expect(crm.receipts).toEqual([
      expect.objectContaining({
        path: "backup/disk1.img",
        size: 450,
        quickXorHash: "h450",
        integrity: FileIntegrity.verified,
        uploadedBy: "user-specialist",
      }),
      expect.objectContaining({ path: "backup/logs/a.txt", size: 20, integrity: FileIntegrity.verified }),
    ]);
  });

  it("keeps the exchange's file count and total size in step with the receipts", async () => {
    const { upload, crm } = await setUp([file("a.bin", 300), file("b.bin", 200)]);
    await upload.start();
    expect(crm.exchanges[0]).toMatchObject({ fileCount: 2, totalBytes: 500 });
  });

  it("uploads an empty file", async () => {
    const { upload, crm } = await setUp([file("empty.txt", 0)]);
    await upload.start();
    expect(states(upload)).toEqual([["empty.txt", "done"]]);
    expect(crm.receipts[0]).toMatchObject({ size: 0, integrity: FileIntegrity.verified });
  });

  it("turns away refused names and over-limit files before any byte is sent, with the reason", async () => {
    const { upload, uploader } = await setUp([file("bad:name.txt", 5), file("huge.vhdx", 251 * 1024 ** 3), file("ok.txt", 5)]);
    expect(upload.snapshot().files.map((f) => f.state)).toEqual([
      { kind: "rejected", reason: expect.stringContaining('":", which SharePoint does not allow') },
      { kind: "rejected", reason: expect.stringContaining("SharePoint accepts files up to 250 GB") },
      { kind: "queued" },
    ]);
    await upload.start();
    expect(uploader.requests.map((r) => r.path)).toEqual(["ok.txt"]);
    expect(upload.snapshot().overall.totalBytes).toBe(5);
  });

  it("asks before overwriting a file that is already in the folder, and skips it when told to", async () => {
    const { upload, library, uploader, asked } = await setUp([file("a.bin", 10)], async () => "skip");
    library.files.set("customer data migration/cas-01234-a1b2c3/a.bin", storedAt("a.bin"));
    await upload.start();
    expect(asked).toEqual(["a.bin"]);
    expect(uploader.requests).toEqual([]);
    expect(states(upload)).toEqual([["a.bin", "skipped"]]);
  });

  it("replaces an existing file when the user says so", async () => {
    const { upload, library, uploader } = await setUp([file("a.bin", 10)], async () => "replace");
    library.files.set("customer data migration/cas-01234-a1b2c3/a.bin", storedAt("a.bin"));
    await upload.start();
    expect(uploader.requests).toEqual([{ path: "a.bin", from: 0, replace: true }]);
  });

  it("asks once for all files when the answer is 'replace all'", async () => {
    const { upload, library, asked } = await setUp([file("a.bin", 1), file("b.bin", 1)], async () => "replaceAll");
    for (const n of ["a.bin", "b.bin"]) library.files.set(`customer data migration/cas-01234-a1b2c3/${n}`, storedAt(n));
    await upload.start();
    expect(asked).toEqual(["a.bin"]);
    expect(states(upload)).toEqual([
      ["a.bin", "done"],
      ["b.bin", "done"],
    ]);
  });

  it("asks when SharePoint says the name was taken since the folder was listed", async () => {
    const { upload, uploader, asked } = await setUp([file("a.bin", 10)], async () => "replace");
    uploader.failNext.set("a.bin", Object.assign(new Error("exists"), { code: "nameAlreadyExists" }));
    await upload.start();
    expect(asked).toEqual(["a.bin"]);
    expect(uploader.requests.map((r) => r.replace)).toEqual([false, true]);
  });

  it("pauses and resumes from where SharePoint stopped, without sending finished fragments again", async () => {
    const { upload, uploader } = await setUp([file("big.img", 1000)]);
    const unsubscribe = upload.subscribe((s) => {
      if (s.files[0].bytesSent >= 300 && s.running) upload.pause();
    });
    await upload.start();
    unsubscribe();
    expect(states(upload)).toEqual([["big.img", "paused"]]);
    const resumedAt = uploader.offsets.get("big.img")!;
    expect(resumedAt).toBeGreaterThanOrEqual(300);
    await upload.start();
    expect(uploader.requests.map((r) => r.from)).toEqual([0, resumedAt]);
    expect(states(upload)).toEqual([["big.img", "done"]]);
  });

  it("shows a failed file with its reason and retries it on the next start", async () => {
    const { upload, uploader } = await setUp([file("a.bin", 10)]);
    uploader.failNext.set("a.bin", new Error("The connection to Microsoft Graph or SharePoint failed."));
    await upload.start();
    expect(upload.snapshot().files[0].state).toMatchObject({
      kind: "failed",
      reason: "The connection to Microsoft Graph or SharePoint failed.",
    });
    await upload.start();
    expect(states(upload)).toEqual([["a.bin", "done"]]);
  });

  it("shows a file whose receipt could not be written as failed, and the next start writes the receipt without sending the file again", async () => {
    const { upload, uploader, crm } = await setUp([file("a.bin", 10), file("b.bin", 20)]);
    crm.failOnce.set(
      "addReceipt",
      Object.assign(new Error("Dataverse answered 503."), { name: "DataverseError", code: "failed", status: 503 }),
    );
    await upload.start();
    expect(upload.snapshot().files[0].state).toMatchObject({ kind: "failed", reason: "Dataverse answered 503." });
    expect(states(upload)[1]).toEqual(["b.bin", "done"]);
    await upload.start();
    expect(states(upload)).toEqual([
      ["a.bin", "done"],
      ["b.bin", "done"],
    ]);
    expect(uploader.requests.map((r) => r.path)).toEqual(["a.bin", "b.bin"]);
    expect(crm.receipts.map((r) => r.path)).toEqual(["b.bin", "a.bin"]);
    expect(crm.exchanges[0]).toMatchObject({ fileCount: 2, totalBytes: 30 });
  });

  it("writes a receipt once when Dataverse wrote it but the answer was lost", async () => {
    const { upload, uploader, crm } = await setUp([file("a.bin", 10)]);
    crm.loseAnswer.add("addReceipt");
    await upload.start();
    expect(upload.snapshot().files[0].state).toMatchObject({ kind: "failed" });
    await upload.start();
    expect(states(upload)).toEqual([["a.bin", "done"]]);
    expect(uploader.requests).toHaveLength(1);
    expect(crm.receipts).toHaveLength(1);
  });

  it("cancels: stops, deletes the unfinished upload session and writes no receipt", async () => {
    const { upload, uploader, crm } = await setUp([file("a.bin", 1000), file("b.bin", 10)]);
    let cancelling: Promise<void> | undefined;
    upload.subscribe((s) => {
      if (!cancelling && s.files[0].bytesSent >= 200) cancelling = upload.cancel();
    });
    await upload.start();
    await cancelling;
    expect(states(upload)).toEqual([
      ["a.bin", "cancelled"],
      ["b.bin", "cancelled"],
    ]);
    expect(uploader.discarded).toEqual(["a.bin"]);
    expect(crm.receipts).toEqual([]);
  });

  it("marks an Office document SharePoint rewrote as stored, modified by SharePoint", async () => {
    const { upload, uploader, crm } = await setUp([file("report.docx", 100)]);
    uploader.rewritten.add("report.docx");
    await upload.start();
    expect(upload.snapshot().files[0].state).toMatchObject({ kind: "done", integrity: FileIntegrity.modifiedBySharePoint });
    expect(crm.receipts[0].integrity).toBe(FileIntegrity.modifiedBySharePoint);
  });

  it("reports overall bytes across files", async () => {
    const { upload, snapshots } = await setUp([file("a.bin", 200), file("b.bin", 100)]);
    await upload.start();
    const last = snapshots[snapshots.length - 1].overall;
    expect(last).toMatchObject({ bytesSent: 300, totalBytes: 300 });
  });
});

describe("integrityOf", () => {
  it.each([
    ["verified", FileIntegrity.verified],
    ["modifiedBySharePoint", FileIntegrity.modifiedBySharePoint],
    ["hashNotReported", FileIntegrity.modifiedBySharePoint],
  ] as const)("records the upload client's verdict %s as integrity %d", (verdict, expected) => {
    expect(integrityOf({ verdict })).toBe(expected);
  });
});
