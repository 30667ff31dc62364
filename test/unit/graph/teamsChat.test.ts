import { createGraph } from "../../../src/adapters/graph/createGraph";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { GraphTeamsChat } from "../../../src/adapters/graph/GraphTeamsChat";
import { fakeFetch, json, recordingSleep, staticTokens, type Route } from "./fakeFetch";

const G = "https://graph.example.test/v1.0/";
const ME = "0a9e0002-0000-4000-8000-0000000000a2";
const AGENT = "0a9e0001-0000-4000-8000-0000000000a1";
const CHAT = `19:${AGENT}_${ME}@unq.gbl.spaces`;

function teams(route: Route) {
  const fetch = fakeFetch(route);
  const graph = new GraphClient(
    createGraph({
      graphEndpoint: "https://graph.example.test",
      tokens: staticTokens,
      scopes: ["x"],
      fetch,
      retry: { sleep: recordingSleep() },
    }),
  );
  return { fetch, chat: new GraphTeamsChat({ graph, graphBaseUrl: "https://graph.example.test/v1.0" }) };
}

/** Graph answering /me, the chat and the message; `message` may answer otherwise. */
const graphAnswers =
  (message: () => Response | Promise<Response> = () => json(201, { id: "1765000000000" })): Route =>
  (req) => {
    const rel = decodeURIComponent(req.url.slice(G.length));
    if (req.method === "GET" && rel === "me?$select=id") return json(200, { id: ME });
    if (req.method === "POST" && rel === "chats") return json(201, { id: CHAT, chatType: "oneOnOne" });
    if (req.method === "POST" && rel === `chats/${CHAT}/messages`) return message();
    throw new Error(`unexpected ${req.method} ${rel}`);
  };

describe("GraphTeamsChat", () => {
  it("finds the one-to-one chat with both members bound by object id, then posts the HTML message in it", async () => {
    const { fetch, chat } = teams(graphAnswers());
    await expect(chat.messageUser(AGENT, { html: "<p>Backup ready</p>" })).resolves.toEqual({ chatId: CHAT, messageId: "1765000000000" });
    const [me, create, post] = fetch.requests;
    expect(me.method).toBe("GET");
    expect(JSON.parse(String(create.body))).toEqual({
      chatType: "oneOnOne",
      members: [ME, AGENT].map((id) => ({
        "@odata.type": "#microsoft.graph.aadUserConversationMember",
        roles: ["owner"],
        "user@odata.bind": `https://graph.example.test/v1.0/users('${id}')`,
      })),
    });
    expect(post.url).toBe(`${G}chats/${encodeURIComponent(CHAT)}/messages`);
    expect(JSON.parse(String(post.body))).toEqual({ body: { contentType: "html", content: "<p>Backup ready</p>" } });
  });

  it("reads /me once for several messages", async () => {
    const { fetch, chat } = teams(graphAnswers());
    await chat.messageUser(AGENT, { html: "a" });
    await chat.messageUser(AGENT, { html: "b" });
    expect(fetch.requests.filter((r) => r.url.includes("/me?")).length).toBe(1);
  });

  it("creates the chat again after a lost answer (Graph answers the same chat), but never the message", async () => {
    let chatCalls = 0;
    let messageCalls = 0;
    const base = graphAnswers();
    const { chat } = teams((req) => {
      if (req.url.endsWith("/chats") && chatCalls++ === 0) throw new TypeError("Failed to fetch");
      if (req.url.endsWith("/messages")) {
        messageCalls++;
        throw new TypeError("Failed to fetch");
      }
      return base(req);
    });
    await expect(chat.messageUser(AGENT, { html: "x" })).rejects.toMatchObject({ name: "GraphError", code: "outcomeUnknown" });
    expect(chatCalls).toBe(2);
    expect(messageCalls).toBe(1);
  });

  it("passes Teams' refusal on as it came", async () => {
    const { chat } = teams(
      graphAnswers(() => json(403, { error: { code: "Forbidden", message: "Missing scope permissions on the request." } })),
    );
    await expect(chat.messageUser(AGENT, { html: "x" })).rejects.toMatchObject({ name: "GraphError", code: "Forbidden", status: 403 });
  });

  it("refuses an id that is not an Entra object id before any request", async () => {
    const { fetch, chat } = teams(graphAnswers());
    await expect(chat.messageUser("alex.agent@contoso.example", { html: "x" })).rejects.toMatchObject({ code: "invalidRequest" });
    expect(fetch.requests).toEqual([]);
  });
});
