import { createHash, createHmac } from "node:crypto";
import type { Origins, Principal } from "../context";
import { users } from "../seed/people";
import { driveIdFor, siteIdFor } from "./ids";
import type { Actor, ItemRow, PermissionRow } from "./store";
import { seededItemId } from "../seed/ids";

/** The one seeded site and its library; the Dataverse seed's `cfx_SharePointSiteUrl` is `siteWebUrl`. */
export const sitePath = "/sites/CustomerFiles";
export const siteDisplayName = "Customer Files";
export const libraryName = "Documents";
/** SharePoint's URL segment for the default "Documents" library. */
export const libraryUrlSegment = "Shared Documents";
export const driveId = driveIdFor(libraryName);
/** The library root's item id (seeded items use `seededItemId(path)`; the root is the empty path). */
export const rootItemId = seededItemId("");

export function siteWebUrl(origins: Origins): string {
  return `${origins.sharepoint}${sitePath}`;
}

export function siteId(origins: Origins): string {
  return siteIdFor(new URL(origins.sharepoint).hostname);
}

/** The site groups on the library root; every item inherits them (SharePoint's default). */
export const siteGroups = [
  { id: "3", name: "Customer Files Owners", roles: ["owner"], members: ["admin"] },
  { id: "5", name: "Customer Files Members", roles: ["write"], members: ["agent", "agent2", "serviceagent", "specialist"] },
  { id: "4", name: "Customer Files Visitors", roles: ["read"], members: ["supervisor"] },
] as const;

export type Access = "owner" | "write" | "read";
const rank: Record<Access, number> = { read: 1, write: 2, owner: 3 };

export function atLeast(have: Access | null, need: Access): boolean {
  return !!have && rank[have] >= rank[need];
}

function maxAccess(a: Access | null, b: Access | null): Access | null {
  if (!a) return b;
  if (!b) return a;
  return rank[a] >= rank[b] ? a : b;
}

function fromRoles(roles: readonly string[]): Access | null {
  if (roles.includes("owner")) return "owner";
  if (roles.includes("write")) return "write";
  if (roles.includes("read")) return "read";
  return null;
}

/** What a principal may do on an item, given the item's chain from the root (site groups + direct grants). */
export function accessOn(
  principal: Principal,
  chain: readonly ItemRow[],
  permissionsOn: (itemId: string) => PermissionRow[],
): Access | null {
  if (principal.kind === "app") return "owner";
  if (principal.kind === "user" && principal.user) {
    const key = principal.user.key;
    let best: Access | null = null;
    for (const g of siteGroups) if ((g.members as readonly string[]).includes(key)) best = maxAccess(best, fromRoles(g.roles));
    return best;
  }
  const email = (principal.email ?? "").toLowerCase();
  if (!email) return null;
  let best: Access | null = null;
  for (const item of chain) {
    for (const p of permissionsOn(item.id)) {
      if (p.kind === "user" && p.email?.toLowerCase() === email) best = maxAccess(best, fromRoles(JSON.parse(p.roles) as string[]));
    }
  }
  return best;
}

/** The identitySet Graph puts in createdBy / lastModifiedBy. */
export function identitySet(actorJson: string): Record<string, unknown> {
  const a = JSON.parse(actorJson) as Actor;
  if (a.kind === "application") return { application: { id: a.id, displayName: a.displayName } };
  return { user: { email: a.email, id: a.id, displayName: a.displayName } };
}

export function actorOf(principal: Principal): Actor {
  if (principal.kind === "app") return { kind: "application", id: principal.appId ?? "", displayName: "Case File Exchange retention job" };
  if (principal.user) return { kind: "user", id: principal.user.entraId, displayName: principal.user.fullName, email: principal.user.upn };
  const email = principal.email ?? "";
  return { kind: "user", id: String(principal.claims.oid ?? ""), displayName: email, email };
}

/** Path segments from the library root to the item (root: []). */
export function pathSegments(chain: readonly ItemRow[]): string[] {
  return chain.slice(1).map((r) => r.name);
}

function encodePath(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join("/");
}

export function itemWebUrl(origins: Origins, segments: readonly string[]): string {
  const lib = `${siteWebUrl(origins)}/${encodeURIComponent(libraryUrlSegment)}`;
  return segments.length ? `${lib}/${encodePath(segments)}` : lib;
}

