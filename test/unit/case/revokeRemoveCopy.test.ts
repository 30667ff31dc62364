import { createGraph } from "../../../src/adapters/graph/createGraph";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../../../src/adapters/graph/GraphDocumentLibrary";
import { copyLink } from "../../../src/app/copyLink";
import { removeNow } from "../../../src/app/removeNow";
import { revokeAccess } from "../../../src/app/revokeAccess";
import { ExchangeStage, IncidentState } from "../../../src/model";
import { fakeFetch, json, recordingSleep, staticTokens } from "../graph/fakeFetch";
import { agent, backupExchange, caseRecord, FakeCrm, FakeLibrary, folder, ports, recipient, settings, supervisor } from "./fakes";

const shared = () => backupExchange({ stage: ExchangeStage.shared, sharedOn: new Date("2026-11-21T09:00:00Z") });

function libraryWith(...emails: string[]): FakeLibrary {
  const lib = new FakeLibrary();
  lib.permissions.set(folder.path, [
    { id: "inh", roles: ["write"], displayName: "Support team", inherited: true, isLink: false },
    ...emails.map((email, i) => ({ id: `p${i + 1}`, roles: ["write"], email, inherited: false, isLink: false })),
  ]);
  return lib;
}

describe("revokeAccess", () => {
  it("removes the person's permission, records who revoked and when, and makes the exchange revoked when nobody is left", async () => {
    const crm = new FakeCrm();
    const lib = libraryWith("ana@clinic.example");
    const out = await revokeAccess(ports(crm, lib), {
      caseRecord,
      exchange: shared(),
      recipients: [recipient()],
      target: { recipientId: "r1" },
      actor: agent,
    });
    expect(out).toMatchObject({ stage: ExchangeStage.revoked, removed: 1 });
    expect(lib.permissions.get(folder.path)?.map((p) => p.id)).toEqual(["inh"]);
    expect(crm.recipients.get("r1")).toMatchObject({ revokedOn: expect.any(Date), revokedBy: "u-agent" });
    expect(crm.exchanges.get("x1")?.stage).toBe(ExchangeStage.revoked);
    expect(crm.notes[1].note.text).toContain("Nobody outside the organization has access now.");
  });

  it("keeps the exchange shared while others still have access", async () => {
    const crm = new FakeCrm();
    const lib = libraryWith("ana@clinic.example", "it@clinic.example");
    const out = await revokeAccess(ports(crm, lib), {
      caseRecord,
      exchange: shared(),
      recipients: [recipient(), recipient({ id: "r2", email: "it@clinic.example", permissionId: "p2" })],
      target: { recipientId: "r1" },
      actor: agent,
    });
    expect(out.stage).toBe(ExchangeStage.shared);
    expect(crm.calls).not.toContain("updateExchange");
  });

  it("revokes a permission given in SharePoint by hand", async () => {
    const crm = new FakeCrm();
    const lib = libraryWith("guest@other.example");
    const out = await revokeAccess(ports(crm, lib), {
      caseRecord,
      exchange: shared(),
      recipients: [],
      target: { permissionId: "p1", email: "guest@other.example" },
      unrecordedCount: 1,
      actor: agent,
    });
    expect(out.removed).toBe(1);
    expect(crm.calls).not.toContain("updateRecipient");
  });

  it("works on a resolved case, whose timeline refuses the note, without touching the case row", async () => {
    const crm = new FakeCrm();
    crm.refuseNotesOn.add("c1");
    const out = await revokeAccess(ports(crm, libraryWith("ana@clinic.example")), {
      caseRecord: { ...caseRecord, state: IncidentState.resolved },
      exchange: shared(),
      recipients: [recipient()],
      target: { recipientId: "r1" },
      actor: agent,
    });
    expect(out.notes).toMatchObject({ written: 1, refused: 1, pending: [] });
  });

  it("completes when the folder is gone from SharePoint, marking the person revoked", async () => {
    const crm = new FakeCrm();
    const { lib } = libraryWithoutTheFolder();
    const out = await revokeAccess(ports(crm, new FakeLibrary(), { library: lib }), {
      caseRecord,
      exchange: shared(),
      recipients: [recipient()],
      target: { recipientId: "r1" },
      actor: agent,
    });
    expect(out).toMatchObject({ stage: ExchangeStage.revoked, removed: 0 });
    expect(crm.recipients.get("r1")?.revokedOn).toBeDefined();
  });

  it("is not allowed for a supervisor", async () => {
    const p = revokeAccess(ports(new FakeCrm(), libraryWith("ana@clinic.example")), {
      caseRecord,
      exchange: shared(),
      recipients: [recipient()],
      target: { recipientId: "r1" },
      actor: supervisor,
    });
    await expect(p).rejects.toMatchObject({ code: "actionNotAllowed" });
  });
});

/** The Graph adapter over a fake fetch whose SharePoint no longer has any item: every item request is a 404. */
function libraryWithoutTheFolder() {
  const fetch = fakeFetch(() => json(404, { error: { code: "itemNotFound", message: "The resource could not be found." } }));
  const sleep = recordingSleep();
  const graph = new GraphClient(
    createGraph({ graphEndpoint: "https://graph.example.test", tokens: staticTokens, scopes: ["x"], fetch, retry: { sleep } }),
  );
  const lib = new GraphDocumentLibrary({ graph, siteUrl: settings.siteUrl, libraryName: "Documents", batch: { sleep } });
  return { lib, fetch };
}

