import type { ShellData } from "./records";
import type { SandboxUser } from "../seed/people";
import { esc, icons } from "./html";

const F = "@OData.Community.Display.V1.FormattedValue";

interface Entry {
  readonly kind: "note" | "email";
  readonly at: string;
  readonly html: string;
}

/** The timeline wall of a record: its notes and the e-mails regarding it, newest first. */
export function renderTimeline(data: ShellData, user: SandboxUser, table: string, id: string): string {
  // The timeline shows what the user may read: no notes or e-mails at all without Read on them.
  const notes = data.canRead(user, "annotation")
    ? data
        .related(user, "annotation", "objectid", id)
        .filter((n) => n["_objectid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] === table)
    : [];
  const emails = data.canRead(user, "email") ? data.related(user, "email", "regardingobjectid", id) : [];
  const entries: Entry[] = [
    ...notes.map((n) => ({
      kind: "note" as const,
      at: String(n.createdon ?? ""),
      html: entry(
        "note",
        `Note modified by ${String(n[`_createdby_value${F}`] ?? n[`_ownerid_value${F}`] ?? "")}`,
        String(n.subject ?? ""),
        String(n.notetext ?? ""),
        String(n[`createdon${F}`] ?? ""),
        "",
      ),
    })),
    ...emails.map((e) => ({
      kind: "email" as const,
      at: String(e.createdon ?? ""),
      html: entry(
        "email",
        `Email from ${String(e[`_ownerid_value${F}`] ?? "")}`,
        String(e.subject ?? ""),
        String(e.description ?? "")
          .replace(/<[^>]+>/g, " ")
          .replace(/\s+/g, " ")
          .trim(),
        String(e[`createdon${F}`] ?? ""),
        String(e[`statuscode${F}`] ?? ""),
      ),
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const body = entries.length
    ? entries.map((e) => e.html).join("")
    : `<div class="timeline-empty">${icons.note}<p>Get started by capturing data in your timeline.</p></div>`;
  return `<div class="timeline-head"><h3>Timeline</h3><span class="timeline-tools"><button class="icon-btn" aria-label="Create a timeline record">${icons.add}</button><button class="icon-btn" aria-label="Filter">${icons.filter}</button><button class="icon-btn" aria-label="More">${icons.more}</button></span></div>
<div class="timeline-search"><span>${icons.search}</span><input placeholder="Search timeline" aria-label="Search timeline"/></div>
<div class="timeline-note-box">Enter a note...</div>
<div class="timeline-entries" data-count="${entries.length}">${body}</div>`;
}

function entry(kind: "note" | "email", who: string, subject: string, text: string, when: string, status: string): string {
  const avatar = kind === "note" ? `<span class="tl-icon note">${icons.note}</span>` : `<span class="tl-icon email">${icons.mail}</span>`;
  return `<article class="tl-entry ${kind}">${avatar}<div class="tl-main"><div class="tl-meta"><span>${esc(who)}</span><time>${esc(when)}</time></div>
<div class="tl-subject">${esc(subject)}${status ? ` <span class="tl-status">${esc(status)}</span>` : ""}</div><div class="tl-text">${esc(text)}</div></div></article>`;
}
