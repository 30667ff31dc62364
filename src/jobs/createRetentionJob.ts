import { DataverseClient } from "../adapters/dataverse/DataverseClient";
import { DataverseJobRuns } from "../adapters/dataverse/DataverseJobRuns";
import { DataverseRetentionRecords } from "../adapters/dataverse/DataverseRetentionRecords";
import { createGraph } from "../adapters/graph/createGraph";
import { GraphClient } from "../adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../adapters/graph/GraphDocumentLibrary";
import { GraphFolderInventory } from "../adapters/graph/GraphFolderInventory";
import type { FetchLike } from "../adapters/graph/retryPolicy";
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

/** The job wired to Dataverse and Graph: what the CLI, the Functions timer and the sandbox run. */
export interface RetentionJob {
  readonly settings: Settings;
  run(options: RunRetentionOptions): Promise<SweepReport>;
  /** Ends every guest's access before the solution is removed (`cfx-retention --end-all-access`). */
  endAllAccess(options: RunRetentionOptions): Promise<EndAllAccessReport>;
}

const SETTINGS_QUERY =
  "environmentvariabledefinitions?$select=schemaname,defaultvalue&$filter=startswith(schemaname,'cfx_')" +
  "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)";

/** Reads the product's settings (environment variables: current value, else default) and wires the adapters. */
export async function createRetentionJob(options: CreateRetentionJobOptions): Promise<RetentionJob> {
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const dataverse = new DataverseClient({
    orgUrl: options.dataverseUrl,
    tokens: options.tokens,
    fetch: baseFetch,
    onResponse: (r) => options.onRequest?.({ api: "dataverse", ...r }),
  });
  const settings = options.settings ?? (await loadSettings(dataverse));
  const countingFetch: FetchLike = async (url, init) => {
    const response = await baseFetch(url, init);
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
  return {
    settings,
    run: (run) => {
      const sweep = () => sweepExpired(ports, run.clock, { settings, dryRun: run.dryRun, deadline: run.deadline, log: run.log });
      // A dry run changes nothing, its record included.
      if (run.dryRun) return sweep();
      return recordJobRun(runs, sweep, { host: options.host, hostLabel: hostLabels[options.host], clock: run.clock, log: run.log });
    },
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
