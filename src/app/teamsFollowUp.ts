import { noteRowId } from "../domain/recordIds";
import { ExchangeDirection } from "../model";
import { isTokenError } from "../ports/TokenProvider";
import type { CurrentUser, TimelineTarget } from "../ports/CrmGateway";
import type { CaseSummary } from "../ports/TicketGateway";
import type { TicketPorts, TicketRef } from "./ticketPorts";
import { noteSubjects, teamsFollowUpMessage, teamsFollowUpNoteText } from "./ticketWording";

/**
 * Why the Teams message did not go. `teamOwned`: a team owns the case (its members were told in
 * the app and by e-mail). `ownCase`: the specialist owns the case. `noEntraAccount`: the owner's
 * user row has no Microsoft Entra object id. `signInNeeded`: Teams needs the person's consent or a
 * sign-in (a click opens it). `refused`: Teams answered with an error. `failed`: no answer, or an
 * answer that was not Teams'.
 */
export type TeamsNotSentReason = "teamOwned" | "ownCase" | "noEntraAccount" | "signInNeeded" | "refused" | "failed";

export type TeamsFollowUpResult =
  | { readonly status: "sent"; readonly to: string }
  | { readonly status: "notSent"; readonly reason: TeamsNotSentReason; readonly to: string; readonly detail?: string }
  /** The message was handed to Teams but the answer was lost: it may have arrived. Never sent again. */
  | { readonly status: "unknown"; readonly to: string; readonly detail: string };

export interface TeamsFollowUpInput {
  readonly ticket: TicketRef;
  readonly exchangeId: string;
  readonly case: CaseSummary;
  readonly user: CurrentUser;
  /** The org's base URL (`getClientUrl()`), for the link to the case. */
  readonly appUrl: string;
  readonly fileCount: number;
  readonly totalBytes: number;
}

/** A record's address in the model-driven app. */
export function caseLink(appUrl: string, caseId: string): string {
  return `${appUrl.replace(/\/$/, "")}/main.aspx?etn=incident&id=${encodeURIComponent(caseId)}&pagetype=entityrecord`;
}

/** The sentence a Graph or sign-in error gives, cut to a length a warning can show. */
function detailOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const text = message.replace(/\s+/g, " ").trim();
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

/** What the Teams step's failure means for the person: nothing here ever fails Notify Support. */
function notSent(e: unknown, to: string): TeamsFollowUpResult {
  if (isTokenError(e))
    return e.code === "interactionRequired" || e.code === "popupBlocked" || e.code === "signInCancelled"
      ? { status: "notSent", reason: "signInNeeded", to, detail: detailOf(e) }
      : { status: "notSent", reason: "failed", to, detail: detailOf(e) };
  // The Graph boundary's error, recognised by name as the other use cases do (no adapter import).
  const graph = e as { name?: unknown; code?: unknown; status?: unknown } | null;
  if (graph?.name === "GraphError") {
    if (graph.code === "outcomeUnknown") return { status: "unknown", to, detail: detailOf(e) };
    if (typeof graph.status === "number" && graph.status >= 400) return { status: "notSent", reason: "refused", to, detail: detailOf(e) };
  }
  return { status: "notSent", reason: "failed", to, detail: detailOf(e) };
}

/**
 * The Teams follow-up of Notify Support: one message in the one-to-one chat between the specialist
 * and the case's owner, with the case's number, title and a link to it, sent as the specialist.
 * Resolves with what happened and never rejects for Teams: a refusal, a missing Entra account or
 * a needed sign-in is the result, and the notification and notes of Notify Support stand.
 * Notify Support runs it once, after it has recorded that support was notified, so a second click
 * (which finds that record) never sends it again; the outcome is noted on the ticket and the case.
 */
export async function teamsFollowUp(ports: TicketPorts, input: TeamsFollowUpInput): Promise<TeamsFollowUpResult> {
  const kase = input.case;
  const to = kase.ownerName ?? "";
  // A team's members are told in the app and by e-mail; fifty personal chats would be noise.
  if (kase.ownerIsTeam) return { status: "notSent", reason: "teamOwned", to };
  if (kase.ownerId === input.user.id) return { status: "notSent", reason: "ownCase", to };
  const teams = ports.teams;
  if (!teams) return { status: "notSent", reason: "failed", to, detail: "Teams is not available in this panel." };

  let result: TeamsFollowUpResult;
  try {
    const entraId = await ports.tickets.userEntraObjectId(kase.ownerId);
    if (!entraId) result = { status: "notSent", reason: "noEntraAccount", to };
    else {
      const caseNumber = kase.number ?? "";
      await teams.messageUser(
        entraId,
        teamsFollowUpMessage({
          caseNumber,
          caseTitle: kase.title,
          caseUrl: caseLink(input.appUrl, kase.id),
          by: input.user.name,
          fileCount: input.fileCount,
          totalBytes: input.totalBytes,
        }),
      );
      result = { status: "sent", to };
    }
  } catch (e) {
    result = notSent(e, to);
  }
  await noteOutcome(ports, input, result);
  return result;
}

/**
 * Notes what happened on the ticket and the case. A note's id is derived from the exchange and the
 * outcome, so the note of a message sent after a sign-in stands beside the one saying it was not
 * sent at first, and neither is written twice. A note that cannot be written does not hide the
 * outcome the panel shows.
 */
async function noteOutcome(ports: TicketPorts, input: TeamsFollowUpInput, result: TeamsFollowUpResult): Promise<void> {
  const event = `teamsFollowUp:${input.exchangeId}:${result.status === "notSent" ? `notSent:${result.reason}` : result.status}`;
  const note = {
    subject: noteSubjects.teamsFollowUp,
    text: teamsFollowUpNoteText({ by: input.user.name, caseNumber: input.case.number ?? "", result }),
  };
  const targets: TimelineTarget[] = [
    { table: "cfx_hardwareticket", id: input.ticket.id },
    { table: "incident", id: input.case.id },
  ];
  for (const target of targets) {
    try {
      await ports.crm.addNote(target, note, noteRowId(event, target));
    } catch {
      // The panel shows the outcome; the timeline misses this one note.
    }
  }
}

/**
 * The Teams message again, from the panel's button after a sign-in: only when support was
 * notified and the message did not go for a reason that sent nothing (the button is not offered
 * after a lost answer, when it may have arrived).
 */
export async function sendTeamsFollowUpAgain(
  ports: TicketPorts,
  input: Omit<TeamsFollowUpInput, "case" | "fileCount" | "totalBytes">,
): Promise<TeamsFollowUpResult> {
  const exchange = await ports.tickets.getExchange(input.exchangeId);
  const { case: kase } = await ports.tickets.loadCaseWithExchanges(exchange.caseId, ExchangeDirection.backupForCustomer);
  if (!exchange.notifiedOn)
    return { status: "notSent", reason: "failed", to: kase.ownerName ?? "", detail: "Support is not notified yet." };
  return teamsFollowUp(ports, { ...input, case: kase, fileCount: exchange.fileCount, totalBytes: exchange.totalBytes });
}
