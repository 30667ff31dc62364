/**
 * The privilege names a Dataverse organization has for the Microsoft tables the product touches, as
 * data, each with the page where it was confirmed. The sandbox refuses a role that names a privilege
 * that is neither here nor generated for one of the solution's own tables (`customTablePrivileges`):
 * a real import would not find it. An entry whose `source` starts with "unconfirmed:" was not seen
 * written out anywhere; the text says why it is believed to exist.
 *
 * Tables the product touches that have no privileges of their own:
 * - `activityparty`: "There are no entity specific privileges for the ActivityParty entity"
 *   (https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/gg309353(v=crm.7)).
 * - `environmentvariablevalue`: its ownership is None (metadata read from a live organization:
 *   https://github.com/rappen/Rappen.XTB.Helper/blob/cd407f599f55b85db3d356efc9fc32b870f1783b/Rappen.XRM.Helpers/RappSack/EnvironmentVariablesConsts.cs),
 *   Microsoft's current table reference lists no Assign, GrantAccess or ModifyAccess message for it
 *   (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/environmentvariablevalue),
 *   and Microsoft's CoE Starter Kit administrator role grants every EnvironmentVariableDefinition
 *   privilege and none for the value table. Public projects that searched a live organization's
 *   privilege table for prvReadEnvironmentVariableValue found nothing.
 */

export interface PlatformPrivilege {
  readonly name: string;
  /** Logical name of the table the privilege guards (activity privileges: every activity table). */
  readonly table: string;
  /** Where the name was confirmed, or "unconfirmed: " and why it is believed to exist. */
  readonly source: string;
}

const docs2015 = (page: string, title: string) =>
  `https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/${page}(v=crm.7) (${title})`;

/** Microsoft's security role editor → privilege name table: full rows for Account and Activity. */
const roleUiMapping =
  "https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/hh547441(v=crm.8) (Security role UI to privilege mapping)";
const createMessage = docs2015("gg328108", "Create message privileges");
const activityPrivileges = docs2015("gg328384", "ActivityPointer (activity) entity privileges: every activity table, email included");
const notePrivileges = docs2015("gg334624", "Annotation (note) entity privileges");
const contactPrivileges =
  "https://learn.microsoft.com/previous-versions/dynamicscrm-2013/developers-guide/gg328465(v=crm.6) (Contact entity privileges); https://learn.microsoft.com/previous-versions/aa476474(v=msdn.10) (Contact Privileges)";
const userPrivileges = docs2015("gg328102", "SystemUser (user) entity privileges");
const teamPrivileges = docs2015("gg328054", "Team entity privileges");
const businessUnitPrivileges = docs2015("gg309344", "BusinessUnit entity privileges");
const addPrivilegesRole = docs2015("gg309720", "AddPrivilegesRole message privileges");
const closeIncident = docs2015("gg334798", "CloseIncident message privileges");
const outlookPrivileges =
  "https://learn.microsoft.com/troubleshoot/power-platform/dataverse/d365-app-outlook/privilege-error-occurs-when-using-dynamics-365-app-for-outlook (privileges Dynamics 365 App for Outlook requires, KB 4563997)";
const outlookDeploy =
  "https://learn.microsoft.com/dynamics365/outlook-app/deploy-dynamics-365-app-for-outlook (Provide security role access)";
const coeAdminRole =
  "https://github.com/microsoft/coe-starter-kit/blob/main/CenterofExcellenceCoreComponents/SolutionPackage/src/Roles/Power%20Platform%20Admin%20SR.xml (a role file as Dataverse exports it)";
const userOwnedVerbs = (table: string) =>
  `unconfirmed: ${table} is user-owned and Microsoft's table reference lists Assign and GrantAccess for it, so it has the eight table privileges; this one was not seen written out`;
const appNotificationName =
  "unconfirmed: Microsoft's 'Send in-app notifications within model-driven apps' (https://learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/send-in-app-notifications#managing-security-for-notifications) requires Create and Read privileges on the app notification table; generated names keep the schema name's spelling (`appnotification`, as the platform's own error names prvReadconnectionreference), while Customer Service docs write prvReadAppNotification";

