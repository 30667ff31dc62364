import { ExchangeDirection, defaultBackupMessage } from "../../../src/model";
import { pickTemplate, renderShareMessage, templateLanguages, validateMessage } from "../../../src/domain/shareMessage";

const now = new Date("2026-11-01T10:00:00Z");
const base = {
  caseNumber: "CAS-01234-A1B2C3",
  contactName: "Dana Dentist",
  expiresOn: new Date("2026-12-01T10:00:00Z"),
  now,
  locale: "en-GB",
  timeZone: "UTC",
};

describe("rendering the share message", () => {
  test("seed 000's text gets the real number of days", () => {
    expect(renderShareMessage({ ...base, template: defaultBackupMessage })).toBe(
      "Kindly upload the files within 30 days. Please note that they will be automatically deleted after this period.",
    );
  });

  test.each<[string, Date, string]>([
    ["{days}", new Date("2026-11-01T10:00:01Z"), "30"],
    ["{days}", new Date("2026-11-20T10:00:00Z"), "11"],
    ["{days}", new Date("2026-11-30T11:00:00Z"), "1"],
  ])("the day count always equals the real expiry: %s at %s → %s", (template, at, expected) => {
    expect(renderShareMessage({ ...base, template, now: at })).toBe(expected);
  });

  test("every placeholder is filled, dates in the user's locale", () => {
    expect(renderShareMessage({ ...base, template: "{contactName}, {caseNumber}: {days} days, until {expiresOn}." })).toBe(
      "Dana Dentist, CAS-01234-A1B2C3: 30 days, until 1 December 2026.",
    );
    expect(renderShareMessage({ ...base, locale: "de-DE", template: "bis {expiresOn}" })).toBe("bis 1. Dezember 2026");
  });

  test.each<[string, string]>([
    ["Hello {name}", "templateUnknownPlaceholder"],
    ["{Days}", "templateUnknownPlaceholder"],
    ["{}", "templateUnknownPlaceholder"],
    ["x".repeat(2001), "messageTooLong"],
    ["   ", "messageEmpty"],
  ])("%p is refused with %s", (template, code) => {
    expect(() => renderShareMessage({ ...base, template })).toThrow(expect.objectContaining({ code }));
  });

  test("a kept folder cannot promise a deletion date", () => {
    expect(() => renderShareMessage({ ...base, expiresOn: null, template: defaultBackupMessage })).toThrow(
      expect.objectContaining({ code: "messageNeedsExpiry" }),
    );
    expect(renderShareMessage({ ...base, expiresOn: null, template: "Your files for {caseNumber}." })).toBe(
      "Your files for CAS-01234-A1B2C3.",
    );
  });
});

describe("the edited message", () => {
  test.each<[string, string | null]>([
    ["Please download within 30 days.", null],
    ["x".repeat(2000), null],
    ["x".repeat(2001), "messageTooLong"],
    ["", "messageEmpty"],
    ["\n\t ", "messageEmpty"],
  ])("%p → %p", (message, code) => {
    if (code) expect(() => validateMessage(message)).toThrow(expect.objectContaining({ code }));
    else expect(validateMessage(message)).toBe(message.trim());
  });
});

describe("a message left with a placeholder", () => {
  const dated = { expiresOn: new Date("2027-01-01T00:00:00Z") };
  const kept = { expiresOn: null };
  test.each<[string, { expiresOn: Date | null } | undefined, string]>([
    ["Deleted in {days} days.", undefined, "messageUnfilledPlaceholder"],
    ["Deleted in {days} days.", dated, "messageUnfilledPlaceholder"],
    ["Deleted in {days} days.", kept, "messageNeedsExpiry"],
    ["Deleted on {expiresOn}.", kept, "messageNeedsExpiry"],
    ["For {caseNumber}.", kept, "messageUnfilledPlaceholder"],
  ])("%p, folder %p → %p", (message, folder, code) => {
    expect(() => validateMessage(message, folder)).toThrow(expect.objectContaining({ code }));
  });
});

describe("choosing the template", () => {
  const templates = { backup: { en: "EN", de: "DE", "fr-ca": "FRCA" }, upload: { en: "UP" } };
  test.each<[ExchangeDirection, string, string, string]>([
    [ExchangeDirection.backupForCustomer, "en-US", "en", "EN"],
    [ExchangeDirection.backupForCustomer, "de-CH", "de", "DE"],
    [ExchangeDirection.backupForCustomer, "fr-CA", "fr-ca", "FRCA"],
    [ExchangeDirection.backupForCustomer, "ja", "en", "EN"],
    [ExchangeDirection.filesFromCustomer, "de", "en", "UP"],
  ])("%s in %s → %s", (direction, language, expectedLanguage, text) => {
    expect(pickTemplate(templates, direction, language)).toEqual({ language: expectedLanguage, text });
  });
  test("English is offered first, then the others", () => {
    expect(templateLanguages(templates, ExchangeDirection.backupForCustomer)).toEqual(["en", "de", "fr-ca"]);
  });
});
