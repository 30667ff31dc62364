import { arrivalEmail, arrivalNoteText, arrivalNotification } from "../../../src/app/arrivalWording";
import { checkArrivals, libraryCursorId } from "../../../src/app/checkArrivals";
import { arrivalReceiptId, contentKeyOf } from "../../../src/domain/arrivals";
import { parseArgs } from "../../../src/jobs/cli";
import { formatArrivalsReport } from "../../../src/jobs/formatArrivalsReport";
import { ExchangeStage, FileStatus } from "../../../src/model";
import type { ArrivalRecords, ArrivalWrite, LibraryCursor, StoredReceipt } from "../../../src/ports/ArrivalRecords";
import type { LibraryChange, LibraryChanges } from "../../../src/ports/LibraryChanges";

const now = new Date("2026-12-07T10:00:00Z");
const clock = { now: () => now };
const settings = {
  siteUrl: "https://contoso.sharepoint.com/sites/cases",
  libraryName: "Documents",
  organizationDomains: ["contoso.com"],
  arrivalEmail: true,
};
const exchange = {
  id: "11111111-1111-4111-8111-111111111111",
  name: "CAS-01005-N4P5Q6",
  caseId: "22222222-2222-4222-8222-222222222222",
  stage: ExchangeStage.shared,
  folderItemId: "FOLDER",
  owner: { kind: "user" as const, id: "33333333-3333-4333-8333-333333333333" },
};
const file = (itemId: string, name: string, email = "ivy@fabrikam.example"): LibraryChange => ({
  kind: "file",
  itemId,
  parentId: "FOLDER",
  name,
  size: 10,
  quickXorHash: `hash-${itemId}=`,
  modifiedBy: { kind: "user", email },
});

/** Dataverse as a few maps: receipts by id, the cursor, and every write in order. */
class FakeRecords implements ArrivalRecords {
  cursorRow: LibraryCursor | null = {
    id: libraryCursorId(settings.siteUrl, settings.libraryName),
    etag: 'W/"1"',
    link: "L0",
    advancedOn: now,
  };
  receipts = new Map<string, StoredReceipt>();
  writes: ArrivalWrite[] = [];
  sent: string[] = [];
  /** Another run moves the cursor first. */
  loseTheCursor = false;
  failReceipts = false;
  async cursor() {
    return this.cursorRow;
  }
  async advanceCursor(input: { link: string; runId: string }) {
    if (this.loseTheCursor) return "lost" as const;
    this.cursorRow = { ...this.cursorRow!, link: input.link, runId: input.runId, etag: 'W/"2"' };
    return "advanced" as const;
  }
  async openUploadExchanges() {
    return [exchange];
  }
  async receiptsOfItems(ids: readonly string[]) {
    return [...this.receipts.values()].filter((r) => r.itemId && ids.includes(r.itemId));
  }
  async receiptsInFolders() {
    return [...this.receipts.values()];
  }
  async unreportedReceipts() {
    return [...this.receipts.values()].filter((r) => r.batchId && !r.reportedOn);
  }
  async jobUserId() {
    return "44444444-4444-4444-8444-444444444444";
  }
  async write(writes: readonly ArrivalWrite[]) {
    return writes.map((w) => {
      this.writes.push(w);
      if (w.kind === "createReceipt") {
        if (this.failReceipts) return { ok: false as const, error: new Error("refused") };
        const r = w.receipt;
        if (!this.receipts.has(r.id))
          this.receipts.set(r.id, {
            id: r.id,
            exchangeId: r.exchangeId,
            itemId: r.itemId,
            name: r.path,
            size: r.size,
            quickXorHash: r.quickXorHash,
            batchId: r.batchId,
            status: FileStatus.inFolder,
          });
      }
      if (w.kind === "updateReceipt") {
        const r = this.receipts.get(w.id);
        if (r)
          this.receipts.set(w.id, {
            ...r,
            ...(w.changes.status ? { status: w.changes.status } : {}),
            ...(w.changes.reportedOn ? { reportedOn: w.changes.reportedOn } : {}),
          });
      }
      return { ok: true as const };
    });
  }
  async sendEmail(id: string) {
    this.sent.push(id);
  }
}

const changes = (items: LibraryChange[], link = "L1"): LibraryChanges => ({
  changesSince: async () => ({
    items: [{ kind: "folder", itemId: "FOLDER", name: exchange.name }, ...items],
    link,
    complete: false,
    resynced: false,
  }),
});
const kinds = (writes: readonly ArrivalWrite[]) => writes.map((w) => w.kind);

