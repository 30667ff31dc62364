import { v5 as uuidv5 } from "uuid";
import type { PrivilegeDepth } from "../../src/model/privileges";
import { catalog, type InstalledRole } from "../install/catalog";
import { customTablePrivileges, platformPrivileges } from "../install/platformPrivileges";
import { applicationUserId, type SandboxUser } from "../seed/people";
import { targetColumnOf } from "../store/columns";
import type { Row, RowStore, SharePrincipal } from "../store/rows";
import { DataverseCode, DataverseError } from "./errors";
import { entityByName, type EntityMeta } from "./metadata";

/**
 * Who calls: a seeded Dynamics user; an application user (the retention job, signed in with client
 * credentials: Dataverse's application user `applicationUserId`, whose roles decide like anyone's);
 * or the platform itself (the seed), which Dataverse never checks.
 */
export type Caller =
  { readonly kind: "user"; readonly user: SandboxUser } | { readonly kind: "app"; readonly appId: string } | { readonly kind: "system" };

/** The eight table privileges' verbs (`prv<Verb><table>`). */
export type Verb = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo" | "Assign" | "Share";

/** Dataverse's AccessRights flags (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/accessrights). */
export const AccessRights = {
  ReadAccess: 1,
  WriteAccess: 2,
  AppendAccess: 4,
  AppendToAccess: 16,
  CreateAccess: 32,
  DeleteAccess: 65536,
  ShareAccess: 262144,
  AssignAccess: 524288,
} as const;
export type AccessRightName = keyof typeof AccessRights;

const rightOf: Readonly<Record<Verb, AccessRightName>> = {
  Create: "CreateAccess",
  Read: "ReadAccess",
  Write: "WriteAccess",
  Delete: "DeleteAccess",
  Append: "AppendAccess",
  AppendTo: "AppendToAccess",
  Assign: "AssignAccess",
  Share: "ShareAccess",
};

/**
 * Tables the platform writes itself (the import, the seed): readable as in Dataverse, changed by
 * nobody through the Web API. The intersect tables say who holds which role and who is in which team.
 */
const platformOwned = new Set([
  "solution",
  "role",
  "savedquery",
  "systemform",
  "systemuserroles",
  "teammembership",
  "teamroles",
  "fieldsecurityprofile",
  "fieldpermission",
  "systemuserprofiles",
  "teamprofiles",
]);

/** What a caller may do with one secured column. */
export interface FieldAccess {
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
}

const fullAccess: FieldAccess = { read: true, create: true, update: true };

/**
 * Business-owned tables: a row belongs to the business unit it names (a business unit to itself).
 * Their privileges are Local, Deep or Global ("Allowed Scope: Local, Deep, Global" in the old per-table
 * privilege pages, e.g. https://learn.microsoft.com/previous-versions/ms914661(v=msdn.10) for roles).
 */
const businessOwned = new Set(["systemuser", "team", "role", "businessunit"]);

/**
 * Child tables without privileges of their own, which "inherit security from a parent"
 * (EntityMetadata.IsChildEntity: https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/gg307537(v=crm.7);
 * ActivityParty is one): a party is read through its activity.
 */
const childTables: Readonly<Record<string, { readonly column: string; readonly parent: string }>> = {
  activityparty: { column: "activityid", parent: "email" },
};

/**
 * Tables guarded by another table's privileges. An environment variable value has none of its own
 * (sandbox/install/platformPrivileges.ts); values are read, and written, through their definition's.
 */
const privilegesOfTable: Readonly<Record<string, string>> = { environmentvariablevalue: "environmentvariabledefinition" };

const depthRank: Readonly<Record<PrivilegeDepth, number>> = { user: 1, businessUnit: 2, parentChild: 3, organization: 4 };
const depthName: Readonly<Record<PrivilegeDepth, string>> = {
  user: "Basic",
  businessUnit: "Local",
  parentChild: "Deep",
  organization: "Global",
};

/** The privileges' namespace for their sandbox ids (a real organization's ids differ; the messages carry them). */
const privilegeNamespace = "4b0c1f2e-7d3a-4e5b-9c8d-1a2b3c4d5e6f";

/** One role's grant of a privilege: its depth, measured from the business unit of the role copy that grants it. */
interface Grant {
  readonly depth: PrivilegeDepth;
  readonly unit: string;
}

