import type { ArrivalsReport } from "../app/checkArrivals";
import type { SweepReport } from "../app/sweepExpired";
import { arrivalsLine } from "./formatArrivalsReport";

/** The report as a few plain lines for a terminal or a scheduler's log. */
export function formatReport(report: SweepReport & { readonly arrivals?: ArrivalsReport }): string {
  const c = report.counts;
  const would = report.dryRun ? "would be " : "";
  const lines = [
    `Retention ${report.dryRun ? "dry run" : "run"} at ${report.now}${report.complete ? "" : " (stopped at the deadline; the next run continues)"}`,
    `  warned:   ${c.warned} owner(s) ${report.dryRun ? "would be " : ""}warned of an expiry within the warning days`,
    `  deleted:  ${c.deleted} of ${c.expired} expired folder(s) ${would}deleted; ${c.permissionsRevoked} permission(s) and ${c.recipientsRevoked} recipient(s) revoked first`,
    `  kept:     ${c.kept} exchange(s) kept with no expiry (never touched)`,
    `  files:    ${c.filesDeleted} file(s) ${would}deleted on their own date; ${c.filesKept} kept file(s) left in expired folders`,
    `  closed:   ${c.closedCasesSeen} exchange(s) of cases seen closed, ${c.closedCasesReopened} of reopened cases; customers' access ${report.dryRun ? "would end" : "ended"} on ${c.accessEndedCaseClosed}`,
    `  orphans:  ${c.orphans} folder(s) with no exchange record, ${c.orphansDeleted} deleted; ${c.unrecognised} folder(s) not named like a case (never deleted)`,
    ...(report.arrivals ? [arrivalsLine(report.arrivals)] : []),
    `  failures: ${c.failures}${c.failures ? " (retried on the next run)" : ""}`,
  ];
  for (const o of report.orphans)
    lines.push(`  orphan ${o.action}: ${o.path} (created ${o.createdOn.slice(0, 10)}, deletable from ${o.deletableFrom.slice(0, 10)})`);
  for (const f of report.failures)
    lines.push(`  failed ${f.step}: ${f.path ?? f.exchangeId ?? "-"}: ${f.code}${f.status ? ` ${f.status}` : ""}: ${f.message}`);
  return lines.join("\n");
}
