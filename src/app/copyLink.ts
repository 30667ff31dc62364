import { allowedActions } from "../domain/lifecycle";
import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { sharePointLink } from "../domain/folderLink";
import type { CaseActor, CasePorts } from "./casePorts";
import { caseNoteSubjects, linkCopiedNoteText } from "./caseWording";
import { eventInstant } from "../domain/recordIds";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

/** Where the link goes: the clipboard, passed in by the host. */
export interface Clipboard {
  copy(text: string): Promise<void>;
}

/**
 * Copies the folder's link for the agent's own e-mail. The link opens only for people with access
 * (it is the folder's address, not a sharing link); the copy is noted on the exchange's timeline.
 * An address that is not an https link to the SharePoint site is refused.
 */
export async function copyLink(
  ports: Pick<CasePorts, "crm" | "clock" | "settings">,
  clipboard: Clipboard,
  input: { readonly exchange: Exchange; readonly webUrl?: string; readonly actor: CaseActor },
): Promise<{ readonly url: string; readonly notes: NotesOutcome }> {
  const { exchange, actor } = input;
  // Only an https address on the SharePoint site's host goes into anyone's e-mail.
  const url = sharePointLink(input.webUrl ?? exchange.webUrl, ports.settings.siteUrl);
  if (
    !url ||
    !allowedActions(
      { direction: exchange.direction, stage: exchange.stage, expiresOn: exchange.expiresOn },
      actor.roles,
      ports.clock.now(),
    ).includes("copyLink")
  )
    throw new ValidationError("actionNotAllowed", "This folder has no link to copy.", "copyLink");
  const now = ports.clock.now();
  await clipboard.copy(url);
  // Every copy is noted: the event carries who copied and when.
  const notes = await writeNotes(
    ports.crm,
    notesAbout(`linkCopied:${exchange.id}:${actor.id}:${eventInstant(now)}`, [{ table: "cfx_fileexchange", id: exchange.id }], {
      subject: caseNoteSubjects.linkCopied,
      text: linkCopiedNoteText({ by: actor.name, webUrl: url }),
    }),
  );
  return { url, notes };
}
