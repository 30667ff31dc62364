import type { ArrivalsReport } from "../app/checkArrivals";

const cursorWords: Readonly<Record<ArrivalsReport["cursor"], string>> = {
  advanced: "moved on",
  unchanged: "unchanged (nothing new)",
  lost: "moved on by another run first, which reports what arrived (this run told nobody)",
  notAdvanced: "kept where it was after a failure (the next run reads the same changes again)",
};

/** One line for the arrival check's counts, as the retention report and `--arrivals-only` print it. */
export function arrivalsLine(
  report: ArrivalsReport & { readonly requests?: { readonly dataverse: number; readonly graph: number } },
): string {
  const c = report.counts;
  const would = report.dryRun ? "would be " : "";
  const requests = report.requests ? `; ${report.requests.graph} Graph and ${report.requests.dataverse} Dataverse request(s)` : "";
  return (
    `  arrivals: ${c.files} file(s) in ${c.batches} batch(es) ${would}reported to ${c.exchangesTold} exchange(s)' agents; ` +
    `${c.replaced} replaced, ${c.deleted} deleted by the customer; ${c.changes} change(s) read${report.resynced ? " (the library was listed again: the link had expired)" : ""}${requests}`
  );
}

/** The report of `cfx-retention --arrivals-only` as a few plain lines. */
export function formatArrivalsReport(
  report: ArrivalsReport & { readonly requests?: { readonly dataverse: number; readonly graph: number } },
): string {
  const lines = [
    `Arrival check ${report.dryRun ? "dry run" : "run"} at ${report.now}`,
    arrivalsLine(report),
    `  cursor:   ${cursorWords[report.cursor]}`,
    `  failures: ${report.counts.failures}${report.counts.failures ? " (retried on the next run)" : ""}`,
  ];
  for (const f of report.failures)
    lines.push(`  failed ${f.step}: ${f.path ?? f.exchangeId ?? "-"}: ${f.code}${f.status ? ` ${f.status}` : ""}: ${f.message}`);
  return lines.join("\n");
}
