import { randomBytes } from "node:crypto";
import { notifySupport } from "../../src/app/notifySupport";
import { prepareFolder } from "../../src/app/prepareFolder";
import { loadTicketPanel } from "../../src/app/loadTicketPanel";
import { BackupUpload, type LocalFile } from "../../src/app/uploadBackup";
import { ExchangeStage, FileIntegrity } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { startSandbox, type TestSandbox } from "./support/sandbox";
import { sandboxUser, ticketPorts } from "./ticketSupport";

jest.setTimeout(120_000);

const caseNumber = "CAS-01000-Z9Y8X7";
const ticket = { id: stableId(`ticket/${caseNumber}`), name: "HWT-00001", caseId: stableId(`incident/${caseNumber}`) };
const MB = 1024 * 1024;

const local = (relativePath: string, bytes: Uint8Array): LocalFile => ({
  file: new Blob([bytes as Uint8Array<ArrayBuffer>]),
  relativePath,
  size: bytes.length,
  lastModified: 1_763_000_000_000,
});

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
afterEach(async () => {
  await sandbox.fetchAs("admin", `${sandbox.origins.app}/_sandbox/faults`, {
    method: "PUT",
    body: "{}",
    headers: { "content-type": "application/json" },
  });
});

async function faults(body: object) {
  const r = await fetch(`${sandbox.origins.app}/_sandbox/faults`, {
    method: "PUT",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  expect(r.ok).toBe(true);
}

describe("the ticket panel's use cases against the sandbox", () => {
  it("prepares the folder, uploads (resumed after a pause, under throttling, without resending what SharePoint has), and notifies support once despite throttling", async () => {
    const { ports, uploader, user } = await ticketPorts(sandbox, "specialist");

    // Prepare folder: SharePoint folder + exchange owned by the specialist who prepared it.
    const prepared = await prepareFolder(ports, ticket, user);
    expect(prepared).toMatchObject({ folderCreated: true, exchangeCreated: true, notesRefused: [] });
    expect(prepared.exchange.folderPath).toBe(`Customer Data Migration/${caseNumber}`);
    const again = await prepareFolder(ports, ticket, user);
    expect(again.exchange.id).toBe(prepared.exchange.id);
    const panel = await loadTicketPanel(ports, ticket, user);
    expect(panel.exchange).toMatchObject({ id: prepared.exchange.id, stage: ExchangeStage.folderCreated, ownerId: user.id });
    expect(panel.case).toMatchObject({
      number: caseNumber,
      ownerName: "Alex Agent",
      customerName: "Fabrikam, Inc.",
      contactName: "Maria Lopez",
    });
    expect(panel.actions).toEqual(["uploadBackup"]);

    // Upload: a big file (paused, then resumed), a file in a subfolder, an empty file, a refused name.
    const big = randomBytes(24 * MB);
    const folder = (await ports.library.findFolder(prepared.exchange.folderPath))!;
    const files = [
      local("disk/image.bin", big),
      local("disk/notes.txt", randomBytes(2000)),
      local("empty.log", new Uint8Array(0)),
      local("bad|name.txt", new Uint8Array(3)),
    ];
    const upload = new BackupUpload(
      { ...ports, uploader },
      { exchange: prepared.exchange, folder, user, askConflict: async () => "skip" },
      files,
    );
    let paused = false;
    upload.subscribe((s) => {
      if (!paused && s.files[0].bytesSent >= 8 * MB) {
        paused = true;
        upload.pause();
      }
    });
    await upload.start();
    expect(upload.snapshot().files[0].state).toEqual({ kind: "paused" });
    const pausedAt = upload.snapshot().files[0].bytesSent;
    // Resume with a fifth of Graph, SharePoint and Dataverse requests throttled (429/503, Retry-After).
    await faults({ throttleRate: 0.2 });
    await upload.start();
    await faults({});
    const states = upload.snapshot().files.map((f) => [f.relativePath, f.state.kind]);
    expect(states).toEqual([
      ["disk/image.bin", "done"],
      ["disk/notes.txt", "done"],
      ["empty.log", "done"],
      ["bad|name.txt", "rejected"],
    ]);
    const bigState = upload.snapshot().files[0].state;
    expect(bigState).toMatchObject({ kind: "done", integrity: FileIntegrity.verified });
    // Resumed where SharePoint stopped, not from zero.
    expect(bigState.kind === "done" && bigState.resumedFrom).toBeGreaterThan(0);
    expect(bigState.kind === "done" && bigState.resumedFrom).toBeLessThanOrEqual(pausedAt);
    const stored = await ports.library.listFiles(folder);
    expect(stored.map((f) => [f.path, f.size]).sort()).toEqual([
      ["disk/image.bin", big.length],
      ["disk/notes.txt", 2000],
      ["empty.log", 0],
    ]);
    const receipts = await ports.tickets.listReceipts(prepared.exchange.id);
    expect(receipts).toHaveLength(3);
    expect((await ports.tickets.getExchange(prepared.exchange.id)).fileCount).toBe(3);

    // Upload the same file again: not overwritten without asking (the answer here is "skip").
    const second = new BackupUpload(
      { ...ports, uploader },
      { exchange: prepared.exchange, folder, user, askConflict: async () => "skip" },
      [local("disk/notes.txt", randomBytes(10))],
    );
    await second.start();
    expect(second.snapshot().files[0].state.kind).toBe("skipped");

    // Notify Support with Dataverse throttling a share of the requests.
    await faults({ throttleRate: 0.3 });
    const result = await notifySupport(ports, { ticket, exchangeId: prepared.exchange.id, user, appUrl: sandbox.origins.app });
    const twice = await notifySupport(ports, { ticket, exchangeId: prepared.exchange.id, user, appUrl: sandbox.origins.app });
    await faults({});
    expect(result).toMatchObject({ outcome: "notified", email: "sent", fileCount: 3, totalBytes: big.length + 2000 });
    expect(twice.outcome).toBe("alreadyNotified");

    // What the agent sees: the notification, the e-mail, the notes.
    const agent = await ticketPorts(sandbox, "agent");
    const notifications = await agent.webApi.retrieveMultipleRecords("appnotification", "?$select=title,data");
    expect(notifications.entities.filter((n) => n.title === `Backup ready for ${caseNumber}`)).toHaveLength(1);
    const mail = (await (await fetch(`${sandbox.origins.app}/_sandbox/mail`)).json()) as {
      to: string[];
      subject: string;
      links: string[];
    }[];
    const sent = mail.filter((m) => m.subject === `Backup ready for case ${caseNumber}`);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toEqual(["alex.agent@contoso.example"]);
    expect(sent[0].links[0]).toContain(`etn=incident&id=${ticket.caseId}`);
    const notes = await agent.webApi.retrieveMultipleRecords(
      "annotation",
      `?$select=subject,notetext&$filter=_objectid_value eq ${ticket.caseId}`,
    );
    const ready = notes.entities.filter((n) => n.subject === "Backup is ready");
    expect(ready).toHaveLength(1);
    expect(String(ready[0].notetext)).toContain(`3 files`);
    const ticketNotes = await ports.tickets.hasNote({ table: "cfx_hardwareticket", id: ticket.id }, "Backup is ready");
    expect(ticketNotes).toBe(true);
    expect(await ports.tickets.getExchange(prepared.exchange.id)).toMatchObject({ stage: ExchangeStage.backupReady });
  });

  it("writes an in-app notification once per key: Dataverse refuses the repeat as a duplicate and the gateway takes that as done", async () => {
    const { ports } = await ticketPorts(sandbox, "specialist");
    const input = {
      userId: sandboxUser("agent").id,
      title: "Once only",
      body: "Written by a retry after a failure half-way.",
      link: { table: "incident" as const, id: ticket.caseId },
      onceKey: `test:${Date.now()}`,
    };
    await ports.tickets.createAppNotification(input);
    await ports.tickets.createAppNotification(input);
    const agent = await ticketPorts(sandbox, "agent");
    const mine = await agent.webApi.retrieveMultipleRecords("appnotification", "?$select=title&$filter=title eq 'Once only'");
    expect(mine.entities).toHaveLength(1);
  });

  it("refuses to prepare a folder for an agent and changes nothing", async () => {
    const { ports, user } = await ticketPorts(sandbox, "agent");
    await expect(
      prepareFolder(ports, { ...ticket, id: stableId("ticket/CAS-01006-R7S8T9"), caseId: stableId("incident/CAS-01006-R7S8T9") }, user),
    ).rejects.toMatchObject({ code: "actionNotAllowed" });
  });
});
