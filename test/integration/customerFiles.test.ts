import { casePanelView, type ExchangeView } from "../../src/app/casePanelView";
import { changeFileExpiry } from "../../src/app/changeFileExpiry";
import { downloadFile } from "../../src/app/downloadFile";
import { loadCasePanel } from "../../src/app/loadCasePanel";
import { removeFile } from "../../src/app/removeFile";
import { removeNow } from "../../src/app/removeNow";
import { writeNotes } from "../../src/app/timelineNotes";
import { noteRowId } from "../../src/domain/recordIds";
import { ExchangeStage, FileStatus } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";
import { casePorts as sharedCasePorts } from "./ticketSupport";

/**
 * The customer's files in the case panel and the file-level actions, with the panel's own
 * adapters (Xrm.WebApi over HTTP, Graph) against the sandbox, which enforces column security and
 * answers as Dataverse and SharePoint do.
 */
jest.setTimeout(180_000);

let sb: TestSandbox;
const caseNumber = "CAS-01004-K1L2M3";
const folderPath = `External Data Transfer/${caseNumber}`;
const caseId = stableId(`incident/${caseNumber}`);
type Row = Record<string, unknown>;

const casePorts = (key: UserKey) => sharedCasePorts(sb, key);

/** What the panel shows of the upload folder, read as the panel reads it. */
async function uploadCard(key: UserKey): Promise<{ view: ExchangeView; model: Awaited<ReturnType<typeof loadCasePanel>> }> {
  const { ports, actor } = await casePorts(key);
  const model = await loadCasePanel(ports, { caseId });
  const view = casePanelView(model, actor, new Date(), ports.settings).exchanges.find((x) => x.exchange.folderPath === folderPath)!;
  return { view, model };
}

const control = (method: string, path: string, body?: unknown) =>
  fetch(sb.origins.app + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const dv = (key: UserKey, path: string, init: RequestInit = {}) =>
  sb.fetchAs(key, sb.dataverse + path, {
    ...init,
    headers: { "content-type": "application/json", accept: "application/json", ...(init.headers as Record<string, string>) },
  });

const seg = (p: string) => p.split("/").map(encodeURIComponent).join("/");

/** Puts a file into the upload folder as a person signed in to SharePoint would. */
async function putFile(name: string, text: string): Promise<void> {
  const drive = (await (await sb.fetchAs("agent", `${sb.graph}sites/root/drive`)).json()) as { id: string };
  const r = await sb.fetchAs("agent", `${sb.graph}drives/${drive.id}/root:/${seg(`${folderPath}/${name}`)}:/content`, {
    method: "PUT",
    body: text,
    headers: { "content-type": "text/plain" },
  });
  expect(r.status).toBeLessThan(300);
}

async function notesWithId(id: string): Promise<number> {
  const r = await dv("admin", `annotations?$select=annotationid&$filter=annotationid eq ${id}`);
  return ((await r.json()) as { value: Row[] }).value.length;
}

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  await control("POST", "/_sandbox/reset");
});
afterEach(async () => {
  await control("PUT", "/_sandbox/faults", {});
});

test("the panel lists the customer's receipted file with its uploader, and a file put in since as not checked yet", async () => {
  await putFile("notes.txt", "The printer stopped at 10:14.");
  const { view } = await uploadCard("agent");
  expect(view.files.map((f) => ({ path: f.path, integrity: f.integrity, uploadedBy: f.uploadedBy }))).toEqual([
    { path: "error-log.txt", integrity: "recordedBySharePoint", uploadedBy: "tom.baker@northwind.example" },
    { path: "notes.txt", integrity: "notCheckedYet", uploadedBy: expect.any(String) },
  ]);
  expect(view.files[0].actions).toEqual(["downloadFile", "copyFileLink", "removeFile"]);
  expect(view.actions).toContain("removeNow");
});

