import type { ColumnDef } from "../../src/model";
import { targetColumnOf } from "../store/columns";
import type { Row, RowStore } from "../store/rows";
import { badRequest, noProperty } from "./errors";
import { entityByName, lookupOfValueName, type EntityMeta } from "./metadata";
import type { Comparison, ExpandItem, FilterExpr, Literal, ODataQuery, Operand } from "./odata";
import type { Caller, Security } from "./security";
import { apiValueOf, selectedColumns, serializeRow, type AnnotationFilter } from "./serialize";

/** What a query runs with: storage, the caller and what they may see, and the annotations asked for. */
export interface QueryScope {
  readonly rows: RowStore;
  readonly security: Security;
  readonly caller: Caller;
  readonly wants: AnnotationFilter;
}

interface Resolved {
  readonly value: unknown;
  readonly column?: ColumnDef;
}

/** Reads a property path on a row: `title`, `_cfx_caseid_value`, `cfx_CaseId/title`. */
function resolve(scope: QueryScope, meta: EntityMeta, row: Row | undefined, path: readonly string[]): Resolved {
  const [head, ...rest] = path;
  const lookup = lookupOfValueName(meta, head);
  if (lookup && rest.length === 0) return { value: row?.[lookup.logicalName] ?? null, column: lookup };
  const column = meta.columns.get(head);
  if (column && !lookup && rest.length === 0 && column.type !== "lookup" && column.type !== "customer" && column.type !== "owner") {
    return { value: row ? apiValueOf(column, row[head]) : null, column };
  }
  const nav = meta.singleNavs.get(head);
  if (nav && rest.length > 0) {
    const target = entityByName(nav.target);
    if (!target) throw noProperty(meta.name, head);
    const id = row?.[nav.column.logicalName];
    const matches = typeof id === "string" && row?.[targetColumnOf(nav.column)] === nav.target;
    const related = matches ? scope.rows.get(target.table, id) : undefined;
    return resolve(scope, target, related, rest);
  }
  throw noProperty(meta.name, path.join("/"));
}

function normalise(value: unknown, column?: ColumnDef): unknown {
  if (typeof value === "string") {
    if (column?.type === "datetime") return Date.parse(value);
    return value.toLowerCase();
  }
  return value;
}

function operandValue(scope: QueryScope, meta: EntityMeta, row: Row, operand: Operand): Resolved {
  return operand.kind === "literal" ? { value: operand.value } : resolve(scope, meta, row, operand.path);
}

function compare(op: Comparison, left: Resolved, right: Resolved): boolean {
  const column = left.column ?? right.column;
  const a = normalise(left.value, column);
  const b = normalise(right.value, column);
  if (a === null || a === undefined || b === null || b === undefined) {
    const bothNull = (a === null || a === undefined) && (b === null || b === undefined);
    if (op === "eq") return bothNull;
    if (op === "ne") return !bothNull;
    return false;
  }
  switch (op) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "lt":
      return (a as number) < (b as number);
    case "le":
      return (a as number) <= (b as number);
    case "gt":
      return (a as number) > (b as number);
    case "ge":
      return (a as number) >= (b as number);
  }
}

/** Evaluates a parsed `$filter` on one row; string comparisons are case-insensitive, as Dataverse's collation is. */
export function matches(scope: QueryScope, meta: EntityMeta, row: Row, expr: FilterExpr): boolean {
  switch (expr.kind) {
    case "and":
      return matches(scope, meta, row, expr.left) && matches(scope, meta, row, expr.right);
    case "or":
      return matches(scope, meta, row, expr.left) || matches(scope, meta, row, expr.right);
    case "not":
      return !matches(scope, meta, row, expr.inner);
    case "compare":
      return compare(expr.op, operandValue(scope, meta, row, expr.left), operandValue(scope, meta, row, expr.right));
    case "call": {
      const [haystack, needle] = expr.args.map((a) => operandValue(scope, meta, row, a).value);
      if (typeof needle !== "string") throw badRequest(`${expr.method} takes a string.`);
      if (typeof haystack !== "string") return false;
      const h = haystack.toLowerCase();
      const n = needle.toLowerCase();
      return expr.method === "contains" ? h.includes(n) : expr.method === "startswith" ? h.startsWith(n) : h.endsWith(n);
    }
    case "operand": {
      const v = operandValue(scope, meta, row, expr.operand).value;
      return v === true || v === 1;
    }
  }
}

