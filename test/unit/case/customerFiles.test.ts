import { casePanelView, type FileRow } from "../../../src/app/casePanelView";
import { changeFileExpiry } from "../../../src/app/changeFileExpiry";
import { copyFileLink } from "../../../src/app/copyFileLink";
import { downloadFile } from "../../../src/app/downloadFile";
import { removeFile } from "../../../src/app/removeFile";
import { removeNow } from "../../../src/app/removeNow";
import { arrivalReceiptId, contentKeyOf } from "../../../src/domain/arrivals";
import { allowedFileActions, type FileAction, type FileState } from "../../../src/domain/fileActions";
import { ExchangeDirection, ExchangeStage, FileIntegrity, FileStatus } from "../../../src/model";
import type { ReceiptRecord } from "../../../src/ports/CaseReads";
import type { FolderSnapshot, StoredFile } from "../../../src/ports/DocumentLibrary";
import type { CaseActor } from "../../../src/app/casePorts";
import { agent, backupExchange, caseRecord, exchangeRecord, FakeCrm, FakeLibrary, folder, NOW, ports, settings, supervisor } from "./fakes";

const admin: CaseActor = { id: "u-admin", name: "Ada Administrator", roles: ["administrator"] };
const specialist: CaseActor = { id: "u-spec", name: "Sam Specialist", roles: ["specialist"] };
const uploadFolder = {
  ...folder,
  itemId: "uf",
  path: "External Data Transfer/CAS-01234-A1B2C3",
  webUrl: `${settings.siteUrl}/Shared%20Documents/External%20Data%20Transfer/CAS-01234-A1B2C3`,
};

const upload = (over: Parameters<typeof backupExchange>[0] = {}) =>
  backupExchange({
    direction: ExchangeDirection.filesFromCustomer,
    stage: ExchangeStage.filesReceived,
    folderPath: uploadFolder.path,
    itemId: uploadFolder.itemId,
    webUrl: uploadFolder.webUrl,
    expiresOn: new Date("2026-11-27T10:00:00Z"),
    ticketId: undefined,
    ...over,
  });

function listed(name: string, over: Partial<StoredFile> = {}): StoredFile {
  return {
    itemId: `item-${name}`,
    name,
    path: name,
    size: 2048,
    quickXorHash: `hash-${name}`,
    createdOn: new Date("2026-11-21T08:00:00Z"),
    createdBy: "Tom Baker",
    createdByEmail: "tom@northwind.example",
    modifiedOn: new Date("2026-11-21T08:00:00Z"),
    webUrl: `${uploadFolder.webUrl}/${encodeURIComponent(name)}`,
    ...over,
  };
}

function receipt(name: string, over: Partial<ReceiptRecord> = {}): ReceiptRecord {
  return {
    id: `rc-${name}`,
    exchangeId: "x1",
    path: name,
    itemId: `item-${name}`,
    size: 2048,
    quickXorHash: `hash-${name}`,
    integrity: FileIntegrity.recordedBySharePoint,
    uploadedOn: new Date("2026-11-21T08:05:00Z"),
    uploader: "tom@northwind.example",
    batchId: "batch-1",
    status: FileStatus.inFolder,
    ...over,
  };
}

function viewOf(receipts: ReceiptRecord[], files: StoredFile[] | null, actor: CaseActor = agent, exchange = upload()) {
  const snapshot: FolderSnapshot | undefined = files
    ? { path: exchange.folderPath, folder: uploadFolder, files, permissions: [] }
    : undefined;
  return casePanelView(
    {
      case: caseRecord,
      exchanges: [exchangeRecord(exchange, [], { receipts })],
      folders: new Map(snapshot ? [[exchange.folderPath, snapshot]] : []),
      loadedAt: NOW,
    },
    actor,
    NOW,
    settings,
  ).exchanges[0];
}

