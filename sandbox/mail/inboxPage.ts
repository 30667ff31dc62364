import type { StoredMail } from "./sink";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Every "sent" e-mail, newest first: recipients, subject, the text with its links clickable. */
export function renderInbox(messages: readonly StoredMail[], filter?: string): string {
  const items = messages
    .map((m) => {
      const text = escapeHtml(m.text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
      return `<article>
  <h2>${escapeHtml(m.subject)}</h2>
  <p class="meta">To ${escapeHtml(m.to.join(", "))} · from ${escapeHtml(m.from)} · <time datetime="${m.sentAt}">${escapeHtml(m.sentAt.replace("T", " ").slice(0, 16))} UTC</time></p>
  <pre>${text}</pre>
</article>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox mail</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
article{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}h2{font-size:1.05rem;margin:.4rem 0}
.meta{color:#555;font-size:.85rem;margin:0}pre{white-space:pre-wrap;font:inherit}</style></head>
<body><h1>Sandbox mail</h1>
<p>Every e-mail the sandbox "sent": sharing invitations, one-time codes, notifications.${filter ? ` Showing mail to ${escapeHtml(filter)} (<a href="/mail">all</a>).` : ""}</p>
${items || "<p>No mail yet.</p>"}
</body></html>`;
}
