import type { InstalledSolution } from "../install/catalog";
import type { ImportJob } from "../install/importSolution";
import type { SandboxUser } from "../seed/people";
import { esc } from "./html";
import { commandButton, page } from "./layout";

const time = (iso: string) => iso.replace("T", " ").replace(/\.\d{3}Z$/, " UTC");

/**
 * `main.aspx?pagetype=solutions`: the installed solutions with their versions, and the import
 * jobs with their logs, newest first — what a customizer reads after importing a zip.
 */
export function renderSolutions(
  user: SandboxUser,
  solutions: readonly InstalledSolution[],
  jobs: readonly ImportJob[],
  currentUrl: string,
): string {
  const installed = solutions
    .map(
      (s) =>
        `<tr><td>${esc(s.friendlyName)}</td><td>${esc(s.uniqueName)}</td><td>${esc(s.version)}</td><td>${s.managed ? "Managed" : "Unmanaged"}</td><td>${esc(s.publisher.uniqueName)} (${esc(s.publisher.prefix)}, ${s.publisher.optionValuePrefix})</td><td>${esc(time(s.installedOn))}</td></tr>`,
    )
    .join("");
  const log = jobs
    .map((job) => {
      const lines = job.log
        .map(
          (l) =>
            `<tr class="log-${l.level}"><td>${esc(time(l.at))}</td><td>${esc(l.level)}</td><td>${l.file ? `<code>${esc(l.file)}</code>` : ""}</td><td>${l.element ? `<code>${esc(l.element)}</code>` : ""}</td><td>${esc(l.message)}</td></tr>`,
        )
        .join("");
      return `<section class="import-job" aria-label="Import of ${esc(job.source)}">
<h2><span class="import-status ${job.succeeded ? "ok" : "failed"}">${job.succeeded ? "Succeeded" : "Failed"}</span> ${esc(job.solution ?? "Unknown solution")} ${esc(job.version ?? "")} <small>from ${esc(job.source)}, ${esc(time(job.completedOn))}</small></h2>
<div class="grid-wrap"><table class="grid small" aria-label="Import log"><thead><tr><th>Time</th><th>Level</th><th>File</th><th>Element</th><th>Message</th></tr></thead><tbody>${lines}</tbody></table></div></section>`;
    })
    .join("");
  const body = `<div class="list-head"><h1 class="dash-title">Solutions</h1></div>
<div class="grid-wrap"><table class="grid" aria-label="Installed solutions"><thead><tr><th>Display name</th><th>Name</th><th>Version</th><th>Package type</th><th>Publisher</th><th>Installed on</th></tr></thead><tbody>${installed || '<tr><td colspan="6" class="empty">No solution is installed.</td></tr>'}</tbody></table></div>
<div class="list-head"><h1 class="dash-title">Import history</h1></div>
${log || '<p class="empty">Nothing has been imported yet.</p>'}`;
  const commandBar = [commandButton("Refresh", "refresh", 'data-command="refresh"'), `<span class="cmd-fill"></span>`].join("");
  return page({ title: "Solutions", user, activeTable: "solutions", commandBar, body, currentUrl });
}
