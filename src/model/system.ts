import type { ChoiceDef, ColumnDef, TableDef } from "./schema";

/**
 * The part of Microsoft's own tables that the product reads or writes. They are not shipped by the
 * solution (Dynamics 365 Customer Service owns `incident`); the sandbox serves them and the
 * adapters query exactly these columns.
 */

export const IncidentState = { active: 0, resolved: 1, cancelled: 2 } as const;
export type IncidentState = (typeof IncidentState)[keyof typeof IncidentState];

const incidentState: ChoiceDef = {
  name: "incident_statecode",
  displayName: "Status",
  global: false,
  options: [
    { value: IncidentState.active, name: "active", label: "Active" },
    { value: IncidentState.resolved, name: "resolved", label: "Resolved" },
    { value: IncidentState.cancelled, name: "cancelled", label: "Cancelled" },
  ],
};

const incidentStatus: ChoiceDef = {
  name: "incident_statuscode",
  displayName: "Status Reason",
  global: false,
  options: [
    { value: 1, name: "inProgress", label: "In Progress", state: 0 },
    { value: 2, name: "onHold", label: "On Hold", state: 0 },
    { value: 3, name: "waitingForDetails", label: "Waiting for Details", state: 0 },
    { value: 5, name: "problemSolved", label: "Problem Solved", state: 1 },
    { value: 6, name: "cancelled", label: "Cancelled", state: 2 },
  ],
};

const activeInactive = (table: string): [ChoiceDef, ChoiceDef] => [
  {
    name: `${table}_statecode`,
    displayName: "Status",
    global: false,
    options: [
      { value: 0, name: "active", label: "Active" },
      { value: 1, name: "inactive", label: "Inactive" },
    ],
  },
  {
    name: `${table}_statuscode`,
    displayName: "Status Reason",
    global: false,
    options: [
      { value: 1, name: "active", label: "Active", state: 0 },
      { value: 2, name: "inactive", label: "Inactive", state: 1 },
    ],
  },
];

const pk = (logicalName: string, displayName: string): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "primarykey",
  displayName,
  system: true,
});

const str = (logicalName: string, displayName: string, maxLength: number): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "string",
  displayName,
  maxLength,
});

const dt = (logicalName: string, displayName: string): ColumnDef => ({
  logicalName,
  schemaName: logicalName,
  type: "datetime",
  displayName,
  dateFormat: "datetime",
  system: true,
});

const owner: ColumnDef = {
  logicalName: "ownerid",
  schemaName: "ownerid",
  type: "owner",
  displayName: "Owner",
  targets: ["systemuser", "team"],
  navigationProperty: "ownerid",
  system: true,
};

const createdBy: ColumnDef = {
  logicalName: "createdby",
  schemaName: "createdby",
  type: "lookup",
  displayName: "Created By",
  targets: ["systemuser"],
  navigationProperty: "createdby",
  system: true,
};

const businessUnit: ColumnDef = {
  logicalName: "owningbusinessunit",
  schemaName: "owningbusinessunit",
  type: "lookup",
  displayName: "Owning Business Unit",
  targets: ["businessunit"],
  navigationProperty: "owningbusinessunit",
  system: true,
};

const system = (t: Omit<TableDef, "systemTable" | "auditEnabled" | "description"> & { description?: string }): TableDef => ({
  auditEnabled: false,
  description: "",
  ...t,
  systemTable: true,
});

