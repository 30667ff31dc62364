import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { TableDef } from "../../src/model";
import { createTableSql, isReference, targetColumnOf } from "./columns";

/** Opens (or creates) `sandbox.db` in the data folder with one table per table of the organization. */
export function openDatabase(dataDir: string, tables: readonly TableDef[]): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, "sandbox.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  ensureSchema(db, tables);
  return db;
}

/** Creates missing tables and adds columns a table gained since the file was made (additive, as an upgrade is). */
export function ensureSchema(db: Database.Database, tables: readonly TableDef[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS sandbox_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  ensureSharesTable(db);
  db.exec(`CREATE TABLE IF NOT EXISTS sandbox_sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`);
  for (const table of tables) {
    db.exec(createTableSql(table));
    const existing = new Set((db.prepare(`PRAGMA table_info("${table.logicalName}")`).all() as { name: string }[]).map((c) => c.name));
    for (const column of table.columns) {
      const wanted = [column.logicalName, ...(isReference(column) ? [targetColumnOf(column)] : [])];
      for (const name of wanted) {
        if (!existing.has(name)) db.exec(`ALTER TABLE "${table.logicalName}" ADD COLUMN "${name}"`);
      }
    }
  }
}

/**
 * Records shared with a user or a team: Dataverse's principalobjectaccess. `accessmask` holds the
 * AccessRights bits granted; `source` is empty for a share made on the record itself, or
 * `<table>:<id>` of the record whose share cascaded to it (Dataverse's inherited access), so that
 * revoking that record's share takes the inherited ones with it. A data folder from before the
 * access masks had only (table, record, principal): those rows become users' read and write shares.
 */
function ensureSharesTable(db: Database.Database): void {
  const create = (name: string) =>
    db.exec(`CREATE TABLE IF NOT EXISTS ${name} (tablename TEXT NOT NULL, recordid TEXT NOT NULL, principalid TEXT NOT NULL,
      principaltype TEXT NOT NULL DEFAULT 'systemuser', accessmask INTEGER NOT NULL, source TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (tablename, recordid, principalid, source))`);
  const columns = (db.prepare(`PRAGMA table_info("sandbox_shares")`).all() as { name: string }[]).map((c) => c.name);
  if (columns.length > 0 && !columns.includes("accessmask")) {
    db.transaction(() => {
      db.exec("ALTER TABLE sandbox_shares RENAME TO sandbox_shares_old");
      create("sandbox_shares");
      db.exec(`INSERT INTO sandbox_shares (tablename, recordid, principalid, principaltype, accessmask, source)
        SELECT tablename, recordid, principalid, 'systemuser', 3, '' FROM sandbox_shares_old`);
      db.exec("DROP TABLE sandbox_shares_old");
    })();
  }
  create("sandbox_shares");
}

/** Empties every table (reset drops state, then the seed writes it again); `keepState` keys survive (what was installed). */
export function clearDatabase(db: Database.Database, tables: readonly TableDef[], keepState: readonly string[] = []): void {
  const tx = db.transaction(() => {
    for (const table of tables) db.exec(`DELETE FROM "${table.logicalName}"`);
    db.exec("DELETE FROM sandbox_shares");
    db.exec("DELETE FROM sandbox_sequences");
    db.prepare(`DELETE FROM sandbox_state WHERE key NOT IN (${keepState.map(() => "?").join(", ")})`).run(...keepState);
  });
  tx();
}

/** A small key/value store for the sandbox's own state (clock offset, policy, faults, seed origins). */
export function readState<T>(db: Database.Database, key: string, fallback: T): T {
  const row = db.prepare("SELECT value FROM sandbox_state WHERE key = ?").get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export function writeState(db: Database.Database, key: string, value: unknown): void {
  db.prepare("INSERT INTO sandbox_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    key,
    JSON.stringify(value),
  );
}
