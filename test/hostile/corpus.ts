import type { ValidationCode } from "../../src/domain/errors";

/**
 * The hostile-input corpus: inputs a person, a customer's data or a misconfigured environment can
 * put in front of the product, with what must happen to each. Data, not tests: the integration
 * runner (test/integration/hostile.test.ts) sends every row through the real use cases against the
 * sandbox, the browser runner (test/e2e/hostile.spec.ts) types the rows that reach a screen into
 * the panels.
 */

/** Where the input enters. */
export type HostileWhere =
  /** The case's number (`ticketnumber`), met by Prepare folder and Request files. */
  | "caseNumber"
  /** The case's account name, in the `{account}/{case}` layout. */
  | "accountName"
  /** The address typed into Share with customer / Request files. */
  | "email"
  /** Why the folder goes to someone other than the case's contact. */
  | "recipientReason"
  /** The invitation's message as the agent sends it. */
  | "message"
  /** A picked file's path relative to the picked folder, in the upload dialog. */
  | "fileName"
  /** The administrator's expiry reason (with `expiresOn`). */
  | "expiry"
  /** An environment variable's value (`setting` names it). */
  | "setting"
  /** An exchange's `cfx_weburl`, which anyone who may edit the row can write. */
  | "webUrl";

export type HostileExpectation =
  /** Refused with a ValidationError of this code: a sentence for a person, nothing written. */
  | { readonly refused: ValidationCode }
  /** Never a link: the panels show it as plain text and Copy link refuses. */
  | { readonly noLink: true }
  /** With the `{account}/{case}` layout the folder goes here (`{root}` and `{case}` filled in). */
  | { readonly folder: string };

export interface HostileInput {
  readonly id: string;
  readonly where: HostileWhere;
  readonly input: string;
  readonly expect: HostileExpectation;
  /** caseNumber: the pattern setting in force (an administrator widened it), else the default. */
  readonly pattern?: string;
  /** setting: the environment variable's schema name. */
  readonly setting?: string;
  /** email: recipient domain lists in force. */
  readonly allowedDomains?: readonly string[];
  readonly deniedDomains?: readonly string[];
  /** expiry: the new expiry, `now±Nd`, an ISO instant, `invalid`, or `keep` (no expiry). */
  readonly expiresOn?: string;
}

/** Lets any name through the pattern, so that SharePoint's own naming rules are what refuses it. */
const anyName = ".+";
const refused = (code: ValidationCode) => ({ refused: code }) as const;
const caseNumber = (id: string, input: string, code: ValidationCode, pattern?: string): HostileInput => ({
  id: `case-number/${id}`,
  where: "caseNumber",
  input,
  expect: refused(code),
  ...(pattern ? { pattern } : {}),
});
const email = (id: string, input: string, code: ValidationCode, lists: Partial<HostileInput> = {}): HostileInput => ({
  id: `email/${id}`,
  where: "email",
  input,
  expect: refused(code),
  ...lists,
});
const message = (id: string, input: string, code: ValidationCode): HostileInput => ({
  id: `message/${id}`,
  where: "message",
  input,
  expect: refused(code),
});
const fileName = (id: string, input: string, code: ValidationCode): HostileInput => ({
  id: `file-name/${id}`,
  where: "fileName",
  input,
  expect: refused(code),
});
const setting = (id: string, name: string, input: string): HostileInput => ({
  id: `setting/${id}`,
  where: "setting",
  setting: name,
  input,
  expect: refused("settingInvalid"),
});
const webUrl = (id: string, input: string): HostileInput => ({ id: `web-url/${id}`, where: "webUrl", input, expect: { noLink: true } });
const account = (id: string, input: string, folder: string): HostileInput => ({
  id: `account/${id}`,
  where: "accountName",
  input,
  expect: { folder },
});
const expiry = (id: string, expiresOn: string, reason: string, code: ValidationCode): HostileInput => ({
  id: `expiry/${id}`,
  where: "expiry",
  expiresOn,
  input: reason,
  expect: refused(code),
});

/** An existing case's number: the rows that differ from it must never reach its folder. */
export const EXISTING_CASE = "CAS-01003-G7H8J9";