/** What a user or a team may do, from the roles they hold and the roles of the teams they are in. */
export interface AccessContext {
  readonly principal: SharePrincipal;
  readonly businessUnitId: string;
  /** The principal and every team it is a member of: who a record can be owned by or shared with for it. */
  readonly principals: ReadonlySet<string>;
  readonly roleCount: number;
  readonly privilegeCount: number;
  /** Privilege name (lower case) → the grants of it. */
  readonly grants: ReadonlyMap<string, readonly Grant[]>;
  /** Grants of every privilege (System Administrator). */
  readonly everything: readonly Grant[];
}

/** Where a row sits for access checks: its owner (user or team) and business unit, and who it is shared with. */
interface RowPlace {
  readonly ownerId?: string;
  readonly ownerType?: string;
  readonly unit?: string;
}

/**
 * Record-level access as Dataverse computes it. A caller's privilege for (table, verb) is the best
 * depth over all their roles and their teams' roles; each role is a business unit's copy, and its
 * depth counts from that unit (a user holds their own unit's copy, a team its unit's). Depths
 * (https://learn.microsoft.com/power-platform/admin/security-roles-privileges, access levels):
 * user (Basic) reaches rows the caller owns, rows owned by a team they are in, and rows shared with
 * them or one of their teams with the right in question; business unit (Local) rows of the unit;
 * parent: child (Deep) the unit and the units below it; organization (Global) all rows. A role's
 * Basic team privileges reach the member's own rows too: the product's roles carry
 * isinherited 1, "Direct User (Basic) access level and Team privileges" (solution/roleXml.ts).
 * Organization-owned tables have no owner: holding the privilege reaches every row.
 *
 * No privilege at all is Dataverse's privilege error (0x80040220); a privilege that does not reach
 * the row is its access error (0x80048306); both 403. Reads filter rows silently.
 * Inherited access to a child row for the owner of its parent (through a relationship whose
 * Reparent cascades) is not modelled: the sandbox is stricter there than Dataverse, whose
 * RetrieveAccessOrigin names it ("PrincipalId is owner of a parent entity of object",
 * https://learn.microsoft.com/power-apps/developer/data-platform/security-sharing-assigning#determine-why-a-user-has-access).
 */
export class Security {
  private readonly contexts = new WeakMap<Caller, AccessContext | null>();
  private readonly profiles = new WeakMap<Caller, ReadonlySet<string>>();

  constructor(private readonly rows: RowStore) {}

  /** The systemuserid a caller acts as (the application user for the retention job). */
  callerId(caller: Caller): string {
    if (caller.kind === "user") return caller.user.id;
    return applicationUserId;
  }

  /** The caller's access, computed once per caller object (one request). `null` for the platform itself. */
  contextOf(caller: Caller): AccessContext | null {
    if (caller.kind === "system") return null;
    let context = this.contexts.get(caller);
    if (context === undefined) {
      context = this.principalContext({ id: this.callerId(caller), type: "systemuser" });
      this.contexts.set(caller, context);
    }
    return context;
  }

  /** The access of any user or team (a new owner, a grantee), as `contextOf` computes a caller's. */
  principalContext(principal: SharePrincipal): AccessContext {
    const id = principal.id.toLowerCase();
    const teamIds =
      principal.type === "team"
        ? [id]
        : this.rows.where(this.table("teammembership"), "systemuserid", id).map((m) => String(m.teamid).toLowerCase());
    const roleIds = [
      ...(principal.type === "systemuser"
        ? this.rows.where(this.table("systemuserroles"), "systemuserid", id).map((r) => String(r.roleid))
        : []),
      ...teamIds.flatMap((t) => this.rows.where(this.table("teamroles"), "teamid", t).map((r) => String(r.roleid))),
    ];
    const grants = new Map<string, Grant[]>();
    const everything: Grant[] = [];
    let privilegeCount = 0;
    for (const roleId of roleIds) {
      const copy = this.rows.get(this.table("role"), roleId);
      if (!copy) continue;
      const root = rootRole(String(copy.parentrootroleid ?? copy.roleid));
      if (!root) continue;
      const unit = String(copy.businessunitid ?? "");
      if (root.everyPrivilege) everything.push({ depth: "organization", unit });
      for (const p of root.privileges) {
        const key = p.name.toLowerCase();
        grants.set(key, [...(grants.get(key) ?? []), { depth: p.depth, unit }]);
        privilegeCount++;
      }
    }
    const owner = principal.type === "team" ? this.rows.get(this.table("team"), id) : this.rows.get(this.table("systemuser"), id);
    return {
      principal: { id, type: principal.type },
      businessUnitId: String(owner?.businessunitid ?? ""),
      principals: new Set([id, ...teamIds]),
      roleCount: roleIds.length,
      privilegeCount: everything.length > 0 ? knownPrivilegeCount() : privilegeCount,
      grants,
      everything,
    };
  }

