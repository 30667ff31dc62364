import { ExchangeDirection } from "../../../src/model";
import {
  daysLeft,
  effectiveExpiry,
  type ExpiryEvidence,
  expiryFrom,
  formatExpiryDate,
  initialExpiry,
  isExpired,
  isExpiringSoon,
  latestExpiry,
  retentionDays,
  validateExpiryChange,
} from "../../../src/domain/expiry";

const created = new Date("2026-11-01T10:00:00Z");
const at = (iso: string) => new Date(iso);
const retention = { backupRetentionDays: 30, uploadRetentionDays: 7 };

describe("expiry is folder created on + N × 24 h", () => {
  test.each<[ExchangeDirection, string]>([
    [ExchangeDirection.backupForCustomer, "2026-12-01T10:00:00.000Z"],
    [ExchangeDirection.filesFromCustomer, "2026-11-08T10:00:00.000Z"],
  ])("direction %s expires at %s", (direction, expected) => {
    expect(expiryFrom(created, retentionDays(direction, retention)).toISOString()).toBe(expected);
  });

  test("an administrator's exchange starts with no expiry; anyone else's with the retention", () => {
    expect(
      initialExpiry({ direction: ExchangeDirection.backupForCustomer, folderCreatedOn: created, createdByAdministrator: true }, retention),
    ).toBeNull();
    expect(
      initialExpiry(
        { direction: ExchangeDirection.filesFromCustomer, folderCreatedOn: created, createdByAdministrator: false },
        retention,
      )?.toISOString(),
    ).toBe("2026-11-08T10:00:00.000Z");
  });
});

describe("days left are whole days rounded up", () => {
  const expires = at("2026-12-01T10:00:00Z");
  test.each<[string, number | null]>([
    ["2026-11-01T10:00:00Z", 30],
    ["2026-11-01T10:00:01Z", 30],
    ["2026-11-30T10:00:00Z", 1],
    ["2026-12-01T09:59:59Z", 1],
    ["2026-12-01T10:00:00Z", 0],
    ["2026-12-05T00:00:00Z", 0],
  ])("at %s → %p", (now, expected) => {
    expect(daysLeft(expires, at(now))).toBe(expected);
  });
  test("kept with no expiry has no days left", () => {
    expect(daysLeft(null, created)).toBeNull();
  });
});

