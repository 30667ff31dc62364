import type { JobRun } from "../../domain/jobHealth";
import { parseSetting } from "../../domain/settings";
import { environmentVariableDefinition, JobHost, JobRunOutcome, settingDefs } from "../../model";
import type { JobRunReads } from "../../ports/JobRuns";
import { toDataverseError } from "./DataverseError";
import { rawSettingsFromRows } from "./XrmSettingsSource";
import type { XrmWebApi } from "./XrmCrmGateway";
import { date, normalizeId, num, str, type Row } from "./records";

/** The run columns the dashboard reads. */
export const JOB_RUN_SELECT = [
  "cfx_jobrunid",
  "cfx_name",
  "cfx_host",
  "cfx_outcome",
  "cfx_startedon",
  "cfx_finishedon",
  "cfx_warned",
  "cfx_expired",
  "cfx_deleted",
  "cfx_permissionsrevoked",
  "cfx_orphans",
  "cfx_orphansdeleted",
  "cfx_failures",
  "cfx_failuredetails",
].join(",");

const OVERDUE_SETTING = settingDefs.find((d) => d.key === "retentionOverdueHours")!.schemaName;

/** A `cfx_jobrun` row as the product's JobRun; undefined for a row without its instants. */
export function jobRunFromRow(row: Row): JobRun | undefined {
  const startedOn = date(row, "cfx_startedon");
  const finishedOn = date(row, "cfx_finishedon") ?? startedOn;
  if (!startedOn || !finishedOn) return undefined;
  const n = (key: string) => num(row, key) ?? 0;
  return {
    id: normalizeId(str(row, "cfx_jobrunid") ?? ""),
    name: str(row, "cfx_name") ?? "",
    host: (num(row, "cfx_host") ?? JobHost.cli) as JobHost,
    outcome: (num(row, "cfx_outcome") ?? JobRunOutcome.failed) as JobRunOutcome,
    startedOn,
    finishedOn,
    counts: {
      warned: n("cfx_warned"),
      expired: n("cfx_expired"),
      deleted: n("cfx_deleted"),
      permissionsRevoked: n("cfx_permissionsrevoked"),
      recipientsRevoked: 0,
      orphans: n("cfx_orphans"),
      orphansDeleted: n("cfx_orphansdeleted"),
      failures: n("cfx_failures"),
    },
    failureDetails: str(row, "cfx_failuredetails"),
  };
}

/** The retention job's runs and the overdue setting, read through Xrm.WebApi with the user's own access. */
export class XrmJobRunReads implements JobRunReads {
  constructor(private readonly webApi: Pick<XrmWebApi, "retrieveMultipleRecords">) {}

  lastSuccessfulRun(): Promise<JobRun | undefined> {
    return this.first(`cfx_outcome ne ${JobRunOutcome.failed}`);
  }

  latestRun(): Promise<JobRun | undefined> {
    return this.first();
  }

  async overdueHours(): Promise<number> {
    let rows: Row[];
    try {
      const result = await this.webApi.retrieveMultipleRecords(
        environmentVariableDefinition.logicalName,
        `?$select=schemaname,defaultvalue&$filter=schemaname eq '${OVERDUE_SETTING}'` +
          "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)",
      );
      rows = result.entities as Row[];
    } catch (e) {
      throw toDataverseError(e, "Reading the retention job's overdue setting");
    }
    return parseSetting("retentionOverdueHours", rawSettingsFromRows(rows)[OVERDUE_SETTING]);
  }

  /** The newest run (by start) matching the filter. */
  private async first(filter?: string): Promise<JobRun | undefined> {
    let rows: Row[];
    try {
      const result = await this.webApi.retrieveMultipleRecords(
        "cfx_jobrun",
        `?$select=${JOB_RUN_SELECT}${filter ? `&$filter=${filter}` : ""}&$orderby=cfx_startedon desc&$top=1`,
      );
      rows = result.entities as Row[];
    } catch (e) {
      throw toDataverseError(e, "Reading the retention job's runs");
    }
    return rows.length > 0 ? jobRunFromRow(rows[0]) : undefined;
  }
}
