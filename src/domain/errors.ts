/** Why an input was refused; `code` is stable, `message` is a sentence a person can act on. */
export type ValidationCode =
  | "caseNumberMissing"
  | "caseNumberWhitespace"
  | "caseNumberPattern"
  | "casePatternInvalid"
  | "nameEmpty"
  | "nameInvalidCharacters"
  | "namePathSeparator"
  | "nameDotDot"
  | "nameReserved"
  | "nameLeadingOrTrailing"
  | "nameTooLong"
  | "nameHtml"
  | "pathTooLong"
  | "folderHeldByAnotherCase"
  | "fileTooLarge"
  | "emailInvalid"
  | "emailDomainDenied"
  | "emailDomainNotAllowed"
  | "emailDomainLookalike"
  | "recipientNotContact"
  | "reasonRequired"
  | "reasonTooLong"
  | "messageTooLong"
  | "messageEmpty"
  | "messageMarkup"
  | "messageUnfilledPlaceholder"
  | "templateUnknownPlaceholder"
  | "messageNeedsExpiry"
  | "expiryInPast"
  | "expiryInvalid"
  | "expiryTooFar"
  | "settingMissing"
  | "settingInvalid"
  | "actionNotAllowed"
  | "malwareFlagged";

/** The one error type of the domain boundary: bad input that changes nothing. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  constructor(
    readonly code: ValidationCode,
    message: string,
    /** The offending value or setting key, for logs and for pointing at a field. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Recognises a ValidationError by name, across bundles and realms (not only `instanceof`). */
export function isValidationError(e: unknown): e is ValidationError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "ValidationError" && "code" in e;
}
