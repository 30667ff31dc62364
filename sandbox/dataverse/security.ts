import { tableByName } from "../install/catalog";
import type { SandboxUser } from "../seed/people";
import type { Row, RowStore } from "../store/rows";
import { DataverseCode, DataverseError } from "./errors";
import { entityByName, type EntityMeta } from "./metadata";

/** Who calls the Web API: a seeded Dynamics user, or an application user (the retention job), which acts as System Administrator. */
export type Caller = { readonly kind: "user"; readonly user: SandboxUser } | { readonly kind: "app"; readonly appId: string };

export type AccessRight = "read" | "write" | "create" | "delete" | "assign";

/** Tables whose rows the product's roles restrict row by row; every other table is organization-wide. */
const governed = new Set(["cfx_fileexchange", "cfx_exchangerecipient", "cfx_filereceipt", "cfx_hardwareticket"]);
/** Children that follow their parent exchange's access (parental relationship). */
const childOfExchange = new Set(["cfx_exchangerecipient", "cfx_filereceipt"]);
/** Tables the platform writes itself (at import): nobody changes them through the Web API. */
const platformOwned = new Set(["solution", "role", "savedquery", "systemform"]);
/** Tables only an administrator (or the platform) changes. */
const adminOnlyWrites = new Set([
  "environmentvariabledefinition",
  "environmentvariablevalue",
  "systemuser",
  "businessunit",
  "team",
  "queue",
]);

/**
 * Record-level access as DESIGN.md settles the roles. Agent: user level (owned, on a case they own,
 * or shared with them). Specialist: business unit (the row's owning unit, or the ticket it came
 * from). Supervisor: read everything, change nothing. Administrator and application users: all.
 */
export class Security {
  constructor(private readonly rows: RowStore) {}

  /** Throws Dataverse's privilege error when the caller's role lacks the right on the table at all. */
  assertTablePrivilege(caller: Caller, meta: EntityMeta, right: AccessRight): void {
    if (right !== "read" && caller.kind === "user" && platformOwned.has(meta.name)) throw privilegeError(caller.user, meta, right);
    if (caller.kind === "app" || caller.user.role === "administrator") return;
    if (right === "read") return;
    if (caller.user.role === "supervisor" || adminOnlyWrites.has(meta.name)) throw privilegeError(caller.user, meta, right);
  }

  /** Whether the caller may see (or change) this row. */
  canAccess(caller: Caller, meta: EntityMeta, row: Row, right: AccessRight): boolean {
    if (caller.kind === "app" || caller.user.role === "administrator") return true;
    const user = caller.user;
    if (right !== "read" && user.role === "supervisor") return false;
    if (meta.name === "appnotification") return row.ownerid === user.id;
    if (!governed.has(meta.name)) return true;
    if (user.role === "supervisor") return true;
    if (childOfExchange.has(meta.name)) {
      const exchange =
        typeof row.cfx_exchangeid === "string" ? this.rows.get(tableByName("cfx_fileexchange"), row.cfx_exchangeid) : undefined;
      return exchange !== undefined && this.canAccess(caller, entityOf("cfx_fileexchange"), exchange, right);
    }
    if (row.ownerid === user.id) return true;
    if (this.rows.sharedWith(meta.name, String(row[meta.primaryId])).includes(user.id)) return true;
    const caseRow = typeof row.cfx_caseid === "string" ? this.rows.get(tableByName("incident"), row.cfx_caseid) : undefined;
    if (user.role === "agent") {
      if (!caseRow) return false;
      return caseRow.ownerid === user.id || this.rows.sharedWith("incident", String(caseRow.incidentid)).includes(user.id);
    }
    // Specialist: business-unit depth.
    if (row.owningbusinessunit === user.businessUnitId) return true;
    if (meta.name === "cfx_fileexchange" && typeof row.cfx_hardwareticketid === "string") {
      const ticket = this.rows.get(tableByName("cfx_hardwareticket"), row.cfx_hardwareticketid);
      return ticket !== undefined && ticket.owningbusinessunit === user.businessUnitId;
    }
    return false;
  }

  assertRow(caller: Caller, meta: EntityMeta, row: Row, right: AccessRight): void {
    if (this.canAccess(caller, meta, row, right)) return;
    if (caller.kind === "app") return;
    throw new DataverseError(
      403,
      DataverseCode.privilege,
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${String(row[meta.primaryId])}, OwnerId: ${String(row.ownerid ?? "")}, OwnerIdType: 8 and CallingUser: ${caller.user.id}. ObjectTypeCode: ${meta.name}, objectBusinessUnitId: ${String(row.owningbusinessunit ?? "")}, AccessRights: ${accessRightName(right)}`,
    );
  }
}

function entityOf(name: string): EntityMeta {
  const meta = entityByName(name);
  if (!meta) throw new Error(`No table ${name}`);
  return meta;
}

function accessRightName(right: AccessRight): string {
  return { read: "ReadAccess", write: "WriteAccess", create: "CreateAccess", delete: "DeleteAccess", assign: "AssignAccess" }[right];
}

function privilegeError(user: SandboxUser, meta: EntityMeta, right: AccessRight): DataverseError {
  const privilege = { read: "prvRead", write: "prvWrite", create: "prvCreate", delete: "prvDelete", assign: "prvAssign" }[right];
  return new DataverseError(
    403,
    DataverseCode.privilege,
    `Principal user (Id=${user.id}, type=8, roleCount=1, privilegeCount=0, accessMode=0), is missing ${privilege}${meta.table.schemaName} privilege on entity '${meta.name}'.`,
  );
}