describe("the arrival check", () => {
  test("records, claims the cursor, then tells: a note on the exchange and the case, the agent's notification and e-mail, the stage, the receipts marked reported", async () => {
    const records = new FakeRecords();
    const report = await checkArrivals({ changes: changes([file("A", "a.log"), file("B", "b.log")]), records }, clock, { settings });
    expect(report).toMatchObject({ cursor: "advanced", counts: { batches: 1, files: 2, exchangesTold: 1, failures: 0 } });
    expect(kinds(records.writes)).toEqual([
      "createReceipt",
      "createReceipt",
      "addNote",
      "addNote",
      "notifyUser",
      "createEmail",
      "updateExchange",
      "updateReceipt",
      "updateReceipt",
    ]);
    expect(records.sent).toHaveLength(1);
    expect(records.writes.find((w) => w.kind === "updateExchange")).toMatchObject({ changes: { stage: ExchangeStage.filesReceived } });
    expect(records.cursorRow?.link).toBe("L1");
  });

  test("a run that loses the cursor to another records the receipts and tells nobody", async () => {
    const records = new FakeRecords();
    records.loseTheCursor = true;
    const report = await checkArrivals({ changes: changes([file("A", "a.log")]), records }, clock, { settings });
    expect(report).toMatchObject({ cursor: "lost", counts: { batches: 0 } });
    expect(kinds(records.writes)).toEqual(["createReceipt"]);
  });

  test("a receipt that cannot be written keeps the cursor where it was and tells nobody", async () => {
    const records = new FakeRecords();
    records.failReceipts = true;
    const report = await checkArrivals({ changes: changes([file("A", "a.log")]), records }, clock, { settings });
    expect(report).toMatchObject({ cursor: "notAdvanced", counts: { batches: 0, failures: 1 } });
    expect(records.cursorRow?.link).toBe("L0");
    expect(kinds(records.writes)).toEqual(["createReceipt"]);
  });

  test("receipts left unreported by a stopped run are told under their own batch, once", async () => {
    const records = new FakeRecords();
    const stopped = arrivalReceiptId("A", contentKeyOf({ size: 10, quickXorHash: "hash-A=" }));
    records.receipts.set(stopped, {
      id: stopped,
      exchangeId: exchange.id,
      itemId: "A",
      name: "a.log",
      size: 10,
      batchId: "BATCH-1",
      status: FileStatus.inFolder,
    });
    const first = await checkArrivals({ changes: changes([file("A", "a.log")], "L0"), records }, clock, { settings });
    expect(first.counts).toMatchObject({ batches: 1, files: 1 });
    expect(kinds(records.writes).filter((k) => k === "createReceipt")).toEqual([]);
    const notes = records.writes.filter((w) => w.kind === "addNote");
    expect(notes).toHaveLength(2);
    records.writes = [];
    const again = await checkArrivals({ changes: changes([]), records }, clock, { settings });
    expect(again.counts.batches).toBe(0);
    expect(records.writes.filter((w) => w.kind === "addNote")).toEqual([]);
  });

  test("a file one of the organization's people put in is neither receipted nor told", async () => {
    const records = new FakeRecords();
    const report = await checkArrivals({ changes: changes([file("T", "template.docx", "alex@contoso.com")]), records }, clock, {
      settings,
    });
    expect(report.counts.batches).toBe(0);
    expect(kinds(records.writes)).toEqual([]);
  });

  test("nothing changed and nothing left to tell: no write at all", async () => {
    const records = new FakeRecords();
    const none: LibraryChanges = { changesSince: async () => ({ items: [], link: "L0b", complete: false, resynced: false }) };
    const report = await checkArrivals({ changes: none, records }, clock, { settings });
    expect(report.cursor).toBe("unchanged");
    expect(records.writes).toEqual([]);
    expect(records.cursorRow?.link).toBe("L0");
  });
});

describe("what the agent reads", () => {
  const words = {
    folderName: "CAS-01005-N4P5Q6",
    files: [
      { path: "logs/<img src=x onerror=alert(1)>.log", size: 2048, uploadedBy: "ivy@fabrikam.example" },
      { path: "scan.pdf", size: 10, uploadedBy: "ivy@fabrikam.example", replaced: true },
    ],
    notified: true,
  };
  test("the note names the uploader, each file with its size, and who was told", () => {
    expect(arrivalNoteText(words)).toBe(
      [
        "ivy@fabrikam.example put 2 files (2 KB) into CAS-01005-N4P5Q6:",
        "- logs/<img src=x onerror=alert(1)>.log (2 KB)",
        "- scan.pdf (10 bytes), replacing the earlier file of that name",
        "The agent who requested the files was notified.",
      ].join("\n"),
    );
    expect(arrivalNoteText({ ...words, notified: false })).toContain("Nobody was notified: the request belongs to a team");
  });
  test("the notification says what arrived in one sentence; the e-mail escapes file names", () => {
    expect(arrivalNotification(words).title).toBe("Files received for CAS-01005-N4P5Q6");
    const { html } = arrivalEmail(words);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;.log");
  });
});

describe("--arrivals-only", () => {
  test("parses, and cannot be combined with --end-all-access", () => {
    expect(parseArgs(["--arrivals-only", "--dry-run"])).toMatchObject({ arrivalsOnly: true, dryRun: true });
    expect(() => parseArgs(["--arrivals-only", "--end-all-access"])).toThrow();
  });
  test("its printed report gives the counts, the cursor and the requests", () => {
    const text = formatArrivalsReport({
      now: now.toISOString(),
      dryRun: false,
      cursor: "lost",
      complete: false,
      resynced: false,
      counts: { changes: 3, batches: 0, exchangesTold: 0, files: 0, replaced: 0, deleted: 0, failures: 0 },
      failures: [],
      requests: { dataverse: 6, graph: 1 },
    });
    expect(text).toContain("1 Graph and 6 Dataverse request(s)");
    expect(text).toContain("moved on by another run first");
  });
});

test("a file receipted before SharePoint computed its hash is not reported again when the hash appears", async () => {
  const records = new FakeRecords();
  records.receipts.set("55555555-5555-4555-8555-555555555555", {
    id: "55555555-5555-4555-8555-555555555555",
    exchangeId: exchange.id,
    itemId: "A",
    name: "a.log",
    size: 10,
    batchId: "BATCH-0",
    status: FileStatus.inFolder,
    reportedOn: now,
  });
  const report = await checkArrivals({ changes: changes([file("A", "a.log")]), records }, clock, { settings });
  expect(report.counts).toMatchObject({ batches: 0, replaced: 0 });
  expect(records.writes).toEqual([]);
});
