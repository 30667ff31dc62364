import { ExchangeStage, FileStatus } from "../../src/model";
import { startSandbox, type TestSandbox } from "./support/sandbox";
import { retentionWorld } from "./support/retentionWorld";

/**
 * An administrator's decisions about one file (seed 002), honoured by the retention job against the
 * sandbox: at the folder's expiry the guests lose access and everything but the kept files goes; a
 * file's own date, earlier or later than its folder's, is when it goes; the folder goes with its
 * last kept file. The job's field security profile reads the secured decisions.
 */
jest.setTimeout(180_000);

let sb: TestSandbox;
const w = retentionWorld(() => sb);

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await w.control("PUT", "/_sandbox/faults", {});
  await w.control("POST", "/_sandbox/reset");
});

const receipt = (id: string) => w.dv(`cfx_filereceipts(${id})?$select=cfx_filestatus,cfx_filegoneon`);
const exchange = (id: string) => w.dv(`cfx_fileexchanges(${id})?$select=cfx_stage,cfx_removedon,cfx_deletedon`);

test("a kept file stays while the rest goes and the guest loses access; a rerun writes nothing; a dated file goes on its date", async () => {
  const x = await w.uploadFolder("CAS-07101-KEEP01", ["keep.pdf", "other.log", "logs/app.log", "logs/old.log"], {
    decisions: { "keep.pdf": { kept: true }, "logs/app.log": { ownDateInDays: 10 } },
  });
  expect(await w.guestPermissions(x.itemId)).toHaveLength(1);

  const expiry = await w.sweepAfter(7.5);
  expect(expiry.failures).toEqual([]);
  expect(expiry.counts.filesKept).toBe(2);
  expect(await w.itemExists(`${x.path}/keep.pdf`)).toBe(true);
  expect(await w.itemExists(`${x.path}/logs/app.log`)).toBe(true);
  expect(await w.itemExists(`${x.path}/other.log`)).toBe(false);
  expect(await w.itemExists(`${x.path}/logs/old.log`)).toBe(false);
  expect(await w.guestPermissions(x.itemId)).toEqual([]);
  const [recipient] = await w.rows(`cfx_exchangerecipients?$select=cfx_revokedon&$filter=_cfx_exchangeid_value eq ${x.id}`);
  expect(recipient.cfx_revokedon).toBeTruthy();
  expect(await receipt(x.receipts["keep.pdf"])).toMatchObject({ cfx_filestatus: FileStatus.inFolder, cfx_filegoneon: null });
  expect(await receipt(x.receipts["other.log"])).toMatchObject({ cfx_filestatus: FileStatus.expired });
  expect((await receipt(x.receipts["logs/old.log"])).cfx_filegoneon).toBeTruthy();
  expect(await exchange(x.id)).toMatchObject({ cfx_stage: ExchangeStage.revoked, cfx_removedon: null });
  const notes = [...(await w.notesOn(x.id)), ...(await w.notesOn(x.caseId))].filter((n) => String(n.subject).includes("CAS-07101-KEEP01"));
  expect(notes.map((n) => n.subject)).toEqual([
    "Folder CAS-07101-KEEP01 expired: 2 files kept",
    "Folder CAS-07101-KEEP01 expired: 2 files kept",
  ]);
  expect(String(notes[0].notetext)).toContain("keep.pdf (kept with no expiry)");
  expect(String(notes[0].notetext)).toContain("other.log");

  // A rerun reads and lists, and writes nothing: no Dataverse $batch, no Graph deletion.
  await w.clearRequests();
  const again = await w.sweepAfter(0.5);
  expect(again.failures).toEqual([]);
  const log = await w.requestsSince();
  expect(log.filter((r) => r.path === "/api/data/v9.2/$batch")).toEqual([]);
  expect(log.filter((r) => r.method === "DELETE")).toEqual([]);

  // Its own date, three days after the folder's expiry: that file goes, the kept one keeps the folder.
  const dated = await w.sweepAfter(2.5);
  expect(dated.failures).toEqual([]);
  expect(dated.counts.filesDeleted).toBe(1);
  expect(await w.itemExists(`${x.path}/logs/app.log`)).toBe(false);
  expect(await receipt(x.receipts["logs/app.log"])).toMatchObject({ cfx_filestatus: FileStatus.expired });
  expect((await w.notesOn(x.id)).map((n) => n.subject)).toContain("File logs/app.log deleted on its own date");
  expect(await w.itemExists(`${x.path}/keep.pdf`)).toBe(true);
  await w.sweepAfter(60);
  expect(await w.itemExists(`${x.path}/keep.pdf`)).toBe(true);
  expect((await exchange(x.id)).cfx_removedon).toBeNull();
});

test("the folder is deleted with its last kept file, and only then is its removal confirmed", async () => {
  const x = await w.uploadFolder("CAS-07102-LAST01", ["a.txt", "b.txt"], { decisions: { "b.txt": { ownDateInDays: 12 } } });
  await w.sweepAfter(7.5);
  expect(await w.itemExists(`${x.path}/b.txt`)).toBe(true);
  expect(await w.itemExists(`${x.path}/a.txt`)).toBe(false);
  expect((await exchange(x.id)).cfx_removedon).toBeNull();

  const last = await w.sweepAfter(5);
  expect(last.failures).toEqual([]);
  expect(await w.itemExists(x.path)).toBe(false);
  const gone = await exchange(x.id);
  expect(gone.cfx_stage).toBe(ExchangeStage.deleted);
  expect(gone.cfx_removedon).toBeTruthy();
  expect(await receipt(x.receipts["b.txt"])).toMatchObject({ cfx_filestatus: FileStatus.expired });
  const subjects = (await w.notesOn(x.id)).map((n) => n.subject);
  expect(subjects).toEqual(expect.arrayContaining(["Folder CAS-07102-LAST01 expired: 1 file kept", "Folder CAS-07102-LAST01 deleted"]));
});

test("a file whose own date is earlier than the folder's goes on that date; the folder and the guest's access stay", async () => {
  const x = await w.uploadFolder("CAS-07103-EARLY1", ["scan.pdf", "photo.jpg"], { decisions: { "scan.pdf": { ownDateInDays: 3 } } });
  const before = await w.sweepAfter(2);
  expect(before.counts.filesDeleted).toBe(0);
  expect(await w.itemExists(`${x.path}/scan.pdf`)).toBe(true);

  const on = await w.sweepAfter(1.5);
  expect(on.failures).toEqual([]);
  expect(on.counts.filesDeleted).toBe(1);
  expect(await w.itemExists(`${x.path}/scan.pdf`)).toBe(false);
  expect(await w.itemExists(`${x.path}/photo.jpg`)).toBe(true);
  expect(await w.guestPermissions(x.itemId)).toHaveLength(1);
  expect(await receipt(x.receipts["scan.pdf"])).toMatchObject({ cfx_filestatus: FileStatus.expired });
  expect(await receipt(x.receipts["photo.jpg"])).toMatchObject({ cfx_filestatus: FileStatus.inFolder });
  const noted = [...(await w.notesOn(x.id)), ...(await w.notesOn(x.caseId))].filter(
    (n) => n.subject === "File scan.pdf deleted on its own date",
  );
  expect(noted).toHaveLength(2);

  // Once: the next run finds nothing due on its own date.
  const next = await w.sweepAfter(0.5);
  expect(next.counts.filesDeleted).toBe(0);
  expect(
    [...(await w.notesOn(x.id)), ...(await w.notesOn(x.caseId))].filter((n) => n.subject === "File scan.pdf deleted on its own date"),
  ).toHaveLength(2);
});
