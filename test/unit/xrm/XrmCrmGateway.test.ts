import { noteRowId } from "../../../src/domain/recordIds";
import { XrmCrmGateway, casePanelQuery } from "../../../src/adapters/xrm/XrmCrmGateway";
import { isDataverseError } from "../../../src/adapters/xrm/DataverseError";
import { ExchangeDirection, ExchangeStage, FileIntegrity, IncidentState, RecipientRole } from "../../../src/model";
import { FakeWebApi } from "./FakeWebApi";

const F = "@OData.Community.Display.V1.FormattedValue";
const caseRow = {
  incidentid: "c1",
  ticketnumber: "CAS-01234-A1B2C3",
  title: "Scanner replaced",
  statecode: 1,
  statuscode: 5,
  [`statuscode${F}`]: "Problem Solved",
  _ownerid_value: "u1",
  _primarycontactid_value: "k1",
  primarycontactid: { contactid: "k1", fullname: "Ana Berg", emailaddress1: "ana@clinic.example" },
  cfx_incident_cfx_fileexchange_CaseId: [
    {
      cfx_fileexchangeid: "x-old",
      cfx_name: "CAS-01234-A1B2C3",
      cfx_direction: ExchangeDirection.filesFromCustomer,
      cfx_stage: ExchangeStage.deleted,
      createdon: "2026-10-01T00:00:00Z",
    },
    {
      cfx_fileexchangeid: "x1",
      cfx_name: "CAS-01234-A1B2C3",
      _cfx_caseid_value: "c1",
      _cfx_hardwareticketid_value: "t1",
      [`_cfx_hardwareticketid_value${F}`]: "HWT-00012",
      cfx_direction: ExchangeDirection.backupForCustomer,
      cfx_stage: ExchangeStage.shared,
      cfx_folderpath: "Customer Data Migration/CAS-01234-A1B2C3",
      cfx_expireson: "2026-12-20T10:00:00Z",
      cfx_totalbytes: 1234,
      _createdby_value: "u2",
      [`_createdby_value${F}`]: "Sam Specialist",
      createdon: "2026-11-20T10:00:00Z",
      cfx_fileexchange_cfx_exchangerecipient_ExchangeId: [
        {
          cfx_exchangerecipientid: "r1",
          cfx_name: "ana@clinic.example",
          cfx_role: RecipientRole.write,
          cfx_permissionid: "p1",
          cfx_invitedon: "2026-11-21T09:00:00Z",
          _cfx_invitedbyid_value: "u1",
          [`_cfx_invitedbyid_value${F}`]: "Alex Agent",
        },
      ],
      cfx_fileexchange_cfx_filereceipt_ExchangeId: [
        {
          cfx_filereceiptid: "f2",
          cfx_name: "b.zip",
          cfx_size: 10,
          cfx_integrity: FileIntegrity.verified,
          cfx_uploadedon: "2026-11-20T11:00:00Z",
        },
        {
          cfx_filereceiptid: "f1",
          cfx_name: "a.docx",
          cfx_size: 20,
          cfx_integrity: FileIntegrity.modifiedBySharePoint,
          cfx_uploadedon: "2026-11-20T11:00:00Z",
        },
      ],
    },
  ],
};

