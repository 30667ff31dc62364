import { notifySupport } from "../../../src/app/notifySupport";
import { emailRowId, notificationRowId, type Person } from "../../../src/domain";
import { prepareFolder } from "../../../src/app/prepareFolder";
import { ExchangeStage, FileIntegrity } from "../../../src/model";
import { bytesInWords } from "../../../src/app/ticketWording";
import { aCase, agent, FakeCrm, ports, specialist, ticket } from "./fakes";

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

  /** Puts the file in the fake SharePoint folder, flagged as malware by its scan when `description` is given. */
  function stored(p: ReturnType<typeof ports>, folderPath: string, path: string, size: number, description?: string) {
    p.library.files.set(`${folderPath}/${path}`, {
      itemId: `item-${path}`,
      name: path.split("/").pop()!,
      path,
      size,
      createdOn: new Date("2026-11-22T03:10:00Z"),
      modifiedOn: new Date("2026-11-22T03:10:00Z"),
      webUrl: "",
      folderPath,
      ...(description !== undefined ? { malware: { description } } : {}),
    });
  }

  it("does not count files SharePoint flagged as malware, and names them in the note", async () => {
    const { p, exchange, input } = await prepared(undefined, [
      { path: "a.bin", size: 1000 },
      { path: "tools/setup.exe", size: 500 },
    ]);
    stored(p, exchange.folderPath, "a.bin", 1000);
    stored(p, exchange.folderPath, "tools/setup.exe", 500, "Win32/EICAR_Test_File");
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", fileCount: 1, totalBytes: 1000 });
    expect(p.crm.exchanges.find((e) => e.id === exchange.id)).toMatchObject({ fileCount: 1, totalBytes: 1000 });
    const text = p.crm.notes[0].note.text;
    expect(text).toContain("1 file, 1000 bytes in");
    expect(text).toContain(
      "SharePoint flagged 1 file as malware: tools/setup.exe (Win32/EICAR_Test_File). It is not counted, and the backup cannot be shared with the customer until it is deleted from the folder.",
    );
  });

  it("refuses when every stored file is flagged as malware, and changes nothing", async () => {
    const { p, exchange, input } = await prepared(undefined, [{ path: "setup.exe", size: 500 }]);
    stored(p, exchange.folderPath, "setup.exe", 500, "Trojan:Win32/Test");
    await expect(notifySupport(p, input)).rejects.toMatchObject({
      name: "ValidationError",
      code: "malwareFlagged",
      message: expect.stringContaining("flagged every file in the folder as malware (setup.exe (Trojan:Win32/Test))"),
    });
    expect(p.crm.exchanges.find((e) => e.id === exchange.id)).toMatchObject({ stage: ExchangeStage.folderCreated });
    expect(p.crm.notes).toEqual([]);
    expect(p.crm.notifications).toEqual([]);
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
    const { p, exchange, input } = await prepared();
    await notifySupport(p, input);
    expect(p.crm.notifications).toEqual([
      expect.objectContaining({
        id: notificationRowId(`backupReady:${exchange.id}`, "user-agent"),
        userId: "user-agent",
        title: "Backup ready for CAS-01234-A1B2C3",
        link: { table: "incident", id: "case-1" },
      }),
    ]);
    expect(p.crm.emails).toEqual([
      expect.objectContaining({
        id: emailRowId(`backupReady:${exchange.id}`),
        regardingCaseId: "case-1",
        toUserIds: ["user-agent"],
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
    expect(crm.notifications[0].id).toBe(notificationRowId(`backupReady:${crm.exchanges[0].id}`, "user-agent"));
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

describe("notifySupport on a case owned by a team", () => {
  const members = (...names: string[]): Person[] => names.map((name, i) => ({ id: `member-${i}`, name }));
  const teamOwned = async (team: Person[], files?: Parameters<typeof prepared>[1]) => {
    const crm = new FakeCrm();
    crm.kase = aCase({ ownerId: "team-1", ownerName: "Tier 2 Support", ownerIsTeam: true });
    crm.teams.set("team-1", team);
    return prepared(crm, files);
  };

  it("notifies each member in the app, each under an id derived from the exchange and the member", async () => {
    const { p, exchange, input } = await teamOwned(members("Cy Carter", "Al Adams", "Bo Brown"));
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified", email: "sent", agentName: "Tier 2 Support" });
    expect(p.crm.notifications.map((n) => [n.userId, n.id])).toEqual(
      ["member-1", "member-2", "member-0"].map((id) => [id, notificationRowId(`backupReady:${exchange.id}`, id)]),
    );
    expect(new Set(p.crm.notifications.map((n) => n.id)).size).toBe(3);
    // The team itself is never a recipient: notifications and activity parties go to users.
    expect(p.crm.notifications.some((n) => n.userId === "team-1")).toBe(false);
  });

  it("sends one e-mail with the members in To, by name, and says on the timeline who was told", async () => {
    const { p, exchange, input } = await teamOwned(members("Cy Carter", "Al Adams"));
    await notifySupport(p, input);
    expect(p.crm.emails).toEqual([
      expect.objectContaining({ id: emailRowId(`backupReady:${exchange.id}`), toUserIds: ["member-1", "member-0"], status: "sent" }),
    ]);
    expect(p.crm.emails[0].html).toContain("Tier 2 Support");
    expect(p.crm.notes).toHaveLength(3);
    for (const n of p.crm.notes) expect(n.note.text).toContain('notified the 2 members of team "Tier 2 Support" (Al Adams, Cy Carter)');
  });

  it("reads the members in one request, only on Notify Support", async () => {
    const { p, input } = await teamOwned(members("Al Adams"));
    await notifySupport(p, input);
    expect(p.crm.calls.filter((c) => c === "teamMembers")).toHaveLength(1);
  });

  it("tells the first 50 members by name of a larger team, and the notes say so", async () => {
    const team = Array.from({ length: 60 }, (_, i) => ({ id: `m-${i}`, name: `Member ${String(59 - i).padStart(2, "0")}` }));
    const { p, input } = await teamOwned(team);
    const result = await notifySupport(p, input);
    expect(p.crm.notifications).toHaveLength(50);
    expect(p.crm.emails[0].toUserIds).toHaveLength(50);
    expect(p.crm.notifications.map((n) => n.userId)).toEqual(
      team
        .slice(10)
        .reverse()
        .map((m) => m.id),
    );
    expect(result.audience).toMatchObject({ capped: true });
    expect(p.crm.notes[2].note.text).toContain('Team "Tier 2 Support" has more than 50 members: only the first 50 by name were notified.');
  });

  it("with a team of no members, still marks the backup ready, tells nobody, and says so plainly on the timeline", async () => {
    const { p, exchange, input } = await teamOwned([]);
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "nobodyNotified", email: "none" });
    expect(p.crm.notifications).toEqual([]);
    expect(p.crm.emails).toEqual([]);
    const now = p.crm.exchanges.find((e) => e.id === exchange.id)!;
    expect(now.stage).toBe(ExchangeStage.backupReady);
    // Nobody was notified: Notify Support stays open for when the team has members.
    expect(now.notifiedOn).toBeUndefined();
    expect(p.crm.notes.map((n) => n.target.table)).toEqual(["cfx_hardwareticket", "cfx_fileexchange", "incident"]);
    for (const n of p.crm.notes)
      expect(n.note.text).toContain(
        'Nobody could be notified: the case is owned by team "Tier 2 Support", which has no members in Dynamics 365.',
      );
  });

  it("notifies the members added after nobody could be told, and the timeline keeps both notes", async () => {
    const { p, input } = await teamOwned([]);
    await notifySupport(p, input);
    p.crm.teams.set("team-1", members("Al Adams"));
    const result = await notifySupport(p, input);
    expect(result).toMatchObject({ outcome: "notified" });
    expect(p.crm.notifications.map((n) => n.userId)).toEqual(["member-0"]);
    const onCase = p.crm.notes.filter((n) => n.target.table === "incident").map((n) => n.note.text);
    expect(onCase).toEqual([expect.stringContaining("Nobody could be notified"), expect.stringContaining("Al Adams")]);
  });

  it("finishes after a lost answer half-way through the members without telling anyone twice", async () => {
    const { p, input } = await teamOwned(members("Al Adams", "Bo Brown", "Cy Carter"));
    p.crm.loseAnswer.add("createAppNotification");
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "networkError" });
    await notifySupport(p, input);
    expect(p.crm.notifications.map((n) => n.userId).sort()).toEqual(["member-0", "member-1", "member-2"]);
    expect(p.crm.emails).toHaveLength(1);
  });
});

describe("notifySupport's e-mail, written once under its derived id", () => {
  it("a create whose answer was lost is not written or sent twice on the next click", async () => {
    const crm = new FakeCrm();
    const { p, input } = await prepared(crm);
    crm.loseAnswer.add("createEmail");
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "networkError" });
    expect(crm.emails).toHaveLength(1);
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "notified", email: "sent" });
    expect(crm.emails).toEqual([expect.objectContaining({ status: "sent" })]);
  });

  it("an e-mail sent before the answer was lost is not sent again", async () => {
    const crm = new FakeCrm();
    const { p, input } = await prepared(crm);
    crm.loseAnswer.add("sendEmail");
    await expect(notifySupport(p, input)).rejects.toMatchObject({ code: "networkError" });
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "notified", email: "sent" });
    expect(crm.calls.filter((c) => c === "sendEmail")).toHaveLength(1);
  });

  it("a second click reports the e-mail's state from its id", async () => {
    const crm = new FakeCrm();
    crm.mailboxApproved = false;
    const { p, exchange, input } = await prepared(crm);
    await notifySupport(p, input);
    crm.calls = [];
    await expect(notifySupport(p, input)).resolves.toMatchObject({ outcome: "alreadyNotified", email: "pending" });
    expect(crm.calls).toContain("getEmail");
    expect(crm.emails[0].id).toBe(emailRowId(`backupReady:${exchange.id}`));
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