  /** The name of a table's privilege for a verb, or undefined for a table that has none. */
  privilegeName(meta: EntityMeta, verb: Verb): string | undefined {
    const tableName = privilegesOfTable[meta.name] ?? meta.name;
    const table = tableName === meta.name ? meta.table : entityByName(tableName)?.table;
    if (!table) return undefined;
    if (!table.systemTable) return `prv${verb}${table.schemaName}`;
    const base = platformBases().get(tableName);
    return base ? `prv${verb}${base}` : undefined;
  }

  /** The grants a context holds of a table's privilege (empty when it holds none). */
  private grantsOf(context: AccessContext, meta: EntityMeta, verb: Verb): readonly Grant[] {
    const name = this.privilegeName(meta, verb);
    if (!name) return [];
    return [...context.everything, ...(context.grants.get(name.toLowerCase()) ?? [])];
  }

  /** Whether the table has privileges at all (child tables and some platform tables have none). */
  hasPrivileges(meta: EntityMeta): boolean {
    return this.privilegeName(meta, "Read") !== undefined;
  }

  /** Whether the caller holds the table's privilege for the verb at any depth. */
  hasPrivilege(caller: Caller, meta: EntityMeta, verb: Verb): boolean {
    const context = this.contextOf(caller);
    if (!context) return true;
    if (verb !== "Read" && platformOwned.has(meta.name)) return false;
    if (!this.hasPrivileges(meta)) return true;
    return this.grantsOf(context, meta, verb).length > 0;
  }

  /** Throws Dataverse's privilege error when the caller holds no privilege for the verb on the table. */
  assertPrivilege(caller: Caller, meta: EntityMeta, verb: Verb): void {
    if (this.hasPrivilege(caller, meta, verb)) return;
    const context = this.contextOf(caller) as AccessContext;
    throw this.privilegeError(context, meta, verb);
  }

  /** Whether the caller's privilege for the verb reaches this row (privilege held and depth, ownership or share enough). */
  canAccess(caller: Caller, meta: EntityMeta, row: Row, verb: Verb): boolean {
    const context = this.contextOf(caller);
    if (!context) return true;
    return this.reaches(context, meta, row, verb);
  }

  /** Whether a user's or team's access (not a caller's) reaches this row for the verb. */
  reaches(context: AccessContext, meta: EntityMeta, row: Row, verb: Verb): boolean {
    if (verb !== "Read" && platformOwned.has(meta.name)) return false;
    const child = childTables[meta.name];
    if (child) {
      const parentMeta = entityByName(child.parent);
      const id = row[child.column];
      const parent = parentMeta && typeof id === "string" ? this.rows.get(parentMeta.table, id) : undefined;
      return !!parentMeta && !!parent && this.reaches(context, parentMeta, parent, verb === "Read" ? "Read" : "Write");
    }
    if (!this.hasPrivileges(meta)) return true;
    const grants = this.grantsOf(context, meta, verb);
    if (grants.length === 0) return false;
    const place = this.placeOf(meta, row);
    if (place === "organization") return true;
    if (grants.some((g) => this.depthReaches(context, g, place))) return true;
    // Basic at least: owned by the principal or one of its teams, or shared with either with this right.
    if (place.ownerId && context.principals.has(place.ownerId)) return true;
    if (meta.name === "systemuser" && context.principals.has(String(row.systemuserid).toLowerCase())) return true;
    if (meta.name === "team" && context.principals.has(String(row.teamid).toLowerCase())) return true;
    const right = AccessRights[rightOf[verb]];
    return this.rows
      .shares(meta.name, String(row[meta.primaryId]))
      .some((s) => context.principals.has(s.principalid) && (s.accessmask & right) !== 0);
  }

  /** Whether a row owned by `owner` (a user or a team, in its business unit) would be within the context's reach for the verb. */
  reachesOwnedBy(context: AccessContext, meta: EntityMeta, verb: Verb, owner: SharePrincipal): boolean {
    const unit = this.businessUnitOf(owner);
    const row: Row = { ownerid: owner.id, ownerid__table: owner.type, owningbusinessunit: unit };
    if (!meta.columns.has("ownerid")) return this.hasPrivileges(meta) ? this.grantsOf(context, meta, verb).length > 0 : true;
    const grants = this.grantsOf(context, meta, verb);
    if (grants.length === 0) return false;
    if (context.principals.has(owner.id.toLowerCase())) return true;
    const place = this.placeOf(meta, row);
    return place === "organization" || grants.some((g) => this.depthReaches(context, g, place));
  }

