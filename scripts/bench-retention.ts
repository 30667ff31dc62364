/**
 * `npm run bench -- retention`: the retention job against a sandbox holding 10,000 folders.
 * Measures requests (from the sandbox's request log) and time for three runs:
 *   A  2,000 folders (10% expired, 5% expiring, 1% orphans): the first run at that size;
 *   B  10,000 folders (8,000 more, same mix): the same work per folder, five times the folders;
 *   C  the same 10,000 again: nothing due, the steady-state cost of looking.
 * The budget (DESIGN.md): requests grow by list pages (200 folders) and `$batch` envelopes
 * (20 folders), not by one request per folder. That holds for Graph and for Dataverse: the job's
 * Dataverse writes go as `$batch` requests of 20 operations.
 */
import type { SweepReport } from "../src/app/sweepExpired";
import { ExchangeDirection, ExchangeStage } from "../src/model";
import { startSandbox, type TestSandbox } from "../test/integration/support/sandbox";
import { pool, runJob, type LoggedRequest } from "./benchJob";

const DAY = 86_400_000;
const ROOT = "Customer Data Migration";

class Seeder {
  private driveId = "";
  private caseId = "";
  private serial = 0;

  constructor(private readonly sb: TestSandbox) {}

  async init(): Promise<void> {
    const drive = (await (await this.sb.fetchAs("admin", `${this.sb.graph}sites/root/drive`)).json()) as { id: string };
    this.driveId = drive.id;
    const cases = (await (await this.sb.fetchAs("admin", `${this.sb.dataverse}incidents?$select=incidentid&$top=1`)).json()) as {
      value: Array<{ incidentid: string }>;
    };
    this.caseId = cases.value[0].incidentid;
  }

  /** `count` case folders made today through Graph `$batch`, and exchange rows for all but the orphans. */
  async seed(count: number, now: Date): Promise<{ expired: number; expiring: number; orphans: number }> {
    const names = Array.from({ length: count }, () => `CAS-${String(100000 + this.serial++).padStart(6, "0")}-BENCH0`);
    const created: Array<{ id: string; name: string }> = [];
    const chunks: string[][] = [];
    for (let i = 0; i < names.length; i += 20) chunks.push(names.slice(i, i + 20));
    await pool(
      4,
      chunks.map((chunk) => async () => {
        const requests = chunk.map((name, k) => ({
          id: String(k + 1),
          method: "POST",
          url: `/drives/${this.driveId}/root:/${encodeURIComponent(ROOT)}:/children`,
          headers: { "Content-Type": "application/json" },
          body: { name, folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
        }));
        const r = await this.sb.fetchAs("admin", `${this.sb.graph}$batch`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ requests }),
        });
        const answer = (await r.json()) as { responses: Array<{ id: string; status: number; body: { id: string; name: string } }> };
        for (const res of answer.responses) {
          if (res.status !== 201) throw new Error(`Seeding a folder answered ${res.status}: ${JSON.stringify(res.body)}`);
          created.push({ id: res.body.id, name: res.body.name });
        }
      }),
    );
    let expired = 0;
    let expiring = 0;
    let orphans = 0;
    const rows = created.flatMap((f, i) => {
      // The mix: 1 in 100 an orphan (no record), 10 in 100 expired, 5 in 100 expiring within the warning days.
      const slot = i % 100;
      if (slot === 0) {
        orphans++;
        return [];
      }
      const expiresOn =
        slot <= 10
          ? (expired++, new Date(now.getTime() - 3600_000))
          : slot <= 15
            ? (expiring++, new Date(now.getTime() + 2 * DAY))
            : new Date(now.getTime() + 30 * DAY);
      return [
        {
          cfx_name: f.name,
          "cfx_CaseId@odata.bind": `/incidents(${this.caseId})`,
          cfx_direction: ExchangeDirection.backupForCustomer,
          cfx_stage: ExchangeStage.shared,
          cfx_folderpath: `${ROOT}/${f.name}`,
          cfx_driveid: this.driveId,
          cfx_itemid: f.id,
          cfx_foldercreatedon: now.toISOString(),
          cfx_expireson: expiresOn.toISOString(),
        },
      ];
    });
    await pool(
      8,
      rows.map((row) => async () => {
        const r = await this.sb.fetchAs("admin", `${this.sb.dataverse}cfx_fileexchanges`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(row),
        });
        if (!r.ok) throw new Error(`Seeding an exchange answered ${r.status}: ${await r.text()}`);
      }),
    );
    return { expired, expiring, orphans };
  }
}

