/**
 * The Case's file exchange status, as rollup columns on Microsoft's Case table and the Case views
 * that show them. The product never writes a case row: Dataverse computes these columns from the
 * case's exchanges in its "Calculate Rollup Field" system job (and on demand with
 * `CalculateRollupField`), so a supervisor's Cases list can show, sort and filter by them.
 *
 * They are not in `incident.columns` (`system.ts`): that table is Microsoft's as the product reads
 * it, and the sandbox's baseline organization starts from it; these columns arrive with the
 * solution zip, as in a real organization.
 */

import { ExchangeDirection, ExchangeStage } from "./choices";
import type { ColumnDef, RollupConditionDef, RollupDef } from "./schema";
import type { ViewDef } from "./views";

const caseExchanges = "cfx_incident_cfx_fileexchange_CaseId";
const activeExchange: RollupConditionDef = { column: "statecode", operator: "eq", value: 0 };
const notDeleted: RollupConditionDef = { column: "cfx_stage", operator: "ne", value: ExchangeStage.deleted };

function countOf(...conditions: RollupConditionDef[]): RollupDef {
  return {
    relationship: caseExchanges,
    aggregate: "count",
    sourceColumn: "cfx_fileexchangeid",
    conditions: [activeExchange, ...conditions],
  };
}

function rollupColumn(schemaName: string, displayName: string, description: string, rollup: RollupDef): ColumnDef {
  // The earliest expiry is a date and time; counts and sums are whole numbers.
  const isDate = rollup.aggregate === "min" || rollup.aggregate === "max";
  return {
    logicalName: schemaName.toLowerCase(),
    schemaName,
    displayName,
    description,
    ...(isDate
      ? { type: "datetime" as const, dateFormat: "datetime" as const }
      : { type: "integer" as const, minValue: 0, maxValue: 2147483647 }),
    rollup,
  };
}

/** Backups ready for the customer that no agent has shared yet. */
export const backupsReadyColumn = rollupColumn(
  "cfx_BackupsReadyCount",
  "Backups Ready, Not Shared",
  "How many of the case's backups are ready and not yet shared with the customer (rollup).",
  countOf({ column: "cfx_stage", operator: "eq", value: ExchangeStage.backupReady }),
);

/** Backups shared with the customer. */
export const backupsSharedColumn = rollupColumn(
  "cfx_BackupsSharedCount",
  "Backups Shared",
  "How many of the case's backups are shared with the customer (rollup).",
  countOf(
    { column: "cfx_direction", operator: "eq", value: ExchangeDirection.backupForCustomer },
    {
      column: "cfx_stage",
      operator: "eq",
      value: ExchangeStage.shared,
    },
  ),
);

/** Upload requests sent to the customer that are still waiting for files. */
export const awaitingFilesColumn = rollupColumn(
  "cfx_AwaitingFilesCount",
  "Waiting for Customer's Files",
  "How many of the case's requests for files are shared with the customer and still waiting (rollup).",
  countOf(
    { column: "cfx_direction", operator: "eq", value: ExchangeDirection.filesFromCustomer },
    {
      column: "cfx_stage",
      operator: "eq",
      value: ExchangeStage.shared,
    },
  ),
);

/** Upload requests whose files arrived. */
export const filesReceivedColumn = rollupColumn(
  "cfx_FilesReceivedCount",
  "Customer's Files Received",
  "How many of the case's requests for files have received the customer's files (rollup).",
  countOf({ column: "cfx_stage", operator: "eq", value: ExchangeStage.filesReceived }),
);

/** When the case's next folder is deleted: the earliest expiry of its folders not yet deleted. */
export const nextDeletionColumn = rollupColumn(
  "cfx_NextFolderDeletionOn",
  "Next Folder Deletion",
  "When the first of the case's folders not yet deleted expires and is deleted; empty when none expires (rollup).",
  {
    relationship: caseExchanges,
    aggregate: "min",
    sourceColumn: "cfx_expireson",
    conditions: [activeExchange, notDeleted, { column: "cfx_expireson", operator: "not-null" }],
  },
);

/** Files in the case's folders not yet deleted. */
export const exchangeFilesColumn = rollupColumn(
  "cfx_ExchangeFileCount",
  "Files in Exchanges",
  "How many files the case's folders not yet deleted hold, as last counted (rollup).",
  { relationship: caseExchanges, aggregate: "sum", sourceColumn: "cfx_filecount", conditions: [activeExchange, notDeleted] },
);

/** The rollup columns the solution adds to the Case table, in the order the views show them. */
export const caseStatusColumns: readonly ColumnDef[] = [
  backupsReadyColumn,
  backupsSharedColumn,
  awaitingFilesColumn,
  filesReceivedColumn,
  nextDeletionColumn,
  exchangeFilesColumn,
];

/**
 * Supervisors' Cases list: each case's number, title, customer and owner beside its exchanges'
 * status, soonest deletion first. Every status column can also be added to any other Case view.
 */
export const casesWithStatusView: ViewDef = {
  key: "incident/file-exchange-status",
  table: "incident",
  kind: "public",
  name: "Cases with File Exchange Status",
  description:
    "Active cases with their file exchanges at a glance: backups ready and shared, files awaited and received, the next deletion and the files.",
  isDefault: false,
  columns: [
    { column: "title", width: 220 },
    { column: "ticketnumber", width: 140 },
    { column: "customerid", width: 160 },
    { column: "ownerid", width: 140 },
    { column: backupsReadyColumn.logicalName, width: 110 },
    { column: backupsSharedColumn.logicalName, width: 100 },
    { column: awaitingFilesColumn.logicalName, width: 120 },
    { column: filesReceivedColumn.logicalName, width: 110 },
    { column: nextDeletionColumn.logicalName, width: 150 },
    { column: exchangeFilesColumn.logicalName, width: 90 },
  ],
  order: [{ column: nextDeletionColumn.logicalName, descending: false }],
  filter: [{ column: "statecode", operator: "eq", value: "0" }],
};

/** The Case views the solution ships. */
export const caseViews: readonly ViewDef[] = [casesWithStatusView];

/** The count column of each status a case's exchanges can be in (the domain's `caseStatusKind`). */
export const caseStatusCountColumns = {
  readyToShare: backupsReadyColumn,
  shared: backupsSharedColumn,
  awaitingFiles: awaitingFilesColumn,
  filesReceived: filesReceivedColumn,
} as const;
