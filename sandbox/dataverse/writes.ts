import { createHash, randomUUID } from "node:crypto";
import { cascadeActions, IncidentState, type CascadeBehavior, type ColumnDef, type RelationshipDef } from "../../src/model";
import { catalog } from "../install/catalog";
import type { SandboxClock } from "../context";
import { isReference, targetColumnOf } from "../store/columns";
import type { Row, RowStore, SharePrincipal } from "../store/rows";
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

/** A lookup a request sets (`x@odata.bind`), or the parent link of a deep-inserted row: Append on the row, AppendTo on the target. */
interface Bind {
  readonly column: string;
  readonly target: EntityMeta;
  readonly id: string;
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

/** A rollup column, or the `_date` or `_state` column Dataverse keeps beside one. */
function isRollupColumn(meta: EntityMeta, name: string): boolean {
  const base = name.replace(/_(date|state)$/, "");
  return meta.columns.get(name)?.rollup !== undefined || (base !== name && meta.columns.get(base)?.rollup !== undefined);
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
): { changes: Row; deep: DeepInsert[]; binds: Bind[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.", DataverseCode.badProperty);
  const changes: Row = {};
  const deep: DeepInsert[] = [];
  const binds: Bind[] = [];
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
      // An owner is a user or a team: `ownerid@odata.bind` takes "/systemusers(<id>)" or "/teams(<id>)".
      const ownerTeam = nav.column.type === "owner" && ref !== undefined && entityBySet(ref.set)?.name === "team";
      const target = ownerTeam ? entityByName("team") : entityByName(nav.target);
      if (!ref || !target || entityBySet(ref.set) !== target) {
        throw badRequest(
          `The value '${String(value)}' of '${key}' is not a reference to a ${nav.target} record (/${target?.setName}(<id>)).`,
          DataverseCode.badProperty,
        );
      }
      if (!scope.rows.get(target.table, ref.id)) throw notFound(target.name, ref.id);
      changes[nav.column.logicalName] = ref.id;
      changes[targetColumnOf(nav.column)] = target.name;
      if (nav.column.type !== "owner") binds.push({ column: nav.column.logicalName, target, id: ref.id });
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
    // The platform's columns, and rollup columns with their date and state, are the platform's to
    // write: a value sent for one is left out, as Dataverse leaves out what is not valid for update.
    if (platformColumns.has(key) || isRollupColumn(meta, key)) continue;
    changes[key] = convert(meta, column, value);
  }
  return { changes, deep, binds };
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

/** The owner a row names: a user or a team. */
function ownerOf(row: Row): SharePrincipal {
  return { id: String(row.ownerid), type: row.ownerid__table === "team" ? "team" : "systemuser" };
}

/**
 * Creates a record (and any deep-inserted children); returns its id. Needs Create on the table, at
 * a depth that reaches the record as it will be owned: a caller with Basic Create creates only their
 * own rows, one who creates a row for a user of another business unit needs the depth that reaches
 * that unit (as Microsoft writes for notifications: "Create privilege with Local, Deep, or Global
 * access level on the app notification table based on the receiving user's business unit",
 * https://learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/send-in-app-notifications#managing-security-for-notifications).
 * The owner must be able to read the table ("Create a record and be the record owner: CREATE, READ",
 * https://learn.microsoft.com/power-apps/developer/data-platform/security-access-rights#dependencies-between-access-rights).
 * Each lookup set needs Append on the new row and AppendTo on the row it points at.
 */
export function createRecord(scope: WriteScope, meta: EntityMeta, body: unknown): string {
  scope.security.assertPrivilege(scope.caller, meta, "Create");
  return scope.rows.transaction(() => insert(scope, meta, body));
}

/** Append on the row (at a depth reaching it) and AppendTo on each target row (at a depth reaching that one). */
function assertBinds(scope: WriteScope, meta: EntityMeta, row: Row, binds: readonly Bind[]): void {
  const context = scope.security.contextOf(scope.caller);
  if (!context || binds.length === 0 || !scope.security.hasPrivileges(meta)) return;
  scope.security.assertPrivilege(scope.caller, meta, "Append");
  if (!scope.security.reaches(context, meta, row, "Append")) throw scope.security.accessError(context, meta, row, "AppendAccess");
  for (const bind of binds) {
    const target = scope.rows.get(bind.target.table, bind.id);
    if (target) scope.security.assertRow(scope.caller, bind.target, target, "AppendTo");
  }
}

/** The relationships through which an action on `table`'s rows reaches child rows, with how it cascades. */
function cascadingChildren(table: string, action: "assign" | "share"): { rel: RelationshipDef; behavior: CascadeBehavior }[] {
  return catalog()
    .relationships.filter((r) => r.referencedTable === table)
    .map((rel) => ({ rel, behavior: cascadeActions(rel)[action] }))
    .filter(({ behavior }) => behavior === "Cascade" || behavior === "Active" || behavior === "UserOwned");
}

/** Whether a child row takes part in a cascade: all, active ones, or those owned by the parent's owner. */
function cascadesTo(behavior: CascadeBehavior, child: Row, parentOwner: unknown): boolean {
  if (behavior === "Active") return child.statecode === undefined || child.statecode === 0;
  if (behavior === "UserOwned") return child.ownerid === parentOwner;
  return true;
}

/**
 * A new row under a shared parent inherits the parent's shares where Share cascades: "If a record is
 * created and the parent record has certain sharing properties, the new record inherits those
 * properties" (https://learn.microsoft.com/power-apps/developer/data-platform/security-sharing-assigning#sharing-and-inheritance).
 */
function inheritShares(scope: WriteScope, meta: EntityMeta, row: Row): void {
  const id = String(row[meta.primaryId]);
  for (const rel of catalog().relationships.filter((r) => r.referencingTable === meta.name)) {
    const behavior = cascadeActions(rel).share;
    const parentId = row[rel.referencingColumn];
    if (typeof parentId !== "string" || !(behavior === "Cascade" || behavior === "Active" || behavior === "UserOwned")) continue;
    for (const share of scope.rows.shares(rel.referencedTable, parentId)) {
      const source = share.source || `${rel.referencedTable}:${parentId.toLowerCase()}`;
      scope.rows.share(meta.name, id, { id: share.principalid, type: share.principaltype }, share.accessmask, source);
    }
  }
}

function insert(scope: WriteScope, meta: EntityMeta, body: unknown, parent?: { column: string; table: string; id: string }): string {
  const { changes, deep, binds } = changesFromBody(scope, meta, body, true);
  scope.security.assertFieldWrites(scope.caller, meta, changes, "create");
  const id = (changes[meta.primaryId] as string | undefined) ?? randomUUID();
  if (scope.rows.get(meta.table, id)) {
    // A create whose primary key is taken: DuplicateRecord, 412, with the message Dataverse gives
    // a primary-key collision (an upsert with If-None-Match: * says "A record with matching key
    // values already exists." instead, see routes.ts).
    throw new DataverseError(412, DataverseCode.duplicate, "Cannot insert duplicate key.");
  }
  const now = dataverseDate(scope.clock.now());
  const row: Row = { ...changes, [meta.primaryId]: id };
  const allBinds = [...binds];
  if (parent) {
    row[parent.column] = parent.id;
    const column = meta.columns.get(parent.column);
    if (column) row[targetColumnOf(column)] = parent.table;
    const parentMeta = entityByName(parent.table);
    if (parentMeta) allBinds.push({ column: parent.column, target: parentMeta, id: parent.id });
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
  if (meta.columns.has("overriddencreatedon") && typeof row.overriddencreatedon === "string") {
    // A migration's creation date: Dataverse puts the given date in createdon and keeps the real
    // instant of the create in overriddencreatedon.
    row.createdon = row.overriddencreatedon;
    row.overriddencreatedon = now;
  }
  if (meta.columns.has("modifiedon")) row.modifiedon = now;
  if (meta.columns.has("createdby")) Object.assign(row, { createdby: byId, createdby__table: "systemuser" });
  if (meta.columns.has("modifiedby")) Object.assign(row, { modifiedby: byId, modifiedby__table: "systemuser" });
  if (meta.columns.has("ownerid")) {
    if (!row.ownerid) Object.assign(row, { ownerid: byId, ownerid__table: "systemuser" });
    if (meta.columns.has("owningbusinessunit"))
      Object.assign(row, {
        owningbusinessunit: scope.security.businessUnitOf(ownerOf(row)),
        owningbusinessunit__table: "businessunit",
      });
  }
  const context = scope.security.contextOf(scope.caller);
  if (context && scope.security.hasPrivileges(meta)) {
    if (parent) scope.security.assertPrivilege(scope.caller, meta, "Create");
    if (meta.columns.has("ownerid")) {
      if (!scope.security.reachesOwnedBy(context, meta, "Create", ownerOf(row)))
        throw scope.security.accessError(context, meta, row, "CreateAccess");
      scope.security.assertPrincipalCanRead(ownerOf(row), meta);
    }
    assertBinds(scope, meta, row, allBinds);
  }
  if (meta.name === "annotation" && row.objectid__table) row.objecttypecode = row.objectid__table;
  if (meta.name === "incident" && !row.customerid) {
    throw new DataverseError(400, DataverseCode.required, "You should specify a parent contact or account.");
  }
  if (meta.name === "contact" && row.fullname === undefined) row.fullname = [row.firstname, row.lastname].filter(Boolean).join(" ");
  scope.rows.insert(meta.table, row);
  inheritShares(scope, meta, row);
  for (const child of deep) {
    const childMeta = entityByName(child.childTable);
    if (childMeta) insert(scope, childMeta, child.body, { column: child.childColumn, table: meta.name, id });
  }
  return id;
}

/**
 * Refuses changes to a resolved or cancelled case, as Dataverse does, except reactivating it: an
 * update of exactly `statecode` 0 and an active `statuscode` (a reactivation: Dataverse takes it as an update of state and status).
 */
function assertCaseOpen(meta: EntityMeta, row: Row, body?: unknown): void {
  if (meta.name !== "incident" || row.statecode === IncidentState.active) return;
  if (isReactivation(meta, body)) return;
  throw new DataverseError(
    400,
    DataverseCode.caseResolved,
    "This case has already been resolved. Close and reopen the case record to see the updates.",
  );
}

function isReactivation(meta: EntityMeta, body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort();
  if (keys.join(",") !== "statecode,statuscode" || b.statecode !== IncidentState.active) return false;
  const option = meta.columns.get("statuscode")?.choice?.options.find((o) => o.value === b.statuscode);
  return option !== undefined && (option.state ?? 0) === IncidentState.active;
}

/**
 * Updates a record. Needs Write at a depth reaching it; a new owner (`ownerid`) needs Assign too
 * ("Assign a record: ASSIGN, WRITE, READ", security-access-rights above), the new owner must be able
 * to read the table, and the assign cascades to children as each relationship says; lookups set need
 * Append on the row and AppendTo on their targets.
 */
export function updateRecord(scope: WriteScope, meta: EntityMeta, id: string, body: unknown): void {
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  scope.security.assertRow(scope.caller, meta, row, "Write");
  assertCaseOpen(meta, row, body);
  const { changes, binds } = changesFromBody(scope, meta, body, false);
  delete changes[meta.primaryId];
  scope.security.assertFieldWrites(scope.caller, meta, changes, "update");
  if (meta.name === "incident" && changes.statecode !== undefined && changes.statecode !== IncidentState.active) {
    throw new DataverseError(
      400,
      DataverseCode.invalidState,
      "This message can not be used to set the state of incident to Resolved. In order to set state of incident to Resolved, use the CloseIncidentRequest message instead.",
    );
  }
  const newOwner =
    typeof changes.ownerid === "string" &&
    (changes.ownerid !== row.ownerid || (changes.ownerid__table ?? "systemuser") !== row.ownerid__table)
      ? ownerOf(changes)
      : undefined;
  if (newOwner) scope.security.assertRow(scope.caller, meta, row, "Assign");
  assertBinds(scope, meta, row, binds);
  if (meta.columns.has("modifiedon")) changes.modifiedon = dataverseDate(scope.clock.now());
  if (meta.columns.has("modifiedby")) Object.assign(changes, { modifiedby: callerId(scope), modifiedby__table: "systemuser" });
  scope.rows.transaction(() => {
    if (newOwner) {
      assign(scope, meta, row, newOwner, changes);
    } else {
      delete changes.ownerid;
      delete changes.ownerid__table;
      scope.rows.update(meta.table, id, changes);
    }
    if (binds.some((b) => cascadingChildren(b.target.name, "share").some(({ rel }) => rel.referencingColumn === b.column))) {
      // Reparented under another shared parent: the shares inherited from the old one go, the new one's come.
      for (const share of scope.rows.shares(meta.name, id).filter((s) => s.source !== ""))
        scope.rows.unshare(meta.name, id, share.principalid, share.source);
      inheritShares(scope, meta, { ...row, ...changes });
    }
  });
}

/**
 * Assigns a record and, where a relationship's assign cascades, its children: Cascade all of them,
 * Active the active ones, UserOwned those the parent's previous owner owns
 * (https://learn.microsoft.com/power-apps/developer/data-platform/configure-entity-relationship-cascading-behavior).
 * The new owner must be able to read every table the assign reaches, else the whole assign fails
 * (https://crmtipoftheday.com/197/dont-forget-the-cascading). Whether the caller also needs
 * privileges on the children is not documented; the sandbox does not ask for them.
 */
function assign(scope: WriteScope, meta: EntityMeta, row: Row, owner: SharePrincipal, changes: Row): void {
  scope.security.assertPrincipalCanRead(owner, meta);
  const id = String(row[meta.primaryId]);
  if (meta.columns.has("owningbusinessunit"))
    Object.assign(changes, { owningbusinessunit: scope.security.businessUnitOf(owner), owningbusinessunit__table: "businessunit" });
  scope.rows.update(meta.table, id, { ...changes, ownerid: owner.id, ownerid__table: owner.type });
  for (const { rel, behavior } of cascadingChildren(meta.name, "assign")) {
    const child = entityByName(rel.referencingTable);
    if (!child) continue;
    for (const childRow of scope.rows.where(child.table, rel.referencingColumn, id)) {
      if (cascadesTo(behavior, childRow, row.ownerid)) assign(scope, child, childRow, owner, {});
    }
  }
}

/**
 * `GrantAccess`: shares a record with a user or a team, adding `mask` to what the principal holds
 * on it. The caller needs Share on the record and must be able to read it, the grantee must be able to
 * read the table (security-access-rights above). The share cascades to children where Share
 * cascades, but only to tables the caller may share ("if the caller does not have share privileges
 * for those object types or share rights to the objects, the child objects are not shared",
 * https://learn.microsoft.com/previous-versions/ms934403(v=msdn.10)).
 */
export function grantAccess(scope: WriteScope, meta: EntityMeta, row: Row, principal: SharePrincipal, mask: number): void {
  scope.security.assertRow(scope.caller, meta, row, "Read");
  scope.security.assertRow(scope.caller, meta, row, "Share");
  scope.security.assertPrincipalCanRead(principal, meta);
  scope.rows.transaction(() => {
    const root = `${meta.name}:${String(row[meta.primaryId]).toLowerCase()}`;
    scope.rows.share(meta.name, String(row[meta.primaryId]), principal, mask);
    shareChildren(scope, meta, row, principal, mask, root);
  });
}

function shareChildren(scope: WriteScope, meta: EntityMeta, row: Row, principal: SharePrincipal, mask: number, source: string): void {
  const id = String(row[meta.primaryId]);
  for (const { rel, behavior } of cascadingChildren(meta.name, "share")) {
    const child = entityByName(rel.referencingTable);
    if (!child) continue;
    for (const childRow of scope.rows.where(child.table, rel.referencingColumn, id)) {
      if (!cascadesTo(behavior, childRow, row.ownerid) || !scope.security.canAccess(scope.caller, child, childRow, "Share")) continue;
      scope.rows.share(child.name, String(childRow[child.primaryId]), principal, mask, source);
      shareChildren(scope, child, childRow, principal, mask, source);
    }
  }
}

/** `RevokeAccess`: removes a principal's share of a record and the shares its children inherited from it. */
export function revokeAccess(scope: WriteScope, meta: EntityMeta, row: Row, principalId: string): void {
  scope.security.assertRow(scope.caller, meta, row, "Share");
  const id = String(row[meta.primaryId]);
  scope.rows.transaction(() => {
    scope.rows.unshare(meta.name, id, principalId, "");
    for (const inherited of scope.rows.sharesFrom(`${meta.name}:${id.toLowerCase()}`, principalId))
      scope.rows.unshare(inherited.tablename, inherited.recordid, principalId, `${meta.name}:${id.toLowerCase()}`);
  });
}

/** Tables whose rows go with the record they point at (notes, activities, parties, values). */
const goesWithParent = new Set(["annotation", "email", "activityparty", "environmentvariablevalue"]);

/** Deletes a record; parental children go too, referential links are removed. */
export function deleteRecord(scope: WriteScope, meta: EntityMeta, id: string): void {
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  scope.security.assertRow(scope.caller, meta, row, "Delete");
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
  scope.rows.dropShares(meta.name, id);
}
