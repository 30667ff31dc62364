/**
 * The upload dialog web resource (cfx_/panels/upload.html), opened by the ticket panel with
 * Xrm.Navigation.navigateTo as a side dialog; `data` carries the exchange id. It reads the
 * exchange (one request) and hands the folder to the upload use case.
 */
// First: panelHost configures Fluent (no CDN fonts) before Fluent's modules run.
import { browserTimeZone, closeHostDialog, guardUnload, rootElement, startPanelHost, type PanelContext } from "./panelHost";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { FolderRef } from "../ports/DocumentLibrary";
import { ErrorBar } from "../ui/common/ErrorBar";
import { localeFromLcid } from "../ui/common/format";
import { PanelRoot } from "../ui/common/PanelRoot";
import { ticketStrings } from "../ui/ticket/strings";
import { UploadDialogApp } from "../ui/upload/UploadDialogApp";
import { preloadGraph } from "./graphChunk";
import { wireTicket } from "./ticketWiring";

// MSAL and Graph (the shared graph chunk) download now, beside the exchange's Dataverse read.
preloadGraph();

const root = createRoot(rootElement());
let started = false;

const locale = (ctx?: PanelContext) => localeFromLcid(ctx?.params.userlcid ?? ctx?.xrm.Utility.getGlobalContext().userSettings.languageId);

function exchangeIdOf(data: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(data ?? "") as { exchangeId?: unknown };
    return typeof parsed.exchangeId === "string" ? parsed.exchangeId : undefined;
  } catch {
    return undefined;
  }
}

async function show(ctx: PanelContext): Promise<void> {
  const exchangeId = exchangeIdOf(ctx.params.data);
  if (!exchangeId) throw new Error(ticketStrings.upload.noExchange);
  const wiring = await wireTicket(ctx);
  const exchange = await wiring.ports.tickets.getExchange(exchangeId);
  if (!exchange.driveId || !exchange.itemId) throw new Error(ticketStrings.upload.noExchange);
  const folder: FolderRef = {
    driveId: exchange.driveId,
    itemId: exchange.itemId,
    path: exchange.folderPath,
    webUrl: exchange.webUrl ?? "",
    createdOn: exchange.folderCreatedOn ?? new Date(0),
  };
  root.render(
    <StrictMode>
      <PanelRoot locale={locale(ctx)} timeZone={browserTimeZone()}>
        <UploadDialogApp
          ports={{ ...wiring.ports, uploader: wiring.uploader }}
          exchange={exchange}
          folder={folder}
          user={wiring.user}
          // A reload or a navigation of the app while files upload asks first; the dialog's own
          // Close asks in the dialog, stops the upload (kept to resume) and closes it.
          onRunningChange={guardUnload}
          onClose={() => {
            guardUnload(false);
            return closeHostDialog();
          }}
        />
      </PanelRoot>
    </StrictMode>,
  );
}

// The dialog's frame is a child of the app window: no form hands over, `parent.Xrm` does (after a short wait).
startPanelHost(
  (ctx) => {
    if (started) return;
    started = true;
    show(ctx).catch((error: unknown) =>
      root.render(
        <PanelRoot locale={locale(ctx)}>
          <div style={{ padding: 16 }}>
            <ErrorBar error={error} />
          </div>
        </PanelRoot>,
      ),
    );
  },
  { fallbackMs: 50, onUnavailable: () => root.render(<p style={{ padding: 16 }}>{ticketStrings.unavailable}</p>) },
);