export const hostileCorpus: readonly HostileInput[] = [
  // Case numbers: whitespace and invisible characters around or inside.
  caseNumber("leading-space", ` ${EXISTING_CASE}`, "caseNumberWhitespace"),
  caseNumber("trailing-space", `${EXISTING_CASE} `, "caseNumberWhitespace"),
  caseNumber("trailing-nbsp", `${EXISTING_CASE}\u00A0`, "caseNumberWhitespace"),
  caseNumber("trailing-crlf", `${EXISTING_CASE}\r\n`, "caseNumberWhitespace"),
  caseNumber("leading-bom", `\uFEFF${EXISTING_CASE}`, "caseNumberWhitespace"),
  caseNumber("trailing-zero-width-joiner", `${EXISTING_CASE}\u200D`, "caseNumberWhitespace"),
  caseNumber("zero-width-space-inside", "CAS-01003\u200B-G7H8J9", "caseNumberWhitespace"),
  caseNumber("rtl-override", "CAS-01003-\u202EG7H8J9", "caseNumberWhitespace"),
  caseNumber("space-inside", "CAS-01003- G7H8J9", "caseNumberPattern"),
  caseNumber("tab-inside", "CAS-01003-\tG7H8J9", "nameInvalidCharacters"),
  // Look-alikes.
  caseNumber("cyrillic-homoglyphs", "САS-01003-G7H8J9", "caseNumberPattern"),
  caseNumber("fullwidth-letters", "ＣＡＳ-01003-G7H8J9", "caseNumberPattern"),
  caseNumber("emoji", "CAS-01003-📁", "caseNumberPattern"),
  // Paths.
  caseNumber("traversal-slash", `../${EXISTING_CASE}`, "namePathSeparator", anyName),
  caseNumber("traversal-backslash", `..\\${EXISTING_CASE}`, "namePathSeparator", anyName),
  caseNumber("dot-dot", "..", "nameDotDot", anyName),
  caseNumber("encoded-dot-dot", "%2e%2e", "nameInvalidCharacters", anyName),
  caseNumber("encoded-slash", "CAS-01003%2FG7H8J9", "nameInvalidCharacters", anyName),
  // Names SharePoint reserves.
  caseNumber("con", "CON", "nameReserved", anyName),
  caseNumber("prn", "PRN", "nameReserved", anyName),
  caseNumber("aux", "aux", "nameReserved", anyName),
  caseNumber("nul", "NUL", "nameReserved", anyName),
  caseNumber("com1", "COM1", "nameReserved", anyName),
  caseNumber("lpt1", "LPT1", "nameReserved", anyName),
  caseNumber("vti", "CAS_vti_01", "nameReserved", anyName),
  caseNumber("desktop-ini", "desktop.ini", "nameReserved", anyName),
  caseNumber("office-lock", "~$CAS-01003", "nameReserved", anyName),
  caseNumber("forms", "Forms", "caseNumberPattern"),
  // Characters SharePoint refuses.
  caseNumber("double-quote", 'CAS-01003-"G7H8J9', "nameInvalidCharacters", anyName),
  caseNumber("asterisk", "CAS-01003-*", "nameInvalidCharacters", anyName),
  caseNumber("colon", "CAS:01003", "nameInvalidCharacters", anyName),
  caseNumber("less-than", "CAS<01003", "nameInvalidCharacters", anyName),
  caseNumber("greater-than", "CAS>01003", "nameInvalidCharacters", anyName),
  caseNumber("question-mark", "CAS-01003?", "nameInvalidCharacters", anyName),
  caseNumber("slash", "CAS/01003", "namePathSeparator", anyName),
  caseNumber("backslash", "CAS\\01003", "namePathSeparator", anyName),
  caseNumber("pipe", "CAS|01003", "nameInvalidCharacters", anyName),
  caseNumber("html", "<img src=x onerror=alert(1)>", "nameHtml", anyName),
  caseNumber("trailing-dot", `${EXISTING_CASE}.`, "nameLeadingOrTrailing", anyName),
  caseNumber("nul-char", `CAS-01003-G7H8J9\u0000`, "nameInvalidCharacters", anyName),
  caseNumber("bell-char", "CAS-01003-\u0007G7H8J9", "nameInvalidCharacters", anyName),
  caseNumber("empty", "", "caseNumberMissing"),
  caseNumber("blank", "   ", "caseNumberMissing"),
  // The column holds 100 characters: the longest number a case can have.
  caseNumber("column-length", `CAS-${"9".repeat(96)}`, "caseNumberPattern"),
  caseNumber("catastrophic-pattern", `${"a".repeat(40)}!`, "casePatternInvalid", "(a+)+$"),

  // Account names, `{account}/{case}` layout: nothing usable left falls back to `{case}`.
  account("only-dots", "...", "{root}/{case}"),
  account("only-spaces", "   ", "{root}/{case}"),
  account("only-invalid-characters", '<>:"/\\|?*', "{root}/{case}"),
  account("traversal", "..\\..\\", "{root}/{case}"),
  account("html-entity", "&amp;", "{root}/{case}"),
  account("invisible-only", "\u202E\u200B\u2066", "{root}/{case}"),
  account("reserved", "CON", "{root}/CON-account/{case}"),
  account("zero-width-inside", "Fab\u200Brikam, Inc.", "{root}/Fabrikam, Inc/{case}"),

  // E-mail addresses.
  email("display-name-injection", '"maria.lopez@fabrikam.example" <x@evil.example>', "emailInvalid"),
  email("display-name", "Maria <maria.lopez@fabrikam.example>", "emailInvalid"),
  email("crlf-bcc", "maria.lopez@fabrikam.example\r\nBcc: x@evil.example", "emailInvalid"),
  email("encoded-crlf", "maria.lopez@fabrikam.example%0d%0abcc:x@evil.example", "emailInvalid"),
  email("two-at-signs", "maria@lopez@fabrikam.example", "emailInvalid"),
  email("punycode-lookalike", "tom@xn--80ak6aa92e.com", "emailDomainLookalike"),
  email("unicode-lookalike", "tom@аррӏе.com", "emailInvalid"),
  email("cyrillic-i-in-domain", "maria@fabrіkam.example", "emailInvalid"),
  email("denied-domain", "x@evil.example", "emailDomainDenied", { deniedDomains: ["evil.example"] }),
  email("denied-subdomain", "x@mail.evil.example", "emailDomainDenied", { deniedDomains: ["evil.example"] }),
  email("allowed-domain-as-prefix", "x@fabrikam.example.evil.example", "emailDomainNotAllowed", { allowedDomains: ["fabrikam.example"] }),
  email("quoted-local-part", '"john..doe"@fabrikam.example', "emailInvalid"),
  email("quoted-space", '"maria lopez"@fabrikam.example', "emailInvalid"),
  email("very-long-local-part", `${"a".repeat(300)}@fabrikam.example`, "emailInvalid"),
  email("over-254", `x@${"d".repeat(63)}.${"e".repeat(63)}.${"f".repeat(63)}.${"g".repeat(63)}.example`, "emailInvalid"),
  email("comma-list", "maria.lopez@fabrikam.example, x@evil.example", "emailInvalid"),
  email("semicolon-list", "maria.lopez@fabrikam.example;x@evil.example", "emailInvalid"),
  email("zero-width-space", "maria.lopez@fabrikam.example\u200B", "emailInvalid"),
  email("script", "<script>alert(1)</script>@fabrikam.example", "emailInvalid"),
  email("empty", "", "emailInvalid"),

  // Reasons for another recipient.
  { id: "recipient-reason/empty", where: "recipientReason", input: "", expect: refused("reasonRequired") },
  { id: "recipient-reason/blank", where: "recipientReason", input: " \t ", expect: refused("reasonRequired") },
  { id: "recipient-reason/10k", where: "recipientReason", input: "r".repeat(10_000), expect: refused("reasonTooLong") },

  // Messages: plain text only, nothing filled in again.
  message("img-onerror", "<img src=x onerror=alert(1)>", "messageMarkup"),
  message("script", "Please upload.<script>alert(document.cookie)</script>", "messageMarkup"),
  message("javascript-anchor", '<a href="javascript:alert(1)">Open your files</a>', "messageMarkup"),
  message("entities", "&lt;b&gt;Urgent&lt;/b&gt;", "messageMarkup"),
  message("markdown-link", "Please sign in: [Open your files](https://evil.example/login)", "messageMarkup"),
  message("expires-on-placeholder", "Your files are deleted on {expiresOn}.", "messageUnfilledPlaceholder"),
  message("days-placeholder", "Upload within {days} days.", "messageUnfilledPlaceholder"),
  message("nested-placeholders", "{caseNumber}{contactName}", "messageUnfilledPlaceholder"),
  message("empty", "  ", "messageEmpty"),
  message("too-long", "x".repeat(2001), "messageTooLong"),

  // Files picked for upload.
  fileName("dot-dot", "..", "nameDotDot"),
  fileName("traversal", "disk/../../etc/passwd", "nameDotDot"),
  fileName("dot-lock", ".lock", "nameLeadingOrTrailing"),
  fileName("office-lock", "~$report.docx", "nameReserved"),
  fileName("256-characters", `${"n".repeat(252)}.txt`, "nameTooLong"),
  fileName("path-over-400", `${"d".repeat(200)}/${"e".repeat(200)}.txt`, "pathTooLong"),
  fileName("hash", "budget#1.xlsx", "nameInvalidCharacters"),
  fileName("percent", "100%.txt", "nameInvalidCharacters"),
  fileName("trailing-dot", "report.pdf.", "nameLeadingOrTrailing"),
  fileName("trailing-space", "report.pdf ", "nameLeadingOrTrailing"),
  fileName("html", "<img src=x onerror=alert(1)>.png", "nameHtml"),
  fileName("rtl-override", "invoice\u202Efdp.exe", "nameInvalidCharacters"),
  fileName("desktop-ini", "desktop.ini", "nameReserved"),
  fileName("vti-folder", "_vti_cnf/notes.txt", "nameReserved"),
  fileName("colon", "a:b.txt", "nameInvalidCharacters"),

  // The administrator's expiry changes.
  expiry("past", "now-1d", "Customer asked", "expiryInPast"),
  expiry("not-a-date", "invalid", "Customer asked", "expiryInvalid"),
  expiry("year-2099", "2099-12-31T00:00:00Z", "Customer asked", "expiryTooFar"),
  expiry("3651-days", "now+3651d", "Customer asked", "expiryTooFar"),
  expiry("empty-reason", "now+30d", "", "reasonRequired"),
  expiry("blank-reason-keep", "keep", "   ", "reasonRequired"),
  expiry("10k-reason", "now+30d", "r".repeat(10_000), "reasonTooLong"),

  // Settings.
  setting("upload-root-equals-backup-root-ignoring-case", "cfx_UploadRootFolder", "customer data migration"),
  setting("upload-root-equals-backup-root-with-spaces", "cfx_UploadRootFolder", " CUSTOMER DATA MIGRATION "),
  setting("upload-root-inside-backup-root", "cfx_UploadRootFolder", "Customer Data Migration/Inbox"),
  setting("root-con", "cfx_BackupRootFolder", "CON"),
  setting("root-forms", "cfx_BackupRootFolder", "Forms"),
  setting("root-vti", "cfx_UploadRootFolder", "_vti_bin"),
  setting("pattern-not-a-regex", "cfx_CaseNumberPattern", "(["),
  setting("pattern-catastrophic", "cfx_CaseNumberPattern", "(a+)+$"),
  setting("retention-zero", "cfx_BackupRetentionDays", "0"),
  setting("retention-negative", "cfx_BackupRetentionDays", "-5"),
  setting("retention-nan", "cfx_UploadRetentionDays", "NaN"),
  setting("retention-99999", "cfx_BackupRetentionDays", "99999"),
  setting("retention-exponent", "cfx_UploadRetentionDays", "1e3"),
  setting("site-javascript", "cfx_SharePointSiteUrl", "javascript:alert(1)"),
  setting("site-http", "cfx_SharePointSiteUrl", "http://contoso.sharepoint.com/sites/CustomerFiles"),
  setting("site-data", "cfx_SharePointSiteUrl", "data:text/html,<script>alert(1)</script>"),
  setting("denied-domain-not-a-domain", "cfx_RecipientDeniedDomains", "evil..example"),

  // Web URLs on an exchange row (`{site}` is the SharePoint site's origin, `{host}` its host).
  webUrl("javascript", "javascript:alert(1)"),
  webUrl("javascript-mixed-case", "JaVaScRiPt:alert(1)"),
  webUrl("javascript-with-tab", "java\tscript:alert(1)"),
  webUrl("data", "data:text/html,<script>alert(1)</script>"),
  webUrl("other-host", "https://evil.example/sites/CustomerFiles/Customer%20Data%20Migration"),
  webUrl("lookalike-path", "https://evil.example/{host}/sites/CustomerFiles"),
  webUrl("lookalike-userinfo", "https://{host}@evil.example/sites/CustomerFiles"),
  webUrl("credentials", "https://user:secret@{host}/sites/CustomerFiles"),
  webUrl("http-same-host", "http://{host}/sites/CustomerFiles"),
  webUrl("protocol-relative", "//evil.example/sites/CustomerFiles"),
  webUrl("leading-space", " {site}/sites/CustomerFiles"),
];
