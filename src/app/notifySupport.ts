import { nextStage, rolesFromIds, sharePointLink, ValidationError, type Exchange } from "../domain";
import { noteRowId } from "../domain/recordIds";
import { ExchangeDirection, ExchangeStage } from "../model";
import type { CurrentUser, TimelineTarget } from "../ports/CrmGateway";
import type { EmailStatus } from "../ports/TicketGateway";
import { storedTotals } from "./storedFiles";
import type { TicketPorts, TicketRef } from "./ticketPorts";
import { backupReadyEmail, backupReadyNoteText, noteSubjects } from "./ticketWording";

export interface NotifySupportInput {
  readonly ticket: TicketRef;
  readonly exchangeId: string;
  readonly user: CurrentUser;
  /** The org's base URL (`getClientUrl()`), for the case link in the e-mail. */
  readonly appUrl: string;
}

export interface NotifySupportResult {
  /** `alreadyNotified`: an earlier click did it; nothing was sent again. */
  readonly outcome: "notified" | "alreadyNotified";
  readonly exchange: Exchange;
  /** `pending`: the org's mailbox does not send yet; the e-mail waits in Dataverse. */
  readonly email: EmailStatus | "unknown";
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly agentName?: string;
}

/** A record's address in the app, as notifications and e-mails link to it. */
export function recordPath(table: string, id: string): string {
  return `main.aspx?pagetype=entityrecord&etn=${table}&id=${id}`;
}

/**
 * **Notify Support**: marks the backup ready, writes "backup is ready" on the timelines and tells
 * the case's owning agent (in-app notification and an e-mail regarding the case). Every step is
 * safe to repeat: a second click, or a retry after a failure half-way, sends nothing twice.
 */
export async function notifySupport(ports: TicketPorts, input: NotifySupportInput): Promise<NotifySupportResult> {
  const { tickets, crm, clock } = ports;
  let exchange = await tickets.getExchange(input.exchangeId);
  const { case: kase } = await tickets.loadCaseWithExchanges(exchange.caseId, ExchangeDirection.backupForCustomer);
  const caseNumber = kase.number ?? exchange.name;
  const mail = (totals: { fileCount: number; totalBytes: number }) =>
    backupReadyEmail({
      caseNumber,
      caseTitle: kase.title,
      caseUrl: `${input.appUrl.replace(/\/$/, "")}/${recordPath("incident", kase.id)}`,
      folderPath: exchange.folderPath,
      by: input.user.name,
      ...totals,
    });

  if (exchange.notifiedOn) {
    const email = await tickets.findEmail(kase.id, mail(exchange).subject);
    return {
      outcome: "alreadyNotified",
      exchange,
      email: email?.status ?? "unknown",
      fileCount: exchange.fileCount,
      totalBytes: exchange.totalBytes,
      agentName: kase.ownerName,
    };
  }

  const totals = storedTotals(await tickets.listReceipts(exchange.id));
  const now = clock.now();
  const firstPass = exchange.stage === ExchangeStage.folderCreated;
  if (firstPass) {
    // Throws when the role may not, or when the folder holds no stored file yet.
    nextStage(
      { direction: exchange.direction, stage: exchange.stage, expiresOn: exchange.expiresOn, storedFileCount: totals.fileCount },
      "notifySupport",
      rolesFromIds(input.user.roleIds),
      now,
    );
    await crm.updateExchange(exchange.id, {
      stage: ExchangeStage.backupReady,
      readyOn: now,
      fileCount: totals.fileCount,
      totalBytes: totals.totalBytes,
    });
    exchange = { ...exchange, stage: ExchangeStage.backupReady, readyOn: now, ...totals };
  } else if (exchange.stage !== ExchangeStage.backupReady) {
    throw new ValidationError(
      "actionNotAllowed",
      "Support can be notified only while the backup folder is being prepared.",
      "notifySupport",
    );
  }

  const note = {
    subject: noteSubjects.backupReady,
    text: backupReadyNoteText({
      by: input.user.name,
      caseNumber,
      folderPath: exchange.folderPath,
      // The row's address may have been edited by anyone: only a link to the SharePoint site is noted.
      webUrl: sharePointLink(exchange.webUrl, ports.settings.siteUrl),
      fileCount: totals.fileCount,
      totalBytes: totals.totalBytes,
      agentName: kase.ownerName ?? "the case's owner",
    }),
  };
  const targets: TimelineTarget[] = [
    { table: "cfx_hardwareticket", id: input.ticket.id },
    { table: "cfx_fileexchange", id: exchange.id },
    { table: "incident", id: kase.id },
  ];
  // Each note's id is derived from the exchange and the timeline: a retry writes the ones missing.
  for (const target of targets) await crm.addNote(target, note, noteRowId(`backupReady:${exchange.id}`, target));

  const message = mail(totals);
  let email = firstPass ? null : await tickets.findEmail(kase.id, message.subject);
  email ??= await tickets.createEmail({ regardingCaseId: kase.id, toUserId: kase.ownerId, subject: message.subject, html: message.html });
  const emailStatus = email.status === "draft" ? await tickets.sendEmail(email.id) : email.status;

  await tickets.createAppNotification({
    userId: kase.ownerId,
    title: `Backup ready for ${caseNumber}`,
    body: `${input.user.name} uploaded the customer's backup (${totals.fileCount} file${totals.fileCount === 1 ? "" : "s"}). Share it with the customer from the case.`,
    link: { table: "incident", id: kase.id },
    onceKey: `backupReady:${exchange.id}`,
  });
  // Last: once this is written a further click is a no-op.
  await crm.updateExchange(exchange.id, { notifiedOn: now });
  return {
    outcome: "notified",
    exchange: { ...exchange, notifiedOn: now },
    email: emailStatus,
    fileCount: totals.fileCount,
    totalBytes: totals.totalBytes,
    agentName: kase.ownerName,
  };
}
