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
 * The name Dataverse gives a table's privileges (`prv<Verb><base>`). Custom tables and newer system
 * tables use their schema name as it is spelled (`prvAssign<Table Schema Name>`, Microsoft's
 * AssignRequest reference); older Microsoft tables have historic names (annotation → Note, every
 * activity table such as email → Activity, systemuser → User). Each name the roles write, with the
 * page that confirms it, is in sandbox/install/platformPrivileges.ts; docs/deploy.md lists them.
 *
 * `environmentvariablevalue` has no entry: it has no privileges of its own (below, `settings`).
 */
export const privilegeBase: Readonly<Record<string, string>> = {
  cfx_hardwareticket: "cfx_HardwareTicket",
  cfx_fileexchange: "cfx_FileExchange",
  cfx_exchangerecipient: "cfx_ExchangeRecipient",
  cfx_filereceipt: "cfx_FileReceipt",
  cfx_jobrun: "cfx_JobRun",
  cfx_librarycursor: "cfx_LibraryCursor",
  incident: "Incident",
  contact: "Contact",
  account: "Account",
  annotation: "Note",
  email: "Activity",
  systemuser: "User",
  // The table's schema name is all lower case (`appnotification`, Microsoft's table reference), and
  // generated names keep the schema name's spelling, as `prvReadconnectionreference` does for
  // `connectionreference`. Microsoft's Customer Service docs write "prvReadAppNotification"; the
  // exact case of the stored name could not be checked here.
  appnotification: "appnotification",
  environmentvariabledefinition: "EnvironmentVariableDefinition",
  role: "Role",
  team: "Team",
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

/**
 * Reading the settings: Read on the environment variable definition, organization-wide. The
 * definition table is user-owned (Microsoft's table reference, OwnershipType UserOwned) and its rows
 * belong to whoever imported the solution, so only Global reaches them all; its privileges are
 * named `prv<Verb>EnvironmentVariableDefinition` (microsoft/coe-starter-kit,
 * CenterofExcellenceCoreComponents/SolutionPackage/src/Roles/Power Platform Admin SR.xml).
 *
 * Nothing on `environmentvariablevalue`: there is no prvReadEnvironmentVariableValue. The value table's
 * ownership is None in current environments (metadata read from a live organization:
 * rappen/Rappen.XTB.Helper, Rappen.XRM.Helpers/RappSack/EnvironmentVariablesConsts.cs, 2025), and
 * Microsoft's current table reference for it lists no Assign, GrantAccess or ModifyAccess message,
 * which every user-owned table has; the same CoE administrator role grants the definition's eight
 * privileges and nothing on the value table; public projects that looked the name up in a live
 * organization's privilege table found none. Values are read through their definition.
 */
const settings: TableGrant[] = [
  { table: "environmentvariabledefinition", verbs: { Read: "organization" } },
  // The panels recognise a role by its root role: every business unit holds its own copy of an
  // imported role, and the copy the user holds is in their own unit, so business unit suffices.
  { table: "role", verbs: { Read: "businessUnit" } },
];

/**
 * Timeline notes, e-mails sent with SendEmail (needs Read and Write on the activity and Read on
 * users) and in-app notifications, at the given depth. `notifies` is the depth at which the role
 * creates notifications: whoever notifies someone else (Notify Support tells the case's owner) needs
 * Create at the depth that reaches the receiving user's business unit, and Read at user level
 * receives (Microsoft's "Send in-app notifications within model-driven apps", Managing security for
 * notifications). Creating the row directly, as the product does, needs no prvSendAppNotification.
 * `readsNotes` is the depth at which the role reads notes others wrote.
 */
function messaging(depth: PrivilegeDepth, notifies: PrivilegeDepth = depth, readsNotes: PrivilegeDepth = depth): TableGrant[] {
  return [
    // Notes are owned by whoever wrote them: reading a colleague's note on a timeline needs more than user level.
    { table: "annotation", verbs: { Create: depth, Read: readsNotes, Write: depth, Append: depth } },
    { table: "email", verbs: { Create: depth, Read: depth, Write: depth, Append: depth } },
    { table: "appnotification", verbs: { Create: notifies, Read: depth } },
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
    // Level 2. An exchange belongs to whoever created it (the specialist who prepared the backup,
    // the agent who asked for files) and does not follow the case's owner (assign does not cascade:
    // see the relationship in tables.ts). So that the case's owner — also after the case was
    // reassigned — reaches its exchanges, agents read and write exchanges, their recipients and
    // receipts, and read tickets, at parent: child business units (Deep): their own unit and the
    // units below it, where the service teams sit. Agents create at user level (the row is theirs).
    role: "agent",
    grants: [
      {
        table: "cfx_fileexchange",
        verbs: { Create: "user", Read: "parentChild", Write: "parentChild", Append: "parentChild", AppendTo: "parentChild" },
      },
      { table: "cfx_exchangerecipient", verbs: { Create: "user", Read: "parentChild", Write: "parentChild", Append: "parentChild" } },
      { table: "cfx_filereceipt", verbs: { Create: "user", Read: "parentChild", Write: "parentChild", Append: "parentChild" } },
      { table: "cfx_hardwareticket", verbs: { Read: "parentChild", AppendTo: "parentChild" } },
      // The cases the agent owns or that were shared with them; the Customer Service role gives the rest.
      { table: "incident", verbs: { Read: "user", AppendTo: "user" } },
      ...customers,
      ...messaging("user", "user", "parentChild"),
      ...settings,
    ],
  },
  {
    // Service team: tickets, exchanges and receipts of their business unit (what they and their
    // colleagues created). The ticket's case belongs to support, usually in another business unit:
    // reading it and attaching an exchange or a note to it needs organization level.
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
        verbs: { Create: "businessUnit", Read: "businessUnit", Write: "businessUnit", Append: "businessUnit", AppendTo: "businessUnit" },
      },
      { table: "cfx_filereceipt", verbs: { Create: "businessUnit", Read: "businessUnit", Write: "businessUnit", Append: "businessUnit" } },
      { table: "cfx_exchangerecipient", verbs: { Read: "businessUnit" } },
      { table: "incident", verbs: { Read: "organization", AppendTo: "organization" } },
      // A case owned by a team is told through the team's members, read with the team.
      { table: "team", verbs: { Read: "organization" } },
      ...customers,
      // Notify Support notifies the case's owner, who may sit in any business unit.
      ...messaging("user", "organization", "businessUnit"),
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
      // The retention job's runs, for the dashboard's "Last successful run … / Overdue since …".
      { table: "cfx_jobrun", verbs: { Read: "organization" } },
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
      // The retention job, whose application user holds this role (docs/deploy.md), records each
      // run; administrators read the runs and may correct or delete old ones.
      { table: "cfx_jobrun", verbs: { Create: "organization", Read: "organization", Write: "organization", Delete: "organization" } },
      // The arrival check (the same application user) keeps its place in the library's change feed.
      {
        table: "cfx_librarycursor",
        verbs: { Create: "organization", Read: "organization", Write: "organization", Delete: "organization" },
      },
      { table: "incident", verbs: { Read: "organization", AppendTo: "organization" } },
      // The retention job's application user warns a team-owned case's members, read with the team.
      { table: "team", verbs: { Read: "organization" } },
      ...customers,
      ...messaging("organization"),
      ...settings,
    ],
  },
];