describe("XrmCrmGateway", () => {
  it("reads the case, its contact and its exchanges with recipients and receipts in one request", async () => {
    const api = new FakeWebApi();
    api.reads.set("incident", caseRow);
    const data = await new XrmCrmGateway(api).loadCasePanel("{C1}", "primarycontactid");
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toMatchObject({ op: "retrieve", entity: "incident", id: "c1" });
    expect(data.case).toMatchObject({ number: "CAS-01234-A1B2C3", state: IncidentState.resolved, statusLabel: "Problem Solved" });
    expect(data.case.contact).toEqual({ id: "k1", name: "Ana Berg", email: "ana@clinic.example" });
    expect(data.exchanges.map((x) => x.exchange.id)).toEqual(["x1", "x-old"]);
    const x1 = data.exchanges[0];
    expect(x1.ticketName).toBe("HWT-00012");
    expect(x1.createdByName).toBe("Sam Specialist");
    expect(x1.exchange.expiresOn).toEqual(new Date("2026-12-20T10:00:00Z"));
    expect(x1.recipients[0]).toMatchObject({ email: "ana@clinic.example", permissionId: "p1", invitedByName: "Alex Agent" });
    expect(x1.receipts.map((r) => r.path)).toEqual(["a.docx", "b.zip"]);
  });

  it("expands the contact through the column the setting names, nesting recipients and receipts", () => {
    const q = casePanelQuery("primarycontactid");
    expect(q).toContain("_primarycontactid_value");
    expect(q).toContain("$expand=primarycontactid($select=contactid,fullname,emailaddress1)");
    expect(q).toContain("cfx_incident_cfx_fileexchange_CaseId($select=");
    expect(q).toContain(";$expand=cfx_fileexchange_cfx_exchangerecipient_ExchangeId($select=");
    expect(casePanelQuery("responsiblecontactid")).toContain("$expand=responsiblecontactid(");
  });

  it("reports a case without a contact as none, and a contact the user cannot read by name only", async () => {
    const api = new FakeWebApi();
    api.reads.set("incident", { incidentid: "c1", ticketnumber: "CAS-1", statecode: 0 });
    expect((await new XrmCrmGateway(api).loadCasePanel("c1", "primarycontactid")).case.contact).toBeNull();
    api.reads.set("incident", { incidentid: "c1", _primarycontactid_value: "k9", [`_primarycontactid_value${F}`]: "Hidden Person" });
    expect((await new XrmCrmGateway(api).loadCasePanel("c1", "primarycontactid")).case.contact).toEqual({
      id: "k9",
      name: "Hidden Person",
      email: null,
    });
  });

  it("finds the exchanges that record a folder by item id or path, with their case's number, in one request", async () => {
    const api = new FakeWebApi();
    api.reads.set("cfx_fileexchange", [
      {
        cfx_fileexchangeid: "x9",
        cfx_name: "CAS-01002-D4E5F6",
        _cfx_caseid_value: "c9",
        cfx_stage: ExchangeStage.shared,
        cfx_folderpath: "Customer Data Migration/Smith & Sons/CAS-01002-D4E5F6",
        cfx_itemid: "01ABC",
        cfx_CaseId: { incidentid: "c9", ticketnumber: "CAS-01002-D4E5F6" },
      },
    ]);
    const holders = await new XrmCrmGateway(api).exchangesRecordingFolder({
      driveId: "d1",
      itemId: "01ABC",
      path: "Customer Data Migration/Smith & Sons/CAS-01002-D4E5F6",
    });
    expect(holders).toEqual([
      expect.objectContaining({ caseNumber: "CAS-01002-D4E5F6", exchange: expect.objectContaining({ id: "x9", caseId: "c9" }) }),
    ]);
    expect(api.calls).toHaveLength(1);
    const options = api.calls[0].options!;
    expect(options).toContain(
      "$filter=cfx_itemid eq '01ABC' or cfx_folderpath eq 'Customer%20Data%20Migration%2FSmith%20%26%20Sons%2FCAS-01002-D4E5F6'",
    );
    expect(options).toContain("$expand=cfx_CaseId($select=ticketnumber)");
  });

  it("writes a note to the case timeline through the objectid navigation property", async () => {
    const api = new FakeWebApi();
    await expect(new XrmCrmGateway(api).addNote({ table: "incident", id: "{C1}" }, { subject: "S", text: "T" }, "{N1}")).resolves.toBe(
      true,
    );
    expect(api.calls[0].data).toEqual({
      annotationid: "n1",
      subject: "S",
      notetext: "T",
      "objectid_incident@odata.bind": "/incidents(c1)",
    });
  });

  it("writes a note with the id it is given, and counts a second create refused as a duplicate key as written", async () => {
    const api = new FakeWebApi();
    const gateway = new XrmCrmGateway(api);
    const id = noteRowId("shared:r1", { table: "incident", id: "c1" });
    api.loseAnswer.add("annotation");
    const first = gateway.addNote({ table: "incident", id: "c1" }, { subject: "S", text: "T" }, id);
    await expect(first).rejects.toMatchObject({ name: "DataverseError", code: "networkError" });
    await expect(gateway.addNote({ table: "incident", id: "c1" }, { subject: "S", text: "T" }, id)).resolves.toBe(true);
    expect(api.calls.map((c) => c.data?.annotationid)).toEqual([id, id]);
    expect(api.rows.get("annotation")?.size).toBe(1);
  });

  it("treats a note refused on a resolved case as expected, not as a failure", async () => {
    const api = new FakeWebApi();
    api.failures.set("annotation", { errorCode: -2147220273, message: "This case has already been resolved." });
    await expect(new XrmCrmGateway(api).addNote({ table: "incident", id: "c1" }, { subject: "S", text: "T" }, "n1")).resolves.toBe(false);
  });

  it("turns other refusals into a DataverseError with a stable code", async () => {
    const api = new FakeWebApi();
    api.failures.set("annotation", { errorCode: 0x80040220, message: "Principal user is missing prvCreateNote" });
    const p = new XrmCrmGateway(api).addNote({ table: "cfx_fileexchange", id: "x1" }, { subject: "S", text: "T" }, "n1");
    await expect(p).rejects.toMatchObject({ name: "DataverseError", code: "accessDenied", dataverseCode: "0x80040220" });
    await p.catch((e: unknown) => expect(isDataverseError(e)).toBe(true));
  });

  it("records a recipient under its id with its lookups bound by navigation property", async () => {
    const api = new FakeWebApi();
    const r = await new XrmCrmGateway(api).addRecipient({
      id: "{R1}",
      exchangeId: "x1",
      email: "ana@clinic.example",
      role: RecipientRole.write,
      permissionId: "p1",
      invitedOn: new Date("2026-11-21T09:00:00Z"),
      invitedBy: "{U1}",
    });
    expect(r.id).toBe("r1");
    expect(api.calls[0].data).toEqual({
      cfx_exchangerecipientid: "r1",
      cfx_name: "ana@clinic.example",
      "cfx_ExchangeId@odata.bind": "/cfx_fileexchanges(x1)",
      cfx_role: RecipientRole.write,
      cfx_permissionid: "p1",
      cfx_invitedon: "2026-11-21T09:00:00.000Z",
      "cfx_InvitedById@odata.bind": "/systemusers(u1)",
    });
  });

  it("creates an exchange bound to its case and owner, and updates only the changed columns", async () => {
    const api = new FakeWebApi();
    const gw = new XrmCrmGateway(api);
    const x = await gw.createExchange({
      id: "X1",
      name: "CAS-1",
      caseId: "c1",
      direction: ExchangeDirection.filesFromCustomer,
      stage: ExchangeStage.shared,
      folderPath: "External Data Transfer/CAS-1",
      expiresOn: null,
      ownerId: "u1",
    });
    expect(x.id).toBe("x1");
    expect(api.calls[0].data).toMatchObject({
      cfx_fileexchangeid: "x1",
      "cfx_CaseId@odata.bind": "/incidents(c1)",
      "ownerid@odata.bind": "/systemusers(u1)",
      cfx_expireson: null,
    });
    expect(api.calls[0].data).not.toHaveProperty("cfx_HardwareTicketId@odata.bind");
    await gw.updateExchange(x.id, { stage: ExchangeStage.revoked });
    expect(api.calls[1].data).toEqual({ cfx_stage: ExchangeStage.revoked });
  });

  it("counts an exchange, a recipient or a receipt already recorded under its id as recorded", async () => {
    const api = new FakeWebApi();
    const gw = new XrmCrmGateway(api);
    const exchange = {
      id: "x1",
      name: "CAS-1",
      caseId: "c1",
      direction: ExchangeDirection.filesFromCustomer,
      stage: ExchangeStage.shared,
      folderPath: "External Data Transfer/CAS-1",
      expiresOn: null,
      ownerId: "u1",
    };
    const recipient = { id: "r1", exchangeId: "x1", email: "ana@clinic.example", role: RecipientRole.write };
    const receipt = { id: "f1", exchangeId: "x1", path: "a.bin", size: 1, integrity: FileIntegrity.verified, uploadedOn: new Date() };
    api.loseAnswer.add("cfx_fileexchange");
    await expect(gw.createExchange(exchange)).rejects.toMatchObject({ code: "networkError" });
    await expect(gw.createExchange(exchange)).resolves.toMatchObject({ id: "x1" });
    await gw.addRecipient(recipient);
    await expect(gw.addRecipient(recipient)).resolves.toMatchObject({ id: "r1" });
    await gw.addReceipt(receipt);
    await expect(gw.addReceipt(receipt)).resolves.toMatchObject({ id: "f1" });
    expect([...api.rows.values()].map((t) => t.size)).toEqual([1, 1, 1]);
  });
});
