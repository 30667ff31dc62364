import {
  approveRecipient,
  hasNestedRepetition,
  MAX_REASON_LENGTH,
  parseSettings,
  sanitizeAccountName,
  shownValue,
  validateCaseNumber,
  validateExpiryChange,
  validateItemName,
  validateMessage,
  type ValidationError,
} from "../../../src/domain";
import { tableByName } from "../../../src/model";

const required = {
  cfx_SharePointSiteUrl: "https://contoso.sharepoint.com/sites/CustomerFiles",
  cfx_EntraTenantId: "8c3b7f0e-5a1d-4d6e-9f2a-3b4c5d6e7f80",
  cfx_EntraClientId: "2f1e0d9c-8b7a-4c6d-9e5f-0a1b2c3d4e5f",
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as ValidationError).code;
  }
}

describe("a case number pattern that can backtrack exponentially", () => {
  test.each<[string, boolean]>([
    ["^CAS-[0-9]{4,}-[A-Z0-9]{6}$", false],
    ["^(CAS|INC)-[0-9]+$", false],
    ["^CAS-\\d+(?:-[A-Z]{2})?$", false],
    ["[(+)]+", false],
    ["\\(a+\\)+", false],
    ["(a+)+$", true],
    ["^(a*)*$", true],
    ["(a|aa)+", true],
    ["^(\\w+\\s?)*$", true],
    ["((ab)*)+", true],
    ["(-[0-9]{2,4}){2,}", true],
    ["(x{1,2}){3}", true],
    ["([a-z]+)?", false],
  ])("%p nests repeats: %p", (pattern, nested) => {
    expect(hasNestedRepetition(pattern)).toBe(nested);
  });

  test("is refused as a setting and when a number is checked against it", () => {
    expect(codeOf(() => parseSettings({ ...required, cfx_CaseNumberPattern: "(a+)+$" }))).toBe("settingInvalid");
    expect(codeOf(() => validateCaseNumber(`${"a".repeat(40)}!`, "(a+)+$"))).toBe("casePatternInvalid");
  });
});

describe("a refused value quoted in a sentence", () => {
  test.each<[string, string]>([
    ["CAS-01000\u202E7X8Y9Z", "CAS-01000[U+202E]7X8Y9Z"],
    ["a\u200Bb", "a[U+200B]b"],
    ["nul\u0000x", "nul[U+0000]x"],
    ["line\r\nBcc", "line[U+000D][U+000A]Bcc"],
    ["x".repeat(100), `${"x".repeat(80)}…`],
    ["📁".repeat(81), `${"📁".repeat(80)}…`],
  ])("%p is shown as %p", (value, shown) => {
    expect(shownValue(value)).toBe(shown);
  });

  test("cannot turn the rest of the sentence right to left", () => {
    expect(() => validateCaseNumber("CAS-01000-\u202EZ9Y8X7", "^CAS-[0-9]{4,}-[A-Z0-9]{6}$")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("\u202E") }),
    );
  });
});

describe("names whose direction is reversed", () => {
  test.each<[string, string | undefined]>([
    ["invoice\u202Efdp.exe", "nameInvalidCharacters"],
    ["report\u2067.pdf", "nameInvalidCharacters"],
    ["plain-report.pdf", undefined],
    ["تقرير.pdf", undefined],
  ])("%p → %p", (name, code) => {
    expect(codeOf(() => validateItemName(name))).toBe(code);
  });
});

describe("reasons that do not fit their column", () => {
  test("the limit is the columns' length", () => {
    const recipientReason = tableByName("cfx_exchangerecipient").columns.find((c) => c.logicalName === "cfx_reason")!;
    const expiryReason = tableByName("cfx_fileexchange").columns.find((c) => c.logicalName === "cfx_expiryreason")!;
    expect([recipientReason.maxLength, expiryReason.maxLength]).toEqual([MAX_REASON_LENGTH, MAX_REASON_LENGTH]);
  });

  const now = new Date("2026-11-01T10:00:00Z");
  const later = new Date("2026-12-01T10:00:00Z");
  test.each<[number, string | undefined]>([
    [MAX_REASON_LENGTH, undefined],
    [MAX_REASON_LENGTH + 1, "reasonTooLong"],
    [10_000, "reasonTooLong"],
  ])("a reason of %p characters → %p", (length, code) => {
    const reason = "r".repeat(length);
    expect(codeOf(() => validateExpiryChange({ expiresOn: later, reason }, now))).toBe(code);
    expect(
      codeOf(() =>
        approveRecipient(
          { email: "it@northwind.example", contactEmail: "tom@northwind.example", confirmedOther: true, reason },
          { allowedDomains: [], deniedDomains: [] },
        ),
      ),
    ).toBe(code);
  });
});

describe("internationalised domains", () => {
  test.each<[string, readonly string[], string | undefined]>([
    ["tom@xn--80ak6aa92e.com", [], "emailDomainLookalike"],
    ["tom@mail.xn--mnchen-3ya.example", [], "emailDomainLookalike"],
    ["tom@xn--mnchen-3ya.example", ["xn--mnchen-3ya.example"], undefined],
    ["tom@аррӏе.com", [], "emailInvalid"],
    ["tom@northwind.example", [], undefined],
  ])("%p with allowed %p → %p", (email, allowedDomains, code) => {
    expect(codeOf(() => approveRecipient({ email, contactEmail: email }, { allowedDomains, deniedDomains: [] }))).toBe(code);
  });
});

describe("the message as it is sent", () => {
  test.each<[string, string | undefined]>([
    ["Please upload the logs < 5 MB, and > 1 KB.", undefined],
    ["See https://support.contoso.example/upload for help.", undefined],
    ["Use [brackets] and (parentheses) freely.", undefined],
    ["<img src=x onerror=alert(1)>", "messageMarkup"],
    ["Hi <script>alert(1)</script>", "messageMarkup"],
    ["Hello &lt;b&gt;", "messageMarkup"],
    ["Hello &#60;b&#62;", "messageMarkup"],
    ["<!-- hidden -->", "messageMarkup"],
    ["[Open your files](https://evil.example/login)", "messageMarkup"],
    ["Delete on {expiresOn}.", "messageUnfilledPlaceholder"],
    ["Within {DAYS} days.", "messageUnfilledPlaceholder"],
    ["Case {caseNumber}", "messageUnfilledPlaceholder"],
    ["A {curly} word is fine.", undefined],
  ])("%p → %p", (message, code) => {
    expect(codeOf(() => validateMessage(message))).toBe(code);
  });
});

describe("account names with invisible characters", () => {
  test.each<[string, string]>([
    ["Fab\u200Brikam", "Fabrikam"],
    ["\uFEFFNorthwind Traders", "Northwind Traders"],
    ["Contoso\u202E", "Contoso"],
    ["\u202E\u200B\u2066", ""],
    ["Tail\u00ADspin", "Tailspin"],
  ])("%p → %p", (name, folder) => {
    expect(sanitizeAccountName(name)).toBe(folder);
  });
});
