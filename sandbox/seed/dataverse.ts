import {
  ExchangeDirection,
  ExchangeStage,
  FileIntegrity,
  FileStatus,
  IncidentState,
  RecipientRole,
  fieldSecurityProfiles,
  type FieldSecurityProfileDef,
} from "../../src/model";
import { TeamType } from "../install/baseline";
import { catalog, tableByName } from "../install/catalog";
import { environmentVariableDefinitionId, roleCopyId } from "../install/importSolution";
import type { Origins, SandboxClock } from "../context";
import { seededFileBytes } from "../graph/seed";
import { driveIdFor } from "../graph/ids";
import { spaClientId } from "../identity/clients";
import { identityMountPath } from "../identity/issuer";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import { entityByName } from "../dataverse/metadata";
import { AccessRights, Security } from "../dataverse/security";
import { createRecord, dataverseDate, type WriteScope } from "../dataverse/writes";
import type { Row, RowStore } from "../store/rows";
import { seededExchangeFolders, type SeededExchangeFolder } from "./exchanges";
import { seededItemId, seededPermissionId, stableId } from "./ids";
import { rootRoleId } from "./roles";
import {
  applicationUserId,
  applicationUserName,
  rootBusinessUnitId,
  serviceBusinessUnitId,
  teamByKey,
  teams,
  tenantId,
  userByKey,
  users,
  type SeededRole,
} from "./people";

/** The SharePoint site the seeded settings point at (the Graph stand-in answers for it). */
export const seededSitePath = "/sites/CustomerFiles";
export const seededLibraryName = "Documents";

/** Values the sandbox gives environment variables (the solution ships only defaults). */
export function sandboxSettingValues(origins: Origins): Record<string, string> {
  return {
    cfx_SharePointSiteUrl: `${origins.sharepoint}${seededSitePath}`,
    cfx_EntraTenantId: tenantId,
    cfx_EntraClientId: spaClientId,
    cfx_SignInAuthority: `${origins.app}${identityMountPath.slice(0, identityMountPath.indexOf(`/${tenantId}`))}`,
    cfx_GraphEndpoint: origins.graph,
  };
}

interface AccountSeed {
  readonly key: string;
  readonly name: string;
  readonly email: string;
}
interface ContactSeed {
  readonly key: string;
  readonly first: string;
  readonly last: string;
  readonly email?: string;
  readonly account: string;
}
type UserKey = "agent" | "specialist" | "supervisor" | "admin";
interface CaseSeed {
  readonly number: string;
  readonly title: string;
  readonly description: string;
  readonly account: string;
  readonly contact?: string;
  readonly owner: UserKey;
  /** An owner team owns the case instead of `owner` (who then stands for the team's member working it). */
  readonly ownerTeam?: string;
  readonly state?: number;
  readonly sharedWith?: readonly UserKey[];
  readonly ticket?: string;
  readonly exchange?: { readonly stage: number; readonly deletedDaysAgo?: number; readonly revoked?: boolean };
  readonly createdDaysAgo: number;
}

const accounts: readonly AccountSeed[] = [
  { key: "fabrikam", name: "Fabrikam, Inc.", email: "info@fabrikam.example" },
  { key: "northwind", name: "Northwind Traders", email: "contact@northwind.example" },
  { key: "adventure", name: "Adventure Works Cycles", email: "service@adventure-works.example" },
  { key: "tailspin", name: "Tailspin Toys / Europe", email: "office@tailspin.example" },
  { key: "litware", name: "Litware, Inc.", email: "it@litware.example" },
];

const contacts: readonly ContactSeed[] = [
  { key: "maria", first: "Maria", last: "Lopez", email: "maria.lopez@fabrikam.example", account: "fabrikam" },
  { key: "tom", first: "Tom", last: "Baker", email: "tom.baker@northwind.example", account: "northwind" },
  { key: "priya", first: "Priya", last: "Patel", email: "priya.patel@adventure-works.example", account: "adventure" },
  // Her address changed after the folder was shared with the old one (CAS-01011).
  { key: "lena", first: "Lena", last: "Fischer", email: "lena.fischer@tailspin.example", account: "tailspin" },
  { key: "yuki", first: "Yuki", last: "Tanaka", account: "litware" },
  { key: "omar", first: "Omar", last: "Haddad", email: "omar.haddad@litware.example", account: "litware" },
];