export const incident = system({
  logicalName: "incident",
  schemaName: "Incident",
  entitySetName: "incidents",
  displayName: "Case",
  displayCollectionName: "Cases",
  primaryIdColumn: "incidentid",
  primaryNameColumn: "title",
  ownership: "user",
  hasNotes: true,
  columns: [
    pk("incidentid", "Case"),
    str("title", "Case Title", 200),
    { ...str("ticketnumber", "Case Number", 100), autoNumberFormat: "CAS-{SEQNUM:5}-{RANDSTRING:6}" },
    { logicalName: "description", schemaName: "description", type: "memo", displayName: "Description", maxLength: 2000 },
    {
      logicalName: "customerid",
      schemaName: "customerid",
      type: "customer",
      displayName: "Customer",
      targets: ["account", "contact"],
      navigationProperty: "customerid",
      required: true,
    },
    {
      logicalName: "primarycontactid",
      schemaName: "primarycontactid",
      type: "lookup",
      displayName: "Contact",
      targets: ["contact"],
      navigationProperty: "primarycontactid",
    },
    { logicalName: "statecode", schemaName: "statecode", type: "state", displayName: "Status", choice: incidentState, system: true },
    { logicalName: "statuscode", schemaName: "statuscode", type: "status", displayName: "Status Reason", choice: incidentStatus },
    {
      logicalName: "masterid",
      schemaName: "masterid",
      type: "lookup",
      displayName: "Master Case",
      description: "Set when the case was merged into another.",
      targets: ["incident"],
      navigationProperty: "masterid",
      system: true,
    },
    owner,
    businessUnit,
    createdBy,
    dt("createdon", "Created On"),
    dt("modifiedon", "Modified On"),
  ],
});

const [contactState, contactStatus] = activeInactive("contact");
export const contact = system({
  logicalName: "contact",
  schemaName: "Contact",
  entitySetName: "contacts",
  displayName: "Contact",
  displayCollectionName: "Contacts",
  primaryIdColumn: "contactid",
  primaryNameColumn: "fullname",
  ownership: "user",
  hasNotes: true,
  columns: [
    pk("contactid", "Contact"),
    { ...str("fullname", "Full Name", 160), system: true },
    str("firstname", "First Name", 50),
    str("lastname", "Last Name", 50),
    str("emailaddress1", "Email", 100),
    {
      logicalName: "parentcustomerid",
      schemaName: "parentcustomerid",
      type: "customer",
      displayName: "Company Name",
      targets: ["account", "contact"],
      navigationProperty: "parentcustomerid",
    },
    { logicalName: "statecode", schemaName: "statecode", type: "state", displayName: "Status", choice: contactState, system: true },
    { logicalName: "statuscode", schemaName: "statuscode", type: "status", displayName: "Status Reason", choice: contactStatus },
    owner,
    businessUnit,
    dt("createdon", "Created On"),
    dt("modifiedon", "Modified On"),
  ],
});

const [accountState, accountStatus] = activeInactive("account");
export const account = system({
  logicalName: "account",
  schemaName: "Account",
  entitySetName: "accounts",
  displayName: "Account",
  displayCollectionName: "Accounts",
  primaryIdColumn: "accountid",
  primaryNameColumn: "name",
  ownership: "user",
  hasNotes: true,
  columns: [
    pk("accountid", "Account"),
    str("name", "Account Name", 160),
    str("emailaddress1", "Email", 100),
    { logicalName: "statecode", schemaName: "statecode", type: "state", displayName: "Status", choice: accountState, system: true },
    { logicalName: "statuscode", schemaName: "statuscode", type: "status", displayName: "Status Reason", choice: accountStatus },
    owner,
    businessUnit,
    dt("createdon", "Created On"),
    dt("modifiedon", "Modified On"),
  ],
});

export const systemUser = system({
  logicalName: "systemuser",
  schemaName: "SystemUser",
  entitySetName: "systemusers",
  displayName: "User",
  displayCollectionName: "Users",
  primaryIdColumn: "systemuserid",
  primaryNameColumn: "fullname",
  ownership: "organization",
  hasNotes: false,
  columns: [
    pk("systemuserid", "User"),
    str("fullname", "Full Name", 200),
    { ...str("domainname", "User Name", 1024), description: "The user's sign-in name (UPN): MSAL's login hint." },
    str("internalemailaddress", "Primary Email", 100),
    {
      // A Uniqueidentifier in Dataverse; the Web API carries it as a GUID string, as this type does.
      ...str("azureactivedirectoryobjectid", "Azure AD Object ID", 36),
      description: "The user's Microsoft Entra object id: the member of a one-to-one Teams chat (Teams follow-up).",
    },
    // Disabled users are not told anything (a team's members are read without them).
    { logicalName: "isdisabled", schemaName: "isdisabled", type: "boolean", displayName: "Status", system: true },
    {
      logicalName: "businessunitid",
      schemaName: "businessunitid",
      type: "lookup",
      displayName: "Business Unit",
      targets: ["businessunit"],
      navigationProperty: "businessunitid",
    },
  ],
});

