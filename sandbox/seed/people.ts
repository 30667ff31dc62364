import type { RoleDef } from "../../src/model";

/** A role a seeded person or team holds: one of the product's four, or one of the platform's (sandbox/install/platformRoles.ts). */
export type SeededRole = RoleDef["key"] | "customerServiceRepresentative" | "systemAdministrator";

/** The seeded people of the sandbox: Dynamics users of the support organization (customers are contacts and guests). */
export interface SandboxUser {
  readonly key: "agent" | "agent2" | "serviceagent" | "specialist" | "supervisor" | "admin" | "dispatcher";
  /** systemuserid in Dataverse. */
  readonly id: string;
  /**
   * The person's Microsoft Entra object id: `oid` in tokens, `id` in Graph (`/me`, chat members,
   * `createdBy`), and `azureactivedirectoryobjectid` on their user row, as Dynamics 365 keeps it.
   * Unlike the systemuserid, which Dataverse gives each user itself.
   */
  readonly entraId: string;
  readonly fullName: string;
  /** systemuser.domainname: the UPN, `preferred_username` in tokens. */
  readonly upn: string;
  /** What the person does, as the shell's user switcher says it. */
  readonly title: string;
  /** The roles they hold, each as their own business unit's copy (systemuserroles). */
  readonly roles: readonly SeededRole[];
  readonly businessUnitId: string;
}

export const tenantId = "8c3b7f0e-5a1d-4d6e-9f2a-3b4c5d6e7f80";
export const tenantDomain = "contoso.example";
/** "Contoso", the root business unit. */
export const rootBusinessUnitId = "0b1e4d5c-0000-4000-8000-000000000001";
/** "Contoso Service Center", a child of the root: the service team's unit. */
export const serviceBusinessUnitId = "0b1e4d5c-0000-4000-8000-000000000002";

/**
 * The first four keep their places (the Graph seed names its authors by position). Support staff
 * hold the platform's Customer Service Representative role beside the product's, as real agents,
 * specialists and supervisors do (the product's roles are given on top of it, docs/solution.md);
 * the administrator is the organization's System Administrator.
 */
export const users: readonly SandboxUser[] = [
  {
    key: "agent",
    id: "5e1a0001-0000-4000-8000-0000000000a1",
    entraId: "0a9e0001-0000-4000-8000-0000000000a1",
    fullName: "Alex Agent",
    upn: "alex.agent@contoso.example",
    title: "Support agent",
    roles: ["agent", "customerServiceRepresentative"],
    businessUnitId: rootBusinessUnitId,
  },
  {
    key: "specialist",
    id: "5e1a0002-0000-4000-8000-0000000000a2",
    entraId: "0a9e0002-0000-4000-8000-0000000000a2",
    fullName: "Sam Specialist",
    upn: "sam.specialist@contoso.example",
    title: "Service specialist",
    roles: ["specialist", "customerServiceRepresentative"],
    businessUnitId: serviceBusinessUnitId,
  },
  {
    key: "supervisor",
    id: "5e1a0003-0000-4000-8000-0000000000a3",
    entraId: "0a9e0003-0000-4000-8000-0000000000a3",
    fullName: "Pat Supervisor",
    upn: "pat.supervisor@contoso.example",
    title: "Supervisor",
    roles: ["supervisor", "customerServiceRepresentative"],
    businessUnitId: rootBusinessUnitId,
  },
  {
    key: "admin",
    id: "5e1a0004-0000-4000-8000-0000000000a4",
    entraId: "0a9e0004-0000-4000-8000-0000000000a4",
    fullName: "Ada Administrator",
    upn: "ada.admin@contoso.example",
    // The organization's administrator: System Administrator (who sets environment variables and
    // manages users) and the product's Administrator role.
    title: "Administrator",
    roles: ["administrator", "systemAdministrator"],
    businessUnitId: rootBusinessUnitId,
  },
  {
    // Assigns incoming cases to agents and teams; no product role at all.
    key: "dispatcher",
    id: "5e1a0005-0000-4000-8000-0000000000a5",
    entraId: "0a9e0005-0000-4000-8000-0000000000a5",
    fullName: "Dana Dispatcher",
    upn: "dana.dispatcher@contoso.example",
    title: "Dispatcher (Customer Service Representative only)",
    roles: ["customerServiceRepresentative"],
    businessUnitId: rootBusinessUnitId,
  },
  {
    key: "agent2",
    id: "5e1a0006-0000-4000-8000-0000000000a6",
    entraId: "0a9e0006-0000-4000-8000-0000000000a6",
    fullName: "Jordan Agent",
    upn: "jordan.agent@contoso.example",
    title: "Support agent",
    roles: ["agent", "customerServiceRepresentative"],
    businessUnitId: rootBusinessUnitId,
  },
  {
    // A support agent who sits in the service team's unit: parent: child depth reaches that unit
    // and below, never the root unit above it.
    key: "serviceagent",
    id: "5e1a0007-0000-4000-8000-0000000000a7",
    entraId: "0a9e0007-0000-4000-8000-0000000000a7",
    fullName: "Riley Agent",
    upn: "riley.agent@contoso.example",
    title: "Support agent (Contoso Service Center)",
    roles: ["agent", "customerServiceRepresentative"],
    businessUnitId: serviceBusinessUnitId,
  },
];

export function userByKey(key: string): SandboxUser | undefined {
  return users.find((u) => u.key === key);
}

/** An owner team: owns records and holds roles; its members get what its roles give. */
export interface SandboxTeam {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly businessUnitId: string;
  readonly members: readonly SandboxUser["key"][];
  readonly roles: readonly SeededRole[];
}

export const teams: readonly SandboxTeam[] = [
  {
    key: "tier2",
    id: "7ea70001-0000-4000-8000-0000000000b1",
    name: "Tier 2 Support",
    businessUnitId: rootBusinessUnitId,
    members: ["agent", "agent2"],
    roles: ["agent"],
  },
];

export function teamByKey(key: string): SandboxTeam | undefined {
  return teams.find((t) => t.key === key);
}

/** The application user the retention job acts as in Dataverse (client credentials); it holds the Administrator role. */
export const applicationUserId = "5e1a0009-0000-4000-8000-0000000000a9";
export const applicationUserName = "# Case File Exchange (application)";
/** The organization (environment): WhoAmI's OrganizationId and the `orgname` web resources receive. */
export const organizationId = "0f9a0000-0000-4000-8000-000000000001";
export const organizationName = "contoso";
