import type { CurrentUser } from "../../ports/CrmGateway";
import { systemUser } from "../../model";
import { toDataverseError } from "./DataverseError";
import type { SessionCache } from "./SessionCache";
import type { XrmWebApi } from "./XrmCrmGateway";
import { normalizeId } from "./records";

/** What the user source reads from Xrm's global context (userSettings). */
export interface UserSettingsLike {
  readonly userId: string;
  readonly userName: string;
  readonly languageId: number;
  readonly roles?: { get(): ReadonlyArray<{ readonly id: string }> };
  readonly securityRoles?: readonly string[];
}

/**
 * The signed-in user: id, name and language from userSettings (no request); the sign-in name
 * (systemuser.domainname, MSAL's login hint; `userName` is only the display name) and the root of
 * each role the user holds, read once per browser session and cached.
 *
 * `roleIds` are the ids userSettings lists plus their root roles' ids. Every business unit holds
 * its own copy of an imported role, with its own `roleid` and `parentrootroleid` pointing at the
 * solution's role; a user in a child unit holds that unit's copy, so only the root id says which
 * of the product's roles it is.
 */
export async function loadCurrentUser(userSettings: UserSettingsLike, webApi: XrmWebApi, cache: SessionCache): Promise<CurrentUser> {
  const id = normalizeId(userSettings.userId);
  const assigned = userSettings.roles
    ? userSettings.roles.get().map((r) => normalizeId(r.id))
    : (userSettings.securityRoles ?? []).map(normalizeId);
  const [signInName, roots] = await Promise.all([readSignInName(id, webApi, cache), readRoleRoots(id, assigned, webApi, cache)]);
  const roleIds = [...new Set([...assigned, ...roots])];
  return { id, name: userSettings.userName, signInName, roleIds, languageCode: userSettings.languageId };
}

async function readSignInName(id: string, webApi: XrmWebApi, cache: SessionCache): Promise<string | undefined> {
  const key = `user.${id}.domainname`;
  const cached = cache.get(key);
  if (cached) return cached;
  let signInName: string | undefined;
  try {
    const row = (await webApi.retrieveRecord(systemUser.logicalName, id, "?$select=domainname")) as { domainname?: unknown };
    signInName = typeof row.domainname === "string" && row.domainname ? row.domainname : undefined;
  } catch (e) {
    throw toDataverseError(e, "Reading your sign-in name");
  }
  if (signInName) cache.set(key, signInName);
  return signInName;
}

/**
 * The root role of each role id (`role.parentrootroleid`), in one request, cached for the session
 * under the set of ids (a role given or taken away during the session is a new set, read again).
 */
async function readRoleRoots(userId: string, roleIds: readonly string[], webApi: XrmWebApi, cache: SessionCache): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const key = `user.${userId}.roleroots.${[...roleIds].sort().join(",")}`;
  const cached = cache.get(key);
  if (cached !== null) return cached ? cached.split(",") : [];
  let rows: { _parentrootroleid_value?: unknown }[];
  try {
    const filter = roleIds.map((r) => `roleid eq ${r}`).join(" or ");
    const result = await webApi.retrieveMultipleRecords("role", `?$select=roleid,_parentrootroleid_value&$filter=${filter}`);
    rows = result.entities as { _parentrootroleid_value?: unknown }[];
  } catch (e) {
    throw toDataverseError(e, "Reading your security roles");
  }
  const roots = rows
    .map((r) => r._parentrootroleid_value)
    .filter((v): v is string => typeof v === "string")
    .map(normalizeId);
  cache.set(key, roots.join(","));
  return roots;
}
