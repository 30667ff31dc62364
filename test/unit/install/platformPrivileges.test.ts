import { productTables, roleDefs } from "../../../src/model";
import { rolePrivileges } from "../../../src/model/privileges";
import { privilegeList, roleElement } from "../../../solution/roleXml";
import { render } from "../../../solution/xml";
import { customTablePrivileges, platformPrivileges } from "../../../sandbox/install/platformPrivileges";

const platformNames = new Set(platformPrivileges.map((p) => p.name));
const ourTableNames = new Set(productTables.flatMap((t) => customTablePrivileges(t.schemaName, t.ownership)));

/** Every privilege name a role XML element writes, as the packer emits it. */
function writtenNames(role: (typeof roleDefs)[number]): string[] {
  const set = rolePrivileges.find((r) => r.role === role.key)!;
  return [...render(roleElement(role, set)).matchAll(/<RolePrivilege name="([^"]+)"/g)].map((m) => m[1]);
}

describe("the privileges our roles write", () => {
  it.each(roleDefs.map((r) => [r.name, r] as const))("%s names only privileges an organization has", (_name, role) => {
    const written = writtenNames(role);
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((n) => !platformNames.has(n) && !ourTableNames.has(n))).toEqual([]);
  });

  it("never names a privilege of the environment variable value table, which has none", () => {
    for (const role of roleDefs) expect(writtenNames(role).filter((n) => /EnvironmentVariableValue/i.test(n))).toEqual([]);
  });

  it("write the same names privilegeList gives", () => {
    for (const role of roleDefs) {
      const set = rolePrivileges.find((r) => r.role === role.key)!;
      expect(writtenNames(role)).toEqual(privilegeList(set).map((p) => p.name));
    }
  });
});

describe("the platform's privilege list", () => {
  it("has a source for every name, and says so when it could not be confirmed", () => {
    for (const p of platformPrivileges) {
      expect(p.source.length).toBeGreaterThan(0);
      expect(p.source).toMatch(/^(https:\/\/|unconfirmed: )/);
    }
  });

  it("names each privilege once", () => {
    expect(platformNames.size).toBe(platformPrivileges.length);
  });
});

describe("customTablePrivileges", () => {
  it.each([
    [
      "user",
      [
        "prvCreatecfx_FileExchange",
        "prvReadcfx_FileExchange",
        "prvWritecfx_FileExchange",
        "prvDeletecfx_FileExchange",
        "prvAppendcfx_FileExchange",
        "prvAppendTocfx_FileExchange",
        "prvAssigncfx_FileExchange",
        "prvSharecfx_FileExchange",
      ],
    ],
    [
      "organization",
      [
        "prvCreatecfx_FileExchange",
        "prvReadcfx_FileExchange",
        "prvWritecfx_FileExchange",
        "prvDeletecfx_FileExchange",
        "prvAppendcfx_FileExchange",
        "prvAppendTocfx_FileExchange",
      ],
    ],
  ] as const)("gives a table with %s ownership its generated privileges", (ownership, expected) => {
    expect(customTablePrivileges("cfx_FileExchange", ownership)).toEqual(expected);
  });
});
