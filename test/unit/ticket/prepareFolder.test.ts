import { prepareFolder } from "../../../src/app/prepareFolder";
import { isValidationError, type Exchange } from "../../../src/domain";
import { ExchangeDirection, ExchangeStage } from "../../../src/model";
import { aCase, admin, agent, FakeCrm, ports, specialist, ticket } from "./fakes";

describe("prepareFolder", () => {
  it("creates the case folder under the backup root and an exchange owned by the specialist who prepared it", async () => {
    const p = ports();
    const result = await prepareFolder(p, ticket, specialist);
    expect(p.library.created).toEqual(["Customer Data Migration/CAS-01234-A1B2C3"]);
    expect(result).toMatchObject({ folderCreated: true, exchangeCreated: true, notesRefused: [] });
    expect(result.exchange).toMatchObject({
      name: "CAS-01234-A1B2C3",
      caseId: "case-1",
      ticketId: "ticket-1",
      direction: ExchangeDirection.backupForCustomer,
      stage: ExchangeStage.folderCreated,
      folderPath: "Customer Data Migration/CAS-01234-A1B2C3",
      ownerId: "user-specialist",
      fileCount: 0,
    });
  });

  it("sets the expiry to 30 days after the folder's creation", async () => {
    const p = ports();
    const { exchange } = await prepareFolder(p, ticket, specialist);
    expect(exchange.expiresOn?.toISOString()).toBe("2026-12-22T03:00:00.000Z");
  });

  it("starts an administrator's exchange with no expiry", async () => {
    const { exchange } = await prepareFolder(ports(), ticket, admin);
    expect(exchange.expiresOn).toBeNull();
  });

  it("adopts a folder that is already on SharePoint and says so in the notes", async () => {
    const p = ports();
    await p.library.ensureFolder("Customer Data Migration/CAS-01234-A1B2C3");
    const result = await prepareFolder(p, ticket, specialist);
    expect(result.folderCreated).toBe(false);
    expect(p.crm.notes[0].note.text).toContain("adopted the existing backup folder");
  });

  describe("a folder that is already there", () => {
    const path = "Customer Data Migration/CAS-01234-A1B2C3";
    const otherCase = (over: Partial<Exchange> = {}): Exchange => ({
      id: "ex-other",
      name: "CAS-01234-A1B2C3",
      caseId: "case-2",
      direction: ExchangeDirection.backupForCustomer,
      stage: ExchangeStage.shared,
      folderPath: path,
      driveId: "drive-1",
      itemId: "item-1",
      expiresOn: null,
      fileCount: 3,
      totalBytes: 3000,
      ownerId: "user-other",
      ...over,
    });

    it("is refused when another case's exchange records it by item id, naming that case, and nothing is written", async () => {
      const p = ports();
      await p.library.ensureFolder(path);
      p.crm.otherCases.set("case-2", "CAS-01234-A1B2C3 ");
      p.crm.exchanges.push(otherCase({ folderPath: "Customer Data Migration/moved" }));
      await expect(prepareFolder(p, ticket, specialist)).rejects.toMatchObject({
        name: "ValidationError",
        code: "folderHeldByAnotherCase",
        message: expect.stringMatching(/"Customer Data Migration\/CAS-01234-A1B2C3" .* exchange of case "CAS-01234-A1B2C3 "/),
      });
      expect(p.crm.exchanges).toHaveLength(1);
      expect(p.crm.notes).toEqual([]);
    });

    it("is refused when another case's live exchange records it by path, in another letter case", async () => {
      const p = ports();
      await p.library.ensureFolder(path);
      p.crm.otherCases.set("case-2", "CAS-09999-Z9Z9Z9");
      p.crm.exchanges.push(otherCase({ itemId: "item-gone", folderPath: path.toUpperCase() }));
      await expect(prepareFolder(p, ticket, specialist)).rejects.toMatchObject({
        code: "folderHeldByAnotherCase",
        message: expect.stringContaining("CAS-09999-Z9Z9Z9"),
      });
    });

    it("is adopted when only a deleted exchange of another case recorded another folder at that path", async () => {
      const p = ports();
      await p.library.ensureFolder(path);
      p.crm.exchanges.push(otherCase({ itemId: "item-old", stage: ExchangeStage.deleted }));
      const result = await prepareFolder(p, ticket, specialist);
      expect(result).toMatchObject({ folderCreated: false, exchangeCreated: true });
    });

    it("is adopted when it is this case's own (an earlier exchange, since deleted)", async () => {
      const p = ports();
      await p.library.ensureFolder(path);
      p.crm.exchanges.push(otherCase({ caseId: "case-1", stage: ExchangeStage.deleted }));
      const result = await prepareFolder(p, ticket, specialist);
      expect(result.exchangeCreated).toBe(true);
    });

    it("is checked only then: creating a new folder asks Dataverse nothing more", async () => {
      const p = ports();
      await prepareFolder(p, ticket, specialist);
      expect(p.crm.calls).not.toContain("exchangesRecordingFolder");
    });
  });

  it("writes the note on the exchange, the ticket and the case", async () => {
    const p = ports();
    await prepareFolder(p, ticket, specialist);
    expect(p.crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "cfx_hardwareticket", "incident"]);
    expect(p.crm.notes[0].note.text).toMatch(
      /Sam Specialist created the backup folder "Customer Data Migration\/CAS-01234-A1B2C3".*22 December 2026/,
    );
  });

  it("reports the case's timeline refusing the note when the case is resolved", async () => {
    const p = ports();
    p.crm.refuseNotesOn.add("incident");
    const result = await prepareFolder(p, ticket, specialist);
    expect(result.notesRefused).toEqual(["incident"]);
  });

  it("puts the folder under the account with the {account}/{case} layout", async () => {
    const p = { ...ports(), settings: { ...ports().settings, folderLayout: "{account}/{case}" as const } };
    p.crm.kase = aCase({ accountName: "Dental: Clinic" });
    const { exchange } = await prepareFolder(p, ticket, specialist);
    expect(exchange.folderPath).toBe("Customer Data Migration/Dental-Clinic/CAS-01234-A1B2C3");
  });

  it("refuses a case number that cannot be a folder name and changes nothing", async () => {
    const p = ports();
    p.crm.kase = aCase({ number: "CAS/../x" });
    const e = await prepareFolder(p, ticket, specialist).catch((x: unknown) => x);
    expect(isValidationError(e) && e.code).toBe("namePathSeparator");
    expect(p.library.created).toEqual([]);
    expect(p.crm.exchanges).toEqual([]);
  });

  it("refuses a case number that does not match the pattern, naming the setting", async () => {
    const p = ports();
    p.crm.kase = aCase({ number: "TICKET-9" });
    await expect(prepareFolder(p, ticket, specialist)).rejects.toMatchObject({
      code: "caseNumberPattern",
      message: expect.stringContaining("Case number pattern setting"),
    });
  });

  it("refuses an agent, who does not prepare backup folders", async () => {
    await expect(prepareFolder(ports(), ticket, agent)).rejects.toMatchObject({ code: "actionNotAllowed" });
  });

  it("makes nothing twice when clicked again", async () => {
    const p = ports();
    const first = await prepareFolder(p, ticket, specialist);
    const second = await prepareFolder(p, ticket, specialist);
    expect(second).toMatchObject({ exchangeCreated: false, folderCreated: false });
    expect(second.exchange.id).toBe(first.exchange.id);
    expect(p.crm.exchanges).toHaveLength(1);
    expect(p.crm.notes).toHaveLength(3);
  });

  it("writes the notes on a retry after they failed, and only then", async () => {
    const crm = new FakeCrm();
    crm.failOnce.set("addNote", new Error("network"));
    const p = ports(crm);
    await expect(prepareFolder(p, ticket, specialist)).rejects.toThrow("network");
    await prepareFolder(p, ticket, specialist);
    expect(p.crm.exchanges).toHaveLength(1);
    expect(p.crm.notes.filter((n) => n.target.table === "cfx_fileexchange")).toHaveLength(1);
  });

  it("writes the ticket's and the case's notes on a retry after the exchange's note was written but its answer lost", async () => {
    const crm = new FakeCrm();
    crm.loseAnswer.add("addNote");
    const p = ports(crm);
    await expect(prepareFolder(p, ticket, specialist)).rejects.toMatchObject({ code: "networkError" });
    await prepareFolder(p, ticket, specialist);
    expect(p.crm.exchanges).toHaveLength(1);
    expect(p.crm.notes.map((n) => n.target.table)).toEqual(["cfx_fileexchange", "cfx_hardwareticket", "incident"]);
  });

  it("records the exchange once when the answer to recording it was lost", async () => {
    const crm = new FakeCrm();
    crm.loseAnswer.add("createExchange");
    const p = ports(crm);
    await expect(prepareFolder(p, ticket, specialist)).rejects.toMatchObject({ code: "networkError" });
    const again = await prepareFolder(p, ticket, specialist);
    expect(p.crm.exchanges).toEqual([again.exchange]);
    expect(p.crm.notes).toHaveLength(3);
  });

  it("prepares a new folder record after the previous exchange was deleted", async () => {
    const p = ports();
    const { exchange } = await prepareFolder(p, ticket, specialist);
    await p.crm.updateExchange(exchange.id, { stage: ExchangeStage.deleted });
    const again = await prepareFolder(p, ticket, specialist);
    expect(again.exchangeCreated).toBe(true);
    expect(p.crm.exchanges).toHaveLength(2);
  });
});
