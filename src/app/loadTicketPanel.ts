import {
  allowedActions,
  rolesFromIds,
  sharePointLink,
  statusSummary,
  type Action,
  type Exchange,
  type Role,
  type Settings,
  type StatusSummary,
} from "../domain";
import { ExchangeDirection, ExchangeStage } from "../model";
import type { CurrentUser } from "../ports/CrmGateway";
import type { UnfinishedUpload, Uploader } from "../ports/Uploader";
import type { CaseSummary } from "../ports/TicketGateway";
import type { TicketPorts, TicketRef } from "./ticketPorts";

/** Everything the ticket panel shows, as plain data. */
export interface TicketPanelModel {
  readonly ticket: TicketRef;
  readonly case: CaseSummary;
  /** The case's live backup exchange; null when none was prepared (or the last one was deleted). */
  readonly exchange: Exchange | null;
  /** The exchange's folder address when it is an https link to the SharePoint site; else none, and the path shows as text. */
  readonly folderLink?: string;
  readonly status: StatusSummary;
  readonly roles: readonly Role[];
  /** Of the ticket panel's three: what this user may do now. */
  readonly actions: readonly Extract<Action, "prepareFolder" | "uploadBackup" | "notifySupport">[];
  /** Why nothing is offered, when nothing is. */
  readonly readOnlyReason?: "caseInactive" | "noRole";
  /** Uploads into the folder started in this browser that stopped before their last byte (picking the file again resumes). */
  readonly unfinished: readonly UnfinishedUpload[];
}

const panelActions = ["prepareFolder", "uploadBackup", "notifySupport"] as const;

/**
 * Reads the case and its backup exchange (one Dataverse request) and decides what is offered; with
 * `uploads`, also what was left unfinished in the folder (kept in this browser, no request).
 */
export async function loadTicketPanel(
  ports: Pick<TicketPorts, "tickets" | "clock" | "settings">,
  ticket: TicketRef,
  user: CurrentUser,
  uploads?: Pick<Uploader, "unfinished">,
): Promise<TicketPanelModel> {
  const direction = ExchangeDirection.backupForCustomer;
  const { case: kase, exchanges } = await ports.tickets.loadCaseWithExchanges(ticket.caseId, direction);
  const model = ticketPanelModel(ticket, kase, exchanges, user, ports.clock.now(), ports.settings);
  const x = model.exchange;
  if (!uploads || !x?.driveId || !x.itemId) return model;
  const folder = {
    driveId: x.driveId,
    itemId: x.itemId,
    path: x.folderPath,
    webUrl: x.webUrl ?? "",
    createdOn: x.folderCreatedOn ?? new Date(0),
  };
  // What the browser kept is a hint, never a reason for the panel not to open.
  const unfinished = await uploads.unfinished(folder).catch(() => []);
  return { ...model, unfinished };
}

/** The model from what was read; pure, so the panel can recompute it after an action without reading again. */
export function ticketPanelModel(
  ticket: TicketRef,
  kase: CaseSummary,
  exchanges: readonly Exchange[],
  user: CurrentUser,
  now: Date,
  settings: Pick<Settings, "warningDays" | "siteUrl">,
): TicketPanelModel {
  const exchange = latestLive(exchanges);
  const roles = rolesFromIds(user.roleIds);
  const state = {
    direction: ExchangeDirection.backupForCustomer,
    stage: exchange?.stage ?? null,
    expiresOn: exchange?.expiresOn ?? null,
    storedFileCount: exchange?.fileCount ?? 0,
  };
  const allowed = allowedActions(state, roles, now);
  // Notify Support whose stage moved but that told nobody yet (a failure half-way, or a team with
  // no members) is offered again to whoever could start it: running it again finishes it.
  const notifyUnfinished =
    exchange?.stage === ExchangeStage.backupReady &&
    !exchange.notifiedOn &&
    allowedActions({ ...state, stage: ExchangeStage.folderCreated }, roles, now).includes("notifySupport");
  const actions = panelActions.filter(
    (a) =>
      (allowed.includes(a) || (a === "notifySupport" && notifyUnfinished)) &&
      // A resolved or cancelled case gets no new folder; what exists can still be finished.
      (kase.active || a !== "prepareFolder"),
  );
  const readOnlyReason = !kase.active && !exchange ? "caseInactive" : roles.length === 0 ? "noRole" : undefined;
  return {
    ticket,
    case: kase,
    exchange,
    folderLink: sharePointLink(exchange?.webUrl, settings.siteUrl),
    status: statusSummary(exchange, now, settings.warningDays),
    roles,
    actions,
    readOnlyReason,
    unfinished: [],
  };
}

function latestLive(exchanges: readonly Exchange[]): Exchange | null {
  const live = exchanges.filter((e) => e.stage !== ExchangeStage.deleted);
  if (live.length === 0) return null;
  return [...live].sort((a, b) => (b.folderCreatedOn?.getTime() ?? 0) - (a.folderCreatedOn?.getTime() ?? 0))[0];
}
