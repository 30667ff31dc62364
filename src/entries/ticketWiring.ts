/**
 * What the ticket panel and the upload dialog both build from the host: Dataverse adapters over
 * Xrm.WebApi (throttling waited out), settings and user (cached per session), MSAL and Graph.
 */
import { graphTokenScopes } from "../adapters/auth/authority";
import { MsalBrowserTokenProvider } from "../adapters/auth/MsalBrowserTokenProvider";
import { createGraph } from "../adapters/graph/createGraph";
import { GraphClient } from "../adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../adapters/graph/GraphDocumentLibrary";
import { GraphUploader } from "../adapters/graph/GraphUploader";
import { MemoryStore, WebStorageStore } from "../adapters/graph/KeyValueStore";
import { loadCurrentUser, memoryCache, storageCache, XrmCrmGateway, XrmSettingsSource } from "../adapters/xrm";
import { retryingWebApi } from "../adapters/xrm/retryingWebApi";
import { XrmTicketGateway, type XrmExecute } from "../adapters/xrm/XrmTicketGateway";
import type { TicketPorts } from "../app/ticketPorts";
import type { Uploader } from "../ports/Uploader";
import { systemClock } from "../ports/Clock";
import type { CurrentUser } from "../ports/CrmGateway";
import { localStore, sessionStore, webResourceUrl, type PanelContext } from "./panelHost";

/**
 * Fragments as Blob bodies: Chromium sends a typed-array body several times slower than a Blob of
 * the same bytes (measured: 10 MiB in ~1 s vs ~0.3 s to the sandbox's SharePoint host).
 */
const blobBodyFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> =>
  globalThis.fetch(url, init?.body instanceof Uint8Array ? { ...init, body: new Blob([init.body as Uint8Array<ArrayBuffer>]) } : init);

export interface TicketWiring {
  readonly ports: TicketPorts;
  readonly uploader: Uploader;
  readonly user: CurrentUser;
  readonly clientUrl: string;
  /** Interactive sign-in, from a click (a popup must open from the user's gesture). */
  signIn(): Promise<void>;
}

/** Reads settings and the user (cached per session) and builds the adapters; no Graph request yet. */
export async function wireTicket(ctx: PanelContext): Promise<TicketWiring> {
  const webApi = retryingWebApi(ctx.xrm.WebApi);
  // `Xrm.WebApi.online.execute` is the documented form; hosts that put `execute` on WebApi itself work too.
  const api = ctx.xrm.WebApi as Xrm.WebApi & Partial<Pick<Xrm.WebApiOnline, "execute">>;
  const online = retryingWebApi<XrmExecute>("online" in api ? api.online : (api as XrmExecute));
  const storage = sessionStore();
  const cache = storage ? storageCache(storage) : memoryCache();
  const globalContext = ctx.xrm.Utility.getGlobalContext();
  const [settings, user] = await Promise.all([
    new XrmSettingsSource(webApi, cache).load(),
    loadCurrentUser(globalContext.userSettings, webApi, cache),
  ]);
  const scopes = graphTokenScopes(settings.graphEndpoint, settings.graphScopes);
  const tokens = new MsalBrowserTokenProvider({
    clientId: settings.clientId,
    tenantId: settings.tenantId,
    authority: settings.authority,
    redirectUri: webResourceUrl("../auth/redirect.html"),
    loginHint: async () => user.signInName,
  });
  const graph = new GraphClient(createGraph({ graphEndpoint: settings.graphEndpoint, tokens, scopes }));
  const library = new GraphDocumentLibrary({
    graph,
    siteUrl: settings.siteUrl,
    libraryName: settings.libraryName,
    cache: storage ? new WebStorageStore(storage) : new MemoryStore(),
  });
  // localStorage: an interrupted upload's URL must survive a reload of the browser.
  const durable = localStore();
  const uploader = new GraphUploader({
    graph,
    store: durable ? new WebStorageStore(durable, "cfx.upload.") : new MemoryStore(),
    fetch: blobBodyFetch,
  });
  const ports: TicketPorts = {
    crm: new XrmCrmGateway(webApi),
    tickets: new XrmTicketGateway(webApi, online, user.id, settings.contactColumn),
    library,
    settings,
    clock: systemClock,
  };
  return {
    ports,
    uploader,
    user,
    clientUrl: globalContext.getClientUrl(),
    signIn: async () => {
      await tokens.getToken(scopes, { interactive: true });
    },
  };
}
