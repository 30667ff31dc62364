import { folderLocation, initialExpiry, nextStage, rolesFromIds, type Exchange } from "../domain";
import { exchangeRowId, noteRowId } from "../domain/recordIds";
import { ExchangeDirection, ExchangeStage } from "../model";
import type { CurrentUser } from "../ports/CrmGateway";
import { ensureCaseFolder } from "./caseFolder";
import type { TicketPorts, TicketRef } from "./ticketPorts";
import { folderNoteText, noteSubjects } from "./ticketWording";

export interface PrepareFolderResult {
  readonly exchange: Exchange;
  /** false: the folder was already on SharePoint and was adopted. */
  readonly folderCreated: boolean;
  /** false: the case already had a live backup exchange; nothing new was made. */
  readonly exchangeCreated: boolean;
  /** Timelines that refused the note (an inactive case). */
  readonly notesRefused: readonly string[];
}

/**
 * **Prepare folder**: creates the case's backup folder under the root (layout setting), or adopts
 * it when no other case's exchange records it, and records it as a File Exchange owned by the specialist who prepared it (the
 * case's agents reach it through their role's depth, not through ownership). Idempotent: a second call (or a
 * retry after a failure half-way) finds the folder and the exchange, makes neither again, and
 * writes whichever of the notes on the exchange, the ticket and the case are missing.
 */
export async function prepareFolder(ports: TicketPorts, ticket: TicketRef, user: CurrentUser): Promise<PrepareFolderResult> {
  const direction = ExchangeDirection.backupForCustomer;
  const { case: kase, exchanges } = await ports.tickets.loadCaseWithExchanges(ticket.caseId, direction);
  const live = exchanges.find((e) => e.stage !== ExchangeStage.deleted);
  const roles = rolesFromIds(user.roleIds);
  const now = ports.clock.now();
  // Throws a ValidationError the panel shows as it is: the role may not prepare folders.
  nextStage({ direction, stage: null }, "prepareFolder", roles, now);
  if (live) {
    // A retry after the exchange was written: its three notes carry ids derived from the exchange
    // and the timeline, so those an earlier attempt wrote count as written and the rest are written.
    const refused = await writeFolderNotes(ports, ticket, live, user, true);
    return { exchange: live, folderCreated: false, exchangeCreated: false, notesRefused: refused };
  }
  const location = folderLocation({ direction, caseNumber: kase.number ?? "", accountName: kase.accountName }, ports.settings);
  const folder = await ensureCaseFolder(ports, location.path, kase.id);
  // Derived from the case, the direction and the folder: a retry after a lost answer meets the
  // exchange it recorded. No live exchange here, so every earlier one of this direction is deleted.
  const exchange = await ports.crm.createExchange({
    id: exchangeRowId({ caseId: kase.id, direction, folder, earlier: exchanges.length }),
    name: location.name,
    caseId: kase.id,
    ticketId: ticket.id,
    direction,
    stage: ExchangeStage.folderCreated,
    folderPath: location.path,
    driveId: folder.driveId,
    itemId: folder.itemId,
    webUrl: folder.webUrl,
    // An adopted folder keeps its real age: expiry counts from when SharePoint made it.
    folderCreatedOn: folder.createdOn,
    expiresOn: initialExpiry(
      { direction, folderCreatedOn: folder.createdOn, createdByAdministrator: roles.includes("administrator") },
      ports.settings,
    ),
    // An administrator's exchange starts kept (seed 002), in the secured column the job follows.
    ...(roles.includes("administrator") ? { keptSince: now } : {}),
    // Whoever creates the exchange owns it: assigning it to the case's owner would need Assign, and
    // the case's later owners would not follow it (assigning a case does not cascade to exchanges).
    ownerId: user.id,
    fileCount: 0,
    totalBytes: 0,
  });
  const refused = await writeFolderNotes(ports, ticket, exchange, user, folder.created);
  return { exchange, folderCreated: folder.created, exchangeCreated: true, notesRefused: refused };
}

async function writeFolderNotes(
  ports: TicketPorts,
  ticket: TicketRef,
  exchange: Exchange,
  user: CurrentUser,
  created: boolean,
): Promise<string[]> {
  const note = {
    subject: noteSubjects.folderPrepared,
    text: folderNoteText({
      created,
      by: user.name,
      folderPath: exchange.folderPath,
      webUrl: exchange.webUrl ?? "",
      ticketName: ticket.name,
      expiresOn: exchange.expiresOn,
    }),
  };
  // The exchange's own timeline first: it always accepts; the case may be resolved and refuse.
  const targets = [
    { table: "cfx_fileexchange", id: exchange.id },
    { table: "cfx_hardwareticket", id: ticket.id },
    { table: "incident", id: exchange.caseId },
  ] as const;
  const refused: string[] = [];
  for (const target of targets)
    if (!(await ports.crm.addNote(target, note, noteRowId(`folderPrepared:${exchange.id}`, target)))) refused.push(target.table);
  return refused;
}
