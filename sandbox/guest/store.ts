import { createHash, randomBytes, randomInt } from "node:crypto";
import type Database from "better-sqlite3";

/** One-time codes live this long (Entra's e-mailed codes expire after 10 minutes or so). */
export const codeLifetimeMs = 10 * 60 * 1000;
export const maxAttempts = 5;
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

const digest = (s: string) => createHash("sha256").update(s).digest("hex");

/** One-time codes and guest sessions (tables prefixed `guest_`). */
export class GuestStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS guest_codes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        permission_id TEXT NOT NULL,
        email TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        used INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS guest_sessions (
        id_hash TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
  }

  /** Issues a new six-digit code for (invitation, address); earlier ones stop working. */
  issueCode(permissionId: string, email: string, nowMs: number): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    this.db.prepare("UPDATE guest_codes SET used = 1 WHERE permission_id = ? AND email = ?").run(permissionId, email);
    this.db
      .prepare("INSERT INTO guest_codes (permission_id, email, code_hash, expires_at) VALUES (?, ?, ?, ?)")
      .run(permissionId, email, digest(code), nowMs + codeLifetimeMs);
    return code;
  }

  /** Checks a code: "ok" uses it up; otherwise why it was refused. */
  redeemCode(permissionId: string, email: string, code: string, nowMs: number): "ok" | "wrong" | "expired" | "none" {
    const row = this.db
      .prepare("SELECT * FROM guest_codes WHERE permission_id = ? AND email = ? AND used = 0 ORDER BY id DESC LIMIT 1")
      .get(permissionId, email) as { id: number; code_hash: string; expires_at: number; attempts: number } | undefined;
    if (!row) return "none";
    if (row.expires_at < nowMs || row.attempts >= maxAttempts) return "expired";
    if (row.code_hash !== digest(code.trim())) {
      this.db.prepare("UPDATE guest_codes SET attempts = attempts + 1 WHERE id = ?").run(row.id);
      return "wrong";
    }
    this.db.prepare("UPDATE guest_codes SET used = 1 WHERE id = ?").run(row.id);
    return "ok";
  }

  startSession(email: string, nowMs: number): string {
    const id = randomBytes(24).toString("base64url");
    this.db
      .prepare("INSERT INTO guest_sessions (id_hash, email, expires_at) VALUES (?, ?, ?)")
      .run(digest(id), email, nowMs + sessionLifetimeMs);
    return id;
  }

  sessionEmail(id: string | undefined, nowMs: number): string | undefined {
    if (!id) return undefined;
    const row = this.db.prepare("SELECT email, expires_at FROM guest_sessions WHERE id_hash = ?").get(digest(id)) as
      { email: string; expires_at: number } | undefined;
    return row && row.expires_at >= nowMs ? row.email : undefined;
  }

  clear(): void {
    this.db.exec("DELETE FROM guest_codes; DELETE FROM guest_sessions;");
  }
}
