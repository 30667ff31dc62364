import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Principal, SandboxContext } from "../context";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import { writeBody } from "../sharepoint/blobWriter";
import { accessDenied, GraphHttpError, invalidRequest, notFound } from "./errors";
import { newItemId } from "./ids";
import {
  accessOn,
  actorOf,
  applySelect,
  atLeast,
  downloadToken,
  driveId,
  driveItemJson,
  itemWebUrl,
  libraryName,
  libraryUrlSegment,
  rootItemId,
  siteDisplayName,
  siteId,
  sitePath,
  siteWebUrl,
  type Access,
} from "./library";
import { checkName, checkPathLength } from "./names";
import { resolveTarget, type ItemAddress, type SiteRef } from "./resolve";
import type { GraphStore, ItemRow } from "./store";
import { handleSharing } from "./sharing";
import { driveDelta } from "./delta";
import { createUploadSession } from "./uploadSessions";
import { handleTeams } from "./chats";

export interface GraphRequest {
  readonly method: string;
  /** Raw (percent-encoded) path after `/v1.0/`, no query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as a stream (file content) — JSON endpoints read it with `readJson`. */
  readonly body?: Readable;
  readonly principal: Principal;
}

export interface GraphResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
}

/** Shared state of the Graph stand-in (one per server). */
export interface GraphEnv {
  readonly ctx: SandboxContext;
  readonly store: GraphStore;
  /** Signs download URLs (SharePoint's `tempauth`). */
  readonly secret: Buffer;
  /** Running QuickXorHash per upload session; rebuilt from the file when missing. */
  readonly sessionHashes: Map<string, QuickXorHash>;
  /**
   * The fragment being written per session: a retry after a dropped connection waits until the
   * dropped request has cut its partial bytes off again, so the two never write the file at once.
   */
  readonly sessionLocks: Map<string, Promise<unknown>>;
}

export const pageSize = 200;
const downloadUrlLifetimeMs = 60 * 60 * 1000;

/** A resolved item and its chain from the root. */
export interface Located {
  readonly row: ItemRow;
  readonly chain: ItemRow[];
}

