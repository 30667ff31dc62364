/**
 * What the ticket panel and the upload dialog both build from the host: Dataverse adapters over
 * Xrm.WebApi (throttling waited out), settings and user (cached per session), MSAL and Graph.
 */
import { loadCurrentUser, memoryCache, storageCache, XrmCrmGateway, XrmSettingsSource } from "../adapters/xrm";
import { retryingWebApi } from "../adapters/xrm/retryingWebApi";
import { XrmTicketGateway, type XrmExecute } from "../adapters/xrm/XrmTicketGateway";
import type { TicketPorts } from "../app/ticketPorts";
import type { Uploader } from "../ports/Uploader";
import { systemClock } from "../ports/Clock";
import type { CurrentUser } from "../ports/CrmGateway";
import { lazyLibrary, lazyTeams, lazyUploader, loadGraph } from "./graphChunk";
import type { GraphServices } from "./graphServices";
import { localStore, sessionStore, webResourceUrl, type PanelContext } from "./panelHost";

export interface TicketWiring {
  readonly ports: TicketPorts;
  readonly uploader: Uploader;
  readonly user: CurrentUser;
  readonly clientUrl: string;
  /** Interactive sign-in, from a click (a popup must open from the user's gesture). */
  signIn(): Promise<void>;
  /** Interactive sign-in for Teams' chat permissions, from a click. */
  signInTeams(): Promise<void>;
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
  // MSAL and Graph come in the shared graph chunk (the entry started its download at startup);
  // the panel renders from Dataverse without waiting for it, Graph calls wait inside the proxies.
  let ready: GraphServices | undefined;
  const graph = async () =>
    (ready ??= (await loadGraph()).createGraphServices({
      settings,
      loginHint: async () => user.signInName,
      redirectUri: webResourceUrl("../auth/redirect.html"),
      storage,
      // localStorage: an interrupted upload's URL must survive a reload of the browser.
      uploadStorage: localStore(),
    }));
  // Sign-in and the library lookup start now, beside the panel's own reads; a failed download
  // surfaces on the first Graph call (which tries the download again).
  void graph().catch(() => undefined);
  const library = lazyLibrary(graph);
  const uploader = lazyUploader(graph);
  const ports: TicketPorts = {
    crm: new XrmCrmGateway(webApi, online),
    tickets: new XrmTicketGateway(webApi, online, user.id, settings.contactColumn),
    library,
    settings,
    clock: systemClock,
    teams: settings.teamsFollowUp ? lazyTeams(graph) : undefined,
  };
  return {
    ports,
    uploader,
    user,
    clientUrl: globalContext.getClientUrl(),
    // The popup must open from the click: no await before it once the chunk is there.
    signIn: async () => (ready ?? (await graph())).signIn(),
    signInTeams: async () => (ready ?? (await graph())).signInTeams(),
  };
}
