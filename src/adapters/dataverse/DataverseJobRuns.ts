import type { JobRun } from "../../domain/jobHealth";
import type { JobRunLog } from "../../ports/JobRuns";
import type { DataverseClient } from "./DataverseClient";
import { isDataverseError } from "./DataverseError";

/** Dataverse's date-time literal: ISO 8601 in UTC, whole seconds. */
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The row of `cfx_jobrun` for one run, as the Web API takes it. */
export function jobRunRow(run: JobRun): Record<string, unknown> {
  return {
    cfx_jobrunid: run.id,
    cfx_name: run.name.slice(0, 200),
    cfx_host: run.host,
    cfx_outcome: run.outcome,
    cfx_startedon: iso(run.startedOn),
    cfx_finishedon: iso(run.finishedOn),
    cfx_warned: run.counts.warned,
    cfx_expired: run.counts.expired,
    cfx_deleted: run.counts.deleted,
    cfx_permissionsrevoked: run.counts.permissionsRevoked,
    cfx_orphans: run.counts.orphans,
    cfx_orphansdeleted: run.counts.orphansDeleted,
    cfx_failures: run.counts.failures,
    ...(run.failureDetails ? { cfx_failuredetails: run.failureDetails } : {}),
  };
}

/** JobRunLog over the Web API with the job's app-only token: one create per run, under the run's own id. */
export class DataverseJobRuns implements JobRunLog {
  constructor(private readonly client: DataverseClient) {}

  async record(run: JobRun): Promise<void> {
    try {
      await this.client.create("cfx_jobruns", jobRunRow(run));
    } catch (e) {
      // The same run's create sent again after a lost answer: already recorded.
      if (isDataverseError(e) && e.code === "duplicate") return;
      throw e;
    }
  }
}
