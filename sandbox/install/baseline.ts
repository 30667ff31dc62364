import type { ChoiceDef, ColumnDef, TableDef } from "../../src/model";
import { businessUnitTable, systemTables } from "../../src/model/system";
import type { ViewDef } from "../../src/model/views";
export { platformRoles } from "./platformRoles";

/**
 * The sandbox's organization before anything is imported: Microsoft's tables as a fresh Customer
 * Service organization has them (only the columns the product, the shell and the import use), and
 * the stock public views of the tables the shell lists. A solution adds to this; it never replaces it.
 */

const id = (logicalName: string, displayName: string): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "primarykey",
  displayName,
  system: true,
});
const text = (logicalName: string, displayName: string, maxLength: number): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "string",
  displayName,
  maxLength,
  system: true,
});
const number = (logicalName: string, displayName: string): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "integer",
  displayName,
  system: true,
});
const flag = (logicalName: string, displayName: string): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "boolean",
  displayName,
  system: true,
});
const lookup = (logicalName: string, displayName: string, target: string): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "lookup",
  displayName,
  targets: [target],
  navigationProperty: logicalName,
  system: true,
});

/** Tables the platform keeps for itself: written by the import, read through the Web API as in Dataverse. */
function platform(t: Omit<TableDef, "systemTable" | "auditEnabled" | "description" | "hasNotes" | "ownership">): TableDef {
  return { ...t, description: "", ownership: "organization", hasNotes: false, auditEnabled: false, systemTable: true };
}

export const solutionTable = platform({
  logicalName: "solution",
  schemaName: "Solution",
  entitySetName: "solutions",
  displayName: "Solution",
  displayCollectionName: "Solutions",
  primaryIdColumn: "solutionid",
  primaryNameColumn: "friendlyname",
  columns: [
    id("solutionid", "Solution"),
    text("uniquename", "Name", 65),
    text("friendlyname", "Display Name", 256),
    text("version", "Version", 256),
    flag("ismanaged", "Package Type"),
    text("publisheruniquename", "Publisher", 256),
    {
      logicalName: "installedon",
      schemaName: "installedon",
      type: "datetime",
      displayName: "Installed On",
      dateFormat: "datetime",
      system: true,
    },
  ],
});

export const roleTable = platform({
  logicalName: "role",
  schemaName: "Role",
  entitySetName: "roles",
  displayName: "Security Role",
  displayCollectionName: "Security Roles",
  primaryIdColumn: "roleid",
  primaryNameColumn: "name",
  columns: [
    id("roleid", "Role"),
    text("name", "Name", 100),
    lookup("businessunitid", "Business Unit", "businessunit"),
    lookup("parentrootroleid", "Parent Root Role", "role"),
  ],
});

export const savedQueryTable = platform({
  logicalName: "savedquery",
  schemaName: "SavedQuery",
  entitySetName: "savedqueries",
  displayName: "View",
  displayCollectionName: "Views",
  primaryIdColumn: "savedqueryid",
  primaryNameColumn: "name",
  columns: [
    id("savedqueryid", "View"),
    text("name", "Name", 200),
    text("description", "Description", 2000),
    text("returnedtypecode", "Table", 128),
    number("querytype", "Query Type"),
    flag("isdefault", "Default"),
  ],
});

export const systemFormTable = platform({
  logicalName: "systemform",
  schemaName: "SystemForm",
  entitySetName: "systemforms",
  displayName: "Form",
  displayCollectionName: "Forms",
  primaryIdColumn: "formid",
  primaryNameColumn: "name",
  columns: [
    id("formid", "Form"),
    text("name", "Name", 100),
    text("description", "Description", 2000),
    text("objecttypecode", "Table", 128),
    number("type", "Form Type"),
  ],
});

/** `team.teamtype` (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team#BKMK_TeamType). */
export const TeamType = { owner: 0, access: 1, securityGroup: 2, officeGroup: 3 } as const;

