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
 * each role the user holds, read together once per browser session and cached.
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
  const { signInName, roots } = await readProfile(id, assigned, webApi, cache);
  const roleIds = [...new Set([...assigned, ...roots])];
  return { id, name: userSettings.userName, signInName, roleIds, languageCode: userSettings.languageId };
}

interface Profile {
  readonly signInName?: string;
  readonly roots: readonly string[];
}

/**
 * The sign-in name and the root of each role the user holds (`role.parentrootroleid`), in the one
 * request the first panel of a session makes for the user: the user row with its roles expanded.
 * Cached for the session under the set of role ids userSettings lists, so a role given or taken
 * away during the session is read again.
 */
async function readProfile(id: string, assigned: readonly string[], webApi: XrmWebApi, cache: SessionCache): Promise<Profile> {
  const key = `user.${id}.profile.${[...assigned].sort().join(",")}`;
  const cached = parseProfile(cache.get(key));
  if (cached) return cached;
  let row: { domainname?: unknown; systemuserroles_association?: { _parentrootroleid_value?: unknown }[] };
  try {
    row = (await webApi.retrieveRecord(
      systemUser.logicalName,
      id,
      "?$select=domainname&$expand=systemuserroles_association($select=roleid,_parentrootroleid_value)",
    )) as typeof row;
  } catch (e) {
    throw toDataverseError(e, "Reading your sign-in name and security roles");
  }
  const profile: Profile = {
    signInName: typeof row.domainname === "string" && row.domainname ? row.domainname : undefined,
    roots: (row.systemuserroles_association ?? [])
      .map((r) => r._parentrootroleid_value)
      .filter((v): v is string => typeof v === "string")
      .map(normalizeId),
  };
  if (profile.signInName) cache.set(key, JSON.stringify(profile));
  return profile;
}

function parseProfile(text: string | null): Profile | undefined {
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as Partial<Profile>;
    return typeof p.signInName === "string" && Array.isArray(p.roots)
      ? { signInName: p.signInName, roots: p.roots.map(String) }
      : undefined;
  } catch {
    return undefined;
  }
}
