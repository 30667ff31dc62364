import { notifySupport } from "../../../src/app/notifySupport";
import { prepareFolder } from "../../../src/app/prepareFolder";
import { ExchangeStage, FileIntegrity } from "../../../src/model";
import { bytesInWords } from "../../../src/app/ticketWording";
import { agent, FakeCrm, ports, specialist, ticket } from "./fakes";

async function prepared(
  crm = new FakeCrm(),
  files: { path: string; size: number; integrity?: FileIntegrity }[] = [{ path: "backup.zip", size: 2_500_000 }],
) {
  const p = ports(crm);
  const { exchange } = await prepareFolder(p, ticket, specialist);
  for (const f of files)
    await crm.addReceipt({
      id: `f-${f.path}`,
      exchangeId: exchange.id,
      path: f.path,
      size: f.size,
      integrity: f.integrity ?? FileIntegrity.verified,
      uploadedOn: new Date("2026-11-22T03:10:00Z"),
    });
  crm.notes = [];
  crm.calls = [];
  return { p, exchange, input: { ticket, exchangeId: exchange.id, user: specialist, appUrl: "https://org.example/" } };
}

describe("notifySupport", () => {
  it("marks the backup ready with the stored files' count and size", async () => {
    const { p, exchange, input } = await prepared(undefined, [
      { path: "a.bin", size: 1000 },
      { path: "docs/b.docx", size: 500, integrity: FileIntegrity.modifiedBySharePoint },
    ]);
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", email: "sent", fileCount: 2, totalBytes: 1500, agentName: "Alex Agent" });
    expect(p.crm.exchanges.find((e) => e.id === exchange.id)).toMatchObject({
      stage: ExchangeStage.backupReady,
      readyOn: new Date("2026-11-22T03:00:00Z"),
      notifiedOn: new Date("2026-11-22T03:00:00Z"),
      fileCount: 2,
      totalBytes: 1500,
    });
  });

  it("puts the folder's address in the note only when it is an https link to the SharePoint site", async () => {
    const { p, exchange, input } = await prepared();
    await p.crm.updateExchange(exchange.id, { webUrl: "javascript:alert(document.cookie)" });
    p.crm.calls = [];
    await notifySupport(p, input);
    expect(p.crm.notes[0].note.text).not.toContain("javascript:");
    const good = await prepared();
    await notifySupport(good.p, good.input);
    expect(good.p.crm.notes[0].note.text).toContain(
      "https://contoso.sharepoint.com/sites/files/Shared%20Documents/Customer%20Data%20Migration/",
    );
  });

  it("writes 'backup is ready' with folder, file count and size on the ticket, the exchange and the case", async () => {
    const { p, input } = await prepared();
    await notifySupport(p, input);
    expect(p.crm.notes.map((n) => n.target.table)).toEqual(["cfx_hardwareticket", "cfx_fileexchange", "incident"]);
    expect(p.crm.notes[0].note).toEqual({
      subject: "Backup is ready",
      text: expect.stringContaining('ready for case CAS-01234-A1B2C3: 1 file, 2.4 MB in "Customer Data Migration/CAS-01234-A1B2C3"'),
    });
  });

  it("tells the case's owning agent in the app and by e-mail, both linking to the case", async () => {
    const { p, input } = await prepared();
    await notifySupport(p, input);
    expect(p.crm.notifications).toEqual([
      expect.objectContaining({
        userId: "user-agent",
        title: "Backup ready for CAS-01234-A1B2C3",
        link: { table: "incident", id: "case-1" },
      }),
    ]);
    expect(p.crm.emails).toEqual([
      expect.objectContaining({
        regardingCaseId: "case-1",
        toUserId: "user-agent",
        subject: "Backup ready for case CAS-01234-A1B2C3",
        status: "sent",
        html: expect.stringContaining('href="https://org.example/main.aspx?pagetype=entityrecord&amp;etn=incident&amp;id=case-1"'),
      }),
    ]);
  });

  it("says the e-mail is pending when the org's mailbox does not send", async () => {
    const crm = new FakeCrm();
    crm.mailboxApproved = false;
    const { p, input } = await prepared(crm);
    await expect(notifySupport(p, input)).resolves.toMatchObject({ email: "pending" });
  });

  it("notifies once when clicked twice", async () => {
    const { p, input } = await prepared();
    await notifySupport(p, input);
    const again = await notifySupport(p, input);
    expect(again).toMatchObject({ outcome: "alreadyNotified", email: "sent" });
    expect(p.crm.notifications).toHaveLength(1);
    expect(p.crm.emails).toHaveLength(1);
    expect(p.crm.notes).toHaveLength(3);
  });

  it("finishes after a failure half-way without sending or noting anything twice", async () => {
    const crm = new FakeCrm();
    const { p, input } = await prepared(crm);
    crm.failOnce.set("createAppNotification", new Error("503"));
    await expect(notifySupport(p, input)).rejects.toThrow("503");
    await notifySupport(p, input);
    expect(crm.emails).toHaveLength(1);
    expect(crm.notifications).toHaveLength(1);
    expect(crm.notes).toHaveLength(3);
    expect(crm.exchanges[0].notifiedOn).toBeDefined();
  });

  it("writes the notes a lost answer left out, each once, when clicked again", async () => {
    const crm = new FakeCrm();
    const { p, input } = await prepared(crm);
    crm.loseAnswer.add("addNote");
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "networkError" });
    expect(crm.notes).toHaveLength(1);
    await notifySupport(p, input);
    expect(crm.notes.map((n) => n.target.table)).toEqual(["cfx_hardwareticket", "cfx_fileexchange", "incident"]);
  });

  it("does not notify the agent twice when recording the notification failed after it was sent", async () => {
    const crm = new FakeCrm();
    const { p, input } = await prepared(crm);
    const update = crm.updateExchange.bind(crm);
    let updates = 0;
    crm.updateExchange = async (id, changes) => {
      if ("notifiedOn" in changes && updates++ === 0) throw new Error("connection reset");
      return update(id, changes);
    };
    await expect(notifySupport(p, input)).rejects.toThrow("connection reset");
    expect(crm.notifications).toHaveLength(1);
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "notified" });
    expect(crm.notifications).toHaveLength(1);
    expect(crm.notifications[0].onceKey).toBe(`backupReady:${crm.exchanges[0].id}`);
    expect(crm.emails).toHaveLength(1);
    expect(crm.notes).toHaveLength(3);
  });

  it("sends an e-mail left as a draft by an earlier failure", async () => {
    const crm = new FakeCrm();
    const { p, input } = await prepared(crm);
    crm.failOnce.set("sendEmail", new Error("network"));
    await expect(notifySupport(p, input)).rejects.toThrow("network");
    await notifySupport(p, input);
    expect(crm.emails).toEqual([expect.objectContaining({ status: "sent" })]);
  });

  it("refuses while the folder holds no stored file", async () => {
    const { p, input } = await prepared(undefined, []);
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "actionNotAllowed" });
    expect(p.crm.notifications).toEqual([]);
  });

  it("does not count a file whose hash did not match", async () => {
    const { p, input } = await prepared(undefined, [{ path: "a.bin", size: 10, integrity: FileIntegrity.mismatch }]);
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "actionNotAllowed" });
  });

  it("refuses an agent", async () => {
    const { p, input } = await prepared();
    await expect(notifySupport(p, { ...input, user: agent })).rejects.toMatchObject({ code: "actionNotAllowed" });
  });

  it("refuses once the backup has been shared", async () => {
    const { p, exchange, input } = await prepared();
    await p.crm.updateExchange(exchange.id, { stage: ExchangeStage.shared });
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "actionNotAllowed" });
  });
});

describe("bytesInWords", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [1536, "1.5 KB"],
    [60 * 1024 * 1024, "60 MB"],
    [1024 ** 3 * 250, "250 GB"],
  ])("writes %d bytes as %s", (bytes, text) => {
    expect(bytesInWords(bytes)).toBe(text);
  });
});
