import { DataverseArrivalRecords } from "../adapters/dataverse/DataverseArrivalRecords";
import { DataverseClient } from "../adapters/dataverse/DataverseClient";
import { DataverseJobRuns } from "../adapters/dataverse/DataverseJobRuns";
import { DataverseRetentionRecords } from "../adapters/dataverse/DataverseRetentionRecords";
import { createGraph } from "../adapters/graph/createGraph";
import { GraphClient } from "../adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../adapters/graph/GraphDocumentLibrary";
import { GraphFolderInventory } from "../adapters/graph/GraphFolderInventory";
import { GraphLibraryChanges } from "../adapters/graph/GraphLibraryChanges";
import type { FetchLike } from "../adapters/graph/retryPolicy";
import { checkArrivals, type ArrivalsReport } from "../app/checkArrivals";
import { endAllAccess, type EndAllAccessReport } from "../app/endAllAccess";
import { recordJobRun } from "../app/recordJobRun";
import { sweepExpired, type SweepReport } from "../app/sweepExpired";
import { parseSettings, type Settings } from "../domain/settings";
import { JobHost } from "../model/choices";
import type { Clock } from "../ports/Clock";
import type { TokenProvider } from "../ports/TokenProvider";

/** One HTTP exchange of the job, for `--verbose` and the benchmark's request counts. */
export interface RequestInfo {
  readonly api: "dataverse" | "graph";
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

export interface CreateRetentionJobOptions {
  /** The organization, e.g. `https://contoso.crm.dynamics.com`. */
  readonly dataverseUrl: string;
  /** App-only tokens for Dataverse and Graph (msal-node with the job's certificate). */
  readonly tokens: TokenProvider;
  readonly fetch?: FetchLike;
  readonly onRequest?: (info: RequestInfo) => void;
  /** Settings to use instead of reading them from Dataverse (tests). */
  readonly settings?: Settings;
  /** Where the job runs: each run (not a dry run) is recorded in Dataverse with it. */
  readonly host: JobHost;
}

const hostLabels: Readonly<Record<JobHost, string>> = {
  [JobHost.cli]: "CLI",
  [JobHost.functions]: "Functions",
  [JobHost.sandbox]: "sandbox",
};

export interface RunRetentionOptions {
  readonly clock: Clock;
  readonly dryRun?: boolean;
  readonly deadline?: Date;
  readonly log?: (line: string) => void;
}

/** The arrival check's report with the requests it made (Dataverse and Graph, retries included). */
export type ArrivalRunReport = ArrivalsReport & { readonly requests: { readonly dataverse: number; readonly graph: number } };

/** A retention run: the arrival check first, then the sweep; the check's failures count among the run's. */
export type RetentionRunReport = SweepReport & { readonly arrivals?: ArrivalRunReport };

/** The job wired to Dataverse and Graph: what the CLI, the Functions timer and the sandbox run. */
export interface RetentionJob {
  readonly settings: Settings;
  /** The arrival check, then the retention sweep, recorded as one run (a dry run records nothing). */
  run(options: RunRetentionOptions): Promise<RetentionRunReport>;
  /**
   * Only the arrival check (`cfx-retention --arrivals-only`, its own Functions timer, the sandbox's
   * `/_sandbox/arrivals`). Not recorded as a run of the retention job: a check every 15 minutes
   * would otherwise keep the dashboard's "last successful run" fresh while the sweep itself failed.
   */
  checkArrivals(options: RunRetentionOptions): Promise<ArrivalRunReport>;
  /** Ends every guest's access before the solution is removed (`cfx-retention --end-all-access`). */
  endAllAccess(options: RunRetentionOptions): Promise<EndAllAccessReport>;
}

const SETTINGS_QUERY =
  "environmentvariabledefinitions?$select=schemaname,defaultvalue&$filter=startswith(schemaname,'cfx_')" +
  "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)";

/** Reads the product's settings (environment variables: current value, else default) and wires the adapters. */
export async function createRetentionJob(options: CreateRetentionJobOptions): Promise<RetentionJob> {
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  // Requests per API since the last reset, for the arrival check's report.
  const requests = { dataverse: 0, graph: 0 };
  const dataverse = new DataverseClient({
    orgUrl: options.dataverseUrl,
    tokens: options.tokens,
    fetch: baseFetch,
    onResponse: (r) => {
      requests.dataverse++;
      options.onRequest?.({ api: "dataverse", ...r });
    },
  });
  const settings = options.settings ?? (await loadSettings(dataverse));
  const countingFetch: FetchLike = async (url, init) => {
    const response = await baseFetch(url, init);
    requests.graph++;
    options.onRequest?.({ api: "graph", method: init.method ?? "GET", url, status: response.status });
    return response;
  };
  const graph = new GraphClient(
    createGraph({
      graphEndpoint: settings.graphEndpoint,
      tokens: options.tokens,
      // App-only tokens take the resource's `.default` scope: the permissions granted to the app.
      scopes: [`${new URL(settings.graphEndpoint).origin}/.default`],
      fetch: countingFetch,
    }),
  );
  const library = new GraphDocumentLibrary({ graph, siteUrl: settings.siteUrl, libraryName: settings.libraryName });
  const ports = {
    records: new DataverseRetentionRecords(dataverse, { pageSize: 5000 }),
    folders: new GraphFolderInventory({ graph, library }),
  };
  const runs = new DataverseJobRuns(dataverse);
  const arrivalPorts = {
    changes: new GraphLibraryChanges({ graph, library }),
    records: new DataverseArrivalRecords(dataverse, { pageSize: 5000 }),
  };
  const arrivals = async (run: RunRetentionOptions): Promise<ArrivalRunReport> => {
    const before = { ...requests };
    const report = await checkArrivals(arrivalPorts, run.clock, { settings, dryRun: run.dryRun, log: run.log });
    return { ...report, requests: { dataverse: requests.dataverse - before.dataverse, graph: requests.graph - before.graph } };
  };
  return {
    settings,
    run: (run) => {
      const both = async (): Promise<RetentionRunReport> => {
        // Files that arrived are reported before the sweep, which may delete their folder.
        const found = await arrivals(run);
        const swept = await sweepExpired(ports, run.clock, { settings, dryRun: run.dryRun, deadline: run.deadline, log: run.log });
        const failures = [...found.failures, ...swept.failures];
        return { ...swept, arrivals: found, failures, counts: { ...swept.counts, failures: failures.length } };
      };
      // A dry run changes nothing, its record included.
      if (run.dryRun) return both();
      return recordJobRun(runs, both, { host: options.host, hostLabel: hostLabels[options.host], clock: run.clock, log: run.log });
    },
    checkArrivals: arrivals,
    endAllAccess: (run) => endAllAccess(ports, run.clock, { settings, dryRun: run.dryRun, deadline: run.deadline, log: run.log }),
  };
}

async function loadSettings(client: DataverseClient): Promise<Settings> {
  type Row = {
    schemaname?: string;
    defaultvalue?: string | null;
    environmentvariabledefinition_environmentvariablevalue?: Array<{ value?: string | null }>;
  };
  const rows = await client.getAll<Row>(SETTINGS_QUERY);
  const raw: Record<string, string | null | undefined> = {};
  for (const row of rows) {
    if (!row.schemaname) continue;
    const current = row.environmentvariabledefinition_environmentvariablevalue?.find(
      (v) => v.value !== null && v.value !== undefined && v.value !== "",
    );
    raw[row.schemaname] = current?.value ?? row.defaultvalue;
  }
  return parseSettings(raw);
}
