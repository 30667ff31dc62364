import type Database from "better-sqlite3";
import type { ColumnDef, RollupDef, TableDef } from "../../src/model";
import { catalog } from "../install/catalog";
import { readState, writeState } from "../store/database";
import type { Row, RowStore } from "../store/rows";
import { dataverseDate } from "./writes";

/**
 * Rollup columns as Dataverse computes them: never on write, but in system jobs and on demand.
 *
 * - "Mass Calculate Rollup Field": once per rollup column, 12 hours after the column was created
 *   (here: first seen after the import), it calculates the column on every row.
 * - "Calculate Rollup Field": a recurring job, hourly by default, that brings the columns up to date
 *   (Dataverse's is incremental, changed rows only; the sandbox recalculates every row of each
 *   column its mass calculation has reached, which gives the same figures).
 * - `CalculateRollupField(Target, FieldName)`: one column of one row, now.
 *
 * Each calculation writes the column, `<column>_date` (when) and `<column>_state` (1, calculated)
 * with the system's access to every related row, as Dataverse does, and changes nothing else: not
 * Modified On, and no other column of the row.
 */

/** When the mass calculation of a new column runs, after the column was created. */
export const massCalculationDelayMs = 12 * 3600 * 1000;
/** The recurring job's default recurrence. */
export const recurrenceMs = 3600 * 1000;

/** Rollup state values (`<column>_state`). */
export const RollupState = { notCalculated: 0, calculated: 1 } as const;

interface JobState {
  /** When each rollup column (`table.column`) was first seen, after the import that created it. */
  readonly created: Record<string, string>;
  /** When each column's mass calculation ran. */
  readonly massCalculated: Record<string, string>;
  /** When the recurring job last ran. */
  readonly lastRun?: string;
}

const stateKey = "rollups.jobs";

/** Every rollup column of the organization, with its table. */
function rollupColumns(): { table: TableDef; column: ColumnDef & { rollup: RollupDef } }[] {
  return catalog().tables.flatMap((table) =>
    table.columns.filter((c): c is ColumnDef & { rollup: RollupDef } => c.rollup !== undefined).map((column) => ({ table, column })),
  );
}

/** The value of one rollup column for one row, over its related rows as the system sees them. */
export function rollupValue(rows: RowStore, table: TableDef, column: ColumnDef & { rollup: RollupDef }, id: string): unknown {
  const rollup = column.rollup;
  const relationship = catalog().relationships.find((r) => r.schemaName === rollup.relationship);
  if (!relationship || relationship.referencedTable !== table.logicalName) return null;
  const childTable = catalog().tables.find((t) => t.logicalName === relationship.referencingTable);
  if (!childTable) return null;
  const related = rows.where(childTable, relationship.referencingColumn, id).filter((r) => meets(r, rollup));
  if (rollup.aggregate === "count") return related.length;
  const values = related.map((r) => r[rollup.sourceColumn]).filter((v) => v !== null && v !== undefined);
  if (rollup.aggregate === "sum") return values.reduce<number>((sum, v) => sum + Number(v), 0);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => (column.type === "datetime" ? String(a).localeCompare(String(b)) : Number(a) - Number(b)));
  return rollup.aggregate === "min" ? sorted[0] : sorted[sorted.length - 1];
}

function meets(row: Row, rollup: RollupDef): boolean {
  return rollup.conditions.every((c) => {
    const value = row[c.column] ?? null;
    if (c.operator === "not-null") return value !== null;
    return c.operator === "eq" ? value === c.value : value !== c.value;
  });
}

/** Calculates one rollup column of one row and stores it with its date and state. */
export function calculateRollup(rows: RowStore, table: TableDef, column: ColumnDef & { rollup: RollupDef }, id: string, now: Date): void {
  rows.update(table, id, {
    [column.logicalName]: rollupValue(rows, table, column, id),
    [`${column.logicalName}_date`]: dataverseDate(now),
    [`${column.logicalName}_state`]: RollupState.calculated,
  });
}

/** The rollup column of a table by logical name, if it is one. */
export function rollupColumnOf(table: TableDef, logicalName: string): (ColumnDef & { rollup: RollupDef }) | undefined {
  const column = table.columns.find((c) => c.logicalName === logicalName);
  return column?.rollup ? (column as ColumnDef & { rollup: RollupDef }) : undefined;
}

/**
 * Runs the rollup jobs that are due at `now`: each new column's mass calculation 12 hours after it
 * appeared, and the recurring job once an hour. Called as time passes (each Web API request, each
 * shell page, each move of the sandbox clock); returns how many rows it calculated.
 */
export function runDueRollupJobs(db: Database.Database, rows: RowStore, now: Date): number {
  const columns = rollupColumns();
  if (columns.length === 0) return 0;
  const state = readState<JobState>(db, stateKey, { created: {}, massCalculated: {} });
  const created = { ...state.created };
  const massCalculated = { ...state.massCalculated };
  let calculated = 0;
  // One transaction per column and run: thousands of rows are written at SQLite's pace, not a commit each.
  const calculateAll = db.transaction((table: TableDef, column: ColumnDef & { rollup: RollupDef }) => {
    for (const row of rows.all(table)) {
      calculateRollup(rows, table, column, String(row[table.primaryIdColumn]), now);
      calculated++;
    }
  });
  const markNotCalculated = () => {
    // A row the column has not been calculated for yet says so: state 0, not calculated. Set in
    // place, as the platform's default: no new row version.
    for (const { table, column } of columns) {
      db.prepare(`UPDATE "${table.logicalName}" SET "${column.logicalName}_state" = ? WHERE "${column.logicalName}_state" IS NULL`).run(
        RollupState.notCalculated,
      );
    }
  };
  let changed = false;
  for (const { table, column } of columns) {
    const key = `${table.logicalName}.${column.logicalName}`;
    if (!created[key]) {
      created[key] = now.toISOString();
      changed = true;
    }
    if (!massCalculated[key] && now.getTime() - Date.parse(created[key]) >= massCalculationDelayMs) {
      calculateAll(table, column);
      massCalculated[key] = now.toISOString();
      changed = true;
    }
  }
  let lastRun = state.lastRun;
  if (!lastRun || now.getTime() - Date.parse(lastRun) >= recurrenceMs) {
    for (const { table, column } of columns) {
      if (massCalculated[`${table.logicalName}.${column.logicalName}`]) calculateAll(table, column);
    }
    lastRun = now.toISOString();
    changed = true;
  }
  // Only when something ran or a column appeared: the check runs on every request.
  if (changed) {
    markNotCalculated();
    writeState(db, stateKey, { created, massCalculated, lastRun });
  }
  return calculated;
}
