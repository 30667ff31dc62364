import { stageAfterRevoke } from "../domain/lifecycle";
import { allowedActions } from "../domain/lifecycle";
import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { ExchangeStage } from "../model";
import type { CaseRecord, RecipientRecord } from "../ports/CaseReads";
import { folderOf, type CaseActor, type CasePorts } from "./casePorts";
import { caseNoteSubjects, revokedNoteText } from "./caseWording";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

export interface RevokeAccessInput {
  readonly caseRecord: CaseRecord;
  readonly exchange: Exchange;
  /** The exchange's recipient rows (revoked ones included). */
  readonly recipients: readonly RecipientRecord[];
  /** Whom to revoke: a recipient row, or a permission given in SharePoint by hand. */
  readonly target: { readonly recipientId: string } | { readonly permissionId: string; readonly email: string };
  /** Direct permissions on the folder besides recorded recipients (from the panel's snapshot). */
  readonly unrecordedCount?: number;
  readonly actor: CaseActor;
}

export interface RevokeOutcome {
  readonly stage: ExchangeStage;
  /** Permissions removed in SharePoint (0 when they were already gone). */
  readonly removed: number;
  readonly notes: NotesOutcome;
}

/**
 * Revokes one person's access: removes their direct permissions on the folder (the recorded one
 * and any other for the same address), marks the recipient revoked, and makes the exchange
 * "revoked" when nobody is left. Allowed on resolved cases; never writes the case row.
 */
export async function revokeAccess(ports: CasePorts, input: RevokeAccessInput): Promise<RevokeOutcome> {
  const { exchange, actor } = input;
  const now = ports.clock.now();
  const active = input.recipients.filter((r) => !r.revokedOn);
  const count = active.length + (input.unrecordedCount ?? 0);
  if (
    !allowedActions(
      { direction: exchange.direction, stage: exchange.stage, expiresOn: exchange.expiresOn, activeRecipientCount: count },
      actor.roles,
      now,
    ).includes("revokeAccess")
  )
    throw new ValidationError(
      "actionNotAllowed",
      "Revoking access is not possible for this folder now, or not with your role.",
      "revokeAccess",
    );
  const row =
    "recipientId" in input.target ? active.find((r) => r.id === (input.target as { recipientId: string }).recipientId) : undefined;
  if ("recipientId" in input.target && !row)
    throw new ValidationError("actionNotAllowed", "This person's access was already revoked; refresh the panel.", "revokeAccess");
  const email = row?.email ?? (input.target as { email: string }).email;
  const permissionId = row?.permissionId ?? (input.target as { permissionId?: string }).permissionId;

  let removed = 0;
  const folder = await folderOf(ports.library, exchange);
  if (folder) {
    const permissions = await ports.library.listPermissions(folder);
    const theirs = permissions.filter(
      (p) => !p.inherited && (p.id === permissionId || (!!p.email && p.email.toLowerCase() === email.toLowerCase())),
    );
    for (const p of theirs) {
      await ports.library.removePermission(folder, p.id);
      removed++;
    }
  }
  if (row) await ports.crm.updateRecipient(row.id, { revokedOn: now, revokedBy: actor.id });
  const remaining = count - 1;
  const stage = stageAfterRevoke(exchange.stage, remaining);
  if (stage !== exchange.stage) await ports.crm.updateExchange(exchange.id, { stage });
  const note = {
    subject: caseNoteSubjects.revoked,
    text: revokedNoteText({ email, by: actor.name, folderPath: exchange.folderPath, last: remaining === 0 }),
  };
  // One revocation per invitation row; a permission given by hand is revoked once too.
  const event = row ? `revoked:${row.id}` : `revoked:${exchange.id}:${permissionId || email.toLowerCase()}`;
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      event,
      [
        { table: "cfx_fileexchange", id: exchange.id },
        { table: "incident", id: input.caseRecord.id },
      ],
      note,
    ),
  );
  return { stage, removed, notes };
}
