import { isValidationError, ValidationError } from "../domain/errors";
import type { Exchange } from "../domain/exchange";
import { expiryFrom, retentionDays } from "../domain/expiry";
import { pickTemplate, renderShareMessage, templateLanguages } from "../domain/shareMessage";
import type { Settings } from "../domain/settings";
import { ExchangeDirection } from "../model";
import type { CaseRecord } from "../ports/CaseReads";

/** The share dialog's starting point: the template in a language, filled with the real expiry. */
export interface ShareDraft {
  readonly language: string;
  readonly languages: readonly string[];
  /** The filled message, or the raw template when it cannot be filled (kept with no expiry). */
  readonly message: string;
  /** Why the template could not be filled, for the dialog to say. */
  readonly problem?: string;
  /** The problem's ValidationError code ("messageNeedsExpiry": the dialog says it on the message field). */
  readonly problemCode?: string;
  readonly expiresOn: Date | null;
}

/**
 * Fills the template for an existing exchange (share) or a new one (request files: the expiry a
 * folder made now will get), in the language asked for (`de-CH` → `de` → `en`).
 */
export function shareDraft(
  settings: Settings,
  input: {
    readonly caseRecord: CaseRecord;
    readonly exchange?: Exchange;
    readonly language: string;
    readonly now: Date;
    readonly timeZone?: string;
  },
): ShareDraft {
  const direction = input.exchange?.direction ?? ExchangeDirection.filesFromCustomer;
  const expiresOn = input.exchange ? input.exchange.expiresOn : expiryFrom(input.now, retentionDays(direction, settings));
  const { language, text } = pickTemplate(settings.shareMessageTemplates, direction, input.language);
  const languages = templateLanguages(settings.shareMessageTemplates, direction);
  try {
    const message = renderShareMessage({
      template: text,
      caseNumber: input.caseRecord.number,
      contactName: input.caseRecord.contact?.name ?? "",
      expiresOn,
      now: input.now,
      // The customer reads the message: numbers and dates in the message's language.
      locale: language,
      timeZone: input.timeZone,
    });
    return { language, languages, message, expiresOn };
  } catch (e) {
    const problemCode = isValidationError(e) ? e.code : undefined;
    return { language, languages, message: text, problem: e instanceof Error ? e.message : String(e), problemCode, expiresOn };
  }
}

/** The template's words for a deletion date: `{days}` or `{expiresOn}` left in an edited message. */
const expiryPlaceholder = /\{(days|expiresOn)\}/;

/**
 * A folder kept with no expiry must not be promised a deletion: while the edited message still has
 * the template's `{days}` or `{expiresOn}`, this is the sentence saying so (null once edited).
 */
export function keptMessageProblem(message: string, expiresOn: Date | null): ValidationError | null {
  if (expiresOn !== null || !expiryPlaceholder.test(message)) return null;
  return new ValidationError(
    "messageNeedsExpiry",
    "This folder is kept with no expiry, but the message speaks of a deletion date. Edit the message before sending.",
    "message",
  );
}
