import { memoryCache } from "../../../src/adapters/xrm/SessionCache";
import { SETTINGS_QUERY, XrmSettingsSource, rawSettingsFromRows } from "../../../src/adapters/xrm/XrmSettingsSource";
import { loadCurrentUser } from "../../../src/adapters/xrm/XrmUserSource";
import { FakeWebApi } from "./FakeWebApi";
import { rolesFromIds } from "../../../src/domain/lifecycle";

const rows = [
  {
    schemaname: "cfx_SharePointSiteUrl",
    defaultvalue: "",
    environmentvariabledefinition_environmentvariablevalue: [{ value: "https://contoso.sharepoint.com/sites/cases" }],
  },
  { schemaname: "cfx_EntraTenantId", defaultvalue: "", environmentvariabledefinition_environmentvariablevalue: [{ value: "t" }] },
  { schemaname: "cfx_EntraClientId", defaultvalue: "", environmentvariabledefinition_environmentvariablevalue: [{ value: "c" }] },
  { schemaname: "cfx_BackupRetentionDays", defaultvalue: "30", environmentvariabledefinition_environmentvariablevalue: [] },
];

describe("XrmSettingsSource", () => {
  it("uses the current value when set and the default otherwise", () => {
    expect(rawSettingsFromRows(rows)).toMatchObject({
      cfx_SharePointSiteUrl: "https://contoso.sharepoint.com/sites/cases",
      cfx_BackupRetentionDays: "30",
    });
  });

  it("reads every setting in one request and then from the session cache", async () => {
    const api = new FakeWebApi();
    api.reads.set("environmentvariabledefinition", rows);
    const cache = memoryCache();
    const s1 = await new XrmSettingsSource(api, cache).load();
    expect(s1.siteUrl).toBe("https://contoso.sharepoint.com/sites/cases");
    expect(api.calls).toEqual([{ op: "retrieveMultiple", entity: "environmentvariabledefinition", options: SETTINGS_QUERY }]);
    const s2 = await new XrmSettingsSource(api, cache).load();
    expect(s2).toEqual(s1);
    expect(api.calls).toHaveLength(1);
  });

  it("does not cache settings that do not parse, and names the broken one", async () => {
    const api = new FakeWebApi();
    api.reads.set("environmentvariabledefinition", [
      { schemaname: "cfx_BackupRetentionDays", defaultvalue: "thirty" },
      ...rows.slice(0, 3),
    ]);
    const cache = memoryCache();
    await expect(new XrmSettingsSource(api, cache).load()).rejects.toMatchObject({ name: "ValidationError", code: "settingInvalid" });
    expect(cache.entries.size).toBe(0);
  });
});

describe("loadCurrentUser", () => {
  const userSettings = {
    userId: "{AAAAAAAA-0000-4000-8000-000000000001}",
    userName: "Alex Agent",
    languageId: 1031,
    roles: { get: () => [{ id: "{242ED2D9-4B32-533C-BF1E-4B15ABEEED14}" }] },
  };

  it("reads the sign-in name and the roles' roots in one request, once per session", async () => {
    const api = new FakeWebApi();
    api.reads.set("systemuser", {
      domainname: "alex@contoso.example",
      systemuserroles_association: [
        { roleid: "242ed2d9-4b32-533c-bf1e-4b15abeeed14", _parentrootroleid_value: "242ed2d9-4b32-533c-bf1e-4b15abeeed14" },
      ],
    });
    const cache = memoryCache();
    const user = await loadCurrentUser(userSettings, api, cache);
    expect(user).toEqual({
      id: "aaaaaaaa-0000-4000-8000-000000000001",
      name: "Alex Agent",
      signInName: "alex@contoso.example",
      roleIds: ["242ed2d9-4b32-533c-bf1e-4b15abeeed14"],
      languageCode: 1031,
    });
    await loadCurrentUser(userSettings, api, cache);
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0].options).toBe("?$select=domainname&$expand=systemuserroles_association($select=roleid,_parentrootroleid_value)");
  });

  it("recognises a business unit's copy of a role by its root role", async () => {
    // A user in a child business unit holds that unit's copy of the specialist role: its own id,
    // with parentrootroleid pointing at the solution's role.
    const copy = "0c0c0c0c-1111-4222-8333-444444444444";
    const api = new FakeWebApi();
    api.reads.set("systemuser", {
      domainname: "sam@contoso.example",
      systemuserroles_association: [{ roleid: copy, _parentrootroleid_value: "8dd0a57d-17a1-53f8-b026-73510c4bc49e" }],
    });
    const settings = { ...userSettings, roles: { get: () => [{ id: `{${copy.toUpperCase()}}` }] } };
    const user = await loadCurrentUser(settings, api, memoryCache());
    expect(rolesFromIds(user.roleIds)).toEqual(["specialist"]);
    expect(rolesFromIds([copy])).toEqual([]);
  });

  it("reads again when the user's roles change during the session", async () => {
    const api = new FakeWebApi();
    api.reads.set("systemuser", { domainname: "x@contoso.example", systemuserroles_association: [] });
    const cache = memoryCache();
    const user = await loadCurrentUser({ ...userSettings, roles: { get: () => [] } }, api, cache);
    expect(user.roleIds).toEqual([]);
    await loadCurrentUser(userSettings, api, cache);
    expect(api.calls).toHaveLength(2);
  });
});
