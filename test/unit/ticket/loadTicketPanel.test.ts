import { loadTicketPanel } from "../../../src/app/loadTicketPanel";
import { prepareFolder } from "../../../src/app/prepareFolder";
import { ExchangeStage } from "../../../src/model";
import { admin, agent, aCase, FakeUploader, ports, specialist, ticket } from "./fakes";

describe("loadTicketPanel", () => {
  it("lists the uploads into the folder that stopped before their last byte, from this browser, without a request", async () => {
    const p = ports();
    await prepareFolder(p, ticket, specialist);
    const uploader = new FakeUploader(p.library);
    uploader.offsets.set("backup.zip", 300);
    uploader.sizes.set("backup.zip", 1000);
    const before = p.crm.calls.length;
    const model = await loadTicketPanel(p, ticket, specialist, uploader);
    expect(model.unfinished).toEqual([{ name: "backup.zip", size: 1000, bytesDone: 300 }]);
    expect(p.crm.calls.slice(before)).toEqual(["loadCaseWithExchanges"]);
  });

  it("opens the panel when what the browser kept cannot be read", async () => {
    const p = ports();
    await prepareFolder(p, ticket, specialist);
    const model = await loadTicketPanel(p, ticket, specialist, { unfinished: async () => Promise.reject(new Error("storage blocked")) });
    expect(model.unfinished).toEqual([]);
  });

  it("reads the case and its exchanges in one request", async () => {
    const p = ports();
    await loadTicketPanel(p, ticket, specialist);
    expect(p.crm.calls).toEqual(["loadCaseWithExchanges"]);
  });

  it.each([
    ["a specialist, no folder yet", specialist, null, ["prepareFolder"]],
    ["an administrator, no folder yet", admin, null, ["prepareFolder"]],
    ["an agent, no folder yet", agent, null, []],
    ["a specialist, folder created, no files", specialist, { stage: ExchangeStage.folderCreated, fileCount: 0 }, ["uploadBackup"]],
    [
      "a specialist, folder created, files stored",
      specialist,
      { stage: ExchangeStage.folderCreated, fileCount: 2 },
      ["uploadBackup", "notifySupport"],
    ],
    [
      "a specialist, backup ready, nobody notified yet (a step left half-way, or a team with no members)",
      specialist,
      { stage: ExchangeStage.backupReady, fileCount: 2 },
      ["uploadBackup", "notifySupport"],
    ],
    [
      "a specialist, backup ready and support notified",
      specialist,
      { stage: ExchangeStage.backupReady, fileCount: 2, notifiedOn: new Date("2026-11-22T03:00:00Z") },
      ["uploadBackup"],
    ],
    ["an agent, backup ready, nobody notified yet", agent, { stage: ExchangeStage.backupReady, fileCount: 2 }, []],
    ["a specialist, shared", specialist, { stage: ExchangeStage.shared, fileCount: 2 }, []],
  ] as const)("offers %s: %j", async (_what, user, exchange, expected) => {
    const p = ports();
    if (exchange) {
      const { exchange: ex } = await prepareFolder(p, ticket, specialist);
      await p.crm.updateExchange(ex.id, exchange);
    }
    const model = await loadTicketPanel(p, ticket, user);
    expect(model.actions).toEqual(expected);
  });

  it("offers no new folder on a resolved case and says why", async () => {
    const p = ports();
    p.crm.kase = aCase({ active: false });
    const model = await loadTicketPanel(p, ticket, specialist);
    expect(model).toMatchObject({ actions: [], readOnlyReason: "caseInactive" });
  });

  it("shows the live exchange, not a deleted one", async () => {
    const p = ports();
    const { exchange } = await prepareFolder(p, ticket, specialist);
    await p.crm.updateExchange(exchange.id, { stage: ExchangeStage.deleted });
    const model = await loadTicketPanel(p, ticket, specialist);
    expect(model.exchange).toBeNull();
    expect(model.status.kind).toBe("notStarted");
  });
});
