/**
 * Microsoft Graph for a panel: the MSAL token provider, the Graph pipeline and the document
 * library, built from the settings. One module so that every panel can load it on demand as one
 * shared chunk (MSAL and pnpjs are about 75 KB gzipped) beside its first Dataverse reads.
 */
import { graphTokenScopes } from "../adapters/auth/authority";
import { MsalBrowserTokenProvider } from "../adapters/auth/MsalBrowserTokenProvider";
import { createGraph, graphBaseUrl } from "../adapters/graph/createGraph";
import { GraphClient } from "../adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../adapters/graph/GraphDocumentLibrary";
import { GraphTeamsChat, teamsChatScopes } from "../adapters/graph/GraphTeamsChat";
import { GraphUploader } from "../adapters/graph/GraphUploader";
import { MemoryStore, WebStorageStore } from "../adapters/graph/KeyValueStore";
import type { Settings } from "../domain/settings";
import type { DocumentLibrary } from "../ports/DocumentLibrary";
import type { TeamsChat } from "../ports/TeamsChat";
import type { Uploader } from "../ports/Uploader";
import { narrowContentPolicy } from "./contentPolicy";

export interface GraphServicesOptions {
  readonly settings: Settings;
  /** systemuser.domainname: MSAL's login hint. */
  readonly loginHint: () => Promise<string | undefined>;
  /** Absolute URL of cfx_/auth/redirect.html. */
  readonly redirectUri: string;
  /** sessionStorage for the resolved site and drive; memory when the browser blocks it. */
  readonly storage?: Storage;
  /** localStorage for upload URLs, so an interrupted upload continues after a reload; memory when blocked. */
  readonly uploadStorage?: Storage;
  /** Graph asked to wait (429/503): how long, for "SharePoint is busy, retrying in 4 s". */
  readonly onRetry?: (waitMs: number) => void;
}

export interface GraphServices {
  readonly library: DocumentLibrary;
  /** Upload sessions to the library's folders (built on first use; only the upload dialog uploads). */
  readonly uploader: Uploader;
  /** Teams chat as the signed-in person: only with the Teams follow-up setting on. */
  readonly teams?: TeamsChat;
  /** Opens the sign-in window; call it from a click. */
  signIn(): Promise<void>;
  /** Opens the sign-in window for Teams' permissions (consent on first use); call it from a click. */
  signInTeams(): Promise<void>;
}

export function createGraphServices(options: GraphServicesOptions): GraphServices {
  const { settings } = options;
  // Before MSAL starts and the first request to Graph, SharePoint or the authority: from here on
  // the panel reaches only those hosts and its own origin (src/domain/contentPolicy.ts).
  narrowContentPolicy(settings);
  const scopes = graphTokenScopes(settings.graphEndpoint, settings.graphScopes);
  const tokens = new MsalBrowserTokenProvider({
    clientId: settings.clientId,
    tenantId: settings.tenantId,
    authority: settings.authority,
    redirectUri: options.redirectUri,
    loginHint: options.loginHint,
  });
  const graph = new GraphClient(
    createGraph({ graphEndpoint: settings.graphEndpoint, tokens, scopes, retry: { onRetry: ({ waitMs }) => options.onRetry?.(waitMs) } }),
  );
  const library = new GraphDocumentLibrary({
    graph,
    siteUrl: settings.siteUrl,
    libraryName: settings.libraryName,
    cache: options.storage ? new WebStorageStore(options.storage) : new MemoryStore(),
  });
  // Sign-in and the site, library and root lookups (first open in a session) start now, beside the
  // panel's Dataverse read, instead of after it; a failure here surfaces on the real call.
  void library.resolve().catch(() => undefined);
  // Teams' delegated permissions are asked for only when the setting is on, and in their own
  // tokens: a person who has not consented to them yet still reaches SharePoint silently.
  const chatScopes = graphTokenScopes(settings.graphEndpoint, teamsChatScopes);
  const teams = settings.teamsFollowUp
    ? new GraphTeamsChat({
        graph: new GraphClient(
          createGraph({
            graphEndpoint: settings.graphEndpoint,
            tokens,
            scopes: chatScopes,
            retry: { onRetry: ({ waitMs }) => options.onRetry?.(waitMs) },
          }),
        ),
        graphBaseUrl: graphBaseUrl(settings.graphEndpoint),
      })
    : undefined;
  let uploader: Uploader | undefined;
  return {
    library,
    teams,
    get uploader() {
      const store = options.uploadStorage;
      uploader ??= new GraphUploader({ graph, store: store ? new WebStorageStore(store, "cfx.upload.") : new MemoryStore() });
      return uploader;
    },
    signIn: async () => {
      await tokens.getToken(scopes, { interactive: true });
    },
    signInTeams: async () => {
      await tokens.getToken(chatScopes, { interactive: true });
    },
  };
}
