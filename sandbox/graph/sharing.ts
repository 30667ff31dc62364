import { randomUUID } from "node:crypto";
import type { Principal } from "../context";
import { tenantDomain, users } from "../seed/people";
import { accessDenied, GraphHttpError, invalidRequest, notFound } from "./errors";
import { driveId, permissionJson, rootItemId } from "./library";
import type { PermissionRow } from "./store";
import { accessFor, readJson, requireAccess, type GraphEnv, type GraphRequest, type GraphResponse, type Located } from "./service";
import { invitationMail } from "./invitationMail";

const emailPattern = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;
export const maxMessageLength = 2000;

/** Permissions that reach an item: its own, then those inherited from its parents (site groups on the root). */
function effectivePermissions(
  env: GraphEnv,
  loc: Located,
): { row: PermissionRow; inheritedFrom?: { driveId: string; id: string; path: string } }[] {
  const out: { row: PermissionRow; inheritedFrom?: { driveId: string; id: string; path: string } }[] = [];
  for (const p of env.store.permissionsOn(loc.row.id)) out.push({ row: p });
  for (let i = loc.chain.length - 2; i >= 0; i--) {
    const anc = loc.chain[i];
    const path = `/drives/${driveId}/root:${loc.chain
      .slice(1, i + 1)
      .map((r) => "/" + r.name)
      .join("")}`;
    for (const p of env.store.permissionsOn(anc.id)) out.push({ row: p, inheritedFrom: { driveId, id: anc.id, path } });
  }
  return out;
}

/** Whether this caller sees every permission, or (as a guest or reader) only their own. */
function seesAll(env: GraphEnv, principal: Principal, loc: Located): boolean {
  const a = accessFor(env, principal, loc.chain);
  return principal.kind !== "guest" && (a === "write" || a === "owner");
}

function appliesTo(principal: Principal, p: PermissionRow): boolean {
  const email = (principal.email ?? "").toLowerCase();
  return p.kind === "user" && !!email && p.email?.toLowerCase() === email;
}

function isExternal(email: string): boolean {
  return !email.toLowerCase().endsWith(`@${tenantDomain}`);
}

/** invite, permissions (list/get/update/delete) and createLink on one item. */
export async function handleSharing(env: GraphEnv, req: GraphRequest, loc: Located, rest: string[]): Promise<GraphResponse> {
  const method = req.method.toUpperCase();
  const { principal } = req;
  const [action, permissionId] = rest;
  if (action === "invite" && method === "POST") return invite(env, req, loc);
  if (action === "createLink" && method === "POST") {
    requireAccess(env, principal, loc.chain, "write");
    const body = (await readJson(req.body)) ?? {};
    const type = String(body.type ?? "");
    if (!["view", "edit", "embed"].includes(type)) throw invalidRequest("Invalid link type.");
    const scope = body.scope === undefined ? "organization" : String(body.scope);
    // The sandbox tenant forbids anonymous and organization-wide links (the product must never ask).
    if (scope === "anonymous" || scope === "organization") {
      throw accessDenied(`Sharing links with scope '${scope}' are disabled by the tenant's sharing policy.`);
    }
    if (scope !== "users") throw invalidRequest(`Invalid link scope '${scope}'.`);
    if (type === "embed") throw invalidRequest("Embed links are not supported in SharePoint.");
    const id = randomUUID();
    const link = {
      scope,
      type,
      webUrl: `${env.ctx.origins.sharepoint}/:f:/s/CustomerFiles/${id.replace(/-/g, "")}`,
      preventsDownload: false,
    };
    env.store.insertPermission({
      id,
      item_id: loc.row.id,
      roles: JSON.stringify([type === "edit" ? "write" : "read"]),
      kind: "link",
      email: null,
      user_id: null,
      display_name: null,
      link: JSON.stringify(link),
      invited_by: principal.email ?? null,
      created_at: env.ctx.clock.now().toISOString(),
    });
    return { status: 201, json: permissionJson(env.store.permission(id)!) };
  }
  if (action !== "permissions") throw new GraphHttpError(400, "BadRequest", `Unsupported request: ${method} ${action}.`);
  requireAccess(env, principal, loc.chain, "read");
  const all = seesAll(env, principal, loc);
  const visible = effectivePermissions(env, loc).filter((p) => all || appliesTo(principal, p.row));
  if (!permissionId) {
    if (method !== "GET") throw new GraphHttpError(405, "BadRequest", "The method is not allowed for this resource.");
    let value = visible.map((p) => permissionJson(p.row, p.inheritedFrom));
    const select = req.query.get("$select");
    if (select) {
      const keys = select.split(",").map((s) => s.trim());
      value = value.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => keys.includes(k))));
    }
    return { status: 200, json: { value } };
  }
  const found = visible.find((p) => p.row.id === permissionId);
  if (!found) throw notFound("The permission could not be found.");
  if (method === "GET") return { status: 200, json: permissionJson(found.row, found.inheritedFrom) };
  if (!all) throw accessDenied();
  if (method === "DELETE") {
    if (found.inheritedFrom) throw invalidRequest("Inherited permissions cannot be removed; remove them where they are granted.");
    env.store.deletePermission(found.row.id);
    return { status: 204 };
  }
  if (method === "PATCH") {
    if (found.inheritedFrom) throw invalidRequest("Inherited permissions cannot be changed here.");
    if (found.row.kind === "link") throw invalidRequest("The roles of sharing links cannot be changed.");
    const body = (await readJson(req.body)) ?? {};
    const roles = body.roles;
    if (!Array.isArray(roles) || roles.length !== 1 || !["read", "write"].includes(String(roles[0]))) {
      throw invalidRequest('roles must be ["read"] or ["write"].');
    }
    env.store.setPermissionRoles(found.row.id, roles as string[]);
    return { status: 200, json: permissionJson(env.store.permission(found.row.id)!) };
  }
  throw new GraphHttpError(405, "BadRequest", "The method is not allowed for this resource.");
}

