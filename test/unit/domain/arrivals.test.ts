import {
  arrivalBatchId,
  arrivalReceiptId,
  contentKeyOf,
  decideArrivals,
  type ArrivalsInput,
  type KnownReceipt,
  type LibraryItem,
} from "../../../src/domain/arrivals";

const customer = { kind: "user" as const, email: "tom.baker@northwind.example", displayName: "tom.baker@northwind.example" };
const agent = { kind: "user" as const, email: "alex.agent@contoso.example", displayName: "Alex Agent" };
const job = { kind: "application" as const, displayName: "Case File Exchange retention job" };

const root: LibraryItem = { kind: "folder", itemId: "root", name: "root" };
const uploads: LibraryItem = { kind: "folder", itemId: "up", parentId: "root", name: "External Data Transfer" };
const caseA: LibraryItem = { kind: "folder", itemId: "fa", parentId: "up", name: "CAS-01004-K1L2M3" };
const caseB: LibraryItem = { kind: "folder", itemId: "fb", parentId: "up", name: "CAS-01005-N4P5Q6" };
const backups: LibraryItem = { kind: "folder", itemId: "bk", parentId: "root", name: "Customer Data Migration" };
const parents = [root, uploads, caseA, caseB, backups];

const file = (itemId: string, parentId: string, name: string, over: Partial<Extract<LibraryItem, { kind: "file" }>> = {}): LibraryItem => ({
  kind: "file",
  itemId,
  parentId,
  name,
  size: 10,
  quickXorHash: `h-${itemId}`,
  modifiedBy: customer,
  ...over,
});
const receipt = (exchangeId: string, itemId: string, hash: string, deleted = false): KnownReceipt => ({
  exchangeId,
  itemId,
  contentKey: `qx:${hash}`,
  receiptId: arrivalReceiptId(itemId, `qx:${hash}`),
  deleted,
});

const exchanges = [
  { exchangeId: "ex-a", folderItemId: "fa" },
  { exchangeId: "ex-b", folderItemId: "fb" },
];

function run(changes: LibraryItem[], over: Partial<ArrivalsInput> = {}) {
  return decideArrivals({ exchanges, changes, complete: false, receipts: [], organizationDomains: ["contoso.example"], ...over });
}

/** exchange → "new:path" / "replaced:path" / "deleted:item", sorted, for the table below. */
function summary(result: ReturnType<typeof decideArrivals>): Record<string, string[]> {
  return Object.fromEntries(
    result.map((r) => [
      r.exchangeId,
      [
        ...r.newFiles.map((f) => `new:${f.path}`),
        ...r.replacedFiles.map((f) => `replaced:${f.path}`),
        ...r.deletedReceipts.map((d) => `deleted:${d.itemId}`),
      ].sort(),
    ]),
  );
}

describe("which changes are arrivals, per exchange", () => {
  test.each<[string, LibraryItem[], Partial<ArrivalsInput>, Record<string, string[]>]>([
    ["nothing changed", [], {}, {}],
    ["only parents listed again", parents, {}, {}],
    ["a new file in one folder", [...parents, file("f1", "fa", "log.txt")], {}, { "ex-a": ["new:log.txt"] }],
    [
      "new files in two folders",
      [...parents, file("f1", "fa", "log.txt"), file("f2", "fb", "photo.png")],
      {},
      { "ex-a": ["new:log.txt"], "ex-b": ["new:photo.png"] },
    ],
    [
      "a whole folder uploaded: files in new sub-folders count, with their paths",
      [
        ...parents,
        { kind: "folder", itemId: "s1", parentId: "fa", name: "logs" },
        { kind: "folder", itemId: "s2", parentId: "s1", name: "2026" },
        file("f1", "s1", "a.log"),
        file("f2", "s2", "b.log"),
      ],
      {},
      { "ex-a": ["new:logs/2026/b.log", "new:logs/a.log"] },
    ],
    [
      "a file in a sub-folder known from an earlier run (the feed without its parents)",
      [file("f1", "s1", "a.log")],
      { knownFolders: new Map([["s1", { parentId: "fa", name: "logs" }]]) },
      { "ex-a": ["new:logs/a.log"] },
    ],
    ["a file whose folder is unknown is left alone", [file("f1", "s9", "a.log")], {}, {}],
    ["a file outside every upload folder", [...parents, file("f1", "bk", "backup.zip"), file("f2", "up", "stray.txt")], {}, {}],
    [
      "a file in a case folder whose exchange is not open",
      [...parents, { kind: "folder", itemId: "fc", parentId: "up", name: "CAS-01009-AAAAAA" }, file("f1", "fc", "x.txt")],
      {},
      {},
    ],
    ["folders themselves are not arrivals", [...parents, { kind: "folder", itemId: "s1", parentId: "fa", name: "empty" }], {}, {}],
    ["a file the organization's own people put there", [...parents, file("f1", "fa", "template.docx", { modifiedBy: agent })], {}, {}],
    [
      "the domain compares without case or @",
      [...parents, file("f1", "fa", "t.docx", { modifiedBy: agent })],
      { organizationDomains: ["@Contoso.Example"] },
      {},
    ],
    ["a file an application put there", [...parents, file("f1", "fa", "report.csv", { modifiedBy: job })], {}, {}],
    [
      "with no organization domains, people's files all count (applications' still do not)",
      [...parents, file("f1", "fa", "t.docx", { modifiedBy: agent }), file("f2", "fa", "r.csv", { modifiedBy: job })],
      { organizationDomains: [] },
      { "ex-a": ["new:t.docx"] },
    ],
    [
      "the creator counts when the feed names no modifier",
      [...parents, file("f1", "fa", "a.txt", { modifiedBy: undefined, createdBy: customer })],
      {},
      { "ex-a": ["new:a.txt"] },
    ],
    [
      "a file already receipted with the same content",
      [...parents, file("f1", "fa", "log.txt")],
      { receipts: [receipt("ex-a", "f1", "h-f1")] },
      {},
    ],
    [
      "a receipted file with new content is replaced",
      [...parents, file("f1", "fa", "log.txt", { quickXorHash: "h-new" })],
      { receipts: [receipt("ex-a", "f1", "h-f1")] },
      { "ex-a": ["replaced:log.txt"] },
    ],
    [
      "a receipted file deleted",
      [{ kind: "deleted", itemId: "f1" }],
      { receipts: [receipt("ex-a", "f1", "h-f1")] },
      { "ex-a": ["deleted:f1"] },
    ],
    ["a deletion already marked", [{ kind: "deleted", itemId: "f1" }], { receipts: [receipt("ex-a", "f1", "h-f1", true)] }, {}],
    ["a deleted item nobody receipted", [{ kind: "deleted", itemId: "f9" }], {}, {}],
    [
      "a deletion for a receipt of a closed exchange",
      [{ kind: "deleted", itemId: "f1" }],
      { receipts: [receipt("ex-old", "f1", "h-f1")] },
      {},
    ],
    [
      "a complete listing without a receipted file: it is gone",
      [...parents, file("f2", "fa", "kept.txt")],
      { complete: true, receipts: [receipt("ex-a", "f1", "h-f1"), receipt("ex-a", "f2", "h-f2")] },
      { "ex-a": ["deleted:f1"] },
    ],
    ["without a complete listing, an unlisted receipted file is not gone", [...parents], { receipts: [receipt("ex-a", "f1", "h-f1")] }, {}],
  ])("%s", (_name, changes, over, expected) => {
    expect(summary(run(changes, over))).toEqual(expected);
  });
});

