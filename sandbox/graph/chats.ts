import type Database from "better-sqlite3";
import type { Principal } from "../context";
import { tenantId, users, type SandboxUser } from "../seed/people";
import { GraphHttpError, invalidRequest } from "./errors";
import { readJson, type GraphEnv, type GraphRequest, type GraphResponse } from "./service";

/**
 * Teams chats as Graph serves them to a signed-in person: `POST /chats` (one-to-one: the chat the
 * two already have, else a new one), `POST` and `GET /chats/{id}/messages`, `GET /me` and
 * `GET /users/{id}` for the tenant's people. Each route checks the delegated permission Graph
 * documents for it in the token's `scp` and answers 403 without it, as Graph does.
 */

export interface ChatRow {
  readonly id: string;
  readonly chat_type: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface ChatMessageRow {
  readonly id: string;
  readonly chat_id: string;
  readonly from_id: string;
  readonly from_name: string;
  readonly content_type: string;
  readonly content: string;
  readonly created_at: string;
}

/** Creates the chat tables (prefix `graph_`, like the library's). */
export function ensureChatTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS graph_chats (
      id TEXT PRIMARY KEY,
      chat_type TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS graph_chat_members (
      chat_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      PRIMARY KEY (chat_id, user_id)
    );
    CREATE TABLE IF NOT EXISTS graph_chat_messages (
      id TEXT PRIMARY KEY,
      chat_id TEXT NOT NULL,
      from_id TEXT NOT NULL,
      from_name TEXT NOT NULL,
      content_type TEXT NOT NULL,
      content TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
  `);
}

/** Drops every chat and message (a reset). */
export function clearChats(db: Database.Database): void {
  ensureChatTables(db);
  db.exec("DELETE FROM graph_chat_messages; DELETE FROM graph_chat_members; DELETE FROM graph_chats;");
}

/** The chats a person is a member of, most recently active first, each with its other members and its messages, oldest first. */
export function chatsOf(db: Database.Database, entraId: string): { chat: ChatRow; members: SandboxUser[]; messages: ChatMessageRow[] }[] {
  ensureChatTables(db);
  const chats = db
    .prepare(
      "SELECT c.* FROM graph_chats c JOIN graph_chat_members m ON m.chat_id = c.id WHERE m.user_id = ? ORDER BY c.updated_at DESC, c.id",
    )
    .all(entraId) as ChatRow[];
  return chats.map((chat) => ({
    chat,
    members: (db.prepare("SELECT user_id FROM graph_chat_members WHERE chat_id = ?").all(chat.id) as { user_id: string }[])
      .map((m) => users.find((u) => u.entraId === m.user_id))
      .filter((u): u is SandboxUser => !!u),
    messages: db.prepare("SELECT * FROM graph_chat_messages WHERE chat_id = ? ORDER BY created_at, id").all(chat.id) as ChatMessageRow[],
  }));
}

const forbidden = (message: string) => new GraphHttpError(403, "Forbidden", message);

/** The permissions in the token's `scp` (delegated) — none for an application token. */
function scopesOf(principal: Principal): string[] {
  const scp = principal.claims.scp;
  return typeof scp === "string" ? scp.split(" ").filter(Boolean) : [];
}

/** The signed-in person, when the token is delegated and one of the permissions is in it. */
function requireDelegated(principal: Principal, anyOf: readonly string[]): SandboxUser {
  if (principal.kind === "app")
    throw forbidden(
      `This API is not available with application permissions here. It requires one of the delegated permissions '${anyOf.join(", ")}'.`,
    );
  const held = scopesOf(principal);
  if (!anyOf.some((s) => held.includes(s)))
    throw forbidden(
      `Missing scope permissions on the request. API requires one of '${anyOf.join(", ")}'. Scopes on the request '${held.join(", ")}'`,
    );
  if (principal.kind !== "user" || !principal.user) throw forbidden("Only members of the organization can use Teams chats here.");
  return principal.user;
}

function userJson(u: SandboxUser): Record<string, unknown> {
  return {
    id: u.entraId,
    displayName: u.fullName,
    userPrincipalName: u.upn,
    mail: u.upn,
    jobTitle: u.title,
    businessPhones: [],
  };
}

function chatJson(env: GraphEnv, row: ChatRow): Record<string, unknown> {
  return {
    id: row.id,
    topic: null,
    createdDateTime: row.created_at,
    lastUpdatedDateTime: row.updated_at,
    chatType: row.chat_type,
    webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(row.id)}/0?tenantId=${tenantId}`,
    tenantId,
    onlineMeetingInfo: null,
    viewpoint: null,
    "@odata.context": `${env.ctx.origins.graph}/v1.0/$metadata#chats/$entity`,
  };
}

function messageJson(row: ChatMessageRow): Record<string, unknown> {
  return {
    id: row.id,
    replyToId: null,
    etag: row.id,
    messageType: "message",
    createdDateTime: row.created_at,
    lastModifiedDateTime: row.created_at,
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: null,
    summary: null,
    chatId: row.chat_id,
    importance: "normal",
    locale: "en-us",
    webUrl: null,
    channelIdentity: null,
    policyViolation: null,
    eventDetail: null,
    from: {
      application: null,
      device: null,
      user: {
        "@odata.type": "#microsoft.graph.teamworkUserIdentity",
        id: row.from_id,
        displayName: row.from_name,
        userIdentityType: "aadUser",
        tenantId,
      },
    },
    body: { contentType: row.content_type, content: row.content },
    attachments: [],
    mentions: [],
    reactions: [],
  };
}

/** The object id a member's `user@odata.bind` names: `…/users('<id>')` or `…/users/<id>`. */
function boundUserId(bind: unknown): string | undefined {
  if (typeof bind !== "string") return undefined;
  const m = /\/users(?:\('([^']+)'\)|\/([^/?#]+))$/i.exec(bind);
  const raw = m?.[1] ?? m?.[2];
  return raw ? decodeURIComponent(raw).toLowerCase() : undefined;
}

/** Teams' one-to-one chat id: both members' object ids, sorted, in one thread id. */
function oneOnOneChatId(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `19:${x}_${y}@unq.gbl.spaces`;
}

function checkTeamsOn(env: GraphEnv): void {
  if (!env.ctx.policy().teamsChat) throw forbidden("Teams chat is turned off for the organization's users.");
}

async function createChat(env: GraphEnv, req: GraphRequest): Promise<GraphResponse> {
  const me = requireDelegated(req.principal, ["Chat.Create", "Chat.ReadWrite"]);
  const body = await readJson(req.body);
  if (!body) throw new GraphHttpError(400, "BadRequest", "The request body is missing.");
  if (body.chatType !== "oneOnOne")
    throw new GraphHttpError(400, "BadRequest", `chatType '${String(body.chatType)}' is not supported here; only oneOnOne chats are.`);
  const members = Array.isArray(body.members) ? (body.members as Record<string, unknown>[]) : [];
  if (members.length !== 2) throw new GraphHttpError(400, "BadRequest", "A oneOnOne chat takes exactly two members.");
  const ids: string[] = [];
  for (const m of members) {
    if (m?.["@odata.type"] !== "#microsoft.graph.aadUserConversationMember")
      throw new GraphHttpError(400, "BadRequest", "Each member must be a #microsoft.graph.aadUserConversationMember.");
    const roles = Array.isArray(m.roles) ? m.roles : [];
    if (!roles.includes("owner")) throw new GraphHttpError(400, "BadRequest", "Each member of a oneOnOne chat must have the role 'owner'.");
    const id = boundUserId(m["user@odata.bind"]);
    if (!id) throw new GraphHttpError(400, "BadRequest", "Each member needs user@odata.bind naming a user: users('<id>').");
    if (!users.some((u) => u.entraId === id)) throw new GraphHttpError(404, "NotFound", `User '${id}' was not found in the tenant.`);
    ids.push(id);
  }
  if (ids[0] === ids[1]) throw new GraphHttpError(400, "BadRequest", "The two members of a oneOnOne chat must be different users.");
  if (!ids.includes(me.entraId)) throw forbidden("The signed-in user must be one of the chat's members.");
  checkTeamsOn(env);
  const db = env.ctx.db;
  ensureChatTables(db);
  const id = oneOnOneChatId(ids[0], ids[1]);
  let row = db.prepare("SELECT * FROM graph_chats WHERE id = ?").get(id) as ChatRow | undefined;
  if (!row) {
    const now = env.ctx.clock.now().toISOString();
    db.transaction(() => {
      db.prepare("INSERT OR IGNORE INTO graph_chats (id, chat_type, created_at, updated_at) VALUES (?, 'oneOnOne', ?, ?)").run(
        id,
        now,
        now,
      );
      for (const u of ids) db.prepare("INSERT OR IGNORE INTO graph_chat_members (chat_id, user_id) VALUES (?, ?)").run(id, u);
    })();
    row = db.prepare("SELECT * FROM graph_chats WHERE id = ?").get(id) as ChatRow;
  }
  return {
    status: 201,
    headers: { location: `${env.ctx.origins.graph}/v1.0/chats('${encodeURIComponent(id)}')` },
    json: chatJson(env, row),
  };
}

/** The chat, when the signed-in person is a member; 404 otherwise, as Graph hides chats one is not in. */
function memberChat(env: GraphEnv, chatId: string, me: SandboxUser): ChatRow {
  const db = env.ctx.db;
  ensureChatTables(db);
  const row = db.prepare("SELECT * FROM graph_chats WHERE id = ?").get(chatId) as ChatRow | undefined;
  const member = row && db.prepare("SELECT 1 FROM graph_chat_members WHERE chat_id = ? AND user_id = ?").get(chatId, me.entraId);
  if (!row || !member) throw new GraphHttpError(404, "NotFound", `Chat '${chatId}' was not found.`);
  return row;
}

async function postMessage(env: GraphEnv, req: GraphRequest, chatId: string): Promise<GraphResponse> {
  const me = requireDelegated(req.principal, ["ChatMessage.Send", "Chat.ReadWrite", "Group.ReadWrite.All"]);
  memberChat(env, chatId, me);
  const body = await readJson(req.body);
  const item = body?.body as { content?: unknown; contentType?: unknown } | undefined;
  if (typeof item?.content !== "string" || !item.content.trim())
    throw new GraphHttpError(400, "BadRequest", "The message body's content is missing.");
  const contentType = item.contentType === undefined ? "text" : String(item.contentType).toLowerCase();
  if (contentType !== "text" && contentType !== "html")
    throw invalidRequest(`contentType '${String(item.contentType)}' is not text or html.`);
  if (item.content.length > 28_000)
    throw new GraphHttpError(413, "RequestEntityTooLarge", "The message is larger than Teams takes (about 28 KB).");
  checkTeamsOn(env);
  const db = env.ctx.db;
  const now = env.ctx.clock.now();
  // Teams' message ids are the creation time in milliseconds; one more than the chat's last keeps them unique.
  const last = db.prepare("SELECT MAX(CAST(id AS INTEGER)) AS n FROM graph_chat_messages").get() as { n: number | null };
  const id = String(Math.max(now.getTime(), (last.n ?? 0) + 1));
  const row: ChatMessageRow = {
    id,
    chat_id: chatId,
    from_id: me.entraId,
    from_name: me.fullName,
    content_type: contentType,
    content: item.content,
    created_at: now.toISOString(),
  };
  db.prepare(
    "INSERT INTO graph_chat_messages (id, chat_id, from_id, from_name, content_type, content, created_at) VALUES (@id, @chat_id, @from_id, @from_name, @content_type, @content, @created_at)",
  ).run(row);
  db.prepare("UPDATE graph_chats SET updated_at = ? WHERE id = ?").run(row.created_at, chatId);
  return {
    status: 201,
    json: { "@odata.context": `${env.ctx.origins.graph}/v1.0/$metadata#chats('${chatId}')/messages/$entity`, ...messageJson(row) },
  };
}

function listMessages(env: GraphEnv, req: GraphRequest, chatId: string): GraphResponse {
  const me = requireDelegated(req.principal, ["Chat.Read", "Chat.ReadWrite"]);
  memberChat(env, chatId, me);
  const topText = req.query.get("$top");
  const top = topText === null ? 20 : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > 50) throw new GraphHttpError(400, "BadRequest", "$top must be between 1 and 50.");
  const rows = env.ctx.db
    .prepare("SELECT * FROM graph_chat_messages WHERE chat_id = ? ORDER BY created_at DESC, CAST(id AS INTEGER) DESC LIMIT ?")
    .all(chatId, top) as ChatMessageRow[];
  return { status: 200, json: { "@odata.count": rows.length, value: rows.map(messageJson) } };
}