async function measure(sb: TestSandbox, label: string, folders: number) {
  const { code, report, ms, log } = await runJob<SweepReport>(sb, []);
  const graph = log.filter((r) => r.origin === sb.origins.graph);
  const dataverse = log.filter((r) => r.path.startsWith("/api/data/"));
  const count = (list: LoggedRequest[], f: (r: LoggedRequest) => boolean) => list.filter(f).length;
  const listPages = count(graph, (r) => r.method === "GET" && r.path.includes("children"));
  const batches = count(graph, (r) => r.path.endsWith("$batch"));
  const c = report.counts;
  return {
    label,
    folders,
    exitCode: code,
    ms,
    counts: c,
    graph: {
      requests: graph.length,
      listPages,
      batchEnvelopes: batches,
      other: graph.length - listPages - batches,
      // Two roots (the upload root is empty: one page), ⌈folders/200⌉ pages for the backup root.
      expectedListPages: Math.ceil(folders / 200) + 1,
      // Per 20 expired folders: one envelope to read permissions, one to remove them (when any), one to delete.
      expectedBatchEnvelopesAtMost: Math.ceil(c.expired / 20) * 3 + Math.ceil(c.orphansDeleted / 20) * 3,
    },
    dataverse: (() => {
      const writes = count(dataverse, (r) => r.method !== "GET");
      const batchRequests = count(dataverse, (r) => r.method === "POST" && r.path.endsWith("$batch"));
      const chunks = Math.ceil(c.warned / 20) + Math.ceil(c.expired / 20);
      return {
        requests: dataverse.length,
        reads: count(dataverse, (r) => r.method === "GET"),
        writes,
        // Exchange updates, recipient revocations, notes and notifications go as $batch requests of 20
        // operations; only the orphan report note (when its list changed) is written on its own.
        batchRequests,
        singleWrites: writes - batchRequests,
        changedExchanges: c.deleted + c.warned,
        // Per 20 exchanges warned: notes + notifications (40 operations: 2 batches), then cfx_warnedon (1).
        // Per 20 expired: recipient rows (⌈rows/20⌉, rounded up per chunk), two notes each (2), the records (1).
        expectedBatchRequestsAtMost:
          3 * chunks + (c.recipientsRevoked > 0 ? Math.ceil(c.expired / 20) + Math.ceil(c.recipientsRevoked / 20) : 0),
        writeRequestsPerChangedExchange: +(writes / Math.max(1, c.deleted + c.warned)).toFixed(3),
      };
    })(),
    requestsPerFolderScanned: +(log.length / folders).toFixed(4),
    failures: report.failures.length,
  };
}

/** Seeds 10,000 folders in a sandbox of its own and measures the job at 2,000 and 10,000. */
export async function runRetentionBench(): Promise<object> {
  const sb = await startSandbox();
  try {
    const seeder = new Seeder(sb);
    await seeder.init();
    const clock = async () => new Date(((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
    const seeded: number[] = [];
    let t = performance.now();
    const mixA = await seeder.seed(2000, await clock());
    seeded.push(Math.round(performance.now() - t));
    const seededFolders = async () =>
      (
        (await (await sb.fetchAs("admin", `${sb.graph}sites/root/drive/root:/${encodeURIComponent(ROOT)}`)).json()) as {
          folder?: { childCount?: number };
        }
      ).folder?.childCount ?? 0;
    const a = await measure(sb, "A: 2,000 folders", await seededFolders());
    t = performance.now();
    const mixB = await seeder.seed(8000, await clock());
    seeded.push(Math.round(performance.now() - t));
    const b = await measure(sb, "B: 10,000 folders", await seededFolders());
    const c = await measure(sb, "C: 10,000 folders again (nothing due)", await seededFolders());
    return {
      budget: "requests grow by list pages (200) and $batch envelopes (20), not per folder",
      mix: { perHundred: { orphans: 1, expired: 10, expiringWithinWarning: 5 }, seededA: mixA, seededB: mixB },
      seedingMs: seeded,
      runs: [a, b, c],
      verdict: {
        listPagesTrackFolders: [a, b, c].every((r) => r.graph.listPages <= r.graph.expectedListPages),
        batchesTrackExpired: [a, b].every((r) => r.graph.batchEnvelopes <= r.graph.expectedBatchEnvelopesAtMost),
        dataverseWritesTrackBatches: [a, b, c].every(
          // Single writes: the orphan report note when its list changed, and the arrival check's cursor.
          (r) => r.dataverse.batchRequests <= r.dataverse.expectedBatchRequestsAtMost && r.dataverse.singleWrites <= 2,
        ),
        graphRequestsPerFolder: [a, b, c].map((r) => +(r.graph.requests / r.folders).toFixed(4)),
        dataverseRequestsPerFolder: [a, b, c].map((r) => +(r.dataverse.requests / r.folders).toFixed(4)),
      },
    };
  } finally {
    await sb.stop();
  }
}
