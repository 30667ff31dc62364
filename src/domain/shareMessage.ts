import { ExchangeDirection } from "../model";
import { ValidationError } from "./errors";
import { daysLeft, formatExpiryDate } from "./expiry";
import type { MessageTemplates } from "./settings";
import { shownValue } from "./shownValue";

/** Graph's limit on an invitation's message. */
export const MAX_MESSAGE_LENGTH = 2000;

const placeholders = ["days", "caseNumber", "contactName", "expiresOn"] as const;
type Placeholder = (typeof placeholders)[number];

/** The languages a template exists in for a direction, English first. */
export function templateLanguages(templates: MessageTemplates, direction: ExchangeDirection): string[] {
  const texts = direction === ExchangeDirection.backupForCustomer ? templates.backup : templates.upload;
  return Object.keys(texts).sort((a, b) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b)));
}

/** The template for a direction in a language (`de-CH` → `de` → `en`). */
export function pickTemplate(
  templates: MessageTemplates,
  direction: ExchangeDirection,
  language: string,
): { language: string; text: string } {
  const texts = direction === ExchangeDirection.backupForCustomer ? templates.backup : templates.upload;
  const lang = language.toLowerCase();
  for (const candidate of [lang, lang.split("-")[0], "en"]) {
    const text = texts[candidate];
    if (text !== undefined) return { language: candidate, text };
  }
  throw new ValidationError("settingInvalid", "The share message templates have no English text.", "shareMessageTemplates");
}

export interface ShareMessageInput {
  readonly template: string;
  readonly caseNumber: string;
  readonly contactName: string;
  /** The exchange's real expiry; null when kept with no expiry. */
  readonly expiresOn: Date | null;
  /** The moment of sharing: `{days}` counts whole days from here, rounded up. */
  readonly now: Date;
  readonly locale: string;
  readonly timeZone?: string;
}

/**
 * Fills a share message template. `{days}` is always the real number of days left, so the text
 * can never promise another period than the one the retention job enforces.
 */
export function renderShareMessage(input: ShareMessageInput): string {
  const used = new Set<Placeholder>();
  const text = input.template.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (!(placeholders as readonly string[]).includes(name))
      throw new ValidationError(
        "templateUnknownPlaceholder",
        `The message template uses ${whole}, which is not a placeholder. Use {days}, {caseNumber}, {contactName} or {expiresOn}.`,
        "shareMessageTemplates",
      );
    used.add(name as Placeholder);
    switch (name as Placeholder) {
      case "caseNumber":
        return input.caseNumber;
      case "contactName":
        return input.contactName;
      case "days":
      case "expiresOn":
        if (input.expiresOn === null)
          throw new ValidationError(
            "messageNeedsExpiry",
            "This folder is kept with no expiry, but the message speaks of a deletion date. Edit the message before sending.",
            "message",
          );
        return name === "days"
          ? new Intl.NumberFormat(input.locale).format(daysLeft(input.expiresOn, input.now) ?? 0)
          : formatExpiryDate(input.expiresOn, input.locale, input.timeZone);
    }
  });
  return validateMessage(text);
}

// Tags (`<b>`, `<script>`, `<!-- -->`) and character references (`&lt;`, `&#60;`): the invitation is
// plain text, so they would reach the customer as typed, or as markup where a mail client renders it.
const markup = /<\/?[a-z!?][^>]*>|&(?:[a-z][a-z0-9]*|#[0-9]+|#x[0-9a-f]+);/i;
// A Markdown link shows words and hides the address they lead to: how a phishing message looks.
const markdownLink = /\[[^\]]*\]\([^)]*\)/;
const unfilled = new RegExp(`\\{(${placeholders.join("|")})\\}`, "i");

/**
 * Checks a message as it will be sent (after the agent's edits): not empty, at most 2,000
 * characters, plain text (no HTML, no Markdown links), and no placeholder left unfilled: the
 * message is sent as it is, never filled again.
 */
export function validateMessage(message: string, folder?: { readonly expiresOn: Date | null }): string {
  const text = message.trim();
  if (!text)
    throw new ValidationError("messageEmpty", "The message is empty; the customer needs to know what the folder is for.", "message");
  const tag = markup.exec(text);
  if (tag)
    throw new ValidationError(
      "messageMarkup",
      `The message contains HTML (${shownValue(tag[0])}); the invitation is plain text, so write it without tags or & codes.`,
      "message",
    );
  if (markdownLink.test(text))
    throw new ValidationError(
      "messageMarkup",
      "The message contains a link written as [words](address); the invitation is plain text, so write the address itself.",
      "message",
    );
  const left = unfilled.exec(text);
  // A folder kept with no expiry has no days or date to give: the message must stop promising one.
  if (left && folder?.expiresOn === null && /^(days|expireson)$/i.test(left[1]))
    throw new ValidationError(
      "messageNeedsExpiry",
      "This folder is kept with no expiry, but the message speaks of a deletion date. Edit the message before sending.",
      "message",
    );
  if (left)
    throw new ValidationError(
      "messageUnfilledPlaceholder",
      `The message still contains ${left[0]}, which is not filled in when it is sent; write the ${left[1].toLowerCase() === "days" ? "number of days" : left[1].toLowerCase() === "expireson" ? "date" : "text"} itself.`,
      "message",
    );
  if (text.length > MAX_MESSAGE_LENGTH)
    throw new ValidationError(
      "messageTooLong",
      `The message is ${text.length} characters long; SharePoint accepts at most ${MAX_MESSAGE_LENGTH}.`,
      "message",
    );
  return text;
}
