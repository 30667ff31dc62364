import { shareWithCustomer } from "../../../src/app/shareWithCustomer";
import { writeNotes } from "../../../src/app/timelineNotes";
import { ExchangeDirection, ExchangeStage, RecipientRole } from "../../../src/model";
import { agent, backupExchange, caseRecord, FakeCrm, FakeLibrary, folder, NOW, ports, recipient, supervisor } from "./fakes";

const message = "Kindly upload the files within 28 days. Please note that they will be automatically deleted after this period.";
const base = { caseRecord, recipients: [], actor: agent, request: { email: "ana@clinic.example", role: "write" as const, message } };

describe("shareWithCustomer", () => {
  it("invites the contact with sign-in and the message, records them, marks the exchange shared and notes it on both timelines", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    const out = await shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() });
    expect(lib.invites).toEqual([
      { folder: expect.objectContaining({ itemId: "i1" }), request: { recipients: ["ana@clinic.example"], role: "write", message } },
    ]);
    expect(out).toMatchObject({ alreadyShared: false, stage: ExchangeStage.shared });
    expect([...crm.recipients.values()][0]).toMatchObject({
      email: "ana@clinic.example",
      role: RecipientRole.write,
      permissionId: expect.any(String),
      invitedBy: "u-agent",
    });
    expect(crm.exchanges.get("x1")).toMatchObject({ stage: ExchangeStage.shared, sharedOn: expect.any(Date) });
    expect(crm.notes.map((n) => n.target)).toEqual([
      { table: "cfx_fileexchange", id: "x1" },
      { table: "incident", id: "c1" },
      { table: "cfx_hardwareticket", id: "t1" },
    ]);
    expect(crm.notes[1].note.subject).toBe("The backup folder on SharePoint was shared with the customer");
    expect(crm.notes[1].note.text).toContain("ana@clinic.example (Can edit, sign-in required)");
    expect(crm.notes[1].note.text).toContain("20 December 2026 (UTC)");
  });

  it("refuses a backup whose folder holds a file SharePoint flagged as malware, before anyone is invited", async () => {
    const scanned = (path: string, description?: string) => ({
      itemId: path,
      name: path,
      path,
      size: 10,
      createdOn: new Date(0),
      modifiedOn: new Date(0),
      webUrl: "",
      ...(description !== undefined ? { malware: { description } } : {}),
    });
    for (const [files, sentence] of [
      [[scanned("setup.exe", "Win32/EICAR_Test_File")], "flagged every file of this backup as malware (setup.exe (Win32/EICAR_Test_File))"],
      [[scanned("backup.zip"), scanned("setup.exe", "")], "flagged a file of this backup as malware (setup.exe)"],
    ] as const) {
      const crm = new FakeCrm();
      const lib = new FakeLibrary();
      lib.files.set(folder.path, [...files]);
      await expect(shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() })).rejects.toMatchObject({
        name: "ValidationError",
        code: "malwareFlagged",
        message: expect.stringContaining(sentence),
      });
      expect(lib.invites).toEqual([]);
      expect(crm.calls).toEqual([]);
    }
  });

  it("refuses another address without a confirmation and a reason, and changes nothing", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    const p = shareWithCustomer(ports(crm, lib), {
      ...base,
      exchange: backupExchange(),
      request: { ...base.request, email: "it@clinic.example" },
    });
    await expect(p).rejects.toMatchObject({ name: "ValidationError", code: "recipientNotContact" });
    const q = shareWithCustomer(ports(crm, lib), {
      ...base,
      exchange: backupExchange(),
      request: { ...base.request, email: "it@clinic.example", confirmedOther: true, reason: " " },
    });
    await expect(q).rejects.toMatchObject({ code: "reasonRequired" });
    expect(lib.invites).toHaveLength(0);
    expect(crm.calls).toEqual([]);
  });

  it("shares with another address after confirmation and notes the reason", async () => {
    const crm = new FakeCrm();
    const out = await shareWithCustomer(ports(crm, new FakeLibrary()), {
      ...base,
      exchange: backupExchange(),
      request: { ...base.request, email: "it@clinic.example", confirmedOther: true, reason: "The clinic's IT restores the backup" },
    });
    expect(out.recipient.reason).toBe("The clinic's IT restores the backup");
    expect(crm.notes[0].note.text).toContain("Not the case's contact; reason: The clinic's IT restores the backup");
  });

  it("refuses an address on the deny list with a sentence naming it", async () => {
    const p = shareWithCustomer(
      ports(new FakeCrm(), new FakeLibrary(), { settings: { ...(await import("./fakes")).settings, deniedDomains: ["clinic.example"] } }),
      {
        ...base,
        exchange: backupExchange(),
      },
    );
    await expect(p).rejects.toMatchObject({ code: "emailDomainDenied", message: expect.stringContaining("deny list") });
  });

  it("marks nothing shared when SharePoint refuses the invitation (207 notAllowed), and closes the row it wrote first", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    lib.refuse.set("ana@clinic.example", { code: "notAllowed" });
    const p = shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() });
    await expect(p).rejects.toMatchObject({ name: "ShareRefusedError", code: "notAllowed", email: "ana@clinic.example" });
    // The row written before the invitation is closed: nobody got access.
    expect(crm.calls).toEqual(["addRecipient", "updateRecipient"]);
    expect([...crm.recipients.values()]).toEqual([expect.objectContaining({ revokedOn: NOW })]);
    expect([...crm.recipients.values()][0].permissionId).toBeUndefined();
    expect(crm.exchanges.size).toBe(0);
  });

  it("turns a 400 secureSharingInvalidRequest into a refusal, closing the row it wrote first", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    lib.inviteError = Object.assign(new Error("Some users in the request cannot be invited securely."), {
      name: "GraphError",
      code: "invalidRequest",
      innerCode: "secureSharingInvalidRequest",
      status: 400,
    });
    await expect(shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() })).rejects.toMatchObject({
      name: "ShareRefusedError",
      innerCode: "secureSharingInvalidRequest",
    });
    expect(crm.calls).toEqual(["addRecipient", "updateRecipient"]);
    expect([...crm.recipients.values()].every((r) => r.revokedOn && !r.invitedOn)).toBe(true);
  });

  it("does not invite again when SharePoint already holds the address's permission (an earlier attempt failed after the invite)", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    lib.permissions.set(folder.path, [{ id: "p-old", roles: ["write"], email: "Ana@Clinic.example", inherited: false, isLink: false }]);
    const out = await shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() });
    expect(lib.invites).toHaveLength(0);
    expect(out.alreadyShared).toBe(true);
    expect([...crm.recipients.values()][0].permissionId).toBe("p-old");
    expect(crm.notes).toHaveLength(3);
  });

  it("does nothing twice for an address that already has a row and a permission", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    lib.permissions.set(folder.path, [{ id: "p1", roles: ["write"], email: "ana@clinic.example", inherited: false, isLink: false }]);
    const input = { ...base, exchange: backupExchange({ stage: ExchangeStage.shared, sharedOn: new Date() }), recipients: [recipient()] };
    const out = await shareWithCustomer(ports(crm, lib), input);
    await shareWithCustomer(ports(crm, lib), input);
    expect(out.alreadyShared).toBe(true);
    expect(lib.invites).toHaveLength(0);
    expect(crm.calls.filter((c) => c !== "addNote")).toEqual([]);
    // The invitation's notes, under ids derived from its row: written once, counted as written after.
    expect(crm.notes).toHaveLength(3);
  });

  it("keeps the share when a note fails, returning it to write again later", async () => {
    const crm = new FakeCrm();
    crm.noteFailures = 1;
    const out = await shareWithCustomer(ports(crm, new FakeLibrary()), { ...base, exchange: backupExchange() });
    expect(crm.exchanges.get("x1")?.stage).toBe(ExchangeStage.shared);
    expect(out.notes.pending.length).toBeGreaterThan(0);
    expect(out.notes.error).toMatchObject({ name: "DataverseError" });
  });

  it("writes each note once when Dataverse wrote it but the answer was lost, and the note is written again", async () => {
    const crm = new FakeCrm();
    crm.loseAnswer.add("addNote");
    const out = await shareWithCustomer(ports(crm, new FakeLibrary()), { ...base, exchange: backupExchange() });
    expect(out.notes.pending).toHaveLength(1);
    const again = await writeNotes(crm, out.notes.pending);
    expect(again).toMatchObject({ written: 1, pending: [] });
    expect(crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "incident", "cfx_hardwareticket"]);
  });

  it("records the recipient once when the answer to recording them was lost and Share is clicked again", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    crm.loseAnswer.add("addRecipient");
    await expect(shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() })).rejects.toMatchObject({
      code: "networkError",
    });
    // The same click again, with what the panel knew before it.
    await shareWithCustomer(ports(crm, lib), { ...base, exchange: backupExchange() });
    expect(crm.recipients.size).toBe(1);
    expect(lib.invites).toHaveLength(1);
    expect(crm.notes).toHaveLength(3);
  });

  it("shares again after a revoke as a new row of the access list, once, leaving the revoked row as it was", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    const revoked = recipient({ revokedOn: new Date("2026-11-21T12:00:00Z"), revokedBy: "u-agent" });
    const input = { ...base, exchange: backupExchange({ stage: ExchangeStage.revoked, sharedOn: new Date() }), recipients: [revoked] };
    crm.loseAnswer.add("addRecipient");
    await expect(shareWithCustomer(ports(crm, lib), input)).rejects.toMatchObject({ code: "networkError" });
    const out = await shareWithCustomer(ports(crm, lib), input);
    expect(crm.recipients.size).toBe(1);
    expect(out.recipient.id).not.toBe(revoked.id);
    expect(out.recipient).toMatchObject({ email: "ana@clinic.example", invitedOn: expect.any(Date) });
    expect(crm.calls.filter((c) => c === "updateRecipient")).toHaveLength(1);
    expect(lib.invites).toHaveLength(1);
  });

  it("treats a note refused by a resolved case as expected", async () => {
    const crm = new FakeCrm();
    crm.refuseNotesOn.add("c1");
    const out = await shareWithCustomer(ports(crm, new FakeLibrary()), { ...base, exchange: backupExchange() });
    expect(out.notes).toMatchObject({ written: 2, refused: 1, pending: [] });
  });

  it("is not offered to a supervisor, nor for a folder still being prepared", async () => {
    await expect(
      shareWithCustomer(ports(new FakeCrm(), new FakeLibrary()), { ...base, actor: supervisor, exchange: backupExchange() }),
    ).rejects.toMatchObject({ code: "actionNotAllowed" });
    await expect(
      shareWithCustomer(ports(new FakeCrm(), new FakeLibrary()), {
        ...base,
        exchange: backupExchange({ stage: ExchangeStage.folderCreated }),
      }),
    ).rejects.toMatchObject({
      code: "actionNotAllowed",
    });
  });

  it("notes a share of a folder for files from the customer as an upload request", async () => {
    const crm = new FakeCrm();
    await shareWithCustomer(ports(crm, new FakeLibrary()), {
      ...base,
      exchange: backupExchange({ direction: ExchangeDirection.filesFromCustomer, stage: ExchangeStage.filesReceived, ticketId: undefined }),
    });
    expect(crm.notes.map((n) => n.note.subject)).toEqual([
      "A folder on SharePoint was shared with the customer to upload files",
      "A folder on SharePoint was shared with the customer to upload files",
    ]);
  });

  it("refuses an empty or over-long message", async () => {
    await expect(
      shareWithCustomer(ports(new FakeCrm(), new FakeLibrary()), {
        ...base,
        exchange: backupExchange(),
        request: { ...base.request, message: "  " },
      }),
    ).rejects.toMatchObject({ code: "messageEmpty" });
    await expect(
      shareWithCustomer(ports(new FakeCrm(), new FakeLibrary()), {
        ...base,
        exchange: backupExchange(),
        request: { ...base.request, message: "x".repeat(2001) },
      }),
    ).rejects.toMatchObject({ code: "messageTooLong" });
  });
});
