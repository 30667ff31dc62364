import type { TableDef } from "../../src/model";
import { systemTables } from "../../src/model/system";
import type { ViewDef } from "../../src/model/views";

/**
 * The sandbox's organization before anything is imported: Microsoft's tables as a fresh Customer
 * Service organization has them (only the columns the product and the shell use), and the stock
 * public views of the tables the shell lists. A solution adds to this; it never replaces it.
 */
export const platformTables: readonly TableDef[] = systemTables;

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
