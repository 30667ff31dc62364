import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createGraph, graphBaseUrl } from "../../src/adapters/graph/createGraph";
import { GraphClient } from "../../src/adapters/graph/GraphClient";
import { GraphTeamsChat, teamsChatScopes } from "../../src/adapters/graph/GraphTeamsChat";
import { notifySupport } from "../../src/app/notifySupport";
import { prepareFolder } from "../../src/app/prepareFolder";
import { BackupUpload } from "../../src/app/uploadBackup";
import { stableId } from "../../sandbox/seed/ids";
import { userByKey } from "../../sandbox/seed/people";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";
import { ticketPorts } from "./ticketSupport";

jest.setTimeout(120_000);

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());
beforeEach(async () => {
  expect((await control("POST", "/_sandbox/reset")).ok).toBe(true);
});

type Row = Record<string, unknown>;
const entraId = (key: UserKey) => userByKey(key)!.entraId;

function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sb.origins.app}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A Graph token carrying only the named delegated permissions (what a person consented to). */
async function tokenWith(user: UserKey, scopes?: readonly string[]): Promise<string> {
  const r = await control("POST", "/_sandbox/token", { user, resource: "graph", scopes });
  expect(r.ok).toBe(true);
  return ((await r.json()) as { access_token: string }).access_token;
}

async function graph(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Row }> {
  const r = await fetch(`${sb.graph}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Row };
}

const member = (id: string) => ({
  "@odata.type": "#microsoft.graph.aadUserConversationMember",
  roles: ["owner"],
  "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${id}')`,
});
const oneOnOne = (a: string, b: string) => ({ chatType: "oneOnOne", members: [member(a), member(b)] });