describe("expiring soon and expired", () => {
  const expires = at("2026-12-01T10:00:00Z");
  test.each<[string, number, boolean, boolean]>([
    ["2026-11-20T10:00:00Z", 3, false, false],
    ["2026-11-28T10:00:00Z", 3, true, false],
    ["2026-11-28T09:59:59Z", 3, false, false],
    ["2026-12-01T09:00:00Z", 3, true, false],
    ["2026-12-01T10:00:00Z", 3, false, true],
    ["2026-11-30T10:00:00Z", 0, false, false],
  ])("at %s with %d warning days → soon %p, expired %p", (now, warn, soon, expired) => {
    expect(isExpiringSoon(expires, at(now), warn)).toBe(soon);
    expect(isExpired(expires, at(now))).toBe(expired);
  });
  test("a kept exchange is never expiring or expired", () => {
    expect(isExpiringSoon(null, at("2100-01-01T00:00:00Z"), 3)).toBe(false);
    expect(isExpired(null, at("2100-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("changing the expiry", () => {
  const now = at("2026-11-10T00:00:00Z");
  test.each<[Date | null, string, string | null]>([
    [at("2026-12-24T00:00:00Z"), "Customer on holiday", null],
    [null, "Legal hold", null],
    [at("2026-12-24T00:00:00Z"), "  ", "reasonRequired"],
    [null, "", "reasonRequired"],
    [at("2026-11-09T00:00:00Z"), "Too late", "expiryInPast"],
    [now, "Now", "expiryInPast"],
    [new Date("nonsense"), "Bad", "expiryInvalid"],
    [at("2036-11-07T00:00:00Z"), "Ten years, exactly 3650 days", null],
    [at("2036-11-07T00:00:00.001Z"), "A moment past 3650 days", "expiryTooFar"],
    [at("2100-01-01T00:00:00Z"), "Far", "expiryTooFar"],
    [new Date(8.64e15), "The last date there is", "expiryTooFar"],
  ])("%p with reason %p → %p", (expiresOn, reason, code) => {
    if (code) expect(() => validateExpiryChange({ expiresOn, reason }, now)).toThrow(expect.objectContaining({ code }));
    else expect(validateExpiryChange({ expiresOn, reason }, now)).toEqual({ expiresOn, reason: reason.trim() });
  });
});

test("a date too far says how far it may go and that keeping with no expiry is the way to keep for good", () => {
  const now = at("2026-11-10T00:00:00Z");
  expect(latestExpiry(now).toISOString()).toBe("2036-11-07T00:00:00.000Z");
  expect(() => validateExpiryChange({ expiresOn: at("2999-01-01T00:00:00Z"), reason: "x" }, now)).toThrow(
    "The new expiry can be at most 10 years (3650 days) from now, so no later than 7 November 2036 (UTC). To keep the folder longer, choose Keep with no expiry.",
  );
});

test("expiry dates are shown in the user's language and time zone", () => {
  const d = at("2026-12-01T23:30:00Z");
  expect(formatExpiryDate(d, "en-GB", "UTC")).toBe("1 December 2026");
  expect(formatExpiryDate(d, "en-US", "UTC")).toBe("December 1, 2026");
  expect(formatExpiryDate(d, "de-DE", "Europe/Berlin")).toBe("2. Dezember 2026");
});

describe("the expiry the retention job enforces (30 days for backups, 7 for files from the customer)", () => {
  const retention = { backupRetentionDays: 30, uploadRetentionDays: 7 };
  const at = (iso: string) => new Date(iso);
  const B = ExchangeDirection.backupForCustomer;
  const U = ExchangeDirection.filesFromCustomer;
  const created = "2026-11-01T09:00:00Z";
  test.each<[string, Partial<ExpiryEvidence>, string | null]>([
    ["announced as creation + retention", { expiresOn: at("2026-12-01T09:00:00Z") }, "2026-12-01T09:00:00.000Z"],
    ["announced date cleared: creation + retention", { expiresOn: null }, "2026-12-01T09:00:00.000Z"],
    ["announced date pushed to 2099: creation + retention", { expiresOn: at("2099-01-01T00:00:00Z") }, "2026-12-01T09:00:00.000Z"],
    ["announced date earlier: the earlier date", { expiresOn: at("2026-11-10T09:00:00Z") }, "2026-11-10T09:00:00.000Z"],
    ["files from the customer: 7 days", { direction: U, expiresOn: null }, "2026-11-08T09:00:00.000Z"],
    [
      "back-dated creation (overriddencreatedon later): the earlier",
      { createdOn: at("2026-10-01T09:00:00Z"), overriddenCreatedOn: at(created), expiresOn: null },
      "2026-10-31T09:00:00.000Z",
    ],
    [
      "a future createdon with the real instant kept: the earlier",
      { createdOn: at("2030-01-01T00:00:00Z"), overriddenCreatedOn: at(created), expiresOn: null },
      "2026-12-01T09:00:00.000Z",
    ],
    ["kept by an administrator", { expiresOn: null, keptSince: at("2026-11-02T00:00:00Z") }, null],
    [
      "kept wins over an override",
      { expiresOn: null, keptSince: at("2026-11-02T00:00:00Z"), expiryOverride: at("2026-11-05T00:00:00Z") },
      null,
    ],
    [
      "an administrator's later date",
      { expiresOn: at("2027-06-01T00:00:00Z"), expiryOverride: at("2027-06-01T00:00:00Z") },
      "2027-06-01T00:00:00.000Z",
    ],
    [
      "an administrator's earlier date",
      { expiresOn: at("2026-12-01T09:00:00Z"), expiryOverride: at("2026-11-05T00:00:00Z") },
      "2026-11-05T00:00:00.000Z",
    ],
  ])("%s", (_label, evidence, expected) => {
    const x: ExpiryEvidence = { direction: B, createdOn: at(created), expiresOn: null, ...evidence };
    expect(effectiveExpiry(x, retention)?.toISOString() ?? null).toBe(expected);
  });

  test("lowering the retention setting shortens folders that already exist", () => {
    const x: ExpiryEvidence = { direction: B, createdOn: at(created), expiresOn: at("2026-12-01T09:00:00Z") };
    expect(effectiveExpiry(x, { ...retention, backupRetentionDays: 10 })?.toISOString()).toBe("2026-11-11T09:00:00.000Z");
  });
});