/** Reads a JSON body; pnpjs sends the text `null` on some POSTs, which counts as no body. */
export async function readJson(body: Readable | undefined): Promise<Record<string, unknown> | undefined> {
  if (!body) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body as AsyncIterable<Buffer>) {
    chunks.push(c);
    size += c.length;
    if (size > 4 << 20) throw invalidRequest("The request body is too large.");
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text || text === "null") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch {
    throw new GraphHttpError(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
}

export function blobPath(env: GraphEnv, blob: string): string {
  return join(env.ctx.blobDir, "graph", blob);
}

export function ensureBlobDir(env: GraphEnv): void {
  mkdirSync(join(env.ctx.blobDir, "graph"), { recursive: true });
}

export function downloadUrlFor(env: GraphEnv, row: ItemRow): string {
  const token = downloadToken(env.secret, row.id, Date.now() + downloadUrlLifetimeMs);
  return `${env.ctx.origins.sharepoint}${sitePath}/_layouts/15/download.aspx?UniqueId=${row.id}&tempauth=${token}`;
}

export function itemJson(env: GraphEnv, loc: Located): Record<string, unknown> {
  const { row, chain } = loc;
  return driveItemJson(env.ctx.origins, row, chain, {
    childCount: row.is_folder ? env.store.childCount(row.id) : undefined,
    downloadUrl: row.is_folder ? undefined : downloadUrlFor(env, row),
  });
}

export function accessFor(env: GraphEnv, principal: Principal, chain: readonly ItemRow[]): Access | null {
  return accessOn(principal, chain, (id) => env.store.permissionsOn(id));
}

export function requireAccess(env: GraphEnv, principal: Principal, chain: readonly ItemRow[], need: Access): void {
  if (!atLeast(accessFor(env, principal, chain), need)) throw accessDenied();
}

export function siteJson(env: GraphEnv): Record<string, unknown> {
  const { origins } = env.ctx;
  const root = env.store.item(rootItemId);
  return {
    createdDateTime: root?.created_at,
    description: "Files exchanged with customers",
    id: siteId(origins),
    lastModifiedDateTime: root?.modified_at,
    name: sitePath.split("/").pop(),
    webUrl: siteWebUrl(origins),
    displayName: siteDisplayName,
    root: {},
    siteCollection: { hostname: new URL(origins.sharepoint).hostname },
  };
}

export function driveJson(env: GraphEnv): Record<string, unknown> {
  const root = env.store.item(rootItemId);
  return {
    createdDateTime: root?.created_at,
    description: "",
    id: driveId,
    lastModifiedDateTime: root?.modified_at,
    name: libraryName,
    webUrl: `${siteWebUrl(env.ctx.origins)}/${encodeURIComponent(libraryUrlSegment)}`,
    driveType: "documentLibrary",
    createdBy: { user: { displayName: "System Account" } },
    owner: { group: { displayName: `${siteDisplayName} Owners` } },
    quota: { deleted: 0, remaining: 1099511627776, state: "normal", total: 1099511627776, used: 0 },
  };
}

function checkSite(env: GraphEnv, site: SiteRef): void {
  const { origins } = env.ctx;
  if (site.by === "root") return;
  if (site.by === "id") {
    const id = siteId(origins);
    if (site.id === id || site.id === id.split(",")[1]) return;
    throw notFound("Requested site could not be found");
  }
  const sp = new URL(origins.sharepoint);
  const hostOk = [sp.host, sp.hostname].includes(site.hostname.toLowerCase());
  if (!hostOk || site.path.toLowerCase() !== sitePath.toLowerCase()) throw notFound("Requested site could not be found");
}

/** Finds the item an address names; `allowMissingLeaf` returns the parent and the missing name instead of 404. */
export function locate(env: GraphEnv, address: ItemAddress, allowMissingLeaf: boolean): Located | { parent: Located; name: string } {
  const start = address.base.by === "root" ? env.store.item(rootItemId) : env.store.item(address.base.id);
  if (!start) throw notFound("The resource could not be found.");
  let chain = env.store.ancestry(start.id);
  for (let i = 0; i < address.path.length; i++) {
    const seg = address.path[i];
    const cur = chain[chain.length - 1];
    const next = cur.is_folder ? env.store.child(cur.id, seg) : undefined;
    if (!next) {
      if (allowMissingLeaf && i === address.path.length - 1 && cur.is_folder) return { parent: { row: cur, chain }, name: seg };
      throw notFound("The resource could not be found.");
    }
    chain = [...chain, next];
  }
  return { row: chain[chain.length - 1], chain };
}

export function isLocated(x: Located | { parent: Located; name: string }): x is Located {
  return "row" in x;
}

/** SharePoint's rename on conflict: "name 1.ext", "name 2.ext", … */
export function freeName(env: GraphEnv, parentId: string, name: string): string {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : "";
  for (let n = 1; ; n++) {
    const candidate = `${stem} ${n}${ext}`;
    if (!env.store.child(parentId, candidate)) return candidate;
  }
}

const mimeTypes: Record<string, string> = {
  txt: "text/plain",
  csv: "text/csv",
  pdf: "application/pdf",
  zip: "application/x-zip-compressed",
  json: "application/json",
  png: "image/png",
  jpg: "image/jpeg",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  bak: "application/octet-stream",
};

export function mimeOf(name: string): string {
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  return mimeTypes[ext] ?? "application/octet-stream";
}

/**
 * Stores a finished file under `parent` as `name` with the given conflict behaviour: a new item
 * (201) or the existing file's new version (200). The blob is already on disk.
 */
export function commitFile(
  env: GraphEnv,
  actor: string,
  parent: Located,
  name: string,
  conflict: string,
  file: { blob: string; size: number; quickXorHash: string },
): { status: 200 | 201; loc: Located } {
  const now = env.ctx.clock.now().toISOString();
  const existing = env.store.child(parent.row.id, name);
  let finalName = name;
  if (existing) {
    if (conflict === "fail") throw new GraphHttpError(409, "nameAlreadyExists", "The specified item name already exists.");
    if (conflict === "rename") finalName = freeName(env, parent.row.id, name);
    else if (existing.is_folder) throw new GraphHttpError(409, "nameAlreadyExists", "A folder with this name already exists.");
    else {
      const old = existing.blob;
      env.store.replaceContent(existing.id, {
        size: file.size,
        blob: file.blob,
        quick_xor: file.quickXorHash,
        mime: mimeOf(name),
        modified_at: now,
        modified_by: actor,
      });
      if (old) rmSync(blobPath(env, old), { force: true });
      const row = env.store.item(existing.id)!;
      return { status: 200, loc: { row, chain: [...parent.chain, row] } };
    }
  }
  const id = newItemId();
  env.store.insertItem({
    id,
    drive_id: driveId,
    parent_id: parent.row.id,
    name: finalName,
    is_folder: 0,
    size: file.size,
    blob: file.blob,
    quick_xor: file.quickXorHash,
    mime: mimeOf(finalName),
    created_at: now,
    modified_at: now,
    created_by: actor,
    modified_by: actor,
  });
  const row = env.store.item(id)!;
  return { status: 201, loc: { row, chain: [...parent.chain, row] } };
}

/** Answers one Graph request (also each `$batch` sub-request). */
export async function handleGraph(env: GraphEnv, req: GraphRequest): Promise<GraphResponse> {
  const people = await handleTeams(env, req);
  if (people) return people;
  const target = resolveTarget(req.path);
  const { principal } = req;
  const method = req.method.toUpperCase();
  if (target.kind === "batch") throw invalidRequest("Nested $batch is not supported.");
  if (target.kind === "site") {
    checkSite(env, target.site);
    if (principal.kind === "guest") throw accessDenied();
    if (method !== "GET") throw new GraphHttpError(405, "BadRequest", "The method is not allowed for this resource.");
    if (target.rest.length) throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${target.rest[0]}'.`);
    return { status: 200, json: applySelect(siteJson(env), req.query.get("$select") ?? undefined) };
  }
  if (target.kind === "drives") {
    checkSite(env, target.site);
    if (principal.kind === "guest") throw accessDenied();
    return { status: 200, json: { value: [driveJson(env)] } };
  }
  if (target.site) checkSite(env, target.site);
  if (target.driveId !== "default" && target.driveId !== driveId) throw notFound("The resource could not be found.");
  if (!target.item) {
    if (target.rest.length) throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${target.rest[0]}'.`);
    if (principal.kind === "guest") throw accessDenied();
    return { status: 200, json: applySelect(driveJson(env), req.query.get("$select") ?? undefined) };
  }
  const action = target.rest[0] ?? "";
  const creates = (method === "PUT" && action === "content") || (method === "POST" && action === "createUploadSession");
  const found = locate(env, target.item, creates);
  if (!isLocated(found)) {
    requireAccess(env, principal, found.parent.chain, "write");
    if (action === "content") return putContent(env, req, found.parent, found.name);
    return createUploadSession(env, req, found.parent, found.name);
  }
  const loc = found;
  if (["invite", "permissions", "createLink"].includes(action)) return handleSharing(env, req, loc, target.rest);
  switch (`${method} ${action}`) {
    case "GET ": {
      requireAccess(env, principal, loc.chain, "read");
      return { status: 200, json: expand(env, req, applySelect(itemJson(env, loc), req.query.get("$select") ?? undefined), loc) };
    }
    case "GET children":
      requireAccess(env, principal, loc.chain, "read");
      return listChildren(env, req, loc);
    case "GET delta":
      requireAccess(env, principal, loc.chain, "read");
      return driveDelta(env, req, loc);
    case "POST children":
      requireAccess(env, principal, loc.chain, "write");
      return createFolder(env, req, loc);
    case "GET content": {
      requireAccess(env, principal, loc.chain, "read");
      if (loc.row.is_folder) throw notFound("The item is a folder; folders have no content.");
      return { status: 302, headers: { location: downloadUrlFor(env, loc.row) } };
    }
    case "PUT content": {
      if (loc.row.is_folder || !loc.row.parent_id) throw invalidRequest("Cannot upload content to a folder.");
      requireAccess(env, principal, loc.chain, "write");
      const parentChain = loc.chain.slice(0, -1);
      return putContent(env, req, { row: parentChain[parentChain.length - 1], chain: parentChain }, loc.row.name, "replace");
    }
    case "POST createUploadSession": {
      if (loc.row.is_folder) throw invalidRequest("Cannot create an upload session on a folder.");
      requireAccess(env, principal, loc.chain, "write");
      const parentChain = loc.chain.slice(0, -1);
      return createUploadSession(env, req, { row: parentChain[parentChain.length - 1], chain: parentChain }, loc.row.name);
    }
    case "DELETE ":
    case "POST permanentDelete": {
      if (!loc.row.parent_id) throw accessDenied("The library root cannot be deleted.");
      requireAccess(env, principal, loc.chain, "write");
      checkIfMatch(req, loc.row);
      await readJson(req.body);
      if (method === "DELETE") env.store.recycle(loc.row.id, env.ctx.clock.now().toISOString(), randomUUID());
      else for (const blob of env.store.purge(loc.row.id, env.ctx.clock.now().toISOString())) rmSync(blobPath(env, blob), { force: true });
      return { status: 204 };
    }
    default:
      throw new GraphHttpError(400, "BadRequest", `Unsupported request: ${method} ${action || "(item)"}.`);
  }
}

function checkIfMatch(req: GraphRequest, row: ItemRow): void {
  const ifMatch = req.headers["if-match"];
  if (!ifMatch || ifMatch === "*") return;
  const v = `,${row.version}"`;
  if (!ifMatch.endsWith(v)) throw new GraphHttpError(412, "resourceModified", "ETag does not match current item's value.");
}

/** `$expand=children` (optionally `children($select=a,b)`); permissions cannot be expanded (MGDC). */
function expand(env: GraphEnv, req: GraphRequest, json: Record<string, unknown>, loc: Located): Record<string, unknown> {
  const e = req.query.get("$expand");
  if (!e) return json;
  const m = /^children(?:\(\$select=([^)]*)\))?$/.exec(e.trim());
  if (!m) throw invalidRequest(`Expanding '${e}' is not supported.`);
  const rows = env.store.children(loc.row.id, 0, pageSize);
  json.children = rows.map((r) => applySelect(itemJson(env, { row: r, chain: [...loc.chain, r] }), m[1]));
  return json;
}

