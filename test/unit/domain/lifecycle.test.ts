import { ExchangeDirection as D, ExchangeStage as S, roleDefs } from "../../../src/model";
import { allowedActions, nextStage, rolesFromIds, stageAfterRevoke, type Action, type ExchangeState } from "../../../src/domain/lifecycle";
import type { Role } from "../../../src/domain/exchange";

const now = new Date("2026-11-10T00:00:00Z");
const future = new Date("2026-12-01T00:00:00Z");
const past = new Date("2026-11-09T00:00:00Z");

const sorted = (a: Action[]) => [...a].sort();

describe("allowed actions, by direction, stage and role", () => {
  test.each<[string, ExchangeState, Role[], Action[]]>([
    // Backup for the customer
    ["no backup yet, specialist", { direction: D.backupForCustomer, stage: null }, ["specialist"], ["prepareFolder"]],
    ["no backup yet, agent", { direction: D.backupForCustomer, stage: null }, ["agent"], []],
    ["no backup yet, supervisor", { direction: D.backupForCustomer, stage: null }, ["supervisor"], []],
    [
      "folder created, no file, specialist",
      { direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: future, storedFileCount: 0 },
      ["specialist"],
      ["uploadBackup", "copyLink"],
    ],
    [
      "folder created with a file, specialist",
      { direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: future, storedFileCount: 1 },
      ["specialist"],
      ["uploadBackup", "notifySupport", "copyLink"],
    ],
    [
      "folder created, agent",
      { direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: future, storedFileCount: 1 },
      ["agent"],
      ["copyLink", "removeNow"],
    ],
    [
      "backup ready, agent",
      { direction: D.backupForCustomer, stage: S.backupReady, expiresOn: future, storedFileCount: 1 },
      ["agent"],
      ["shareWithCustomer", "copyLink", "removeNow"],
    ],
    [
      "backup ready, specialist: notifying twice is not offered",
      { direction: D.backupForCustomer, stage: S.backupReady, expiresOn: future, storedFileCount: 1 },
      ["specialist"],
      ["uploadBackup", "copyLink"],
    ],
    [
      "backup ready but expired, agent",
      { direction: D.backupForCustomer, stage: S.backupReady, expiresOn: past, storedFileCount: 1 },
      ["agent"],
      ["copyLink", "removeNow"],
    ],
    [
      "shared, agent",
      { direction: D.backupForCustomer, stage: S.shared, expiresOn: future, activeRecipientCount: 1 },
      ["agent"],
      ["shareWithCustomer", "copyLink", "revokeAccess", "removeNow"],
    ],
    [
      "shared, supervisor",
      { direction: D.backupForCustomer, stage: S.shared, expiresOn: future, activeRecipientCount: 1 },
      ["supervisor"],
      [],
    ],
    [
      "shared, administrator",
      { direction: D.backupForCustomer, stage: S.shared, expiresOn: future, activeRecipientCount: 1 },
      ["administrator"],
      ["shareWithCustomer", "copyLink", "revokeAccess", "removeNow", "keepWithoutExpiry", "changeExpiry"],
    ],
    [
      "shared and kept, administrator",
      { direction: D.backupForCustomer, stage: S.shared, expiresOn: null, activeRecipientCount: 1 },
      ["administrator"],
      ["shareWithCustomer", "copyLink", "revokeAccess", "removeNow", "changeExpiry"],
    ],
    [
      "revoked, agent",
      { direction: D.backupForCustomer, stage: S.revoked, expiresOn: future, activeRecipientCount: 0 },
      ["agent"],
      ["shareWithCustomer", "copyLink", "removeNow"],
    ],
    ["deleted, administrator", { direction: D.backupForCustomer, stage: S.deleted, expiresOn: future }, ["administrator"], []],
    [
      "agent and specialist together get the union",
      { direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: future, storedFileCount: 1 },
      ["agent", "specialist"],
      ["uploadBackup", "notifySupport", "copyLink", "removeNow"],
    ],
    // Files from the customer
    ["no request yet, agent", { direction: D.filesFromCustomer, stage: null }, ["agent"], ["requestFiles"]],
    ["no request yet, specialist", { direction: D.filesFromCustomer, stage: null }, ["specialist"], []],
    [
      "awaiting files, agent",
      { direction: D.filesFromCustomer, stage: S.shared, expiresOn: future, activeRecipientCount: 1 },
      ["agent"],
      ["shareWithCustomer", "markFilesReceived", "copyLink", "revokeAccess", "removeNow"],
    ],
    [
      "files received, agent",
      { direction: D.filesFromCustomer, stage: S.filesReceived, expiresOn: future, activeRecipientCount: 1 },
      ["agent"],
      ["shareWithCustomer", "copyLink", "revokeAccess", "removeNow"],
    ],
    [
      "files received, specialist",
      { direction: D.filesFromCustomer, stage: S.filesReceived, expiresOn: future, activeRecipientCount: 1 },
      ["specialist"],
      ["copyLink"],
    ],
    ["no roles at all", { direction: D.filesFromCustomer, stage: S.shared, expiresOn: future, activeRecipientCount: 1 }, [], []],
  ])("%s", (_name, state, roles, expected) => {
    expect(sorted(allowedActions(state, roles, now))).toEqual(sorted(expected));
  });
});

