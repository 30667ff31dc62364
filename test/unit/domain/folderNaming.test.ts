import { ExchangeDirection } from "../../../src/model";
import { folderLocation, sanitizeAccountName, validateCaseNumber } from "../../../src/domain/folderNaming";
import { validateItemName, validatePathLength, validateUploadFile } from "../../../src/domain/itemNames";
import type { ValidationCode } from "../../../src/domain/errors";

const pattern = "^CAS-[0-9]{4,}-[A-Z0-9]{6}$";
const settings = {
  backupRoot: "Customer Data Migration",
  uploadRoot: "External Data Transfer",
  folderLayout: "{case}" as const,
  caseNumberPattern: pattern,
};

function codeOf(fn: () => unknown): ValidationCode | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    return (e as { code: ValidationCode }).code;
  }
}

describe("case numbers", () => {
  test.each<[string | null, ValidationCode | "ok"]>([
    ["CAS-01234-A1B2C3", "ok"],
    ["CAS-123456-ZZZZZZ", "ok"],
    [" CAS-01234-A1B2C3", "caseNumberWhitespace"],
    ["CAS-01234-A1B2C3 ", "caseNumberWhitespace"],
    ["CAS-01234-A1B2C3\t", "caseNumberWhitespace"],
    ["\u00a0CAS-01234-A1B2C3", "caseNumberWhitespace"],
    ["CAS-01234-A1B2C3\u200b", "caseNumberWhitespace"],
    ["CAS-01234\u200d-A1B2C3", "caseNumberWhitespace"],
    ["   ", "caseNumberMissing"],
    ["", "caseNumberMissing"],
    [null, "caseNumberMissing"],
    ["CAS-01234/A1B2C3", "namePathSeparator"],
    ["CAS-01234\\A1B2C3", "namePathSeparator"],
    ["..", "nameDotDot"],
    ["CAS-01234-A1B2C3:", "nameInvalidCharacters"],
    ['CAS-"1234-A1B2C3', "nameInvalidCharacters"],
    ["CAS#01234-A1B2C3", "nameInvalidCharacters"],
    ["CAS-01234-A1B2C%", "nameInvalidCharacters"],
    ["CAS-01234-A1B2C3.", "nameLeadingOrTrailing"],
    [".CAS-01234-A1B2C3", "nameLeadingOrTrailing"],
    ["CON", "nameReserved"],
    ["<b>CAS</b>", "nameHtml"],
    ["CAS-1-A1B2C3", "caseNumberPattern"],
    ["INC-01234-A1B2C3", "caseNumberPattern"],
    ["cas-01234-a1b2c3", "caseNumberPattern"],
  ])("%p → %s", (input, expected) => {
    expect(codeOf(() => validateCaseNumber(input, pattern))).toBe(expected);
  });

  test("an invalid pattern setting is named as such", () => {
    expect(codeOf(() => validateCaseNumber("CAS-01234-A1B2C3", "(["))).toBe("casePatternInvalid");
  });

  test.each<[string, string, ValidationCode | "ok"]>([
    ["CAS-[0-9]+", "CAS-01234", "ok"],
    ["CAS-[0-9]+", "CAS-01234-A1B2C3", "caseNumberPattern"],
    ["CAS-[0-9]+", "xCAS-01234", "caseNumberPattern"],
    ["[0-9]+|CAS-[0-9]+", "CAS-01234", "ok"],
    ["^CAS-[0-9]+", "CAS-01234 (copy)", "caseNumberPattern"],
  ])("an unanchored pattern %p must match the whole number: %p → %s", (loose, input, expected) => {
    expect(codeOf(() => validateCaseNumber(input, loose))).toBe(expected);
  });

  test("a number with surrounding spaces is refused with a sentence that says so, never trimmed into another case's", () => {
    expect(() => validateCaseNumber("CAS-01002-D4E5F6 ", pattern)).toThrow(/"CAS-01002-D4E5F6 " starts or ends with a space/);
    expect(() => validateCaseNumber("CAS-01002-D4E5F6 ", ".*")).toThrow(expect.objectContaining({ code: "caseNumberWhitespace" }));
  });

  test("a number with characters the pattern does not allow says the whole number must match", () => {
    expect(() => validateCaseNumber("CAS-01234 (copy)", "^CAS-[0-9]+")).toThrow(/whole case number must match/);
  });

  test("a widened pattern admits another prefix", () => {
    expect(validateCaseNumber("INC-01234-A1B2C3", "^[A-Z]{3}-[0-9]+-[A-Z0-9]+$")).toBe("INC-01234-A1B2C3");
  });

  test("the message says what is wrong and how to fix it", () => {
    expect(() => validateCaseNumber("CAS-1-A", pattern)).toThrow(/does not match the pattern .* An administrator can widen/);
    expect(() => validateCaseNumber("CAS/1", pattern)).toThrow(/path separator/);
  });
});

