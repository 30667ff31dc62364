import { tableByName } from "../install/catalog";
import type { MailSink, TenantPolicy } from "../context";
import type { Row, RowStore } from "../store/rows";
import { badRequest, DataverseCode, DataverseError, notFound } from "./errors";
import { entityByName, entityBySet } from "./metadata";
import { AccessRights, parseAccessMask, type AccessRightName, type Caller, type Security, type Verb } from "./security";
import { dataverseDate, grantAccess, isGuid, revokeAccess, type WriteScope } from "./writes";

/** `WhoAmI()`: the caller's user id and business unit. */
export function whoAmI(rows: RowStore, caller: Caller, applicationUserId: string, organizationId: string): Record<string, string> {
  const userId = caller.kind === "user" ? caller.user.id : applicationUserId;
  const user = rows.get(tableByName("systemuser"), userId);
  return { BusinessUnitId: String(user?.businessunitid ?? ""), UserId: userId, OrganizationId: organizationId };
}

/** `RetrieveEnvironmentVariableValue(DefinitionSchemaName='…')`: the current value, else the default. */
export function retrieveEnvironmentVariableValue(rows: RowStore, schemaName: string): string {
  const definition = rows.where(tableByName("environmentvariabledefinition"), "schemaname", schemaName)[0];
  if (!definition) {
    throw new DataverseError(
      404,
      DataverseCode.notFound,
      `Environment variable definition with schema name '${schemaName}' was not found.`,
    );
  }
  const value = rows.where(
    tableByName("environmentvariablevalue"),
    "environmentvariabledefinitionid",
    String(definition.environmentvariabledefinitionid),
  )[0];
  return String(value?.value ?? definition.defaultvalue ?? "");
}

export interface MailScope {
  readonly mail: MailSink;
  readonly policy: () => TenantPolicy;
}

const StatusSent = 3;
const StatusPendingSend = 6;

function addressOf(rows: RowStore, party: Row): string | undefined {
  if (typeof party.addressused === "string" && party.addressused) return party.addressused;
  const table = String(party.partyid__table ?? "");
  const target = entityByName(table);
  if (!target || typeof party.partyid !== "string") return undefined;
  const row = rows.get(target.table, party.partyid);
  const address = table === "systemuser" ? row?.internalemailaddress : row?.emailaddress1;
  return typeof address === "string" && address ? address : undefined;
}

/** Crude HTML → text for the plain-text part and the link list of a delivered message. */
function textOf(html: string): { text: string; links: string[] } {
  const links = [...html.matchAll(/href\s*=\s*"([^"]+)"/gi)].map((m) => m[1].replace(/&amp;/g, "&"));
  const text = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .trim();
  return { text, links };
}

/** Hands an e-mail activity to the mail sink and marks it Sent. */
function deliver(rows: RowStore, mail: MailSink, email: Row): void {
  const parties = rows.where(tableByName("activityparty"), "activityid", String(email.activityid));
  const to = parties.filter((p) => p.participationtypemask === 2 || p.participationtypemask === 3 || p.participationtypemask === 4);
  const sender = parties.find((p) => p.participationtypemask === 1);
  const html = String(email.description ?? "");
  const { text, links } = textOf(html);
  mail.send({
    to: to.map((p) => addressOf(rows, p)).filter((a): a is string => Boolean(a)),
    from: (sender && addressOf(rows, sender)) ?? "crm@contoso.example",
    subject: String(email.subject ?? ""),
    text,
    html,
    links,
  });
  rows.update(tableByName("email"), String(email.activityid), { statecode: 1, statuscode: StatusSent });
}

/**
 * `emails(<id>)/Microsoft.Dynamics.CRM.SendEmail`: with `IssueSend` the message goes out through
 * the mailbox at once, unless the tenant's mailbox is not approved: then it stays Pending Send, as
 * server-side synchronisation leaves it.
 */
export function sendEmail(scope: WriteScope & MailScope, security: Security, emailId: string, body: unknown): { Subject: string } {
  const meta = entityByName("email");
  if (!meta) throw new Error("The model has no email table.");
  const email = scope.rows.get(meta.table, emailId);
  if (!email) throw notFound("email", emailId);
  security.assertRow(scope.caller, meta, email, "Write");
  const issueSend = (body as { IssueSend?: unknown } | null)?.IssueSend;
  if (typeof issueSend !== "boolean")
    throw badRequest("Parameter 'IssueSend' is required and must be a boolean.", DataverseCode.badProperty);
  if (email.statecode !== 0) throw new DataverseError(400, DataverseCode.invalidState, "This e-mail has already been sent or cancelled.");
  const recipients = scope.rows
    .where(tableByName("activityparty"), "activityid", emailId)
    .filter((p) => p.participationtypemask === 2 || p.participationtypemask === 3 || p.participationtypemask === 4);
  if (recipients.length === 0)
    throw new DataverseError(400, DataverseCode.noRecipients, "The e-mail must have at least one recipient before it can be sent.");
  const now = dataverseDate(scope.clock.now());
  if (!issueSend) {
    scope.rows.update(meta.table, emailId, { statecode: 1, statuscode: StatusSent, modifiedon: now });
  } else if (!scope.policy().mailboxApproved) {
    scope.rows.update(meta.table, emailId, { statecode: 1, statuscode: StatusPendingSend, modifiedon: now });
  } else {
    deliver(scope.rows, scope.mail, email);
  }
  return { Subject: String(email.subject ?? "") };
}

