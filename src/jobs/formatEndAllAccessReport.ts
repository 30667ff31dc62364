import type { EndAllAccessReport } from "../app/endAllAccess";

/** The report of `--end-all-access` as a few plain lines for a terminal or a scheduler's log. */
export function formatEndAllAccessReport(report: EndAllAccessReport): string {
  const c = report.counts;
  const would = report.dryRun ? " would be" : "";
  const lines = [
    `End all access ${report.dryRun ? "dry run" : "run"} at ${report.now}${report.complete ? "" : " (stopped at the deadline; run it again to continue)"}`,
    `  exchanges: ${c.ended} of ${c.exchanges} not deleted${report.dryRun ? " would have" : " had"} their access ended (recipients revoked, stage set to revoked, noted on the exchange and the case)`,
    `  removed:   ${c.permissionsRevoked} permission(s), ${c.recipientsRevoked} recipient(s) marked revoked${report.dryRun ? " (would be removed)" : ""}`,
    `  folders no exchange records: ${c.otherFolders}, ${c.otherFoldersWithAccess} of them with permissions${would} removed`,
    `  failures: ${c.failures}${c.failures ? " (run the command again; it continues where it stopped)" : ""}`,
  ];
  for (const f of report.folders)
    lines.push(
      `  folder: ${f.path}: ${f.permissions} permission(s) ${f.exchangeId ? `(exchange ${f.exchangeId})` : "(no exchange records it)"}`,
    );
  for (const f of report.failures)
    lines.push(`  failed ${f.step}: ${f.path ?? f.exchangeId ?? "-"}: ${f.code}${f.status ? ` ${f.status}` : ""}: ${f.message}`);
  return lines.join("\n");
}