describe("removeNow", () => {
  it("completes when the folder the exchange records is gone from SharePoint: nothing left to revoke, recorded deleted, noted", async () => {
    const crm = new FakeCrm();
    const { lib, fetch } = libraryWithoutTheFolder();
    const out = await removeNow(ports(crm, new FakeLibrary(), { library: lib }), {
      caseRecord,
      exchange: shared(),
      recipients: [recipient()],
      actor: agent,
    });
    expect(out.permanent).toBe(false);
    expect(crm.exchanges.get("x1")).toMatchObject({ stage: ExchangeStage.deleted, deletedOn: expect.any(Date) });
    expect(crm.recipients.get("r1")?.revokedOn).toBeDefined();
    expect(crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "incident"]);
    expect(crm.notes[0].note.text).toContain("ana@clinic.example");
    expect(fetch.requests.map((r) => r.method)).toEqual(["GET", "DELETE"]);
  });

  it("revokes every direct permission, sends the folder to the recycle bin by default and notes what happens", async () => {
    const crm = new FakeCrm();
    const lib = libraryWith("ana@clinic.example", "hand@other.example");
    const out = await removeNow(ports(crm, lib), { caseRecord, exchange: shared(), recipients: [recipient()], actor: agent });
    expect(out.permanent).toBe(false);
    expect(lib.deleted).toEqual([{ path: folder.path, permanent: false }]);
    expect(lib.permissions.get(folder.path)?.map((p) => p.id)).toEqual(["inh"]);
    expect(crm.exchanges.get("x1")).toMatchObject({ stage: ExchangeStage.deleted, deletedOn: expect.any(Date) });
    // Only an administrator confirms the removal in the secured column; the job confirms an agent's.
    expect(crm.exchanges.get("x1")?.removedOn).toBeUndefined();
    expect(crm.recipients.get("r1")?.revokedOn).toBeDefined();
    expect(crm.notes[0].note.text).toContain("recycle bin for about 93 days");
    expect(crm.notes[0].note.text).toContain("ana@clinic.example, hand@other.example");
  });

  it("an administrator's removal is confirmed in the secured column the retention job trusts", async () => {
    const crm = new FakeCrm();
    const lib = libraryWith("ana@clinic.example");
    const admin = { id: "u-admin", name: "Ada Admin", roles: ["administrator" as const] };
    await removeNow(ports(crm, lib), { caseRecord, exchange: shared(), recipients: [recipient()], actor: admin });
    expect(crm.exchanges.get("x1")).toMatchObject({ stage: ExchangeStage.deleted, removedOn: expect.any(Date) });
  });

  it("deletes permanently when the setting says so, and says it cannot be restored", async () => {
    const crm = new FakeCrm();
    const lib = libraryWith();
    await removeNow(ports(crm, lib, { settings: { ...settings, permanentDelete: true } }), {
      caseRecord,
      exchange: shared(),
      recipients: [],
      actor: agent,
    });
    expect(lib.deleted[0].permanent).toBe(true);
    expect(crm.notes[0].note.text).toContain("deleted permanently and cannot be restored");
  });

  it("completes when the folder is already gone", async () => {
    const crm = new FakeCrm();
    const lib = new FakeLibrary([]);
    await removeNow(ports(crm, lib), {
      caseRecord,
      exchange: backupExchange({ stage: ExchangeStage.shared, driveId: undefined, itemId: undefined }),
      recipients: [],
      actor: agent,
    });
    expect(crm.exchanges.get("x1")?.stage).toBe(ExchangeStage.deleted);
  });

  it("is not possible on a deleted exchange", async () => {
    await expect(
      removeNow(ports(new FakeCrm(), new FakeLibrary()), {
        caseRecord,
        exchange: backupExchange({ stage: ExchangeStage.deleted }),
        recipients: [],
        actor: agent,
      }),
    ).rejects.toMatchObject({
      code: "actionNotAllowed",
    });
  });
});

describe("copyLink", () => {
  it("refuses to copy a web URL that is not an https link to the SharePoint site, and notes nothing", async () => {
    const crm = new FakeCrm();
    const copied: string[] = [];
    const p = copyLink(
      ports(crm, new FakeLibrary()),
      { copy: async (t) => void copied.push(t) },
      { exchange: backupExchange({ stage: ExchangeStage.shared, webUrl: "javascript:alert(1)" }), actor: agent },
    );
    await expect(p).rejects.toMatchObject({ code: "actionNotAllowed" });
    expect(copied).toEqual([]);
    expect(crm.notes).toEqual([]);
  });

  it("copies the folder's address and notes it on the exchange", async () => {
    const crm = new FakeCrm();
    const copied: string[] = [];
    const out = await copyLink(
      ports(crm, new FakeLibrary()),
      { copy: async (t) => void copied.push(t) },
      { exchange: shared(), actor: agent },
    );
    expect(copied).toEqual([folder.webUrl]);
    expect(out.notes.written).toBe(1);
    expect(crm.notes[0].target).toEqual({ table: "cfx_fileexchange", id: "x1" });
  });
});
