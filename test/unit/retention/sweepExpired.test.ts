import { sweepExpired, type SweepExpiredOptions } from "../../../src/app/sweepExpired";
import type { RetentionRuleSettings } from "../../../src/domain/retention";
import { ExchangeStage } from "../../../src/model";
import type { Clock } from "../../../src/ports/Clock";
import { FakeInventory, FakeRecords, guest, inherited, owners } from "./fakes";

const DAY = 86_400_000;
const today = new Date("2026-12-01T12:00:00Z");
const daysFromToday = (n: number) => new Date(today.getTime() + n * DAY);
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

function world() {
  const records = new FakeRecords();
  const folders = new FakeInventory();
  const ports = { records, folders };
  const run = (options: Partial<SweepExpiredOptions> = {}, now = today) =>
    sweepExpired(ports, fixed(now), { ...options, settings: { ...settings, ...options.settings } });
  /** An exchange whose folder exists, created `ageDays` ago with the 30-day retention. */
  const exchange = (id: string, ageDays: number, extra: { kept?: boolean; permissions?: ReturnType<typeof guest>[] } = {}) => {
    const created = daysFromToday(-ageDays);
    const path = `Customer Data Migration/CAS-0${id.padStart(4, "0")}-ABCDEF`;
    const itemId = folders.addFolder(path, created, { permissions: extra.permissions });
    records.addExchange({
      id,
      name: path.split("/")[1],
      folderPath: path,
      itemId,
      folderCreatedOn: created,
      createdOn: created,
      expiresOn: extra.kept ? null : new Date(created.getTime() + 30 * DAY),
      ...(extra.kept ? { keptSince: created } : {}),
    });
    return { path, itemId };
  };
  return { records, folders, run, exchange };
}

