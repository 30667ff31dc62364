import { flaggedList, nextStage, rolesFromIds, sharePointLink, ValidationError, type Exchange } from "../domain";
import {
  MAX_NOTIFIED_MEMBERS,
  notificationAudience,
  type CaseOwner,
  type NotificationAudience,
  type Person,
} from "../domain/notificationAudience";
import { emailRowId, noteRowId, notificationRowId } from "../domain/recordIds";
import { ExchangeDirection, ExchangeStage } from "../model";
import type { CurrentUser, TimelineTarget } from "../ports/CrmGateway";
import type { CaseSummary, EmailStatus } from "../ports/TicketGateway";
import { folderOf } from "./casePorts";
import { storedTotals } from "./storedFiles";
import { teamsFollowUp, type TeamsFollowUpResult } from "./teamsFollowUp";
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
  /**
   * `alreadyNotified`: an earlier click did it; nothing was sent again. `nobodyNotified`: the backup
   * is marked ready and noted, but the case's owning team has no members to tell (Notify Support
   * stays open for when it has).
   */
  readonly outcome: "notified" | "alreadyNotified" | "nobodyNotified";
  readonly exchange: Exchange;
  /** `pending`: the org's mailbox does not send yet; the e-mail waits in Dataverse. `none`: nobody to write to. */
  readonly email: EmailStatus | "unknown" | "none";
  readonly fileCount: number;
  readonly totalBytes: number;
  /** The case owner's name: the agent's, or the owning team's. */
  readonly agentName?: string;
  /** Who was told (absent when an earlier click did it). */
  readonly audience?: NotificationAudience;
  /** The Teams message to the case's owner, when the Teams follow-up setting is on and support was notified now. */
  readonly teams?: TeamsFollowUpResult;
}

/** A record's address in the app, as notifications and e-mails link to it. */
export function recordPath(table: string, id: string): string {
  return `main.aspx?pagetype=entityrecord&etn=${table}&id=${id}`;
}

/** The case's owner as the domain's audience rule takes it. */
export function caseOwnerOf(kase: Pick<CaseSummary, "ownerId" | "ownerName" | "ownerIsTeam">): CaseOwner {
  return { kind: kase.ownerIsTeam ? "team" : "user", id: kase.ownerId, name: kase.ownerName };
}

/** Notifications go out this many at a time: a team's members are told in a few round trips, not fifty. */
const NOTIFICATIONS_AT_ONCE = 5;

/**
 * **Notify Support**: marks the backup ready, writes "backup is ready" on the timelines and tells
 * the case's owner — the agent, or each member of the owning team (at most 50, by name) — with an
 * in-app notification each and one e-mail regarding the case, and, with the Teams follow-up
 * setting on, the agent with a one-to-one Teams message as the specialist. Every step is safe to repeat: a
 * second click, or a retry after a failure half-way, sends nothing twice (the e-mail and each
 * notification carry ids derived from the exchange, and the person for notifications).
 */
