import type { Exchange, Recipient } from "../domain/exchange";
import { nextStage } from "../domain/lifecycle";
import { recipientRowId } from "../domain/recordIds";
import { approveRecipient } from "../domain/recipientPolicy";
import { validateMessage } from "../domain/shareMessage";
import { ExchangeDirection, ExchangeStage, RecipientRole } from "../model";
import type { CaseRecord, RecipientRecord } from "../ports/CaseReads";
import type { TimelineTarget } from "../ports/CrmGateway";
import type { AccessRole, DocumentLibrary, FolderRef } from "../ports/DocumentLibrary";
import { folderOf, type CaseActor, type CasePorts } from "./casePorts";
import { caseNoteSubjects, sharedNoteText } from "./caseWording";
import { refuseFlaggedBackup } from "./malwareCheck";
import { keptMessageProblem } from "./shareDraft";
import { isShareRefusedError, ShareRefusedError } from "./ShareRefusedError";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

/** What the agent filled in the share dialog. */
export interface ShareRequest {
  readonly email: string;
  readonly role: AccessRole;
  readonly message: string;
  /** Confirmed sharing with an address that is not the case's contact. */
  readonly confirmedOther?: boolean;
  readonly reason?: string;
}

export interface ShareWithCustomerInput {
  readonly caseRecord: CaseRecord;
  readonly exchange: Exchange;
  /** The exchange's recipient rows (revoked ones included). */
  readonly recipients: readonly RecipientRecord[];
  readonly request: ShareRequest;
  readonly actor: CaseActor;
}

export interface ShareOutcome {
  readonly recipient: Recipient;
  /** The address already had access: no second invitation went out. */
  readonly alreadyShared: boolean;
  readonly stage: ExchangeStage;
  readonly notes: NotesOutcome;
}

/** Finds a direct permission SharePoint already holds for the address (an earlier attempt that got that far). */
export async function existingPermission(
  library: DocumentLibrary,
  folder: FolderRef,
  email: string,
  permissionId?: string,
): Promise<string | undefined> {
  const permissions = await library.listPermissions(folder);
  const mine = permissions.find(
    (p) => !p.inherited && !p.isLink && ((permissionId && p.id === permissionId) || p.email?.toLowerCase() === email.toLowerCase()),
  );
  return mine?.id;
}

/** Invites one address, turning SharePoint's refusals (207 notAllowed, 400 secureSharingInvalidRequest) into a ShareRefusedError. */
export async function inviteOne(
  library: DocumentLibrary,
  folder: FolderRef,
  email: string,
  role: AccessRole,
  message: string,
): Promise<string | undefined> {
  let outcomes;
  try {
    outcomes = await library.invite(folder, { recipients: [email], role, message });
  } catch (e) {
    const x = e as { name?: string; code?: string; innerCode?: string; status?: number; message?: string };
    if (x?.name === "GraphError" && (x.innerCode === "secureSharingInvalidRequest" || x.code === "notAllowed"))
      throw new ShareRefusedError(x.code ?? "invalidRequest", email, x.message ?? "SharePoint refused the invitation.", x.innerCode, {
        cause: e,
      });
    throw e;
  }
  const outcome = outcomes.find((o) => o.email.toLowerCase() === email.toLowerCase()) ?? outcomes[0];
  if (!outcome || outcome.refusal)
    throw new ShareRefusedError(
      outcome?.refusal?.code ?? "notAllowed",
      email,
      outcome?.refusal?.message ?? "SharePoint did not invite the address.",
      outcome?.refusal?.innerCode,
    );
  return outcome.permissionId;
}

/**
 * Seed 000's agent steps in one: invite the customer to the exchange's folder (sign-in required,
 * the agent's message), record them, mark the exchange shared, note it on the exchange's and the
 * case's timelines. The recipient row is written before the invitation and confirmed after it
 * (permission id, invitation date), so a failure in between leaves a row that says the invitation
 * is not confirmed, never access without a record. Never repeats an invitation or a row: an
 * address with an open row or a permission on the folder is adopted, not invited again, so
 * "Share" after a half-failed attempt completes it. Never writes the case row.
 */
