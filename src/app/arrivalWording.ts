import { bytesInWords } from "./ticketWording";

/**
 * The plain-words texts the arrival check writes: the timeline note of a batch, the agent's
 * notification and the e-mail. Records, not UI: in English like the rest of the timeline.
 */

/** One file of a batch as the texts show it. */
export interface ArrivalLine {
  /** The path inside the folder (`logs/app.log`). */
  readonly path: string;
  readonly size: number;
  readonly uploadedBy?: string;
  /** The file replaced one the customer had put in before. */
  readonly replaced?: boolean;
}

export interface BatchWords {
  readonly folderName: string;
  readonly files: readonly ArrivalLine[];
  /** The agent who requested the files was notified (false: the request belongs to a team). */
  readonly notified: boolean;
}

export const arrivalSubject = "Files received from the customer";

/** At most this many files are named one by one; the rest are counted. */
const LISTED = 50;

function fileCount(n: number): string {
  return `${n} file${n === 1 ? "" : "s"}`;
}

/** "tom@northwind.example", "tom@… and priya@…", or "the customer" when SharePoint named nobody. */
function uploaders(files: readonly ArrivalLine[]): string {
  const names = [...new Set(files.map((f) => f.uploadedBy).filter((u): u is string => Boolean(u)))];
  if (names.length === 0) return "The customer";
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function total(files: readonly ArrivalLine[]): number {
  return files.reduce((n, f) => n + f.size, 0);
}

function lines(files: readonly ArrivalLine[], several: boolean): string[] {
  const shown = files.slice(0, LISTED).map((f) => {
    const by = several && f.uploadedBy ? `, by ${f.uploadedBy}` : "";
    return `- ${f.path} (${bytesInWords(f.size)}${by})${f.replaced ? ", replacing the earlier file of that name" : ""}`;
  });
  if (files.length > LISTED) shown.push(`- and ${files.length - LISTED} more`);
  return shown;
}

/** The note on the case and the exchange: who put which files in, their sizes, and who was told. */
export function arrivalNoteText(w: BatchWords): string {
  const several = new Set(w.files.map((f) => f.uploadedBy ?? "")).size > 1;
  const told = w.notified
    ? "The agent who requested the files was notified."
    : "Nobody was notified: the request belongs to a team, not a person.";
  return [
    `${uploaders(w.files)} put ${fileCount(w.files.length)} (${bytesInWords(total(w.files))}) into ${w.folderName}:`,
    ...lines(w.files, several),
    told,
  ].join("\n");
}

export function arrivalNotification(w: BatchWords): { title: string; body: string } {
  const names = w.files
    .slice(0, 5)
    .map((f) => f.path)
    .join(", ");
  const more = w.files.length > 5 ? ` and ${w.files.length - 5} more` : "";
  return {
    title: `Files received for ${w.folderName}`,
    body: `${uploaders(w.files)} put ${fileCount(w.files.length)} (${bytesInWords(total(w.files))}) into the folder you requested: ${names}${more}. Open the case to see them.`,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The e-mail to the agent: the same facts as the notification; every name escaped (customers name their files). */
export function arrivalEmail(w: BatchWords): { subject: string; html: string } {
  const several = new Set(w.files.map((f) => f.uploadedBy ?? "")).size > 1;
  const items = lines(w.files, several).map((l) => `<li>${escapeHtml(l.slice(2))}</li>`);
  return {
    subject: `Files received for ${w.folderName}`,
    html:
      `<p>${escapeHtml(`${uploaders(w.files)} put ${fileCount(w.files.length)} (${bytesInWords(total(w.files))}) into ${w.folderName}, the folder you requested:`)}</p>` +
      `<ul>${items.join("")}</ul><p>Open the case in Dynamics 365 to see them.</p>`,
  };
}
