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
 * The signed-in user: id, name, role ids and language from userSettings (no request), and the
 * sign-in name (systemuser.domainname, MSAL's login hint; `userName` is only the display name)
 * read once per browser session and cached.
 */
export async function loadCurrentUser(userSettings: UserSettingsLike, webApi: XrmWebApi, cache: SessionCache): Promise<CurrentUser> {
  const id = normalizeId(userSettings.userId);
  const roleIds = userSettings.roles
    ? userSettings.roles.get().map((r) => normalizeId(r.id))
    : (userSettings.securityRoles ?? []).map(normalizeId);
  const key = `user.${id}.domainname`;
  let signInName = cache.get(key) ?? undefined;
  if (!signInName) {
    try {
      const row = (await webApi.retrieveRecord(systemUser.logicalName, id, "?$select=domainname")) as { domainname?: unknown };
      signInName = typeof row.domainname === "string" && row.domainname ? row.domainname : undefined;
    } catch (e) {
      throw toDataverseError(e, "Reading your sign-in name");
    }
    if (signInName) cache.set(key, signInName);
  }
  return { id, name: userSettings.userName, signInName, roleIds, languageCode: userSettings.languageId };
}