test("downloads one file through SharePoint's download address, byte for byte", async () => {
  await putFile("notes.txt", "The printer stopped at 10:14.");
  const { ports, actor } = await casePorts("agent");
  const { view } = await uploadCard("agent");
  const row = view.files.find((f) => f.path === "notes.txt")!;
  const started: string[] = [];
  await downloadFile(ports, { start: (u) => void started.push(u) }, { ...row.source!, exchange: view.exchange, actor });
  expect(started).toHaveLength(1);
  const got = await fetch(started[0]);
  expect(got.headers.get("content-disposition")).toContain("attachment");
  expect(await got.text()).toBe("The printer stopped at 10:14.");
});

test("removes one file once, also when answers are lost and the agent tries again", async () => {
  const { ports, actor } = await casePorts("agent");
  const first = await uploadCard("agent");
  const row = first.view.files.find((f) => f.path === "error-log.txt")!;
  const receiptId = row.source!.receipt!.id;
  const exchangeId = first.view.id;

  // A person who sees a failure reads the panel again and removes the file again while it is listed.
  expect((await control("PUT", "/_sandbox/faults", { lostAnswerRate: 0.3, throttleRate: 0.2 })).status).toBe(200);
  let pending: Awaited<ReturnType<typeof removeFile>>["notes"]["pending"] = [];
  for (let attempt = 0; attempt < 12; attempt++) {
    let current: ExchangeView;
    try {
      current = (await uploadCard("agent")).view;
    } catch {
      continue;
    }
    const listed = current.files.find((f) => f.path === "error-log.txt");
    if (!listed) break;
    try {
      const out = await removeFile(ports, { ...listed.source!, caseRecord: first.model.case, exchange: current.exchange, actor });
      pending = [...out.notes.pending];
      break;
    } catch {
      // tried again on the next round
    }
  }
  await control("PUT", "/_sandbox/faults", {});
  if (pending.length) expect((await writeNotes(ports.crm, pending)).pending).toEqual([]);

  const after = await uploadCard("agent");
  expect(after.view.files.map((f) => f.path)).toEqual([]);
  expect(after.view.goneFiles.removed).toBe(1);
  const receipts = after.model.exchanges.find((x) => x.exchange.id === exchangeId)!.receipts;
  expect(receipts).toHaveLength(1);
  expect(receipts[0]).toMatchObject({ id: receiptId, status: FileStatus.removed, goneOn: expect.any(Date) });
  const event = `fileRemoved:${exchangeId}:${row.source!.file.itemId}`;
  expect(await notesWithId(noteRowId(event, { table: "cfx_fileexchange", id: exchangeId }))).toBe(1);
  expect(await notesWithId(noteRowId(event, { table: "incident", id: caseId }))).toBe(1);

  // The same removal sent again (its answer lost after everything was done): nothing new is written.
  await removeFile(ports, { ...row.source!, caseRecord: first.model.case, exchange: first.view.exchange, actor });
  expect(await notesWithId(noteRowId(event, { table: "incident", id: caseId }))).toBe(1);
  const again = await uploadCard("agent");
  expect(again.model.exchanges.find((x) => x.exchange.id === exchangeId)!.receipts).toHaveLength(1);
});