const S = ExchangeStage;

/** Cases in every state of both directions; numbers match seededExchangeFolders where a folder exists. */
const cases: readonly CaseSeed[] = [
  {
    number: "CAS-01000-Z9Y8X7",
    title: "Laptop does not boot after update",
    description: "Customer's laptop is in the workshop; the disk will be imaged and the data returned as a backup.",
    account: "fabrikam",
    contact: "maria",
    owner: "agent",
    ticket: "Image the disk of the customer's laptop and prepare the backup.",
    createdDaysAgo: 1,
  },
  {
    number: "CAS-01001-A1B2C3",
    title: "Replace failing SSD",
    description: "SSD reports SMART errors. Data to be migrated to the replacement drive and handed back as a backup.",
    account: "fabrikam",
    contact: "maria",
    owner: "agent",
    ticket: "Back up the failing SSD before replacement.",
    exchange: { stage: S.folderCreated },
    createdDaysAgo: 2,
  },
  {
    number: "CAS-01002-D4E5F6",
    title: "Workstation data migration",
    description: "Old workstation retired; the customer wants a copy of the user profile.",
    account: "northwind",
    contact: "tom",
    owner: "agent",
    ticket: "Export the user profile from the retired workstation.",
    exchange: { stage: S.backupReady },
    createdDaysAgo: 3,
  },
  {
    number: "CAS-01003-G7H8J9",
    title: "Mailbox export after device swap",
    description: "Mailbox and documents exported for the customer after the device was swapped.",
    account: "fabrikam",
    contact: "maria",
    owner: "agent",
    ticket: "Export mailbox (PST) and documents.",
    exchange: { stage: S.shared },
    createdDaysAgo: 29,
  },
  {
    number: "CAS-01004-K1L2M3",
    title: "Application crashes on start",
    description: "We asked the customer for the application's log files.",
    account: "northwind",
    contact: "tom",
    owner: "agent",
    exchange: { stage: S.filesReceived },
    createdDaysAgo: 4,
  },
  {
    number: "CAS-01005-N4P5Q6",
    title: "Printer driver fails to install",
    description: "Waiting for the installer log from the customer.",
    account: "adventure",
    contact: "priya",
    owner: "agent",
    exchange: { stage: S.shared },
    createdDaysAgo: 2,
  },
  {
    number: "CAS-01006-R7S8T9",
    title: "Tablet photos recovery",
    description: "Photos recovered from a broken tablet; access was revoked after the customer reported the wrong recipient.",
    account: "adventure",
    contact: "priya",
    owner: "agent",
    ticket: "Recover photos from the broken tablet.",
    exchange: { stage: S.revoked, revoked: true },
    createdDaysAgo: 11,
  },
  {
    number: "CAS-01007-U1V2W3",
    title: "Old backup, expired",
    description: "The backup folder expired and was deleted by the retention job.",
    account: "northwind",
    contact: "tom",
    owner: "agent",
    exchange: { stage: S.deleted, deletedDaysAgo: 5 },
    createdDaysAgo: 40,
  },
  {
    number: "CAS-01008-W3X4Y5",
    title: "Restore image for reinstalled PC",
    description: "Resolved: the customer has the restore image. The shared folder lives on until it expires.",
    account: "northwind",
    contact: "tom",
    owner: "agent",
    state: IncidentState.resolved,
    exchange: { stage: S.shared },
    createdDaysAgo: 7,
  },
  {
    number: "CAS-01009-A2B3C4",
    title: "Server room access badge",
    description: "A case with no responsible contact yet.",
    account: "litware",
    owner: "agent",
    createdDaysAgo: 1,
  },
  {
    number: "CAS-01010-D5E6F7",
    title: "Keyboard replacement",
    description: "The responsible contact has no e-mail address on file.",
    account: "litware",
    contact: "yuki",
    owner: "agent",
    createdDaysAgo: 1,
  },
  {
    number: "CAS-01011-E5F6G7",
    title: "Documents from the old notebook",
    description: "Shared with the contact's old address; her e-mail changed since.",
    account: "tailspin",
    contact: "lena",
    owner: "agent",
    exchange: { stage: S.shared },
    createdDaysAgo: 5,
  },
  {
    number: "CAS-01012-H8J9K2",
    title: "Escalated: RAID controller failure",
    description: "Owned by the administrator and shared with the agent.",
    account: "litware",
    contact: "omar",
    owner: "admin",
    sharedWith: ["agent"],
    exchange: { stage: S.folderCreated },
    createdDaysAgo: 3,
  },
  {
    number: "CAS-01013-T2Q5R8",
    title: "NAS volume restore",
    description: "Owned by the Tier 2 Support team; the service center has stored the backup and can notify support.",
    account: "adventure",
    contact: "priya",
    owner: "agent",
    ownerTeam: "tier2",
    ticket: "Restore the NAS volume and hand the data back as a backup.",
    exchange: { stage: S.folderCreated },
    createdDaysAgo: 2,
  },
];