const pick = (rows: readonly FileRow[]) =>
  rows.map((r) => ({ path: r.path, integrity: r.integrity, isNew: r.isNew, uploadedBy: r.uploadedBy }));

describe("the customer's files in the panel", () => {
  it.each<{ name: string; receipts: ReceiptRecord[]; files: StoredFile[]; rows: ReturnType<typeof pick> }>([
    {
      name: "one batch: every file receipted, none marked New (nothing older to tell it from)",
      receipts: [receipt("a.log"), receipt("b.log")],
      files: [listed("a.log"), listed("b.log")],
      rows: [
        { path: "a.log", integrity: "recordedBySharePoint", isNew: false, uploadedBy: "tom@northwind.example" },
        { path: "b.log", integrity: "recordedBySharePoint", isNew: false, uploadedBy: "tom@northwind.example" },
      ],
    },
    {
      name: "a second batch: its files are New, the first batch's are not",
      receipts: [receipt("a.log"), receipt("c.png", { batchId: "batch-2", uploadedOn: new Date("2026-11-22T09:00:00Z") })],
      files: [listed("a.log"), listed("c.png")],
      rows: [
        { path: "a.log", integrity: "recordedBySharePoint", isNew: false, uploadedBy: "tom@northwind.example" },
        { path: "c.png", integrity: "recordedBySharePoint", isNew: true, uploadedBy: "tom@northwind.example" },
      ],
    },
    {
      name: "a file in the folder the check has not seen: shown, not checked yet, with SharePoint's uploader",
      receipts: [receipt("a.log")],
      files: [listed("a.log"), listed("new.txt", { createdByEmail: "priya@adventure.example" })],
      rows: [
        { path: "a.log", integrity: "recordedBySharePoint", isNew: false, uploadedBy: "tom@northwind.example" },
        { path: "new.txt", integrity: "notCheckedYet", isNew: false, uploadedBy: "priya@adventure.example" },
      ],
    },
    {
      name: "a file changed since its receipt: not checked yet",
      receipts: [receipt("a.log")],
      files: [listed("a.log", { quickXorHash: "other" })],
      rows: [{ path: "a.log", integrity: "notCheckedYet", isNew: false, uploadedBy: "tom@northwind.example" }],
    },
    {
      name: "a file whose hash SharePoint had not computed when it arrived",
      receipts: [receipt("big.zip", { integrity: FileIntegrity.hashPending, quickXorHash: undefined })],
      files: [listed("big.zip")],
      rows: [{ path: "big.zip", integrity: "hashPending", isNew: false, uploadedBy: "tom@northwind.example" }],
    },
  ])("$name", ({ receipts, files, rows }) => {
    expect(pick(viewOf(receipts, files).files)).toEqual(rows);
  });

  it("leaves replaced, deleted and removed files out and counts them by what became of them", () => {
    const v = viewOf(
      [
        receipt("a.log", { id: "old-a", status: FileStatus.replaced, uploadedOn: new Date("2026-11-20T08:00:00Z"), quickXorHash: "old" }),
        receipt("a.log"),
        receipt("gone.txt", { status: FileStatus.deletedByCustomer }),
        receipt("bad.exe", { status: FileStatus.removed }),
        // Receipted in the folder, but SharePoint no longer lists it: deleted, not recorded yet.
        receipt("vanished.txt"),
      ],
      [listed("a.log")],
    );
    expect(v.files.map((f) => f.path)).toEqual(["a.log"]);
    expect(v.goneFiles).toEqual({ replaced: 1, deletedByCustomer: 2, removed: 1, expired: 0 });
  });

  it("does not count a removal that did not finish: the file is still listed and shown, with the receipt Remove finishes on", () => {
    const marked = receipt("a.log", { status: FileStatus.removed });
    const v = viewOf([marked], [listed("a.log")]);
    expect(v.files.map((f) => [f.path, f.actions.includes("removeFile")])).toEqual([["a.log", true]]);
    // Removing it again marks the same receipt: a second one would record the file twice.
    expect(v.files[0].source?.receipt?.id).toBe(marked.id);
    expect(v.goneFiles.removed).toBe(0);
  });

  it("counts a replaced receipt of another item", () => {
    const v = viewOf(
      [receipt("a.log", { id: "old-a", itemId: "item-old", status: FileStatus.replaced }), receipt("b.log")],
      [listed("b.log")],
    );
    expect(v.goneFiles.replaced).toBe(1);
  });

  it("shows an administrator's decisions on a file", () => {
    const date = new Date("2027-03-01T10:00:00Z");
    const v = viewOf(
      [receipt("a.log", { keptSince: new Date("2026-11-21T00:00:00Z") }), receipt("b.log", { expiryOverride: date })],
      [listed("a.log"), listed("b.log")],
    );
    expect(v.files.map((f) => ({ kept: f.kept, ownExpiry: f.ownExpiry }))).toEqual([
      { kept: true, ownExpiry: undefined },
      { kept: false, ownExpiry: date },
    ]);
  });

  it("without SharePoint's listing shows what the receipts say is in the folder, with no actions", () => {
    const v = viewOf([receipt("a.log"), receipt("gone.txt", { status: FileStatus.deletedByCustomer })], null);
    expect(v.files.map((f) => [f.path, f.actions.length])).toEqual([["a.log", 0]]);
    expect(v.goneFiles.deletedByCustomer).toBe(1);
  });

  it.each<{ who: CaseActor; file: StoredFile; actions: FileAction[] }>([
    { who: agent, file: listed("a.log"), actions: ["downloadFile", "copyFileLink", "removeFile"] },
    { who: admin, file: listed("a.log"), actions: ["downloadFile", "copyFileLink", "removeFile", "keepFile", "changeFileExpiry"] },
    { who: supervisor, file: listed("a.log"), actions: [] },
    { who: agent, file: listed("evil.exe", { malware: { description: "Trojan" } }), actions: ["removeFile"] },
    { who: agent, file: listed("a.log", { webUrl: "javascript:alert(1)" }), actions: ["downloadFile", "removeFile"] },
  ])("offers $who.name on $file.name: $actions", ({ who, file, actions }) => {
    expect(viewOf([], [file], who).files[0].actions).toEqual(actions);
  });
});