export const platformPrivileges: readonly PlatformPrivilege[] = [
  // Case (incident), from Dynamics 365 Customer Service.
  { name: "prvCreateIncident", table: "incident", source: userOwnedVerbs("incident") },
  { name: "prvReadIncident", table: "incident", source: outlookPrivileges },
  { name: "prvWriteIncident", table: "incident", source: closeIncident },
  { name: "prvDeleteIncident", table: "incident", source: userOwnedVerbs("incident") },
  { name: "prvAppendIncident", table: "incident", source: userOwnedVerbs("incident") },
  { name: "prvAppendToIncident", table: "incident", source: closeIncident },
  { name: "prvAssignIncident", table: "incident", source: userOwnedVerbs("incident") },
  {
    name: "prvShareIncident",
    table: "incident",
    source: "https://learn.microsoft.com/previous-versions/ms934403(v=msdn.10) (CRMIncident.ModifyAccess: the prvShareIncident privilege)",
  },

  { name: "prvCreateContact", table: "contact", source: contactPrivileges },
  { name: "prvReadContact", table: "contact", source: contactPrivileges },
  { name: "prvWriteContact", table: "contact", source: contactPrivileges },
  { name: "prvDeleteContact", table: "contact", source: contactPrivileges },
  { name: "prvAppendContact", table: "contact", source: contactPrivileges },
  { name: "prvAppendToContact", table: "contact", source: contactPrivileges },
  { name: "prvAssignContact", table: "contact", source: contactPrivileges },
  { name: "prvShareContact", table: "contact", source: contactPrivileges },

  { name: "prvCreateAccount", table: "account", source: roleUiMapping },
  { name: "prvReadAccount", table: "account", source: roleUiMapping },
  { name: "prvWriteAccount", table: "account", source: roleUiMapping },
  { name: "prvDeleteAccount", table: "account", source: roleUiMapping },
  { name: "prvAppendAccount", table: "account", source: roleUiMapping },
  { name: "prvAppendToAccount", table: "account", source: roleUiMapping },
  { name: "prvAssignAccount", table: "account", source: roleUiMapping },
  { name: "prvShareAccount", table: "account", source: roleUiMapping },

  // Notes: the annotation table's privileges are named Note.
  { name: "prvCreateNote", table: "annotation", source: notePrivileges },
  { name: "prvReadNote", table: "annotation", source: notePrivileges },
  { name: "prvWriteNote", table: "annotation", source: notePrivileges },
  { name: "prvDeleteNote", table: "annotation", source: notePrivileges },
  { name: "prvAppendNote", table: "annotation", source: createMessage },
  { name: "prvAppendToNote", table: "annotation", source: userOwnedVerbs("annotation") },
  { name: "prvAssignNote", table: "annotation", source: userOwnedVerbs("annotation") },
  { name: "prvShareNote", table: "annotation", source: userOwnedVerbs("annotation") },

  // E-mail and every other activity table share the Activity privileges.
  { name: "prvCreateActivity", table: "email", source: activityPrivileges },
  { name: "prvReadActivity", table: "email", source: activityPrivileges },
  { name: "prvWriteActivity", table: "email", source: activityPrivileges },
  { name: "prvDeleteActivity", table: "email", source: roleUiMapping },
  { name: "prvAppendActivity", table: "email", source: createMessage },
  { name: "prvAppendToActivity", table: "email", source: createMessage },
  { name: "prvAssignActivity", table: "email", source: roleUiMapping },
  { name: "prvShareActivity", table: "email", source: createMessage },

  // Users: the systemuser table's privileges are named User.
  { name: "prvCreateUser", table: "systemuser", source: userPrivileges },
  { name: "prvReadUser", table: "systemuser", source: `${userPrivileges}; ${outlookPrivileges}` },
  { name: "prvWriteUser", table: "systemuser", source: docs2015("gg334801", "SetBusinessSystemUser message privileges") },
  { name: "prvAppendUser", table: "systemuser", source: userPrivileges },
  { name: "prvAppendToUser", table: "systemuser", source: userPrivileges },

  { name: "prvCreateTeam", table: "team", source: teamPrivileges },
  { name: "prvReadTeam", table: "team", source: teamPrivileges },
  { name: "prvWriteTeam", table: "team", source: teamPrivileges },
  { name: "prvDeleteTeam", table: "team", source: teamPrivileges },
  { name: "prvAppendTeam", table: "team", source: teamPrivileges },
  { name: "prvAppendToTeam", table: "team", source: teamPrivileges },

  { name: "prvCreateBusinessUnit", table: "businessunit", source: businessUnitPrivileges },
  { name: "prvReadBusinessUnit", table: "businessunit", source: businessUnitPrivileges },
  { name: "prvWriteBusinessUnit", table: "businessunit", source: businessUnitPrivileges },
  { name: "prvDeleteBusinessUnit", table: "businessunit", source: businessUnitPrivileges },
  { name: "prvAppendBusinessUnit", table: "businessunit", source: createMessage },
  { name: "prvAppendToBusinessUnit", table: "businessunit", source: createMessage },

  // Security roles.
  { name: "prvReadRole", table: "role", source: `${addPrivilegesRole}; ${outlookPrivileges}` },
  { name: "prvWriteRole", table: "role", source: addPrivilegesRole },

  { name: "prvReadQueue", table: "queue", source: outlookDeploy },
  { name: "prvWriteQueue", table: "queue", source: docs2015("dn689061", "AddPrincipalToQueue message privileges") },
  {
    name: "prvAppendToQueue",
    table: "queue",
    source:
      "https://learn.microsoft.com/previous-versions/dynamicscrm-2013/developers-guide/gg334652(v=crm.6) (AddToQueue message privileges)",
  },

  // In-app notifications (a newer table: privileges named after its lower-case schema name).
  { name: "prvCreateappnotification", table: "appnotification", source: appNotificationName },
  { name: "prvReadappnotification", table: "appnotification", source: appNotificationName },
  { name: "prvWriteappnotification", table: "appnotification", source: appNotificationName },
  { name: "prvDeleteappnotification", table: "appnotification", source: appNotificationName },

  // Environment variable definitions: user-owned, all eight, as a real role file lists them.
  { name: "prvCreateEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvReadEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvWriteEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvDeleteEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvAppendEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvAppendToEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvAssignEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
  { name: "prvShareEnvironmentVariableDefinition", table: "environmentvariabledefinition", source: coeAdminRole },
];

/**
 * The privileges Dataverse generates for a custom table: `prv<Verb><schema name>`, the schema name
 * spelled as the table's (`prvReadcfx_FileExchange`). "When a custom entity is added, generated custom
 * entity privileges are added for that entity" (Privilege entity messages and methods,
 * https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/gg328425(v=crm.7));
 * "Each table that supports this message has an prvAssign<Table Schema Name> privilege"
 * (https://learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.assignrequest). A user-owned
 * table gets all eight. An organization-owned table has no owner to assign and cannot be shared: its
 * messages include neither Assign nor GrantAccess (e.g. Microsoft's transactioncurrency reference),
 * its access levels are only Global or None (https://learn.microsoft.com/power-apps/developer/data-platform/security-concepts),
 * and real role files show such tables with six privileges (the CoE Starter Kit's business process
 * flow tables, prvReadnew_flowapprovalbpf…, have no Assign or Share).
 */
export function customTablePrivileges(schemaName: string, ownership: "user" | "organization"): string[] {
  const verbs = ["Create", "Read", "Write", "Delete", "Append", "AppendTo"];
  if (ownership === "user") verbs.push("Assign", "Share");
  return verbs.map((verb) => `prv${verb}${schemaName}`);
}
