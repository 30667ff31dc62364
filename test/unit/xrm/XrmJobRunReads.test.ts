import { XrmJobRunReads } from "../../../src/adapters/xrm/XrmJobRunReads";
import { JobHost, JobRunOutcome } from "../../../src/model";
import { FakeWebApi } from "./FakeWebApi";

const row = {
  cfx_jobrunid: "0C7F8D3A-1111-5222-8333-444455556666",
  cfx_name: "Retention run 2027-01-07 02:15 UTC (Functions)",
  cfx_host: JobHost.functions,
  cfx_outcome: JobRunOutcome.completedWithFailures,
  cfx_startedon: "2027-01-07T02:15:00Z",
  cfx_finishedon: "2027-01-07T02:16:30Z",
  cfx_warned: 2,
  cfx_expired: 4,
  cfx_deleted: 3,
  cfx_permissionsrevoked: 5,
  cfx_orphans: 1,
  cfx_orphansdeleted: 0,
  cfx_failures: 1,
  cfx_failuredetails: "delete Customer Data Migration/CAS-01: accessDenied 403: Access denied",
};

test("the last successful run is the newest run that did not fail, read as one row", async () => {
  const api = new FakeWebApi();
  api.reads.set("cfx_jobrun", [row]);
  const run = await new XrmJobRunReads(api).lastSuccessfulRun();
  expect(api.calls).toEqual([
    {
      op: "retrieveMultiple",
      entity: "cfx_jobrun",
      options: expect.stringMatching(
        new RegExp(`&\\$filter=cfx_outcome ne ${JobRunOutcome.failed}&\\$orderby=cfx_startedon desc&\\$top=1$`),
      ) as unknown,
    },
  ]);
  expect(run).toEqual({
    id: "0c7f8d3a-1111-5222-8333-444455556666",
    name: row.cfx_name,
    host: JobHost.functions,
    outcome: JobRunOutcome.completedWithFailures,
    startedOn: new Date("2027-01-07T02:15:00Z"),
    finishedOn: new Date("2027-01-07T02:16:30Z"),
    counts: { warned: 2, expired: 4, deleted: 3, permissionsRevoked: 5, recipientsRevoked: 0, orphans: 1, orphansDeleted: 0, failures: 1 },
    failureDetails: row.cfx_failuredetails,
  });
});

test("no run yet reads as none", async () => {
  const api = new FakeWebApi();
  api.reads.set("cfx_jobrun", []);
  await expect(new XrmJobRunReads(api).latestRun()).resolves.toBeUndefined();
  expect(api.calls[0].options).not.toContain("$filter");
});

test.each([
  ["the default when no value is set", [], 26],
  ["the current value", [{ value: "50" }], 50],
])("the overdue interval: %s", async (_name, values, expected) => {
  const api = new FakeWebApi();
  api.reads.set("environmentvariabledefinition", [
    { schemaname: "cfx_RetentionJobOverdueHours", defaultvalue: "26", environmentvariabledefinition_environmentvariablevalue: values },
  ]);
  await expect(new XrmJobRunReads(api).overdueHours()).resolves.toBe(expected);
  expect(api.calls[0].options).toContain("$filter=schemaname eq 'cfx_RetentionJobOverdueHours'");
});

test("a malformed interval is refused with a sentence naming the setting", async () => {
  const api = new FakeWebApi();
  api.reads.set("environmentvariabledefinition", [
    {
      schemaname: "cfx_RetentionJobOverdueHours",
      defaultvalue: "26",
      environmentvariabledefinition_environmentvariablevalue: [{ value: "a day" }],
    },
  ]);
  await expect(new XrmJobRunReads(api).overdueHours()).rejects.toThrow(
    'The setting cfx_RetentionJobOverdueHours (Retention job overdue after (hours)) must be a whole number of hours, not "a day".',
  );
});

test("a refused read is a DataverseError naming what was read", async () => {
  const api = new FakeWebApi();
  api.failures.set(
    "cfx_jobrun",
    Object.assign(new Error("Principal user is missing prvReadcfx_JobRun privilege"), { errorCode: 0x80042f09, status: 403 }),
  );
  await expect(new XrmJobRunReads(api).latestRun()).rejects.toMatchObject({ name: "DataverseError" });
});
