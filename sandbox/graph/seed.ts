import { clearChats } from "./chats";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import { seededItemId, seededPermissionId } from "../seed/ids";
import { users } from "../seed/people";
import { backupRoot, uploadRoot, type SeededExchangeFolder } from "../seed/exchanges";
import { driveId, rootItemId, siteGroups } from "./library";
import { blobPath, ensureBlobDir, mimeOf, type GraphEnv } from "./service";

/** A folder to seed, with its files and the people it is shared with. */
export interface SeedFolder {
  readonly path: string;
  readonly files: readonly { readonly name: string; readonly size: number }[];
  readonly recipients: readonly { readonly email: string; readonly role: "read" | "write" }[];
  readonly createdDaysAgo?: number;
}

const system = JSON.stringify({ kind: "user", id: "", displayName: "System Account" });

/** Deterministic bytes for a seeded file, so its hash is stable and a download can be checked. */
export function seededFileBytes(path: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  const line = Buffer.from(`Seeded sandbox file ${path}\n`);
  for (let i = 0; i < size; i += line.length) line.copy(out, i, 0, Math.min(line.length, size - i));
  return out;
}

/** Seeds the library root (with the site groups' permissions) and the two root folders. */
export function seedLibrary(env: GraphEnv): void {
  const now = env.ctx.clock.now();
  const at = new Date(now.getTime() - 90 * 86400_000).toISOString();
  const author = JSON.stringify({ kind: "user", id: users[3].entraId, displayName: users[3].fullName, email: users[3].upn });
  env.store.insertItem({
    id: rootItemId,
    drive_id: driveId,
    parent_id: null,
    name: "root",
    is_folder: 1,
    size: 0,
    blob: null,
    quick_xor: null,
    mime: null,
    created_at: at,
    modified_at: at,
    created_by: system,
    modified_by: system,
  });
  for (const g of siteGroups) {
    env.store.insertPermission({
      id: `site-group-${g.id}`,
      item_id: rootItemId,
      roles: JSON.stringify(g.roles),
      kind: "group",
      email: null,
      user_id: g.id,
      display_name: g.name,
      link: null,
      invited_by: null,
      created_at: at,
    });
  }
  for (const name of [backupRoot, uploadRoot]) {
    env.store.insertItem({
      id: seededItemId(name),
      drive_id: driveId,
      parent_id: rootItemId,
      name,
      is_folder: 1,
      size: 0,
      blob: null,
      quick_xor: null,
      mime: null,
      created_at: at,
      modified_at: at,
      created_by: author,
      modified_by: author,
    });
  }
}

/** Seeds folders (ids from `seededItemId(path)`), their files and their direct grants. Missing parents are created. */
export function seedFolders(env: GraphEnv, folders: readonly SeedFolder[]): void {
  ensureBlobDir(env);
  const now = env.ctx.clock.now().getTime();
  const author = JSON.stringify({ kind: "user", id: users[1].entraId, displayName: users[1].fullName, email: users[1].upn });
  const agent = users[0];
  for (const f of folders) {
    const at = new Date(now - (f.createdDaysAgo ?? 0) * 86400_000).toISOString();
    const segments = f.path.split("/").filter(Boolean);
    let parentId = rootItemId;
    for (let i = 0; i < segments.length; i++) {
      const path = segments.slice(0, i + 1).join("/");
      const id = seededItemId(path);
      if (!env.store.item(id)) {
        env.store.insertItem({
          id,
          drive_id: driveId,
          parent_id: parentId,
          name: segments[i],
          is_folder: 1,
          size: 0,
          blob: null,
          quick_xor: null,
          mime: null,
          created_at: at,
          modified_at: at,
          created_by: author,
          modified_by: author,
        });
      }
      parentId = id;
    }
    for (const file of f.files) {
      const path = `${segments.join("/")}/${file.name}`;
      const bytes = seededFileBytes(path, file.size);
      const blob = `seed-${randomUUID()}`;
      writeFileSync(blobPath(env, blob), bytes);
      env.store.insertItem({
        id: seededItemId(path),
        drive_id: driveId,
        parent_id: parentId,
        name: file.name,
        is_folder: 0,
        size: file.size,
        blob,
        quick_xor: new QuickXorHash().update(bytes).digest(),
        mime: mimeOf(file.name),
        created_at: at,
        modified_at: at,
        created_by: author,
        modified_by: author,
      });
    }
    for (const r of f.recipients) {
      // A recipient the Dataverse seed marks revoked has no permission left in SharePoint.
      if ((r as { revoked?: boolean }).revoked) continue;
      env.store.insertPermission({
        id: seededPermissionId(f.path, r.email),
        item_id: parentId,
        roles: JSON.stringify([r.role]),
        kind: "user",
        email: r.email.toLowerCase(),
        user_id: null,
        display_name: null,
        link: null,
        invited_by: agent.upn,
        created_at: at,
      });
    }
  }
}

/** Drops every Graph row and blob and seeds again (first start and `POST /_sandbox/reset`). */
export function reseedGraph(env: GraphEnv, folders: readonly SeededExchangeFolder[] | readonly SeedFolder[]): void {
  env.store.clear(env.ctx.clock.now().toISOString());
  clearChats(env.ctx.db);
  env.sessionHashes.clear();
  rmSync(join(env.ctx.blobDir, "graph"), { recursive: true, force: true });
  seedLibrary(env);
  seedFolders(env, folders);
}
