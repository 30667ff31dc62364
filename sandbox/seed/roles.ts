import { roleDefs } from "../../src/model";
import { catalog } from "../install/catalog";
import { roleCopyId } from "../install/importSolution";
import { customerServiceRepresentativeRoleId, systemAdministratorRoleId } from "../install/platformRoles";
import { teams, type SandboxUser, type SeededRole } from "./people";

/** The root role's id of a seeded role: the product's fixed ids (the solution's roles keep them), or the platform's. */
export function rootRoleId(role: SeededRole): string {
  if (role === "customerServiceRepresentative") return customerServiceRepresentativeRoleId;
  if (role === "systemAdministrator") return systemAdministratorRoleId;
  const def = roleDefs.find((r) => r.key === role);
  if (!def) throw new Error(`No product role ${role}`);
  return def.id;
}

/**
 * The roles a seeded user holds, as `userSettings.roles` lists them: their own (their unit's copies)
 * and their teams' (the team's unit's copies), by role copy id and name.
 */
export function heldRoles(user: SandboxUser): { id: string; name: string }[] {
  const held = [
    ...user.roles.map((role) => ({ role, unit: user.businessUnitId })),
    ...teams.filter((t) => t.members.includes(user.key)).flatMap((t) => t.roles.map((role) => ({ role, unit: t.businessUnitId }))),
  ];
  const out = new Map<string, { id: string; name: string }>();
  for (const { role, unit } of held) {
    const root = catalog().roles.find((r) => r.id.toLowerCase() === rootRoleId(role));
    if (!root) continue;
    const id = roleCopyId(root.id, unit);
    out.set(id, { id, name: root.name });
  }
  return [...out.values()];
}
