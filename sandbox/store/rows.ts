import type Database from "better-sqlite3";
import type { TableDef } from "../../src/model";

/** A stored row: SQL column name → value (lookups as `<col>` id plus `<col>__table`). */
export type Row = Record<string, unknown>;

/** Plain reads and writes of model tables; no security, no validation (the Dataverse layer does those). */
export class RowStore {
  constructor(private readonly db: Database.Database) {}

  get(table: TableDef, id: string): Row | undefined {
    return this.db.prepare(`SELECT * FROM "${table.logicalName}" WHERE "${table.primaryIdColumn}" = ?`).get(id.toLowerCase()) as
      Row | undefined;
  }

  all(table: TableDef): Row[] {
    return this.db.prepare(`SELECT * FROM "${table.logicalName}"`).all() as Row[];
  }

  where(table: TableDef, column: string, value: string): Row[] {
    return this.db.prepare(`SELECT * FROM "${table.logicalName}" WHERE "${column}" = ?`).all(value) as Row[];
  }

  insert(table: TableDef, row: Row): void {
    const names = Object.keys(row);
    const sql = `INSERT INTO "${table.logicalName}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
    this.db.prepare(sql).run(...names.map((n) => toSql(row[n])));
  }

  update(table: TableDef, id: string, changes: Row): void {
    const names = Object.keys(changes);
    const sets = [...names.map((n) => `"${n}" = ?`), `"versionnumber" = "versionnumber" + 1`];
    this.db
      .prepare(`UPDATE "${table.logicalName}" SET ${sets.join(", ")} WHERE "${table.primaryIdColumn}" = ?`)
      .run(...names.map((n) => toSql(changes[n])), id.toLowerCase());
  }

  delete(table: TableDef, id: string): void {
    this.db.prepare(`DELETE FROM "${table.logicalName}" WHERE "${table.primaryIdColumn}" = ?`).run(id.toLowerCase());
  }

  /** The next value of a named sequence (auto-numbering). */
  nextSequence(name: string, start: number): number {
    const row = this.db.prepare("SELECT value FROM sandbox_sequences WHERE name = ?").get(name) as { value: number } | undefined;
    const value = row ? row.value + 1 : start;
    this.db
      .prepare("INSERT INTO sandbox_sequences (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
      .run(name, value);
    return value;
  }

  sharedWith(table: string, recordId: string): string[] {
    return (
      this.db.prepare("SELECT principalid FROM sandbox_shares WHERE tablename = ? AND recordid = ?").all(table, recordId) as {
        principalid: string;
      }[]
    ).map((r) => r.principalid);
  }

  share(table: string, recordId: string, principalId: string): void {
    this.db
      .prepare("INSERT OR IGNORE INTO sandbox_shares (tablename, recordid, principalid) VALUES (?, ?, ?)")
      .run(table, recordId, principalId);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function toSql(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}
