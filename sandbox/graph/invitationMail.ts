import type { MailMessage } from "../context";
import type { GraphEnv, Located } from "./service";

export interface InvitationMailOptions {
  readonly to: string;
  readonly sender: string;
  readonly message: string;
  readonly item: Located;
  readonly permissionId: string;
  readonly role: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The sharing e-mail SharePoint sends: who shared what, their message, and the link to open it. */
export function invitationMail(env: GraphEnv, o: InvitationMailOptions): MailMessage {
  const name = o.item.row.name;
  const link = `${env.ctx.origins.app}/guest/invite/${encodeURIComponent(o.permissionId)}`;
  const verb = o.role === "write" ? "edit" : "view";
  const text = [
    `${o.sender} shared the folder "${name}" with you (can ${verb}).`,
    "",
    o.message,
    "",
    `Open: ${link}`,
    "",
    "This link only works for the people it was shared with.",
  ]
    .filter((l, i, a) => !(l === "" && a[i - 1] === ""))
    .join("\n");
  const html = `<p>${escapeHtml(o.sender)} shared the folder <b>${escapeHtml(name)}</b> with you (can ${verb}).</p>${
    o.message ? `<blockquote>${escapeHtml(o.message).replace(/\n/g, "<br>")}</blockquote>` : ""
  }<p><a href="${escapeHtml(link)}">Open</a></p><p>This link only works for the people it was shared with.</p>`;
  return { to: [o.to], from: "no-reply@sharepointonline.com", subject: `${o.sender} shared "${name}" with you`, text, html, links: [link] };
}
