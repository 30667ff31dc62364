import { ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { allowedFileActions } from "../domain/fileActions";
import { sharePointLink } from "../domain/folderLink";
import { eventInstant } from "../domain/recordIds";
import type { CaseActor, CasePorts } from "./casePorts";
import { caseNoteSubjects, fileLinkCopiedNoteText } from "./caseWording";
import type { Clipboard } from "./copyLink";
import type { CaseFile } from "./fileReceipt";
import { notesAbout, writeNotes, type NotesOutcome } from "./timelineNotes";

/**
 * Copies one file's address for the agent's own e-mail, as Copy link does for the folder: the
 * file's web URL, which opens only for people who have access and sign in (never a sharing link).
 * A flagged file, or an address that is not an https link to the SharePoint site, is refused.
 * Every copy is noted on the exchange's timeline.
 */
export async function copyFileLink(
  ports: Pick<CasePorts, "crm" | "clock" | "settings">,
  clipboard: Clipboard,
  input: CaseFile & { readonly exchange: Exchange; readonly actor: CaseActor },
): Promise<{ readonly url: string; readonly notes: NotesOutcome }> {
  const { exchange, file, actor } = input;
  const url = sharePointLink(file.webUrl, ports.settings.siteUrl);
  const allowed = allowedFileActions(
    {
      direction: exchange.direction,
      stage: exchange.stage,
      inFolder: true,
      flagged: file.malware !== undefined,
      kept: false,
      hasLink: !!url,
    },
    actor.roles,
  );
  if (!url || !allowed.includes("copyFileLink"))
    throw new ValidationError("actionNotAllowed", `"${file.path}" has no link to copy.`, "copyFileLink");
  const now = ports.clock.now();
  await clipboard.copy(url);
  const notes = await writeNotes(
    ports.crm,
    notesAbout(
      `fileLinkCopied:${exchange.id}:${file.itemId}:${actor.id}:${eventInstant(now)}`,
      [{ table: "cfx_fileexchange", id: exchange.id }],
      { subject: caseNoteSubjects.fileLinkCopied, text: fileLinkCopiedNoteText({ by: actor.name, path: file.path, webUrl: url }) },
    ),
  );
  return { url, notes };
}
