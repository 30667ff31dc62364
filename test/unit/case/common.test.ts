import { describeError, retryingText } from "../../../src/ui/common/errorText";
import { formatBytes, formatLongDate, localeFromLcid } from "../../../src/ui/common/format";
import { fill, plural } from "../../../src/ui/common/strings";
import { ValidationError } from "../../../src/domain/errors";
import { DataverseError } from "../../../src/adapters/xrm/DataverseError";
import { ShareRefusedError } from "../../../src/app/ShareRefusedError";
import { TokenError } from "../../../src/ports/TokenProvider";

describe("strings and formats", () => {
  it.each([
    [1033, "en-US"],
    [1031, "de-DE"],
    ["2057", "en-GB"],
    [9999, "en-US"],
    [undefined, "en-US"],
  ])("maps the Dynamics language %s to %s", (lcid, tag) => expect(localeFromLcid(lcid as number)).toBe(tag));

  it.each([
    [512, "en-GB", "512 bytes"],
    [1536, "en-GB", "1.5 kB"],
    [1610612736, "de-DE", "1,5 GB"],
    [150 * 1024 ** 2, "en-US", "150 MB"],
  ])("formats %d bytes in %s as %s", (n, locale, text) => expect(formatBytes(n, { locale }).replace(/\u00a0/g, " ")).toBe(text));

  it("formats the expiry as a long date in the user's zone", () => {
    expect(formatLongDate(new Date("2026-12-20T23:30:00Z"), { locale: "en-GB", timeZone: "Europe/Berlin" })).toBe("21 December 2026");
  });

  it("fills placeholders and keeps unknown ones visible", () => {
    expect(fill("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    expect(plural({ one: "{n} day left", other: "{n} days left" }, 1)).toBe("1 day left");
    expect(plural({ one: "{n} day left", other: "{n} days left" }, 28)).toBe("28 days left");
  });
});

describe("describeError", () => {
  it.each([
    [
      new ValidationError("emailDomainDenied", "The address x@y.example is on the deny list (y.example); files may not be shared with it."),
      "error",
      /deny list/,
    ],
    [new ValidationError("settingInvalid", "The setting cfx_X is broken."), "error", /settings need attention: The setting cfx_X/],
    [{ name: "GraphError", code: "accessDenied", status: 403, message: "" }, "blocked", /no access to the SharePoint library/],
    [{ name: "GraphError", code: "TooManyRequests", status: 429, message: "" }, "warning", /SharePoint is busy/],
    [{ name: "GraphError", code: "networkError", status: 0, message: "" }, "warning", /connection to SharePoint failed/],
    [{ name: "GraphError", code: "itemNotFound", status: 404, message: "" }, "error", /no longer in SharePoint/],
    [{ name: "GraphError", code: "fileUnreadable", status: 0, message: "" }, "error", /could not be read any more.*Pick it again/],
    [
      { name: "GraphError", code: "invalidRequest", innerCode: "secureSharingInvalidRequest", status: 400, message: "" },
      "blocked",
      /cannot be invited securely/,
    ],
    [
      new ShareRefusedError("notAllowed", "a@b.example", "no"),
      "blocked",
      /SharePoint refused to invite a@b.example: the tenant does not allow/,
    ],
    [new DataverseError("throttled", "x", 429), "warning", /Dynamics 365 is busy/],
    [new DataverseError("inactiveRecord", "x", 400), "warning", /resolved or cancelled/],
    [new DataverseError("securedColumn", "x", 403), "blocked", /not in the "Case File Exchange Administrators" field security profile/],
    [new TokenError("interactionRequired", "x"), "warning", /Sign in to SharePoint/],
    [new Error("boom"), "error", /Something went wrong: boom/],
  ])("turns %o into a %s sentence", (e, kind, text) => {
    const d = describeError(e);
    expect(d.kind).toBe(kind);
    expect(d.text).toMatch(text);
  });

  it("says how to get access, and what an administrator can change", () => {
    expect(describeError(new DataverseError("securedColumn", "x", 403)).howTo).toMatch(
      /Field Security Profiles → "Case File Exchange Administrators"/,
    );
    expect(describeError({ name: "GraphError", code: "accessDenied", status: 403, message: "" }).howTo).toMatch(/Request access/);
    expect(describeError(new ShareRefusedError("notAllowed", "a@b.example", "no")).howTo).toMatch(/An administrator can change this/);
  });

  it("counts down a throttle wait in whole seconds", () => {
    expect(retryingText(4000)).toBe("SharePoint is busy, retrying in 4 s.");
    expect(retryingText(2128)).toBe("SharePoint is busy, retrying in 2 s.");
  });
});
