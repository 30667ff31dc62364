import { platformPrivileges } from "../../../sandbox/install/platformPrivileges";
import { customerServiceRepresentativePrivileges, platformRoles } from "../../../sandbox/install/platformRoles";

const platformNames = new Set(platformPrivileges.map((p) => p.name));

describe("the platform's roles", () => {
  it("grant the Customer Service Representative only privileges an organization has, once each, each with its source", () => {
    const names = customerServiceRepresentativePrivileges.map((p) => p.name);
    expect(names.filter((n) => !platformNames.has(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
    for (const p of customerServiceRepresentativePrivileges) expect(p.source).toMatch(/^(https:\/\/|unconfirmed: )/);
  });

  it("give System Administrator every privilege and nobody else that", () => {
    expect(platformRoles.filter((r) => r.everyPrivilege).map((r) => r.name)).toEqual(["System Administrator"]);
  });
});