function listChildren(env: GraphEnv, req: GraphRequest, loc: Located): GraphResponse {
  if (!loc.row.is_folder) return { status: 200, json: { value: [] } };
  if (req.query.get("$filter")) throw invalidRequest("$filter is not supported on children in SharePoint document libraries.");
  const topRaw = req.query.get("$top");
  const top = topRaw ? Number(topRaw) : pageSize;
  if (!Number.isInteger(top) || top < 1) throw invalidRequest("Invalid $top value.");
  const size = Math.min(top, 999);
  const skipRaw = req.query.get("$skiptoken") ?? req.query.get("$skipToken");
  let offset = 0;
  if (skipRaw) {
    const m = /p_Offset=(\d+)/.exec(Buffer.from(skipRaw, "base64url").toString("utf8"));
    if (!m) throw invalidRequest("Invalid $skiptoken.");
    offset = Number(m[1]);
  }
  const rows = env.store.children(loc.row.id, offset, size + 1);
  const select = req.query.get("$select") ?? undefined;
  const value = rows.slice(0, size).map((r) => applySelect(itemJson(env, { row: r, chain: [...loc.chain, r] }), select));
  const json: Record<string, unknown> = { value };
  if (rows.length > size) {
    // Graph writes `$select`/`$top`/`$skiptoken` with a literal `$` in its nextLink.
    const q: string[] = [];
    if (select) q.push(`$select=${encodeURIComponent(select)}`);
    if (topRaw) q.push(`$top=${encodeURIComponent(topRaw)}`);
    q.push(`$skiptoken=${Buffer.from(`Paged=TRUE&p_Offset=${offset + size}`).toString("base64url")}`);
    json["@odata.nextLink"] = `${env.ctx.origins.graph}/v1.0/drives/${driveId}/items/${loc.row.id}/children?${q.join("&")}`;
  }
  return { status: 200, json };
}