describe("item names", () => {
  test.each<[string, ValidationCode | "ok"]>([
    ["backup.zip", "ok"],
    ["Scanner backup 2026-11-22.7z", "ok"],
    ["", "nameEmpty"],
    ["   ", "nameEmpty"],
    [".", "nameDotDot"],
    ["..", "nameDotDot"],
    ["a/b", "namePathSeparator"],
    ["a*b", "nameInvalidCharacters"],
    ["a?b", "nameInvalidCharacters"],
    ["a|b", "nameInvalidCharacters"],
    ["a<b", "nameInvalidCharacters"],
    ["a\u0001b", "nameInvalidCharacters"],
    ["<img src=x onerror=alert(1)>.zip", "nameHtml"],
    ["a&amp;b.txt", "nameHtml"],
    [" leading.txt", "nameLeadingOrTrailing"],
    ["trailing.txt ", "nameLeadingOrTrailing"],
    ["trailing.", "nameLeadingOrTrailing"],
    ["PRN", "nameReserved"],
    ["com1", "nameReserved"],
    ["LPT9", "nameReserved"],
    [".lock", "nameLeadingOrTrailing"],
    ["desktop.ini", "nameReserved"],
    ["~$report.docx", "nameReserved"],
    ["~tmp", "nameReserved"],
    ["my_vti_folder", "nameReserved"],
    ["x".repeat(256), "nameTooLong"],
  ])("%p → %s", (input, expected) => {
    expect(codeOf(() => validateItemName(input))).toBe(expected);
  });

  test("paths over 400 characters are refused", () => {
    expect(codeOf(() => validatePathLength("a/".repeat(200) + "b"))).toBe("pathTooLong");
    expect(codeOf(() => validatePathLength("a".repeat(400)))).toBe("ok");
  });

  test.each<[{ relativePath: string; size: number }, ValidationCode | "ok"]>([
    [{ relativePath: "backup/scan.7z", size: 10 }, "ok"],
    [{ relativePath: "empty.txt", size: 0 }, "ok"],
    [{ relativePath: "huge.bin", size: 251 * 1024 ** 3 }, "fileTooLarge"],
    [{ relativePath: "a/../b.txt", size: 1 }, "nameDotDot"],
    [{ relativePath: "bad:name.txt", size: 1 }, "nameInvalidCharacters"],
    [{ relativePath: "", size: 1 }, "nameEmpty"],
    [{ relativePath: "d/".repeat(200) + "f.txt", size: 1 }, "pathTooLong"],
  ])("upload %p → %s", (file, expected) => {
    expect(codeOf(() => validateUploadFile(file, "Customer Data Migration/CAS-01234-A1B2C3"))).toBe(expected);
  });
});

describe("account names are sanitised, not rejected", () => {
  test.each<[string, string]>([
    ["Contoso Dental", "Contoso Dental"],
    ["Smith & Sons: Dental/Lab", "Smith & Sons-Dental-Lab"],
    ["  ..Acme..  ", "Acme"],
    ['A*B?C"D<E>F|G#H%I', "A-B-C-D-E-F-G-H-I"],
    ["Dr.  Who   Clinic", "Dr. Who Clinic"],
    ["a -- b", "a-b"],
    ["///", ""],
    ["CON", "CON-account"],
    ["desktop.ini", "desktop.ini-account"],
    [" Desktop.INI ", "Desktop.INI-account"],
    ["com0", "com0-account"],
    ["LPT9.", "LPT9-account"],
    ["Forms", "Forms"],
    ["_vti_", "-vti-"],
    ["~$Acme", "$Acme"],
    ["Smith &amp; Sons", ""],
    ["<script>x</script>Clinic", "script-x-script-Clinic"],
    ["~Tilde", "Tilde"],
  ])("%p → %p", (input, expected) => {
    expect(sanitizeAccountName(input)).toBe(expected);
  });
});

describe("folder locations", () => {
  test.each<[string, ExchangeDirection, string, string | null, string]>([
    ["{case}", ExchangeDirection.backupForCustomer, "CAS-01234-A1B2C3", "Contoso", "Customer Data Migration/CAS-01234-A1B2C3"],
    ["{case}", ExchangeDirection.filesFromCustomer, "CAS-01234-A1B2C3", "Contoso", "External Data Transfer/CAS-01234-A1B2C3"],
    [
      "{account}/{case}",
      ExchangeDirection.backupForCustomer,
      "CAS-01234-A1B2C3",
      "Contoso: Dental",
      "Customer Data Migration/Contoso-Dental/CAS-01234-A1B2C3",
    ],
    ["{account}/{case}", ExchangeDirection.backupForCustomer, "CAS-01234-A1B2C3", null, "Customer Data Migration/CAS-01234-A1B2C3"],
    ["{account}/{case}", ExchangeDirection.backupForCustomer, "CAS-01234-A1B2C3", "...", "Customer Data Migration/CAS-01234-A1B2C3"],
    [
      "{account}/{case}",
      ExchangeDirection.backupForCustomer,
      "CAS-01234-A1B2C3",
      "desktop.ini",
      "Customer Data Migration/desktop.ini-account/CAS-01234-A1B2C3",
    ],
  ])("layout %s, direction %s → %s", (layout, direction, caseNumber, account, expected) => {
    const loc = folderLocation({ direction, caseNumber, accountName: account }, { ...settings, folderLayout: layout as "{case}" });
    expect(loc.path).toBe(expected);
    expect(loc.name).toBe(caseNumber);
    expect(loc.segments.join("/")).toBe(expected);
  });

  test("the per-account level is reported so retention never deletes it", () => {
    const loc = folderLocation(
      { direction: ExchangeDirection.backupForCustomer, caseNumber: "CAS-01234-A1B2C3", accountName: "Contoso" },
      { ...settings, folderLayout: "{account}/{case}" },
    );
    expect(loc.accountFolder).toBe("Customer Data Migration/Contoso");
  });

  test("a bad case number changes nothing and says why", () => {
    expect(() => folderLocation({ direction: ExchangeDirection.backupForCustomer, caseNumber: "../etc" }, settings)).toThrow(
      expect.objectContaining({ code: "namePathSeparator" }),
    );
  });

  test("a path over the length limit is refused", () => {
    const long = { ...settings, backupRoot: "R".repeat(390) };
    expect(codeOf(() => folderLocation({ direction: ExchangeDirection.backupForCustomer, caseNumber: "CAS-01234-A1B2C3" }, long))).toBe(
      "pathTooLong",
    );
  });
});
