import { ExchangeDirection, ExchangeStage } from "../../../src/model";
import {
  classifyFolder,
  deletionNote,
  isRevocable,
  knownFolders,
  lifetimeDays,
  mayDeleteOrphan,
  retentionAction,
  retentionHorizon,
  type RetentionAction,
  type RetentionRuleSettings,
} from "../../../src/domain/retention";

const now = new Date("2026-12-01T12:00:00Z");
const at = (iso: string) => new Date(iso);
const settings: RetentionRuleSettings = {
  backupRetentionDays: 30,
  uploadRetentionDays: 7,
  warningDays: 3,
  permanentDelete: false,
  deleteOrphans: true,
  backupRoot: "Customer Data Migration",
  uploadRoot: "External Data Transfer",
  folderLayout: "{case}",
  caseNumberPattern: "^CAS-[0-9]{4,}-[A-Z0-9]{6}$",
};
const accountLayout: RetentionRuleSettings = { ...settings, folderLayout: "{account}/{case}" };

describe("what happens to an exchange at a fixed clock (2026-12-01 12:00 UTC, warning 3 days)", () => {
  const { shared, deleted, revoked, folderCreated } = ExchangeStage;
  test.each<[string, ExchangeStage, string | null, string | undefined, string | undefined, RetentionAction]>([
    ["kept with no expiry, long ago created", shared, null, undefined, undefined, "kept"],
    ["kept with no expiry and once warned", shared, null, "2026-10-01T00:00:00Z", undefined, "kept"],
    ["expires in 10 days", shared, "2026-12-11T12:00:00Z", undefined, undefined, "wait"],
    ["expires in exactly 3 days", shared, "2026-12-04T12:00:00Z", undefined, undefined, "warn"],
    ["expires in 3 days and 1 ms", shared, "2026-12-04T12:00:00.001Z", undefined, undefined, "wait"],
    ["expires in 2 days, not warned", folderCreated, "2026-12-03T12:00:00Z", undefined, undefined, "warn"],
    ["expires in 2 days, already warned", shared, "2026-12-03T12:00:00Z", "2026-11-30T12:00:00Z", undefined, "wait"],
    ["expired this instant", shared, "2026-12-01T12:00:00Z", "2026-11-28T12:00:00Z", undefined, "delete"],
    ["expired a day ago, never warned (the job was down)", revoked, "2026-11-30T12:00:00Z", undefined, undefined, "delete"],
    ["removal confirmed", deleted, "2026-11-01T12:00:00Z", undefined, "2026-11-01T13:00:00Z", "done"],
    ["removal confirmed, stage not yet moved", shared, "2026-11-01T12:00:00Z", undefined, "2026-11-01T13:00:00Z", "done"],
    [
      "stage deleted without a confirmed removal, expired: removed and confirmed",
      deleted,
      "2026-11-01T12:00:00Z",
      undefined,
      undefined,
      "delete",
    ],
    ["stage deleted without a confirmed removal, due in 2 days: not warned", deleted, "2026-12-03T12:00:00Z", undefined, undefined, "wait"],
  ])("%s → %s", (_label, stage, expiresOn, warnedOn, removedOn, expected) => {
    const exchange = {
      stage,
      expiresOn: expiresOn ? at(expiresOn) : null,
      warnedOn: warnedOn ? at(warnedOn) : undefined,
      removedOn: removedOn ? at(removedOn) : undefined,
    };
    expect(retentionAction(exchange, now, settings)).toBe(expected);
  });

  test("the horizon is now plus the warning days", () => {
    expect(retentionHorizon(now, settings).toISOString()).toBe("2026-12-04T12:00:00.000Z");
  });
});

describe("a folder created today is deleted after 31 days and not after 29", () => {
  const created = at("2026-11-01T09:00:00Z");
  const expiresOn = at("2026-12-01T09:00:00Z");
  test.each<[number, RetentionAction]>([
    [0, "wait"],
    [26, "wait"],
    [27.5, "warn"],
    [29, "warn"],
    [30, "delete"],
    [31, "delete"],
  ])("after %s days: %s", (days, expected) => {
    const when = new Date(created.getTime() + days * 86_400_000);
    expect(retentionAction({ stage: ExchangeStage.shared, expiresOn }, when, settings)).toBe(expected);
  });
});

