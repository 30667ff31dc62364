import { hexCode, toDataverseError } from "../../../src/adapters/xrm/DataverseError";

describe("toDataverseError", () => {
  it.each([
    [{ errorCode: -2147220969, message: "Does Not Exist" }, "notFound", "0x80040217"],
    [{ errorCode: 2147746336, message: "missing privilege" }, "accessDenied", "0x80040220"],
    [{ code: "0x800404cf", message: "resolved" }, "inactiveRecord", "0x800404cf"],
    [{ errorCode: 0x80072322, message: "Number of requests exceeded" }, "throttled", "0x80072322"],
    [{ errorCode: -2147158777, message: "no AttributePrivilegeUpdate" }, "securedColumn", "0x8004f507"],
    [{ errorCode: -2147158782, message: "no create permissions to a secured field" }, "securedColumn", "0x8004f502"],
    [new TypeError("Failed to fetch"), "networkError", undefined],
    [{ errorCode: 123, message: "odd" }, "failed", "0x0000007b"],
  ])("maps %j to %s", (input, code, hex) => {
    const e = toDataverseError(input, "Doing it");
    expect(e).toMatchObject({ name: "DataverseError", code, dataverseCode: hex });
    expect(e.message).toMatch(/^Doing it: /);
    expect(e.cause).toBe(input);
  });

  it("reads hex codes in every form Xrm hands out", () => {
    expect(hexCode("-2147220969")).toBe("0x80040217");
    expect(hexCode("0x80040217")).toBe("0x80040217");
    expect(hexCode(undefined)).toBeUndefined();
  });
});