describe("receipts and batches", () => {
  test("a receipt's id comes from the item and its content, the same on every run", () => {
    const [a] = run([...parents, file("f1", "fa", "log.txt")]);
    const [again] = run([...parents, file("f1", "fa", "renamed.txt")]);
    expect(a.newFiles[0].receiptId).toBe(arrivalReceiptId("f1", "qx:h-f1"));
    expect(again.newFiles[0].receiptId).toBe(a.newFiles[0].receiptId);
    expect(arrivalReceiptId("f1", "qx:other")).not.toBe(a.newFiles[0].receiptId);
    expect(a.newFiles[0]).toMatchObject({ itemId: "f1", name: "log.txt", size: 10, quickXorHash: "h-f1", uploadedBy: customer.email });
  });

  test("a file without a hash yet is keyed by its size and time of change", () => {
    const modifiedOn = new Date("2026-12-01T10:00:00Z");
    expect(contentKeyOf({ size: 5, modifiedOn })).toBe("size:5:2026-12-01T10:00:00.000Z");
    const [a] = run([...parents, file("f1", "fa", "big.bin", { quickXorHash: undefined, size: 5, modifiedOn })]);
    expect(a.newFiles[0].receiptId).toBe(arrivalReceiptId("f1", "size:5:2026-12-01T10:00:00.000Z"));
  });

  test("a batch is the receipts one run claims: the same files give the same batch, later files a new one", () => {
    const [first] = run([...parents, file("f1", "fa", "a.txt"), file("f2", "fa", "b.txt")]);
    const [reordered] = run([...parents, file("f2", "fa", "b.txt"), file("f1", "fa", "a.txt")]);
    expect(first.batchId).toBe(arrivalBatchId("ex-a", [first.newFiles[0].receiptId, first.newFiles[1].receiptId]));
    expect(reordered.batchId).toBe(first.batchId);
    const receipts = first.newFiles.map((f) => receipt("ex-a", f.itemId, `h-${f.itemId}`));
    const [later] = run([...parents, file("f1", "fa", "a.txt"), file("f3", "fa", "c.txt")], { receipts });
    expect(later.newFiles.map((f) => f.name)).toEqual(["c.txt"]);
    expect(later.batchId).toBeDefined();
    expect(later.batchId).not.toBe(first.batchId);
  });

  test("a replaced file names the receipts it supersedes; deletions alone claim no batch", () => {
    const old = receipt("ex-a", "f1", "h-f1");
    const [r] = run([...parents, file("f1", "fa", "log.txt", { quickXorHash: "h-2" })], { receipts: [old] });
    expect(r.replacedFiles[0]).toMatchObject({ replaces: [old.receiptId], receiptId: arrivalReceiptId("f1", "qx:h-2") });
    const [d] = run([{ kind: "deleted", itemId: "f1" }], { receipts: [old] });
    expect(d.batchId).toBeUndefined();
    expect(d.deletedReceipts).toEqual([{ receiptId: old.receiptId, itemId: "f1" }]);
  });

  test("a file deleted and listed missing in the same complete run is marked once", () => {
    const old = receipt("ex-a", "f1", "h-f1");
    const [d] = run([...parents, { kind: "deleted", itemId: "f1" }], { complete: true, receipts: [old] });
    expect(d.deletedReceipts).toHaveLength(1);
  });

  test("a folder cycle in the feed ends the walk instead of looping", () => {
    const loop: LibraryItem[] = [
      { kind: "folder", itemId: "x", parentId: "y", name: "x" },
      { kind: "folder", itemId: "y", parentId: "x", name: "y" },
      file("f1", "x", "a.txt"),
    ];
    expect(run(loop)).toEqual([]);
  });
});