const day = 24 * 3600 * 1000;

/** Writes the seeded Dataverse state: users, accounts, contacts, cases, tickets, exchanges, notes, settings. */
export function seedDataverse(rows: RowStore, clock: SandboxClock, origins: Origins): void {
  // The seed writes as the platform itself: no privilege checks, but the same defaults, stamps and cascades.
  const scope: WriteScope = { rows, security: new Security(rows), caller: { kind: "system" }, clock, applicationUserId };
  const now = clock.now().getTime();
  const at = (daysAgo: number, hours = 0) => dataverseDate(new Date(now - daysAgo * day + hours * 3600 * 1000));
  const meta = (name: string) => {
    const m = entityByName(name);
    if (!m) throw new Error(`no table ${name}`);
    return m;
  };
  /** Creates as the platform would for that user: `createdby`/`modifiedby` name them, not the seed. */
  const createAs = (by: UserKey, table: string, body: Record<string, unknown>) => {
    const id = createRecord(scope, meta(table), body);
    const stamps: Row = {};
    if (meta(table).columns.has("createdby")) Object.assign(stamps, { createdby: user(by), createdby__table: "systemuser" });
    if (meta(table).columns.has("modifiedby")) Object.assign(stamps, { modifiedby: user(by), modifiedby__table: "systemuser" });
    if (Object.keys(stamps).length) rows.update(tableByName(table), id, stamps);
    return id;
  };
  const create = (table: string, body: Record<string, unknown>) => createAs("admin", table, body);
  const stamp = (table: string, id: string, changes: Row) => rows.update(tableByName(table), id, changes);
  const user = (key: UserKey) => userByKey(key)?.id ?? applicationUserId;
  const owner = (key: UserKey) => ({ "ownerid@odata.bind": `/systemusers(${user(key)})` });
  const caseOwner = (c: CaseSeed) => {
    const team = c.ownerTeam ? teamByKey(c.ownerTeam) : undefined;
    return team ? { "ownerid@odata.bind": `/teams(${team.id})` } : owner(c.owner);
  };

  rows.transaction(() => {
    rows.insert(tableByName("businessunit"), { businessunitid: rootBusinessUnitId, name: "Contoso" });
    rows.insert(tableByName("businessunit"), {
      businessunitid: serviceBusinessUnitId,
      name: "Contoso Service Center",
      parentbusinessunitid: rootBusinessUnitId,
      parentbusinessunitid__table: "businessunit",
    });
    for (const u of users) {
      rows.insert(tableByName("systemuser"), {
        systemuserid: u.id,
        fullname: u.fullName,
        domainname: u.upn,
        internalemailaddress: u.upn,
        azureactivedirectoryobjectid: u.entraId,
        isdisabled: 0,
        businessunitid: u.businessUnitId,
        businessunitid__table: "businessunit",
      });
      for (const role of u.roles) assignRole("systemuser", u.id, role, u.businessUnitId);
    }
    rows.insert(tableByName("systemuser"), {
      systemuserid: applicationUserId,
      fullname: applicationUserName,
      domainname: "",
      internalemailaddress: "",
      isdisabled: 0,
      businessunitid: rootBusinessUnitId,
      businessunitid__table: "businessunit",
    });
    // The retention job's application user holds what docs/deploy.md gives it: the Case File
    // Exchange Administrator role, not System Administrator, so that neither privileges nor column
    // security are bypassed for it here when they would not be in an organization.
    assignRole("systemuser", applicationUserId, "administrator", rootBusinessUnitId);
    // Profiles ship in the solution, their members do not: as docs/deploy.md asks of an installer,
    // the holders of the Administrator role join the administrators' profile and the retention
    // job's application user the job's.
    for (const u of users.filter((x) => x.roles.includes("administrator"))) addToProfile(u.id, "administrators");
    addToProfile(applicationUserId, "retentionJob");
    for (const t of teams) {
      rows.insert(tableByName("team"), {
        teamid: t.id,
        name: t.name,
        teamtype: TeamType.owner,
        businessunitid: t.businessUnitId,
        businessunitid__table: "businessunit",
      });
      for (const key of t.members) {
        rows.insert(tableByName("teammembership"), {
          teammembershipid: stableId(`teammembership/${t.key}/${key}`),
          teamid: t.id,
          teamid__table: "team",
          systemuserid: user(key as UserKey),
          systemuserid__table: "systemuser",
        });
      }
      for (const role of t.roles) assignRole("team", t.id, role, t.businessUnitId);
    }

    for (const [schemaName, value] of Object.entries(sandboxSettingValues(origins))) {
      rows.insert(tableByName("environmentvariablevalue"), {
        environmentvariablevalueid: stableId(`envvar-value/${schemaName}`),
        schemaname: schemaName,
        value,
        environmentvariabledefinitionid: environmentVariableDefinitionId(schemaName),
        environmentvariabledefinitionid__table: "environmentvariabledefinition",
      });
    }

    const accountIds = new Map<string, string>();
    for (const a of accounts) {
      const id = stableId(`account/${a.key}`);
      create("account", { accountid: id, name: a.name, emailaddress1: a.email, ...owner("agent") });
      accountIds.set(a.key, id);
    }
    const contactIds = new Map<string, string>();
    for (const c of contacts) {
      const id = stableId(`contact/${c.key}`);
      create("contact", {
        contactid: id,
        firstname: c.first,
        lastname: c.last,
        ...(c.email ? { emailaddress1: c.email } : {}),
        "parentcustomerid_account@odata.bind": `/accounts(${accountIds.get(c.account)})`,
        ...owner("agent"),
      });
      contactIds.set(c.key, id);
    }

    for (const c of cases) seedCase(c);
    // Cases created through the API continue after the seeded numbers.
    const last = Math.max(...cases.map((c) => Number(/^CAS-(\d+)-/.exec(c.number)?.[1] ?? 0)));
    rows.sequenceAtLeast("incident/autonumber", last);
  });

  /** A user in one of the solution's field security profiles (when the installed solution has it). */
  function addToProfile(userId: string, key: FieldSecurityProfileDef["key"]): void {
    const id = fieldSecurityProfiles.find((p) => p.key === key)?.id;
    if (!id || !catalog().fieldSecurityProfiles.some((p) => p.id === id)) return;
    rows.insert(tableByName("systemuserprofiles"), {
      systemuserprofileid: stableId(`systemuserprofiles/${userId}/${id}`),
      systemuserid: userId,
      systemuserid__table: "systemuser",
      fieldsecurityprofileid: id,
      fieldsecurityprofileid__table: "fieldsecurityprofile",
    });
  }

  /** A user's or a team's role: the copy of the business unit the principal sits in (written by the installer). */
  function assignRole(kind: "systemuser" | "team", principalId: string, role: SeededRole, unit: string): void {
    const roleid = roleCopyId(rootRoleId(role), unit);
    if (kind === "systemuser") {
      rows.insert(tableByName("systemuserroles"), {
        systemuserroleid: stableId(`systemuserroles/${principalId}/${roleid}`),
        systemuserid: principalId,
        systemuserid__table: "systemuser",
        roleid,
        roleid__table: "role",
      });
    } else {
      rows.insert(tableByName("teamroles"), {
        teamroleid: stableId(`teamroles/${principalId}/${roleid}`),
        teamid: principalId,
        teamid__table: "team",
        roleid,
        roleid__table: "role",
      });
    }
  }

  function note(
    table: "incident" | "cfx_hardwareticket" | "cfx_fileexchange",
    id: string,
    subject: string,
    text: string,
    by: UserKey,
    daysAgo: number,
  ): void {
    const noteId = createAs(by, "annotation", {
      subject,
      notetext: text,
      [`objectid_${table}@odata.bind`]: `/${meta(table).setName}(${id})`,
      ...owner(by),
    });
    stamp("annotation", noteId, { createdon: at(daysAgo), modifiedon: at(daysAgo), createdby: user(by), createdby__table: "systemuser" });
  }

  function seedCase(c: CaseSeed): void {
    const caseId = stableId(`incident/${c.number}`);
    const contactId = c.contact ? stableId(`contact/${c.contact}`) : undefined;
    create("incident", {
      incidentid: caseId,
      title: c.title,
      ticketnumber: c.number,
      description: c.description,
      "customerid_account@odata.bind": `/accounts(${stableId(`account/${c.account}`)})`,
      ...(contactId ? { "primarycontactid@odata.bind": `/contacts(${contactId})` } : {}),
      ...caseOwner(c),
    });
    stamp("incident", caseId, {
      createdon: at(c.createdDaysAgo),
      modifiedon: at(c.createdDaysAgo),
      ...(c.state !== undefined ? { statecode: c.state, statuscode: c.state === IncidentState.resolved ? 5 : 6 } : {}),
    });
    const shareRights = AccessRights.ReadAccess | AccessRights.WriteAccess | AccessRights.AppendAccess | AccessRights.AppendToAccess;
    for (const who of c.sharedWith ?? []) rows.share("incident", caseId, { id: user(who), type: "systemuser" }, shareRights);

    let ticketId: string | undefined;
    if (c.ticket) {
      ticketId = stableId(`ticket/${c.number}`);
      createAs("specialist", "cfx_hardwareticket", {
        cfx_hardwareticketid: ticketId,
        cfx_description: c.ticket,
        "cfx_CaseId@odata.bind": `/incidents(${caseId})`,
        ...owner("specialist"),
      });
      stamp("cfx_hardwareticket", ticketId, { createdon: at(c.createdDaysAgo - 0.1), modifiedon: at(c.createdDaysAgo - 0.1) });
    }
    if (c.exchange) seedExchange(c, caseId, ticketId);
  }

  function seedExchange(c: CaseSeed, caseId: string, ticketId: string | undefined): void {
    const folder: SeededExchangeFolder | undefined = seededExchangeFolders.find((f) => f.caseNumber === c.number);
    const stage = c.exchange?.stage ?? S.folderCreated;
    const direction = folder?.direction === "upload" ? ExchangeDirection.filesFromCustomer : ExchangeDirection.backupForCustomer;
    const isBackup = direction === ExchangeDirection.backupForCustomer;
    const root = isBackup ? "Customer Data Migration" : "External Data Transfer";
    const path = folder?.path ?? `${root}/${c.number}`;
    const createdDaysAgo = folder?.createdDaysAgo ?? c.createdDaysAgo - 1;
    const retention = isBackup ? 30 : 7;
    const files = folder?.files ?? [];
    const id = stableId(`exchange/${c.number}`);
    const reached = (s: number) => stage === s;
    const shared = stage === S.shared || stage === S.filesReceived || stage === S.revoked || (stage === S.deleted && !isBackup);
    const siteUrl = `${origins.sharepoint}${seededSitePath}`;
    const creator: UserKey = isBackup ? "specialist" : c.owner;
    createAs(creator, "cfx_fileexchange", {
      cfx_fileexchangeid: id,
      cfx_name: c.number,
      "cfx_CaseId@odata.bind": `/incidents(${caseId})`,
      ...(ticketId && isBackup ? { "cfx_HardwareTicketId@odata.bind": `/cfx_hardwaretickets(${ticketId})` } : {}),
      cfx_direction: direction,
      cfx_stage: stage,
      cfx_folderpath: path,
      cfx_driveid: driveIdFor(seededLibraryName),
      cfx_itemid: seededItemId(path),
      cfx_weburl: `${siteUrl}/Shared%20Documents/${path.split("/").map(encodeURIComponent).join("/")}`,
      cfx_foldercreatedon: at(createdDaysAgo),
      ...(c.owner === "admin" ? {} : { cfx_expireson: at(createdDaysAgo - retention) }),
      ...(files.length > 0
        ? { cfx_filecount: files.length, cfx_totalbytes: files.reduce((n, f) => n + f.size, 0) }
        : { cfx_filecount: 0, cfx_totalbytes: 0 }),
      ...(isBackup && stage !== S.folderCreated ? { cfx_readyon: at(createdDaysAgo - 0.2), cfx_notifiedon: at(createdDaysAgo - 0.2) } : {}),
      ...(shared || (stage === S.deleted && isBackup) ? { cfx_sharedon: at(createdDaysAgo - 0.3) } : {}),
      ...(reached(S.deleted) ? { cfx_deletedon: at(c.exchange?.deletedDaysAgo ?? 0) } : {}),
      cfx_lastcheckedon: at(0.5),
      // An exchange belongs to whoever created it: the specialist who prepared the backup's
      // folder, the agent who asked the customer for files.
      ...owner(creator),
    });
    stamp("cfx_fileexchange", id, {
      createdon: at(createdDaysAgo),
      modifiedon: at(0.5),
      createdby: user(creator),
      createdby__table: "systemuser",
      // The secured decisions, as an administrator's Keep and a confirmed removal leave them.
      ...(c.owner === "admin" ? { cfx_keptsince: at(createdDaysAgo) } : {}),
      ...(reached(S.deleted) ? { cfx_removedon: at(c.exchange?.deletedDaysAgo ?? 0) } : {}),
    });

    const by = isBackup ? "specialist" : "agent";
    note("cfx_fileexchange", id, "Folder created", `${path} was created in SharePoint by ${userByKey(by)?.fullName}.`, by, createdDaysAgo);
    note(
      "incident",
      caseId,
      "Folder created",
      `A folder for ${isBackup ? "the customer's backup" : "files from the customer"} was created: ${path}.`,
      by,
      createdDaysAgo,
    );

    files.forEach((file, i) => {
      const filePath = `${path}/${file.name}`;
      const bytes = seededFileBytes(filePath, file.size);
      createAs(creator, "cfx_filereceipt", {
        cfx_name: file.name,
        "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${id})`,
        cfx_itemid: seededItemId(filePath),
        cfx_size: file.size,
        cfx_quickxorhash: new QuickXorHash().update(bytes).digest(),
        cfx_uploadedon: at(createdDaysAgo - 0.1 - i * 0.01),
        // A customer's file is receipted by the arrival check: SharePoint's hash, the guest who put
        // it in, the batch that found it; a backup's by the upload that verified it.
        ...(isBackup
          ? { cfx_integrity: FileIntegrity.verified }
          : {
              cfx_integrity: FileIntegrity.recordedBySharePoint,
              cfx_uploadedby: folder?.recipients[0]?.email,
              cfx_batchid: stableId(`batch/${c.number}/1`),
              cfx_filestatus: FileStatus.inFolder,
              // The seeded arrival was told already (the note and notification below).
              cfx_reportedon: at(createdDaysAgo - 1),
            }),
        ...owner(creator),
      });
    });
    if (isBackup && stage !== S.folderCreated && stage !== S.deleted) {
      note(
        "cfx_fileexchange",
        id,
        "Backup ready",
        `${files.length} file(s) stored. Support was notified by ${userByKey("specialist")?.fullName}.`,
        "specialist",
        createdDaysAgo - 0.2,
      );
      note(
        "incident",
        caseId,
        "Backup ready",
        `The backup for ${c.number} is uploaded and ready to share with the customer.`,
        "specialist",
        createdDaysAgo - 0.2,
      );
      if (ticketId)
        note(
          "cfx_hardwareticket",
          ticketId,
          "Support notified",
          `Support was told that the backup for ${c.number} is ready.`,
          "specialist",
          createdDaysAgo - 0.2,
        );
      createAs("specialist", "appnotification", {
        title: `Backup ready: ${c.number}`,
        body: `The backup for "${c.title}" is uploaded. Share it with the customer from the case.`,
        icontype: 100000000,
        toasttype: 200000000,
        priority: 200000000,
        ...owner(c.owner),
      });
    }

    for (const recipient of folder?.recipients ?? []) {
      const invitedOn = at(createdDaysAgo - 0.3);
      const revoked = c.exchange?.revoked === true;
      const contact = contacts.find((x) => x.key === c.contact);
      createAs(c.owner, "cfx_exchangerecipient", {
        cfx_name: recipient.email,
        "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${id})`,
        cfx_role: recipient.role === "write" ? RecipientRole.write : RecipientRole.read,
        cfx_permissionid: seededPermissionId(path, recipient.email),
        cfx_invitedon: invitedOn,
        "cfx_InvitedById@odata.bind": `/systemusers(${user(c.owner)})`,
        ...(contact?.email && contact.email !== recipient.email && c.number !== "CAS-01011-E5F6G7"
          ? { cfx_reason: "Requested by the customer." }
          : {}),
        ...(revoked
          ? {
              cfx_revokedon: at(createdDaysAgo - 2),
              "cfx_RevokedById@odata.bind": `/systemusers(${user(c.owner)})`,
              cfx_reason: "Wrong recipient.",
            }
          : {}),
        ...owner(c.owner),
      });
      note(
        "cfx_fileexchange",
        id,
        "Shared with the customer",
        `${userByKey(c.owner)?.fullName} invited ${recipient.email} (can edit). Expires on ${at(createdDaysAgo - retention).slice(0, 10)}.`,
        c.owner,
        createdDaysAgo - 0.3,
      );
      note(
        "incident",
        caseId,
        "Shared with the customer",
        `The folder was shared with ${recipient.email}; it will be deleted on ${at(createdDaysAgo - retention).slice(0, 10)}.`,
        c.owner,
        createdDaysAgo - 0.3,
      );
      const emailId = createAs(c.owner, "email", {
        subject: `${c.number}: files shared with you`,
        description: `<p>Dear customer,</p><p>${isBackup ? "Your backup is ready" : "Please upload your files"}: <a href="${siteUrl}/Shared%20Documents/${encodeURI(path)}">${path}</a></p>`,
        directioncode: true,
        "regardingobjectid_incident@odata.bind": `/incidents(${caseId})`,
        email_activity_parties: [
          { "partyid_systemuser@odata.bind": `/systemusers(${user(c.owner)})`, participationtypemask: 1 },
          { addressused: recipient.email, participationtypemask: 2 },
        ],
        ...owner(c.owner),
      });
      stamp("email", emailId, { statecode: 1, statuscode: 3, createdon: at(createdDaysAgo - 0.3), modifiedon: at(createdDaysAgo - 0.3) });
      if (revoked) {
        note(
          "cfx_fileexchange",
          id,
          "Access revoked",
          `${userByKey(c.owner)?.fullName} revoked ${recipient.email}'s access. Reason: wrong recipient.`,
          c.owner,
          createdDaysAgo - 2,
        );
      }
    }
    if (stage === S.filesReceived) {
      note("cfx_fileexchange", id, "Files received", `The customer uploaded ${files.length} file(s).`, c.owner, createdDaysAgo - 1);
      note("incident", caseId, "Files received", `The customer uploaded ${files.length} file(s) to ${path}.`, c.owner, createdDaysAgo - 1);
      create("appnotification", {
        title: `Files received: ${c.number}`,
        body: `The customer uploaded ${files.length} file(s).`,
        icontype: 100000000,
        ...owner(c.owner),
      });
    }
    if (stage === S.deleted) {
      note(
        "cfx_fileexchange",
        id,
        "Folder deleted",
        `The folder expired and was deleted (recycle bin). External access was revoked first.`,
        "admin",
        c.exchange?.deletedDaysAgo ?? 0,
      );
    }
  }
}

/** Rewrites seeded setting values that point at the sandbox when it now runs on other ports. */
export function refreshSandboxSettings(rows: RowStore, origins: Origins): void {
  const table = tableByName("environmentvariablevalue");
  for (const [schemaName, value] of Object.entries(sandboxSettingValues(origins))) {
    const id = stableId(`envvar-value/${schemaName}`);
    const row = rows.get(table, id);
    if (row && row.value !== value && /^https:\/\/(localhost|127\.0\.0\.1):\d+/.test(String(row.value))) rows.update(table, id, { value });
  }
}

/**
 * A data folder seeded before people had Entra object ids: their user rows get them, so the Teams
 * follow-up finds the agent without a reset.
 */
export function refreshEntraIds(rows: RowStore): void {
  const table = tableByName("systemuser");
  for (const u of users) {
    const row = rows.get(table, u.id);
    if (row && !row.azureactivedirectoryobjectid) rows.update(table, u.id, { azureactivedirectoryobjectid: u.entraId });
  }
}