describe("allowedFileActions", () => {
  const base: FileState = {
    direction: ExchangeDirection.filesFromCustomer,
    stage: ExchangeStage.filesReceived,
    inFolder: true,
    flagged: false,
    kept: false,
    hasLink: true,
  };
  it.each<{ name: string; state: Partial<FileState>; roles: CaseActor["roles"]; actions: FileAction[] }>([
    {
      name: "a specialist reads a backup's files",
      state: { direction: ExchangeDirection.backupForCustomer },
      roles: ["specialist"],
      actions: ["downloadFile", "copyFileLink"],
    },
    {
      name: "a kept file is not kept again",
      state: { kept: true },
      roles: ["administrator"],
      actions: ["downloadFile", "copyFileLink", "removeFile", "changeFileExpiry"],
    },
    { name: "a removed folder's files: nothing", state: { stage: ExchangeStage.deleted }, roles: ["administrator"], actions: [] },
    { name: "a file no longer in the folder: nothing", state: { inFolder: false }, roles: ["agent"], actions: [] },
    { name: "a flagged file is only removed", state: { flagged: true }, roles: ["administrator"], actions: ["removeFile"] },
  ])("$name", ({ state, roles, actions }) => {
    expect(allowedFileActions({ ...base, ...state }, roles)).toEqual(actions);
  });
});

function withFiles(...files: StoredFile[]): FakeLibrary {
  const lib = new FakeLibrary([uploadFolder]);
  lib.files.set(uploadFolder.path, files);
  return lib;
}