/** Sends every e-mail left Pending Send (when the tenant's mailbox becomes approved). */
export function deliverPending(rows: RowStore, mail: MailSink): number {
  const pending = rows.all(tableByName("email")).filter((e) => e.statuscode === StatusPendingSend);
  for (const email of pending) deliver(rows, mail, email);
  return pending.length;
}

/**
 * `CloseIncident` (unbound action): resolves a case with an incident resolution, the only way
 * Dataverse lets a case become Resolved. Afterwards the case refuses updates.
 */
export function closeIncident(scope: WriteScope, security: Security, body: unknown): void {
  const b = (body ?? {}) as { IncidentResolution?: Record<string, unknown>; Status?: unknown };
  const resolution = b.IncidentResolution ?? {};
  const ref = String(resolution["incidentid@odata.bind"] ?? "");
  const id = /\(([0-9a-fA-F-]{36})\)$/.exec(ref)?.[1]?.toLowerCase();
  if (!id) throw badRequest('IncidentResolution needs "incidentid@odata.bind": "/incidents(<id>)".', DataverseCode.badProperty);
  const meta = entityByName("incident");
  if (!meta) throw new Error("The model has no incident table.");
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound("incident", id);
  // CloseIncident writes the case and creates an incident resolution (an activity) on it: prvWriteIncident,
  // prvAppendToIncident, prvCreateActivity, prvAppendActivity among others
  // (https://learn.microsoft.com/previous-versions/dynamicscrm-2015/developers-guide/gg334798(v=crm.7)).
  security.assertRow(scope.caller, meta, row, "Write");
  security.assertRow(scope.caller, meta, row, "AppendTo");
  const activity = entityByName("email");
  if (activity) {
    security.assertPrivilege(scope.caller, activity, "Create");
    security.assertPrivilege(scope.caller, activity, "Append");
  }
  if (row.statecode !== 0)
    throw new DataverseError(
      400,
      DataverseCode.caseResolved,
      "This case has already been resolved. Close and reopen the case record to see the updates.",
    );
  const status = typeof b.Status === "number" ? b.Status : 5;
  const statusOption = meta.columns.get("statuscode")?.choice?.options.find((o) => o.value === status);
  if (!statusOption || statusOption.state === 0)
    throw badRequest(`Status ${String(b.Status)} is not a resolved or cancelled status of a case.`, DataverseCode.outOfRange);
  scope.rows.update(meta.table, id, {
    statecode: statusOption.state ?? 1,
    statuscode: status,
    modifiedon: dataverseDate(scope.clock.now()),
  });
}