function guidOf(id: string): string {
  const h = createHash("sha1").update(id).digest("hex").toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function etagOf(row: ItemRow): string {
  return `"{${guidOf(row.id)}},${row.version}"`;
}

/** Signs a short-lived download token for an item (SharePoint's `tempauth`), no storage needed. */
export function downloadToken(secret: Buffer, itemId: string, expiresAtMs: number): string {
  const body = `${itemId}.${expiresAtMs}`;
  return `${Buffer.from(body).toString("base64url")}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** Checks a download token; returns the item id, or undefined when forged or expired. */
export function checkDownloadToken(secret: Buffer, token: string, nowMs: number): string | undefined {
  const [b, mac] = token.split(".");
  if (!b || !mac) return undefined;
  const body = Buffer.from(b, "base64url").toString("utf8");
  if (createHmac("sha256", secret).update(body).digest("base64url") !== mac) return undefined;
  const dot = body.lastIndexOf(".");
  if (Number(body.slice(dot + 1)) < nowMs) return undefined;
  return body.slice(0, dot);
}

/** Serialises a driveItem the way SharePoint's Graph does. */
export function driveItemJson(
  origins: Origins,
  row: ItemRow,
  chain: readonly ItemRow[],
  extra: { childCount?: number; downloadUrl?: string },
): Record<string, unknown> {
  const segments = pathSegments(chain);
  const isRoot = row.parent_id === null;
  const out: Record<string, unknown> = {};
  if (extra.downloadUrl && !row.is_folder) out["@microsoft.graph.downloadUrl"] = extra.downloadUrl;
  out.createdDateTime = row.created_at;
  out.eTag = etagOf(row);
  out.id = row.id;
  out.lastModifiedDateTime = row.modified_at;
  out.name = isRoot ? "root" : row.name;
  out.webUrl = itemWebUrl(origins, segments);
  out.cTag = `"c:{${guidOf(row.id)}},${row.version}"`;
  out.size = row.size;
  out.createdBy = identitySet(row.created_by);
  out.lastModifiedBy = identitySet(row.modified_by);
  const parentRef: Record<string, unknown> = { driveType: "documentLibrary", driveId: row.drive_id };
  if (!isRoot) {
    parentRef.id = row.parent_id;
    parentRef.name = segments.length > 1 ? segments[segments.length - 2] : libraryName;
    parentRef.path = `/drives/${row.drive_id}/root:${segments.length > 1 ? "/" + segments.slice(0, -1).join("/") : ""}`;
    parentRef.siteId = siteId(origins).split(",")[1];
  }
  out.parentReference = parentRef;
  out.fileSystemInfo = { createdDateTime: row.created_at, lastModifiedDateTime: row.modified_at };
  if (row.is_folder) out.folder = { childCount: extra.childCount ?? 0 };
  else out.file = { mimeType: row.mime ?? "application/octet-stream", hashes: { quickXorHash: row.quick_xor } };
  // Graph's malware facet: present only on a file SharePoint's scan flagged (malware.md).
  if (!row.is_folder && row.malware !== null && row.malware !== undefined) out.malware = { description: row.malware };
  if (isRoot) out.root = {};
  return out;
}

/**
 * A driveItem as drive `delta` returns it: the same serialisation, less what SharePoint leaves
 * out of delta results — `parentReference.path` (and the parent's name: renaming a folder does
 * not return its descendants, so both would go stale), `cTag` on create and modify, and download URLs.
 */
export function deltaItemJson(origins: Origins, row: ItemRow, chain: readonly ItemRow[], childCount?: number): Record<string, unknown> {
  const out = driveItemJson(origins, row, chain, { childCount });
  delete out.cTag;
  const parentRef = { ...(out.parentReference as Record<string, unknown>) };
  delete parentRef.path;
  delete parentRef.name;
  out.parentReference = parentRef;
  return out;
}

/**
 * A deleted item in a delta feed: its id and the `deleted` facet. SharePoint leaves out the name
 * and cTag, and points `parentReference.id` at the library root rather than the folder it was in.
 */
export function deletedItemJson(id: string): Record<string, unknown> {
  return { id, deleted: { state: "deleted" }, parentReference: { driveType: "documentLibrary", driveId, id: rootItemId } };
}

/** Applies `$select` as Graph does: the listed properties (and the etag annotation), nothing else. */
export function applySelect(json: Record<string, unknown>, select: string | undefined): Record<string, unknown> {
  if (!select) return json;
  const keys = select
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const out: Record<string, unknown> = { "@odata.etag": json.eTag };
  for (const k of keys) if (k in json) out[k] = json[k];
  return out;
}

/** A permission as Graph returns it; `inheritedFrom` marks grants that come from a parent (see docs/sandbox-graph.md). */
export function permissionJson(p: PermissionRow, inheritedFrom?: { driveId: string; id: string; path: string }): Record<string, unknown> {
  const roles = JSON.parse(p.roles) as string[];
  const out: Record<string, unknown> = { id: p.id, roles };
  if (p.kind === "group") {
    const siteGroup = { displayName: p.display_name, id: p.user_id, loginName: p.display_name };
    out.grantedToV2 = { siteGroup };
    out.grantedTo = { user: { displayName: p.display_name } };
  } else if (p.kind === "user") {
    const internal = users.find((u) => u.upn.toLowerCase() === p.email?.toLowerCase());
    const loginName = internal
      ? `i:0#.f|membership|${internal.upn}`
      : `i:0#.f|membership|${(p.email ?? "").replace("@", "_")}#ext#@contoso.example`;
    const siteUser = {
      displayName: p.display_name ?? p.email,
      email: p.email,
      id: String(parseInt(createHash("md5").update(String(p.email)).digest("hex").slice(0, 4), 16)),
      loginName,
    };
    const v2: Record<string, unknown> = { siteUser };
    // Before the guest redeems the invitation SharePoint may not report the user yet (permission.md).
    if (internal || p.redeemed_at) v2.user = { displayName: p.display_name ?? p.email, email: p.email, id: p.user_id };
    out.grantedToV2 = v2;
    if (v2.user) out.grantedTo = { user: v2.user };
    out.invitation = { email: p.email, signInRequired: true };
  } else if (p.kind === "link") {
    out.link = JSON.parse(p.link ?? "{}");
    out.hasPassword = false;
  }
  if (inheritedFrom) out.inheritedFrom = inheritedFrom;
  return out;
}