describe("removeFile", () => {
  it("deletes the file, marks its receipt removed and notes it on the exchange and the case", async () => {
    const crm = new FakeCrm();
    const r = receipt("a.log");
    crm.receipts.set(r.id, r);
    const lib = withFiles(listed("a.log"), listed("b.log"));
    const out = await removeFile(ports(crm, lib), {
      caseRecord,
      exchange: upload(),
      driveId: "d1",
      file: listed("a.log"),
      receipt: r,
      actor: agent,
    });
    expect(out.permanent).toBe(false);
    expect(lib.files.get(uploadFolder.path)?.map((f) => f.name)).toEqual(["b.log"]);
    expect(crm.receipts.get(r.id)).toMatchObject({ status: FileStatus.removed, goneOn: NOW });
    expect(crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "incident"]);
    expect(crm.notes[0].note.text).toBe(
      `Alex Agent removed "a.log" (2.0 KB) from "${uploadFolder.path}". It is in the SharePoint site's recycle bin for about 93 days, then deleted for good.`,
    );
  });

  it("done again after a lost answer writes nothing twice: the file is already gone, the receipt and note keep their ids", async () => {
    const crm = new FakeCrm();
    const lib = withFiles(listed("a.log"));
    const input = { caseRecord, exchange: upload(), driveId: "d1", file: listed("a.log"), actor: agent };
    lib.loseAnswer.add("deleteFile");
    await expect(removeFile(ports(crm, lib), input)).rejects.toMatchObject({ code: "networkError" });
    await removeFile(ports(crm, lib), input);
    expect(lib.deletedFiles).toHaveLength(1);
    // No receipt before: one written under the id the arrival check derives for the file.
    const id = arrivalReceiptId("item-a.log", contentKeyOf(listed("a.log")));
    expect([...crm.receipts.keys()]).toEqual([id]);
    expect(crm.receipts.get(id)).toMatchObject({
      status: FileStatus.removed,
      integrity: FileIntegrity.recordedBySharePoint,
      uploader: "tom@northwind.example",
    });
    expect(crm.notes).toHaveLength(2);
  });

  it("deletes permanently when the setting says so", async () => {
    const crm = new FakeCrm();
    const lib = withFiles(listed("a.log"));
    const out = await removeFile(ports(crm, lib, { settings: { ...settings, permanentDelete: true } }), {
      caseRecord,
      exchange: upload(),
      driveId: "d1",
      file: listed("a.log"),
      actor: agent,
    });
    expect(out.permanent).toBe(true);
    expect(lib.deletedFiles).toEqual([{ itemId: "item-a.log", permanent: true }]);
  });

  it("is refused to a supervisor before anything is deleted", async () => {
    const crm = new FakeCrm();
    const lib = withFiles(listed("a.log"));
    await expect(
      removeFile(ports(crm, lib), { caseRecord, exchange: upload(), driveId: "d1", file: listed("a.log"), actor: supervisor }),
    ).rejects.toMatchObject({ name: "ValidationError", code: "actionNotAllowed" });
    expect(lib.calls).not.toContain("deleteFile");
  });
});

