import type { Exchange } from "../domain/exchange";
import { tallyFiles, type FileTally } from "../domain/malware";
import { ExchangeStage } from "../model";
import type { StoredFile } from "../ports/DocumentLibrary";
import { folderOf } from "./casePorts";
import type { TicketPanelModel } from "./loadTicketPanel";
import type { TicketPorts } from "./ticketPorts";

/** The backup folder's files as SharePoint holds them now, split by its malware scan. */
export type TicketFiles = FileTally<StoredFile>;

/**
 * Lists the backup's folder (and its subfolders) on SharePoint, after the panel has painted from
 * Dataverse: the upload receipts cannot know that SharePoint's scan flagged a file later.
 * null when there is nothing to list (no live exchange, or its folder is gone).
 */
export async function loadTicketFiles(ports: Pick<TicketPorts, "library">, exchange: Exchange | null): Promise<TicketFiles | null> {
  if (!exchange || exchange.stage === ExchangeStage.deleted) return null;
  const folder = await folderOf(ports.library, exchange);
  if (!folder) return null;
  const files = await ports.library.listFiles(folder);
  return tallyFiles([...files].sort((a, b) => a.path.localeCompare(b.path)));
}

/**
 * The panel's model once SharePoint's listing is known: a flagged file turns "ready" into "malware
 * found", and when every file there is flagged Notify Support is not offered (the use case refuses
 * it the same way when it runs).
 */
export function withTicketFiles(model: TicketPanelModel, files: TicketFiles | null): TicketPanelModel {
  if (!files || files.flagged.length === 0) return model;
  const status =
    model.status.kind === "readyToShare" ? { ...model.status, kind: "malwareFound" as const, tone: "danger" as const } : model.status;
  const actions =
    model.exchange?.stage === ExchangeStage.folderCreated && files.goodCount === 0
      ? model.actions.filter((a) => a !== "notifySupport")
      : model.actions;
  return { ...model, status, actions };
}
