import { randomBytes } from "node:crypto";
import { notifySupport } from "../../src/app/notifySupport";
import { prepareFolder } from "../../src/app/prepareFolder";
import { loadTicketPanel } from "../../src/app/loadTicketPanel";
import { BackupUpload, type LocalFile } from "../../src/app/uploadBackup";
import { emailRowId, notificationRowId } from "../../src/domain";
import { ExchangeDirection, ExchangeStage, FileIntegrity } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { startSandbox, type TestSandbox } from "./support/sandbox";
import { fetchWebApi, sandboxUser, ticketPorts } from "./ticketSupport";

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
    const { ports, uploader, user, webApi } = await ticketPorts(sandbox, "specialist");

    // Prepare folder: SharePoint folder + exchange owned by whoever created it (the specialist).
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
    const ticketNotes = await webApi.retrieveMultipleRecords(
      "annotation",
      `?$select=subject&$filter=_objectid_value eq ${ticket.id} and subject eq 'Backup is ready'`,
    );
    expect(ticketNotes.entities).toHaveLength(1);
    expect(await ports.tickets.getExchange(prepared.exchange.id)).toMatchObject({ stage: ExchangeStage.backupReady });
  });

  it("writes an in-app notification once per key: Dataverse refuses the repeat as a duplicate and the gateway takes that as done", async () => {
    const { ports } = await ticketPorts(sandbox, "specialist");
    const input = {
      userId: sandboxUser("agent").id,
      title: "Once only",
      body: "Written by a retry after a failure half-way.",
      link: { table: "incident" as const, id: ticket.caseId },
      id: notificationRowId(`test:${Date.now()}`, sandboxUser("agent").id),
    };
    await ports.tickets.createAppNotification(input);
    await ports.tickets.createAppNotification(input);
    const agent = await ticketPorts(sandbox, "agent");
    const mine = await agent.webApi.retrieveMultipleRecords("appnotification", "?$select=title&$filter=title eq 'Once only'");
    expect(mine.entities).toHaveLength(1);
  });

  it("writes the e-mail under its derived id: a second create is refused as a duplicate key and answers the e-mail as it is", async () => {
    const { ports } = await ticketPorts(sandbox, "specialist");
    const input = {
      id: emailRowId(`test:${Date.now()}`),
      regardingCaseId: ticket.caseId,
      toUserIds: [sandboxUser("agent").id],
      subject: `Once only ${Date.now()}`,
      html: "<p>Written by a retry after a lost answer.</p>",
    };
    await expect(ports.tickets.createEmail(input)).resolves.toEqual({ id: input.id, status: "draft" });
    await expect(ports.tickets.createEmail(input)).resolves.toEqual({ id: input.id, status: "draft" });
    await expect(ports.tickets.sendEmail(input.id)).resolves.toBe("sent");
    await expect(ports.tickets.createEmail(input)).resolves.toEqual({ id: input.id, status: "sent" });
    await expect(ports.tickets.getEmail(input.id)).resolves.toEqual({ id: input.id, status: "sent" });
    await expect(ports.tickets.getEmail(emailRowId("never written"))).resolves.toBeNull();
    const mail = (await (await fetch(`${sandbox.origins.app}/_sandbox/mail`)).json()) as { subject: string }[];
    expect(mail.filter((m) => m.subject === input.subject)).toHaveLength(1);
  });

  it("reads the case's owner as a person, by the lookup's logical name", async () => {
    const { ports } = await ticketPorts(sandbox, "specialist");
    const { case: kase } = await ports.tickets.loadCaseWithExchanges(ticket.caseId, ExchangeDirection.backupForCustomer);
    expect(kase).toMatchObject({ ownerId: sandboxUser("agent").id, ownerIsTeam: false });
  });

  // The sandbox cannot hold this yet. Real Dataverse has it; the sandbox lacks: (1) a row owned by
  // a team — its writes always set ownerid to a systemuser (`ownerid__table: "systemuser"` in
  // sandbox/dataverse/writes.ts), `ownerid@odata.bind: /teams(<id>)` is not taken, and the owner's
  // navigation and `_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname` only ever name
  // systemuser (sandbox/dataverse/metadata.ts); (2) the N:N relationship `teammembership_association`
  // between team and systemuser (the sandbox has no N:N relationships: no `$expand` of it on
  // `teams(<id>)`, no `POST teams(<id>)/teammembership_association/$ref`); (3) seeded teams with members.
  it("tells each member of the team that owns the case, once, with one e-mail to them all", async () => {
    // The seeded case owned by the team Tier 2 Support (members Alex Agent and Jordan Agent, the
    // agent role's root copy), its backup stored and support not yet notified.
    const caseNumber2 = "CAS-01013-T2Q5R8";
    const ticket2 = { id: stableId(`ticket/${caseNumber2}`), name: "HWT", caseId: stableId(`incident/${caseNumber2}`) };
    const { ports, user } = await ticketPorts(sandbox, "specialist");
    const prepared = await prepareFolder(ports, ticket2, user);
    const folder = (await ports.library.findFolder(prepared.exchange.folderPath))!;
    const upload = new BackupUpload(
      { ...ports, uploader: (await ticketPorts(sandbox, "specialist")).uploader },
      {
        exchange: prepared.exchange,
        folder,
        user,
        askConflict: async () => "skip",
      },
      [local("a.txt", randomBytes(10))],
    );
    await upload.start();
    const result = await notifySupport(ports, { ticket: ticket2, exchangeId: prepared.exchange.id, user, appUrl: sandbox.origins.app });
    await notifySupport(ports, { ticket: ticket2, exchangeId: prepared.exchange.id, user, appUrl: sandbox.origins.app });
    expect(result).toMatchObject({ outcome: "notified", email: "sent" });
    expect(result.audience?.people.map((p) => p.id).sort()).toEqual([sandboxUser("agent").id, sandboxUser("agent2").id].sort());

    for (const member of ["agent", "agent2"] as const) {
      const mine = await fetchWebApi(sandbox, member).retrieveMultipleRecords(
        "appnotification",
        `?$select=title&$filter=title eq 'Backup ready for ${caseNumber2}'`,
      );
      expect(mine.entities).toHaveLength(1);
    }
    const mail = (await (await fetch(`${sandbox.origins.app}/_sandbox/mail`)).json()) as { to: string[]; subject: string }[];
    const sent = mail.filter((m) => m.subject === `Backup ready for case ${caseNumber2}`);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toHaveLength(2);
  });

  it("refuses to prepare a folder for an agent and changes nothing", async () => {
    const { ports, user } = await ticketPorts(sandbox, "agent");
    await expect(
      prepareFolder(ports, { ...ticket, id: stableId("ticket/CAS-01006-R7S8T9"), caseId: stableId("incident/CAS-01006-R7S8T9") }, user),
    ).rejects.toMatchObject({ code: "actionNotAllowed" });
  });
});