describe("changeFileExpiry", () => {
  it("keeps a file with no expiry in its receipt's secured column and notes the reason", async () => {
    const crm = new FakeCrm();
    crm.caller = "u-admin";
    const r = receipt("a.log");
    crm.receipts.set(r.id, r);
    const out = await changeFileExpiry(ports(crm, withFiles(listed("a.log"))), {
      caseRecord,
      exchange: upload(),
      driveId: "d1",
      file: listed("a.log"),
      receipt: r,
      expiresOn: null,
      reason: "Evidence for the warranty claim",
      actor: admin,
    });
    expect(out.expiresOn).toBeNull();
    expect(crm.receipts.get(r.id)).toMatchObject({ keptSince: NOW, expiryOverride: null });
    expect(crm.notes[1].note.text).toContain(
      '"a.log" is kept with no expiry by Ada Administrator; it stays when the rest of the folder is deleted: Evidence for the warranty claim',
    );
  });

  it("keeping a file whose removal never finished (still listed) puts its receipt back in the folder, so the job keeps it", async () => {
    const crm = new FakeCrm();
    crm.caller = "u-admin";
    const r = receipt("a.log", { status: FileStatus.removed });
    crm.receipts.set(r.id, r);
    await changeFileExpiry(ports(crm, withFiles(listed("a.log"))), {
      caseRecord,
      exchange: upload(),
      driveId: "d1",
      file: listed("a.log"),
      receipt: r,
      expiresOn: null,
      reason: "Needed after all",
      actor: admin,
    });
    expect(crm.receipts.get(r.id)).toMatchObject({ keptSince: NOW, status: FileStatus.inFolder });
    expect(crm.receipts.size).toBe(1);
  });

  it("gives a file without a receipt its own date, writing the receipt first", async () => {
    const crm = new FakeCrm();
    crm.caller = "u-admin";
    const date = new Date("2027-01-15T10:00:00Z");
    await changeFileExpiry(ports(crm, withFiles(listed("new.txt"))), {
      caseRecord,
      exchange: upload(),
      driveId: "d1",
      file: listed("new.txt"),
      expiresOn: date,
      reason: "The customer needs it until January",
      actor: admin,
    });
    const id = arrivalReceiptId("item-new.txt", contentKeyOf(listed("new.txt")));
    expect(crm.receipts.get(id)).toMatchObject({ keptSince: null, expiryOverride: date, status: FileStatus.inFolder });
    expect(crm.notes[0].note.text).toContain(`"new.txt" is deleted on`);
  });

  it.each<{ name: string; actor: CaseActor; expiresOn: Date | null; reason: string; code: string }>([
    { name: "an agent", actor: agent, expiresOn: null, reason: "why", code: "actionNotAllowed" },
    { name: "no reason", actor: admin, expiresOn: null, reason: "  ", code: "reasonRequired" },
    { name: "a date in the past", actor: admin, expiresOn: new Date("2026-11-01T00:00:00Z"), reason: "why", code: "expiryInPast" },
  ])("refuses $name before anything is written", async ({ actor, expiresOn, reason, code }) => {
    const crm = new FakeCrm();
    crm.caller = actor.id;
    await expect(
      changeFileExpiry(ports(crm, withFiles(listed("a.log"))), {
        caseRecord,
        exchange: upload(),
        driveId: "d1",
        file: listed("a.log"),
        expiresOn,
        reason,
        actor,
      }),
    ).rejects.toMatchObject({ code });
    expect(crm.receipts.size).toBe(0);
  });

  it("passes on Dynamics 365's refusal for an administrator outside the field security profile", async () => {
    const crm = new FakeCrm();
    crm.caller = "u-other-admin";
    const r = receipt("a.log");
    crm.receipts.set(r.id, r);
    await expect(
      changeFileExpiry(ports(crm, withFiles(listed("a.log"))), {
        caseRecord,
        exchange: upload(),
        driveId: "d1",
        file: listed("a.log"),
        receipt: r,
        expiresOn: null,
        reason: "Keep it",
        actor: { ...admin, id: "u-other-admin" },
      }),
    ).rejects.toMatchObject({ code: "securedColumn" });
    expect(crm.notes).toHaveLength(0);
  });
});