  /** Throws the access error (or the privilege error, when no privilege at all) unless the caller's privilege reaches the row. */
  assertRow(caller: Caller, meta: EntityMeta, row: Row, verb: Verb): void {
    const context = this.contextOf(caller);
    if (!context) return;
    this.assertPrivilege(caller, meta, verb);
    if (this.reaches(context, meta, row, verb)) return;
    throw this.accessError(context, meta, row, rightOf[verb]);
  }

  /**
   * A new owner, or a grantee, must be able to read the table: "Create a record and be the record
   * owner: CREATE, READ … Share a record: … READ … required … also by the person with whom the record
   * is being shared" (https://learn.microsoft.com/power-apps/developer/data-platform/security-access-rights#dependencies-between-access-rights);
   * assigning a parent fails when the new owner cannot read a child table the assign cascades to
   * (https://crmtipoftheday.com/197/dont-forget-the-cascading). The error is the security library's
   * privilege check of that principal (message shape: https://learn.microsoft.com/dynamics365/supply-chain/supply-chain-dev/approvals-management-faq,
   * "SecLib::CheckPrivilege failed. User: …, PrivilegeName: …, Required Depth: Basic, …").
   */
  assertPrincipalCanRead(principal: SharePrincipal, meta: EntityMeta): void {
    if (!this.hasPrivileges(meta)) return;
    const context = this.principalContext(principal);
    if (this.grantsOf(context, meta, "Read").length > 0) return;
    const name = this.privilegeName(meta, "Read") as string;
    throw new DataverseError(
      403,
      DataverseCode.privilege,
      `SecLib::CheckPrivilege failed. User: ${context.principal.id}, PrivilegeName: ${name}, PrivilegeId: ${privilegeId(name)}, Required Depth: Basic, BusinessUnitId: ${context.businessUnitId}, MetadataCache Privileges Count: ${knownPrivilegeCount()}, User Privileges Count: ${context.privilegeCount}`,
    );
  }

  /** The business unit a user or team sits in (where the rows it owns belong). */
  businessUnitOf(owner: SharePrincipal): string | null {
    const row = owner.type === "team" ? this.rows.get(this.table("team"), owner.id) : this.rows.get(this.table("systemuser"), owner.id);
    return (row?.businessunitid as string | undefined) ?? null;
  }

  /**
   * The access error for a row the caller's privilege does not reach: "Principal with id <guid> does
   * not have CreateAccess right(s) for record with id <guid> of entity ____", error code -2147187962
   * (0x80048306), "a privilege check passed, but the subsequent access check failed"
   * (https://learn.microsoft.com/troubleshoot/power-platform/dataverse/user-permissions/client-errors).
   * Older versions wrote the same check as "SecLib::AccessCheckEx failed. Returned hr = -2147187962, …".
   */
  accessError(context: AccessContext, meta: EntityMeta, row: Row, right: AccessRightName): DataverseError {
    return new DataverseError(
      403,
      DataverseCode.accessDenied,
      `Principal with id ${context.principal.id} does not have ${right} right(s) for record with id ${String(row[meta.primaryId] ?? "")} of entity ${meta.name}`,
    );
  }

  /** The privilege error: "Principal user (Id=…, type=8, roleCount=…, privilegeCount=…, accessMode=0), is missing prv… privilege (Id=…) on OTC=… for entity '…'." */
  privilegeError(context: AccessContext, meta: EntityMeta, verb: Verb): DataverseError {
    // Shape: https://learn.microsoft.com/dynamics365/customer-service/administer/faq-case-management
    // (Principal user (Id= <GUID>, type=8, roleCount=5, privilegeCount=465, accessMode=0), is missing prvReadincident
    // privilege (Id=<GUID>) on OTC=112 for entity 'incident'. context.Caller=<GUID>).
    const name = this.privilegeName(meta, verb) ?? `prv${verb}${meta.table.schemaName}`;
    return new DataverseError(
      403,
      DataverseCode.privilege,
      `Principal user (Id=${context.principal.id}, type=${context.principal.type === "team" ? 9 : 8}, roleCount=${context.roleCount}, privilegeCount=${context.privilegeCount}, accessMode=0), is missing ${name} privilege (Id=${privilegeId(name)}) on OTC=${objectTypeCode(meta)} for entity '${meta.name}'. context.Caller=${context.principal.id}`,
    );
  }