export const businessUnitTable = system({
  logicalName: "businessunit",
  schemaName: "BusinessUnit",
  entitySetName: "businessunits",
  displayName: "Business Unit",
  displayCollectionName: "Business Units",
  primaryIdColumn: "businessunitid",
  primaryNameColumn: "name",
  ownership: "organization",
  hasNotes: false,
  columns: [pk("businessunitid", "Business Unit"), str("name", "Name", 160)],
});

export const annotation = system({
  logicalName: "annotation",
  schemaName: "Annotation",
  entitySetName: "annotations",
  displayName: "Note",
  displayCollectionName: "Notes",
  primaryIdColumn: "annotationid",
  primaryNameColumn: "subject",
  ownership: "user",
  hasNotes: false,
  columns: [
    pk("annotationid", "Note"),
    str("subject", "Title", 500),
    { logicalName: "notetext", schemaName: "notetext", type: "memo", displayName: "Description", maxLength: 100000 },
    {
      logicalName: "objectid",
      schemaName: "objectid",
      type: "lookup",
      displayName: "Regarding",
      targets: ["incident", "cfx_hardwareticket", "cfx_fileexchange"],
      navigationProperty: "objectid",
    },
    { ...str("objecttypecode", "Object Type", 100), system: true },
    owner,
    createdBy,
    dt("createdon", "Created On"),
    dt("modifiedon", "Modified On"),
  ],
});

const emailState: ChoiceDef = {
  name: "email_statecode",
  displayName: "Activity Status",
  global: false,
  options: [
    { value: 0, name: "open", label: "Open" },
    { value: 1, name: "completed", label: "Completed" },
    { value: 2, name: "canceled", label: "Canceled" },
  ],
};
const emailStatus: ChoiceDef = {
  name: "email_statuscode",
  displayName: "Status Reason",
  global: false,
  options: [
    { value: 1, name: "draft", label: "Draft", state: 0 },
    { value: 6, name: "pendingSend", label: "Pending Send", state: 1 },
    { value: 7, name: "sending", label: "Sending", state: 1 },
    { value: 3, name: "sent", label: "Sent", state: 1 },
    { value: 8, name: "failed", label: "Failed", state: 1 },
  ],
};

export const email = system({
  logicalName: "email",
  schemaName: "Email",
  entitySetName: "emails",
  displayName: "Email",
  displayCollectionName: "Email Messages",
  primaryIdColumn: "activityid",
  primaryNameColumn: "subject",
  ownership: "user",
  hasNotes: true,
  columns: [
    pk("activityid", "Email Message"),
    str("subject", "Subject", 800),
    { logicalName: "description", schemaName: "description", type: "memo", displayName: "Description", maxLength: 1048576 },
    {
      logicalName: "regardingobjectid",
      schemaName: "regardingobjectid",
      type: "lookup",
      displayName: "Regarding",
      targets: ["incident", "cfx_hardwareticket", "cfx_fileexchange"],
      navigationProperty: "regardingobjectid",
    },
    { logicalName: "directioncode", schemaName: "directioncode", type: "boolean", displayName: "Direction" },
    { logicalName: "statecode", schemaName: "statecode", type: "state", displayName: "Activity Status", choice: emailState, system: true },
    { logicalName: "statuscode", schemaName: "statuscode", type: "status", displayName: "Status Reason", choice: emailStatus },
    owner,
    createdBy,
    dt("createdon", "Created On"),
    dt("modifiedon", "Modified On"),
  ],
});

export const appNotification = system({
  logicalName: "appnotification",
  schemaName: "appnotification",
  entitySetName: "appnotifications",
  displayName: "Notification",
  displayCollectionName: "Notifications",
  primaryIdColumn: "appnotificationid",
  primaryNameColumn: "title",
  ownership: "user",
  hasNotes: false,
  columns: [
    pk("appnotificationid", "Notification"),
    str("title", "Title", 200),
    { logicalName: "body", schemaName: "body", type: "memo", displayName: "Body", maxLength: 5000 },
    { logicalName: "icontype", schemaName: "icontype", type: "integer", displayName: "Icon Type" },
    { logicalName: "toasttype", schemaName: "toasttype", type: "integer", displayName: "Toast Type" },
    { logicalName: "priority", schemaName: "priority", type: "integer", displayName: "Priority" },
    { logicalName: "data", schemaName: "data", type: "memo", displayName: "Data", maxLength: 5000 },
    { logicalName: "ttlinseconds", schemaName: "ttlinseconds", type: "integer", displayName: "Expiry (seconds)" },
    owner,
    createdBy,
    dt("createdon", "Created On"),
  ],
});

