import { alignFragment, FRAGMENT_UNIT, MAX_FRAGMENT, MIN_FRAGMENT, nextFragmentSize } from "../../../src/adapters/graph/fragmentSizing";
import { isRewrittenBySharePoint } from "../../../src/adapters/graph/officeDocuments";

const MiB = 1024 * 1024;

describe("fragment sizing", () => {
  it("keeps fragments between 5 MiB and just under 60 MiB, in 320 KiB multiples", () => {
    expect(MIN_FRAGMENT).toBe(5 * MiB);
    expect(MAX_FRAGMENT).toBeLessThan(60 * MiB);
    expect(MAX_FRAGMENT % FRAGMENT_UNIT).toBe(0);
    for (const n of [0, 1, 5 * MiB + 1, 17 * MiB + 3, 100 * MiB]) {
      const size = alignFragment(n);
      expect(size % FRAGMENT_UNIT).toBe(0);
      expect(size).toBeGreaterThanOrEqual(MIN_FRAGMENT);
      expect(size).toBeLessThanOrEqual(MAX_FRAGMENT);
    }
  });

  it.each([
    ["grows toward two seconds of transfer, at most doubling", 5 * MiB, 100 * MiB, false, 10 * MiB],
    ["stays at the floor on a slow line", 5 * MiB, 1 * MiB, false, 5 * MiB],
    ["halves after a failure, not below the floor", 20 * MiB, 100 * MiB, true, 10 * MiB],
    ["keeps its size without a measurement", 10 * MiB, null, false, 10 * MiB],
    ["caps at the ceiling", 59 * MiB, 1000 * MiB, false, MAX_FRAGMENT],
  ])("%s", (_why, last, rate, failed, expected) => {
    expect(nextFragmentSize(last as number, rate as number | null, failed as boolean)).toBe(expected);
  });
});

describe("documents SharePoint rewrites", () => {
  it.each([
    ["Report.docx", true],
    ["BUDGET.XLSX", true],
    ["deck.pptx", true],
    ["old.doc", true],
    ["backup.bak", false],
    ["archive.zip", false],
    ["docx", false],
  ])("%s → %p", (name, expected) => {
    expect(isRewrittenBySharePoint(name as string)).toBe(expected);
  });
});
