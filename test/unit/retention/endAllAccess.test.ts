import { endAllAccess, type EndAllAccessOptions } from "../../../src/app/endAllAccess";
import type { RetentionRuleSettings } from "../../../src/domain/retention";
import { ExchangeStage } from "../../../src/model";
import type { Clock } from "../../../src/ports/Clock";
import { FakeInventory, FakeRecords, guest, inherited, owners } from "./fakes";

const DAY = 86_400_000;
const today = new Date("2026-12-01T12:00:00Z");
const fixed = (d: Date): Clock => ({ now: () => d });
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
const SUBJECT = "Access ended before the solution was removed";

function world() {
  const records = new FakeRecords();
  const folders = new FakeInventory();
  const run = (options: Partial<EndAllAccessOptions> = {}) => endAllAccess({ records, folders }, fixed(today), { settings, ...options });
  const exchange = (
    id: string,
    extra: { stage?: ExchangeStage; kept?: boolean; permissions?: ReturnType<typeof guest>[]; noFolder?: boolean } = {},
  ) => {
    const path = `Customer Data Migration/CAS-0${id.padStart(4, "0")}-ABCDEF`;
    const created = new Date(today.getTime() - 5 * DAY);
    const itemId = extra.noFolder ? undefined : folders.addFolder(path, created, { permissions: extra.permissions });
    records.addExchange({
      id,
      name: path.split("/")[1],
      folderPath: extra.noFolder ? "" : path,
      itemId,
      stage: extra.stage ?? ExchangeStage.shared,
      folderCreatedOn: created,
      expiresOn: extra.kept ? null : new Date(created.getTime() + 30 * DAY),
      ...(extra.kept ? { keptSince: created } : {}),
      // A removal the job or an administrator confirmed: what ends the job's care.
      ...(extra.stage === ExchangeStage.deleted ? { removedOn: created } : {}),
    });
    return { path, itemId };
  };
  const permissionsOf = (itemId: string | undefined) => folders.folders.get(itemId!)!.permissions.map((p) => p.id);
  return { records, folders, run, exchange, permissionsOf };
}