  /** Where a row sits: organization-wide, or its owner and owning business unit. */
  private placeOf(meta: EntityMeta, row: Row): RowPlace | "organization" {
    if (meta.columns.has("ownerid")) {
      return {
        ownerId: typeof row.ownerid === "string" ? row.ownerid.toLowerCase() : undefined,
        ownerType: typeof row.ownerid__table === "string" ? row.ownerid__table : undefined,
        unit:
          (row.owningbusinessunit as string | undefined) ??
          this.businessUnitOf({ id: String(row.ownerid ?? ""), type: row.ownerid__table === "team" ? "team" : "systemuser" }) ??
          undefined,
      };
    }
    if (businessOwned.has(meta.name)) return { unit: String(row.businessunitid ?? "") };
    return "organization";
  }

  /** Whether a grant's depth, counted from its role copy's business unit, reaches a row's business unit. */
  private depthReaches(context: AccessContext, grant: Grant, place: RowPlace): boolean {
    switch (grant.depth) {
      case "organization":
        return true;
      case "parentChild":
        return !!place.unit && this.unitsBelow(grant.unit).has(place.unit);
      case "businessUnit":
        return !!place.unit && place.unit === grant.unit;
      case "user":
        return !!place.ownerId && context.principals.has(place.ownerId);
    }
  }

  /** A business unit and every unit below it (parentbusinessunitid). */
  unitsBelow(unit: string): Set<string> {
    const all = this.rows.all(this.table("businessunit"));
    const found = new Set([unit]);
    for (let grew = true; grew;) {
      grew = false;
      for (const u of all) {
        const id = String(u.businessunitid);
        if (!found.has(id) && typeof u.parentbusinessunitid === "string" && found.has(u.parentbusinessunitid)) {
          found.add(id);
          grew = true;
        }
      }
    }
    return found;
  }

  /**
   * Column security as Dataverse applies it
   * (https://learn.microsoft.com/power-platform/admin/field-level-security): a secured column is
   * reached only through a field security profile the caller is in, directly
   * (`systemuserprofiles`) or through a team (`teamprofiles`), each permission adding read, create
   * or update; System Administrators bypass profiles, and so does the platform itself.
   */
  fieldAccess(caller: Caller, table: string, column: string): FieldAccess {
    const context = this.contextOf(caller);
    if (!context || context.everything.length > 0) return fullAccess;
    const mine = this.profilesOf(caller, context);
    let read = false;
    let create = false;
    let update = false;
    for (const profile of catalog().fieldSecurityProfiles) {
      if (!mine.has(profile.id)) continue;
      for (const p of profile.permissions) {
        if (p.table !== table || p.column !== column) continue;
        read ||= p.read;
        create ||= p.create;
        update ||= p.update;
      }
    }
    return { read, create, update };
  }

  /**
   * The row as the caller may see it: every secured column they cannot read is null, silently, as
   * Dataverse returns it. `$filter` and `$orderby` see the same values, so a condition on a column
   * the caller cannot read matches only as null does (Dataverse's behaviour there is not
   * documented; this is the reading that gives nothing away).
   */
  visibleRow(caller: Caller, meta: EntityMeta, row: Row): Row {
    let out: Row | undefined;
    for (const column of meta.table.columns) {
      if (!column.secured || row[column.logicalName] === null || row[column.logicalName] === undefined) continue;
      if (this.fieldAccess(caller, meta.name, column.logicalName).read) continue;
      out ??= { ...row };
      out[column.logicalName] = null;
    }
    return out ?? row;
  }

  /**
   * Refuses a create that sets a secured column (to a value) or an update that sets one (to
   * anything, null included) without the profile's create or update permission, with Dataverse's
   * error. Field security cannot stop a value the caller may create; what the product trusts is
   * therefore written only by the profiles' members.
   */
  assertFieldWrites(caller: Caller, meta: EntityMeta, changes: Row, kind: "create" | "update"): void {
    for (const column of meta.table.columns) {
      if (!column.secured || !(column.logicalName in changes)) continue;
      if (kind === "create" && (changes[column.logicalName] === null || changes[column.logicalName] === undefined)) continue;
      const access = this.fieldAccess(caller, meta.name, column.logicalName);
      if (kind === "create" && !access.create) {
        throw new DataverseError(
          403,
          DataverseCode.securedCreate,
          `The user does not have create permissions to a secured field. The requested operation could not be completed. (${meta.name}.${column.logicalName})`,
        );
      }
      if (kind === "update" && !access.update) {
        throw new DataverseError(
          403,
          DataverseCode.securedUpdate,
          `The user doesn't have AttributePrivilegeUpdate and not granted shared access for a secured attribute during update operation (${meta.name}.${column.logicalName})`,
        );
      }
    }
  }

