import { sweepExpired, type SweepExpiredOptions } from "../../../src/app/sweepExpired";
import type { RetentionRuleSettings } from "../../../src/domain/retention";
import { ExchangeStage, FileStatus } from "../../../src/model";
import { FakeInventory, FakeRecords, guest } from "./fakes";

const DAY = 86_400_000;
const created = new Date("2026-12-01T12:00:00Z");
const day = (n: number) => new Date(created.getTime() + n * DAY);
const settings: RetentionRuleSettings = {
  backupRetentionDays: 30,
  uploadRetentionDays: 7,
  warningDays: 3,
  permanentDelete: false,
  deleteOrphans: false,
  backupRoot: "Customer Data Migration",
  uploadRoot: "External Data Transfer",
  folderLayout: "{case}",
  caseNumberPattern: "^CAS-[0-9]{4,}-[A-Z0-9]{6}$",
};

/** One shared 30-day folder with three files and a guest. */
function world() {
  const records = new FakeRecords();
  const folders = new FakeInventory();
  const path = "Customer Data Migration/CAS-01001-ABCDEF";
  const itemId = folders.addFolder(path, created, { permissions: [guest("p1", "ann@fabrikam.example")] });
  records.addExchange({
    id: "x1",
    name: "CAS-01001-ABCDEF",
    folderPath: path,
    itemId,
    folderCreatedOn: created,
    createdOn: created,
    expiresOn: day(30),
    warnedOn: day(27),
    caseState: 0,
  });
  records.addRecipient("x1", "ann@fabrikam.example", "p1");
  for (const name of ["keep.pdf", "other.log", "logs/app.log"]) {
    if (name.includes("/") && !folders.has(`${path}/logs`)) folders.addFolder(`${path}/logs`, created);
    const fileId = folders.addFile(`${path}/${name}`);
    records.addReceipt({ id: `r-${name}`, exchangeId: "x1", name, itemId: fileId, status: FileStatus.inFolder });
  }
  const run = (at: Date, options: Partial<SweepExpiredOptions> = {}) =>
    sweepExpired({ records, folders }, { now: () => at }, { ...options, settings: { ...settings, ...options.settings } });
  return { records, folders, path, run };
}

describe("an administrator's decisions about one file", () => {
  test("the warning before the expiry names the kept files and says the folder is emptied around them, not deleted", async () => {
    const w = world();
    w.records.exchanges.get("x1")!.warnedOn = undefined;
    Object.assign(w.records.receipts.get("r-keep.pdf")!, { keptSince: day(5) });
    Object.assign(w.records.receipts.get("r-other.log")!, { expiryOverride: day(45) });
    // A date before the folder's expiry is not kept at the expiry: that file goes first.
    Object.assign(w.records.receipts.get("r-logs/app.log")!, { expiryOverride: day(29) });
    const report = await w.run(day(28));
    expect(report.failures).toEqual([]);
    const [note] = w.records.notes;
    expect(note.note.subject).toBe("Folder CAS-01001-ABCDEF expires in 2 days");
    expect(note.note.text).toContain("the customer's access then ends and everything in it is deleted");
    expect(note.note.text).toContain(
      "except the 2 files an administrator kept: keep.pdf (kept with no expiry), other.log (kept until 2027-01-15)",
    );
    expect(note.note.text).not.toContain("app.log");
    expect(w.records.notifications.map((n) => n.title)).toEqual(["Folder CAS-01001-ABCDEF expires in 2 days"]);
  });

  test("without kept files the warning says the folder will be deleted", async () => {
    const w = world();
    w.records.exchanges.get("x1")!.warnedOn = undefined;
    await w.run(day(28));
    expect(w.records.notes[0].note.subject).toBe("Folder CAS-01001-ABCDEF will be deleted in 2 days");
  });

  test("at the folder's expiry the kept file stays, the rest goes, the guest loses access; a rerun writes nothing", async () => {
    const w = world();
    Object.assign(w.records.receipts.get("r-keep.pdf")!, { keptSince: day(5) });
    const report = await w.run(day(30));
    expect(report.failures).toEqual([]);
    expect(w.folders.has(w.path)).toBe(true);
    expect(w.folders.has(`${w.path}/keep.pdf`)).toBe(true);
    expect(w.folders.has(`${w.path}/other.log`)).toBe(false);
    expect(w.folders.has(`${w.path}/logs`)).toBe(false);
    expect(w.folders.folders.get(w.records.exchanges.get("x1")!.itemId!)!.permissions).toEqual([]);
    expect([...w.records.recipients.values()][0].revokedOn).toEqual(day(30));
    expect(w.records.receipts.get("r-keep.pdf")!.status).toBe(FileStatus.inFolder);
    expect(w.records.receipts.get("r-other.log")).toMatchObject({ status: FileStatus.expired, goneOn: day(30) });
    expect(w.records.receipts.get("r-logs/app.log")).toMatchObject({ status: FileStatus.expired });
    const x = w.records.exchanges.get("x1")!;
    expect(x.stage).toBe(ExchangeStage.revoked);
    expect(x.removedOn).toBeUndefined();
    expect(w.records.notes.map((n) => [n.target.table, n.note.subject])).toEqual([
      ["cfx_fileexchange", "Folder CAS-01001-ABCDEF expired: 1 file kept"],
      ["incident", "Folder CAS-01001-ABCDEF expired: 1 file kept"],
    ]);
    expect(w.records.notes[0].note.text).toContain("keep.pdf (kept with no expiry)");
    expect(report.counts).toMatchObject({ expired: 1, deleted: 0, filesKept: 1, permissionsRevoked: 1, recipientsRevoked: 1 });

    const writes = w.records.writes;
    const again = await w.run(day(31));
    expect(again.failures).toEqual([]);
    expect(again.counts).toMatchObject({ expired: 0, deleted: 0, filesKept: 1 });
    expect(w.records.writes).toBe(writes);
    // Kept with no expiry keeps the folder, however far the clock goes.
    await w.run(day(400));
    expect(w.folders.has(`${w.path}/keep.pdf`)).toBe(true);
    expect(w.records.writes).toBe(writes);
  });

  test("a file with a later own date stays until then; the folder goes with it, and its removal is confirmed", async () => {
    const w = world();
    Object.assign(w.records.receipts.get("r-logs/app.log")!, { expiryOverride: day(40) });
    await w.run(day(30));
    expect(w.folders.has(`${w.path}/logs/app.log`)).toBe(true);
    expect(w.folders.has(`${w.path}/keep.pdf`)).toBe(false);
    expect(w.records.notes[0].note.text).toContain("logs/app.log (kept until 2027-01-10)");

    await w.run(day(39));
    expect(w.folders.has(`${w.path}/logs/app.log`)).toBe(true);
    const report = await w.run(day(40));
    expect(report.failures).toEqual([]);
    expect(w.folders.has(w.path)).toBe(false);
    expect(w.records.receipts.get("r-logs/app.log")).toMatchObject({ status: FileStatus.expired, goneOn: day(40) });
    const x = w.records.exchanges.get("x1")!;
    expect(x.stage).toBe(ExchangeStage.deleted);
    expect(x.removedOn).toEqual(day(40));
    expect(w.records.notes.filter((n) => n.key === "delete:x1:exchange")[0].note.subject).toBe("Folder CAS-01001-ABCDEF deleted");
  });

  test("a file whose own date is earlier than the folder's is deleted on that date, and the folder stays shared", async () => {
    const w = world();
    Object.assign(w.records.receipts.get("r-other.log")!, { expiryOverride: day(3) });
    const early = await w.run(day(2));
    expect(early.counts.filesDeleted).toBe(0);
    const report = await w.run(day(3));
    expect(report.counts.filesDeleted).toBe(1);
    expect(w.folders.has(`${w.path}/other.log`)).toBe(false);
    expect(w.folders.has(`${w.path}/keep.pdf`)).toBe(true);
    expect(w.folders.folders.get(w.records.exchanges.get("x1")!.itemId!)!.permissions).toHaveLength(1);
    expect(w.records.receipts.get("r-other.log")).toMatchObject({ status: FileStatus.expired, goneOn: day(3) });
    expect(w.records.notes.map((n) => n.key)).toEqual(["fileExpired:r-other.log:exchange", "fileExpired:r-other.log:case"]);
    const writes = w.records.writes;
    await w.run(day(4));
    expect(w.records.writes).toBe(writes);
  });
});

