import { createHash, randomUUID } from "node:crypto";
import { cascadeActions, IncidentState, type ColumnDef } from "../../src/model";
import { catalog, tableByName } from "../install/catalog";
import type { SandboxClock } from "../context";
import { isReference, targetColumnOf } from "../store/columns";
import type { Row, RowStore } from "../store/rows";
import { badRequest, DataverseCode, DataverseError, notFound } from "./errors";
import { allEntities, entityByName, entityBySet, lookupOfValueName, type EntityMeta } from "./metadata";
import type { Caller, Security } from "./security";

/** What a write runs with. */
export interface WriteScope {
  readonly rows: RowStore;
  readonly security: Security;
  readonly caller: Caller;
  readonly clock: SandboxClock;
  /** The systemuserid the platform stamps for an application caller. */
  readonly applicationUserId: string;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

/** Dataverse's date-time format: seconds precision, `Z`. */
export function dataverseDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function callerId(scope: WriteScope): string {
  return scope.caller.kind === "user" ? scope.caller.user.id : scope.applicationUserId;
}

/** Columns the platform writes; values sent for them are ignored, as Dataverse ignores them. */
const platformColumns = new Set([
  "createdon",
  "modifiedon",
  "createdby",
  "modifiedby",
  "owningbusinessunit",
  "objecttypecode",
  "versionnumber",
]);

/** Parses `/incidents(<id>)`, `incidents(<id>)` or an absolute URL into entity set and id. */
function parseReference(value: string): { set: string; id: string } | undefined {
  const path = value
    .replace(/^https?:\/\/[^/]+/, "")
    .replace(/^\/?api\/data\/v9\.\d\//, "")
    .replace(/^\//, "");
  const open = path.indexOf("(");
  if (open <= 0 || !path.endsWith(")")) return undefined;
  const id = path.slice(open + 1, -1).replace(/^\{|\}$/g, "");
  return isGuid(id) ? { set: path.slice(0, open), id: id.toLowerCase() } : undefined;
}

function convert(meta: EntityMeta, column: ColumnDef, value: unknown): unknown {
  if (value === null) return null;
  const wrongType = (edm: string) =>
    new DataverseError(400, DataverseCode.badProperty, `Cannot convert the literal '${String(value)}' to the expected type '${edm}'.`);
  switch (column.type) {
    case "primarykey":
      if (typeof value !== "string" || !isGuid(value)) throw wrongType("Edm.Guid");
      return value.toLowerCase();
    case "string":
    case "memo":
      if (typeof value !== "string") throw wrongType("Edm.String");
      if (column.maxLength !== undefined && value.length > column.maxLength) {
        throw new DataverseError(
          400,
          DataverseCode.validation,
          `A validation error occurred.  The length of the '${column.logicalName}' attribute of the '${meta.name}' entity exceeded the maximum allowed length of '${column.maxLength}'.`,
        );
      }
      return value;
    case "integer":
    case "bigint":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(column.type === "bigint" ? "Edm.Int64" : "Edm.Int32");
      if ((column.minValue !== undefined && value < column.minValue) || (column.maxValue !== undefined && value > column.maxValue)) {
        throw new DataverseError(
          400,
          DataverseCode.outOfRange,
          `A validation error occurred. The value ${value} of '${column.logicalName}' on record of type '${meta.name}' is outside the valid range.`,
        );
      }
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrongType("Edm.Boolean");
      return value ? 1 : 0;
    case "datetime": {
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw wrongType("Edm.DateTimeOffset");
      return dataverseDate(new Date(value));
    }
    case "picklist":
    case "state":
    case "status":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType("Edm.Int32");
      if (column.choice && !column.choice.options.some((o) => o.value === value)) {
        throw new DataverseError(
          400,
          DataverseCode.outOfRange,
          `A validation error occurred. The value ${value} of '${column.logicalName}' on record of type '${meta.name}' is outside the valid range. Accepted Values: ${column.choice.options.map((o) => o.value).join(",")}`,
        );
      }
      return value;
    default:
      throw wrongType("Edm.Guid");
  }
}

/** A record to create under a new one (deep insert through a collection navigation property). */
export interface DeepInsert {
  readonly childTable: string;
  readonly childColumn: string;
  readonly body: Record<string, unknown>;
}

/** Turns a request body into stored-column changes, binds resolved; throws Dataverse's errors. */
export function changesFromBody(
  scope: WriteScope,
  meta: EntityMeta,
  body: unknown,
  allowDeep: boolean,
): { changes: Row; deep: DeepInsert[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.", DataverseCode.badProperty);
  const changes: Row = {};
  const deep: DeepInsert[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith("@")) continue;
    if (key.endsWith("@odata.bind")) {
      const navName = key.slice(0, -"@odata.bind".length);
      const nav = meta.singleNavs.get(navName);
      if (!nav) {
        throw new DataverseError(
          400,
          DataverseCode.badProperty,
          `An undeclared property '${navName}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
        );
      }
      if (value === null) {
        changes[nav.column.logicalName] = null;
        changes[targetColumnOf(nav.column)] = null;
        continue;
      }
      const ref = typeof value === "string" ? parseReference(value) : undefined;
      const target = entityByName(nav.target);
      if (!ref || !target || entityBySet(ref.set) !== target) {
        throw badRequest(
          `The value '${String(value)}' of '${key}' is not a reference to a ${nav.target} record (/${target?.setName}(<id>)).`,
          DataverseCode.badProperty,
        );
      }
      if (!scope.rows.get(target.table, ref.id)) throw notFound(target.name, ref.id);
      changes[nav.column.logicalName] = ref.id;
      changes[targetColumnOf(nav.column)] = target.name;
      continue;
    }
    if (key.includes("@")) continue;
    const collection = meta.collectionNavs.get(key);
    if (collection) {
      if (!allowDeep || !Array.isArray(value))
        throw badRequest(`The navigation property '${key}' can only be set on create, as an array.`, DataverseCode.badProperty);
      for (const item of value)
        deep.push({ childTable: collection.childTable, childColumn: collection.childColumn, body: item as Record<string, unknown> });
      continue;
    }
    const column = meta.columns.get(key);
    if (!column || lookupOfValueName(meta, key)) {
      throw new DataverseError(
        400,
        DataverseCode.badProperty,
        `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.${meta.name}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    if (isReference(column)) {
      throw new DataverseError(
        400,
        DataverseCode.badProperty,
        `Cannot set the lookup '${key}' directly: use '${column.navigationProperty ?? key}@odata.bind' with a reference such as "/${entityByName(column.targets?.[0] ?? "")?.setName ?? "…"}(<id>)".`,
      );
    }
    if (platformColumns.has(key)) continue;
    changes[key] = convert(meta, column, value);
  }
  return { changes, deep };
}

function autoNumber(rows: RowStore, table: string, format: string, id: string): string {
  return format.replace(/\{(SEQNUM|RANDSTRING):(\d+)\}/g, (_m, kind: string, width: string) => {
    const n = Number(width);
    if (kind === "SEQNUM") return String(rows.nextSequence(`${table}/autonumber`, 1000)).padStart(n, "0");
    // Derived from the id so seeds are stable; Dataverse draws it at random.
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const hash = createHash("sha1").update(id).digest();
    return Array.from({ length: n }, (_, i) => alphabet[hash[i] % alphabet.length]).join("");
  });
}

function businessUnitOf(rows: RowStore, userId: string): string | null {
  const user = rows.get(tableByName("systemuser"), userId);
  return (user?.businessunitid as string | undefined) ?? null;
}

/** Creates a record (and any deep-inserted children); returns its id. */
export function createRecord(scope: WriteScope, meta: EntityMeta, body: unknown): string {
  scope.security.assertTablePrivilege(scope.caller, meta, "create");
  return scope.rows.transaction(() => insert(scope, meta, body));
}

function insert(scope: WriteScope, meta: EntityMeta, body: unknown, parent?: { column: string; table: string; id: string }): string {
  const { changes, deep } = changesFromBody(scope, meta, body, true);
  const id = (changes[meta.primaryId] as string | undefined) ?? randomUUID();
  if (scope.rows.get(meta.table, id)) {
    // A create whose primary key is taken: DuplicateRecord, 412, with the message Dataverse gives
    // a primary-key collision (an upsert with If-None-Match: * says "A record with matching key
    // values already exists." instead, see routes.ts).
    throw new DataverseError(412, DataverseCode.duplicate, "Cannot insert duplicate key.");
  }
  const now = dataverseDate(scope.clock.now());
  const row: Row = { ...changes, [meta.primaryId]: id };
  if (parent) {
    row[parent.column] = parent.id;
    const column = meta.columns.get(parent.column);
    if (column) row[targetColumnOf(column)] = parent.table;
  }
  for (const column of meta.table.columns) {
    if (column.type === "state" && row[column.logicalName] === undefined) row[column.logicalName] = 0;
    if (column.type === "status" && row[column.logicalName] === undefined) {
      const state = (row.statecode as number | undefined) ?? 0;
      row[column.logicalName] = column.choice?.options.find((o) => (o.state ?? 0) === state)?.value ?? 1;
    }
    if (column.autoNumberFormat && !row[column.logicalName])
      row[column.logicalName] = autoNumber(scope.rows, meta.name, column.autoNumberFormat, id);
  }
  const byId = callerId(scope);
  if (meta.columns.has("createdon")) row.createdon = now;
  if (meta.columns.has("modifiedon")) row.modifiedon = now;
  if (meta.columns.has("createdby")) Object.assign(row, { createdby: byId, createdby__table: "systemuser" });
  if (meta.columns.has("modifiedby")) Object.assign(row, { modifiedby: byId, modifiedby__table: "systemuser" });
  if (meta.columns.has("ownerid")) {
    if (!row.ownerid) Object.assign(row, { ownerid: byId, ownerid__table: "systemuser" });
    else if (row.ownerid !== byId) scope.security.assertTablePrivilege(scope.caller, meta, "assign");
    if (meta.columns.has("owningbusinessunit"))
      Object.assign(row, {
        owningbusinessunit: businessUnitOf(scope.rows, String(row.ownerid)),
        owningbusinessunit__table: "businessunit",
      });
  }
  if (meta.name === "annotation" && row.objectid__table) row.objecttypecode = row.objectid__table;
  if (meta.name === "incident" && !row.customerid) {
    throw new DataverseError(400, DataverseCode.required, "You should specify a parent contact or account.");
  }
  if (meta.name === "contact" && row.fullname === undefined) row.fullname = [row.firstname, row.lastname].filter(Boolean).join(" ");
  scope.rows.insert(meta.table, row);
  for (const child of deep) {
    const childMeta = entityByName(child.childTable);
    if (childMeta) insert(scope, childMeta, child.body, { column: child.childColumn, table: meta.name, id });
  }
  return id;
}

/** Refuses changes to a resolved or cancelled case, as Dataverse does. */
function assertCaseOpen(meta: EntityMeta, row: Row): void {
  if (meta.name !== "incident" || row.statecode === IncidentState.active) return;
  throw new DataverseError(
    400,
    DataverseCode.caseResolved,
    "This case has already been resolved. Close and reopen the case record to see the updates.",
  );
}

/** Updates a record; ownership changes cascade to parental children. */
export function updateRecord(scope: WriteScope, meta: EntityMeta, id: string, body: unknown): void {
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  scope.security.assertTablePrivilege(scope.caller, meta, "write");
  scope.security.assertRow(scope.caller, meta, row, "write");
  assertCaseOpen(meta, row);
  const { changes } = changesFromBody(scope, meta, body, false);
  delete changes[meta.primaryId];
  if (meta.name === "incident" && changes.statecode !== undefined && changes.statecode !== IncidentState.active) {
    throw new DataverseError(
      400,
      DataverseCode.invalidState,
      "This message can not be used to set the state of incident to Resolved. In order to set state of incident to Resolved, use the CloseIncidentRequest message instead.",
    );
  }
  if (meta.columns.has("modifiedon")) changes.modifiedon = dataverseDate(scope.clock.now());
  if (meta.columns.has("modifiedby")) Object.assign(changes, { modifiedby: callerId(scope), modifiedby__table: "systemuser" });
  scope.rows.transaction(() => {
    if (typeof changes.ownerid === "string" && changes.ownerid !== row.ownerid) {
      scope.security.assertTablePrivilege(scope.caller, meta, "assign");
      assign(scope, meta, id, changes.ownerid, changes);
    } else {
      scope.rows.update(meta.table, id, changes);
    }
  });
}

/** Assigns a record and, through parental relationships, its children (Dataverse's cascade assign). */
function assign(scope: WriteScope, meta: EntityMeta, id: string, ownerId: string, changes: Row): void {
  if (meta.columns.has("owningbusinessunit"))
    Object.assign(changes, { owningbusinessunit: businessUnitOf(scope.rows, ownerId), owningbusinessunit__table: "businessunit" });
  scope.rows.update(meta.table, id, { ...changes, ownerid: ownerId, ownerid__table: "systemuser" });
  for (const rel of catalog().relationships.filter((r) => r.referencedTable === meta.name && cascadeActions(r).assign === "Cascade")) {
    const child = entityByName(rel.referencingTable);
    if (!child) continue;
    for (const childRow of scope.rows.where(child.table, rel.referencingColumn, id))
      assign(scope, child, String(childRow[child.primaryId]), ownerId, {});
  }
}

/** Tables whose rows go with the record they point at (notes, activities, parties, values). */
const goesWithParent = new Set(["annotation", "email", "activityparty", "environmentvariablevalue"]);

/** Deletes a record; parental children go too, referential links are removed. */
export function deleteRecord(scope: WriteScope, meta: EntityMeta, id: string): void {
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  scope.security.assertTablePrivilege(scope.caller, meta, "delete");
  scope.security.assertRow(scope.caller, meta, row, "delete");
  scope.rows.transaction(() => cascadeDelete(scope, meta, id));
}

function cascadeDelete(scope: WriteScope, meta: EntityMeta, id: string): void {
  for (const child of allEntities()) {
    for (const column of child.table.columns.filter(isReference)) {
      if (column.type === "owner" || platformColumns.has(column.logicalName)) continue;
      if (column.type !== "customer" && !(column.targets ?? []).includes(meta.name)) continue;
      const declared = catalog().relationships.find(
        (r) => r.referencingTable === child.name && r.referencingColumn === column.logicalName && r.referencedTable === meta.name,
      );
      const children = scope.rows.where(child.table, column.logicalName, id).filter((r) => r[targetColumnOf(column)] === meta.name);
      for (const childRow of children) {
        const childId = String(childRow[child.primaryId]);
        if ((declared && cascadeActions(declared).delete === "Cascade") || goesWithParent.has(child.name))
          cascadeDelete(scope, child, childId);
        else scope.rows.update(child.table, childId, { [column.logicalName]: null, [targetColumnOf(column)]: null });
      }
    }
  }
  scope.rows.delete(meta.table, id);
}