  private profilesOf(caller: Caller, context: AccessContext): ReadonlySet<string> {
    let found = this.profiles.get(caller);
    if (!found) {
      const ids = new Set<string>();
      const users = this.rows.where(this.table("systemuserprofiles"), "systemuserid", context.principal.id);
      for (const r of users) ids.add(String(r.fieldsecurityprofileid).toLowerCase());
      for (const team of context.principals) {
        if (team === context.principal.id) continue;
        for (const r of this.rows.where(this.table("teamprofiles"), "teamid", team))
          ids.add(String(r.fieldsecurityprofileid).toLowerCase());
      }
      found = ids;
      this.profiles.set(caller, found);
    }
    return found;
  }

  /** The best depth a caller holds for a table's verb (for messages and tests); undefined without the privilege. */
  bestDepth(caller: Caller, meta: EntityMeta, verb: Verb): PrivilegeDepth | undefined {
    const context = this.contextOf(caller);
    if (!context) return "organization";
    const grants = this.grantsOf(context, meta, verb);
    return grants.reduce<PrivilegeDepth | undefined>(
      (best, g) => (!best || depthRank[g.depth] > depthRank[best] ? g.depth : best),
      undefined,
    );
  }

  private table(name: string) {
    const meta = entityByName(name);
    if (!meta) throw new Error(`The organization has no table "${name}".`);
    return meta.table;
  }
}

/** The role an imported or platform role copy descends from (its privileges are the root's). */
function rootRole(id: string): InstalledRole | undefined {
  const key = id.replace(/[{}]/g, "").toLowerCase();
  return catalog().roles.find((r) => r.id.replace(/[{}]/g, "").toLowerCase() === key);
}

let bases: Map<string, string> | undefined;
/** Table → the base of its platform privilege names (`annotation` → `Note`), from platformPrivileges.ts. */
function platformBases(): Map<string, string> {
  if (bases) return bases;
  bases = new Map();
  for (const p of platformPrivileges) {
    const base = /^prv(?:Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(.+)$/.exec(p.name)?.[1];
    if (base && !bases.has(p.table)) bases.set(p.table, base);
  }
  return bases;
}

/** How many privileges the organization has (the messages' "MetadataCache Privileges Count"). */
function knownPrivilegeCount(): number {
  const custom = catalog()
    .tables.filter((t) => !t.systemTable)
    .flatMap((t) => customTablePrivileges(t.schemaName, t.ownership));
  return platformPrivileges.length + custom.length;
}

/** A privilege's id in the sandbox: derived from its name (each organization has its own). */
function privilegeId(name: string): string {
  return uuidv5(name.toLowerCase(), privilegeNamespace);
}

/**
 * Object type codes of Microsoft's tables that have a fixed one (each table's reference page lists its
 * ObjectTypeCode; incident's 112 is in the privilege error quoted above). Other tables get one from
 * 10000 up, as Dataverse gives custom tables, in the order the organization has them.
 */
const objectTypeCodes: Readonly<Record<string, number>> = {
  account: 1,
  contact: 2,
  annotation: 5,
  systemuser: 8,
  team: 9,
  businessunit: 10,
  incident: 112,
  activityparty: 135,
  systemform: 1030,
  role: 1036,
  savedquery: 1039,
  queue: 2020,
  email: 4202,
  solution: 7100,
};

function objectTypeCode(meta: EntityMeta): number {
  const known = objectTypeCodes[meta.name];
  if (known !== undefined) return known;
  const others = catalog().tables.filter((t) => objectTypeCodes[t.logicalName] === undefined);
  return (
    10000 +
    Math.max(
      others.findIndex((t) => t.logicalName === meta.name),
      0,
    )
  );
}

/** `ReadAccess, WriteAccess` (OData enum flags, as the Web API writes them) or a number → the mask. */
export function parseAccessMask(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  if (typeof value !== "string") return undefined;
  let mask = 0;
  for (const part of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const bit = (AccessRights as Record<string, number>)[part];
    if (bit === undefined) return undefined;
    mask |= bit;
  }
  return mask || undefined;
}

export { depthName, targetColumnOf };
