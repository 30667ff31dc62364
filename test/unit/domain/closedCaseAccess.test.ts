import {
  accessEndsOn,
  closedCaseAccessEmail,
  closedCaseAccessNote,
  closedCaseStep,
  type ClosedCaseStep,
} from "../../../src/domain/closedCaseAccess";

const now = new Date("2026-12-10T12:00:00Z");
const at = (iso: string) => new Date(iso);
const ACTIVE = 0;
const RESOLVED = 1;
const CANCELLED = 2;

describe("following the case (now 2026-12-10 12:00 UTC)", () => {
  test.each<[string, number | undefined, number | undefined, string | undefined, ClosedCaseStep]>([
    ["setting off, case resolved", undefined, RESOLVED, undefined, "none"],
    ["setting off, seen closed earlier", undefined, RESOLVED, "2026-12-01T00:00:00Z", "none"],
    ["open case, never seen closed", 14, ACTIVE, undefined, "none"],
    ["case state unknown (could not be read)", 14, undefined, "2026-11-01T00:00:00Z", "none"],
    ["resolved, first sighting", 14, RESOLVED, undefined, "markSeen"],
    ["cancelled, first sighting", 14, CANCELLED, undefined, "markSeen"],
    ["resolved, first sighting, 0 days: at once", 0, RESOLVED, undefined, "markSeenAndEnd"],
    ["resolved, seen 13 days ago", 14, RESOLVED, "2026-11-27T12:00:00.001Z", "wait"],
    ["resolved, seen exactly 14 days ago", 14, RESOLVED, "2026-11-26T12:00:00Z", "endAccess"],
    ["cancelled, seen long ago", 14, CANCELLED, "2026-10-01T00:00:00Z", "endAccess"],
    ["reopened before the days passed", 14, ACTIVE, "2026-12-05T00:00:00Z", "clearSeen"],
    ["reopened after access had ended", 14, ACTIVE, "2026-10-01T00:00:00Z", "clearSeen"],
  ])("%s → %s", (_label, days, caseState, seenOn, expected) => {
    expect(closedCaseStep({ caseState, caseClosedSeenOn: seenOn ? at(seenOn) : undefined }, now, days)).toBe(expected);
  });

  test("access ends the set days after the first sighting", () => {
    expect(accessEndsOn(at("2026-12-01T08:00:00Z"), 14)).toEqual(at("2026-12-15T08:00:00Z"));
  });
});

describe("what people read", () => {
  test("the note names who was told and keeps the folder's expiry", () => {
    const note = closedCaseAccessNote({
      folderName: "CAS-01234-ABCDEF",
      days: 14,
      seenOn: at("2026-11-26T12:00:00Z"),
      emails: ["ann@fabrikam.example"],
      revokedCount: 1,
      expiresOn: at("2026-12-20T00:00:00Z"),
    });
    expect(note.subject).toBe("Customer access to CAS-01234-ABCDEF ended: case closed");
    expect(note.text).toContain("ended 14 days after that");
    expect(note.text).toContain("1 external permission was removed. ann@fabrikam.example was told by e-mail.");
    expect(note.text).toContain("The folder itself keeps its expiry, 2026-12-20 (UTC).");
  });

  test("the e-mail says why, and escapes what it quotes", () => {
    const mail = closedCaseAccessEmail({
      caseNumber: "CAS-01234-ABCDEF",
      caseTitle: "<b>Laptop</b> & dock",
      folderName: "CAS-01234-ABCDEF",
      expiresOn: at("2026-12-20T00:00:00Z"),
    });
    expect(mail.subject).toBe("Your access to the files of case CAS-01234-ABCDEF has ended");
    expect(mail.html).toContain("has been closed, so your access to the shared folder");
    expect(mail.html).toContain("&lt;b&gt;Laptop&lt;/b&gt; &amp; dock");
    expect(mail.html).not.toContain("<b>Laptop");
    expect(mail.html).toContain("stay until 2026-12-20");
  });
});
