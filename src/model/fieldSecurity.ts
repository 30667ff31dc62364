import type { FieldPermissionDef, FieldSecurityProfileDef } from "./schema";

/**
 * The columns that decide when a customer's folder is deleted, secured so that only these
 * profiles reach them (Dataverse column security). Everyone else, the agents and specialists who
 * write the rest of the exchange row, reads them as null and is refused a create or update that
 * sets them. System Administrators bypass profiles; the product's Administrator role does not, so
 * its holders are added to the administrators' profile in each organization (docs/deploy.md).
 */
const decisionColumns = [
  { table: "cfx_fileexchange", column: "cfx_keptsince" },
  { table: "cfx_fileexchange", column: "cfx_expiryoverride" },
  { table: "cfx_fileexchange", column: "cfx_removedon" },
  // One file kept, or given its own date, inside a folder (seed 002).
  { table: "cfx_filereceipt", column: "cfx_keptsince" },
  { table: "cfx_filereceipt", column: "cfx_expiryoverride" },
] as const;

function permissions(grant: (column: string) => Omit<FieldPermissionDef, "table" | "column">): FieldPermissionDef[] {
  return decisionColumns.map(({ table, column }) => ({ table, column, ...grant(column) }));
}

/**
 * The solution's field security profiles. Ids are UUIDv5 of `cfx/fieldsecurityprofile/<key>` in the
 * URL namespace, fixed so that a re-import upgrades the same profile and keeps its members.
 */
export const fieldSecurityProfiles: readonly FieldSecurityProfileDef[] = [
  {
    key: "administrators",
    id: "1ee15b10-cd27-5c4d-bd9a-a2bb0e898234",
    name: "Case File Exchange Administrators",
    description:
      "Keep a folder with no expiry, change its expiry and confirm a removal: add the people who hold the Case File Exchange Administrator role.",
    permissions: permissions(() => ({ read: true, create: true, update: true })),
  },
  {
    key: "retentionJob",
    id: "787a12c1-2436-528d-b8f7-51e2e106b6ff",
    name: "Case File Exchange Retention Job",
    description: "Reads administrators' expiry decisions and records removals: add the retention job's application user.",
    permissions: permissions((column) => ({ read: true, create: false, update: column === "cfx_removedon" })),
  },
];
