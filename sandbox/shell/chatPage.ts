import type { ChatMessageRow, ChatRow } from "../graph/chats";
import type { SandboxUser } from "../seed/people";
import { esc, initials } from "./html";
import { page } from "./layout";

/** One of the signed-in person's chats, as `chatsOf` reads it from the Graph stand-in. */
export interface ShellChat {
  readonly chat: ChatRow;
  readonly members: readonly SandboxUser[];
  readonly messages: readonly ChatMessageRow[];
}

const ALLOWED_TAGS = new Set(["p", "b", "strong", "i", "em", "u", "br", "ul", "ol", "li", "span", "div", "a"]);

/**
 * A chat message's HTML as Teams shows it: a few formatting tags and https/http links kept, every
 * other tag and attribute dropped, stray angle brackets escaped. Anyone with a token can post any
 * HTML here, so nothing a message holds runs in the shell.
 */
export function chatMessageHtml(content: string): string {
  return content
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (!part.startsWith("<") || !part.endsWith(">")) return part.replace(/</g, "&lt;").replace(/>/g, "&gt;");
      const m = /^<\s*(\/?)\s*([a-z0-9]+)([^>]*)>$/i.exec(part);
      const tag = m?.[2].toLowerCase();
      if (!m || !tag || !ALLOWED_TAGS.has(tag)) return "";
      if (m[1]) return `</${tag}>`;
      if (tag !== "a") return `<${tag}>`;
      const href = /\bhref\s*=\s*"([^"]*)"/i.exec(m[3])?.[1] ?? "";
      const decoded = href.replace(/&amp;/g, "&");
      return /^https?:\/\//i.test(decoded) ? `<a href="${esc(decoded)}" target="_top" rel="noreferrer">` : "<a>";
    })
    .join("");
}

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/**
 * `/chat`: the signed-in person's Teams chats (the sandbox's stand-in for the Teams client), most
 * recent first, and the messages of the one chosen (`?id=`), oldest first.
 */
export function renderChat(user: SandboxUser, chats: readonly ShellChat[], selected: string | undefined, currentUrl: string): string {
  const open = chats.find((c) => c.chat.id === selected) ?? chats[0];
  const other = (c: ShellChat) =>
    c.members
      .filter((m) => m.entraId !== user.entraId)
      .map((m) => m.fullName)
      .join(", ") || user.fullName;
  const list = chats
    .map((c) => {
      const last = c.messages[c.messages.length - 1];
      return `<a class="chat-item${c === open ? " current" : ""}" href="/chat?id=${encodeURIComponent(c.chat.id)}" aria-current="${c === open ? "page" : "false"}">
<span class="avatar small">${esc(initials(other(c)))}</span><span><b>${esc(other(c))}</b><br/><small>${last ? esc(when(last.created_at)) : "No messages yet"}</small></span></a>`;
    })
    .join("");
  const messages = open
    ? open.messages
        .map(
          (m) => `<article class="chat-message${m.from_id === user.entraId ? " mine" : ""}" aria-label="Message from ${esc(m.from_name)}">
<header><b>${esc(m.from_name)}</b> <small>${esc(when(m.created_at))}</small></header>
<div class="chat-body">${m.content_type === "html" ? chatMessageHtml(m.content) : esc(m.content)}</div></article>`,
        )
        .join("") || `<p class="chat-empty">No messages in this chat yet.</p>`
    : "";
  const body = `<div class="list-head"><h1 class="dash-title">Teams chat</h1></div>
<p class="chat-intro">The sandbox's stand-in for Microsoft Teams: the one-to-one chats of ${esc(user.fullName)}, as Microsoft Graph's <code>/chats</code> holds them.</p>
${
  chats.length === 0
    ? `<p class="chat-empty">${esc(user.fullName)} has no Teams chats yet. With the Teams follow-up setting on, Notify Support on a hardware ticket sends the case's owner one.</p>`
    : `<div class="chat-layout"><nav class="chat-list" aria-label="Chats">${list}</nav>
<section class="chat-thread" aria-label="Chat with ${esc(other(open!))}"><h2>${esc(other(open!))}</h2>${messages}</section></div>`
}`;
  return page({ title: "Teams chat", user, activeTable: "chat", commandBar: "", body, currentUrl });
}