function sortKey(value: unknown, column?: ColumnDef): string | number | null {
  if (value === null || value === undefined) return null;
  if (column?.type === "datetime") return Date.parse(String(value));
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as number;
}

/**
 * Filters, sorts and secures the rows of a table (before paging and shaping): a caller without Read
 * on the table gets Dataverse's privilege error, one with it only the rows their Read reaches.
 */
export function selectRows(scope: QueryScope, meta: EntityMeta, candidates: Row[], query: ODataQuery): Row[] {
  scope.security.assertPrivilege(scope.caller, meta, "Read");
  let result = candidates
    .filter((row) => scope.security.canAccess(scope.caller, meta, row, "Read"))
    .map((row) => scope.security.visibleRow(scope.caller, meta, row));
  if (query.filter) {
    const filter = query.filter;
    result = result.filter((row) => matches(scope, meta, row, filter));
  }
  if (query.orderBy && query.orderBy.length > 0) {
    const keys = query.orderBy.map((o) => ({ ...o, get: (row: Row) => resolve(scope, meta, row, o.path) }));
    result = result
      .map((row) => ({ row, values: keys.map((k) => k.get(row)) }))
      .sort((x, y) => {
        for (let i = 0; i < keys.length; i++) {
          const a = sortKey(x.values[i].value, x.values[i].column);
          const b = sortKey(y.values[i].value, y.values[i].column);
          if (a === b) continue;
          // SQL Server (Dataverse) sorts nulls first ascending.
          const order = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
          return keys[i].descending ? -order : order;
        }
        return 0;
      })
      .map((x) => x.row);
  }
  return result;
}

/** Shapes one row for the response: `$select`, annotations and `$expand`. */
export function shapeRow(scope: QueryScope, meta: EntityMeta, row: Row, query: ODataQuery): Record<string, unknown> {
  const visible = scope.security.visibleRow(scope.caller, meta, row);
  const out = serializeRow(meta, visible, selectedColumns(meta, query.select), scope.rows, scope.wants);
  for (const item of query.expand ?? []) out[item.navigation] = expand(scope, meta, visible, item);
  return out;
}

function expand(scope: QueryScope, meta: EntityMeta, row: Row, item: ExpandItem): unknown {
  const single = meta.singleNavs.get(item.navigation);
  if (single) {
    const target = entityByName(single.target);
    const id = row[single.column.logicalName];
    if (!target || typeof id !== "string" || row[targetColumnOf(single.column)] !== single.target) return null;
    const related = scope.rows.get(target.table, id);
    scope.security.assertPrivilege(scope.caller, target, "Read");
    if (!related || !scope.security.canAccess(scope.caller, target, related, "Read")) return null;
    return shapeRow(scope, target, related, item.query);
  }
  const collection = meta.collectionNavs.get(item.navigation);
  if (collection) {
    if (item.query.expand?.length && (item.query.orderBy || item.query.top !== undefined)) {
      // Dataverse: $orderby and $top are not supported with a nested $expand on a collection-valued navigation property.
      throw badRequest(`$orderby and $top cannot be combined with a nested $expand inside the collection '${item.navigation}'.`);
    }
    const child = entityByName(collection.childTable);
    if (!child) return [];
    const lookup = child.columns.get(collection.childColumn);
    const id = String(row[meta.primaryId]);
    const candidates = scope.rows
      .where(child.table, collection.childColumn, id)
      .filter((r) => !lookup || r[targetColumnOf(lookup)] === meta.name);
    const selected = selectRows(scope, child, candidates, item.query);
    const limited = item.query.top !== undefined ? selected.slice(0, item.query.top) : selected.slice(0, 5000);
    return limited.map((r) => shapeRow(scope, child, r, item.query));
  }
  const manyToMany = meta.manyToManyNavs.get(item.navigation);
  if (manyToMany) {
    const target = entityByName(manyToMany.target);
    if (!target) return [];
    scope.security.assertPrivilege(scope.caller, target, "Read");
    const id = String(row[meta.primaryId]);
    const linked = scope.rows
      .where(entityByName(manyToMany.intersect)!.table, manyToMany.ownColumn, id)
      .map((link) => scope.rows.get(target.table, String(link[manyToMany.otherColumn])))
      .filter((r): r is Row => r !== undefined);
    const selected = selectRows(scope, target, linked, item.query);
    const limited = item.query.top !== undefined ? selected.slice(0, item.query.top) : selected.slice(0, 5000);
    return limited.map((r) => shapeRow(scope, target, r, item.query));
  }
  throw noProperty(meta.name, item.navigation);
}

export type { Literal };
