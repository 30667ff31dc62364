import type { ColumnDef, TableDef } from "../../src/model";
import { systemTables } from "../../src/model/system";
import type { ViewDef } from "../../src/model/views";

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

export const teamTable = platform({
  logicalName: "team",
  schemaName: "Team",
  entitySetName: "teams",
  displayName: "Team",
  displayCollectionName: "Teams",
  primaryIdColumn: "teamid",
  primaryNameColumn: "name",
  columns: [id("teamid", "Team"), text("name", "Team Name", 160), lookup("businessunitid", "Business Unit", "businessunit")],
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
  ...systemTables,
  solutionTable,
  roleTable,
  savedQueryTable,
  systemFormTable,
  teamTable,
  queueTable,
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
