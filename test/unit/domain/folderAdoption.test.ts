import { checkFolderAdoption, type FolderHolder } from "../../../src/domain/folderAdoption";
import type { ValidationCode } from "../../../src/domain/errors";
import { ExchangeStage } from "../../../src/model";

const folder = { folderPath: "Customer Data Migration/CAS-01002-D4E5F6", driveId: "d1", itemId: "i1" };

const holder = (over: Partial<FolderHolder["exchange"]> = {}, caseNumber?: string): FolderHolder => ({
  exchange: {
    id: "x9",
    name: "CAS-01002-D4E5F6",
    caseId: "other-case",
    stage: ExchangeStage.shared,
    folderPath: folder.folderPath,
    driveId: "d1",
    itemId: "i1",
    ...over,
  },
  caseNumber,
});

function codeOf(fn: () => unknown): ValidationCode | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    return (e as { code: ValidationCode }).code;
  }
}

describe("adopting a folder that is already there", () => {
  test.each<[string, FolderHolder[], ValidationCode | "ok"]>([
    ["nobody records it", [], "ok"],
    ["this case's live exchange records it", [holder({ caseId: "this-case" })], "ok"],
    ["this case's id in braces and capitals", [holder({ caseId: "{THIS-CASE}" })], "ok"],
    ["another case records it by id and path", [holder()], "folderHeldByAnotherCase"],
    ["another case records it by id under another path", [holder({ folderPath: "Somewhere/else" })], "folderHeldByAnotherCase"],
    [
      "another case's deleted exchange records it by id (restored from the recycle bin)",
      [holder({ stage: ExchangeStage.deleted })],
      "folderHeldByAnotherCase",
    ],
    [
      "another case records its path in other letters",
      [holder({ itemId: "i-other", folderPath: folder.folderPath.toLowerCase() })],
      "folderHeldByAnotherCase",
    ],
    ["another case's deleted exchange had another folder at the path", [holder({ itemId: "i-old", stage: ExchangeStage.deleted })], "ok"],
    ["the same item id in another drive, another path", [holder({ driveId: "d2", folderPath: "x/y" })], "ok"],
    ["another case's exchange of another folder", [holder({ itemId: "i2", folderPath: "Customer Data Migration/CAS-01003-G7H8J9" })], "ok"],
  ])("%s → %s", (_, holders, expected) => {
    expect(codeOf(() => checkFolderAdoption(folder, "this-case", holders))).toBe(expected);
  });

  test("the refusal names the case whose exchange holds the folder, else the exchange's name", () => {
    expect(() => checkFolderAdoption(folder, "this-case", [holder({}, "CAS-01002-D4E5F6")])).toThrow(
      'The folder "Customer Data Migration/CAS-01002-D4E5F6" is already on SharePoint and is recorded by the exchange of case "CAS-01002-D4E5F6", so it is not used for this case.',
    );
    expect(() => checkFolderAdoption(folder, "this-case", [holder({ name: "CAS-01002-D4E5F6" })])).toThrow(/of case "CAS-01002-D4E5F6"/);
  });
});
