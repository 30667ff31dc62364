import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { GraphHttpError, invalidRequest } from "./errors";
import { actorOf, downloadToken, driveId, sitePath } from "./library";
import { checkName, checkPathLength } from "./names";
import { blobPath, ensureBlobDir, readJson, type GraphEnv, type GraphRequest, type GraphResponse, type Located } from "./service";

/** Upload sessions stay open this long after their last fragment (each fragment extends it). */
export const sessionLifetimeMs = 48 * 60 * 60 * 1000;

/** The upload URL on the SharePoint host, in SharePoint's own `_api/v2.0/…/uploadSession?guid=…` shape. */
export function uploadUrlFor(env: GraphEnv, sessionId: string, parentId: string): string {
  const tempauth = downloadToken(env.secret, `session:${sessionId}`, Date.now() + sessionLifetimeMs * 4);
  return `${env.ctx.origins.sharepoint}${sitePath}/_api/v2.0/drives/${driveId}/items/${parentId}/uploadSession?guid='${sessionId}'&overwrite=False&rename=False&dc=0&tempauth=${tempauth}`;
}

/** `POST …/items/{parent}:/{name}:/createUploadSession`: opens a session whose fragments go to the SharePoint host. */
export async function createUploadSession(env: GraphEnv, req: GraphRequest, parent: Located, name: string): Promise<GraphResponse> {
  if (!parent.row.is_folder) throw invalidRequest("The parent is not a folder.");
  checkName(name);
  checkPathLength([...parent.chain.slice(1).map((r) => r.name), name]);
  const body = await readJson(req.body);
  const item = (body?.item ?? {}) as Record<string, unknown>;
  if (typeof item !== "object" || Array.isArray(item)) throw invalidRequest("item must be an object.");
  const conflict = String(item["@microsoft.graph.conflictBehavior"] ?? "fail");
  if (!["fail", "rename", "replace"].includes(conflict)) throw invalidRequest(`Invalid conflictBehavior '${conflict}'.`);
  if (typeof item.name === "string" && item.name !== name) throw invalidRequest("item.name does not match the name in the URL.");
  if (conflict === "fail" && env.store.child(parent.row.id, name))
    throw new GraphHttpError(409, "nameAlreadyExists", "The specified item name already exists.");
  const fileSize = typeof item.fileSize === "number" ? item.fileSize : null;
  const id = randomUUID();
  const blob = `session-${id}`;
  ensureBlobDir(env);
  writeFileSync(blobPath(env, blob), "");
  const expires = new Date(env.ctx.clock.now().getTime() + sessionLifetimeMs).toISOString();
  env.store.insertSession({
    id,
    drive_id: driveId,
    parent_id: parent.row.id,
    name,
    conflict,
    total: fileSize,
    received: 0,
    blob,
    expires_at: expires,
    created_by: JSON.stringify(actorOf(req.principal)),
    defer_commit: body?.deferCommit === true ? 1 : 0,
  });
  return {
    status: 200,
    json: { uploadUrl: uploadUrlFor(env, id, parent.row.id), expirationDateTime: expires, nextExpectedRanges: ["0-"] },
  };
}
