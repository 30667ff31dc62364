import type { CasePorts } from "../../src/app/casePorts";
import { casePanelView } from "../../src/app/casePanelView";
import { changeExpiry } from "../../src/app/changeExpiry";
import { loadCasePanel } from "../../src/app/loadCasePanel";
import { shareDraft } from "../../src/app/shareDraft";
import { shareWithCustomer } from "../../src/app/shareWithCustomer";
import { DAY_MS } from "../../src/domain/expiry";
import { ExchangeDirection, IncidentState } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";
import { casePorts as sharedCasePorts } from "./ticketSupport";

/** The administrator's Keep with no expiry and Change expiry, with the case panel's adapters, against the sandbox. */
jest.setTimeout(120_000);

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});

const casePorts = (key: UserKey) => sharedCasePorts(sandbox, key);

const caseIdOf = (n: string) => stableId(`incident/${n}`);

async function dataverse<T>(path: string): Promise<T> {
  const r = await sandbox.fetchAs("admin", sandbox.dataverse + path, { headers: { accept: "application/json" } });
  expect(r.status).toBe(200);
  return (await r.json()) as T;
}

async function exchangeRow(id: string): Promise<{ cfx_expireson: string | null; cfx_expiryreason: string | null }> {
  return dataverse(`cfx_fileexchanges(${id})?$select=cfx_expireson,cfx_expiryreason`);
}

async function notesOn(id: string): Promise<string[]> {
  const r = await dataverse<{ value: Array<{ notetext: string }> }>(`annotations?$select=notetext&$filter=_objectid_value eq ${id}`);
  return r.value.map((n) => n.notetext);
}

async function backupOf(ports: CasePorts, caseNumber: string) {
  const model = await loadCasePanel(ports, { caseId: caseIdOf(caseNumber) });
  return { model, record: model.exchanges.find((x) => x.exchange.direction === ExchangeDirection.backupForCustomer)! };
}

describe("Keep with no expiry and Change expiry against the sandbox", () => {
  it("keeps a shared backup with no expiry: the exchange row, a note on the exchange and on the case, and a share message that must be edited", async () => {
    const { ports, actor } = await casePorts("admin");
    const { model, record } = await backupOf(ports, "CAS-01003-G7H8J9");
    expect(record.exchange.expiresOn).not.toBeNull();

    const out = await changeExpiry(ports, {
      caseRecord: model.case,
      exchange: record.exchange,
      expiresOn: null,
      reason: "Legal hold until the audit ends",
      actor,
    });
    expect(out.notes).toMatchObject({ written: 2, refused: 0, pending: [] });
    expect(await exchangeRow(record.exchange.id)).toMatchObject({
      cfx_expireson: null,
      cfx_expiryreason: "Legal hold until the audit ends",
    });
    const said = `Kept with no expiry by ${actor.name}: Legal hold until the audit ends`;
    expect((await notesOn(record.exchange.id)).some((t) => t.startsWith(said))).toBe(true);
    expect((await notesOn(model.case.id)).some((t) => t.startsWith(said))).toBe(true);

    // Reloaded as the panel does: kept, only Change expiry offered, and the share message may not promise a deletion.
    const after = await backupOf(ports, "CAS-01003-G7H8J9");
    expect(after.record.exchange.expiresOn).toBeNull();
    const view = casePanelView(after.model, actor, new Date(), ports.settings);
    const x = view.exchanges.find((e) => e.id === record.exchange.id)!;
    expect(x.actions).toContain("changeExpiry");
    expect(x.actions).not.toContain("keepWithoutExpiry");
    const draft = shareDraft(ports.settings, {
      caseRecord: after.model.case,
      exchange: after.record.exchange,
      language: "en",
      now: new Date(),
    });
    expect(draft.problemCode).toBe("messageNeedsExpiry");
    await expect(
      shareWithCustomer(ports, {
        caseRecord: after.model.case,
        exchange: after.record.exchange,
        recipients: after.record.recipients,
        request: { email: "it@fabrikam.example", role: "read", message: draft.message, confirmedOther: true, reason: "IT" },
        actor,
      }),
    ).rejects.toMatchObject({ name: "ValidationError", code: "messageNeedsExpiry" });
  });

  it("changes a resolved case's folder expiry: the exchange is written and noted, the case refusing its note is expected", async () => {
    const { ports, actor } = await casePorts("admin");
    const { model, record } = await backupOf(ports, "CAS-01008-W3X4Y5");
    expect(model.case.state).toBe(IncidentState.resolved);
    const next = new Date(Math.ceil((Date.now() + 40 * DAY_MS) / 1000) * 1000);
    const out = await changeExpiry(ports, {
      caseRecord: model.case,
      exchange: record.exchange,
      expiresOn: next,
      reason: "Warranty claim",
      actor,
    });
    expect(out.notes.pending).toEqual([]);
    expect(out.notes.written).toBeGreaterThanOrEqual(1);
    const row = await exchangeRow(record.exchange.id);
    expect(new Date(row.cfx_expireson!).getTime()).toBe(next.getTime());
    expect(row.cfx_expiryreason).toBe("Warranty claim");
    expect((await notesOn(record.exchange.id)).some((t) => /^Expiry changed from .+ to .+ by .+: Warranty claim/.test(t))).toBe(true);
  });

  it("refuses an agent, a missing reason and a date in the past, and writes nothing", async () => {
    const admin = await casePorts("admin");
    const agent = await casePorts("agent");
    const { model, record } = await backupOf(admin.ports, "CAS-01002-D4E5F6");
    const before = await exchangeRow(record.exchange.id);
    const input = { caseRecord: model.case, exchange: record.exchange, expiresOn: null, reason: "x" };
    await expect(changeExpiry(agent.ports, { ...input, actor: agent.actor })).rejects.toMatchObject({ code: "actionNotAllowed" });
    await expect(changeExpiry(admin.ports, { ...input, reason: " ", actor: admin.actor })).rejects.toMatchObject({
      code: "reasonRequired",
    });
    await expect(
      changeExpiry(admin.ports, { ...input, expiresOn: new Date(Date.now() - DAY_MS), actor: admin.actor }),
    ).rejects.toMatchObject({ code: "expiryInPast" });
    expect(await exchangeRow(record.exchange.id)).toEqual(expect.objectContaining(before));
  });
});
