import { ValidationError } from "./errors";
import type { Settings } from "./settings";
import { shownValue } from "./shownValue";

/** The longest reason the recipient row (`cfx_reason`) and the expiry reason (`cfx_expiryreason`) hold. */
export const MAX_REASON_LENGTH = 2000;

export type RecipientPolicySettings = Pick<Settings, "allowedDomains" | "deniedDomains">;

// Practical address syntax: what Exchange and Entra B2B accept, not all of RFC 5322.
const emailPattern = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Normalises and checks an e-mail address's syntax. */
export function validateEmail(email: string | null | undefined): string {
  const value = (email ?? "").trim();
  if (!value || value.length > 254 || !emailPattern.test(value) || value.split("@")[0].length > 64 || /\.\.|^\.|\.@/.test(value))
    throw new ValidationError("emailInvalid", `"${shownValue(value)}" is not a valid e-mail address.`, "email");
  const [local, domain] = value.split("@");
  return `${local}@${domain.toLowerCase()}`;
}

function domainMatches(domain: string, listed: string): boolean {
  return domain === listed || domain.endsWith(`.${listed}`);
}

/** Checks an address's domain against the deny and allow lists (subdomains included). */
export function checkDomain(email: string, settings: RecipientPolicySettings): void {
  const domain = email.split("@")[1].toLowerCase();
  if (settings.deniedDomains.some((d) => domainMatches(domain, d)))
    throw new ValidationError(
      "emailDomainDenied",
      `The address ${email} is on the deny list (${domain}); files may not be shared with it.`,
      "email",
    );
  // An internationalised domain (punycode, `xn--`) can imitate another letter for letter
  // (xn--80ak6aa92e.com shows as "аррӏе.com" in Cyrillic): invited only when an administrator allowed it by name.
  if (domain.split(".").some((label) => label.startsWith("xn--")) && !settings.allowedDomains.some((d) => domainMatches(domain, d)))
    throw new ValidationError(
      "emailDomainLookalike",
      `The address ${email} is in an internationalised domain (${domain}), which can imitate another company's domain. An administrator can add it to the allowed domains if it is the customer's own.`,
      "email",
    );
  if (settings.allowedDomains.length > 0 && !settings.allowedDomains.some((d) => domainMatches(domain, d)))
    throw new ValidationError(
      "emailDomainNotAllowed",
      `The address ${email} is not in an allowed domain (${settings.allowedDomains.join(", ")}).`,
      "email",
    );
}

/** The case's responsible contact, as the panel shows it. */
export interface ContactInfo {
  readonly id: string;
  readonly name: string;
  readonly email?: string | null;
}

/** Why there is no default recipient, or the contact's address. */
export type DefaultRecipient =
  | { readonly kind: "contact"; readonly email: string; readonly name: string }
  | { readonly kind: "noContact" }
  | { readonly kind: "noEmail"; readonly name: string }
  | { readonly kind: "invalidEmail"; readonly name: string; readonly email: string };

/** The default recipient is the case's responsible contact, when they have a usable address. */
export function defaultRecipient(contact: ContactInfo | null | undefined): DefaultRecipient {
  if (!contact) return { kind: "noContact" };
  if (!contact.email || !contact.email.trim()) return { kind: "noEmail", name: contact.name };
  try {
    return { kind: "contact", email: validateEmail(contact.email), name: contact.name };
  } catch {
    return { kind: "invalidEmail", name: contact.name, email: contact.email };
  }
}

export interface RecipientRequest {
  readonly email: string;
  /** The contact's address, if the case has one. */
  readonly contactEmail?: string | null;
  /** The agent confirmed sharing with someone other than the contact. */
  readonly confirmedOther?: boolean;
  readonly reason?: string;
}

export interface ApprovedRecipient {
  readonly email: string;
  readonly isContact: boolean;
  /** Why someone other than the contact: noted on the timeline and the recipient row. */
  readonly reason?: string;
}

/**
 * Decides whether an address may be invited: valid syntax, domain lists, and — for any address
 * other than the contact's — an explicit confirmation with a reason.
 */
export function approveRecipient(request: RecipientRequest, settings: RecipientPolicySettings): ApprovedRecipient {
  const email = validateEmail(request.email);
  checkDomain(email, settings);
  const contact = request.contactEmail ? request.contactEmail.trim().toLowerCase() : "";
  if (contact && email.toLowerCase() === contact) return { email, isContact: true };
  if (!request.confirmedOther)
    throw new ValidationError(
      "recipientNotContact",
      contact
        ? `${email} is not the case's contact (${request.contactEmail}). Confirm that the folder should go to this address, and say why.`
        : `The case has no contact with an e-mail address. Confirm that the folder should go to ${email}, and say why.`,
      "email",
    );
  const reason = (request.reason ?? "").trim();
  if (!reason) throw new ValidationError("reasonRequired", `Say why the folder goes to ${email} rather than the case's contact.`, "reason");
  if (reason.length > MAX_REASON_LENGTH)
    throw new ValidationError(
      "reasonTooLong",
      `The reason is ${reason.length} characters long; at most ${MAX_REASON_LENGTH} are kept on the access list. Shorten it.`,
      "reason",
    );
  return { email, isContact: false, reason };
}
