import type { PrivilegeDepth } from "../../src/model/privileges";
import type { InstalledRole, RolePrivilege } from "./catalog";

/**
 * The platform's own security roles the sandbox's organization holds before anything is imported,
 * with the privileges (by their platform names, see platformPrivileges.ts) and depths the sandbox
 * enforces. Like an imported role, each has a copy in every business unit (`roleCopyId`), the root
 * unit's copy keeping the id below.
 *
 * The ids are the sandbox's own (a real organization's role ids differ per organization; only the
 * role *template* ids are fixed, and nothing in the product or the sandbox matches roles by them).
 */

export const systemAdministratorRoleId = "0f9a0000-0000-4000-8000-00000000a001";
export const customerServiceRepresentativeRoleId = "0f9a0000-0000-4000-8000-00000000a005";

/**
 * System Administrator: "Create, Read, Write, Delete, Customizations, Security Roles. Has full
 * permission to customize or administer the environment … Can view all data in the environment"
 * (https://learn.microsoft.com/power-platform/admin/database-security, predefined security roles).
 * The sandbox gives it every privilege at the organization level (`everyPrivilege`), for the tables
 * the organization has now and any a later import adds.
 */
export const systemAdministratorRole: InstalledRole = {
  id: systemAdministratorRoleId,
  name: "System Administrator",
  description: "Every privilege, organization-wide.",
  privileges: [],
  everyPrivilege: true,
};

/**
 * Where the Customer Service Representative's depths come from. Microsoft published the default
 * depth of every privilege for each predefined role in its SDK's "<table> entity privileges" pages;
 * the Customer Service Representative ("CSR") is one of the columns. The sandbox reads the ones
 * below. Where a page gave no readable value for this role, the depth is marked "unconfirmed" and
 * chosen conservatively: the least that lets a representative work the cases of their own
 * business unit, never more than a confirmed neighbouring privilege.
 */
const crm3 = (page: string, title: string) => `https://learn.microsoft.com/previous-versions/${page}(v=msdn.10) (${title}, CSR column)`;
const crm2013 = (page: string, title: string) =>
  `https://learn.microsoft.com/previous-versions/dynamicscrm-2013/developers-guide/${page}(v=crm.6) (${title}, Customer Service Representative column)`;

const account = `${crm3("ms913471", "Account Privileges")}; ${crm2013("gg327880", "Account entity privileges")}`;
const contact = `${crm3("aa476474", "Contact Privileges")}; ${crm2013("gg328465", "Contact entity privileges")}`;
const note = `${crm3("ms955716", "Note Privileges")}; ${crm2013("gg334624", "Annotation (note) entity privileges")}`;
const activity = `${crm3("ms913584", "Activity Privileges")}; ${crm2013("gg328384", "ActivityPointer (activity) entity privileges")}`;
const user = `${crm3("ms955935", "User Privileges")}; ${crm2013("gg328102", "SystemUser (user) entity privileges")}`;
const team = crm2013("gg328054", "Team entity privileges");
const businessUnit = crm3("aa476330", "Business Unit Privileges");
const role = crm3("ms914661", "Security Role Privileges");
const unconfirmed = (why: string) => `unconfirmed: ${why}`;
const caseUnconfirmed = unconfirmed(
  "no per-role table for the Case (incident) was found; Local lets a representative create, work, assign and share the cases of their own business unit (what the Customer Service Representative is for), Basic delete as for the other customer records of the role",
);
const appendToUnconfirmed = (table: string, depth: string) =>
  unconfirmed(`the AppendTo row of the ${table} table is cut off in every copy found; ${depth} chosen, no more than the role's Append`);

/** One granted privilege of the Customer Service Representative, with the page that gives its depth. */
interface SourcedPrivilege extends RolePrivilege {
  readonly source: string;
}

const grant = (name: string, depth: PrivilegeDepth, source: string): SourcedPrivilege => ({ name, depth, source });

