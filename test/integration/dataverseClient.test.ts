import { DynamicsWebApi } from "dynamics-web-api";
import { startSandbox, type TestSandbox } from "./support/sandbox";

let sb: TestSandbox;
let api: DynamicsWebApi;
beforeAll(async () => {
  sb = await startSandbox();
  const token = await sb.token("agent");
  api = new DynamicsWebApi({ serverUrl: sb.origins.app, dataApi: { version: "9.2" }, onTokenRefresh: async () => token });
}, 30_000);
afterAll(async () => {
  await sb.stop();
}, 30_000);

describe("a Dataverse client written by someone else (dynamics-web-api)", () => {
  test("queries with select, filter, orderBy, expand and formatted values", async () => {
    const result = await api.retrieveMultiple<Record<string, unknown>>({
      collection: "cfx_fileexchanges",
      select: ["cfx_name", "cfx_stage", "_cfx_caseid_value"],
      filter: "startswith(cfx_name,'CAS-0100')",
      orderBy: ["cfx_name desc"],
      expand: [{ property: "cfx_CaseId", select: ["title", "ticketnumber"] }],
      includeAnnotations: "OData.Community.Display.V1.FormattedValue",
    });
    expect(result.value.length).toBeGreaterThan(3);
    const names = result.value.map((v) => v.cfx_name as string);
    expect(names).toEqual([...names].sort().reverse());
    const first = result.value[0];
    expect((first.cfx_CaseId as Record<string, unknown>).ticketnumber).toBe(first.cfx_name);
    // dynamics-web-api moves the annotation to `<name>_Formatted`.
    expect(first.cfx_stage_Formatted ?? first["cfx_stage@OData.Community.Display.V1.FormattedValue"]).toEqual(expect.any(String));
  });

  test("pages with maxPageSize and follows the next link", async () => {
    const all = await api.retrieveAll<Record<string, unknown>>({ collection: "incidents", select: ["ticketnumber"], maxPageSize: 4 });
    expect(all.value.length).toBe(14);
  });

  test("creates, retrieves, updates and deletes a record with lookups bound", async () => {
    const cases = await api.retrieveMultiple<{ incidentid: string }>({
      collection: "incidents",
      select: ["incidentid"],
      filter: "ticketnumber eq 'CAS-01000-Z9Y8X7'",
    });
    const caseId = cases.value[0].incidentid;
    const created = await api.create<Record<string, unknown>, { annotationid: string; subject: string }>({
      collection: "annotations",
      data: { subject: "From dynamics-web-api", notetext: "Hello", "objectid_incident@odata.bind": `incidents(${caseId})` },
      returnRepresentation: true,
      select: ["annotationid", "subject"],
    });
    expect(created.subject).toBe("From dynamics-web-api");
    await api.update({ collection: "annotations", key: created.annotationid, data: { subject: "Updated" } });
    const read = await api.retrieve<{ subject: string; _objectid_value: string }>({
      collection: "annotations",
      key: created.annotationid,
      select: ["subject", "_objectid_value"],
    });
    expect(read).toMatchObject({ subject: "Updated", _objectid_value: caseId });
    await api.deleteRecord({ collection: "annotations", key: created.annotationid });
    await expect(api.retrieve({ collection: "annotations", key: created.annotationid })).rejects.toMatchObject({ status: 404 });
  });

  test("sends a $batch with a query and a change set, and a failing change set changes nothing", async () => {
    const cases = await api.retrieveMultiple<{ incidentid: string }>({
      collection: "incidents",
      select: ["incidentid"],
      filter: "ticketnumber eq 'CAS-01001-A1B2C3'",
    });
    const caseId = cases.value[0].incidentid;
    api.startBatch();
    api.retrieveMultiple({ collection: "incidents", select: ["ticketnumber"], filter: "ticketnumber eq 'CAS-01001-A1B2C3'" });
    api.create({ collection: "annotations", data: { subject: "In a batch", "objectid_incident@odata.bind": `/incidents(${caseId})` } });
    const responses = (await api.executeBatch()) as unknown[];
    expect(responses).toHaveLength(2);
    expect((responses[0] as { value: { ticketnumber: string }[] }).value[0].ticketnumber).toBe("CAS-01001-A1B2C3");
    const notes = await api.retrieveMultiple({ collection: "annotations", select: ["subject"], filter: "subject eq 'In a batch'" });
    expect(notes.value).toHaveLength(1);

    api.startBatch();
    api.create({ collection: "annotations", data: { subject: "Rolled back", "objectid_incident@odata.bind": `/incidents(${caseId})` } });
    api.update({ collection: "incidents", key: "00000000-0000-4000-8000-00000000dead", data: { title: "x" }, ifmatch: "*" });
    // dynamics-web-api resolves a batch whose change set failed with the error in place of the results.
    const failed = (await api.executeBatch()) as { status?: number; error?: { code: string } }[];
    expect(failed).toEqual([expect.objectContaining({ status: 404, error: expect.objectContaining({ code: "0x80040217" }) })]);
    const rolledBack = await api.retrieveMultiple({ collection: "annotations", select: ["subject"], filter: "subject eq 'Rolled back'" });
    expect(rolledBack.value).toHaveLength(0);
  });

  test("reports Dataverse errors with their code", async () => {
    const cases = await api.retrieveMultiple<{ incidentid: string }>({
      collection: "incidents",
      select: ["incidentid"],
      filter: "ticketnumber eq 'CAS-01008-W3X4Y5'",
    });
    await expect(api.update({ collection: "incidents", key: cases.value[0].incidentid, data: { title: "x" } })).rejects.toMatchObject({
      status: 400,
      code: "0x800404cf",
    });
  });
});