/** `POST …/invite`: direct grants to people by e-mail, with the tenant's sharing policy applied. */
async function invite(env: GraphEnv, req: GraphRequest, loc: Located): Promise<GraphResponse> {
  const { principal } = req;
  requireAccess(env, principal, loc.chain, "write");
  if (loc.row.id === rootItemId) throw accessDenied("The library root cannot be shared from here.");
  const body = (await readJson(req.body)) ?? {};
  const recipients = body.recipients;
  if (!Array.isArray(recipients) || recipients.length === 0) throw invalidRequest("At least one recipient is required.");
  const requireSignIn = body.requireSignIn === undefined ? false : body.requireSignIn === true;
  const sendInvitation = body.sendInvitation === undefined ? false : body.sendInvitation === true;
  if (!requireSignIn && !sendInvitation) throw invalidRequest("RequireSignIn and SendInvitation cannot both be false");
  const message = body.message === undefined ? "" : String(body.message);
  if (message.length > maxMessageLength)
    throw invalidRequest(`The message is ${message.length} characters; the limit is ${maxMessageLength}.`);
  const roles = body.roles;
  if (!Array.isArray(roles) || roles.length !== 1 || !["read", "write"].includes(String(roles[0])))
    throw invalidRequest('roles must be ["read"] or ["write"].');
  const role = String(roles[0]);
  const emails: string[] = [];
  for (const r of recipients as unknown[]) {
    const email = typeof r === "object" && r !== null ? (r as Record<string, unknown>).email : undefined;
    if (typeof email !== "string" || !emailPattern.test(email.trim())) throw invalidRequest("A recipient has no valid e-mail address.");
    emails.push(email.trim());
  }
  const policy = env.ctx.policy();
  // External sharing off: SharePoint refuses the whole request (onedrive-api-docs#1700).
  if (!policy.externalSharing && emails.some(isExternal)) {
    throw invalidRequest("Some users in the request cannot be invited securely.", "secureSharingInvalidRequest");
  }
  const blocked = new Set(policy.blockedDomains.map((d) => d.toLowerCase().replace(/^@/, "")));
  const value: Record<string, unknown>[] = [];
  let failures = 0;
  const now = env.ctx.clock.now().toISOString();
  const sender = principal.user?.fullName ?? principal.email ?? "Someone";
  for (const email of emails) {
    const domain = email.split("@")[1].toLowerCase();
    if (isExternal(email) && blocked.has(domain)) {
      failures++;
      value.push({
        error: {
          code: "notAllowed",
          message: `${email}: the organization's sharing settings do not allow sharing with this domain.`,
          localizedMessage: `Your organization's policies don't allow you to share with users in the domain ${domain}.`,
          fixItUrl: "https://go.microsoft.com/fwlink/?linkid=2185222",
          innererror: { code: "exchangeInvalidUser" },
        },
      });
      continue;
    }
    // Sharing the same person again updates their grant instead of adding a second one.
    const existing = env.store.permissionsOn(loc.row.id).find((p) => p.kind === "user" && p.email?.toLowerCase() === email.toLowerCase());
    let id: string;
    if (existing) {
      id = existing.id;
      env.store.setPermissionRoles(id, [role]);
    } else {
      id = randomUUID().replace(/-/g, "").slice(0, 24);
      const internal = users.find((u) => u.upn.toLowerCase() === email.toLowerCase());
      env.store.insertPermission({
        id,
        item_id: loc.row.id,
        roles: JSON.stringify([role]),
        kind: "user",
        email: internal ? internal.upn : email.toLowerCase(),
        user_id: internal ? internal.id : null,
        display_name: internal ? internal.fullName : null,
        link: null,
        invited_by: principal.email ?? null,
        created_at: now,
      });
    }
    if (sendInvitation) env.ctx.mail.send(invitationMail(env, { to: email, sender, message, item: loc, permissionId: id, role }));
    value.push(permissionJson(env.store.permission(id)!));
  }
  return { status: failures > 0 ? 207 : 200, json: { value } };
}
