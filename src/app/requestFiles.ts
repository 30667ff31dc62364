import type { Exchange, Recipient } from "../domain/exchange";
import { initialExpiry } from "../domain/expiry";
import { folderLocation } from "../domain/folderNaming";
import { allowedActions } from "../domain/lifecycle";
import { approveRecipient } from "../domain/recipientPolicy";
import { validateMessage } from "../domain/shareMessage";
import { isValidationError, ValidationError } from "../domain/errors";
import { exchangeRowId, recipientRowId } from "../domain/recordIds";
import { ExchangeDirection, ExchangeStage, RecipientRole } from "../model";
import type { CaseRecord } from "../ports/CaseReads";
import { ensureCaseFolder } from "./caseFolder";
import type { CaseActor, CasePorts } from "./casePorts";
import { caseNoteSubjects, sharedNoteText } from "./caseWording";
import { isShareRefusedError } from "./ShareRefusedError";
import { existingPermission, inviteOne, type ShareRequest } from "./shareWithCustomer";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

export interface RequestFilesInput {
  readonly caseRecord: CaseRecord;
  /** The case's exchanges, any direction and stage: earlier ones make the new exchange's id. */
  readonly exchanges: readonly Exchange[];
  /** The recipient rows of the case's exchanges (an unconfirmed request's row is met again, not doubled). */
  readonly recipients?: readonly Recipient[];
  /** The case's account name, for the `{account}/{case}` layout. */
  readonly accountName?: string | null;
  readonly request: ShareRequest;
  readonly actor: CaseActor;
}