describe("warnings", () => {
  test("an exchange expiring within the warning days gets one note and one notification to its case's owner, once", async () => {
    const w = world();
    w.exchange("1", 28);
    const first = await w.run();
    expect(first.counts.warned).toBe(1);
    expect(w.records.notes).toHaveLength(1);
    expect(w.records.notes[0].target).toEqual({ table: "cfx_fileexchange", id: "1" });
    expect(w.records.notes[0].note.text).toContain("The case's owner was notified.");
    expect(w.records.notifications).toEqual([expect.objectContaining({ userId: "owner-1" })]);
    expect(w.records.exchanges.get("1")!.warnedOn).toEqual(today);

    const writes = w.records.writes;
    const second = await w.run({}, new Date(today.getTime() + 3600_000));
    expect(second.counts.warned).toBe(0);
    expect(w.records.writes).toBe(writes);
  });

  test("the case's owner is warned, not the specialist who created the exchange", async () => {
    const w = world();
    w.exchange("1", 28);
    Object.assign(w.records.exchanges.get("1")!, { ownerId: "specialist-1", caseOwner: { kind: "user", id: "agent-7" } });
    await w.run();
    expect(w.records.notifications.map((n) => n.userId)).toEqual(["agent-7"]);
  });

  const teamOwned = (w: ReturnType<typeof world>, id: string, team = "team-1") =>
    Object.assign(w.records.exchanges.get(id)!, { caseOwner: { kind: "team", id: team } });
  const members = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m-${i}`, name: `Member ${String(n - i).padStart(3, "0")}` }));

  test("a team-owned case's members are each notified, once each, and the note names them", async () => {
    const w = world();
    w.exchange("1", 28);
    teamOwned(w, "1");
    w.records.teams.set("team-1", {
      name: "Tier 2",
      members: [
        { id: "m-2", name: "Bo Brown" },
        { id: "m-1", name: "Al Adams" },
      ],
    });
    await w.run();
    expect(w.records.notifications.map((n) => [n.userId, n.key])).toEqual([
      ["m-1", "warn:1:notification:m-1"],
      ["m-2", "warn:1:notification:m-2"],
    ]);
    expect(w.records.notifications.some((n) => n.userId === "team-1")).toBe(false);
    expect(w.records.notes[0].note.text).toContain('The 2 members of team "Tier 2" (Al Adams, Bo Brown) were notified.');
    expect(w.records.exchanges.get("1")!.warnedOn).toEqual(today);
  });

  test("a team of more than 50 has its first 50 by name notified, and the note says so", async () => {
    const w = world();
    w.exchange("1", 28);
    teamOwned(w, "1");
    w.records.teams.set("team-1", { name: "Everyone", members: members(70) });
    await w.run();
    expect(w.records.notifications).toHaveLength(50);
    expect(w.records.notifications[0].userId).toBe("m-69");
    expect(w.records.notes[0].note.text).toContain('Team "Everyone" has more than 50 members: only the first 50 by name were notified.');
  });

  test("a team with no members: the note says nobody could be notified, and the exchange counts as warned", async () => {
    const w = world();
    w.exchange("1", 28);
    teamOwned(w, "1");
    w.records.teams.set("team-1", { name: "Night shift", members: [] });
    const report = await w.run();
    expect(report.failures).toEqual([]);
    expect(w.records.notifications).toEqual([]);
    expect(w.records.notes[0].note.text).toContain(
      'Nobody could be notified: the case is owned by team "Night shift", which has no members in Dynamics 365.',
    );
    expect(w.records.exchanges.get("1")!.warnedOn).toEqual(today);
  });

  test("the teams' members are read once for the whole run, every team in one call, not per exchange", async () => {
    const w = world();
    for (let i = 1; i <= 45; i++) {
      w.exchange(String(i), 28);
      teamOwned(w, String(i), `team-${i % 3}`);
    }
    for (let t = 0; t < 3; t++) w.records.teams.set(`team-${t}`, { name: `T${t}`, members: members(2) });
    w.exchange("46", 28);
    const report = await w.run();
    expect(report.counts.warned).toBe(46);
    expect(w.records.teamReads).toEqual([["team-1", "team-2", "team-0"]]);
    expect(w.records.notifications).toHaveLength(45 * 2 + 1);
  });

  test("when the teams cannot be read, their cases' exchanges fail this run (not marked warned) and the others are warned", async () => {
    const w = world();
    w.exchange("1", 28);
    w.exchange("2", 28);
    teamOwned(w, "1");
    w.records.failTeamReads = true;
    const first = await w.run();
    expect(first.failures).toEqual([expect.objectContaining({ step: "warn", exchangeId: "1", code: "accessDenied" })]);
    expect(w.records.exchanges.get("1")!.warnedOn).toBeUndefined();
    expect(w.records.exchanges.get("2")!.warnedOn).toEqual(today);

    w.records.failTeamReads = false;
    w.records.teams.set("team-1", { name: "Tier 2", members: members(1) });
    const second = await w.run();
    expect(second.failures).toEqual([]);
    expect(w.records.exchanges.get("1")!.warnedOn).toEqual(today);
  });

  test("a dry run reads no team", async () => {
    const w = world();
    w.exchange("1", 28);
    teamOwned(w, "1");
    await w.run({ dryRun: true });
    expect(w.records.teamReads).toEqual([]);
  });

  test("a warning interrupted before warnedOn was written is not duplicated by the next run", async () => {
    const w = world();
    w.exchange("1", 28);
    w.records.failUpdates.add("1");
    const first = await w.run();
    expect(first.failures).toEqual([expect.objectContaining({ step: "warn", exchangeId: "1", code: "throttled", status: 429 })]);
    w.records.failUpdates.clear();
    await w.run();
    expect(w.records.notes).toHaveLength(1);
    expect(w.records.notifications).toHaveLength(1);
    expect(w.records.exchanges.get("1")!.warnedOn).toBeDefined();
  });
});

describe("expiry: revoke first, then delete", () => {
  test("every direct permission goes, the recipient rows are marked revoked, the folder goes to the recycle bin, notes on exchange and case", async () => {
    const w = world();
    const { path } = w.exchange("1", 31, { permissions: [guest("p1", "ann@fabrikam.example"), inherited("p2"), owners("p3")] });
    w.records.addRecipient("1", "ann@fabrikam.example", "p1");
    const report = await w.run();

    expect(report.counts).toMatchObject({ expired: 1, deleted: 1, permissionsRevoked: 1, recipientsRevoked: 1, failures: 0 });
    expect(w.folders.deleted).toEqual([{ path, permanent: false }]);
    expect([...w.records.recipients.values()][0].revokedOn).toEqual(today);
    const x = w.records.exchanges.get("1")!;
    expect(x.stage).toBe(ExchangeStage.deleted);
    expect(x.deletedOn).toEqual(today);
    expect(w.records.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "incident"]);
    expect(w.records.notes[1].note.text).toContain("deleted after 30 days, as announced to the customer");
  });

  test("permissions are removed before the folder is deleted", async () => {
    const w = world();
    w.exchange("1", 31, { permissions: [guest("p1", "a@b.example")] });
    const order: string[] = [];
    const inner = { remove: w.folders.removePermissions.bind(w.folders), del: w.folders.deleteFolders.bind(w.folders) };
    w.folders.removePermissions = async (r) => (order.push("revoke"), inner.remove(r));
    w.folders.deleteFolders = async (f, o) => (order.push("delete"), inner.del(f, o));
    await w.run();
    expect(order).toEqual(["revoke", "delete"]);
  });

  test("with permanent deletion on, the folder is deleted permanently and the note says so", async () => {
    const w = world();
    w.exchange("1", 31);
    await w.run({ settings: { ...settings, permanentDelete: true } });
    expect(w.folders.deleted[0].permanent).toBe(true);
    expect(w.records.notes[0].note.text).toContain("deleted permanently");
  });

  test("a folder created today is deleted after 31 days and not after 29", async () => {
    const w = world();
    w.exchange("1", 0);
    await w.run({}, daysFromToday(29));
    expect(w.folders.deleted).toHaveLength(0);
    await w.run({}, daysFromToday(31));
    expect(w.folders.deleted).toHaveLength(1);
  });

  test("a kept exchange is never touched, however old", async () => {
    const w = world();
    const { path } = w.exchange("1", 400, { kept: true, permissions: [guest("p1", "a@b.example")] });
    const report = await w.run({ settings: { ...settings, deleteOrphans: true } });
    expect(report.counts).toMatchObject({ kept: 1, warned: 0, deleted: 0, orphans: 0 });
    expect(w.folders.has(path)).toBe(true);
    expect(w.records.writes).toBe(0);
  });

  test("an announced expiry cleared or pushed out by someone with Write does not extend the folder's life", async () => {
    const w = world();
    const cleared = w.exchange("1", 31);
    const pushed = w.exchange("2", 31);
    w.records.exchanges.get("1")!.expiresOn = null;
    w.records.exchanges.get("2")!.expiresOn = new Date("2099-01-01T00:00:00Z");
    const report = await w.run();
    expect(report.counts).toMatchObject({ deleted: 2, kept: 0 });
    expect(w.folders.has(cleared.path)).toBe(false);
    expect(w.folders.has(pushed.path)).toBe(false);
    expect(w.records.exchanges.get("1")!.removedOn).toEqual(today);
  });

  test("a stage set to deleted without a confirmed removal is removed at expiry and then confirmed", async () => {
    const w = world();
    const { path } = w.exchange("1", 31, { permissions: [guest("p1", "a@b.example")] });
    w.records.exchanges.get("1")!.stage = ExchangeStage.deleted;
    await w.run();
    expect(w.folders.has(path)).toBe(false);
    expect(w.records.exchanges.get("1")!.removedOn).toEqual(today);
  });

  test("an administrator's expiry wins both ways: later than the retention, and earlier", async () => {
    const w = world();
    const later = w.exchange("1", 31);
    const earlier = w.exchange("2", 5);
    w.records.exchanges.get("1")!.expiryOverride = daysFromToday(10);
    w.records.exchanges.get("2")!.expiryOverride = daysFromToday(-1);
    await w.run();
    expect(w.folders.has(later.path)).toBe(true);
    expect(w.folders.has(earlier.path)).toBe(false);
  });

  test("a resolved case that refuses the note is fine: the exchange is still marked deleted, with no failure", async () => {
    const w = world();
    w.exchange("1", 31);
    w.records.inactiveCases.add("case-1");
    const report = await w.run();
    expect(report.failures).toEqual([]);
    expect(w.records.exchanges.get("1")!.stage).toBe(ExchangeStage.deleted);
    expect(w.records.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange"]);
  });

  test("one failure does not stop the rest, and is retried on the next run", async () => {
    const w = world();
    const a = w.exchange("1", 31);
    w.exchange("2", 35);
    const c = w.exchange("3", 31, { permissions: [guest("p3", "c@d.example")] });
    w.folders.failDelete.add(a.path);
    w.folders.failPermissions.add(c.path);
    const first = await w.run();
    expect(first.counts.deleted).toBe(1);
    expect(first.failures).toEqual([
      expect.objectContaining({ step: "revoke", exchangeId: "3", path: c.path, status: 503 }),
      expect.objectContaining({ step: "delete", exchangeId: "1", path: a.path, code: "resourceLocked" }),
    ]);
    // Revoke first: a folder whose permissions could not be read is not deleted.
    expect(w.folders.has(c.path)).toBe(true);
    expect(w.records.exchanges.get("1")!.stage).not.toBe(ExchangeStage.deleted);

    w.folders.failDelete.clear();
    w.folders.failPermissions.clear();
    const second = await w.run();
    expect(second.counts).toMatchObject({ deleted: 2, failures: 0 });
    expect([...w.records.exchanges.values()].every((x) => x.stage === ExchangeStage.deleted)).toBe(true);
  });

  test.each([
    { step: "warn", age: 28, key: "warn:1:note", field: "warnedOn" as const },
    { step: "record", age: 31, key: "delete:1:case", field: "deletedOn" as const },
  ])(
    "a refused write in a batch fails its exchange alone ($step): not marked done, the others are, and the next run finishes it",
    async ({ step, age, key, field }) => {
      const w = world();
      w.exchange("1", age);
      w.exchange("2", age);
      w.records.failNoteKeys.add(key);
      const first = await w.run();
      expect(first.failures).toEqual([expect.objectContaining({ step, exchangeId: "1", code: "accessDenied", status: 403 })]);
      expect(w.records.exchanges.get("1")![field]).toBeUndefined();
      expect(w.records.exchanges.get("2")![field]).toEqual(today);

      w.records.failNoteKeys.clear();
      const second = await w.run();
      expect(second.failures).toEqual([]);
      expect(w.records.exchanges.get("1")![field]).toEqual(today);
      // The note written by the first run is not written again.
      expect(new Set(w.records.notes.map((n) => n.key)).size).toBe(w.records.notes.length);
    },
  );

  test("twice in a row: the second run changes nothing", async () => {
    const w = world();
    w.exchange("1", 31, { permissions: [guest("p1", "a@b.example")] });
    w.exchange("2", 28);
    w.exchange("3", 5, { kept: true });
    await w.run();
    const writes = w.records.writes;
    const calls = { ...w.folders.calls };
    const second = await w.run();
    expect(second.counts).toMatchObject({ warned: 0, deleted: 0, permissionsRevoked: 0, failures: 0 });
    expect(w.records.writes).toBe(writes);
    expect(w.folders.calls.deleteFolders).toBe(calls.deleteFolders);
    expect(w.folders.calls.removePermissions).toBe(calls.removePermissions);
  });

  test("a run that crashed after deleting the folder finishes the record on the next run without duplicating notes", async () => {
    const w = world();
    const { itemId } = w.exchange("1", 31);
    w.records.failUpdates.add("1");
    await w.run();
    expect(w.folders.folders.has(itemId)).toBe(false);
    w.records.failUpdates.clear();
    const second = await w.run();
    expect(second.counts.deleted).toBe(1);
    expect(w.records.notes).toHaveLength(2);
    expect(w.records.exchanges.get("1")!.stage).toBe(ExchangeStage.deleted);
  });

  test("a dry run decides and reports but changes nothing", async () => {
    const w = world();
    w.exchange("1", 31, { permissions: [guest("p1", "a@b.example")] });
    w.exchange("2", 28);
    const report = await w.run({ dryRun: true });
    expect(report).toMatchObject({ dryRun: true, counts: { warned: 1, deleted: 1 } });
    expect(w.records.writes).toBe(0);
    expect(w.folders.calls.deleteFolders + w.folders.calls.removePermissions + w.folders.calls.listPermissions).toBe(0);
  });

  test("when Dataverse cannot be read, the run reports it and treats no folder as an orphan", async () => {
    const w = world();
    w.exchange("1", 400);
    w.records.failQueries = true;
    const report = await w.run({ settings: { ...settings, deleteOrphans: true } });
    // The exchanges and the files due on their own dates: each query's failure is reported.
    expect(report.failures.map((f) => f.step)).toEqual(["query", "query", "orphans"]);
    expect(w.folders.calls.listFolders).toBe(0);
    expect(w.folders.deleted).toHaveLength(0);
  });
});

describe("scale: requests grow by batches and pages, not per folder", () => {
  test("45 expired folders take 3 permission listings and 3 deletion batches", async () => {
    const w = world();
    for (let i = 1; i <= 45; i++) w.exchange(String(i), 31, { permissions: [guest(`p${i}`, `c${i}@x.example`)] });
    const report = await w.run();
    expect(report.counts.deleted).toBe(45);
    expect(w.folders.calls).toMatchObject({ listPermissions: 3, removePermissions: 3, deleteFolders: 3 });
  });

  test("45 expired exchanges' Dataverse writes go as 3 write batches per 20 exchanges (recipients, notes, records), not per exchange", async () => {
    const w = world();
    for (let i = 1; i <= 45; i++) {
      w.exchange(String(i), 31, { permissions: [guest(`p${i}`, `c${i}@x.example`)] });
      w.records.addRecipient(String(i), `c${i}@x.example`, `p${i}`);
    }
    const report = await w.run();
    expect(report.counts).toMatchObject({ deleted: 45, recipientsRevoked: 45, failures: 0 });
    // Per chunk of 20: the recipient rows, the two notes of each exchange, then the exchanges marked deleted.
    expect(w.records.writeCalls).toEqual([20, 40, 20, 20, 40, 20, 5, 10, 5]);
  });

  test("45 warnings go as 2 write batches per 20 exchanges, and cfx_warnedon only after the note and notification", async () => {
    const w = world();
    for (let i = 1; i <= 45; i++) w.exchange(String(i), 28);
    const report = await w.run();
    expect(report.counts.warned).toBe(45);
    expect(w.records.writeCalls).toEqual([40, 20, 40, 20, 10, 5]);
    for (let i = 1; i <= 45; i++) {
      expect(w.records.log.indexOf(`updateExchange:${i}`)).toBeGreaterThan(
        w.records.log.indexOf(`notifyUser:warn:${i}:notification:owner-1`),
      );
      expect(w.records.log.indexOf(`updateExchange:${i}`)).toBeGreaterThan(w.records.log.indexOf(`addNote:warn:${i}:note`));
    }
  });

  test("450 folders under a root are listed in 3 pages", async () => {
    const w = world();
    for (let i = 1; i <= 450; i++) w.exchange(String(i), 1);
    await w.run();
    // 3 pages of the backup root, 1 of the (missing) upload root.
    expect(w.folders.calls.listFolders).toBe(4);
  });
});

describe("time-bounded passes", () => {
  test("a pass stopped by the deadline says so, and the next pass continues where it stopped", async () => {
    const w = world();
    for (let i = 1; i <= 60; i++) w.exchange(String(i), 31);
    let wall = 0;
    const wallClock = { now: () => new Date(wall) };
    w.folders.onCall = () => (wall += 1000);
    const first = await w.run({ deadline: new Date(3500), wallClock });
    expect(first.complete).toBe(false);
    expect(first.counts.deleted).toBeGreaterThan(0);
    expect(first.counts.deleted).toBeLessThan(60);

    wall = 0;
    const second = await w.run({ deadline: new Date(1_000_000), wallClock });
    expect(second.complete).toBe(true);
    expect(first.counts.deleted + second.counts.deleted).toBe(60);
  });
});

describe("orphans", () => {
  const orphanWorld = () => {
    const w = world();
    w.exchange("1", 5);
    const old = "Customer Data Migration/CAS-09001-ZZZZZZ";
    const young = "External Data Transfer/CAS-09002-ZZZZZZ";
    const scratch = "Customer Data Migration/Scratch";
    w.folders.addFolder(old, daysFromToday(-40), { permissions: [guest("o1", "x@y.example")] });
    w.folders.addFolder(young, daysFromToday(-3));
    w.folders.addFolder(scratch, daysFromToday(-400));
    return { w, old, young, scratch };
  };

  test("with the setting off they are reported and never deleted", async () => {
    const { w, old } = orphanWorld();
    const first = await w.run();
    await w.run();
    expect(first.counts).toMatchObject({ orphans: 2, orphansDeleted: 0, unrecognised: 1 });
    expect(first.orphans.find((o) => o.path === old)).toMatchObject({ action: "reported" });
    expect(first.unrecognised).toEqual(["Customer Data Migration/Scratch"]);
    expect(w.folders.deleted).toHaveLength(0);
  });

  test("with the setting on, a first run reports before deleting anything; the next deletes only those older than the retention", async () => {
    const { w, old, young, scratch } = orphanWorld();
    const on = { settings: { ...settings, deleteOrphans: true } };
    const first = await w.run(on);
    expect(first.counts.orphansDeleted).toBe(0);
    expect(w.folders.deleted).toHaveLength(0);
    expect(w.records.report?.deletable).toEqual([`item-${old}`]);

    const second = await w.run(on);
    expect(second.counts.orphansDeleted).toBe(1);
    expect(w.folders.deleted.map((d) => d.path)).toEqual([old]);
    expect(w.folders.calls.removePermissions).toBe(1);
    expect(w.folders.has(young)).toBe(true);
    expect(w.folders.has(scratch)).toBe(true);
  });

  test("an unchanged orphan report is not written again", async () => {
    const { w } = orphanWorld();
    const on = { settings: { ...settings, deleteOrphans: true } };
    await w.run(on);
    expect(w.records.reportsSaved).toBe(1);
    await w.run({ ...on, settings: { ...on.settings, backupRetentionDays: 3650 } });
    expect(w.records.reportsSaved).toBe(2);
    await w.run({ ...on, settings: { ...on.settings, backupRetentionDays: 3650 } });
    expect(w.records.reportsSaved).toBe(2);
  });

  test("turning the setting on after reports made while it was off still reports first", async () => {
    const { w } = orphanWorld();
    await w.run();
    const on = { settings: { ...settings, deleteOrphans: true } };
    const first = await w.run(on);
    expect(first.counts.orphansDeleted).toBe(0);
    const second = await w.run(on);
    expect(second.counts.orphansDeleted).toBe(1);
  });

  test("the per-account level of {account}/{case} is never deleted; old case folders under it are", async () => {
    const w = world();
    const s = { settings: { ...settings, deleteOrphans: true, folderLayout: "{account}/{case}" as const } };
    w.folders.addFolder("Customer Data Migration/Fabrikam", daysFromToday(-400));
    w.folders.addFolder("Customer Data Migration/Fabrikam/CAS-09003-ZZZZZZ", daysFromToday(-60));
    await w.run(s);
    const second = await w.run(s);
    expect(second.counts.orphansDeleted).toBe(1);
    expect(w.folders.has("Customer Data Migration/Fabrikam")).toBe(true);
    expect(w.folders.has("Customer Data Migration/Fabrikam/CAS-09003-ZZZZZZ")).toBe(false);
  });

  test("a dry run with the setting on lists what it would delete and deletes nothing, saving no report", async () => {
    const { w, old } = orphanWorld();
    const on = { settings: { ...settings, deleteOrphans: true } };
    await w.run(on);
    const saved = w.records.reportsSaved;
    const dry = await w.run({ ...on, dryRun: true });
    expect(dry.orphans.find((o) => o.path === old)).toMatchObject({ action: "wouldDelete" });
    expect(w.folders.deleted).toHaveLength(0);
    expect(w.records.reportsSaved).toBe(saved);
  });
});
