import { retryingWebApi } from "../../src/adapters/xrm/retryingWebApi";
import { XrmCrmGateway } from "../../src/adapters/xrm/XrmCrmGateway";
import type { CasePorts } from "../../src/app/casePorts";
import { CasePanelSession } from "../../src/app/casePanelSession";
import { casePanelView } from "../../src/app/casePanelView";
import { loadCasePanel } from "../../src/app/loadCasePanel";
import { removeNow } from "../../src/app/removeNow";
import { requestFiles } from "../../src/app/requestFiles";
import { revokeAccess } from "../../src/app/revokeAccess";
import { shareDraft } from "../../src/app/shareDraft";
import { shareWithCustomer } from "../../src/app/shareWithCustomer";
import { ExchangeDirection, ExchangeStage, IncidentState } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";
import { fetchWebApi, sandboxUser, casePorts as sharedCasePorts } from "./ticketSupport";

jest.setTimeout(120_000);

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
afterEach(async () => {
  for (const [path, body] of [
    ["faults", {}],
    ["policy", { externalSharing: true, blockedDomains: [] }],
  ] as const)
    await fetch(`${sandbox.origins.app}/_sandbox/${path}`, {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
});

const casePorts = (key: UserKey) => sharedCasePorts(sandbox, key);

const caseIdOf = (n: string) => stableId(`incident/${n}`);

async function mailTo(address: string): Promise<Array<{ to: string[]; text: string; subject: string }>> {
  const all = (await (await fetch(`${sandbox.origins.app}/_sandbox/mail`)).json()) as Array<{
    to: string[];
    text: string;
    subject: string;
  }>;
  return all.filter((m) => m.to.some((t) => t.toLowerCase() === address));
}

const putFaults = (faults: Record<string, number>) =>
  fetch(`${sandbox.origins.app}/_sandbox/faults`, {
    method: "PUT",
    body: JSON.stringify(faults),
    headers: { "content-type": "application/json" },
  });

async function requestCount(): Promise<{ dataverse: number; graph: number }> {
  const log = (await (await fetch(`${sandbox.origins.app}/_sandbox/requests`)).json()) as Array<{
    origin: string;
    path: string;
    method: string;
  }>;
  const real = log.filter((e) => e.method !== "OPTIONS");
  return {
    dataverse: real.filter((e) => e.origin === sandbox.origins.app && e.path.startsWith("/api/data/")).length,
    graph: real.filter((e) => e.origin === sandbox.origins.graph).length,
  };
}

describe("the case panel's use cases against the sandbox", () => {
  it("opens a case with one Dataverse request and one Graph batch once the library is resolved", async () => {
    const { ports, actor } = await casePorts("agent");
    await loadCasePanel(ports, { caseId: caseIdOf("CAS-01003-G7H8J9") }); // resolves site and drive once
    await fetch(`${sandbox.origins.app}/_sandbox/requests`, { method: "DELETE" });
    const model = await loadCasePanel(ports, { caseId: caseIdOf("CAS-01003-G7H8J9") });
    expect(await requestCount()).toEqual({ dataverse: 1, graph: 1 });
    const view = casePanelView(model, actor, new Date(), ports.settings);
    expect(view.exchanges[0]).toMatchObject({ status: { kind: "shared" } });
    expect(view.exchanges[0].files.length).toBeGreaterThan(0);
    expect(view.exchanges[0].access.map((a) => a.email)).toContain("maria.lopez@fabrikam.example");
  });

  it("shares a ready backup with the contact: invitation with the message, permission, recipient row, stage shared, notes; a second share sends nothing", async () => {
    const { ports, actor } = await casePorts("agent");
    const caseId = caseIdOf("CAS-01002-D4E5F6");
    const model = await loadCasePanel(ports, { caseId });
    const record = model.exchanges.find((x) => x.exchange.direction === ExchangeDirection.backupForCustomer)!;
    expect(record.exchange.stage).toBe(ExchangeStage.backupReady);
    const draft = shareDraft(ports.settings, { caseRecord: model.case, exchange: record.exchange, language: "en", now: new Date() });
    const request = { email: "tom.baker@northwind.example", role: "write" as const, message: draft.message };

    const out = await shareWithCustomer(ports, {
      caseRecord: model.case,
      exchange: record.exchange,
      recipients: record.recipients,
      request,
      actor,
    });
    expect(out).toMatchObject({ alreadyShared: false, stage: ExchangeStage.shared, notes: { pending: [], refused: 0 } });
    const mails = await mailTo("tom.baker@northwind.example");
    expect(mails.filter((m) => m.text.includes(draft.message))).toHaveLength(1);

    const after = await loadCasePanel(ports, { caseId });
    const x = after.exchanges.find((e) => e.exchange.id === record.exchange.id)!;
    expect(x.exchange.stage).toBe(ExchangeStage.shared);
    expect(x.recipients).toHaveLength(1);
    const snapshot = after.folders.get(x.exchange.folderPath)!;
    expect(snapshot.permissions.some((p) => !p.inherited && p.id === x.recipients[0].permissionId)).toBe(true);

    // Share again (a double click, a retry after a lost answer): no second invitation, no second row.
    const again = await shareWithCustomer(ports, {
      caseRecord: after.case,
      exchange: x.exchange,
      recipients: x.recipients,
      request,
      actor,
    });
    expect(again.alreadyShared).toBe(true);
    expect((await mailTo("tom.baker@northwind.example")).filter((m) => m.text.includes(draft.message))).toHaveLength(1);
    expect((await loadCasePanel(ports, { caseId })).exchanges.find((e) => e.exchange.id === record.exchange.id)!.recipients).toHaveLength(
      1,
    );
  });

  it("shares without duplicates under 30% throttling on Dataverse, Graph and SharePoint", async () => {
    const { ports, actor } = await casePorts("agent");
    const caseId = caseIdOf("CAS-01005-N4P5Q6");
    const model = await loadCasePanel(ports, { caseId });
    const record = model.exchanges[0];
    await fetch(`${sandbox.origins.app}/_sandbox/faults`, {
      method: "PUT",
      body: JSON.stringify({ throttleRate: 0.3 }),
      headers: { "content-type": "application/json" },
    });
    const request = {
      email: "it@adventure-works.example",
      role: "read" as const,
      message: "Please upload the installer log.",
      confirmedOther: true,
      reason: "Their IT collects the logs",
    };
    await shareWithCustomer(ports, { caseRecord: model.case, exchange: record.exchange, recipients: record.recipients, request, actor });
    await fetch(`${sandbox.origins.app}/_sandbox/faults`, { method: "PUT", body: "{}", headers: { "content-type": "application/json" } });
    const after = (await loadCasePanel(ports, { caseId })).exchanges[0];
    expect(after.recipients.filter((r) => r.email === "it@adventure-works.example")).toHaveLength(1);
    expect(await mailTo("it@adventure-works.example")).toHaveLength(1);
  });

  it("closes the request it recorded first when the tenant refuses the invitation: nobody has access, the folder is gone", async () => {
    const { ports, actor } = await casePorts("agent");
    await fetch(`${sandbox.origins.app}/_sandbox/policy`, {
      method: "PUT",
      body: JSON.stringify({ blockedDomains: ["fabrikam.example"] }),
      headers: { "content-type": "application/json" },
    });
    const caseId = caseIdOf("CAS-01000-Z9Y8X7");
    const model = await loadCasePanel(ports, { caseId });
    const p = requestFiles(ports, {
      caseRecord: model.case,
      exchanges: model.exchanges.map((r) => r.exchange),
      request: { email: "maria.lopez@fabrikam.example", role: "write", message: "Please upload." },
      actor,
    });
    await expect(p).rejects.toMatchObject({ name: "ShareRefusedError", email: "maria.lopez@fabrikam.example" });
    const after = (await loadCasePanel(ports, { caseId })).exchanges;
    expect(after.map((r) => r.exchange.stage)).toEqual([ExchangeStage.deleted]);
    expect(after[0].recipients).toEqual([
      expect.objectContaining({ revokedOn: expect.any(Date), invitedOn: undefined, permissionId: undefined }),
    ]);
    expect(await ports.library.findFolder("External Data Transfer/CAS-01000-Z9Y8X7")).toBeNull();
  });

  it("revokes the contact's old address on a case whose contact changed, removing the permission and noting it", async () => {
    const { ports, actor } = await casePorts("agent");
    const caseId = caseIdOf("CAS-01011-E5F6G7");
    const model = await loadCasePanel(ports, { caseId });
    const view = casePanelView(model, actor, new Date(), ports.settings);
    const change = view.exchanges[0].contactChanges[0];
    expect(change.newEmail).toBe("lena.fischer@tailspin.example");
    const record = model.exchanges[0];
    const out = await revokeAccess(ports, {
      caseRecord: model.case,
      exchange: record.exchange,
      recipients: record.recipients,
      target: { recipientId: change.access.recipientId! },
      actor,
    });
    expect(out).toMatchObject({ stage: ExchangeStage.revoked, removed: 1 });
    const after = await loadCasePanel(ports, { caseId });
    const snapshot = after.folders.get(record.exchange.folderPath)!;
    expect(snapshot.permissions.filter((p) => !p.inherited && p.email === change.oldEmail)).toHaveLength(0);
    expect(after.exchanges[0].recipients[0].revokedOn).toBeInstanceOf(Date);
  });

  it("removes a resolved case's folder now, without touching the case row, and notes it on the exchange", async () => {
    const { ports, actor } = await casePorts("agent");
    const caseId = caseIdOf("CAS-01008-W3X4Y5");
    const model = await loadCasePanel(ports, { caseId });
    expect(model.case.state).toBe(IncidentState.resolved);
    const record = model.exchanges[0];
    const out = await removeNow(ports, { caseRecord: model.case, exchange: record.exchange, recipients: record.recipients, actor });
    expect(out.permanent).toBe(false);
    // The resolved case refuses its note (expected); the exchange's own timeline has it.
    expect(out.notes.pending).toEqual([]);
    expect(await ports.library.findFolder(record.exchange.folderPath)).toBeNull();
    const after = await loadCasePanel(ports, { caseId });
    expect(after.exchanges[0].exchange.stage).toBe(ExchangeStage.deleted);
    expect(after.case.state).toBe(IncidentState.resolved);
  });

  it("requests files in one step: folder, invitation with sign-in, exchange expiring in 7 days", async () => {
    const { ports, actor } = await casePorts("agent");
    const caseId = caseIdOf("CAS-01000-Z9Y8X7");
    const model = await loadCasePanel(ports, { caseId });
    const draft = shareDraft(ports.settings, { caseRecord: model.case, language: "en", now: new Date() });
    const out = await requestFiles(ports, {
      caseRecord: model.case,
      exchanges: model.exchanges.map((r) => r.exchange),
      request: { email: "maria.lopez@fabrikam.example", role: "write", message: draft.message },
      actor,
    });
    expect(out.exchange).toMatchObject({
      direction: ExchangeDirection.filesFromCustomer,
      stage: ExchangeStage.shared,
      folderPath: "External Data Transfer/CAS-01000-Z9Y8X7",
    });
    expect(Math.round((out.exchange.expiresOn!.getTime() - Date.now()) / 86_400_000)).toBe(7);
    expect((await mailTo("maria.lopez@fabrikam.example")).some((m) => m.text.includes(draft.message))).toBe(true);
  });

  it("completes a request for files whose writes lost their answers when it is sent again from the panel, each written once", async () => {
    const { ports, actor } = await casePorts("agent");
    const webApi = retryingWebApi(fetchWebApi(sandbox, "agent"), { baseDelayMs: 200, attempts: 8 });
    // The first create of each of these is carried out, then its connection drops before the answer.
    const losing = new Set(["cfx_fileexchange", "cfx_exchangerecipient", "annotation"]);
    const dropping: typeof webApi = {
      ...webApi,
      createRecord: (async (entity: string, data: Record<string, unknown>) => {
        const created = await webApi.createRecord(entity, data);
        if (losing.delete(entity)) throw new TypeError("Failed to fetch");
        return created;
      }) as unknown as typeof webApi.createRecord,
    };
    const p: CasePorts = { ...ports, crm: new XrmCrmGateway(dropping, webApi) };
    const caseId = caseIdOf("CAS-01001-A1B2C3");
    const session = new CasePanelSession({
      ports: async () => p,
      actor: async () => actor,
      caseId,
      clipboard: { copy: async () => undefined },
      language: "en",
    });
    await session.load();
    const view = () => (session.state.load.kind === "ready" ? session.state.load.view : undefined);
    const email = view()!.caseRecord.contact!.email!;
    const request = { email, role: "write" as const, message: "Please upload the export." };
    // Each failure is followed by a read of the case, and the same request is sent again.
    await expect(session.share({ kind: "request" }, request)).rejects.toMatchObject({ code: "networkError" }); // the exchange's answer
    await expect(session.share({ kind: "request" }, request)).rejects.toMatchObject({ code: "networkError" }); // the recipient's answer
    // The first note's answer is lost above the gateway's retries: the request is done and the note
    // is offered as "Write the note again", which writes it under its id, once.
    await session.share({ kind: "request" }, request);
    expect(session.state.outcome).toMatchObject({ kind: "requested", notesPending: 1 });
    await session.retryNotes();
    expect(session.state.outcome).toMatchObject({ kind: "notesWritten", notesPending: 0 });
    const files = (await loadCasePanel(p, { caseId })).exchanges.filter(
      (r) => r.exchange.direction === ExchangeDirection.filesFromCustomer,
    );
    expect(files).toHaveLength(1);
    expect(files[0].recipients.map((r) => r.email.toLowerCase())).toEqual([email.toLowerCase()]);
    expect((await mailTo(email.toLowerCase())).filter((m) => m.text.includes("Please upload the export."))).toHaveLength(1);
    const notes = await webApi.retrieveMultipleRecords("annotation", `?$select=subject&$filter=_objectid_value eq ${files[0].exchange.id}`);
    expect(notes.entities).toHaveLength(1);
  });

  it("refuses an agent who may read a case but not attach to it before anything is written to SharePoint or Dataverse", async () => {
    const caseId = caseIdOf("CAS-01011-E5F6G7");
    // The case is shared with Riley (an agent of the service center) for reading only.
    const granted = await sandbox.fetchAs("admin", `${sandbox.dataverse}GrantAccess`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        Target: { incidentid: caseId, "@odata.type": "Microsoft.Dynamics.CRM.incident" },
        PrincipalAccess: {
          Principal: { systemuserid: sandboxUser("serviceagent").id, "@odata.type": "Microsoft.Dynamics.CRM.systemuser" },
          AccessMask: "ReadAccess",
        },
      }),
    });
    expect(granted.status).toBe(204);
    const { ports, actor } = await casePorts("serviceagent");
    const model = await loadCasePanel(ports, { caseId });
    const rowsOf = async (set: string) =>
      ((await (await sandbox.fetchAs("admin", `${sandbox.dataverse}${set}?$select=createdon`)).json()) as { value: unknown[] }).value
        .length;
    const before = {
      exchanges: await rowsOf("cfx_fileexchanges"),
      recipients: await rowsOf("cfx_exchangerecipients"),
      notes: await rowsOf("annotations"),
    };
    const mailBefore = ((await (await fetch(`${sandbox.origins.app}/_sandbox/mail`)).json()) as unknown[]).length;
    await fetch(`${sandbox.origins.app}/_sandbox/requests`, { method: "DELETE" });

    await expect(
      requestFiles(ports, {
        caseRecord: model.case,
        exchanges: model.exchanges.map((r) => r.exchange),
        request: { email: model.case.contact!.email!, role: "write", message: "Please upload the files." },
        actor,
      }),
    ).rejects.toMatchObject({ name: "ValidationError", code: "actionNotAllowed", message: expect.stringContaining("CAS-01011-E5F6G7") });

    const log = (await (await fetch(`${sandbox.origins.app}/_sandbox/requests`)).json()) as Array<{
      method: string;
      origin: string;
      path: string;
    }>;
    // One question to Dataverse, nothing to Graph or the SharePoint host.
    expect(log.filter((e) => e.method !== "OPTIONS").map((e) => `${e.method} ${e.path.split("?")[0]}`)).toEqual([
      `GET /api/data/v9.2/systemusers(${sandboxUser("serviceagent").id})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)`,
    ]);
    expect({
      exchanges: await rowsOf("cfx_fileexchanges"),
      recipients: await rowsOf("cfx_exchangerecipients"),
      notes: await rowsOf("annotations"),
    }).toEqual(before);
    expect(((await (await fetch(`${sandbox.origins.app}/_sandbox/mail`)).json()) as unknown[]).length).toBe(mailBefore);
    const folder = await sandbox.fetchAs("admin", `${sandbox.graph}sites/root/drive/root:/External%20Data%20Transfer/CAS-01011-E5F6G7`);
    expect(folder.status).toBe(404);
  });

  it("shares once when the answer to the invitation is lost: the panel reads again, Retry adopts the permission, one row, one e-mail", async () => {
    const { ports, actor } = await casePorts("agent");
    // The invitation is carried out by SharePoint, then its connection drops before the answer.
    const losing: CasePorts = {
      ...ports,
      library: Object.assign(Object.create(ports.library) as typeof ports.library, {
        invite: async (...args: Parameters<typeof ports.library.invite>) => {
          await putFaults({ lostAnswerRate: 1 });
          try {
            return await ports.library.invite(...args);
          } finally {
            await putFaults({});
          }
        },
      }),
    };
    let lose = true;
    const caseId = caseIdOf("CAS-01006-R7S8T9");
    const session = new CasePanelSession({
      ports: async () => (lose ? losing : ports),
      actor: async () => actor,
      caseId,
      clipboard: { copy: async () => undefined },
      language: "en",
    });
    await session.load();
    const ready = () => (session.state.load.kind === "ready" ? session.state.load.view : undefined)!;
    const backup = ready().exchanges.find((x) => x.exchange.direction === ExchangeDirection.backupForCustomer)!;
    const email = "priya.assistant@adventure-works.example";
    const request = {
      email,
      role: "read" as const,
      message: (await session.draft({ kind: "share", exchangeId: backup.id })).message,
      confirmedOther: true,
      reason: "The customer's assistant collects the photos",
    };
    await expect(session.share({ kind: "share", exchangeId: backup.id }, request)).rejects.toBeDefined();
    // The panel read again after the failure: the row is there, not confirmed.
    const pending = ready()
      .exchanges.find((x) => x.id === backup.id)!
      .access.filter((a) => a.email === email);
    expect(pending).toEqual([expect.objectContaining({ unconfirmed: true, invitedOn: undefined })]);

    lose = false;
    // The ports are built once per session: a new session stands for the panel opened again.
    const again = new CasePanelSession({
      ports: async () => ports,
      actor: async () => actor,
      caseId,
      clipboard: { copy: async () => undefined },
      language: "en",
    });
    await again.load();
    await again.share({ kind: "share", exchangeId: backup.id }, request);
    const after = (await loadCasePanel(ports, { caseId })).exchanges.find((x) => x.exchange.id === backup.id)!;
    const rows = after.recipients.filter((r) => r.email === email);
    expect(rows).toEqual([expect.objectContaining({ permissionId: expect.any(String), invitedOn: expect.any(Date) })]);
    const folder = (await ports.library.findFolder(after.exchange.folderPath))!;
    const permissions = (await ports.library.listPermissions(folder)).filter((p) => !p.inherited && p.email?.toLowerCase() === email);
    expect(permissions).toHaveLength(1);
    expect(permissions[0].id).toBe(rows[0].permissionId);
    expect(await mailTo(email)).toHaveLength(1);
  });
});
