import type { ColumnDef } from "../../src/model";
import { isReference, targetColumnOf } from "../store/columns";
import type { Row, RowStore } from "../store/rows";
import { noProperty } from "./errors";
import { entityByName, lookupOfValueName, propertyNameOf, type EntityMeta } from "./metadata";

export const FormattedValue = "OData.Community.Display.V1.FormattedValue";
export const LookupLogicalName = "Microsoft.Dynamics.CRM.lookuplogicalname";
export const AssociatedNavigationProperty = "Microsoft.Dynamics.CRM.associatednavigationproperty";

/** Which instance annotations the caller asked for with `Prefer: odata.include-annotations="…"`. */
export type AnnotationFilter = (annotation: string) => boolean;

export function annotationFilterOf(prefer: string | undefined): AnnotationFilter {
  const match = /odata\.include-annotations\s*=\s*"?([^";]*)"?/i.exec(prefer ?? "");
  if (!match) return () => false;
  const patterns = match[1]
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return (annotation) =>
    patterns.some((p) => {
      if (p.startsWith("-")) return false;
      if (p === "*") return true;
      if (p.endsWith(".*")) return annotation.startsWith(p.slice(0, -1));
      return p === annotation;
    });
}

const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
});
const dateFormat = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" });
const numberFormat = new Intl.NumberFormat("en-US");

/** The text Dataverse shows for a value (`FormattedValue`), in en-US and UTC. */
export function formattedValueOf(column: ColumnDef, value: unknown, rows: RowStore, row: Row): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (column.type) {
    case "picklist":
    case "state":
    case "status":
      return column.choice?.options.find((o) => o.value === value)?.label;
    case "boolean":
      return value ? "Yes" : "No";
    case "datetime":
      return (column.dateFormat === "dateonly" ? dateFormat : dateTimeFormat).format(new Date(String(value))).replace(",", "");
    case "integer":
    case "bigint":
      return numberFormat.format(Number(value));
    case "lookup":
    case "customer":
    case "owner":
      return primaryNameOf(rows, String(row[targetColumnOf(column)] ?? ""), String(value));
    default:
      return undefined;
  }
}

export function primaryNameOf(rows: RowStore, tableName: string, id: string): string | undefined {
  const target = entityByName(tableName);
  if (!target) return undefined;
  const r = rows.get(target.table, id);
  const name = r?.[target.primaryName];
  return name === null || name === undefined ? undefined : String(name);
}

/** The Web API value of a stored value. */
export function apiValueOf(column: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === "boolean") return value === 1 || value === true;
  return value;
}

/** Checks a `$select` list against the table; Dataverse answers 400 for a name it does not know. */
export function selectedColumns(meta: EntityMeta, select: readonly string[] | undefined): ColumnDef[] {
  if (!select || select.length === 0 || select.includes("*")) return [...meta.columns.values()];
  const columns: ColumnDef[] = [];
  for (const name of select) {
    const lookup = lookupOfValueName(meta, name);
    const column = lookup ?? meta.columns.get(name);
    if (!column || (!lookup && isReference(column))) throw noProperty(meta.name, name);
    columns.push(column);
  }
  const pk = meta.columns.get(meta.primaryId);
  if (pk && !columns.includes(pk)) columns.push(pk);
  return columns;
}

/** A stored row as the Web API returns it: etag, selected properties, and the annotations asked for. */
export function serializeRow(
  meta: EntityMeta,
  row: Row,
  columns: readonly ColumnDef[],
  rows: RowStore,
  wants: AnnotationFilter,
): Record<string, unknown> {
  const out: Record<string, unknown> = { "@odata.etag": `W/"${String(row.versionnumber ?? 1)}"` };
  for (const column of columns) {
    const name = propertyNameOf(column);
    const value = apiValueOf(column, row[column.logicalName]);
    if (wants(FormattedValue)) {
      const formatted = formattedValueOf(column, value, rows, row);
      if (formatted !== undefined) out[`${name}@${FormattedValue}`] = formatted;
    }
    if (isReference(column) && value !== null) {
      const target = String(row[targetColumnOf(column)] ?? "");
      if (wants(AssociatedNavigationProperty)) {
        const nav =
          [...meta.singleNavs.values()].find((n) => n.column === column && n.target === target) ??
          [...meta.singleNavs.values()].find((n) => n.column === column);
        if (nav) out[`${name}@${AssociatedNavigationProperty}`] = nav.name;
      }
      if (wants(LookupLogicalName)) out[`${name}@${LookupLogicalName}`] = target;
    }
    out[name] = value;
  }
  return out;
}