export const environmentVariableDefinition = system({
  logicalName: "environmentvariabledefinition",
  schemaName: "EnvironmentVariableDefinition",
  entitySetName: "environmentvariabledefinitions",
  displayName: "Environment Variable Definition",
  displayCollectionName: "Environment Variable Definitions",
  primaryIdColumn: "environmentvariabledefinitionid",
  primaryNameColumn: "schemaname",
  ownership: "organization",
  hasNotes: false,
  columns: [
    pk("environmentvariabledefinitionid", "Environment Variable Definition"),
    str("schemaname", "Schema Name", 100),
    str("displayname", "Display Name", 100),
    { logicalName: "defaultvalue", schemaName: "defaultvalue", type: "memo", displayName: "Default Value", maxLength: 100000 },
    { logicalName: "type", schemaName: "type", type: "integer", displayName: "Type" },
  ],
});

export const environmentVariableValue = system({
  logicalName: "environmentvariablevalue",
  schemaName: "EnvironmentVariableValue",
  entitySetName: "environmentvariablevalues",
  displayName: "Environment Variable Value",
  displayCollectionName: "Environment Variable Values",
  primaryIdColumn: "environmentvariablevalueid",
  primaryNameColumn: "schemaname",
  ownership: "organization",
  hasNotes: false,
  columns: [
    pk("environmentvariablevalueid", "Environment Variable Value"),
    str("schemaname", "Schema Name", 100),
    { logicalName: "value", schemaName: "value", type: "memo", displayName: "Value", maxLength: 100000 },
    {
      logicalName: "environmentvariabledefinitionid",
      schemaName: "EnvironmentVariableDefinitionId",
      type: "lookup",
      displayName: "Environment Variable Definition",
      targets: ["environmentvariabledefinition"],
      navigationProperty: "EnvironmentVariableDefinitionId",
    },
  ],
});

const participationType: ChoiceDef = {
  name: "activityparty_participationtypemask",
  displayName: "Participation Type",
  global: false,
  options: [
    { value: 1, name: "sender", label: "Sender" },
    { value: 2, name: "toRecipient", label: "To Recipient" },
    { value: 3, name: "ccRecipient", label: "CC Recipient" },
    { value: 4, name: "bccRecipient", label: "BCC Recipient" },
    { value: 8, name: "regarding", label: "Regarding" },
    { value: 9, name: "owner", label: "Owner" },
  ],
};

/** Sender and recipients of an e-mail (`email_activity_parties`): what `SendEmail` delivers to. */
export const activityParty = system({
  logicalName: "activityparty",
  schemaName: "ActivityParty",
  entitySetName: "activityparties",
  displayName: "Activity Party",
  displayCollectionName: "Activity Parties",
  primaryIdColumn: "activitypartyid",
  primaryNameColumn: "addressused",
  ownership: "organization",
  hasNotes: false,
  columns: [
    pk("activitypartyid", "Activity Party"),
    {
      logicalName: "activityid",
      schemaName: "activityid",
      type: "lookup",
      displayName: "Activity",
      targets: ["email"],
      navigationProperty: "activityid_email",
    },
    {
      logicalName: "partyid",
      schemaName: "partyid",
      type: "lookup",
      displayName: "Party",
      targets: ["systemuser", "contact", "account"],
      navigationProperty: "partyid",
    },
    {
      logicalName: "participationtypemask",
      schemaName: "participationtypemask",
      type: "picklist",
      displayName: "Participation Type",
      choice: participationType,
    },
    str("addressused", "Address", 320),
  ],
});

/** Microsoft tables the product touches. */
export const systemTables: readonly TableDef[] = [
  incident,
  contact,
  account,
  systemUser,
  businessUnitTable,
  annotation,
  email,
  appNotification,
  environmentVariableDefinition,
  environmentVariableValue,
  activityParty,
];
