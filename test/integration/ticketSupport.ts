import { createGraph } from "../../src/adapters/graph/createGraph";
import { GraphClient } from "../../src/adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../../src/adapters/graph/GraphDocumentLibrary";
import { GraphUploader } from "../../src/adapters/graph/GraphUploader";
import { MemoryStore } from "../../src/adapters/graph/KeyValueStore";
import { memoryCache } from "../../src/adapters/xrm/SessionCache";
import { retryingWebApi } from "../../src/adapters/xrm/retryingWebApi";
import { XrmCrmGateway, type XrmWebApi } from "../../src/adapters/xrm/XrmCrmGateway";
import { XrmSettingsSource } from "../../src/adapters/xrm/XrmSettingsSource";
import { XrmTicketGateway, type XrmExecute } from "../../src/adapters/xrm/XrmTicketGateway";
import { rolesFromIds } from "../../src/domain";
import { roleDefs } from "../../src/model";
import type { CurrentUser } from "../../src/ports/CrmGateway";
import type { TokenProvider } from "../../src/ports/TokenProvider";
import type { TicketPorts } from "../../src/app/ticketPorts";
import { systemClock, type Clock } from "../../src/ports/Clock";
import type { CaseActor, CasePorts } from "../../src/app/casePorts";
import type { Settings } from "../../src/domain/settings";
import type { TestSandbox, UserKey } from "./support/sandbox";
import { userByKey } from "../../sandbox/seed/people";

/**
 * Xrm.WebApi as Unified Interface implements it, over the sandbox's Web API with a bearer token:
 * the same adapters the panels run, in Node. Rejections look like Xrm's (`{errorCode, message}`
 * with the HTTP status).
 */
export function fetchWebApi(sandbox: TestSandbox, user: UserKey): XrmWebApi & XrmExecute {
  const base = sandbox.dataverse;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ json: Record<string, unknown>; headers: Headers; status: number }> => {
    const res = await sandbox.fetchAs(user, base + path, {
      method,
      headers: { "content-type": "application/json", prefer: 'odata.include-annotations="*"', accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) {
      const err = (json.error ?? {}) as { code?: string; message?: string };
      throw Object.assign(new Error(err.message ?? `HTTP ${res.status}`), { errorCode: err.code, status: res.status });
    }
    return { json, headers: res.headers, status: res.status };
  };
  const set = (table: string) =>
    table === "email" ? "emails" : table === "appnotification" ? "appnotifications" : table === "annotation" ? "annotations" : `${table}s`;
  const idFrom = (headers: Headers) => /\(([^)]+)\)$/.exec(headers.get("odata-entityid") ?? "")?.[1] ?? "";
  const api = {
    async createRecord(table: string, data: object) {
      const r = await call("POST", set(table), data);
      return { entityType: table, id: idFrom(r.headers) };
    },
    async updateRecord(table: string, id: string, data: object) {
      await call("PATCH", `${set(table)}(${id})`, data);
      return { entityType: table, id };
    },
    async retrieveRecord(table: string, id: string, options?: string) {
      return (await call("GET", `${set(table)}(${id})${options ?? ""}`)).json;
    },
    async retrieveMultipleRecords(table: string, options?: string) {
      const r = await call("GET", `${set(table)}${options ?? ""}`);
      return { entities: r.json.value as Record<string, unknown>[], nextLink: r.json["@odata.nextLink"] as string | undefined };
    },
    async deleteRecord(table: string, id: string) {
      await call("DELETE", `${set(table)}(${id})`);
      return { entityType: table, id };
    },
    async execute(request: {
      entity?: { entityType: string; id: string };
      IssueSend?: boolean;
      Target?: { entityType: string; id: string };
      getMetadata(): { operationName?: string };
    }) {
      const op = request.getMetadata().operationName;
      if (op === "RetrievePrincipalAccess" && request.entity && request.Target) {
        // A record parameter of a function goes as a parameter alias holding its @odata.id, as Unified Interface sends it.
        const target = encodeURIComponent(`{'@odata.id':'${set(request.Target.entityType)}(${request.Target.id})'}`);
        const r = await call(
          "GET",
          `${set(request.entity.entityType)}(${request.entity.id})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=${target}`,
        );
        return { ok: true, status: r.status, json: async () => r.json } as unknown as Response;
      }
      if (op !== "SendEmail" || !request.entity) throw new Error(`fetchWebApi: ${op} is not implemented`);
      const r = await call("POST", `emails(${request.entity.id})/Microsoft.Dynamics.CRM.SendEmail`, { IssueSend: request.IssueSend });
      return { ok: true, status: r.status, json: async () => r.json } as unknown as Response;
    },
  };
  return api as unknown as XrmWebApi & XrmExecute;
}