/** Answers `me`, `users/{id}` and `chats…` requests; undefined for any other path (the library's). */
export async function handleTeams(env: GraphEnv, req: GraphRequest): Promise<GraphResponse | undefined> {
  let segments: string[];
  try {
    segments = req.path
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    throw invalidRequest("Invalid path encoding.");
  }
  const method = req.method.toUpperCase();
  const head = segments[0]?.toLowerCase();
  if (head === "me" && segments.length === 1) {
    if (method !== "GET") throw new GraphHttpError(405, "BadRequest", "The method is not allowed for this resource.");
    const me = requireDelegated(req.principal, ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All"]);
    return { status: 200, json: userJson(me) };
  }
  const user = head ? /^users(?:\('([^']+)'\))?$/i.exec(segments[0]) : null;
  if (user && (user[1] || segments.length === 2)) {
    if (method !== "GET") throw new GraphHttpError(405, "BadRequest", "The method is not allowed for this resource.");
    requireDelegated(req.principal, ["User.ReadBasic.All", "User.Read.All", "Directory.Read.All"]);
    const id = (user[1] ?? segments[1]).toLowerCase();
    const found = users.find((u) => u.entraId === id || u.upn.toLowerCase() === id);
    if (!found)
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return { status: 200, json: userJson(found) };
  }
  const chat = head ? /^chats(?:\('([^']+)'\))?$/i.exec(segments[0]) : null;
  if (!chat) return undefined;
  const chatId = chat[1] ?? segments[1];
  const rest = chat[1] ? segments.slice(1) : segments.slice(2);
  if (!chatId) {
    if (method === "POST") return createChat(env, req);
    throw new GraphHttpError(405, "BadRequest", "Listing chats is not available here; POST creates a chat.");
  }
  if (rest.length === 1 && rest[0] === "messages") {
    if (method === "POST") return postMessage(env, req, chatId);
    if (method === "GET") return listMessages(env, req, chatId);
  }
  if (rest.length === 0 && method === "GET") {
    const me = requireDelegated(req.principal, ["Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"]);
    return { status: 200, json: chatJson(env, memberChat(env, chatId, me)) };
  }
  throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${rest[0] ?? chatId}'.`);
}