export async function notifySupport(ports: TicketPorts, input: NotifySupportInput): Promise<NotifySupportResult> {
  const { tickets, crm, clock } = ports;
  let exchange = await tickets.getExchange(input.exchangeId);
  const { case: kase } = await tickets.loadCaseWithExchanges(exchange.caseId, ExchangeDirection.backupForCustomer);
  const caseNumber = kase.number ?? exchange.name;
  const mail = (totals: { fileCount: number; totalBytes: number }, teamName?: string) =>
    backupReadyEmail({
      teamName,
      caseNumber,
      caseTitle: kase.title,
      caseUrl: `${input.appUrl.replace(/\/$/, "")}/${recordPath("incident", kase.id)}`,
      folderPath: exchange.folderPath,
      by: input.user.name,
      ...totals,
    });

  const event = `backupReady:${exchange.id}`;
  const emailId = emailRowId(event);
  if (exchange.notifiedOn) {
    const email = await tickets.getEmail(emailId);
    return {
      outcome: "alreadyNotified",
      exchange,
      email: email?.status ?? "unknown",
      fileCount: exchange.fileCount,
      totalBytes: exchange.totalBytes,
      agentName: kase.ownerName,
    };
  }

  // SharePoint's listing says which files its scan flagged as malware: those never count as stored.
  const folder = await folderOf(ports.library, exchange);
  const listed = folder ? await ports.library.listFiles(folder) : [];
  const totals = storedTotals(await tickets.listReceipts(exchange.id), listed);
  const now = clock.now();
  const firstPass = exchange.stage === ExchangeStage.folderCreated;
  if (firstPass) {
    // Throws when the role may not, or when the folder holds no stored file yet.
    if (totals.fileCount === 0 && totals.flagged.length > 0)
      throw new ValidationError(
        "malwareFlagged",
        `SharePoint flagged every file in the folder as malware (${flaggedList(totals.flagged)}): they do not count as a backup. Delete ${totals.flagged.length === 1 ? "it" : "them"} in SharePoint and upload a clean backup.`,
        "notifySupport",
      );
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
    exchange = { ...exchange, stage: ExchangeStage.backupReady, readyOn: now, fileCount: totals.fileCount, totalBytes: totals.totalBytes };
  } else if (exchange.stage !== ExchangeStage.backupReady) {
    throw new ValidationError(
      "actionNotAllowed",
      "Support can be notified only while the backup folder is being prepared.",
      "notifySupport",
    );
  }

  // The team's members are read only now, on Notify Support, never when the panel opens.
  const owner = caseOwnerOf(kase);
  const members: Person[] = owner.kind === "team" ? await tickets.teamMembers(owner.id, MAX_NOTIFIED_MEMBERS + 1) : [];
  const audience = notificationAudience(owner, members);
  const nobody = audience.people.length === 0;

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
      flagged: totals.flagged,
      audience,
    }),
  };
  const targets: TimelineTarget[] = [
    { table: "cfx_hardwareticket", id: input.ticket.id },
    { table: "cfx_fileexchange", id: exchange.id },
    { table: "incident", id: kase.id },
  ];
  // Each note's id is derived from the event and the timeline: a retry writes the ones missing. A
  // "nobody could be notified" note is an event of its own, so that notifying the team once it has
  // members writes the usual note beside it.
  const noteEvent = nobody ? `${event}:nobody` : event;
  for (const target of targets) await crm.addNote(target, note, noteRowId(noteEvent, target));

  if (nobody) {
    // notifiedOn stays empty: nobody was told, and Notify Support can run again once somebody can be.
    return {
      outcome: "nobodyNotified",
      exchange,
      email: "none",
      fileCount: totals.fileCount,
      totalBytes: totals.totalBytes,
      agentName: kase.ownerName,
      audience,
    };
  }

  const message = mail(totals, owner.kind === "team" ? (kase.ownerName ?? "") : undefined);
  const email = await tickets.createEmail({
    id: emailId,
    regardingCaseId: kase.id,
    toUserIds: audience.people.map((p) => p.id),
    subject: message.subject,
    html: message.html,
  });
  const emailStatus = email.status === "draft" ? await tickets.sendEmail(email.id) : email.status;

  const files = `${totals.fileCount} file${totals.fileCount === 1 ? "" : "s"}`;
  const why =
    owner.kind === "team"
      ? ` You receive this as a member of the team that owns the case${kase.ownerName ? `, ${kase.ownerName}` : ""}.`
      : "";
  for (let i = 0; i < audience.people.length; i += NOTIFICATIONS_AT_ONCE) {
    await Promise.all(
      audience.people.slice(i, i + NOTIFICATIONS_AT_ONCE).map((person) =>
        tickets.createAppNotification({
          id: notificationRowId(event, person.id),
          userId: person.id,
          title: `Backup ready for ${caseNumber}`,
          body: `${input.user.name} uploaded the customer's backup (${files}). Share it with the customer from the case.${why}`,
          link: { table: "incident", id: kase.id },
        }),
      ),
    );
  }
  // Once this is written a further click is a no-op.
  await crm.updateExchange(exchange.id, { notifiedOn: now });
  // The Teams message comes after that record, so that no click ever sends it twice (Graph has no
  // key that would make a second post a no-op); its failure is a warning, never Notify Support's.
  const teams = ports.settings.teamsFollowUp
    ? await teamsFollowUp(ports, {
        ticket: input.ticket,
        exchangeId: exchange.id,
        case: kase,
        user: input.user,
        appUrl: input.appUrl,
        fileCount: totals.fileCount,
        totalBytes: totals.totalBytes,
      })
    : undefined;
  return {
    outcome: "notified",
    exchange: { ...exchange, notifiedOn: now },
    email: emailStatus,
    fileCount: totals.fileCount,
    totalBytes: totals.totalBytes,
    agentName: kase.ownerName,
    audience,
    teams,
  };
}