const teamTypeChoice: ChoiceDef = {
  name: "team_teamtype",
  displayName: "Team Type",
  global: false,
  options: [
    { value: TeamType.owner, name: "owner", label: "Owner" },
    { value: TeamType.access, name: "access", label: "Access" },
    { value: TeamType.securityGroup, name: "securityGroup", label: "Microsoft Entra ID Security Group" },
    { value: TeamType.officeGroup, name: "officeGroup", label: "Microsoft Entra ID Office Group" },
  ],
};

/**
 * Teams. An owner team "owns records and has security roles assigned to the team"; it "belongs to
 * one business unit, but it can include users from other business units"
 * (https://learn.microsoft.com/power-platform/admin/manage-teams, types of teams).
 */
export const teamTable = platform({
  logicalName: "team",
  schemaName: "Team",
  entitySetName: "teams",
  displayName: "Team",
  displayCollectionName: "Teams",
  primaryIdColumn: "teamid",
  primaryNameColumn: "name",
  columns: [
    id("teamid", "Team"),
    text("name", "Team Name", 160),
    lookup("businessunitid", "Business Unit", "businessunit"),
    { logicalName: "teamtype", schemaName: "teamtype", type: "picklist", displayName: "Team Type", choice: teamTypeChoice, system: true },
  ],
});

/** Business units as a tree: the root has no parent; Deep (parent: child) depth reaches a unit and all below it. */
export const businessUnitBaselineTable: TableDef = {
  ...businessUnitTable,
  columns: [...businessUnitTable.columns, lookup("parentbusinessunitid", "Parent Business", "businessunit")],
};

/**
 * The intersect tables that say who holds which role and who is in which team: users' roles
 * (`systemuserroles`), team members (`teammembership`) and teams' roles (`teamroles`), as Dataverse
 * keeps them (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/systemuserroles,
 * …/teammembership, …/teamroles). The sandbox's seed writes them; nobody changes them through the API.
 */
export const systemUserRolesTable = platform({
  logicalName: "systemuserroles",
  schemaName: "SystemUserRoles",
  entitySetName: "systemuserrolescollection",
  displayName: "System User Roles",
  displayCollectionName: "System User Roles",
  primaryIdColumn: "systemuserroleid",
  primaryNameColumn: "systemuserroleid",
  columns: [id("systemuserroleid", "System User Role"), lookup("systemuserid", "User", "systemuser"), lookup("roleid", "Role", "role")],
});

export const teamMembershipTable = platform({
  logicalName: "teammembership",
  schemaName: "TeamMembership",
  entitySetName: "teammemberships",
  displayName: "Team Membership",
  displayCollectionName: "Team Memberships",
  primaryIdColumn: "teammembershipid",
  primaryNameColumn: "teammembershipid",
  columns: [id("teammembershipid", "Team Membership"), lookup("teamid", "Team", "team"), lookup("systemuserid", "User", "systemuser")],
});

export const teamRolesTable = platform({
  logicalName: "teamroles",
  schemaName: "TeamRoles",
  entitySetName: "teamrolescollection",
  displayName: "Team Roles",
  displayCollectionName: "Team Roles",
  primaryIdColumn: "teamroleid",
  primaryNameColumn: "teamroleid",
  columns: [id("teamroleid", "Team Role"), lookup("teamid", "Team", "team"), lookup("roleid", "Role", "role")],
});

/**
 * Field security: the imported profiles (`fieldsecurityprofile`), what each opens per column
 * (`fieldpermission`, `canread`/`cancreate`/`canupdate` 4 allowed, 0 not) and who is in which
 * profile (`systemuserprofiles`, `teamprofiles`; Learn, table references, and the N:N relationships
 * `systemuserprofiles_association` and `teamprofiles_association`). The import writes the first
 * two; members are the organization's own (here the seed's), never a solution's.
 */
export const fieldSecurityProfileTable = platform({
  logicalName: "fieldsecurityprofile",
  schemaName: "FieldSecurityProfile",
  entitySetName: "fieldsecurityprofiles",
  displayName: "Field Security Profile",
  displayCollectionName: "Field Security Profiles",
  primaryIdColumn: "fieldsecurityprofileid",
  primaryNameColumn: "name",
  columns: [id("fieldsecurityprofileid", "Field Security Profile"), text("name", "Name", 256), text("description", "Description", 2000)],
});

