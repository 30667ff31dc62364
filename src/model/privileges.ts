import type { RoleDef } from "./schema";

/**
 * What each of the product's security roles may do, table by table, as plain data: the packer
 * writes it as RolePrivileges, and the sandbox can enforce the same depths. Least privilege: each
 * role gets only what its person needs (DESIGN.md "Settled…/Roles"); the roles are meant to be
 * given on top of the Customer Service role a person already has (docs/deploy.md).
 */

export type PrivilegeVerb = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo" | "Assign" | "Share";

/** Dataverse access levels: user (Basic), business unit (Local), parent: child business units (Deep), organization (Global). */
export type PrivilegeDepth = "user" | "businessUnit" | "parentChild" | "organization";

export interface TableGrant {
  readonly table: string;
  readonly verbs: Readonly<Partial<Record<PrivilegeVerb, PrivilegeDepth>>>;
}

export interface RolePrivileges {
  readonly role: RoleDef["key"];
  readonly grants: readonly TableGrant[];
}

/**
 * The name Dataverse gives a table's privileges (`prv<Verb><base>`). Custom tables use their schema
 * name; Microsoft's tables have historic names (annotation → Note, email → Activity, systemuser → User).
 */
export const privilegeBase: Readonly<Record<string, string>> = {
  cfx_hardwareticket: "cfx_HardwareTicket",
  cfx_fileexchange: "cfx_FileExchange",
  cfx_exchangerecipient: "cfx_ExchangeRecipient",
  cfx_filereceipt: "cfx_FileReceipt",
  incident: "Incident",
  contact: "Contact",
  account: "Account",
  annotation: "Note",
  email: "Activity",
  systemuser: "User",
  appnotification: "AppNotification",
  environmentvariabledefinition: "EnvironmentVariableDefinition",
  environmentvariablevalue: "EnvironmentVariableValue",
};

const all = (depth: PrivilegeDepth): Record<PrivilegeVerb, PrivilegeDepth> => ({
  Create: depth,
  Read: depth,
  Write: depth,
  Delete: depth,
  Append: depth,
  AppendTo: depth,
  Assign: depth,
  Share: depth,
});

/** Reading the settings: environment variables are organization-owned, Global is their only level. */
const settings: TableGrant[] = [
  { table: "environmentvariabledefinition", verbs: { Read: "organization" } },
  { table: "environmentvariablevalue", verbs: { Read: "organization" } },
];

/**
 * Timeline notes, e-mails sent with SendEmail (needs Read and Write on the activity and Read on
 * users) and in-app notifications, at the given depth.
 */
function messaging(depth: PrivilegeDepth): TableGrant[] {
  return [
    { table: "annotation", verbs: { Create: depth, Read: depth, Write: depth, Append: depth } },
    { table: "email", verbs: { Create: depth, Read: depth, Write: depth, Append: depth } },
    { table: "appnotification", verbs: { Create: depth, Read: depth } },
    { table: "systemuser", verbs: { Read: "organization" } },
  ];
}

/** The case's customer and contact are read for the folder name and the default recipient. */
const customers: TableGrant[] = [
  { table: "contact", verbs: { Read: "organization" } },
  { table: "account", verbs: { Read: "organization" } },
];

export const rolePrivileges: readonly RolePrivileges[] = [
  {
    // Level 2: exchanges follow the case (parental), so user level sees the exchanges of cases the
    // agent owns or that were shared with them. Tickets are owned by the service team: reading
    // them (and adding notes to them) needs business-unit level.
    role: "agent",
    grants: [
      { table: "cfx_fileexchange", verbs: { Create: "user", Read: "user", Write: "user", Append: "user", AppendTo: "user" } },
      { table: "cfx_exchangerecipient", verbs: { Create: "user", Read: "user", Write: "user", Append: "user" } },
      { table: "cfx_filereceipt", verbs: { Create: "user", Read: "user", Write: "user", Append: "user" } },
      { table: "cfx_hardwareticket", verbs: { Read: "businessUnit", AppendTo: "businessUnit" } },
      { table: "incident", verbs: { Read: "user", AppendTo: "user" } },
      ...customers,
      ...messaging("user"),
      ...settings,
    ],
  },
  {
    // Service team: tickets, exchanges and receipts of their business unit; Assign gives a new
    // exchange to the case's owner so the agent's user-level read sees it.
    role: "specialist",
    grants: [
      {
        table: "cfx_hardwareticket",
        verbs: {
          Create: "businessUnit",
          Read: "businessUnit",
          Write: "businessUnit",
          Append: "businessUnit",
          AppendTo: "businessUnit",
          Assign: "businessUnit",
        },
      },
      {
        table: "cfx_fileexchange",
        verbs: {
          Create: "businessUnit",
          Read: "businessUnit",
          Write: "businessUnit",
          Append: "businessUnit",
          AppendTo: "businessUnit",
          Assign: "businessUnit",
        },
      },
      {
        table: "cfx_filereceipt",
        verbs: { Create: "businessUnit", Read: "businessUnit", Write: "businessUnit", Append: "businessUnit", Assign: "businessUnit" },
      },
      { table: "cfx_exchangerecipient", verbs: { Read: "businessUnit" } },
      { table: "incident", verbs: { Read: "businessUnit", AppendTo: "businessUnit" } },
      ...customers,
      ...messaging("user"),
      ...settings,
    ],
  },
  {
    // Reads everything the product has, changes nothing.
    role: "supervisor",
    grants: [
      { table: "cfx_hardwareticket", verbs: { Read: "organization" } },
      { table: "cfx_fileexchange", verbs: { Read: "organization" } },
      { table: "cfx_exchangerecipient", verbs: { Read: "organization" } },
      { table: "cfx_filereceipt", verbs: { Read: "organization" } },
      { table: "incident", verbs: { Read: "organization" } },
      ...customers,
      { table: "annotation", verbs: { Read: "organization" } },
      { table: "systemuser", verbs: { Read: "organization" } },
      ...settings,
    ],
  },
  {
    // Everything on the product's tables, organization-wide (keep with no expiry, change expiry).
    role: "administrator",
    grants: [
      { table: "cfx_hardwareticket", verbs: all("organization") },
      { table: "cfx_fileexchange", verbs: all("organization") },
      { table: "cfx_exchangerecipient", verbs: all("organization") },
      { table: "cfx_filereceipt", verbs: all("organization") },
      { table: "incident", verbs: { Read: "organization", AppendTo: "organization" } },
      ...customers,
      ...messaging("organization"),
      ...settings,
    ],
  },
];
