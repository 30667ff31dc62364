/**
 * `npm run bench -- arrivals`: the arrival check (`cfx-retention --arrivals-only`) against a
 * sandbox holding 10,000 open upload folders, each with its exchange row. Measures requests (the
 * sandbox's request log and the check's own count) and time for three checks:
 *   first    the first check: no delta link yet, so the whole library is listed once;
 *   arrivals 20 new files in 10 folders: receipts, notes, notifications for 10 batches;
 *   idle     nothing changed since: the steady-state cost of looking.
 * The budget (DESIGN.md: the arrival check grows with the number of changes, not of folders): a
 * check over 10,000 folders with 20 new files costs a handful of requests, not one per folder. The files are put in through Graph by a seeded
 * person; with no organization domains set, a person's file counts as the customer's.
 */
import type { ArrivalRunReport } from "../src/jobs/createRetentionJob";
import { ExchangeDirection, ExchangeStage } from "../src/model";
import { startSandbox, type TestSandbox } from "../test/integration/support/sandbox";
import { pool, runJob } from "./benchJob";

const DAY = 86_400_000;
const ROOT = "External Data Transfer";
const FOLDERS = Number(process.env.ARRIVAL_FOLDERS ?? 10_000);

/** `count` upload folders made through Graph `$batch`, each with an open exchange row (stage shared). */
async function seed(sb: TestSandbox, count: number): Promise<Array<{ id: string; name: string }>> {
  const drive = (await (await sb.fetchAs("admin", `${sb.graph}sites/root/drive`)).json()) as { id: string };
  const cases = (await (await sb.fetchAs("admin", `${sb.dataverse}incidents?$select=incidentid&$filter=statecode eq 0&$top=1`)).json()) as {
    value: Array<{ incidentid: string }>;
  };
  const caseId = cases.value[0].incidentid;
  const now = new Date(((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
  const names = Array.from({ length: count }, (_, i) => `CAS-${String(200000 + i)}-ARRIVE`);
  const created: Array<{ id: string; name: string }> = [];
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += 20) chunks.push(names.slice(i, i + 20));
  await pool(
    4,
    chunks.map((chunk) => async () => {
      const requests = chunk.map((name, k) => ({
        id: String(k + 1),
        method: "POST",
        url: `/drives/${drive.id}/root:/${encodeURIComponent(ROOT)}:/children`,
        headers: { "Content-Type": "application/json" },
        body: { name, folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
      }));
      const r = await sb.fetchAs("admin", `${sb.graph}$batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requests }),
      });
      const answer = (await r.json()) as { responses: Array<{ status: number; body: { id: string; name: string } }> };
      for (const res of answer.responses) {
        if (res.status !== 201) throw new Error(`Seeding a folder answered ${res.status}: ${JSON.stringify(res.body)}`);
        created.push({ id: res.body.id, name: res.body.name });
      }
    }),
  );
  await pool(
    8,
    created.map((f) => async () => {
      const r = await sb.fetchAs("admin", `${sb.dataverse}cfx_fileexchanges`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          cfx_name: f.name,
          "cfx_CaseId@odata.bind": `/incidents(${caseId})`,
          cfx_direction: ExchangeDirection.filesFromCustomer,
          cfx_stage: ExchangeStage.shared,
          cfx_folderpath: `${ROOT}/${f.name}`,
          cfx_driveid: drive.id,
          cfx_itemid: f.id,
          cfx_foldercreatedon: now.toISOString(),
          cfx_expireson: new Date(now.getTime() + 7 * DAY).toISOString(),
        }),
      });
      if (!r.ok) throw new Error(`Seeding an exchange answered ${r.status}: ${await r.text()}`);
    }),
  );
  return created;
}

async function check(sb: TestSandbox, label: string) {
  const { code, report, ms, log } = await runJob<ArrivalRunReport>(sb, ["--arrivals-only"]);
  const graph = log.filter((r) => r.origin === sb.origins.graph);
  const dataverse = log.filter((r) => r.path.startsWith("/api/data/"));
  return {
    label,
    exitCode: code,
    ms,
    cursor: report.cursor,
    counts: report.counts,
    // As the job counted them (its settings read and sign-in excluded from neither), and as the sandbox served them.
    requestsCountedByJob: report.requests,
    graph: {
      requests: graph.length,
      deltaPages: graph.filter((r) => r.path.includes("/root/delta")).length,
      // Time the sandbox spent answering (it evaluates OData over every row, unlike Dataverse's indexes).
      serverMs: Math.round(graph.reduce((n, r) => n + r.ms, 0)),
    },
    dataverse: {
      requests: dataverse.length,
      reads: dataverse.filter((r) => r.method === "GET").length,
      writes: dataverse.filter((r) => r.method !== "GET").length,
      batchRequests: dataverse.filter((r) => r.path.endsWith("$batch")).length,
      serverMs: Math.round(dataverse.reduce((n, r) => n + r.ms, 0)),
      slowest: [...dataverse]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((r) => `${r.method} ${decodeURIComponent(r.path).slice(0, 120)} ${Math.round(r.ms)} ms`),
    },
  };
}

/** Seeds the folders in a sandbox of its own and measures the three checks. */
export async function runArrivalsBench(): Promise<object> {
  const sb = await startSandbox();
  try {
    let t = performance.now();
    const folders = await seed(sb, FOLDERS);
    const seedingMs = Math.round(performance.now() - t);
    const first = await check(sb, `first: ${FOLDERS} folders, no link yet (the whole library listed)`);
    // 20 new files, two in each of 10 folders spread over the library.
    const drive = (await (await sb.fetchAs("admin", `${sb.graph}sites/root/drive`)).json()) as { id: string };
    const targets = Array.from({ length: 10 }, (_, i) => folders[Math.floor((i * folders.length) / 10)]);
    t = performance.now();
    for (const f of targets) {
      for (const name of ["install.log", "screenshot.png"]) {
        const r = await sb.fetchAs("admin", `${sb.graph}drives/${drive.id}/items/${f.id}:/${name}:/content`, {
          method: "PUT",
          body: `${name} for ${f.name}`,
        });
        if (!r.ok) throw new Error(`Putting a file in answered ${r.status}`);
      }
    }
    const uploadMs = Math.round(performance.now() - t);
    const arrivals = await check(sb, `arrivals: 20 new files in 10 of ${FOLDERS} folders`);
    const idle = await check(sb, `idle: ${FOLDERS} folders, nothing changed`);
    return {
      budget: "a check over 10,000 folders with 20 new files costs a handful of requests, not one per folder",
      folders: FOLDERS,
      seedingMs,
      uploadMs,
      runs: [first, arrivals, idle],
      verdict: {
        arrivalsRequests: arrivals.graph.requests + arrivals.dataverse.requests,
        arrivalsRequestsPerFolder: +((arrivals.graph.requests + arrivals.dataverse.requests) / FOLDERS).toFixed(5),
        idleWrites: idle.dataverse.writes,
        toldOnce: arrivals.counts.batches === 10 && arrivals.counts.files === 20 && idle.counts.batches === 0,
      },
    };
  } finally {
    await sb.stop();
  }
}
