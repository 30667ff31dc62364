/** The seeded people of the sandbox: one Dynamics user per role, and customer contacts (guests). */
export interface SandboxUser {
  readonly key: "agent" | "specialist" | "supervisor" | "admin";
  /** systemuserid in Dataverse, also `oid` in tokens. */
  readonly id: string;
  readonly fullName: string;
  /** systemuser.domainname: the UPN, `preferred_username` in tokens. */
  readonly upn: string;
  /** The product role key (see src/model/roles.ts). */
  readonly role: "agent" | "specialist" | "supervisor" | "administrator";
  readonly businessUnitId: string;
}

export const tenantId = "8c3b7f0e-5a1d-4d6e-9f2a-3b4c5d6e7f80";
export const tenantDomain = "contoso.example";
export const rootBusinessUnitId = "0b1e4d5c-0000-4000-8000-000000000001";
export const serviceBusinessUnitId = "0b1e4d5c-0000-4000-8000-000000000002";

export const users: readonly SandboxUser[] = [
  {
    key: "agent",
    id: "5e1a0001-0000-4000-8000-0000000000a1",
    fullName: "Alex Agent",
    upn: "alex.agent@contoso.example",
    role: "agent",
    businessUnitId: rootBusinessUnitId,
  },
  {
    key: "specialist",
    id: "5e1a0002-0000-4000-8000-0000000000a2",
    fullName: "Sam Specialist",
    upn: "sam.specialist@contoso.example",
    role: "specialist",
    businessUnitId: serviceBusinessUnitId,
  },
  {
    key: "supervisor",
    id: "5e1a0003-0000-4000-8000-0000000000a3",
    fullName: "Pat Supervisor",
    upn: "pat.supervisor@contoso.example",
    role: "supervisor",
    businessUnitId: rootBusinessUnitId,
  },
  {
    key: "admin",
    id: "5e1a0004-0000-4000-8000-0000000000a4",
    fullName: "Ada Administrator",
    upn: "ada.admin@contoso.example",
    role: "administrator",
    businessUnitId: rootBusinessUnitId,
  },
];

export function userByKey(key: string): SandboxUser | undefined {
  return users.find((u) => u.key === key);
}

/** The application user the retention job acts as in Dataverse (client credentials). */
export const applicationUserId = "5e1a0009-0000-4000-8000-0000000000a9";
export const applicationUserName = "# Case File Exchange (application)";
/** The organization (environment): WhoAmI's OrganizationId and the `orgname` web resources receive. */
export const organizationId = "0f9a0000-0000-4000-8000-000000000001";
export const organizationName = "contoso";
