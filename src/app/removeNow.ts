import { nextStage } from "../domain/lifecycle";
import type { Exchange, FileReceipt } from "../domain/exchange";
import { ExchangeDirection, ExchangeStage, FileStatus } from "../model";
import type { CaseRecord, RecipientRecord } from "../ports/CaseReads";
import { folderOf, type CaseActor, type CasePorts } from "./casePorts";
import { caseNoteSubjects, removedNoteText } from "./caseWording";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

export interface RemoveNowInput {
  readonly caseRecord: CaseRecord;
  readonly exchange: Exchange;
  readonly recipients: readonly RecipientRecord[];
  /** The exchange's receipts as the panel read them: a closed request marks its customer's files removed. */
  readonly receipts?: readonly FileReceipt[];
  readonly actor: CaseActor;
}

export interface RemoveOutcome {
  readonly permanent: boolean;
  readonly notes: NotesOutcome;
}

/**
 * Deletes an exchange's folder before it expires (Remove now; Close request for a request for files):
 * first every direct permission goes (immediate, so nobody opens it while the delete runs), then the folder, to the recycle bin or permanently by
 * the permanentDelete setting; the exchange becomes "deleted". A folder already gone is fine.
 */
export async function removeNow(ports: CasePorts, input: RemoveNowInput): Promise<RemoveOutcome> {
  const { exchange, actor } = input;
  const now = ports.clock.now();
  const active = input.recipients.filter((r) => !r.revokedOn);
  nextStage(
    { direction: exchange.direction, stage: exchange.stage, expiresOn: exchange.expiresOn, activeRecipientCount: active.length },
    "removeNow",
    actor.roles,
    now,
  );
  const permanent = ports.settings.permanentDelete;
  const folder = await folderOf(ports.library, exchange);
  const revokedEmails: string[] = [];
  if (folder) {
    for (const p of await ports.library.listPermissions(folder)) {
      if (p.inherited || p.roles.includes("owner")) continue;
      await ports.library.removePermission(folder, p.id);
      if (p.email) revokedEmails.push(p.email);
    }
    // A request for files: the customer's files go with the folder, and their receipts say so
    // before it goes (a failure leaves the request open, to close again).
    if (exchange.direction === ExchangeDirection.filesFromCustomer)
      for (const r of input.receipts ?? []) {
        if (r.status !== undefined && r.status !== FileStatus.inFolder) continue;
        await ports.crm.updateReceipt(r.id, { status: FileStatus.removed, goneOn: now });
      }
    await ports.library.deleteFolder(folder, { permanent });
  }
  for (const r of active) await ports.crm.updateRecipient(r.id, { revokedOn: now, revokedBy: actor.id });
  // An administrator confirms the removal in the secured column the retention job trusts; anyone
  // else's removal is confirmed by the job at the folder's expiry (it finds the folder gone).
  await ports.crm.updateExchange(exchange.id, {
    stage: ExchangeStage.deleted,
    deletedOn: now,
    ...(actor.roles.includes("administrator") ? { removedOn: now } : {}),
  });
  const emails = [...new Set([...active.map((r) => r.email), ...revokedEmails].map((e) => e.toLowerCase()))];
  const request = exchange.direction === ExchangeDirection.filesFromCustomer;
  const note = {
    subject: request ? caseNoteSubjects.requestClosed : caseNoteSubjects.removed,
    text: removedNoteText({
      by: actor.name,
      folderPath: exchange.folderPath,
      permanent,
      expiresOn: exchange.expiresOn,
      revoked: emails,
      request,
    }),
  };
  // An exchange is removed once ("deleted" is final).
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      `removed:${exchange.id}`,
      [
        { table: "cfx_fileexchange", id: exchange.id },
        { table: "incident", id: input.caseRecord.id },
      ],
      note,
    ),
  );
  return { permanent, notes };
}
