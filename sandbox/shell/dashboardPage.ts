import type { DashboardDef, DashboardListDef } from "../../src/model/dashboards";
import { catalog } from "../install/catalog";
import type { SandboxUser } from "../seed/people";
import { esc, listUrl } from "./html";
import { commandButton, page } from "./layout";
import { viewGrid } from "./listPage";
import type { ShellData } from "./records";
import { webResourceCacheSegment } from "./webResources";

/** `main.aspx?pagetype=dashboard&id=…`: a dashboard's lists, as Unified Interface lays them out. */
export function renderDashboard(data: ShellData, user: SandboxUser, key: string | undefined, currentUrl: string, tail = ""): string {
  const { dashboards, views } = catalog();
  const dashboard: DashboardDef | undefined = dashboards.find((d) => d.key === key) ?? dashboards[0];
  if (!dashboard)
    return page({
      title: "Dashboards",
      user,
      activeTable: "dashboard",
      commandBar: "",
      body: "<p>No dashboard is installed.</p>",
      tail,
      currentUrl,
    });
  const tile = (list: DashboardListDef, wide: boolean) => {
    const view = views.find((v) => v.key === list.view);
    if (!view) return `<section class="dash-tile${wide ? " wide" : ""}"><p>This list's view is not installed.</p></section>`;
    const grid = viewGrid(data, user, view.table, view, view.name);
    return `<section class="dash-tile${wide ? " wide" : ""}" aria-label="${esc(view.name)}">
<header class="dash-tile-head"><a href="${listUrl(view.table, view.key)}">${esc(view.name)}</a><span class="dash-count">${grid.count}</span></header>
${view.description ? `<p class="dash-desc">${esc(view.description)}</p>` : ""}${grid.html}</section>`;
  };
  const commandBar = [
    commandButton("New", "add", 'data-command="noop"'),
    commandButton("Refresh all", "refresh", 'data-command="refresh"'),
    `<span class="cmd-fill"></span>`,
  ].join("");
  // A web resource across the top, in a frame as Unified Interface shows it (its height from the rows it spans).
  const header = dashboard.header
    ? `<section class="dash-tile wide dash-page" aria-label="${esc(dashboard.header.label)}"><iframe class="dash-frame" title="${esc(dashboard.header.label)}" src="/${webResourceCacheSegment}/WebResources/${esc(dashboard.header.webResource)}" style="height:${dashboard.header.rows * 44}px"></iframe></section>`
    : "";
  const body = `<div class="list-head"><h1 class="dash-title">${esc(dashboard.name)}</h1></div>
<div class="dash-grid">${header}${dashboard.top.map((l) => tile(l, false)).join("")}${tile(dashboard.wide, true)}</div>`;
  // The shell's context comes before its script, so the page has its `Xrm` for the web resources on it.
  return page({ title: dashboard.name, user, activeTable: "dashboard", commandBar, body, tail, currentUrl });
}
