import {
  failureDetails,
  jobHealth,
  jobRunOutcome,
  MAX_LISTED_FAILURES,
  type JobRun,
  type JobRunCounts,
} from "../../../src/domain/jobHealth";
import { JobHost, JobRunOutcome } from "../../../src/model";

const none: JobRunCounts = {
  warned: 0,
  expired: 0,
  deleted: 0,
  permissionsRevoked: 0,
  recipientsRevoked: 0,
  orphans: 0,
  orphansDeleted: 0,
  failures: 0,
};

describe("how a run ended", () => {
  test.each<[string, { stoppedBy?: unknown; counts: Partial<JobRunCounts> }, JobRunOutcome]>([
    ["nothing due, nothing failed", { counts: {} }, JobRunOutcome.succeeded],
    ["work done, nothing failed", { counts: { warned: 2, deleted: 3 } }, JobRunOutcome.succeeded],
    ["orphans only listed, nothing failed", { counts: { orphans: 4 } }, JobRunOutcome.succeeded],
    ["some deleted, one failed", { counts: { deleted: 3, failures: 1 } }, JobRunOutcome.completedWithFailures],
    ["only warned, one failed", { counts: { warned: 1, failures: 1 } }, JobRunOutcome.completedWithFailures],
    ["permissions removed, deletion failed", { counts: { permissionsRevoked: 2, failures: 1 } }, JobRunOutcome.completedWithFailures],
    ["failures and nothing done (a refused permission)", { counts: { expired: 5, failures: 5 } }, JobRunOutcome.failed],
    ["failures, orphans listed but none deleted", { counts: { orphans: 3, failures: 1 } }, JobRunOutcome.failed],
    ["stopped by an error", { stoppedBy: new Error("boom"), counts: {} }, JobRunOutcome.failed],
    ["stopped by an error after some work", { stoppedBy: new Error("boom"), counts: { deleted: 2 } }, JobRunOutcome.failed],
  ])("%s", (_name, input, expected) => {
    expect(jobRunOutcome({ stoppedBy: input.stoppedBy, counts: { ...none, ...input.counts } })).toBe(expected);
  });
});

const at = (iso: string) => new Date(iso);
const run = (finished: string, outcome: JobRunOutcome = JobRunOutcome.succeeded): JobRun => ({
  id: "run",
  name: "Retention run",
  host: JobHost.functions,
  outcome,
  startedOn: new Date(at(finished).getTime() - 60_000),
  finishedOn: at(finished),
  counts: none,
});

describe("whether the job is overdue", () => {
  const last = run("2027-01-10T02:20:00Z");
  test.each<[string, JobRun | undefined, string, number, ReturnType<typeof jobHealth>]>([
    ["no run ever succeeded", undefined, "2027-01-10T03:00:00Z", 26, { state: "neverSucceeded" }],
    [
      "an hour after the last success",
      last,
      "2027-01-10T03:20:00Z",
      26,
      { state: "onTime", lastSuccess: last, dueBy: at("2027-01-11T04:20:00Z") },
    ],
    [
      "exactly at the interval's end",
      last,
      "2027-01-11T04:20:00Z",
      26,
      { state: "onTime", lastSuccess: last, dueBy: at("2027-01-11T04:20:00Z") },
    ],
    [
      "a second past it",
      last,
      "2027-01-11T04:20:01Z",
      26,
      { state: "overdue", lastSuccess: last, overdueSince: at("2027-01-11T04:20:00Z") },
    ],
    ["two days later", last, "2027-01-12T02:20:00Z", 26, { state: "overdue", lastSuccess: last, overdueSince: at("2027-01-11T04:20:00Z") }],
    [
      "a weekly interval, five days later",
      last,
      "2027-01-15T02:20:00Z",
      170,
      { state: "onTime", lastSuccess: last, dueBy: at("2027-01-17T04:20:00Z") },
    ],
  ])("%s", (_name, lastSuccess, now, hours, expected) => {
    expect(jobHealth(lastSuccess, at(now), hours)).toEqual(expected);
  });
});

describe("what failed, as text", () => {
  const failure = (i: number) => ({ step: "delete", where: `CAS-0${i}`, code: "accessDenied", status: 403, message: "Access denied" });
  test.each<[string, Parameters<typeof failureDetails>, string | undefined]>([
    ["no failures", [[]], undefined],
    ["one failure", [[failure(1)]], "delete CAS-01: accessDenied 403: Access denied"],
    ["a failure without a place or status", [[{ step: "orphans", code: "error", message: "x" }]], "orphans: error: x"],
    ["the error that stopped the run", [[], "tokenRefused: AADSTS700027"], "The run stopped: tokenRefused: AADSTS700027"],
    [
      "more than are listed",
      [Array.from({ length: MAX_LISTED_FAILURES + 2 }, (_, i) => failure(i))],
      [...Array.from({ length: MAX_LISTED_FAILURES }, (_, i) => `delete CAS-0${i}: accessDenied 403: Access denied`), "… and 2 more."].join(
        "\n",
      ),
    ],
  ])("%s", (_name, args, expected) => {
    expect(failureDetails(...args)).toBe(expected);
  });

  test("never longer than the column", () => {
    const long = { step: "delete", code: "error", message: "x".repeat(3000) };
    expect(failureDetails([long, long])!.length).toBe(4000);
  });
});
