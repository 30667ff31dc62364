import type { RoleDef } from "../src/model";
import { privilegeBase, type PrivilegeDepth, type PrivilegeVerb, type RolePrivileges } from "../src/model/privileges";
import { el, text, type XmlElement } from "./xml";

const level: Readonly<Record<PrivilegeDepth, string>> = {
  user: "Basic",
  businessUnit: "Local",
  parentChild: "Deep",
  organization: "Global",
};

/** `prv<Verb><base>` → level, sorted by name as Dataverse exports them. */
export function privilegeList(set: RolePrivileges): { name: string; level: string }[] {
  const list: { name: string; level: string }[] = [];
  for (const grant of set.grants) {
    const base = privilegeBase[grant.table];
    if (!base) throw new Error(`Role ${set.role}: no privilege name is known for table ${grant.table}.`);
    for (const [verb, depth] of Object.entries(grant.verbs) as [PrivilegeVerb, PrivilegeDepth][]) {
      list.push({ name: `prv${verb}${base}`, level: level[depth] });
    }
  }
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p.name)) throw new Error(`Role ${set.role}: ${p.name} is granted twice.`);
    seen.add(p.name);
  }
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

/** A `<Role>` with its fixed id (the panels recognise the role by it). */
export function roleElement(role: RoleDef, set: RolePrivileges): XmlElement {
  return el(
    "Role",
    // isinherited 1: "Direct User (Basic) access level and Team privileges", the default of a new role.
    { id: `{${role.id}}`, name: role.name, isinherited: "1" },
    text("IsCustomizable", 1),
    el(
      "RolePrivileges",
      {},
      privilegeList(set).map((p) => el("RolePrivilege", { name: p.name, level: p.level })),
    ),
  );
}
