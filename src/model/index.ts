/** The data model, described once: read by the adapters, the sandbox and the solution packer. */
export * from "./schema";
export * from "./choices";
export * from "./tables";
export * from "./system";
export * from "./settings";
export * from "./roles";
export * from "./fieldSecurity";

import { productTables } from "./tables";
import { systemTables } from "./system";
import type { ColumnDef, TableDef } from "./schema";

/** Every table the product touches, its own and Microsoft's. */
export const allTables: readonly TableDef[] = [...productTables, ...systemTables];

/** The table with that logical name; throws for a name the model does not know. */
export function tableByName(logicalName: string): TableDef {
  const table = allTables.find((t) => t.logicalName === logicalName);
  if (!table) throw new Error(`The data model has no table "${logicalName}".`);
  return table;
}

/** The column with that logical name on a table; throws for a name the model does not know. */
export function columnOf(table: TableDef, logicalName: string): ColumnDef {
  const column = table.columns.find((c) => c.logicalName === logicalName);
  if (!column) throw new Error(`The table "${table.logicalName}" has no column "${logicalName}".`);
  return column;
}
