import type Database from "better-sqlite3";

/** Who created or changed something, as Graph's identitySet carries it. */
export interface Actor {
  readonly id: string;
  readonly displayName: string;
  readonly email?: string;
  /** Applications (the retention job) appear under `application`, not `user`. */
  readonly kind?: "user" | "application";
}

export interface ItemRow {
  readonly id: string;
  readonly drive_id: string;
  readonly parent_id: string | null;
  readonly name: string;
  readonly is_folder: number;
  readonly size: number;
  readonly blob: string | null;
  readonly quick_xor: string | null;
  readonly mime: string | null;
  readonly created_at: string;
  readonly modified_at: string;
  readonly created_by: string;
  readonly modified_by: string;
  readonly version: number;
  readonly deleted_at: string | null;
  readonly deletion_id: string | null;
  /** What SharePoint's scan reported when it found malware in the file; null while the file is clean. */
  readonly malware: string | null;
}

export interface PermissionRow {
  readonly id: string;
  readonly item_id: string;
  readonly roles: string;
  /** "user" (invited person), "group" (site group), "link" (sharing link). */
  readonly kind: string;
  readonly email: string | null;
  readonly user_id: string | null;
  readonly display_name: string | null;
  readonly link: string | null;
  readonly invited_by: string | null;
  readonly created_at: string;
  /** Set once the invited guest signed in (redeemed): then `grantedToV2.user` is filled. */
  readonly redeemed_at: string | null;
}

export interface UploadSessionRow {
  readonly id: string;
  readonly drive_id: string;
  readonly parent_id: string;
  readonly name: string;
  readonly conflict: string;
  readonly total: number | null;
  readonly received: number;
  readonly blob: string;
  /** The QuickXorHash state is rebuilt from the blob on resume after a restart; in memory otherwise. */
  readonly expires_at: string;
  readonly created_by: string;
  readonly defer_commit: number;
}

/** Creates the Graph stand-in's tables (prefix `graph_`). */
export function ensureGraphTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS graph_items (
      id TEXT PRIMARY KEY,
      drive_id TEXT NOT NULL,
      parent_id TEXT,
      name TEXT NOT NULL,
      is_folder INTEGER NOT NULL,
      size INTEGER NOT NULL DEFAULT 0,
      blob TEXT,
      quick_xor TEXT,
      mime TEXT,
      created_at TEXT NOT NULL,
      modified_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      modified_by TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 1,
      deleted_at TEXT,
      deletion_id TEXT,
      malware TEXT
    );
    CREATE INDEX IF NOT EXISTS graph_items_parent ON graph_items (parent_id, deleted_at);
    CREATE TABLE IF NOT EXISTS graph_permissions (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL,
      roles TEXT NOT NULL,
      kind TEXT NOT NULL,
      email TEXT,
      user_id TEXT,
      display_name TEXT,
      link TEXT,
      invited_by TEXT,
      created_at TEXT NOT NULL,
      redeemed_at TEXT
    );
    CREATE INDEX IF NOT EXISTS graph_permissions_item ON graph_permissions (item_id);
    CREATE TABLE IF NOT EXISTS graph_upload_sessions (
      id TEXT PRIMARY KEY,
      drive_id TEXT NOT NULL,
      parent_id TEXT NOT NULL,
      name TEXT NOT NULL,
      conflict TEXT NOT NULL,
      total INTEGER,
      received INTEGER NOT NULL DEFAULT 0,
      blob TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      defer_commit INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS graph_download_tokens (
      token TEXT PRIMARY KEY,
      item_id TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
  `);
  // State kept in `.sandbox/` from before the malware flag existed gets the column, all files clean.
  const columns = db.prepare("PRAGMA table_info(graph_items)").all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === "malware")) db.exec("ALTER TABLE graph_items ADD COLUMN malware TEXT");
  ensureChangeLog(db);
}

/**
 * The change log behind `root/delta`: every insert, content change, recycle and purge appends
 * one entry per item (deletions stay as tombstones), numbered by an ever-growing sequence that a
 * delta token points into; an entry with `item_id` '' marks a reset (a new generation). A data folder from before the log existed gets one entry per item,
 * parents first, so a first enumeration still sees everything.
 */
function ensureChangeLog(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS graph_changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      item_id TEXT NOT NULL,
      at TEXT NOT NULL,
      deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS graph_changes_item ON graph_changes (item_id, seq);
  `);
  const empty = !db.prepare("SELECT 1 FROM graph_changes LIMIT 1").get();
  if (empty && db.prepare("SELECT 1 FROM graph_items LIMIT 1").get()) {
    db.exec(`
      WITH RECURSIVE t(id, depth) AS (
        SELECT id, 0 FROM graph_items WHERE parent_id IS NULL
        UNION ALL SELECT g.id, t.depth + 1 FROM graph_items g JOIN t ON g.parent_id = t.id
      )
      INSERT INTO graph_changes (item_id, at, deleted)
        SELECT g.id, coalesce(g.deleted_at, g.modified_at), g.deleted_at IS NOT NULL FROM graph_items g JOIN t ON g.id = t.id ORDER BY t.depth, g.created_at, g.id;
    `);
  }
}

