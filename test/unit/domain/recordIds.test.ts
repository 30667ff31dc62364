import { ExchangeDirection } from "../../../src/model";
import { emailRowId, exchangeRowId, noteRowId, notificationRowId, onceId, receiptRowId, recipientRowId } from "../../../src/domain";

const CASE = "6b1f3c2a-0d4e-4f5a-9b8c-7d6e5f4a3b2c";
const X = "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b";
const folder = { driveId: "b!drive", itemId: "01ABCDEF", path: "Customer Data Migration/CAS-01234-A1B2C3" };
const backup = ExchangeDirection.backupForCustomer;

describe("ids derived from what a row records", () => {
  test("are UUIDs, the same for the same key in every run", () => {
    expect(onceId("k")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(onceId("k")).toBe(onceId("k"));
  });

  const exchange = { caseId: CASE, direction: backup, folder, earlier: 0 };
  test.each<[string, boolean, Parameters<typeof exchangeRowId>[0]]>([
    ["the case id braced and in capitals", true, { ...exchange, caseId: `{${CASE.toUpperCase()}}` }],
    ["another path (the item id decides)", true, { ...exchange, folder: { ...folder, path: "x" } }],
    ["the other direction", false, { ...exchange, direction: ExchangeDirection.filesFromCustomer }],
    ["another case", false, { ...exchange, caseId: X }],
    ["a folder made again at the same path (a new item)", false, { ...exchange, folder: { ...folder, itemId: "01XYZ" } }],
    ["the same item id on another drive", false, { ...exchange, folder: { ...folder, driveId: "b!other" } }],
    ["the next exchange after a deletion (a folder restored with its item id)", false, { ...exchange, earlier: 1 }],
  ])("an exchange for %s: same id %s", (_what, same, input) => {
    expect(exchangeRowId(input) === exchangeRowId(exchange)).toBe(same);
  });

  test("an exchange without an item id counts by its path, ignoring letter case and a trailing slash", () => {
    const byPath = (path: string) => exchangeRowId({ caseId: CASE, direction: backup, folder: { path }, earlier: 0 });
    expect(byPath("Customer Data Migration/CAS-1/")).toBe(byPath("customer data migration/cas-1"));
    expect(byPath("Customer Data Migration/CAS-1")).not.toBe(byPath("Customer Data Migration/CAS-2"));
  });

  const recipient = { exchangeId: X, email: "ana@clinic.example", round: 0 };
  test.each<[string, boolean, Parameters<typeof recipientRowId>[0]]>([
    ["the address in capitals with spaces", true, { ...recipient, email: " Ana@Clinic.example " }],
    ["the exchange id braced", true, { ...recipient, exchangeId: `{${X.toUpperCase()}}` }],
    ["the next invitation after a revoke", false, { ...recipient, round: 1 }],
    ["another address", false, { ...recipient, email: "ben@clinic.example" }],
  ])("a recipient with %s: same id %s", (_what, same, input) => {
    expect(recipientRowId(input) === recipientRowId(recipient)).toBe(same);
  });

  const receipt = { exchangeId: X, path: "photos/a.jpg", itemId: "01F", size: 10, quickXorHash: "h" };
  test.each<[string, boolean, Parameters<typeof receiptRowId>[0]]>([
    ["the same upload written again", true, { ...receipt }],
    ["the path in other letter case", true, { ...receipt, path: "Photos/A.jpg" }],
    ["other content at the same path", false, { ...receipt, quickXorHash: "h2" }],
    ["another size", false, { ...receipt, size: 11 }],
    ["another file", false, { ...receipt, path: "photos/b.jpg", itemId: "01G" }],
  ])("a receipt for %s: same id %s", (_what, same, input) => {
    expect(receiptRowId(input) === receiptRowId(receipt)).toBe(same);
  });

  test("a note is one per event and timeline", () => {
    const onExchange = { table: "cfx_fileexchange", id: X };
    expect(noteRowId("shared:r1", onExchange)).toBe(noteRowId("shared:r1", { table: "cfx_fileexchange", id: `{${X.toUpperCase()}}` }));
    expect(noteRowId("shared:r1", onExchange)).not.toBe(noteRowId("shared:r1", { table: "incident", id: X }));
    expect(noteRowId("shared:r1", onExchange)).not.toBe(noteRowId("shared:r2", onExchange));
  });

  test("an in-app notification is one per event and person: each member of a team gets their own", () => {
    const event = `backupReady:${X}`;
    expect(notificationRowId(event, CASE)).toBe(notificationRowId(event, `{${CASE.toUpperCase()}}`));
    expect(notificationRowId(event, CASE)).not.toBe(notificationRowId(event, X));
    expect(notificationRowId(event, CASE)).not.toBe(notificationRowId(`backupReady:${CASE}`, CASE));
    expect(notificationRowId(event, CASE)).not.toBe(noteRowId(event, { table: "systemuser", id: CASE }));
  });

  test("an e-mail is one per event, however many it goes to", () => {
    expect(emailRowId(`backupReady:${X}`)).toBe(emailRowId(`backupReady:${X}`));
    expect(emailRowId(`backupReady:${X}`)).not.toBe(emailRowId(`backupReady:${CASE}`));
    expect(emailRowId(`backupReady:${X}`)).not.toBe(notificationRowId(`backupReady:${X}`, X));
  });
});