async function createFolder(env: GraphEnv, req: GraphRequest, parent: Located): Promise<GraphResponse> {
  if (!parent.row.is_folder) throw invalidRequest("The parent is not a folder.");
  const body = await readJson(req.body);
  if (!body || typeof body.name !== "string") throw invalidRequest("The name of the new item is missing.");
  if (!("folder" in body)) throw invalidRequest("Only folders can be created here; upload files with PUT …/content or an upload session.");
  const name = body.name;
  checkName(name);
  checkPathLength([...parent.chain.slice(1).map((r) => r.name), name]);
  // Default when absent is "fail" (SharePoint Online; see docs/sandbox-graph.md).
  const conflict = String(body["@microsoft.graph.conflictBehavior"] ?? req.query.get("@microsoft.graph.conflictBehavior") ?? "fail");
  if (!["fail", "rename", "replace"].includes(conflict)) throw invalidRequest(`Invalid conflictBehavior '${conflict}'.`);
  const existing = env.store.child(parent.row.id, name);
  let finalName = name;
  if (existing) {
    if (conflict === "fail") throw new GraphHttpError(409, "nameAlreadyExists", "The specified item name already exists.");
    if (conflict === "rename") finalName = freeName(env, parent.row.id, name);
    if (conflict === "replace") env.store.recycle(existing.id, env.ctx.clock.now().toISOString(), randomUUID());
  }
  const now = env.ctx.clock.now().toISOString();
  const actor = JSON.stringify(actorOf(req.principal));
  const id = newItemId();
  env.store.insertItem({
    id,
    drive_id: driveId,
    parent_id: parent.row.id,
    name: finalName,
    is_folder: 1,
    size: 0,
    blob: null,
    quick_xor: null,
    mime: null,
    created_at: now,
    modified_at: now,
    created_by: actor,
    modified_by: actor,
  });
  const row = env.store.item(id)!;
  return { status: 201, json: itemJson(env, { row, chain: [...parent.chain, row] }) };
}

