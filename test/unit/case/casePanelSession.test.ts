import { CasePanelSession } from "../../../src/app/casePanelSession";
import { ExchangeDirection, ExchangeStage } from "../../../src/model";
import { agent, backupExchange, caseRecord, FakeCrm, FakeLibrary, ports } from "./fakes";

const request = { email: "ana@clinic.example", role: "write" as const, message: "Your backup is ready for 28 days." };

function session(crm: FakeCrm, lib: FakeLibrary) {
  crm.liveCase = caseRecord;
  return new CasePanelSession({
    ports: async () => ports(crm, lib),
    actor: async () => agent,
    caseId: "c1",
    clipboard: { copy: async () => undefined },
    language: "en",
  });
}

const reads = (crm: FakeCrm) => crm.calls.filter((c) => c === "loadCasePanel").length;
const ready = (s: CasePanelSession) => {
  if (s.state.load.kind !== "ready") throw new Error(`the panel is ${s.state.load.kind}`);
  return s.state.load.view;
};

describe("CasePanelSession after a failure", () => {
  it("reads the case again before it offers the retry, so the panel shows what was done, and the retry does it once", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    crm.exchanges.set("x1", backupExchange());
    const s = session(crm, lib);
    await s.load();
    crm.loseAnswer.add("addRecipient");
    await expect(s.share({ kind: "share", exchangeId: "x1" }, request)).rejects.toMatchObject({ code: "networkError" });
    expect(reads(crm)).toBe(2);
    expect(ready(s).exchanges[0].access).toEqual([expect.objectContaining({ email: "ana@clinic.example", unrecorded: false })]);
    await s.share({ kind: "share", exchangeId: "x1" }, request);
    expect(crm.recipients.size).toBe(1);
    expect(lib.invites).toHaveLength(1);
    expect(crm.notes).toHaveLength(3);
  });

  it("completes a request for files on the exchange a lost answer recorded, without a second exchange or invitation", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    const s = session(crm, lib);
    await s.load();
    crm.loseAnswer.add("createExchange");
    await expect(s.share({ kind: "request" }, request)).rejects.toMatchObject({ code: "networkError" });
    expect(ready(s).exchanges.map((x) => x.exchange.direction)).toEqual([ExchangeDirection.filesFromCustomer]);
    // The dialog is still open: the same request is sent again.
    await s.share({ kind: "request" }, request);
    expect(crm.exchanges.size).toBe(1);
    expect([...crm.exchanges.values()][0].stage).toBe(ExchangeStage.shared);
    expect(crm.recipients.size).toBe(1);
    expect(lib.invites).toHaveLength(1);
    expect(crm.notes).toHaveLength(2);
  });
});