test("Dataverse refuses an agent's keep or own date on a file; the administrator's is written, and agents read it as empty", async () => {
  const { view } = await uploadCard("agent");
  const receiptId = view.files[0].source!.receipt!.id;
  for (const body of [{ cfx_keptsince: "2026-12-01T00:00:00Z" }, { cfx_expiryoverride: "2099-01-01T00:00:00Z" }, { cfx_keptsince: null }]) {
    const r = await dv("agent", `cfx_filereceipts(${receiptId})`, {
      method: "PATCH",
      body: JSON.stringify(body),
      headers: { "If-Match": "*" },
    });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("0x8004f507");
  }
  const created = await dv("agent", "cfx_filereceipts", {
    method: "POST",
    body: JSON.stringify({
      cfx_name: "kept.txt",
      "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${view.id})`,
      cfx_integrity: view.files[0].source!.receipt!.integrity,
      cfx_keptsince: "2026-12-01T00:00:00Z",
    }),
  });
  expect(created.status).toBe(403);
  expect(((await created.json()) as { error: { code: string } }).error.code).toBe("0x8004f502");

  // The use case refuses the agent before anything is sent.
  const agent = await casePorts("agent");
  await expect(
    changeFileExpiry(agent.ports, {
      ...view.files[0].source!,
      caseRecord: (await uploadCard("agent")).model.case,
      exchange: view.exchange,
      expiresOn: null,
      reason: "Evidence",
      actor: agent.actor,
    }),
  ).rejects.toMatchObject({ name: "ValidationError", code: "actionNotAllowed" });

  // The administrator keeps the receipted file and gives a file without a receipt its own date.
  await putFile("screenshot.txt", "pretend this is a screenshot");
  const admin = await casePorts("admin");
  const seen = await uploadCard("admin");
  const log = seen.view.files.find((f) => f.path === "error-log.txt")!;
  const shot = seen.view.files.find((f) => f.path === "screenshot.txt")!;
  expect(log.actions).toContain("keepFile");
  await changeFileExpiry(admin.ports, {
    ...log.source!,
    caseRecord: seen.model.case,
    exchange: seen.view.exchange,
    expiresOn: null,
    reason: "Evidence for the warranty claim",
    actor: admin.actor,
  });
  // Dataverse keeps whole seconds.
  const date = new Date(Math.floor((Date.now() + 60 * 86_400_000) / 1000) * 1000);
  await changeFileExpiry(admin.ports, {
    ...shot.source!,
    caseRecord: seen.model.case,
    exchange: seen.view.exchange,
    expiresOn: date,
    reason: "The customer needs it for two months",
    actor: admin.actor,
  });
  const asAdmin = (await uploadCard("admin")).view.files;
  expect(asAdmin.map((f) => [f.path, f.kept, f.ownExpiry?.toISOString()])).toEqual([
    ["error-log.txt", true, undefined],
    ["screenshot.txt", false, date.toISOString()],
  ]);
  expect(asAdmin[1].integrity).toBe("recordedBySharePoint");
  // Agents see the secured columns as empty, as Dataverse shows them to anyone outside the profile.
  expect((await uploadCard("agent")).view.files.map((f) => [f.path, f.kept, f.ownExpiry])).toEqual([
    ["error-log.txt", false, undefined],
    ["screenshot.txt", false, undefined],
  ]);
});

test("Close request ends every guest's access before the folder is deleted, marks the exchange removed and notes it on the case", async () => {
  const { ports, actor } = await casePorts("agent");
  const { view, model } = await uploadCard("agent");
  expect(view.access.map((a) => a.email)).toEqual(["tom.baker@northwind.example"]);
  const record = model.exchanges.find((x) => x.exchange.id === view.id)!;
  await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });

  await removeNow(ports, {
    caseRecord: model.case,
    exchange: record.exchange,
    recipients: record.recipients,
    receipts: record.receipts,
    actor,
  });

  const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as Array<{
    origin: string;
    path: string;
    method: string;
  }>;
  const graphWrites = log.filter((e) => e.origin === sb.origins.graph && e.method === "DELETE").map((e) => e.path);
  expect(graphWrites).toHaveLength(2);
  expect(graphWrites[0]).toMatch(/\/permissions\//);
  expect(graphWrites[1]).not.toMatch(/\/permissions\//);
  expect(await ports.library.findFolder(folderPath)).toBeNull();
  const after = await uploadCard("agent");
  expect(after.view.exchange.stage).toBe(ExchangeStage.deleted);
  expect(after.view.revoked.map((r) => r.email)).toEqual(["tom.baker@northwind.example"]);
  // The customer's file went with the folder; its receipt says support removed it.
  const receipts = after.model.exchanges.find((x) => x.exchange.id === view.id)!.receipts;
  expect(receipts.map((r) => [r.path, r.status])).toEqual([["error-log.txt", FileStatus.removed]]);
  const notes = (await (
    await dv(
      "admin",
      `annotations?$select=subject,notetext&$filter=_objectid_value eq ${caseId} and subject eq 'The request for files was closed'`,
    )
  ).json()) as { value: Row[] };
  expect(notes.value).toHaveLength(1);
  expect(String(notes.value[0].notetext)).toMatch(
    /^Alex Agent closed the request for files early\. It would have expired on .+ Access removed for tom\.baker@northwind\.example\. Then "External Data Transfer\/CAS-01004-K1L2M3" and the customer's files in it were deleted\./,
  );
});