describe("the sandbox's Teams chats", () => {
  it("answers the same one-to-one chat for the same two people, whoever asks", async () => {
    const sam = await tokenWith("specialist");
    const alex = await tokenWith("agent");
    const first = await graph(sam, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent")));
    const again = await graph(sam, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent")));
    const fromAlex = await graph(alex, "POST", "chats", oneOnOne(entraId("agent"), entraId("specialist")));
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ chatType: "oneOnOne", id: expect.stringMatching(/^19:.+@unq\.gbl\.spaces$/) });
    expect(again.json.id).toBe(first.json.id);
    expect(fromAlex.json.id).toBe(first.json.id);
    const other = await graph(sam, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent2")));
    expect(other.json.id).not.toBe(first.json.id);
  });

  it("delivers a message to the other member, and hides the chat from everyone else", async () => {
    const sam = await tokenWith("specialist");
    const chat = await graph(sam, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent")));
    const chatPath = `chats/${encodeURIComponent(String(chat.json.id))}/messages`;
    const sent = await graph(sam, "POST", chatPath, { body: { contentType: "html", content: "<p>Backup ready</p>" } });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({
      messageType: "message",
      body: { contentType: "html", content: "<p>Backup ready</p>" },
      from: { user: { id: entraId("specialist"), displayName: "Sam Specialist" } },
    });
    const alexReads = await graph(await tokenWith("agent", ["Chat.Read"]), "GET", `${chatPath}?$top=5`);
    expect(alexReads.status).toBe(200);
    expect((alexReads.json.value as Row[]).map((m) => m.id)).toEqual([sent.json.id]);
    const patReads = await graph(await tokenWith("supervisor", ["Chat.Read"]), "GET", chatPath);
    expect(patReads.status).toBe(404);
  });

  it("refuses a token without the delegated permission each route needs, with 403 as Graph does", async () => {
    const noCreate = await tokenWith("specialist", ["User.Read", "ChatMessage.Send"]);
    const refusedChat = await graph(noCreate, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent")));
    expect(refusedChat.status).toBe(403);
    expect(refusedChat.json.error).toMatchObject({ code: "Forbidden", message: expect.stringContaining("Chat.Create") });

    const noSend = await tokenWith("specialist", ["User.Read", "Chat.Create"]);
    const chat = await graph(noSend, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent")));
    expect(chat.status).toBe(201);
    const refusedMessage = await graph(noSend, "POST", `chats/${encodeURIComponent(String(chat.json.id))}/messages`, {
      body: { content: "hello" },
    });
    expect(refusedMessage.status).toBe(403);
    expect(refusedMessage.json.error).toMatchObject({
      code: "Forbidden",
      message: expect.stringMatching(/Missing scope permissions on the request\. API requires one of 'ChatMessage\.Send/),
    });

    // Reading someone's profile needs User.ReadBasic.All, which the product does not ask for.
    const profile = await graph(await tokenWith("specialist"), "GET", `users/${entraId("agent")}`);
    expect(profile.status).toBe(403);
    const withPermission = await graph(await tokenWith("specialist", ["User.ReadBasic.All"]), "GET", `users('${entraId("agent")}')`);
    expect(withPermission.json).toMatchObject({ id: entraId("agent"), displayName: "Alex Agent" });
  });

  it("refuses a chat with somebody who is not in the tenant, or one the caller is not in", async () => {
    const sam = await tokenWith("specialist");
    const stranger = await graph(sam, "POST", "chats", oneOnOne(entraId("specialist"), "00000000-0000-4000-8000-000000000000"));
    expect(stranger.status).toBe(404);
    const notMine = await graph(sam, "POST", "chats", oneOnOne(entraId("agent"), entraId("agent2")));
    expect(notMine.status).toBe(403);
  });

  it("keeps each person's Entra object id on their user row, the id their tokens and /me carry", async () => {
    const me = await graph(await tokenWith("agent"), "GET", "me");
    expect(me.json.id).toBe(entraId("agent"));
    const r = await sb.fetchAs("specialist", `${sb.dataverse}systemusers(${userByKey("agent")!.id})?$select=azureactivedirectoryobjectid`);
    expect(((await r.json()) as Row).azureactivedirectoryobjectid).toBe(entraId("agent"));
    expect(entraId("agent")).not.toBe(userByKey("agent")!.id);
  });
});

test("a data folder seeded before people had Entra object ids gets them on the next start", async () => {
  const first = await startSandbox();
  await first.stop({ keepData: true });
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(join(first.dataDir, "sandbox.db"));
  db.prepare("UPDATE systemuser SET azureactivedirectoryobjectid = NULL").run();
  db.close();
  const second = await startSandbox({ dataDir: first.dataDir, port: first.port });
  try {
    const r = await second.fetchAs(
      "admin",
      `${second.dataverse}systemusers(${userByKey("agent")!.id})?$select=azureactivedirectoryobjectid`,
    );
    expect(((await r.json()) as Row).azureactivedirectoryobjectid).toBe(entraId("agent"));
  } finally {
    await second.stop();
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});

const caseNumber = "CAS-01000-Z9Y8X7";
const ticket = { id: stableId(`ticket/${caseNumber}`), name: "HWT-00001", caseId: stableId(`incident/${caseNumber}`) };

/** The specialist's ticket ports with the Teams follow-up as given, a backup stored and ready to notify. */
async function readyToNotify(teamsFollowUp: boolean) {
  const { ports, uploader, user } = await ticketPorts(sb, "specialist");
  const tokens = { getToken: () => tokenWith("specialist", teamsChatScopes) };
  const teamsGraph = new GraphClient(createGraph({ graphEndpoint: ports.settings.graphEndpoint, tokens, scopes: [...teamsChatScopes] }));
  const teams = new GraphTeamsChat({ graph: teamsGraph, graphBaseUrl: graphBaseUrl(ports.settings.graphEndpoint) });
  const withTeams = { ...ports, settings: { ...ports.settings, teamsFollowUp }, teams };
  const prepared = await prepareFolder(withTeams, ticket, user);
  const folder = (await ports.library.findFolder(prepared.exchange.folderPath))!;
  const bytes = randomBytes(100);
  await new BackupUpload({ ...withTeams, uploader }, { exchange: prepared.exchange, folder, user, askConflict: async () => "skip" }, [
    { file: new Blob([bytes]), relativePath: "backup.zip", size: bytes.length, lastModified: 1_763_000_000_000 },
  ]).start();
  return { ports: withTeams, input: { ticket, exchangeId: prepared.exchange.id, user, appUrl: sb.origins.app } };
}

/** The messages Alex Agent has from Sam Specialist. */
async function alexsMessages(): Promise<Row[]> {
  const sam = await tokenWith("specialist");
  const chat = await graph(sam, "POST", "chats", oneOnOne(entraId("specialist"), entraId("agent")));
  const list = await graph(await tokenWith("agent", ["Chat.Read"]), "GET", `chats/${encodeURIComponent(String(chat.json.id))}/messages`);
  return list.json.value as Row[];
}

async function caseNotes(subject: string): Promise<Row[]> {
  const r = await sb.fetchAs(
    "agent",
    `${sb.dataverse}annotations?$select=notetext&$filter=_objectid_value eq ${ticket.caseId} and subject eq '${subject}'`,
  );
  return ((await r.json()) as { value: Row[] }).value;
}

describe("Notify Support's Teams follow-up against the sandbox", () => {
  it("on: the agent finds one message from the specialist with the case's number, title and link, however often Notify Support runs", async () => {
    const { ports, input } = await readyToNotify(true);
    const result = await notifySupport(ports, input);
    expect(result).toMatchObject({ outcome: "notified", teams: { status: "sent", to: "Alex Agent" } });
    await expect(notifySupport(ports, input)).resolves.toMatchObject({ outcome: "alreadyNotified" });
    const messages = await alexsMessages();
    expect(messages).toHaveLength(1);
    const content = String((messages[0].body as Row).content);
    expect(content).toContain(caseNumber);
    expect(content).toContain(`href="${sb.origins.app}/main.aspx?etn=incident&amp;id=${ticket.caseId}&amp;pagetype=entityrecord"`);
    expect(await caseNotes("Teams message to support")).toHaveLength(1);
  });

  it("off: no chat, no Teams note", async () => {
    const { ports, input } = await readyToNotify(false);
    const result = await notifySupport(ports, input);
    expect(result.outcome).toBe("notified");
    expect(result.teams).toBeUndefined();
    expect(await alexsMessages()).toEqual([]);
    expect(await caseNotes("Teams message to support")).toEqual([]);
  });

  it("refusing: Notify Support still notifies and notes, and reports Teams' reason", async () => {
    const { ports, input } = await readyToNotify(true);
    expect((await control("PUT", "/_sandbox/policy", { teamsChat: false })).ok).toBe(true);
    const result = await notifySupport(ports, input);
    expect(result).toMatchObject({
      outcome: "notified",
      email: "sent",
      teams: { status: "notSent", reason: "refused", detail: expect.stringContaining("Teams chat is turned off") },
    });
    expect(await caseNotes("Backup is ready")).toHaveLength(1);
    const [note] = await caseNotes("Teams message to support");
    expect(String(note.notetext)).toContain("No Teams message was sent to Alex Agent");
    expect((await control("PUT", "/_sandbox/policy", { teamsChat: true })).ok).toBe(true);
    expect(await alexsMessages()).toEqual([]);
  });
});
