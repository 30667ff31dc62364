import { ExchangeDirection } from "../../../src/model";
import { exchangeRowId, noteRowId, onceId, receiptRowId, recipientRowId } from "../../../src/domain";

const CASE = "6b1f3c2a-0d4e-4f5a-9b8c-7d6e5f4a3b2c";
const X = "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b";
const folder = { driveId: "b!drive", itemId: "01ABCDEF", path: "Customer Data Migration/CAS-01234-A1B2C3" };
const backup = ExchangeDirection.backupForCustomer;

describe("ids derived from what a row records", () => {
  test("are UUIDs, the same for the same key in every run", () => {
    expect(onceId("k")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(onceId("k")).toBe(onceId("k"));
  });

  test.each<[string, Parameters<typeof exchangeRowId>[0], boolean]>([
    ["the case id braced and in capitals", { caseId: `{${CASE.toUpperCase()}}`, direction: backup, folder }, true],
    ["the path in other letter case (the item id decides)", { caseId: CASE, direction: backup, folder: { ...folder, path: "x" } }, true],
    ["the other direction", { caseId: CASE, direction: ExchangeDirection.filesFromCustomer, folder }, false],
    ["another case", { caseId: X, direction: backup, folder }, false],
    [
      "a folder made again at the same path (a new item)",
      { caseId: CASE, direction: backup, folder: { ...folder, itemId: "01XYZ" } },
      false,
    ],
    ["the same item id on another drive", { caseId: CASE, direction: backup, folder: { ...folder, driveId: "b!other" } }, false],
  ])("an exchange for %s: same id %s", (_what, input, same) => {
    expect(exchangeRowId(input) === exchangeRowId({ caseId: CASE, direction: backup, folder })).toBe(same);
  });

  test("an exchange without an item id counts by its path, ignoring letter case and a trailing slash", () => {
    const byPath = (path: string) => exchangeRowId({ caseId: CASE, direction: backup, folder: { path } });
    expect(byPath("Customer Data Migration/CAS-1/")).toBe(byPath("customer data migration/cas-1"));
    expect(byPath("Customer Data Migration/CAS-1")).not.toBe(byPath("Customer Data Migration/CAS-2"));
  });

  test.each<[string, Parameters<typeof recipientRowId>[0], boolean]>([
    ["the address in capitals with spaces", { exchangeId: X, email: " Ana@Clinic.example ", round: 0 }, true],
    ["the exchange id braced", { exchangeId: `{${X.toUpperCase()}}`, email: "ana@clinic.example", round: 0 }, true],
    ["the next invitation after a revoke", { exchangeId: X, email: "ana@clinic.example", round: 1 }, false],
    ["another address", { exchangeId: X, email: "ben@clinic.example", round: 0 }, false],
  ])("a recipient with %s: same id %s", (_what, input, same) => {
    expect(recipientRowId(input) === recipientRowId({ exchangeId: X, email: "ana@clinic.example", round: 0 })).toBe(same);
  });

  test.each<[string, Parameters<typeof receiptRowId>[0], boolean]>([
    ["the same upload", { exchangeId: X, path: "photos/a.jpg", itemId: "01F", size: 10, quickXorHash: "h" }, true],
    ["the path in other letter case", { exchangeId: X, path: "Photos/A.jpg", itemId: "01F", size: 10, quickXorHash: "h" }, true],
    ["other content at the same path", { exchangeId: X, path: "photos/a.jpg", itemId: "01F", size: 10, quickXorHash: "h2" }, false],
    ["another size", { exchangeId: X, path: "photos/a.jpg", itemId: "01F", size: 11, quickXorHash: "h" }, false],
    ["another file", { exchangeId: X, path: "photos/b.jpg", itemId: "01G", size: 10, quickXorHash: "h" }, false],
  ])("a receipt for %s: same id %s", (_what, input, same) => {
    expect(receiptRowId(input) === receiptRowId({ exchangeId: X, path: "photos/a.jpg", itemId: "01F", size: 10, quickXorHash: "h" })).toBe(
      same,
    );
  });

  test("a note is one per event and timeline", () => {
    const exchange = { table: "cfx_fileexchange", id: X };
    expect(noteRowId("shared:r1", exchange)).toBe(noteRowId("shared:r1", { table: "cfx_fileexchange", id: `{${X.toUpperCase()}}` }));
    expect(noteRowId("shared:r1", exchange)).not.toBe(noteRowId("shared:r1", { table: "incident", id: X }));
    expect(noteRowId("shared:r1", exchange)).not.toBe(noteRowId("shared:r2", exchange));
  });
});
