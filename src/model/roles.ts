import type { RoleDef } from "./schema";

/**
 * The product's security roles. Ids are UUIDv5 of `cfx/role/<key>` in the URL namespace, fixed so
 * that the panels recognise a role by id in `userSettings.roles` and a re-import upgrades.
 */
export const roleDefs: readonly RoleDef[] = [
  {
    key: "agent",
    id: "242ed2d9-4b32-533c-bf1e-4b15abeeed14",
    name: "Case File Exchange Support Agent",
    description: "Level 2 support: sees and shares the exchanges of cases they own or that were shared with them.",
  },
  {
    key: "specialist",
    id: "8dd0a57d-17a1-53f8-b026-73510c4bc49e",
    name: "Case File Exchange Service Specialist",
    description: "Service team: prepares folders, uploads backups and notifies support for tickets in their business unit.",
  },
  {
    key: "supervisor",
    id: "4268e6c6-fb74-5dc3-8c82-c4b37dc10cbc",
    name: "Case File Exchange Supervisor",
    description: "Reads every exchange in the organization; changes nothing.",
  },
  {
    key: "administrator",
    id: "d73389e3-5402-5361-922f-792add2128d7",
    name: "Case File Exchange Administrator",
    description: "Everything, organization-wide: keeps folders with no expiry and changes expiry dates.",
  },
];