describe("transitions", () => {
  test.each<[ExchangeState, Action, Role[], number | null]>([
    [{ direction: D.backupForCustomer, stage: null }, "prepareFolder", ["specialist"], S.folderCreated],
    [
      { direction: D.backupForCustomer, stage: S.folderCreated, storedFileCount: 2, expiresOn: future },
      "notifySupport",
      ["specialist"],
      S.backupReady,
    ],
    [{ direction: D.backupForCustomer, stage: S.backupReady, expiresOn: future }, "shareWithCustomer", ["agent"], S.shared],
    [{ direction: D.backupForCustomer, stage: S.revoked, expiresOn: future }, "shareWithCustomer", ["agent"], S.shared],
    [{ direction: D.filesFromCustomer, stage: null }, "requestFiles", ["agent"], S.shared],
    [{ direction: D.filesFromCustomer, stage: S.shared, expiresOn: future }, "markFilesReceived", ["agent"], S.filesReceived],
    [{ direction: D.filesFromCustomer, stage: S.filesReceived, expiresOn: future }, "removeNow", ["agent"], S.deleted],
    [{ direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: future }, "uploadBackup", ["specialist"], S.folderCreated],
  ])("%p %s by %p → %p", (state, action, roles, expected) => {
    expect(nextStage(state, action, roles, now)).toBe(expected);
  });

  test.each<[ExchangeState, Action, Role[]]>([
    [{ direction: D.backupForCustomer, stage: S.folderCreated, storedFileCount: 0, expiresOn: future }, "notifySupport", ["specialist"]],
    [{ direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: future }, "shareWithCustomer", ["agent"]],
    [{ direction: D.backupForCustomer, stage: S.shared, expiresOn: future }, "changeExpiry", ["agent"]],
    [{ direction: D.backupForCustomer, stage: S.deleted }, "removeNow", ["administrator"]],
    [{ direction: D.backupForCustomer, stage: S.shared, expiresOn: future }, "requestFiles", ["agent"]],
    [{ direction: D.filesFromCustomer, stage: S.shared, expiresOn: future }, "prepareFolder", ["specialist"]],
  ])("%p %s by %p is refused", (state, action, roles) => {
    expect(() => nextStage(state, action, roles, now)).toThrow(expect.objectContaining({ code: "actionNotAllowed" }));
  });

  test.each<[number, number, number]>([
    [S.shared, 0, S.revoked],
    [S.shared, 1, S.shared],
    [S.filesReceived, 0, S.revoked],
    [S.backupReady, 0, S.backupReady],
    [S.deleted, 0, S.deleted],
  ])("revoking in stage %d with %d left → %d", (stage, left, expected) => {
    expect(stageAfterRevoke(stage as S, left)).toBe(expected);
  });
});

describe("roles come from the ids in userSettings.roles", () => {
  const id = (key: string) => roleDefs.find((r) => r.key === key)!.id;
  test.each<[string[], Role[]]>([
    [[], []],
    [["00000000-0000-0000-0000-000000000000"], []],
    [[id("agent")], ["agent"]],
    [[`{${id("agent").toUpperCase()}}`], ["agent"]],
    [
      [id("specialist"), id("supervisor")],
      ["specialist", "supervisor"],
    ],
  ])("%p → %p", (ids, expected) => {
    expect(rolesFromIds(ids)).toEqual(expected);
  });
});