export const fieldPermissionTable = platform({
  logicalName: "fieldpermission",
  schemaName: "FieldPermission",
  entitySetName: "fieldpermissions",
  displayName: "Field Permission",
  displayCollectionName: "Field Permissions",
  primaryIdColumn: "fieldpermissionid",
  primaryNameColumn: "attributelogicalname",
  columns: [
    id("fieldpermissionid", "Field Permission"),
    lookup("fieldsecurityprofileid", "Field Security Profile", "fieldsecurityprofile"),
    text("entityname", "Table", 128),
    text("attributelogicalname", "Column", 128),
    number("canread", "Can Read"),
    number("cancreate", "Can Create"),
    number("canupdate", "Can Update"),
  ],
});

export const systemUserProfilesTable = platform({
  logicalName: "systemuserprofiles",
  schemaName: "SystemUserProfiles",
  entitySetName: "systemuserprofilescollection",
  displayName: "System User Profiles",
  displayCollectionName: "System User Profiles",
  primaryIdColumn: "systemuserprofileid",
  primaryNameColumn: "systemuserprofileid",
  columns: [
    id("systemuserprofileid", "System User Profile"),
    lookup("systemuserid", "User", "systemuser"),
    lookup("fieldsecurityprofileid", "Field Security Profile", "fieldsecurityprofile"),
  ],
});

export const teamProfilesTable = platform({
  logicalName: "teamprofiles",
  schemaName: "TeamProfiles",
  entitySetName: "teamprofilescollection",
  displayName: "Team Profiles",
  displayCollectionName: "Team Profiles",
  primaryIdColumn: "teamprofileid",
  primaryNameColumn: "teamprofileid",
  columns: [
    id("teamprofileid", "Team Profile"),
    lookup("teamid", "Team", "team"),
    lookup("fieldsecurityprofileid", "Field Security Profile", "fieldsecurityprofile"),
  ],
});

export const queueTable = platform({
  logicalName: "queue",
  schemaName: "Queue",
  entitySetName: "queues",
  displayName: "Queue",
  displayCollectionName: "Queues",
  primaryIdColumn: "queueid",
  primaryNameColumn: "name",
  columns: [id("queueid", "Queue"), text("name", "Name", 400)],
});

export const platformTables: readonly TableDef[] = [
  ...systemTables.map((t) => (t.logicalName === businessUnitTable.logicalName ? businessUnitBaselineTable : t)),
  solutionTable,
  roleTable,
  savedQueryTable,
  systemFormTable,
  teamTable,
  queueTable,
  systemUserRolesTable,
  teamMembershipTable,
  teamRolesTable,
  fieldSecurityProfileTable,
  fieldPermissionTable,
  systemUserProfilesTable,
  teamProfilesTable,
];

/** Views of Microsoft's tables (the solution ships none for them): the columns a stock view shows. */
export const platformViews: readonly ViewDef[] = [
  {
    key: "incident/active",
    table: "incident",
    kind: "public",
    name: "All Cases",
    isDefault: true,
    columns: [
      { column: "ticketnumber", width: 150 },
      { column: "title", width: 250 },
      { column: "customerid", width: 180 },
      { column: "primarycontactid", width: 150 },
      { column: "statuscode", width: 120 },
      { column: "ownerid", width: 140 },
      { column: "createdon", width: 150 },
    ],
    order: [{ column: "createdon", descending: true }],
    filter: [],
  },
  {
    key: "account/active",
    table: "account",
    kind: "public",
    name: "Active Accounts",
    isDefault: true,
    columns: [
      { column: "name", width: 250 },
      { column: "emailaddress1", width: 250 },
      { column: "ownerid", width: 150 },
    ],
    order: [{ column: "name", descending: false }],
    filter: [],
  },
  {
    key: "contact/active",
    table: "contact",
    kind: "public",
    name: "Active Contacts",
    isDefault: true,
    columns: [
      { column: "fullname", width: 200 },
      { column: "emailaddress1", width: 250 },
      { column: "parentcustomerid", width: 200 },
      { column: "ownerid", width: 150 },
    ],
    order: [{ column: "fullname", descending: false }],
    filter: [],
  },
];