describe("ending every guest's access before the solution is removed", () => {
  test("every exchange not deleted loses every direct permission, its recipients are marked revoked, its stage is revoked, noted on the exchange and the case", async () => {
    const w = world();
    const shared = w.exchange("1", { permissions: [guest("p1", "ann@fabrikam.example"), inherited("p2"), owners("p3")] });
    w.records.addRecipient("1", "ann@fabrikam.example", "p1");
    const kept = w.exchange("2", {
      kept: true,
      permissions: [guest("p4", "bo@fabrikam.example"), guest("p5", "by-hand@fabrikam.example")],
    });
    w.exchange("3", { stage: ExchangeStage.folderCreated });
    w.exchange("4", { noFolder: true, stage: ExchangeStage.backupReady });
    const gone = w.exchange("5", { stage: ExchangeStage.deleted, permissions: [guest("p6", "old@fabrikam.example")] });

    const report = await w.run();

    // 1 + 2 on the live exchanges' folders, and 1 on the folder of the deleted one, which no live exchange records.
    expect(report.counts).toMatchObject({
      exchanges: 4,
      ended: 4,
      permissionsRevoked: 4,
      recipientsRevoked: 1,
      otherFolders: 1,
      failures: 0,
    });
    expect(report.complete).toBe(true);
    expect(w.permissionsOf(shared.itemId)).toEqual(["p2", "p3"]);
    expect(w.permissionsOf(kept.itemId)).toEqual([]);
    // A deleted exchange is not touched; its folder, still there, is one no exchange records: its guest goes too.
    expect(w.records.exchanges.get("5")!.stage).toBe(ExchangeStage.deleted);
    expect(w.permissionsOf(gone.itemId)).toEqual([]);
    const r = [...w.records.recipients.values()][0];
    expect(r.revokedOn).toEqual(today);
    expect(r.reason).toContain(SUBJECT);
    for (const id of ["1", "2", "3", "4"]) expect(w.records.exchanges.get(id)!.stage).toBe(ExchangeStage.revoked);
    const notes = w.records.notes.filter((n) => n.note.subject === SUBJECT);
    expect(notes.map((n) => `${n.target.table}:${n.target.id}`).sort()).toEqual(
      ["1", "2", "3", "4"].flatMap((id) => [`cfx_fileexchange:${id}`, `incident:case-${id}`]).sort(),
    );
    expect(report.folders).toEqual(
      expect.arrayContaining([
        { path: shared.path, exchangeId: "1", permissions: 1 },
        { path: kept.path, exchangeId: "2", permissions: 2 },
      ]),
    );
    // Nothing is deleted: the folders stay for the administrator to decide about.
    expect(w.folders.deleted).toEqual([]);
  });

  test("folders under the roots that no exchange records lose their direct permissions too", async () => {
    const w = world();
    w.exchange("1");
    const orphan = "Customer Data Migration/CAS-09001-ZZZZZZ";
    const scratch = "External Data Transfer/Scratch";
    const clean = "External Data Transfer/CAS-09002-ZZZZZZ";
    const o = w.folders.addFolder(orphan, today, { permissions: [guest("o1", "x@y.example"), inherited("o2")] });
    const s = w.folders.addFolder(scratch, today, { permissions: [guest("s1", "z@y.example")] });
    w.folders.addFolder(clean, today, { permissions: [inherited("c1")] });
    const report = await w.run();
    expect(w.permissionsOf(o)).toEqual(["o2"]);
    expect(w.permissionsOf(s)).toEqual([]);
    expect(report.counts).toMatchObject({ otherFolders: 3, otherFoldersWithAccess: 2, permissionsRevoked: 2 });
    expect(report.folders).toEqual(
      expect.arrayContaining([
        { path: orphan, permissions: 1 },
        { path: scratch, permissions: 1 },
      ]),
    );
    expect(report.folders.some((f) => f.path === clean)).toBe(false);
  });

  test("a second run finds nothing to do: no permission removed, nothing written", async () => {
    const w = world();
    w.exchange("1", { permissions: [guest("p1", "a@b.example")] });
    w.records.addRecipient("1", "a@b.example", "p1");
    w.exchange("2", { stage: ExchangeStage.revoked });
    w.folders.addFolder("Customer Data Migration/CAS-09001-ZZZZZZ", today, { permissions: [guest("o1", "x@y.example")] });
    await w.run();
    const writes = w.records.writes;
    const removals = w.folders.calls.removePermissions;
    const second = await w.run();
    expect(second.counts).toMatchObject({ ended: 0, permissionsRevoked: 0, recipientsRevoked: 0, failures: 0 });
    expect(second.folders).toEqual([]);
    expect(w.records.writes).toBe(writes);
    expect(w.folders.calls.removePermissions).toBe(removals);
  });

  test("an exchange already revoked by an agent, with nothing left to remove, is left as it is", async () => {
    const w = world();
    w.exchange("1", { stage: ExchangeStage.revoked, permissions: [inherited("p1")] });
    const report = await w.run();
    expect(report.counts).toMatchObject({ exchanges: 1, ended: 0 });
    expect(w.records.notes).toEqual([]);
  });

  test("a folder whose permissions could not be read or removed is reported, its exchange is not marked, and the next run finishes it", async () => {
    const w = world();
    const a = w.exchange("1", { permissions: [guest("p1", "a@b.example")] });
    w.records.addRecipient("1", "a@b.example", "p1");
    w.exchange("2", { permissions: [guest("p2", "c@d.example")] });
    w.folders.failPermissions.add(a.path);
    const first = await w.run();
    expect(first.failures).toEqual([expect.objectContaining({ step: "revoke", exchangeId: "1", path: a.path, status: 503 })]);
    expect(first.counts.failures).toBe(1);
    expect(w.records.exchanges.get("1")!.stage).toBe(ExchangeStage.shared);
    expect([...w.records.recipients.values()][0].revokedOn).toBeUndefined();
    expect(w.records.exchanges.get("2")!.stage).toBe(ExchangeStage.revoked);

    w.folders.failPermissions.clear();
    const second = await w.run();
    expect(second.failures).toEqual([]);
    expect(w.records.exchanges.get("1")!.stage).toBe(ExchangeStage.revoked);
    expect(w.permissionsOf(a.itemId)).toEqual([]);
  });

  test("a resolved case refusing its note is expected, not a failure", async () => {
    const w = world();
    w.exchange("1", { permissions: [guest("p1", "a@b.example")] });
    w.records.inactiveCases.add("case-1");
    const report = await w.run();
    expect(report.failures).toEqual([]);
    expect(w.records.exchanges.get("1")!.stage).toBe(ExchangeStage.revoked);
    expect(w.records.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange"]);
  });

  test("a dry run lists what it would remove and changes nothing", async () => {
    const w = world();
    const x = w.exchange("1", { permissions: [guest("p1", "a@b.example")] });
    w.records.addRecipient("1", "a@b.example", "p1");
    w.folders.addFolder("Customer Data Migration/CAS-09001-ZZZZZZ", today, { permissions: [guest("o1", "x@y.example")] });
    const report = await w.run({ dryRun: true });
    expect(report).toMatchObject({ dryRun: true, counts: { ended: 1, permissionsRevoked: 2, recipientsRevoked: 1, failures: 0 } });
    expect(w.records.writes).toBe(0);
    expect(w.folders.calls.removePermissions).toBe(0);
    expect(w.permissionsOf(x.itemId)).toEqual(["p1"]);
  });

  test("when Dataverse cannot be read, nothing is touched: without the records every folder would look unrecorded", async () => {
    const w = world();
    w.exchange("1", { permissions: [guest("p1", "a@b.example")] });
    w.records.failQueries = true;
    const report = await w.run();
    expect(report.failures.map((f) => f.step)).toEqual(["query"]);
    expect(w.folders.calls.listPermissions + w.folders.calls.listFolders).toBe(0);
  });

  test("a pass stopped by the deadline says so, and the next continues", async () => {
    const w = world();
    for (let i = 1; i <= 60; i++) w.exchange(String(i), { permissions: [guest(`p${i}`, `c${i}@x.example`)] });
    let wall = 0;
    const wallClock = { now: () => new Date(wall) };
    w.folders.onCall = () => (wall += 1000);
    const first = await w.run({ deadline: new Date(2500), wallClock });
    expect(first.complete).toBe(false);
    expect(first.counts.ended).toBeGreaterThan(0);
    expect(first.counts.ended).toBeLessThan(60);
    wall = 0;
    const second = await w.run({ deadline: new Date(1_000_000), wallClock });
    expect(second.complete).toBe(true);
    expect(first.counts.ended + second.counts.ended).toBe(60);
  });
});

describe("scale: requests grow by batches, not per exchange", () => {
  test("45 exchanges take 3 permission listings, 3 removal batches, and their Dataverse writes go in batches per 20 exchanges", async () => {
    const w = world();
    for (let i = 1; i <= 45; i++) {
      w.exchange(String(i), { permissions: [guest(`p${i}`, `c${i}@x.example`)] });
      w.records.addRecipient(String(i), `c${i}@x.example`, `p${i}`);
    }
    const report = await w.run();
    expect(report.counts).toMatchObject({ ended: 45, permissionsRevoked: 45, recipientsRevoked: 45, failures: 0 });
    // The exchanges' folders (3 batches); the walk of the roots finds no other folder.
    expect(w.folders.calls).toMatchObject({ listPermissions: 3, removePermissions: 3 });
    // Per chunk of 20: the recipient rows, the two notes of each exchange, then the stages.
    expect(w.records.writeCalls).toEqual([20, 40, 20, 20, 40, 20, 5, 10, 5]);
  });
});