describe("folders under the roots", () => {
  const known = knownFolders([
    { folderPath: "Customer Data Migration/CAS-01000-AAAAAA", itemId: "item-known" },
    { folderPath: "Customer Data Migration/Contoso/CAS-02000-BBBBBB" },
    { folderPath: "External Data Transfer/cas-03000-cccccc" },
  ]);
  const folder = (path: string, created = "2026-10-01T00:00:00Z", itemId = `id:${path}`) => ({ itemId, path, createdOn: at(created) });
  type Row = [string, ReturnType<typeof folder>, RetentionRuleSettings, string];
  test.each<Row>([
    [
      "a folder an exchange points at by item id, renamed",
      folder("Customer Data Migration/Renamed", undefined, "item-known"),
      settings,
      "exchange",
    ],
    ["a folder an exchange points at by path", folder("Customer Data Migration/CAS-01000-AAAAAA"), settings, "exchange"],
    ["the same path in another case of letters", folder("External Data Transfer/CAS-03000-CCCCCC"), settings, "exchange"],
    ["the account level holding an exchange, {case} layout", folder("Customer Data Migration/Contoso"), settings, "container"],
    ["an account level under {account}/{case}, empty of exchanges", folder("Customer Data Migration/Fabrikam"), accountLayout, "container"],
    ["a hand-made case folder", folder("Customer Data Migration/CAS-09999-ZZZZZZ"), settings, "orphan"],
    ["a hand-made case folder in the upload root", folder("External Data Transfer/CAS-09999-ZZZZZZ"), settings, "orphan"],
    [
      "a case folder under an account, {account}/{case}",
      folder("Customer Data Migration/Fabrikam/CAS-09999-ZZZZZZ"),
      accountLayout,
      "orphan",
    ],
    ["a case folder under some folder, {case} layout", folder("Customer Data Migration/Old/CAS-09999-ZZZZZZ"), settings, "unrecognised"],
    ["a folder not named like a case, {case} layout", folder("Customer Data Migration/Scratch"), settings, "unrecognised"],
    ["a non-case folder under an account", folder("Customer Data Migration/Fabrikam/Photos"), accountLayout, "unrecognised"],
    ["a folder outside both roots", folder("Other/CAS-09999-ZZZZZZ"), settings, "unrecognised"],
  ])("%s → %s", (_label, f, s, expected) => {
    expect(classifyFolder(f, known, s).kind).toBe(expected);
  });

  test("an orphan is deletable after its root's retention: 30 days for backups, 7 for uploads", () => {
    const backup = classifyFolder(folder("Customer Data Migration/CAS-09999-ZZZZZZ", "2026-11-01T00:00:00Z"), known, settings);
    const upload = classifyFolder(folder("External Data Transfer/CAS-09999-ZZZZZZ", "2026-11-01T00:00:00Z"), known, settings);
    expect(backup).toEqual({ kind: "orphan", deletableFrom: at("2026-12-01T00:00:00Z") });
    expect(upload).toEqual({ kind: "orphan", deletableFrom: at("2026-11-08T00:00:00Z") });
  });
});

describe("an orphan is deleted only when the setting is on, it is older than the retention, and an earlier run reported it", () => {
  const old = { itemId: "o1", deletableFrom: at("2026-11-20T00:00:00Z") };
  const young = { itemId: "o2", deletableFrom: at("2026-12-20T00:00:00Z") };
  test.each<[string, typeof old, string[], boolean, boolean]>([
    ["old, reported, setting on", old, ["o1"], true, true],
    ["old, reported, setting off", old, ["o1"], false, false],
    ["old, never reported (a first run)", old, [], true, false],
    ["young, reported", young, ["o2"], true, false],
  ])("%s → %s", (_label, orphan, reported, deleteOrphans, expected) => {
    expect(mayDeleteOrphan(orphan, now, new Set(reported), { deleteOrphans })).toBe(expected);
  });
});

describe("revocation", () => {
  test.each<[string, boolean, string[], boolean]>([
    ["a guest's direct write permission", false, ["write"], true],
    ["a direct read permission added by hand", false, ["read"], true],
    ["an inherited permission", true, ["write"], false],
    ["the site owners' own entry", false, ["owner"], false],
  ])("%s is removed: %s", (_label, inherited, roles, expected) => {
    expect(isRevocable({ inherited, roles })).toBe(expected);
  });
});

describe("the notes say what happened in plain words", () => {
  test("the deletion note says the days, as announced, and where the folder went", () => {
    const note = deletionNote({ folderName: "CAS-01000-AAAAAA", days: 30, permanent: false, revokedCount: 2 });
    expect(note.text).toContain("deleted after 30 days, as announced to the customer");
    expect(note.text).toContain("2 external permissions were removed first");
    expect(note.text).toContain("recycle bin");
    expect(deletionNote({ folderName: "X", days: 7, permanent: true, revokedCount: 1 }).text).toContain("deleted permanently");
  });

  test("the lifetime is the real span from creation to expiry, else the direction's retention", () => {
    const direction = ExchangeDirection.backupForCustomer;
    expect(lifetimeDays({ direction, folderCreatedOn: at("2026-11-01T00:00:00Z"), expiresOn: at("2026-12-01T00:00:00Z") }, settings)).toBe(
      30,
    );
    expect(lifetimeDays({ direction: ExchangeDirection.filesFromCustomer, expiresOn: at("2026-12-01T00:00:00Z") }, settings)).toBe(7);
  });
});
