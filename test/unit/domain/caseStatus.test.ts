import { caseStatusKind, caseStatusKinds } from "../../../src/domain/statusSummary";
import { ExchangeDirection, ExchangeStage, type RollupConditionDef } from "../../../src/model";
import { caseStatusColumns, caseStatusCountColumns } from "../../../src/model/caseStatus";

const { backupForCustomer: backup, filesFromCustomer: files } = ExchangeDirection;
const S = ExchangeStage;

describe("caseStatusKind: which of the case's status counts an exchange adds to", () => {
  test.each([
    [backup, S.folderCreated, null],
    [backup, S.backupReady, "readyToShare"],
    [backup, S.shared, "shared"],
    [backup, S.revoked, null],
    [backup, S.deleted, null],
    [files, S.folderCreated, null],
    [files, S.shared, "awaitingFiles"],
    [files, S.filesReceived, "filesReceived"],
    [files, S.revoked, null],
    [files, S.deleted, null],
  ] as const)("direction %i, stage %i → %s", (direction, stage, expected) => {
    expect(caseStatusKind({ direction, stage })).toBe(expected);
  });
});

/** Whether an exchange row meets a rollup's conditions, as Dataverse filters the related rows. */
function matches(row: Record<string, unknown>, conditions: readonly RollupConditionDef[]): boolean {
  return conditions.every((c) =>
    c.operator === "eq" ? row[c.column] === c.value : c.operator === "ne" ? row[c.column] !== c.value : row[c.column] != null,
  );
}

describe("the Case's count columns count exactly what the domain rule says", () => {
  const directions = Object.values(ExchangeDirection);
  const stages = Object.values(ExchangeStage);
  const combinations = directions.flatMap((direction) => stages.map((stage) => [direction, stage] as const));

  test.each(combinations)("direction %i, stage %i is counted in its status's column only", (direction, stage) => {
    const row = { statecode: 0, cfx_direction: direction, cfx_stage: stage, cfx_expireson: "2026-01-01T00:00:00Z" };
    const counted = caseStatusKinds.filter((kind) => matches(row, caseStatusCountColumns[kind].rollup!.conditions));
    const kind = caseStatusKind({ direction, stage });
    expect(counted).toEqual(kind === null ? [] : [kind]);
  });

  test("an inactive exchange counts nowhere", () => {
    const row = { statecode: 1, cfx_direction: directions[0], cfx_stage: ExchangeStage.backupReady };
    expect(caseStatusColumns.filter((c) => matches(row, c.rollup!.conditions))).toEqual([]);
  });

  test("a deleted folder has no next deletion and no files", () => {
    const row = { statecode: 0, cfx_direction: directions[0], cfx_stage: ExchangeStage.deleted, cfx_expireson: "2026-01-01T00:00:00Z" };
    const aggregating = caseStatusColumns.filter((c) => c.rollup!.aggregate !== "count");
    expect(aggregating.filter((c) => matches(row, c.rollup!.conditions))).toEqual([]);
  });
});