/** The record a `Target` names: `{"<primary key>": "<id>", "@odata.type": "Microsoft.Dynamics.CRM.<table>"}`. */
function targetOf(scope: WriteScope, target: unknown): { meta: NonNullable<ReturnType<typeof entityByName>>; row: Row } {
  const t = (target ?? {}) as Record<string, unknown>;
  const type = typeof t["@odata.type"] === "string" ? t["@odata.type"].replace(/^#?Microsoft\.Dynamics\.CRM\./, "") : "";
  const meta = entityByName(type);
  if (!meta)
    throw badRequest(
      'Target needs "@odata.type": "Microsoft.Dynamics.CRM.<table>" and the record\'s primary key.',
      DataverseCode.badProperty,
    );
  const id = t[meta.primaryId];
  if (typeof id !== "string" || !isGuid(id)) throw badRequest(`Target needs "${meta.primaryId}": "<id>".`, DataverseCode.badProperty);
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  return { meta, row };
}

/** A security principal: `{"systemuserid"|"teamid": "<id>", "@odata.type": "Microsoft.Dynamics.CRM.systemuser"|"…team"}`. */
function principalOf(scope: WriteScope, value: unknown): { id: string; type: "systemuser" | "team" } {
  const p = (value ?? {}) as Record<string, unknown>;
  const type = typeof p["@odata.type"] === "string" ? p["@odata.type"].replace(/^#?Microsoft\.Dynamics\.CRM\./, "") : "";
  const kind = type === "team" || (!type && typeof p.teamid === "string") ? "team" : "systemuser";
  const id = p[kind === "team" ? "teamid" : "systemuserid"];
  if (typeof id !== "string" || !isGuid(id))
    throw badRequest(`The principal needs "${kind === "team" ? "teamid" : "systemuserid"}": "<id>".`, DataverseCode.badProperty);
  if (!scope.rows.get(tableByName(kind), id)) throw notFound(kind, id);
  return { id: id.toLowerCase(), type: kind };
}

/**
 * `GrantAccess` (unbound action): `{"Target": {…}, "PrincipalAccess": {"Principal": {…}, "AccessMask": "ReadAccess, WriteAccess"}}`
 * (https://learn.microsoft.com/power-apps/developer/data-platform/security-sharing-assigning#grantaccess-example).
 */
export function grantAccessAction(scope: WriteScope, body: unknown): void {
  const b = (body ?? {}) as { Target?: unknown; PrincipalAccess?: { Principal?: unknown; AccessMask?: unknown } };
  const { meta, row } = targetOf(scope, b.Target);
  const principal = principalOf(scope, b.PrincipalAccess?.Principal);
  const mask = parseAccessMask(b.PrincipalAccess?.AccessMask);
  if (mask === undefined)
    throw badRequest('PrincipalAccess needs "AccessMask", e.g. "ReadAccess, WriteAccess".', DataverseCode.badProperty);
  grantAccess(scope, meta, row, principal, mask);
}

/** `RevokeAccess` (unbound action): `{"Target": {…}, "Revokee": {…}}`. */
export function revokeAccessAction(scope: WriteScope, body: unknown): void {
  const b = (body ?? {}) as { Target?: unknown; Revokee?: unknown };
  const { meta, row } = targetOf(scope, b.Target);
  const principal = principalOf(scope, b.Revokee);
  revokeAccess(scope, meta, row, principal.id);
}

/** The rights RetrievePrincipalAccess reports, in the flags' order, with the verb each stands for. */
const reportedRights: ReadonlyArray<readonly [AccessRightName, Verb]> = [
  ["ReadAccess", "Read"],
  ["WriteAccess", "Write"],
  ["AppendAccess", "Append"],
  ["AppendToAccess", "AppendTo"],
  ["CreateAccess", "Create"],
  ["DeleteAccess", "Delete"],
  ["ShareAccess", "Share"],
  ["AssignAccess", "Assign"],
];

/**
 * `systemusers(<id>)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t={'@odata.id':'incidents(<id>)'}`
 * (also bound to `teams`): the rights the principal holds on the record, from its roles' privileges
 * and depths, its teams and the record's shares, written as the Web API writes flags
 * (`"ReadAccess, AppendToAccess"`, `"None"` for none). The caller needs the Read privilege on the
 * target's table ("RetrievePrincipalAccess Privileges": prvReadIncident for an incident,
 * https://learn.microsoft.com/previous-versions/aa662442(v=msdn.10)); the principal may be anyone.
 * The form of the call: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/use-web-api-functions
 * ("Pass reference to an entity to a function").
 */
export function retrievePrincipalAccess(
  scope: WriteScope,
  principal: { id: string; type: "systemuser" | "team" },
  target: string | undefined,
): { AccessRights: string } {
  if (target === undefined)
    throw badRequest("Parameter 'Target' is required: Target=@t with @t={'@odata.id':'<set>(<id>)'}.", DataverseCode.badProperty);
  let ref: unknown;
  try {
    // The documented alias value uses single quotes; JSON's double quotes work too.
    ref = JSON.parse(target.trim().startsWith("{'") ? target.replace(/'/g, '"') : target);
  } catch {
    throw badRequest(`The value of parameter 'Target' is not a record reference: ${target}`, DataverseCode.badProperty);
  }
  const odataId = String((ref as { "@odata.id"?: unknown } | null)?.["@odata.id"] ?? "");
  const m = /([A-Za-z_]+)\(\{?([0-9A-Fa-f-]{36})\}?\)$/.exec(odataId);
  const meta = m ? entityBySet(m[1]) : undefined;
  if (!m || !meta)
    throw badRequest(`The value of parameter 'Target' must carry "@odata.id": "<set>(<id>)": ${target}`, DataverseCode.badProperty);
  const id = m[2].toLowerCase();
  if (!scope.rows.get(tableByName(principal.type), principal.id)) throw notFound(principal.type, principal.id);
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  scope.security.assertPrivilege(scope.caller, meta, "Read");
  const context = scope.security.principalContext(principal);
  const held = reportedRights.filter(([, verb]) => scope.security.reaches(context, meta, row, verb)).map(([name]) => name);
  held.sort((a, b) => AccessRights[a] - AccessRights[b]);
  return { AccessRights: held.length ? held.join(", ") : "None" };
}
