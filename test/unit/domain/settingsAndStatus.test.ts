import { ExchangeDirection as D, ExchangeStage as S, settingDefs } from "../../../src/model";
import { parseSettings } from "../../../src/domain/settings";
import { statusSummary } from "../../../src/domain/statusSummary";

const required = {
  cfx_SharePointSiteUrl: "https://contoso.sharepoint.com/sites/CustomerFiles",
  cfx_EntraTenantId: "8c3b7f0e-5a1d-4d6e-9f2a-3b4c5d6e7f80",
  cfx_EntraClientId: "2f1e0d9c-8b7a-4c6d-9e5f-0a1b2c3d4e5f",
};

describe("settings", () => {
  test("every definition has a schema name with the publisher prefix and a default that parses", () => {
    const s = parseSettings(required);
    for (const def of settingDefs) {
      expect(def.schemaName).toMatch(/^cfx_[A-Za-z]+$/);
      // Only the one setting whose empty default means "off" parses to nothing.
      if (def.key === "closedCaseAccessDays") expect(s.closedCaseAccessDays).toBeUndefined();
      else expect(s[def.key as keyof typeof s]).toBeDefined();
    }
    expect(s).toMatchObject({
      libraryName: "Documents",
      backupRoot: "Customer Data Migration",
      uploadRoot: "External Data Transfer",
      folderLayout: "{case}",
      contactColumn: "primarycontactid",
      backupRetentionDays: 30,
      uploadRetentionDays: 7,
      warningDays: 3,
      permanentDelete: false,
      deleteOrphans: false,
      allowedDomains: [],
      deniedDomains: [],
      authority: "https://login.microsoftonline.com",
      graphEndpoint: "https://graph.microsoft.com",
      graphScopes: ["Files.ReadWrite.All"],
    });
    expect(s.shareMessageTemplates.backup.en).toMatch(/\{days\}/);
  });

  test("values override defaults, schema names in any case", () => {
    const s = parseSettings({
      ...required,
      cfx_backupretentiondays: "20",
      cfx_PermanentDelete: "yes",
      cfx_RecipientDeniedDomains: "gmail.com; @Outlook.com, ",
      cfx_FolderLayout: "{account}/{case}",
    });
    expect(s.backupRetentionDays).toBe(20);
    expect(s.permanentDelete).toBe(true);
    expect(s.deniedDomains).toEqual(["gmail.com", "outlook.com"]);
    expect(s.folderLayout).toBe("{account}/{case}");
  });

  test.each<[Record<string, string>, string, RegExp]>([
    [{ cfx_SharePointSiteUrl: "" }, "settingMissing", /cfx_SharePointSiteUrl .* has no value/],
    [{ cfx_EntraClientId: "" }, "settingMissing", /cfx_EntraClientId/],
    [{ cfx_SharePointSiteUrl: "http://contoso.sharepoint.com" }, "settingInvalid", /https URL/],
    [{ cfx_SharePointSiteUrl: "not a url" }, "settingInvalid", /https URL/],
    [{ cfx_BackupRetentionDays: "thirty" }, "settingInvalid", /whole number of days/],
    [{ cfx_BackupRetentionDays: "0" }, "settingInvalid", /between 1 and 3650/],
    [{ cfx_UploadRetentionDays: "-7" }, "settingInvalid", /whole number/],
    [{ cfx_ExpiryWarningDays: "7" }, "settingInvalid", /shorter than the shortest retention/],
    [{ cfx_PermanentDelete: "maybe" }, "settingInvalid", /yes or no/],
    [{ cfx_FolderLayout: "{case}/{account}" }, "settingInvalid", /must be \{case\} or/],
    [{ cfx_CaseNumberPattern: "([" }, "settingInvalid", /regular expression/],
    [{ cfx_ContactColumn: "primary contact" }, "settingInvalid", /logical name/],
    [{ cfx_BackupRootFolder: "Customer: Data" }, "settingInvalid", /character SharePoint does not allow/],
    [
      { cfx_UploadRootFolder: "Customer Data Migration" },
      "settingInvalid",
      /^The setting cfx_UploadRootFolder .* must differ from cfx_BackupRootFolder/,
    ],
    [{ cfx_UploadRootFolder: "  customer data MIGRATION " }, "settingInvalid", /cfx_UploadRootFolder .* ignoring letter case/],
    [
      { cfx_BackupRootFolder: "External Data Transfer", cfx_UploadRootFolder: "EXTERNAL DATA TRANSFER" },
      "settingInvalid",
      /cfx_UploadRootFolder .* must differ from cfx_BackupRootFolder \("External Data Transfer"\)/,
    ],
    [{ cfx_BackupRootFolder: "CON" }, "settingInvalid", /^The setting cfx_BackupRootFolder .* "CON" is a name SharePoint reserves/],
    [{ cfx_UploadRootFolder: "desktop.ini" }, "settingInvalid", /^The setting cfx_UploadRootFolder .* reserves/],
    [{ cfx_BackupRootFolder: "lpt1" }, "settingInvalid", /reserves/],
    [{ cfx_BackupRootFolder: "_vti_bin" }, "settingInvalid", /reserves/],
    [{ cfx_BackupRootFolder: "~$Backups" }, "settingInvalid", /reserves/],
    [{ cfx_BackupRootFolder: "Forms" }, "settingInvalid", /"Forms" is a name SharePoint reserves at the top of a library/],
    [{ cfx_UploadRootFolder: "forms" }, "settingInvalid", /^The setting cfx_UploadRootFolder .* reserves/],
    [{ cfx_BackupRootFolder: ".lock" }, "settingInvalid", /cfx_BackupRootFolder .* starts or ends with/],
    [{ cfx_BackupRootFolder: "<b>Backups</b>" }, "settingInvalid", /cfx_BackupRootFolder .* (HTML|character)/],
    [{ cfx_RecipientAllowedDomains: "clinic" }, "settingInvalid", /not a domain name/],
    [{ cfx_ShareMessageTemplates: "{" }, "settingInvalid", /not valid JSON/],
    [{ cfx_ShareMessageTemplates: '{"backup":{"de":"x"},"upload":{"en":"y"}}' }, "settingInvalid", /English/],
    [{ cfx_ShareMessageTemplates: '{"backup":{"en":"x"}}' }, "settingInvalid", /no "upload" texts/],
    [{ cfx_ShareMesageTemplates: "{}" }, "settingInvalid", /no setting called cfx_ShareMesageTemplates/],
  ])("%p → %s", (override, code, message) => {
    expect(() => parseSettings({ ...required, ...override })).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});

describe("root folder settings", () => {
  test.each<[string, string]>([
    ["Backups", "Uploads"],
    [" Customer Data Migration ", "Customer Data Migration 2"],
    ["Forms of data", "Formsets"],
  ])("%p and %p are two different folders", (backup, upload) => {
    const s = parseSettings({ ...required, cfx_BackupRootFolder: backup, cfx_UploadRootFolder: upload });
    expect([s.backupRoot, s.uploadRoot]).toEqual([backup.trim(), upload.trim()]);
  });
});

describe("status summaries", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  const soon = new Date("2026-11-30T12:00:00Z");
  const later = new Date("2026-12-20T12:00:00Z");
  const past = new Date("2026-11-27T12:00:00Z");
  test.each([
    [null, "notStarted", "neutral", null],
    [{ direction: D.backupForCustomer, stage: S.folderCreated, expiresOn: later }, "beingPrepared", "info", 22],
    [{ direction: D.backupForCustomer, stage: S.backupReady, expiresOn: later }, "readyToShare", "success", 22],
    [{ direction: D.backupForCustomer, stage: S.shared, expiresOn: soon }, "shared", "warning", 2],
    [{ direction: D.filesFromCustomer, stage: S.shared, expiresOn: later }, "awaitingFiles", "success", 22],
    [{ direction: D.filesFromCustomer, stage: S.filesReceived, expiresOn: past }, "filesReceived", "danger", 0],
    [{ direction: D.backupForCustomer, stage: S.revoked, expiresOn: later }, "revoked", "neutral", 22],
    [{ direction: D.backupForCustomer, stage: S.shared, expiresOn: null }, "shared", "success", null],
    [{ direction: D.backupForCustomer, stage: S.deleted, expiresOn: past }, "deleted", "neutral", null],
  ])("%p → %s (%s), %p days left", (exchange, kind, tone, days) => {
    const s = statusSummary(exchange as never, now, 3);
    expect([s.kind, s.tone, s.daysLeft]).toEqual([kind, tone, days]);
  });
});
