import type { ColumnDef, TableDef } from "../../src/model";

/** Column types whose value is a reference to another row (stored as id + target table). */
export function isReference(column: ColumnDef): boolean {
  return column.type === "lookup" || column.type === "customer" || column.type === "owner";
}

/** The SQL column that stores which table a reference points at (polymorphic lookups need it). */
export function targetColumnOf(column: ColumnDef): string {
  return `${column.logicalName}__table`;
}

function sqlType(column: ColumnDef): string {
  switch (column.type) {
    case "integer":
    case "bigint":
    case "boolean":
    case "picklist":
    case "state":
    case "status":
      return "INTEGER";
    default:
      return "TEXT";
  }
}

/** `CREATE TABLE` for a model table: one SQL column per model column, generated, never hand-written. */
export function createTableSql(table: TableDef): string {
  const parts: string[] = [];
  for (const column of table.columns) {
    if (column.type === "primarykey") parts.push(`"${column.logicalName}" TEXT PRIMARY KEY`);
    else parts.push(`"${column.logicalName}" ${sqlType(column)}`);
    if (isReference(column)) parts.push(`"${targetColumnOf(column)}" TEXT`);
  }
  parts.push(`"versionnumber" INTEGER NOT NULL DEFAULT 1`);
  return `CREATE TABLE IF NOT EXISTS "${table.logicalName}" (${parts.join(", ")})`;
}
