import { parseQuery } from "../../../sandbox/dataverse/odata";

const filter = (text: string) => parseQuery([["$filter", text]]).filter;

describe("the sandbox's OData $filter reads string literals as Dataverse does", () => {
  test.each([
    [
      "a folder path with spaces and a slash",
      "cfx_folderpath eq 'External Data Transfer/CAS-01002-D4E5F6'",
      "External Data Transfer/CAS-01002-D4E5F6",
    ],
    ["a doubled quote", "name eq 'O''Brien & Sons'", "O'Brien & Sons"],
    ["a percent sign and a hash", "name eq '50% #1'", "50% #1"],
    ["non-ASCII letters", "name eq 'Müller – Köln'", "Müller – Köln"],
  ])("%s", (_what, text, value) => {
    expect(filter(text)).toMatchObject({ kind: "compare", op: "eq", right: { kind: "literal", value } });
  });

  test("a navigation path outside a literal keeps its slash", () => {
    expect(filter("cfx_CaseId/ticketnumber eq 'CAS-1'")).toMatchObject({ left: { kind: "path", path: ["cfx_CaseId", "ticketnumber"] } });
  });
});
