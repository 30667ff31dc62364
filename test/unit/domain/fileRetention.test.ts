import {
  fileAction,
  fileExpiredNote,
  fileExpiry,
  keptFilesNote,
  sortChildren,
  type FileAction,
  type FileDecision,
} from "../../../src/domain/fileRetention";
import { FileStatus } from "../../../src/model";

const now = new Date("2026-12-10T12:00:00Z");
const at = (iso: string) => new Date(iso);
const folderExpiry = at("2026-12-08T00:00:00Z");

describe("what happens to one receipted file (now 2026-12-10 12:00 UTC)", () => {
  test.each<[string, FileDecision, FileAction, Date | null]>([
    ["no decision, in the folder", { status: FileStatus.inFolder }, "withFolder", folderExpiry],
    ["no decision, receipt older than the status", {}, "withFolder", folderExpiry],
    ["kept with no expiry", { status: FileStatus.inFolder, keptSince: at("2026-12-01T00:00:00Z") }, "keep", null],
    [
      "kept with no expiry and an own date too: kept wins",
      { keptSince: at("2026-12-01T00:00:00Z"), expiryOverride: at("2026-12-09T00:00:00Z") },
      "keep",
      null,
    ],
    ["own date later than now", { expiryOverride: at("2027-01-05T00:00:00Z") }, "keep", at("2027-01-05T00:00:00Z")],
    ["own date this instant", { expiryOverride: now }, "deleteOnOwnDate", now],
    [
      "own date earlier than the folder's, passed",
      { expiryOverride: at("2026-12-03T00:00:00Z") },
      "deleteOnOwnDate",
      at("2026-12-03T00:00:00Z"),
    ],
    ["replaced by the customer", { status: FileStatus.replaced, keptSince: at("2026-12-01T00:00:00Z") }, "gone", null],
    ["deleted by the customer", { status: FileStatus.deletedByCustomer }, "gone", folderExpiry],
    ["removed by support", { status: FileStatus.removed, expiryOverride: at("2026-12-03T00:00:00Z") }, "gone", at("2026-12-03T00:00:00Z")],
    ["already expired", { status: FileStatus.expired }, "gone", folderExpiry],
  ])("%s → %s", (_label, file, action, expiry) => {
    expect(fileAction(file, now)).toBe(action);
    expect(fileExpiry(file, folderExpiry)).toEqual(expiry);
  });
});

describe("emptying an expired folder around its kept files", () => {
  const file = (name: string, itemId = `id-${name}`) => ({ itemId, name, isFolder: false });
  const folder = (name: string, itemId = `id-${name}`) => ({ itemId, name, isFolder: true });
  const names = (xs: ReadonlyArray<{ name: string }>) => xs.map((x) => x.name);

  test.each<[string, string, ReturnType<typeof file>[], Array<{ path: string; itemId?: string }>, string[], string[], string[]]>([
    [
      "a kept file at the top, by path",
      "",
      [file("keep.pdf"), file("other.log"), folder("logs")],
      [{ path: "keep.pdf" }],
      ["keep.pdf"],
      [],
      ["other.log", "logs"],
    ],
    ["by path, ignoring letter case", "", [file("Keep.PDF"), file("x")], [{ path: "keep.pdf" }], ["Keep.PDF"], [], ["x"]],
    [
      "by item id after a rename",
      "",
      [file("renamed.pdf", "id-1"), file("x")],
      [{ path: "keep.pdf", itemId: "id-1" }],
      ["renamed.pdf"],
      [],
      ["x"],
    ],
    [
      "a kept file in a subfolder: the subfolder is looked into",
      "",
      [folder("logs"), folder("scans"), file("a.txt")],
      [{ path: "logs/app.log" }],
      [],
      ["logs"],
      ["scans", "a.txt"],
    ],
    ["inside that subfolder", "logs", [file("app.log"), file("old.log")], [{ path: "logs/app.log" }], ["app.log"], [], ["old.log"]],
    [
      "a file named like the kept folder's prefix is not kept",
      "",
      [file("logs"), folder("logs2")],
      [{ path: "logs/app.log" }],
      [],
      [],
      ["logs", "logs2"],
    ],
    ["nothing kept: everything goes", "", [file("a"), folder("b")], [], [], [], ["a", "b"]],
  ])("%s", (_label, prefix, children, kept, keep, descend, remove) => {
    const sorted = sortChildren(prefix, children, kept);
    expect(names(sorted.keep)).toEqual(keep);
    expect(names(sorted.descend)).toEqual(descend);
    expect(names(sorted.remove)).toEqual(remove);
  });
});

describe("the notes", () => {
  test("an expired folder with kept files says what was deleted, what was kept and until when", () => {
    const note = keptFilesNote({
      folderName: "CAS-01234-ABCDEF",
      kept: [
        { name: "report.pdf", until: null },
        { name: "logs/app.log", until: at("2027-01-05T00:00:00Z") },
      ],
      deleted: ["photo.jpg"],
      revokedCount: 1,
    });
    expect(note.subject).toBe("Folder CAS-01234-ABCDEF expired: 2 files kept");
    expect(note.text).toContain("1 external permission was removed, so the customer can no longer open it.");
    expect(note.text).toContain("Everything else in the folder was deleted, including photo.jpg.");
    expect(note.text).toContain("report.pdf (kept with no expiry), logs/app.log (kept until 2027-01-05)");
    expect(note.text).toContain("A file kept with no expiry keeps the folder");
  });

  test("with only dated kept files the folder goes with the last of them", () => {
    const note = keptFilesNote({ folderName: "F", kept: [{ name: "a", until: at("2027-01-05T00:00:00Z") }], deleted: [], revokedCount: 0 });
    expect(note.subject).toBe("Folder F expired: 1 file kept");
    expect(note.text).toContain("Everything else in the folder was deleted. An administrator kept this file, which stays in the folder");
    expect(note.text).toContain("The folder is deleted with its last kept file.");
  });

  test("a file deleted on its own date", () => {
    const note = fileExpiredNote({ folderName: "F", fileName: "scan.pdf", on: at("2026-12-03T00:00:00Z") });
    expect(note.subject).toBe("File scan.pdf deleted on its own date");
    expect(note.text).toContain("was deleted on 2026-12-03 (UTC), the date an administrator set for it");
  });
});
