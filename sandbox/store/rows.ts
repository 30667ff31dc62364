import type Database from "better-sqlite3";
import type { TableDef } from "../../src/model";

/** A stored row: SQL column name → value (lookups as `<col>` id plus `<col>__table`). */
export type Row = Record<string, unknown>;

/** A user or a team a record can be shared with. */
export interface SharePrincipal {
  readonly id: string;
  readonly type: "systemuser" | "team";
}

/** One row of the sandbox's principalobjectaccess. */
export interface Share {
  readonly principalid: string;
  readonly principaltype: "systemuser" | "team";
  readonly accessmask: number;
  readonly source: string;
}

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

  /** Moves a named sequence on so that its next value is above `value` (after seeding numbered rows). */
  sequenceAtLeast(name: string, value: number): void {
    this.db
      .prepare(
        "INSERT INTO sandbox_sequences (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
      )
      .run(name, value);
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

  /** Who the record is shared with, and with which rights (directly, or inherited from the record named by `source`). */
  shares(table: string, recordId: string): Share[] {
    return this.db
      .prepare("SELECT principalid, principaltype, accessmask, source FROM sandbox_shares WHERE tablename = ? AND recordid = ?")
      .all(table, recordId.toLowerCase()) as Share[];
  }

  /** Adds rights to a share (GrantAccess adds to what the principal already holds on the record). */
  share(table: string, recordId: string, principal: SharePrincipal, accessMask: number, source = ""): void {
    this.db
      .prepare(
        `INSERT INTO sandbox_shares (tablename, recordid, principalid, principaltype, accessmask, source) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(tablename, recordid, principalid, source) DO UPDATE SET accessmask = accessmask | excluded.accessmask`,
      )
      .run(table, recordId.toLowerCase(), principal.id.toLowerCase(), principal.type, accessMask, source);
  }

  /** Removes a principal's share of a record: the direct one (source ""), or the ones inherited from `source`. */
  unshare(table: string, recordId: string, principalId: string, source: string): void {
    this.db
      .prepare("DELETE FROM sandbox_shares WHERE tablename = ? AND recordid = ? AND principalid = ? AND source = ?")
      .run(table, recordId.toLowerCase(), principalId.toLowerCase(), source);
  }

  /** Every share inherited from `source` by `principalId` (the records a revoke must reach). */
  sharesFrom(source: string, principalId: string): { tablename: string; recordid: string }[] {
    return this.db
      .prepare("SELECT tablename, recordid FROM sandbox_shares WHERE source = ? AND principalid = ?")
      .all(source, principalId.toLowerCase()) as { tablename: string; recordid: string }[];
  }

  /** Forgets every share of a deleted record. */
  dropShares(table: string, recordId: string): void {
    this.db.prepare("DELETE FROM sandbox_shares WHERE tablename = ? AND recordid = ?").run(table, recordId.toLowerCase());
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
