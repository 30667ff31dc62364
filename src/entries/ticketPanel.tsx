/**
 * The hardware ticket panel web resource (cfx_/panels/ticket.html): reads the host, builds the
 * adapters, renders. The upload runs in a side dialog (navigateTo) so a tab change or the form
 * reloading this frame does not stop it.
 */
// First: panelHost configures Fluent (no CDN fonts) before Fluent's modules run.
import { browserTimeZone, refreshTimeline, registerPanelCommands, rootElement, startPanelHost, type PanelContext } from "./panelHost";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { TicketRef } from "../app/ticketPorts";
import type { Exchange } from "../domain";
import { localeFromLcid } from "../ui/common/format";
import { PanelRoot } from "../ui/common/PanelRoot";
import { ErrorBar } from "../ui/common/ErrorBar";
import { ticketStrings } from "../ui/ticket/strings";
import { TicketPanelApp } from "../ui/ticket/TicketPanelApp";
import { retryingWebApi } from "../adapters/xrm/retryingWebApi";
import { preloadGraph } from "./graphChunk";
import { wireTicket } from "./ticketWiring";

// MSAL and Graph (the shared graph chunk) download now, beside the first Dataverse reads.
preloadGraph();

const root = createRoot(rootElement());
let shownFor: string | undefined;
let reload: (() => void) | undefined;

const locale = (ctx?: PanelContext) => localeFromLcid(ctx?.params.userlcid ?? ctx?.xrm.Utility.getGlobalContext().userSettings.languageId);
const clean = (id: string | undefined | null) => (id ?? "").replace(/[{}]/g, "").toLowerCase();

function message(text: string, ctx?: PanelContext): void {
  root.render(
    <PanelRoot locale={locale(ctx)}>
      <p style={{ padding: 16, margin: 0, color: "#605e5c" }}>{text}</p>
    </PanelRoot>,
  );
}

/** The ticket and its case from the form (no request); from Dataverse only without a form context. */
async function ticketOf(ctx: PanelContext, ticketId: string): Promise<TicketRef> {
  const form = ctx.formContext;
  const lookup = form?.getAttribute<Xrm.Attributes.LookupAttribute>("cfx_caseid")?.getValue()?.[0];
  const name = form?.getAttribute<Xrm.Attributes.StringAttribute>("cfx_name")?.getValue();
  if (lookup) return { id: ticketId, name: name ?? "", caseId: clean(lookup.id) };
  // Throttling is waited out here too, as for every other read of the panel.
  const row = await retryingWebApi(ctx.xrm.WebApi).retrieveRecord("cfx_hardwareticket", ticketId, "?$select=cfx_name,_cfx_caseid_value");
  return { id: ticketId, name: String(row.cfx_name ?? ""), caseId: clean(row._cfx_caseid_value as string) };
}

async function show(ctx: PanelContext, ticketId: string): Promise<void> {
  const wiring = await wireTicket(ctx);
  const ticket = await ticketOf(ctx, ticketId);
  if (!ticket.caseId) return message(ticketStrings.noCase, ctx);
  const openUpload = async (exchange: Exchange) => {
    await ctx.xrm.Navigation.navigateTo(
      { pageType: "webresource", webresourceName: "cfx_/panels/upload.html", data: JSON.stringify({ exchangeId: exchange.id }) },
      { target: 2, position: 2, width: { value: 560, unit: "px" }, title: ticketStrings.upload.title },
    );
  };
  root.render(
    <StrictMode>
      <PanelRoot locale={locale(ctx)} timeZone={browserTimeZone()}>
        <TicketPanelApp
          ports={wiring.ports}
          ticket={ticket}
          user={wiring.user}
          appUrl={wiring.clientUrl}
          openUpload={openUpload}
          uploads={wiring.uploader}
          signIn={wiring.signIn}
          signInTeams={wiring.signInTeams}
          registerNotify={(notify) => registerPanelCommands({ notifySupport: notify })}
          registerReload={(fn) => (reload = fn)}
          onActionEnded={() => refreshTimeline(ctx)}
        />
      </PanelRoot>
    </StrictMode>,
  );
}

startPanelHost(
  (ctx) => {
    if (!ctx.recordId) return message(ticketStrings.unsaved, ctx);
    // A hand-over for the same ticket (a save, a tab change, the command bar): refresh in place,
    // keeping the panel that may be running an action.
    if (shownFor === ctx.recordId && reload) return reload();
    shownFor = ctx.recordId;
    show(ctx, ctx.recordId).catch((error: unknown) => {
      if (shownFor !== ctx.recordId) return;
      root.render(
        <PanelRoot locale={locale(ctx)}>
          <div style={{ padding: 16 }}>
            <ErrorBar error={error} />
          </div>
        </PanelRoot>,
      );
    });
  },
  { onUnavailable: () => message(ticketStrings.unavailable) },
);