describe("copyFileLink and downloadFile", () => {
  it("copies the file's own address (sign-in required) and notes the copy on the exchange", async () => {
    const crm = new FakeCrm();
    const copied: string[] = [];
    const out = await copyFileLink(
      ports(crm, withFiles()),
      { copy: async (t) => void copied.push(t) },
      {
        exchange: upload(),
        driveId: "d1",
        file: listed("a.log"),
        actor: specialist,
      },
    );
    expect(copied).toEqual([listed("a.log").webUrl]);
    expect(out.url).toBe(listed("a.log").webUrl);
    expect(crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange"]);
  });

  it.each([
    { name: "a flagged file", file: listed("evil.exe", { malware: { description: "Trojan" } }) },
    { name: "an address off the SharePoint site", file: listed("a.log", { webUrl: "https://evil.example/a.log" }) },
  ])("refuses to copy $name", async ({ file }) => {
    const crm = new FakeCrm();
    const copied: string[] = [];
    await expect(
      copyFileLink(
        ports(crm, withFiles()),
        { copy: async (t) => void copied.push(t) },
        { exchange: upload(), driveId: "d1", file, actor: agent },
      ),
    ).rejects.toMatchObject({ code: "actionNotAllowed" });
    expect(copied).toEqual([]);
  });

  it("hands SharePoint's download address to the browser", async () => {
    const started: string[] = [];
    await downloadFile(
      ports(new FakeCrm(), withFiles(listed("a.log"))),
      { start: (u) => void started.push(u) },
      {
        exchange: upload(),
        driveId: "d1",
        file: listed("a.log"),
        actor: agent,
      },
    );
    expect(started).toEqual(["https://contoso.sharepoint.com/sites/cases/_layouts/15/download.aspx?UniqueId=item-a.log&tempauth=t"]);
  });

  it("never downloads a flagged file: refused before, and by SharePoint when flagged since the panel read the folder", async () => {
    const started: string[] = [];
    const flagged = listed("evil.exe", { malware: { description: "Trojan" } });
    const lib = withFiles(flagged);
    const downloads = { start: (u: string) => void started.push(u) };
    await expect(
      downloadFile(ports(new FakeCrm(), lib), downloads, { exchange: upload(), driveId: "d1", file: flagged, actor: agent }),
    ).rejects.toMatchObject({
      code: "actionNotAllowed",
    });
    await expect(
      downloadFile(ports(new FakeCrm(), lib), downloads, { exchange: upload(), driveId: "d1", file: listed("evil.exe"), actor: agent }),
    ).rejects.toMatchObject({ code: "malwareDetected" });
    expect(started).toEqual([]);
  });
});

describe("Close request (Remove now on a request for files)", () => {
  it("marks the customer's files removed before the folder goes; files already gone keep what became of them", async () => {
    const crm = new FakeCrm();
    const kept = receipt("a.log");
    const gone = receipt("b.log", { status: FileStatus.deletedByCustomer });
    crm.receipts.set(kept.id, kept);
    crm.receipts.set(gone.id, gone);
    const lib = withFiles(listed("a.log"));
    await removeNow(ports(crm, lib), { caseRecord, exchange: upload(), recipients: [], receipts: [kept, gone], actor: agent });
    expect(crm.receipts.get(kept.id)).toMatchObject({ status: FileStatus.removed, goneOn: NOW });
    expect(crm.receipts.get(gone.id)?.status).toBe(FileStatus.deletedByCustomer);
    expect(lib.deleted).toEqual([{ path: uploadFolder.path, permanent: false }]);
    expect(crm.notes[0].note.subject).toBe("The request for files was closed");
  });

  it("leaves the folder and the request open when a receipt cannot be marked, to close again", async () => {
    const crm = new FakeCrm();
    const r = receipt("a.log");
    crm.receipts.set(r.id, r);
    crm.failNext.set(
      "updateReceipt",
      Object.assign(new Error("Service unavailable"), { name: "DataverseError", code: "failed", status: 503 }),
    );
    const lib = withFiles(listed("a.log"));
    await expect(
      removeNow(ports(crm, lib), { caseRecord, exchange: upload(), recipients: [], receipts: [r], actor: agent }),
    ).rejects.toMatchObject({ code: "failed" });
    expect(lib.deleted).toEqual([]);
    expect(crm.calls).not.toContain("updateExchange");
  });
});