export async function shareWithCustomer(ports: CasePorts, input: ShareWithCustomerInput): Promise<ShareOutcome> {
  const { exchange, actor, request, caseRecord } = input;
  const now = ports.clock.now();
  const active = input.recipients.filter((r) => !r.revokedOn);
  const stage = nextStage(
    { direction: exchange.direction, stage: exchange.stage, expiresOn: exchange.expiresOn, activeRecipientCount: active.length },
    "shareWithCustomer",
    actor.roles,
    now,
  )!;
  const approved = approveRecipient(
    { email: request.email, contactEmail: caseRecord.contact?.email, confirmedOther: request.confirmedOther, reason: request.reason },
    ports.settings,
  );
  const message = validateMessage(request.message, exchange);
  const kept = keptMessageProblem(message, exchange.expiresOn);
  if (kept) throw kept;
  const folder = await folderOf(ports.library, exchange);
  if (!folder) throw new ShareRefusedError("itemNotFound", approved.email, "The exchange's folder is not in SharePoint any more.");
  await refuseFlaggedBackup(ports.library, exchange, folder);

  const sameAddress = (r: Recipient) => r.email.toLowerCase() === approved.email.toLowerCase();
  const role = request.role === "write" ? RecipientRole.write : RecipientRole.read;
  // The access list is written before anyone gets access: a new invitation's row first, with no
  // permission id and no invitation date ("invitation under way"). The address's earlier rows (all
  // revoked) count the round, so this invitation's id is the same for every retry of it.
  const row = active.find(sameAddress);
  const recipient: Recipient =
    row ??
    (await ports.crm.addRecipient({
      id: recipientRowId({ exchangeId: exchange.id, email: approved.email, round: input.recipients.filter(sameAddress).length }),
      exchangeId: exchange.id,
      email: approved.email,
      role,
      invitedBy: actor.id,
      reason: approved.reason,
    }));
  let permissionId = await existingPermission(ports.library, folder, approved.email, row?.permissionId);
  const alreadyShared = permissionId !== undefined;
  if (!permissionId) {
    try {
      permissionId = await inviteOne(ports.library, folder, approved.email, request.role, message);
    } catch (e) {
      // Refused: nobody got access. A row this invitation wrote, never confirmed, is closed.
      if (isShareRefusedError(e) && !recipient.invitedOn)
        await ports.crm.updateRecipient(recipient.id, { revokedOn: now, revokedBy: actor.id }).catch(() => undefined);
      throw e;
    }
  }
  const invitedOn = recipient.invitedOn ?? now;
  if (recipient.permissionId !== permissionId || !recipient.invitedOn)
    await ports.crm.updateRecipient(recipient.id, { permissionId, invitedOn });
  const confirmed: Recipient = { ...recipient, permissionId, invitedOn };
  if (exchange.stage !== stage || !exchange.sharedOn)
    await ports.crm.updateExchange(exchange.id, { stage: stage ?? ExchangeStage.shared, sharedOn: exchange.sharedOn ?? now });

  const text = sharedNoteText({
    email: approved.email,
    role: request.role,
    by: actor.name,
    folderPath: exchange.folderPath,
    expiresOn: exchange.expiresOn,
    reason: approved.reason,
    webUrl: folder.webUrl || exchange.webUrl,
  });
  // Seed 000's words for a backup; a folder for files from the customer says what it is for.
  const subject = exchange.direction === ExchangeDirection.backupForCustomer ? caseNoteSubjects.shared : caseNoteSubjects.requested;
  const note = { subject, text };
  const targets: TimelineTarget[] = [
    { table: "cfx_fileexchange", id: exchange.id },
    { table: "incident", id: caseRecord.id },
    ...(exchange.ticketId ? [{ table: "cfx_hardwareticket" as const, id: exchange.ticketId }] : []),
  ];
  // The notes are about this invitation row, under ids derived from it: an earlier attempt that
  // stopped after the row wrote none or some, and those it wrote count as written.
  const notes = await writeNotes(ports.crm, notesAbout(`shared:${confirmed.id}`, targets, note));
  return { recipient: confirmed, alreadyShared, stage: stage ?? ExchangeStage.shared, notes };
}
