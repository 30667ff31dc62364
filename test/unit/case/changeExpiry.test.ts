import { changeExpiry } from "../../../src/app/changeExpiry";
import type { CaseActor } from "../../../src/app/casePorts";
import { ExchangeStage, IncidentState } from "../../../src/model";
import { agent, backupExchange, caseRecord, FakeCrm, FakeLibrary, NOW, ports } from "./fakes";

const admin: CaseActor = { id: "u-admin", name: "Ada Admin", roles: ["administrator"] };

describe("changeExpiry", () => {
  it("keeps a folder with no expiry: the exchange loses its expiry, keeps the reason, and both timelines say so", async () => {
    const crm = new FakeCrm();
    const out = await changeExpiry(ports(crm, new FakeLibrary()), {
      caseRecord,
      exchange: backupExchange(),
      expiresOn: null,
      reason: "  Legal hold until the audit ends ",
      actor: admin,
    });
    expect(out).toMatchObject({ expiresOn: null, reason: "Legal hold until the audit ends" });
    // The announced date for the panels and views, and the secured decision the retention job follows.
    expect(crm.exchanges.get("x1")).toMatchObject({
      expiresOn: null,
      expiryReason: "Legal hold until the audit ends",
      keptSince: NOW,
      expiryOverride: null,
    });
    expect(crm.notes.map((n) => n.target)).toEqual([
      { table: "cfx_fileexchange", id: "x1" },
      { table: "incident", id: "c1" },
    ]);
    expect(crm.notes[0].note.subject).toBe("The SharePoint folder is kept with no expiry");
    expect(crm.notes[0].note.text).toMatch(/^Kept with no expiry by Ada Admin: Legal hold until the audit ends/);
  });

  it("changes the expiry to a new date and names the old and the new date in the note", async () => {
    const crm = new FakeCrm();
    const next = new Date("2027-01-15T10:00:00Z");
    await changeExpiry(ports(crm, new FakeLibrary()), {
      caseRecord,
      exchange: backupExchange(),
      expiresOn: next,
      reason: "Customer restores in January",
      actor: admin,
    });
    expect(crm.exchanges.get("x1")).toMatchObject({
      expiresOn: next,
      expiryReason: "Customer restores in January",
      keptSince: null,
      expiryOverride: next,
    });
    expect(crm.notes[1].note.text).toMatch(
      /^Expiry changed from 20 December 2026 \(UTC\) to 15 January 2027 \(UTC\) by Ada Admin: Customer restores in January/,
    );
  });

  it("gives a kept folder a date again", async () => {
    const crm = new FakeCrm();
    await changeExpiry(ports(crm, new FakeLibrary()), {
      caseRecord,
      exchange: backupExchange({ expiresOn: null }),
      expiresOn: new Date("2026-12-01T10:00:00Z"),
      reason: "Audit over",
      actor: admin,
    });
    expect(crm.notes[0].note.text).toMatch(/^Expiry changed from no expiry to 1 December 2026 \(UTC\) by Ada Admin: Audit over/);
  });

  it("refuses without a reason, or with a date in the past, and changes nothing", async () => {
    const crm = new FakeCrm();
    const p = ports(crm, new FakeLibrary());
    await expect(
      changeExpiry(p, { caseRecord, exchange: backupExchange(), expiresOn: null, reason: "  ", actor: admin }),
    ).rejects.toMatchObject({
      name: "ValidationError",
      code: "reasonRequired",
      field: "reason",
    });
    await expect(
      changeExpiry(p, { caseRecord, exchange: backupExchange(), expiresOn: new Date(NOW.getTime() - 1000), reason: "x", actor: admin }),
    ).rejects.toMatchObject({ code: "expiryInPast", field: "expiresOn" });
    expect(crm.calls).toEqual([]);
  });

  it("refuses a date more than 10 years away, and changes nothing", async () => {
    const crm = new FakeCrm();
    const far = new Date(NOW.getTime() + 3651 * 24 * 60 * 60 * 1000);
    await expect(
      changeExpiry(ports(crm, new FakeLibrary()), {
        caseRecord,
        exchange: backupExchange(),
        expiresOn: far,
        reason: "Forever",
        actor: admin,
      }),
    ).rejects.toMatchObject({
      name: "ValidationError",
      code: "expiryTooFar",
      field: "expiresOn",
      message: expect.stringContaining("Keep with no expiry"),
    });
    expect(crm.calls).toEqual([]);
  });

  it("is the administrator's alone, and not for a deleted folder or one already kept", async () => {
    const crm = new FakeCrm();
    const p = ports(crm, new FakeLibrary());
    await expect(
      changeExpiry(p, { caseRecord, exchange: backupExchange(), expiresOn: null, reason: "x", actor: agent }),
    ).rejects.toMatchObject({
      code: "actionNotAllowed",
    });
    await expect(
      changeExpiry(p, {
        caseRecord,
        exchange: backupExchange({ stage: ExchangeStage.deleted }),
        expiresOn: null,
        reason: "x",
        actor: admin,
      }),
    ).rejects.toMatchObject({ code: "actionNotAllowed" });
    await expect(
      changeExpiry(p, { caseRecord, exchange: backupExchange({ expiresOn: null }), expiresOn: null, reason: "x", actor: admin }),
    ).rejects.toMatchObject({ code: "actionNotAllowed" });
    expect(crm.calls).toEqual([]);
  });

  it("on a resolved case writes the exchange and its note; the case refusing its note is expected", async () => {
    const crm = new FakeCrm();
    crm.refuseNotesOn.add("c1");
    const out = await changeExpiry(ports(crm, new FakeLibrary()), {
      caseRecord: { ...caseRecord, state: IncidentState.resolved },
      exchange: backupExchange({ stage: ExchangeStage.shared }),
      expiresOn: null,
      reason: "Warranty claim",
      actor: admin,
    });
    expect(out.notes).toMatchObject({ written: 1, refused: 1, pending: [] });
    expect(crm.exchanges.get("x1")?.expiresOn).toBeNull();
  });
});
