import { JobHost, JobRunOutcome } from "../../model/choices";

/** The retention tile's texts (English; the dashboard's other labels come from the solution). */
export const healthStrings = {
  title: "Retention job",
  loading: "Reading the retention job's runs…",
  unavailable: "This page shows the retention job's health on the supervisors' dashboard; open it there.",
  onTime: "On time",
  overdue: "Overdue",
  lastSuccess: "Last successful run {finished} on {host}: {summary}.",
  dueBy: "The next run is expected by {dueBy}.",
  overdueSince:
    "Overdue since {since}: no successful run in the {hours} hours before. Until the job runs again, expired folders are not deleted and guests keep their access.",
  neverSucceeded: "No successful run is recorded. Until the job runs, expired folders are not deleted and guests keep their access.",
  whatToCheck:
    "Check the job's host: its log, its certificate (it may have expired) and its permissions on the site and in Dataverse. A run that cannot sign in cannot record itself here.",
  latest: "Latest run {started} on {host}: {outcome}.",
  failures: "What failed:",
  allRuns: "All runs",
  summary: "{warned} warned, {deleted} of {expired} expired folders deleted, {orphans} orphan folders",
  failureCount: "{count} failed",
  hosts: {
    [JobHost.cli]: "the command line",
    [JobHost.functions]: "Azure Functions",
    [JobHost.sandbox]: "the sandbox",
  } as Readonly<Record<number, string>>,
  outcomes: {
    [JobRunOutcome.succeeded]: "succeeded",
    [JobRunOutcome.completedWithFailures]: "completed with failures",
    [JobRunOutcome.failed]: "failed",
  } as Readonly<Record<number, string>>,
} as const;

/** Fills `{name}` placeholders. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
