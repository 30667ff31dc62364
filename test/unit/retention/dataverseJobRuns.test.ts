import { DataverseClient, type FetchLike } from "../../../src/adapters/dataverse/DataverseClient";
import { DataverseJobRuns } from "../../../src/adapters/dataverse/DataverseJobRuns";
import type { JobRun } from "../../../src/domain/jobHealth";
import { JobHost, JobRunOutcome } from "../../../src/model";

const ORG = "https://contoso.crm.dynamics.com";
const RUN = "0c7f8d3a-1111-5222-8333-444455556666";

const run: JobRun = {
  id: RUN,
  name: "Retention run 2027-01-07 02:15 UTC (Functions)",
  host: JobHost.functions,
  outcome: JobRunOutcome.completedWithFailures,
  startedOn: new Date("2027-01-07T02:15:00.123Z"),
  finishedOn: new Date("2027-01-07T02:16:30.456Z"),
  counts: { warned: 2, expired: 4, deleted: 3, permissionsRevoked: 5, recipientsRevoked: 5, orphans: 1, orphansDeleted: 0, failures: 1 },
  failureDetails: "delete A: accessDenied 403: Access denied",
};

/** Dataverse's answers, one per request, in order; every request is kept. */
function setup(...answers: Array<() => Response>) {
  const sent: Array<{ method: string; url: string; body: unknown }> = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ method: init.method ?? "GET", url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const answer = answers.shift();
    if (!answer) throw new Error(`Unexpected request ${init.method} ${url}`);
    return answer();
  };
  const client = new DataverseClient({ orgUrl: ORG, fetch, tokens: { getToken: async () => "app-token" }, sleep: async () => undefined });
  return { sent, runs: new DataverseJobRuns(client) };
}
const created = () => new Response(null, { status: 204 });
const refused = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: "refused" } }), { status, headers: { "content-type": "application/json" } });

test("a run is one create of cfx_jobrun under its own id, with its columns", async () => {
  const { sent, runs } = setup(created);
  await runs.record(run);
  expect(sent).toEqual([
    {
      method: "POST",
      url: `${ORG}/api/data/v9.2/cfx_jobruns`,
      body: {
        cfx_jobrunid: RUN,
        cfx_name: run.name,
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
        cfx_failuredetails: run.failureDetails,
      },
    },
  ]);
});

test("the create sent again after a dropped answer meets its own row: the duplicate key counts as recorded", async () => {
  const { sent, runs } = setup(
    () => {
      throw new TypeError("fetch failed");
    },
    () => refused(412, "0x80040237"),
  );
  await expect(runs.record(run)).resolves.toBeUndefined();
  expect(sent.map((s) => s.body)).toEqual([expect.objectContaining({ cfx_jobrunid: RUN }), expect.objectContaining({ cfx_jobrunid: RUN })]);
});

test("a refused create (no privilege) reaches the caller as a DataverseError", async () => {
  const { runs } = setup(() => refused(403, "0x80042f09"));
  await expect(runs.record(run)).rejects.toMatchObject({ name: "DataverseError", status: 403 });
});