describe("following the case", () => {
  const on = { settings: { ...settings, closedCaseAccessDays: 14 } };

  test("off (the default): a resolved case changes nothing", async () => {
    const w = world();
    w.records.exchanges.get("x1")!.caseState = 1;
    await w.run(day(20));
    expect(w.records.exchanges.get("x1")!.caseClosedSeenOn).toBeUndefined();
    expect(w.records.writes).toBe(0);
  });

  test("on: seen closed, then 14 days later access ends, the customer is e-mailed once, the folder keeps its expiry", async () => {
    const w = world();
    w.records.exchanges.get("x1")!.caseState = 1;
    w.records.inactiveCases.add("case-x1");
    const seen = await w.run(day(2), on);
    expect(seen.counts.closedCasesSeen).toBe(1);
    expect(w.records.exchanges.get("x1")!.caseClosedSeenOn).toEqual(day(2));

    await w.run(day(15), on);
    expect([...w.records.recipients.values()][0].revokedOn).toBeUndefined();

    const ended = await w.run(day(16), on);
    expect(ended.failures).toEqual([]);
    expect(ended.counts.accessEndedCaseClosed).toBe(1);
    expect(w.folders.folders.get(w.records.exchanges.get("x1")!.itemId!)!.permissions).toEqual([]);
    const [recipient] = [...w.records.recipients.values()];
    expect(recipient).toMatchObject({ revokedOn: day(16), reason: "Access ended because the case was closed. (Retention job)" });
    expect([...w.records.emails.values()]).toEqual([
      expect.objectContaining({ to: ["ann@fabrikam.example"], sent: true, caseId: "case-x1" }),
    ]);
    expect(w.records.exchanges.get("x1")!.stage).toBe(ExchangeStage.revoked);
    // The resolved case refuses its note; the exchange's stands.
    expect(w.records.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange"]);
    expect(w.folders.has(w.path)).toBe(true);

    const writes = w.records.writes;
    await w.run(day(17), on);
    expect(w.records.writes).toBe(writes);
    expect(w.records.emails.size).toBe(1);
  });

  test("reopened in time: the mark is cleared and access stays", async () => {
    const w = world();
    const x = w.records.exchanges.get("x1")!;
    x.caseState = 2;
    await w.run(day(2), on);
    x.caseState = 0;
    const reopened = await w.run(day(10), on);
    expect(reopened.counts.closedCasesReopened).toBe(1);
    expect(x.caseClosedSeenOn).toBeUndefined();
    await w.run(day(20), on);
    expect([...w.records.recipients.values()][0].revokedOn).toBeUndefined();
    expect(w.records.emails.size).toBe(0);
  });
});
