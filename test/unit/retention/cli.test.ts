import type { EndAllAccessReport } from "../../../src/app/endAllAccess";
import type { SweepReport } from "../../../src/app/sweepExpired";
import { formatEndAllAccessReport } from "../../../src/jobs/formatEndAllAccessReport";
import { parseArgs, runCli } from "../../../src/jobs/cli";
import { ExitCode, exitCodeFor } from "../../../src/jobs/exitCodes";
import { formatReport } from "../../../src/jobs/formatReport";
import { readJobConfig } from "../../../src/jobs/jobConfig";
import { isJobConfigError } from "../../../src/jobs/JobConfigError";

const report = (over: Partial<SweepReport> = {}): SweepReport => ({
  now: "2026-12-01T12:00:00.000Z",
  startedAt: "2026-12-01T12:00:00.000Z",
  finishedAt: "2026-12-01T12:00:01.000Z",
  dryRun: false,
  complete: true,
  counts: {
    warned: 1,
    expired: 2,
    permissionsRevoked: 3,
    recipientsRevoked: 2,
    deleted: 2,
    kept: 4,
    filesDeleted: 0,
    filesKept: 0,
    closedCasesSeen: 0,
    closedCasesReopened: 0,
    accessEndedCaseClosed: 0,
    orphans: 1,
    orphansDeleted: 0,
    unrecognised: 0,
    failures: 0,
  },
  orphans: [
    {
      path: "Customer Data Migration/CAS-09001-ZZZZZZ",
      createdOn: "2026-10-01T00:00:00.000Z",
      deletableFrom: "2026-10-31T00:00:00.000Z",
      action: "reported",
    },
  ],
  unrecognised: [],
  failures: [],
  ...over,
});

describe("command line", () => {
  test.each<[string[], Partial<ReturnType<typeof parseArgs>>]>([
    [[], { dryRun: false, json: false, verbose: false }],
    [["--dry-run", "--verbose"], { dryRun: true, verbose: true }],
    [["--now", "2027-01-01T00:00:00Z"], { now: new Date("2027-01-01T00:00:00Z") }],
    [["--now=2027-01-01"], { now: new Date("2027-01-01T00:00:00Z") }],
    [["--max-minutes", "4", "--json"], { maxMinutes: 4, json: true }],
    [[], { endAllAccess: false }],
    [["--end-all-access", "--dry-run"], { endAllAccess: true, dryRun: true }],
  ])("%j parses", (argv, expected) => {
    expect(parseArgs(argv)).toMatchObject(expected);
  });

  test.each([[["--now", "tomorrow"]], [["--max-minutes", "0"]], [["--delete-everything"]], [["--now"]]])("%j is refused", (argv) => {
    expect(() => parseArgs(argv)).toThrow();
  });

  test("a bad command line exits 2 with the usage", async () => {
    const err: string[] = [];
    await expect(runCli(["--bogus"], {}, { out: () => undefined, err: (t) => err.push(t) })).resolves.toBe(ExitCode.usage);
    expect(err.join("")).toContain("Usage: cfx-retention");
  });

  test("missing configuration exits 3 and names the variable", async () => {
    const err: string[] = [];
    await expect(runCli([], {}, { out: () => undefined, err: (t) => err.push(t) })).resolves.toBe(ExitCode.couldNotRun);
    expect(err.join("")).toContain("CFX_DATAVERSE_URL");
  });
});

describe("configuration", () => {
  test("a plain-http organization URL is refused with a JobConfigError", () => {
    let caught: unknown;
    try {
      readJobConfig({ CFX_DATAVERSE_URL: "http://contoso.crm.dynamics.com", CFX_TENANT_ID: "t", CFX_CLIENT_ID: "c" });
    } catch (e) {
      caught = e;
    }
    expect(isJobConfigError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "configInvalid", variable: "CFX_DATAVERSE_URL" });
  });
});

describe("exit codes a scheduler understands", () => {
  test.each<[string, Partial<SweepReport>, number]>([
    ["all done", {}, 0],
    ["some items failed", { failures: [{ step: "delete", code: "resourceLocked", message: "locked" }] }, 1],
    ["stopped at the deadline", { complete: false }, 4],
    ["failed and stopped: failures win", { complete: false, failures: [{ step: "warn", code: "x", message: "y" }] }, 1],
  ])("%s → %s", (_label, over, code) => {
    expect(exitCodeFor(report(over))).toBe(code);
  });
});

test("the printed report has counts of warned, deleted, orphans and failures, and lists each orphan and failure", () => {
  const text = formatReport(
    report({
      failures: [
        { step: "delete", path: "Customer Data Migration/CAS-01000-AAAAAA", code: "resourceLocked", status: 423, message: "locked" },
      ],
    }),
  );
  expect(text).toContain("warned:   1");
  expect(text).toContain("deleted:  2 of 2 expired folder(s) deleted; 3 permission(s) and 2 recipient(s) revoked first");
  expect(text).toContain("orphan reported: Customer Data Migration/CAS-09001-ZZZZZZ");
  expect(text).toContain("failed delete: Customer Data Migration/CAS-01000-AAAAAA: resourceLocked 423: locked");
});

const ended = (over: Partial<EndAllAccessReport> = {}): EndAllAccessReport => ({
  command: "endAllAccess",
  now: "2026-12-01T12:00:00.000Z",
  startedAt: "2026-12-01T12:00:00.000Z",
  finishedAt: "2026-12-01T12:00:01.000Z",
  dryRun: false,
  complete: true,
  counts: { exchanges: 5, ended: 4, permissionsRevoked: 6, recipientsRevoked: 3, otherFolders: 2, otherFoldersWithAccess: 1, failures: 0 },
  folders: [
    { path: "Customer Data Migration/CAS-01000-AAAAAA", exchangeId: "x1", permissions: 5 },
    { path: "Customer Data Migration/CAS-09001-ZZZZZZ", permissions: 1 },
  ],
  failures: [],
  ...over,
});

describe("--end-all-access", () => {
  test("its printed report says what was removed, from which folders, and what failed", () => {
    const text = formatEndAllAccessReport(
      ended({
        failures: [{ step: "revoke", path: "External Data Transfer/CAS-01001-BBBBBB", code: "accessDenied", status: 403, message: "no" }],
      }),
    );
    expect(text).toContain("End all access run at 2026-12-01T12:00:00.000Z");
    expect(text).toContain(
      "exchanges: 4 of 5 not deleted had their access ended (recipients revoked, stage set to revoked, noted on the exchange and the case)",
    );
    expect(text).toContain("removed:   6 permission(s), 3 recipient(s) marked revoked");
    expect(text).toContain("folders no exchange records: 2, 1 of them with permissions removed");
    expect(text).toContain("folder: Customer Data Migration/CAS-01000-AAAAAA: 5 permission(s) (exchange x1)");
    expect(text).toContain("folder: Customer Data Migration/CAS-09001-ZZZZZZ: 1 permission(s) (no exchange records it)");
    expect(text).toContain("failed revoke: External Data Transfer/CAS-01001-BBBBBB: accessDenied 403: no");
    expect(formatEndAllAccessReport(ended({ dryRun: true }))).toContain("would be removed");
  });

  test.each<[string, Partial<EndAllAccessReport>, number]>([
    ["all done", {}, 0],
    ["something failed", { failures: [{ step: "orphans", code: "x", message: "y" }] }, 1],
    ["stopped at the deadline", { complete: false }, 4],
  ])("exits %s → %s", (_label, over, code) => {
    expect(exitCodeFor(ended(over))).toBe(code);
  });
});
