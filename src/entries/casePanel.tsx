/**
 * The case panel web resource (cfx_/panels/case.html): reads the host, builds the adapters,
 * renders. Everything else lives in src/app (use cases, the session) and src/ui (components).
 */
// First: panelHost configures Fluent (no CDN fonts) before Fluent's modules run.
import {
  browserTimeZone,
  copyText,
  refreshTimeline,
  rootElement,
  sessionStore,
  startDownload,
  startPanelHost,
  webResourceUrl,
  type PanelContext,
} from "./panelHost";
import { createRoot } from "react-dom/client";
import { StrictMode, useSyncExternalStore } from "react";
import { loadCurrentUser, memoryCache, storageCache, XrmCrmGateway, XrmSettingsSource } from "../adapters/xrm";
import { retryingWebApi } from "../adapters/xrm/retryingWebApi";
import type { XrmExecute } from "../adapters/xrm/XrmTicketGateway";
import { CasePanelSession } from "../app/casePanelSession";
import { lazyLibrary, loadGraph, preloadGraph } from "./graphChunk";
import type { GraphServices } from "./graphServices";
import type { CasePorts } from "../app/casePorts";
import { rolesFromIds } from "../domain/lifecycle";
import { systemClock } from "../ports/Clock";
import { CasePanel } from "../ui/case/CasePanel";
import { caseStrings } from "../ui/case/strings";
import { localeFromLcid } from "../ui/common/format";
import { PanelRoot } from "../ui/common/PanelRoot";

interface Wired {
  readonly caseId: string;
  readonly session: CasePanelSession;
  readonly signIn: () => Promise<void>;
  readonly permanentDelete: () => boolean | undefined;
  readonly clientUrl: string;
}

function wire(ctx: PanelContext, caseId: string): Wired {
  // Dataverse's service protection limits are waited out, not shown as failures.
  const webApi = retryingWebApi(ctx.xrm.WebApi);
  // `Xrm.WebApi.online.execute` is the documented form; hosts that put `execute` on WebApi itself work too.
  const api = ctx.xrm.WebApi as Xrm.WebApi & Partial<Pick<Xrm.WebApiOnline, "execute">>;
  const online = retryingWebApi<XrmExecute>("online" in api ? api.online : (api as XrmExecute));
  const storage = sessionStore();
  const cache = storage ? storageCache(storage) : memoryCache();
  const globalContext = ctx.xrm.Utility.getGlobalContext();
  const userSettings = globalContext.userSettings;
  const settingsSource = new XrmSettingsSource(webApi, cache);
  const user = loadCurrentUser(userSettings, webApi, cache);
  let permanentDelete: boolean | undefined;
  // MSAL and Graph come in the graph chunk that every panel shares (its download started at startup).
  let graph: GraphServices | undefined;

  const ports = async (): Promise<CasePorts> => {
    const [settings, me] = await Promise.all([settingsSource.load(), user]);
    permanentDelete = settings.permanentDelete;
    const services = async () =>
      (graph ??= (await loadGraph()).createGraphServices({
        settings,
        loginHint: async () => me.signInName,
        redirectUri: webResourceUrl("../auth/redirect.html"),
        storage,
        onRetry: (waitMs) => session.retrying(waitMs),
      }));
    // Sign-in and the library lookup start as soon as the chunk is there; the case's Dataverse
    // read does not wait for it (Graph calls wait inside the proxy). A failed download surfaces
    // on the first Graph call, which tries the download again.
    void services().catch(() => undefined);
    return { crm: new XrmCrmGateway(webApi, online), library: lazyLibrary(services), settings, clock: systemClock };
  };

  const session: CasePanelSession = new CasePanelSession({
    ports,
    actor: async () => {
      const me = await user;
      return { id: me.id, name: me.name, roles: rolesFromIds(me.roleIds) };
    },
    caseId,
    clipboard: { copy: copyText },
    downloads: { start: startDownload },
    language: localeFromLcid(ctx.params.userlcid ?? userSettings.languageId),
    timeZone: browserTimeZone(),
  });
  return {
    caseId,
    session,
    // The popup must open from the click: no await before getToken.
    signIn: async () => {
      if (graph) await graph.signIn().catch(() => undefined);
      await session.load();
    },
    permanentDelete: () => permanentDelete,
    clientUrl: globalContext.getClientUrl(),
  };
}

function App({ wired }: { wired: Wired }) {
  const { session } = wired;
  const state = useSyncExternalStore(
    (l) => session.subscribe(l),
    () => session.state,
  );
  return (
    <CasePanel
      state={state}
      permanentDelete={wired.permanentDelete()}
      contactUrl={(id) => `${wired.clientUrl}/main.aspx?pagetype=entityrecord&etn=contact&id=${id}`}
      onRefresh={() => void session.load()}
      loadDraft={(target, language) => session.draft(target, language)}
      onShare={(target, request) => session.share(target, request)}
      onCopyLink={(id) => void session.copyLink(id)}
      onRevoke={(id, key) => void session.revoke(id, key)}
      onRemove={(id) => void session.remove(id)}
      onDownloadFile={(id, key) => void session.downloadFile(id, key)}
      onCopyFileLink={(id, key) => void session.copyFileLink(id, key)}
      onRemoveFile={(id, key) => void session.removeFile(id, key)}
      onChangeFileExpiry={(id, key, request) => session.changeFileExpiry(id, key, request)}
      onChangeExpiry={(id, request) => session.changeExpiry(id, request)}
      onRetryNotes={() => void session.retryNotes()}
      onDismiss={() => session.dismiss()}
      onSignIn={() => void wired.signIn()}
    />
  );
}

// MSAL and Graph (the shared graph chunk) download now, beside the first Dataverse reads.
preloadGraph();

const root = createRoot(rootElement());
let wired: Wired | undefined;
const locale = (ctx?: PanelContext) => localeFromLcid(ctx?.params.userlcid ?? ctx?.xrm.Utility.getGlobalContext().userSettings.languageId);

function message(text: string, ctx?: PanelContext): void {
  root.render(
    <PanelRoot locale={locale(ctx)}>
      <p style={{ padding: 16, margin: 0, color: "#605e5c" }}>{text}</p>
    </PanelRoot>,
  );
}

startPanelHost(
  (ctx) => {
    if (!ctx.recordId) return message(caseStrings.unsaved, ctx);
    // A new hand-over for the same case (after a save, a tab change): refresh in place.
    if (wired?.caseId === ctx.recordId) return void wired.session.refresh();
    wired = wire(ctx, ctx.recordId);
    // When an action ends (it may have written notes), the form's timeline is redrawn.
    const session = wired.session;
    let wasBusy = false;
    session.subscribe(() => {
      const busy = session.state.busy !== undefined;
      if (wasBusy && !busy) refreshTimeline(ctx);
      wasBusy = busy;
    });
    root.render(
      <StrictMode>
        <PanelRoot locale={locale(ctx)} timeZone={browserTimeZone()}>
          <App wired={wired} />
        </PanelRoot>
      </StrictMode>,
    );
    void wired.session.load();
  },
  { onUnavailable: () => message(caseStrings.unavailable) },
);