export interface RequestFilesOutcome {
  readonly exchange: Exchange;
  readonly recipient: Recipient;
  readonly notes: NotesOutcome;
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Files from the customer (seed 001): the case's folder under the upload root, shared for upload
 * ("Can edit") with the customer, recorded as an exchange that expires after the upload retention.
 *
 * Ordered so that no one outside gets access without a record of it:
 * 1. Dataverse is asked whether the agent may attach records to the case; if not, nothing is written anywhere.
 * 2. The exchange is recorded as "Invitation under way", and the address as a recipient not yet invited.
 * 3. The folder is created (or adopted), then the address is invited.
 * 4. The recipient gets its permission id and invitation date, and the exchange becomes shared.
 * Every write carries an id derived from the case, the direction and the address, so asking again
 * after a failure at any step meets what was written and completes the rest, inviting no one twice
 * (an existing permission on the folder is adopted). A refused invitation marks the recipient
 * revoked and, when nothing else was shared from it, the exchange deleted and a folder this call
 * created removed.
 */
export async function requestFiles(ports: CasePorts, input: RequestFilesInput): Promise<RequestFilesOutcome> {
  const { caseRecord, actor, request } = input;
  const now = ports.clock.now();
  const direction = ExchangeDirection.filesFromCustomer;
  // An earlier request whose invitation was not confirmed is completed rather than started again.
  const pending = input.exchanges.find((x) => x.direction === direction && x.stage === ExchangeStage.inviting);
  if (!allowedActions({ direction, stage: pending ? pending.stage : null }, actor.roles, now).includes("requestFiles"))
    throw new ValidationError("actionNotAllowed", "Requesting files from the customer is not possible with your role.", "requestFiles");
  const approved = approveRecipient(
    { email: request.email, contactEmail: caseRecord.contact?.email, confirmedOther: request.confirmedOther, reason: request.reason },
    ports.settings,
  );
  const message = validateMessage(request.message);
  const location = folderLocation({ direction, caseNumber: caseRecord.number, accountName: input.accountName }, ports.settings);

  // What the panel reads is what the agent may read, not what they may write: Dataverse says.
  const access = await ports.crm.accessToCase(caseRecord.id, actor.id);
  if (!access.read || !access.appendTo)
    throw new ValidationError(
      "actionNotAllowed",
      `You cannot add a file exchange to case ${caseRecord.number}: Dynamics 365 does not let you attach records to it. Ask the case's owner to assign or share the case with you, or an administrator to check your security role.`,
      "requestFiles",
    );

  // The expiry counts from now, the moment the message promises; a completed request keeps the one it recorded.
  const expiresOn = pending
    ? pending.expiresOn
    : initialExpiry({ direction, folderCreatedOn: now, createdByAdministrator: false }, ports.settings);
  const earlier = input.exchanges.filter((x) => x.direction === direction && x.stage === ExchangeStage.deleted).length;
  const exchange =
    pending ??
    (await ports.crm.createExchange({
      // The folder is not there yet: the exchange's id comes from its path (and the deleted exchanges before it).
      id: exchangeRowId({ caseId: caseRecord.id, direction, folder: { path: location.path }, earlier }),
      name: location.name,
      caseId: caseRecord.id,
      direction,
      stage: ExchangeStage.inviting,
      folderPath: location.path,
      expiresOn,
      // The agent who asks owns the request; the case's other agents reach it through their role.
      ownerId: actor.id,
    }));

  const rows = (input.recipients ?? []).filter((r) => r.exchangeId === exchange.id && sameAddress(r.email, approved.email));
  const open = rows.find((r) => !r.revokedOn);
  const recipient: Recipient =
    open ??
    (await ports.crm.addRecipient({
      // Not invited yet: no permission id, no invitation date. The address's revoked rows count the round.
      id: recipientRowId({ exchangeId: exchange.id, email: approved.email, round: rows.length }),
      exchangeId: exchange.id,
      email: approved.email,
      role: request.role === "write" ? RecipientRole.write : RecipientRole.read,
      invitedBy: actor.id,
      reason: approved.reason,
    }));

  let folder: Awaited<ReturnType<typeof ensureCaseFolder>>;
  try {
    folder = await ensureCaseFolder(ports, exchange.folderPath || location.path, caseRecord.id);
  } catch (e) {
    // Another case's folder is at that path: this request shares nothing and is closed, so that
    // nothing offers to retry or remove it (removing would delete the other case's folder).
    if (isValidationError(e) && e.code === "folderHeldByAnotherCase") await closeUnshared(ports, { exchange, recipient, actor, now });
    throw e;
  }
  if (exchange.itemId !== folder.itemId || exchange.driveId !== folder.driveId)
    await ports.crm.updateExchange(exchange.id, {
      driveId: folder.driveId,
      itemId: folder.itemId,
      webUrl: folder.webUrl,
      folderCreatedOn: folder.createdOn,
    });

  let permissionId = await existingPermission(ports.library, folder, approved.email, recipient.permissionId);
  if (!permissionId) {
    try {
      permissionId = await inviteOne(ports.library, folder, approved.email, request.role, message);
    } catch (e) {
      if (isShareRefusedError(e))
        await closeUnshared(ports, { exchange, recipient, actor, now, created: folder.created ? folder : undefined });
      throw e;
    }
  }
  await ports.crm.updateRecipient(recipient.id, { permissionId, invitedOn: recipient.invitedOn ?? now });
  await ports.crm.updateExchange(exchange.id, { stage: ExchangeStage.shared, sharedOn: exchange.sharedOn ?? now });

  const done: Exchange = {
    ...exchange,
    stage: ExchangeStage.shared,
    sharedOn: exchange.sharedOn ?? now,
    driveId: folder.driveId,
    itemId: folder.itemId,
    webUrl: folder.webUrl,
    folderCreatedOn: folder.createdOn,
  };
  const invited: Recipient = { ...recipient, permissionId, invitedOn: recipient.invitedOn ?? now };
  const note = {
    subject: caseNoteSubjects.requested,
    text: sharedNoteText({
      email: approved.email,
      role: request.role,
      by: actor.name,
      folderPath: done.folderPath,
      expiresOn: done.expiresOn,
      reason: approved.reason,
      webUrl: folder.webUrl,
    }),
  };
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      `shared:${invited.id}`,
      [
        { table: "cfx_fileexchange", id: done.id },
        { table: "incident", id: caseRecord.id },
      ],
      note,
    ),
  );
  return { exchange: done, recipient: invited, notes };
}

/**
 * Nobody got access (SharePoint refused the address, or the folder belongs to another case): the
 * recipient row says so (revoked), the exchange that shared nothing is closed as deleted so the next
 * request starts afresh, and a folder this call created goes again. Each step is best effort: the
 * refusal is what the agent must see.
 */
async function closeUnshared(
  ports: CasePorts,
  a: {
    exchange: Exchange;
    recipient: Recipient;
    actor: CaseActor;
    now: Date;
    created?: Parameters<CasePorts["library"]["deleteFolder"]>[0];
  },
): Promise<void> {
  await ports.crm.updateRecipient(a.recipient.id, { revokedOn: a.now, revokedBy: a.actor.id }).catch(() => undefined);
  if (a.exchange.stage !== ExchangeStage.inviting) return;
  const closed = await ports.crm
    .updateExchange(a.exchange.id, { stage: ExchangeStage.deleted, deletedOn: a.now })
    .then(() => true)
    .catch(() => false);
  if (closed && a.created) await ports.library.deleteFolder(a.created, { permanent: true }).catch(() => undefined);
}