/** Typed queries over the Graph tables. */
export class GraphStore {
  constructor(readonly db: Database.Database) {
    ensureGraphTables(db);
  }

  item(id: string): ItemRow | undefined {
    return this.db.prepare("SELECT * FROM graph_items WHERE id = ? AND deleted_at IS NULL").get(id) as ItemRow | undefined;
  }

  /** A live child by name; SharePoint compares names case-insensitively. */
  child(parentId: string, name: string): ItemRow | undefined {
    return this.db
      .prepare("SELECT * FROM graph_items WHERE parent_id = ? AND deleted_at IS NULL AND lower(name) = lower(?)")
      .get(parentId, name) as ItemRow | undefined;
  }

  /** Live children ordered by name, from `offset`, at most `limit`. */
  children(parentId: string, offset: number, limit: number): ItemRow[] {
    return this.db
      .prepare("SELECT * FROM graph_items WHERE parent_id = ? AND deleted_at IS NULL ORDER BY lower(name), id LIMIT ? OFFSET ?")
      .all(parentId, limit, offset) as ItemRow[];
  }

  childCount(parentId: string): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM graph_items WHERE parent_id = ? AND deleted_at IS NULL").get(parentId) as { n: number }
    ).n;
  }

  insertItem(row: Omit<ItemRow, "deleted_at" | "deletion_id" | "version" | "malware"> & { version?: number }): void {
    this.db
      .prepare(
        `INSERT INTO graph_items (id, drive_id, parent_id, name, is_folder, size, blob, quick_xor, mime, created_at, modified_at, created_by, modified_by, version)
         VALUES (@id, @drive_id, @parent_id, @name, @is_folder, @size, @blob, @quick_xor, @mime, @created_at, @modified_at, @created_by, @modified_by, @version)`,
      )
      .run({ version: 1, ...row });
    this.logChange(row.id, row.modified_at, false);
  }

  /**
   * Marks a file as SharePoint's scan does when it finds malware (`description`), or clean again
   * (null), as after an administrator's review.
   */
  setMalware(id: string, description: string | null): void {
    this.db.prepare("UPDATE graph_items SET malware = ? WHERE id = ?").run(description, id);
  }

  /** Replaces a file's content in place (same id, new version), as SharePoint does on `replace`; new content is scanned anew. */
  replaceContent(
    id: string,
    change: { size: number; blob: string; quick_xor: string; mime: string | null; modified_at: string; modified_by: string },
  ): void {
    this.db
      .prepare(
        "UPDATE graph_items SET size = @size, blob = @blob, quick_xor = @quick_xor, mime = @mime, modified_at = @modified_at, modified_by = @modified_by, version = version + 1, malware = NULL WHERE id = @id",
      )
      .run({ id, ...change });
    this.logChange(id, change.modified_at, false);
  }

  /** Every live item under (and including) `id`. */
  subtree(id: string): ItemRow[] {
    return this.db
      .prepare(
        `WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT g.id FROM graph_items g JOIN t ON g.parent_id = t.id WHERE g.deleted_at IS NULL)
         SELECT g.* FROM graph_items g JOIN t ON g.id = t.id`,
      )
      .all(id) as ItemRow[];
  }

  /** Moves an item and everything below it to the recycle bin. */
  recycle(id: string, at: string, deletionId: string): void {
    const ids = this.subtree(id).map((r) => r.id);
    const stmt = this.db.prepare("UPDATE graph_items SET deleted_at = ?, deletion_id = ? WHERE id = ?");
    const drop = this.db.prepare("DELETE FROM graph_permissions WHERE item_id = ?");
    this.db.transaction(() => {
      for (const i of ids) {
        stmt.run(at, deletionId, i);
        drop.run(i);
        this.logChange(i, at, true);
      }
    })();
  }

  /** Removes an item and everything below it for good; returns the blobs to delete. */
  purge(id: string, at: string = new Date().toISOString()): string[] {
    const rows = this.subtree(id);
    const del = this.db.prepare("DELETE FROM graph_items WHERE id = ?");
    const drop = this.db.prepare("DELETE FROM graph_permissions WHERE item_id = ?");
    this.db.transaction(() => {
      for (const r of rows) {
        del.run(r.id);
        drop.run(r.id);
        this.logChange(r.id, at, true);
      }
    })();
    return rows.map((r) => r.blob).filter((b): b is string => !!b);
  }

  /** The chain from the library root down to the item (inclusive). */
  ancestry(id: string): ItemRow[] {
    const chain: ItemRow[] = [];
    let cur = this.item(id);
    while (cur) {
      chain.unshift(cur);
      cur = cur.parent_id ? this.item(cur.parent_id) : undefined;
    }
    return chain;
  }

  permissionsOn(itemId: string): PermissionRow[] {
    return this.db.prepare("SELECT * FROM graph_permissions WHERE item_id = ? ORDER BY created_at, id").all(itemId) as PermissionRow[];
  }

  permission(id: string): PermissionRow | undefined {
    return this.db.prepare("SELECT * FROM graph_permissions WHERE id = ?").get(id) as PermissionRow | undefined;
  }

  insertPermission(row: Omit<PermissionRow, "redeemed_at"> & { redeemed_at?: string | null }): void {
    this.db
      .prepare(
        `INSERT INTO graph_permissions (id, item_id, roles, kind, email, user_id, display_name, link, invited_by, created_at, redeemed_at)
         VALUES (@id, @item_id, @roles, @kind, @email, @user_id, @display_name, @link, @invited_by, @created_at, @redeemed_at)`,
      )
      .run({ redeemed_at: null, ...row });
  }

  setPermissionRoles(id: string, roles: readonly string[]): void {
    this.db.prepare("UPDATE graph_permissions SET roles = ? WHERE id = ?").run(JSON.stringify(roles), id);
  }

  deletePermission(id: string): void {
    this.db.prepare("DELETE FROM graph_permissions WHERE id = ?").run(id);
  }

  /** Direct permissions granted to an e-mail address, anywhere in the library. */
  permissionsForEmail(email: string): PermissionRow[] {
    return this.db.prepare("SELECT * FROM graph_permissions WHERE lower(email) = lower(?) AND kind = 'user'").all(email) as PermissionRow[];
  }

  markRedeemed(email: string, userId: string, at: string): void {
    this.db
      .prepare(
        "UPDATE graph_permissions SET redeemed_at = coalesce(redeemed_at, ?), user_id = coalesce(user_id, ?) WHERE lower(email) = lower(?) AND kind = 'user'",
      )
      .run(at, userId, email);
  }

  session(id: string): UploadSessionRow | undefined {
    return this.db.prepare("SELECT * FROM graph_upload_sessions WHERE id = ?").get(id) as UploadSessionRow | undefined;
  }

  insertSession(row: UploadSessionRow): void {
    this.db
      .prepare(
        `INSERT INTO graph_upload_sessions (id, drive_id, parent_id, name, conflict, total, received, blob, expires_at, created_by, defer_commit)
         VALUES (@id, @drive_id, @parent_id, @name, @conflict, @total, @received, @blob, @expires_at, @created_by, @defer_commit)`,
      )
      .run(row);
  }

  updateSession(id: string, change: { total: number; received: number; expires_at: string }): void {
    this.db
      .prepare("UPDATE graph_upload_sessions SET total = @total, received = @received, expires_at = @expires_at WHERE id = @id")
      .run({ id, ...change });
  }

  deleteSession(id: string): void {
    this.db.prepare("DELETE FROM graph_upload_sessions WHERE id = ?").run(id);
  }

  insertDownloadToken(token: string, itemId: string, expiresAt: string): void {
    this.db.prepare("INSERT INTO graph_download_tokens (token, item_id, expires_at) VALUES (?, ?, ?)").run(token, itemId, expiresAt);
  }

  downloadToken(token: string): { item_id: string; expires_at: string } | undefined {
    return this.db.prepare("SELECT item_id, expires_at FROM graph_download_tokens WHERE token = ?").get(token) as
      { item_id: string; expires_at: string } | undefined;
  }

  /** Appends one change-log entry (see ensureChangeLog). */
  logChange(itemId: string, at: string, deleted: boolean): void {
    this.db.prepare("INSERT INTO graph_changes (item_id, at, deleted) VALUES (?, ?, ?)").run(itemId, at, deleted ? 1 : 0);
  }

  /** The newest change-log sequence number (0 when the log is empty). */
  lastChange(): number {
    return (this.db.prepare("SELECT coalesce(max(seq), 0) AS n FROM graph_changes").get() as { n: number }).n;
  }

  /** Where the current generation starts: tokens from before the last reset point below it. */
  generationStart(): number {
    return (this.db.prepare("SELECT coalesce(max(seq), 0) AS n FROM graph_changes WHERE item_id = ''").get() as { n: number }).n;
  }

  /** The last sequence number written at or before an instant (delta's timestamp tokens). */
  lastChangeAtOrBefore(at: string): number {
    return (this.db.prepare("SELECT coalesce(max(seq), 0) AS n FROM graph_changes WHERE at <= ?").get(at) as { n: number }).n;
  }

  /**
   * One page of a delta round over the changes in (from, upto]: the changed items and, unless
   * `excludeParents`, their live ancestors, each once, ordered by when the item first appeared in
   * the log (a parent always before its children), after the cursor `after`. `from` undefined is
   * a first enumeration: the items live now that existed at `upto`.
   */
  deltaPage(
    round: { from?: number; upto: number; after: number; excludeParents: boolean },
    limit: number,
  ): { id: string; first: number }[] {
    if (round.from === undefined) {
      return this.db
        .prepare(
          `SELECT id, first FROM (
             SELECT g.id AS id, (SELECT min(c.seq) FROM graph_changes c WHERE c.item_id = g.id) AS first
             FROM graph_items g WHERE g.deleted_at IS NULL
           ) WHERE first <= @upto AND first > @after ORDER BY first LIMIT @limit`,
        )
        .all({ upto: round.upto, after: round.after, limit }) as { id: string; first: number }[];
    }
    const ancestors = round.excludeParents
      ? ""
      : `, anc(id) AS (
           SELECT g.parent_id FROM graph_items g JOIN changed c ON g.id = c.id WHERE g.deleted_at IS NULL AND g.parent_id IS NOT NULL
           UNION SELECT g.parent_id FROM graph_items g JOIN anc a ON g.id = a.id WHERE g.parent_id IS NOT NULL
         )`;
    return this.db
      .prepare(
        `WITH RECURSIVE changed(id) AS (
           SELECT DISTINCT item_id FROM graph_changes WHERE seq > @from AND seq <= @upto AND item_id <> ''
         )${ancestors},
         u(id) AS (SELECT id FROM changed${round.excludeParents ? "" : " UNION SELECT id FROM anc"})
         SELECT id, first FROM (SELECT u.id AS id, (SELECT min(c.seq) FROM graph_changes c WHERE c.item_id = u.id) AS first FROM u)
         WHERE first > @after ORDER BY first LIMIT @limit`,
      )
      .all({ from: round.from, upto: round.upto, after: round.after, limit }) as { id: string; first: number }[];
  }

  /** An item as it is, recycled ones included (delta reports those as deleted); undefined once purged. */
  anyItem(id: string): ItemRow | undefined {
    return this.db.prepare("SELECT * FROM graph_items WHERE id = ?").get(id) as ItemRow | undefined;
  }

  /** Empties every Graph table (reset) and starts a new change-log generation, so older delta tokens are refused. */
  clear(at: string = new Date().toISOString()): void {
    this.db.exec(
      "DELETE FROM graph_items; DELETE FROM graph_permissions; DELETE FROM graph_upload_sessions; DELETE FROM graph_download_tokens; DELETE FROM graph_changes;",
    );
    this.logChange("", at, false);
  }
}