export const customerServiceRepresentativePrivileges: readonly SourcedPrivilege[] = [
  grant("prvCreateIncident", "businessUnit", caseUnconfirmed),
  grant("prvReadIncident", "businessUnit", caseUnconfirmed),
  grant("prvWriteIncident", "businessUnit", caseUnconfirmed),
  grant("prvDeleteIncident", "user", caseUnconfirmed),
  grant("prvAppendIncident", "businessUnit", caseUnconfirmed),
  grant("prvAppendToIncident", "businessUnit", caseUnconfirmed),
  grant("prvAssignIncident", "businessUnit", caseUnconfirmed),
  grant("prvShareIncident", "businessUnit", caseUnconfirmed),

  grant("prvCreateContact", "user", contact),
  grant("prvReadContact", "organization", contact),
  grant("prvWriteContact", "organization", contact),
  grant("prvDeleteContact", "user", contact),
  grant("prvAppendContact", "organization", contact),
  grant("prvAppendToContact", "businessUnit", appendToUnconfirmed("Contact", "Local")),
  grant("prvAssignContact", "user", contact),
  grant("prvShareContact", "organization", contact),

  grant("prvCreateAccount", "user", account),
  grant("prvReadAccount", "organization", account),
  grant("prvWriteAccount", "organization", account),
  grant("prvDeleteAccount", "user", account),
  grant("prvAppendAccount", "organization", account),
  grant("prvAppendToAccount", "businessUnit", appendToUnconfirmed("Account", "Local")),
  grant("prvAssignAccount", "user", account),
  grant("prvShareAccount", "organization", account),

  grant("prvCreateNote", "user", note),
  grant("prvReadNote", "organization", note),
  grant("prvWriteNote", "user", note),
  grant("prvDeleteNote", "user", note),
  grant("prvAppendNote", "businessUnit", note),
  grant("prvAppendToNote", "user", appendToUnconfirmed("Note", "Basic")),
  grant("prvAssignNote", "user", note),
  grant("prvShareNote", "organization", note),

  // Every activity table, e-mail included, shares the Activity privileges.
  grant("prvCreateActivity", "user", activity),
  grant("prvReadActivity", "organization", activity),
  grant("prvWriteActivity", "businessUnit", activity),
  grant("prvDeleteActivity", "businessUnit", activity),
  grant("prvAppendActivity", "businessUnit", activity),
  grant("prvAppendToActivity", "user", appendToUnconfirmed("Activity", "Basic")),
  grant("prvAssignActivity", "parentChild", activity),
  grant("prvShareActivity", "organization", activity),

  grant("prvReadUser", "organization", user),
  grant("prvAppendUser", "businessUnit", user),
  grant("prvAppendToUser", "businessUnit", user),

  grant("prvReadTeam", "organization", team),
  grant("prvAppendTeam", "organization", team),
  grant("prvAppendToTeam", "organization", team),

  grant("prvReadBusinessUnit", "organization", businessUnit),

  grant("prvReadRole", "businessUnit", role),

  grant(
    "prvReadQueue",
    "organization",
    unconfirmed(
      "representatives work cases from queues; the per-role Queue table was not found (queues are organization-wide in the sandbox)",
    ),
  ),
  grant("prvAppendToQueue", "organization", unconfirmed("as prvReadQueue")),

  // The in-app notification table postdates the per-role tables. Receiving needs Basic Read and
  // notifying oneself Basic Create (https://learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/send-in-app-notifications#managing-security-for-notifications).
  grant("prvReadappnotification", "user", unconfirmed("Basic, what receiving needs; the role's real depth was not found")),
  grant("prvCreateappnotification", "user", unconfirmed("Basic, what notifying oneself needs; the role's real depth was not found")),
];

/** The Dynamics 365 Customer Service role of support staff: what agents, specialists and dispatchers hold. */
export const customerServiceRepresentativeRole: InstalledRole = {
  id: customerServiceRepresentativeRoleId,
  name: "Customer Service Representative",
  description: "Dynamics 365 Customer Service's predefined role for people who work cases.",
  privileges: customerServiceRepresentativePrivileges.map(({ name, depth }) => ({ name, depth })),
};

/** The platform's roles, in every organization before any import. */
export const platformRoles: readonly InstalledRole[] = [systemAdministratorRole, customerServiceRepresentativeRole];
