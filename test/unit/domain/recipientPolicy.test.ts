import { approveRecipient, checkDomain, defaultRecipient, validateEmail } from "../../../src/domain/recipientPolicy";

const open = { allowedDomains: [], deniedDomains: [] };

describe("e-mail syntax", () => {
  test.each<[string | null, string | null]>([
    ["dana@clinic.example", "dana@clinic.example"],
    ["Dana.Dentist+scans@Clinic.Example", "Dana.Dentist+scans@clinic.example"],
    ["  dana@clinic.example ", "dana@clinic.example"],
    ["", null],
    [null, null],
    ["dana", null],
    ["dana@", null],
    ["@clinic.example", null],
    ["dana@clinic", null],
    ["dana@@clinic.example", null],
    ["da na@clinic.example", null],
    ["dana@clinic..example", null],
    [".dana@clinic.example", null],
    ["dana.@clinic.example", null],
    ["<script>@clinic.example", null],
    ["dana@clinic.example<script>", null],
    ["x".repeat(65) + "@clinic.example", null],
  ])("%p → %p", (input, expected) => {
    if (expected === null) expect(() => validateEmail(input)).toThrow(expect.objectContaining({ code: "emailInvalid" }));
    else expect(validateEmail(input)).toBe(expected);
  });
});

describe("domain lists", () => {
  test.each<[string, string[], string[], string | null]>([
    ["a@clinic.example", [], [], null],
    ["a@gmail.com", [], ["gmail.com"], "emailDomainDenied"],
    ["a@mail.gmail.com", [], ["gmail.com"], "emailDomainDenied"],
    ["a@notgmail.com", [], ["gmail.com"], null],
    ["a@clinic.example", ["clinic.example"], [], null],
    ["a@eu.clinic.example", ["clinic.example"], [], null],
    ["a@other.example", ["clinic.example"], [], "emailDomainNotAllowed"],
    ["a@clinic.example", ["clinic.example"], ["clinic.example"], "emailDomainDenied"],
  ])("%s allow %p deny %p → %p", (email, allowedDomains, deniedDomains, code) => {
    if (code) expect(() => checkDomain(email, { allowedDomains, deniedDomains })).toThrow(expect.objectContaining({ code }));
    else expect(() => checkDomain(email, { allowedDomains, deniedDomains })).not.toThrow();
  });
});

describe("the default recipient is the case's responsible contact", () => {
  test.each([
    [null, { kind: "noContact" }],
    [
      { id: "1", name: "Dana", email: null },
      { kind: "noEmail", name: "Dana" },
    ],
    [
      { id: "1", name: "Dana", email: "  " },
      { kind: "noEmail", name: "Dana" },
    ],
    [
      { id: "1", name: "Dana", email: "not-an-address" },
      { kind: "invalidEmail", name: "Dana", email: "not-an-address" },
    ],
    [
      { id: "1", name: "Dana", email: "Dana@Clinic.example" },
      { kind: "contact", name: "Dana", email: "Dana@clinic.example" },
    ],
  ])("%p → %p", (contact, expected) => {
    expect(defaultRecipient(contact)).toEqual(expected);
  });
});

describe("approving a recipient", () => {
  test("the contact's own address needs no confirmation", () => {
    expect(approveRecipient({ email: "DANA@clinic.example", contactEmail: "dana@clinic.example" }, open)).toEqual({
      email: "DANA@clinic.example",
      isContact: true,
    });
  });
  test.each<[object, string]>([
    [{ email: "other@clinic.example", contactEmail: "dana@clinic.example" }, "recipientNotContact"],
    [{ email: "other@clinic.example", contactEmail: null }, "recipientNotContact"],
    [{ email: "other@clinic.example", contactEmail: "dana@clinic.example", confirmedOther: true }, "reasonRequired"],
    [{ email: "other@clinic.example", contactEmail: "dana@clinic.example", confirmedOther: true, reason: " " }, "reasonRequired"],
    [{ email: "bad address", contactEmail: "dana@clinic.example", confirmedOther: true, reason: "x" }, "emailInvalid"],
  ])("%p → %s", (request, code) => {
    expect(() => approveRecipient(request as never, open)).toThrow(expect.objectContaining({ code }));
  });
  test("another address with confirmation and reason is approved and keeps the reason", () => {
    expect(
      approveRecipient(
        { email: "it@clinic.example", contactEmail: "dana@clinic.example", confirmedOther: true, reason: " Dana is away " },
        open,
      ),
    ).toEqual({ email: "it@clinic.example", isContact: false, reason: "Dana is away" });
  });
  test("the domain lists apply to the contact too", () => {
    expect(() =>
      approveRecipient({ email: "dana@gmail.com", contactEmail: "dana@gmail.com" }, { allowedDomains: [], deniedDomains: ["gmail.com"] }),
    ).toThrow(/deny list/);
  });
});