export function sandboxUser(key: UserKey): CurrentUser {
  const u = userByKey(key)!;
  const roleIds = roleDefs.filter((r) => u.roles.includes(r.key)).map((r) => r.id);
  if (rolesFromIds(roleIds).length === 0) throw new Error(`no product role for ${key}`);
  return { id: u.id, name: u.fullName, signInName: u.upn, roleIds, languageCode: 1033 };
}

/** The ticket panel's ports against a running sandbox, as the given seeded user. */
export async function ticketPorts(sandbox: TestSandbox, key: UserKey, options: { retryDelayMs?: number } = {}) {
  const webApi = retryingWebApi(fetchWebApi(sandbox, key), { baseDelayMs: options.retryDelayMs ?? 200, attempts: 8 });
  const user = sandboxUser(key);
  const settings = await new XrmSettingsSource(webApi, memoryCache()).load();
  const tokens: TokenProvider = { getToken: () => sandbox.token(key, "graph") };
  const graph = new GraphClient(
    createGraph({ graphEndpoint: settings.graphEndpoint, tokens, scopes: settings.graphScopes, retry: { maxAttempts: 8 } }),
  );
  const library = new GraphDocumentLibrary({
    graph,
    siteUrl: settings.siteUrl,
    libraryName: settings.libraryName,
    batch: { maxAttempts: 8 },
  });
  const store = new MemoryStore();
  const uploader = new GraphUploader({ graph, store, retry: { maxAttempts: 8 }, singlePutLimit: 1024 * 1024 });
  const crm = new XrmCrmGateway(webApi, webApi);
  const tickets = new XrmTicketGateway(webApi, webApi, user.id);
  const ports: TicketPorts = { crm, tickets, library, settings, clock: systemClock };
  return { ports, uploader, store, user, webApi, graph };
}

/**
 * The case panel's ports against a running sandbox, as the given seeded user, with the adapters the
 * panel runs (Xrm.WebApi over HTTP, Graph). `clock` and `settings` replace what the panel would use.
 */
export async function casePorts(
  sandbox: TestSandbox,
  key: UserKey,
  options: { readonly clock?: Clock; readonly settings?: Partial<Settings> } = {},
): Promise<{ ports: CasePorts; actor: CaseActor }> {
  const webApi = retryingWebApi(fetchWebApi(sandbox, key), { baseDelayMs: 200, attempts: 8 });
  const settings = await new XrmSettingsSource(webApi, memoryCache()).load();
  const tokens: TokenProvider = { getToken: () => sandbox.token(key, "graph") };
  const graph = new GraphClient(
    createGraph({
      graphEndpoint: settings.graphEndpoint,
      tokens,
      scopes: settings.graphScopes,
      retry: { maxAttempts: 8, baseDelayMs: 100 },
    }),
  );
  const library = new GraphDocumentLibrary({
    graph,
    siteUrl: settings.siteUrl,
    libraryName: settings.libraryName,
    batch: { maxAttempts: 8, baseDelayMs: 100 },
  });
  const user = sandboxUser(key);
  return {
    ports: {
      crm: new XrmCrmGateway(webApi, webApi),
      library,
      settings: { ...settings, ...options.settings },
      clock: options.clock ?? systemClock,
    },
    actor: { id: user.id, name: user.name, roles: rolesFromIds(user.roleIds) },
  };
}
