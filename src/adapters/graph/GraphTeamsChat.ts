import type { SentTeamsMessage, TeamsChat, TeamsMessage } from "../../ports/TeamsChat";
import type { GraphClient } from "./GraphClient";
import { GraphError, isGraphError } from "./GraphError";
import { declareIdempotency } from "./retryPolicy";

/** The delegated permissions a one-to-one follow-up needs: `/me` for one's own id, the chat, the message. */
export const teamsChatScopes = ["User.Read", "Chat.Create", "ChatMessage.Send"] as const;

export interface GraphTeamsChatOptions {
  /** A pipeline whose tokens carry `teamsChatScopes` (asked for only when the setting is on). */
  readonly graph: GraphClient;
  /** The Graph v1.0 base URL, for the members' `user@odata.bind` (`https://graph.microsoft.com/v1.0`). */
  readonly graphBaseUrl: string;
}

/** The `users('<id>')` binding of one chat member, as Graph's examples write it. */
function member(base: string, entraObjectId: string) {
  return {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    roles: ["owner"],
    "user@odata.bind": `${base.replace(/\/+$/, "")}/users('${encodeURIComponent(entraObjectId)}')`,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Teams chat over Graph: `GET /me` once for the signed-in person's object id, `POST /chats` with
 * `oneOnOne` and both members (Graph answers the chat the two already have, so repeating it is
 * harmless), then `POST /chats/{id}/messages`. The message's POST is never sent again after a
 * lost answer (the retry policy treats a POST as `once`): Graph has no key that would make a
 * second send a no-op.
 */
export class GraphTeamsChat implements TeamsChat {
  private me?: Promise<string>;

  constructor(private readonly options: GraphTeamsChatOptions) {}

  async messageUser(entraObjectId: string, message: TeamsMessage): Promise<SentTeamsMessage> {
    if (!GUID.test(entraObjectId))
      throw new GraphError("invalidRequest", `"${entraObjectId.slice(0, 40)}" is not a Microsoft Entra object id.`, 0);
    const { graph, graphBaseUrl } = this.options;
    const me = await this.myId();
    const chat = await graph.post<{ id?: unknown }>(
      "chats",
      { chatType: "oneOnOne", members: [member(graphBaseUrl, me), member(graphBaseUrl, entraObjectId)] },
      declareIdempotency(undefined, "keyed"),
    );
    if (typeof chat?.id !== "string" || !chat.id) throw new GraphError("invalidResponse", "Teams answered without a chat id.", 201);
    let sent: { id?: unknown };
    try {
      sent = await graph.post<{ id?: unknown }>(`chats/${encodeURIComponent(chat.id)}/messages`, {
        body: { contentType: "html", content: message.html },
      });
    } catch (e) {
      // No answer (a drop, a gateway timeout): Teams may have posted it, and it is not sent again.
      if (isGraphError(e) && (e.code === "networkError" || e.status === 504))
        throw new GraphError("outcomeUnknown", `The message was sent to Teams but no answer came back (${e.message}).`, e.status, {
          cause: e,
          requestId: e.requestId,
        });
      throw e;
    }
    if (typeof sent?.id !== "string") throw new GraphError("invalidResponse", "Teams answered without a message id.", 201);
    return { chatId: chat.id, messageId: sent.id };
  }

  /** The signed-in person's object id, read once (a failure is read again next time). */
  private myId(): Promise<string> {
    this.me ??= this.options.graph.get<{ id?: unknown }>("me?$select=id").then(
      (me) => {
        if (typeof me?.id !== "string" || !me.id) throw new GraphError("invalidResponse", "Graph answered /me without an id.", 200);
        return me.id;
      },
      (e: unknown) => {
        this.me = undefined;
        throw e;
      },
    );
    return this.me;
  }
}
