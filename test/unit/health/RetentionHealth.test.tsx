/** @jest-environment jsdom */
import { fireEvent, render, screen } from "@testing-library/react";
import { jobHealth, type JobRun } from "../../../src/domain/jobHealth";
import { JobHost, JobRunOutcome } from "../../../src/model";
import { RetentionHealth } from "../../../src/ui/health/RetentionHealth";

const locale = { locale: "en-US", timeZone: "UTC" };
const run = (over: Partial<JobRun> = {}): JobRun => ({
  id: "a",
  name: "Retention run",
  host: JobHost.functions,
  outcome: JobRunOutcome.succeeded,
  startedOn: new Date("2027-01-07T02:15:00Z"),
  finishedOn: new Date("2027-01-07T02:16:00Z"),
  counts: { warned: 3, expired: 9, deleted: 9, permissionsRevoked: 4, recipientsRevoked: 4, orphans: 1, orphansDeleted: 0, failures: 0 },
  ...over,
});

test("on time: the last successful run, what it did, and when the next is due", () => {
  const last = run();
  const onOpenRuns = jest.fn();
  render(
    <RetentionHealth
      health={jobHealth(last, new Date("2027-01-07T12:00:00Z"), 26)}
      latest={last}
      overdueHours={26}
      locale={locale}
      onOpenRuns={onOpenRuns}
    />,
  );
  expect(screen.getByRole("status").textContent).toBe("On time");
  screen.getByText(
    "Last successful run Jan 7, 2027, 2:16 AM on Azure Functions: 3 warned, 9 of 9 expired folders deleted, 1 orphan folders.",
  );
  screen.getByText("The next run is expected by Jan 8, 2027, 4:16 AM.");
  expect(screen.queryByText("What failed:")).toBeNull();
  fireEvent.click(screen.getByRole("button", { name: "All runs" }));
  expect(onOpenRuns).toHaveBeenCalledTimes(1);
});

test("overdue: since when, the last successful run, and the latest run's failures", () => {
  const last = run();
  const latest = run({
    id: "b",
    host: JobHost.cli,
    outcome: JobRunOutcome.failed,
    startedOn: new Date("2027-01-08T02:15:00Z"),
    finishedOn: new Date("2027-01-08T02:15:10Z"),
    counts: { ...last.counts, warned: 0, deleted: 0, failures: 2 },
    failureDetails: "delete A: accessDenied 403: Access denied\ndelete B: accessDenied 403: Access denied",
  });
  render(
    <RetentionHealth health={jobHealth(last, new Date("2027-01-09T00:00:00Z"), 26)} latest={latest} overdueHours={26} locale={locale} />,
  );
  expect(screen.getByRole("status").textContent).toBe("Overdue");
  screen.getByText(
    "Overdue since Jan 8, 2027, 4:16 AM: no successful run in the 26 hours before. Until the job runs again, expired folders are not deleted and guests keep their access.",
  );
  screen.getByText(/^Last successful run Jan 7, 2027, 2:16 AM on Azure Functions/);
  screen.getByText("Latest run Jan 8, 2027, 2:15 AM on the command line: failed.");
  expect(screen.getByText(/^delete A: accessDenied 403/).textContent).toBe(latest.failureDetails);
});

test("never: no successful run recorded says what that means", () => {
  render(<RetentionHealth health={jobHealth(undefined, new Date("2027-01-09T00:00:00Z"), 26)} overdueHours={26} locale={locale} />);
  expect(screen.getByRole("status").textContent).toBe("Overdue");
  screen.getByText("No successful run is recorded. Until the job runs, expired folders are not deleted and guests keep their access.");
  expect(screen.queryByText(/^Last successful run/)).toBeNull();
});
