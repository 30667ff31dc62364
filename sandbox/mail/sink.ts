import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { MailMessage, MailSink, SandboxClock } from "../context";

/** One delivered message, as `GET /_sandbox/mail` returns it. */
export interface StoredMail extends MailMessage {
  readonly id: string;
  readonly sentAt: string;
}

/** Creates the table that holds every e-mail the sandbox "sent" (kept across restarts). */
export function ensureMailTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS mail_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    sent_at TEXT NOT NULL,
    body TEXT NOT NULL
  )`);
}

/**
 * The sandbox's outgoing mail: stores each message for `/mail` and `GET /_sandbox/mail`.
 * `sentAt` follows the sandbox clock when one is given, so expiry warnings sent after the clock
 * moved carry the date the story is at.
 */
export function createMailSink(db: Database.Database, clock?: SandboxClock): MailSink {
  ensureMailTable(db);
  const insert = db.prepare("INSERT INTO mail_messages (id, sent_at, body) VALUES (?, ?, ?)");
  return {
    send(message) {
      const id = randomUUID();
      const sentAt = (clock ? clock.now() : new Date()).toISOString();
      const body: MailMessage = {
        to: [...message.to],
        from: message.from,
        subject: message.subject,
        text: message.text,
        html: message.html,
        links: [...message.links],
      };
      insert.run(id, sentAt, JSON.stringify(body));
      return { id, sentAt };
    },
  };
}

/** Every stored message, oldest first. */
export function listMail(db: Database.Database): StoredMail[] {
  ensureMailTable(db);
  const rows = db.prepare("SELECT id, sent_at, body FROM mail_messages ORDER BY seq").all() as {
    id: string;
    sent_at: string;
    body: string;
  }[];
  return rows.map((r) => ({ id: r.id, sentAt: r.sent_at, ...(JSON.parse(r.body) as MailMessage) }));
}

/** Empties the mailbox (part of `POST /_sandbox/reset`). */
export function clearMail(db: Database.Database): void {
  ensureMailTable(db);
  db.exec("DELETE FROM mail_messages");
}