async function putContent(
  env: GraphEnv,
  req: GraphRequest,
  parent: Located,
  name: string,
  defaultConflict = "replace",
): Promise<GraphResponse> {
  checkName(name);
  checkPathLength([...parent.chain.slice(1).map((r) => r.name), name]);
  const conflict = req.query.get("@microsoft.graph.conflictBehavior") ?? defaultConflict;
  if (!["fail", "rename", "replace"].includes(conflict)) throw invalidRequest(`Invalid conflictBehavior '${conflict}'.`);
  if (conflict === "fail" && env.store.child(parent.row.id, name))
    throw new GraphHttpError(409, "nameAlreadyExists", "The specified item name already exists.");
  const length = req.headers["content-length"] !== undefined ? Number(req.headers["content-length"]) : undefined;
  if (length !== undefined && length > 250 * 1024 * 1024) {
    throw new GraphHttpError(413, "invalidRequest", "Simple upload is limited to 250 MB; use an upload session.", "maxFileSizeExceeded");
  }
  ensureBlobDir(env);
  const blob = randomUUID();
  const hash = new QuickXorHash();
  const body = req.body ?? Readable.from([]);
  const { bytes } = await writeBody(body, { file: blobPath(env, blob), offset: 0, hash, expectedLength: length });
  const { status, loc } = commitFile(env, JSON.stringify(actorOf(req.principal)), parent, name, conflict, {
    blob,
    size: bytes,
    quickXorHash: hash.digest(),
  });
  return { status, json: itemJson(env, loc) };
}

export { itemWebUrl };
