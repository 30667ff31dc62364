import type { Exchange, Recipient } from "../domain/exchange";
import { initialExpiry } from "../domain/expiry";
import { folderLocation } from "../domain/folderNaming";
import { allowedActions } from "../domain/lifecycle";
import { approveRecipient } from "../domain/recipientPolicy";
import { validateMessage } from "../domain/shareMessage";
import { ValidationError } from "../domain/errors";
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

/**
 * Files from the customer (seed 001), in one step: the case's folder under the upload root,
 * shared for upload ("Can edit") with the customer, recorded as an exchange that expires after the
 * upload retention. A refused invitation removes a folder this call created, and records nothing.
 * Safe to run again after a failure: the folder and an existing permission are adopted, unless
 * another case's exchange records that folder.
 */
export async function requestFiles(ports: CasePorts, input: RequestFilesInput): Promise<RequestFilesOutcome> {
  const { caseRecord, actor, request } = input;
  const now = ports.clock.now();
  const direction = ExchangeDirection.filesFromCustomer;
  if (!allowedActions({ direction, stage: null }, actor.roles, now).includes("requestFiles"))
    throw new ValidationError("actionNotAllowed", "Requesting files from the customer is not possible with your role.", "requestFiles");
  const approved = approveRecipient(
    { email: request.email, contactEmail: caseRecord.contact?.email, confirmedOther: request.confirmedOther, reason: request.reason },
    ports.settings,
  );
  const message = validateMessage(request.message);
  const location = folderLocation({ direction, caseNumber: caseRecord.number, accountName: input.accountName }, ports.settings);

  const folder = await ensureCaseFolder(ports, location.path, caseRecord.id);
  let permissionId = await existingPermission(ports.library, folder, approved.email);
  if (!permissionId) {
    try {
      permissionId = await inviteOne(ports.library, folder, approved.email, request.role, message);
    } catch (e) {
      // Leave nothing behind for a refusal: the folder was made for this invitation only.
      if (isShareRefusedError(e) && folder.created) await ports.library.deleteFolder(folder, { permanent: true }).catch(() => undefined);
      throw e;
    }
  }
  // The expiry counts from now, the moment the message promised, even when an earlier attempt made the folder.
  const expiresOn = initialExpiry({ direction, folderCreatedOn: now, createdByAdministrator: false }, ports.settings);
  // Derived from the case, the direction and the folder: a retry after a lost answer meets the
  // exchange it recorded instead of making a second one for the same folder.
  const earlier = input.exchanges.filter((x) => x.direction === direction && x.stage === ExchangeStage.deleted).length;
  const exchange = await ports.crm.createExchange({
    id: exchangeRowId({ caseId: caseRecord.id, direction, folder, earlier }),
    name: location.name,
    caseId: caseRecord.id,
    direction,
    stage: ExchangeStage.shared,
    folderPath: location.path,
    driveId: folder.driveId,
    itemId: folder.itemId,
    webUrl: folder.webUrl,
    folderCreatedOn: folder.createdOn,
    expiresOn,
    sharedOn: now,
    // The agent who asks owns the request; the case's other agents reach it through their role.
    ownerId: actor.id,
  });
  const recipient = await ports.crm.addRecipient({
    // The first invitation on a new exchange.
    id: recipientRowId({ exchangeId: exchange.id, email: approved.email, round: 0 }),
    exchangeId: exchange.id,
    email: approved.email,
    role: request.role === "write" ? RecipientRole.write : RecipientRole.read,
    permissionId,
    invitedOn: now,
    invitedBy: actor.id,
    reason: approved.reason,
  });
  const note = {
    subject: caseNoteSubjects.requested,
    text: sharedNoteText({
      email: approved.email,
      role: request.role,
      by: actor.name,
      folderPath: location.path,
      expiresOn,
      reason: approved.reason,
      webUrl: folder.webUrl,
    }),
  };
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      `shared:${recipient.id}`,
      [
        { table: "cfx_fileexchange", id: exchange.id },
        { table: "incident", id: caseRecord.id },
      ],
      note,
    ),
    ports.notes,
  );
  return { exchange, recipient, notes };
}
