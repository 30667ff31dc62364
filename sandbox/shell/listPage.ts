import type { ViewDef } from "../../src/model/views";
import { catalog } from "../install/catalog";
import type { FilterExpr, ODataQuery } from "../dataverse/odata";
import { propertyNameOf } from "../dataverse/metadata";
import type { SandboxUser } from "../seed/people";
import { esc, icons, listUrl, recordUrl } from "./html";
import { commandButton, page } from "./layout";
import type { ApiRecord, ShellData } from "./records";

const F = "@OData.Community.Display.V1.FormattedValue";
const L = "@Microsoft.Dynamics.CRM.lookuplogicalname";

/** Public views of a table; the exchange list opens on the supervisors' view (the case's columns). */
export function viewsOf(table: string): ViewDef[] {
  const views = catalog().views.filter((v) => v.table === table && v.kind === "public");
  return views.sort((a, b) => rank(b) - rank(a));
}

function rank(v: ViewDef): number {
  return v.isDefault ? 2 : 1;
}

function filterOf(view: ViewDef, user: SandboxUser, now: Date): FilterExpr | undefined {
  const parts: FilterExpr[] = view.filter.map((c): FilterExpr => {
    const left = { kind: "path" as const, path: [c.column] };
    switch (c.operator) {
      case "next-x-days": {
        // FetchXML's next-x-days: from now to the end of the day N days ahead (UTC here).
        const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + Number(c.value) + 1) - 1000);
        const at = (d: Date) => ({ kind: "literal" as const, value: d.toISOString().replace(/\.\d{3}Z$/, "Z") });
        return {
          kind: "and",
          left: { kind: "compare", op: "ge", left, right: at(now) },
          right: { kind: "compare", op: "le", left, right: at(end) },
        };
      }
      case "null":
        return { kind: "compare", op: "eq", left, right: { kind: "literal", value: null } };
      case "not-null":
        return { kind: "compare", op: "ne", left, right: { kind: "literal", value: null } };
      case "eq-userid":
        return {
          kind: "compare",
          op: "eq",
          left: { kind: "path", path: [`_${c.column}_value`] },
          right: { kind: "literal", value: user.id },
        };
      default: {
        const n = Number(c.value);
        return { kind: "compare", op: c.operator, left, right: { kind: "literal", value: Number.isNaN(n) ? (c.value ?? null) : n } };
      }
    }
  });
  return parts.reduce<FilterExpr | undefined>((acc, p) => (acc ? { kind: "and", left: acc, right: p } : p), undefined);
}

/** A grid cell: the formatted value, lookups as links to their record. */
function cell(data: ShellData, table: string, record: ApiRecord | undefined, column: string, primary: boolean, id: string): string {
  if (!record) return "";
  const meta = data.meta(table);
  const def = meta.columns.get(column);
  if (!def) return "";
  const name = propertyNameOf(def);
  const raw = record[name];
  const shown = String(record[`${name}${F}`] ?? raw ?? "");
  if (primary) return `<a class="primary-link" href="${recordUrl(table, id)}">${esc(shown || "(No name)")}</a>`;
  if (name.startsWith("_") && raw) {
    const target = String(record[`${name}${L}`] ?? "");
    return `<a class="lookup-link" href="${recordUrl(target, String(raw))}">${esc(shown)}</a>`;
  }
  return esc(shown);
}

/** A view's rows as a grid (the list page's and the dashboard's), with how many rows it holds. */
export function viewGrid(
  data: ShellData,
  user: SandboxUser,
  table: string,
  view: ViewDef | undefined,
  label: string,
  sort?: GridSort,
): { html: string; count: number } {
  const meta = data.meta(table);
  // A column picked in the grid's header sorts the rows instead of the view's own order.
  const sorted = sort?.column && sortable(view, sort.column) && meta.columns.has(sort.column) ? sort : undefined;
  const order = sorted ? [{ column: sorted.column!, descending: sorted.descending }] : (view?.order ?? []);
  const query: ODataQuery = view
    ? {
        filter: filterOf(view, user, data.now()),
        orderBy: order.filter((o) => meta.columns.has(o.column)).map((o) => ({ path: [o.column], descending: o.descending })),
      }
    : {};
  const records = data.query(user, table, query);
  const columns = view?.columns ?? [{ column: meta.primaryName, width: 250 }];
  const header = columns
    .map((c) => {
      const linkDef = c.link ? view?.links?.find((l) => l.key === c.link) : undefined;
      const colTable = linkDef ? linkDef.table : table;
      const label = data.meta(colTable).columns.get(c.column)?.displayName ?? c.column;
      const suffix = linkDef ? ` (${data.meta(linkDef.table).table.displayName})` : "";
      if (!sort || !view || !sortable(view, c.column) || linkDef) return `<th style="width:${c.width}px">${esc(label + suffix)}</th>`;
      // The header sorts by its column, ascending first, then the other way (Unified Interface's "Sort A to Z / Z to A").
      const current = sorted?.column === c.column ? (sorted.descending ? "descending" : "ascending") : "none";
      const href = `${listUrl(table, view.key)}&sort=${encodeURIComponent(c.column)}&desc=${current === "ascending" ? 1 : 0}`;
      const arrow = current === "ascending" ? " ↑" : current === "descending" ? " ↓" : "";
      return `<th style="width:${c.width}px" aria-sort="${current}"><a class="sort-link" href="${esc(href)}">${esc(label + suffix)}${arrow}</a></th>`;
    })
    .join("");
  const body = records
    .map((r) => {
      const id = String(r[meta.primaryId]);
      const cells = columns
        .map((c) => {
          const linkDef = c.link ? view?.links?.find((l) => l.key === c.link) : undefined;
          if (linkDef) {
            const linkedId = r[`_${linkDef.to}_value`];
            const linked = typeof linkedId === "string" ? data.record(user, linkDef.table, linkedId) : undefined;
            // The linked record's name opens it (the case's title opens the case).
            const named = c.column === data.meta(linkDef.table).primaryName;
            return `<td>${cell(data, linkDef.table, linked, c.column, named, String(linkedId ?? ""))}</td>`;
          }
          // Only the table's primary name column opens the row, as in a Unified Interface grid:
          // a view without it lists rows nobody can open from there.
          return `<td>${cell(data, table, r, c.column, c.column === meta.primaryName, id)}</td>`;
        })
        .join("");
      return `<tr data-id="${esc(id)}"><td class="check"><span class="checkbox"></span></td>${cells}</tr>`;
    })
    .join("");
  const html = `<div class="grid-wrap"><table class="grid" aria-label="${esc(label)}"><thead><tr><th class="check"><span class="checkbox"></span></th>${header}</tr></thead><tbody>${body || `<tr><td colspan="${columns.length + 1}" class="empty">No data available.</td></tr>`}</tbody></table></div>`;
  return { html, count: records.length };
}

/** A sort picked in a list's header: a column of the view's own table, and its direction. */
export interface GridSort {
  readonly column?: string;
  readonly descending: boolean;
}

/** Whether the grid may sort by a column of the view: its own table's columns, as in Dataverse. */
function sortable(view: ViewDef | undefined, column: string): boolean {
  return view?.columns.some((c) => c.column === column && !c.link) ?? false;
}

/** `main.aspx?pagetype=entitylist&etn=…`: the table's view as a grid, sorted by a header's column when one was picked. */
export function renderList(
  data: ShellData,
  user: SandboxUser,
  table: string,
  viewKey: string | undefined,
  currentUrl: string,
  sort: GridSort = { descending: false },
): string {
  const meta = data.meta(table);
  const views = viewsOf(table);
  const view = views.find((v) => v.key === viewKey) ?? views[0];
  const grid = viewGrid(data, user, table, view, meta.table.displayCollectionName, sort);
  const viewMenu = views
    .map((v) => `<a href="${listUrl(table, v.key)}"${v === view ? ' class="current"' : ""}>${esc(v.name)}</a>`)
    .join("");
  const commandBar = [
    commandButton("Show Chart", "filter", 'data-command="noop"'),
    commandButton("New", "add", 'data-command="noop"'),
    commandButton("Refresh", "refresh", 'data-command="refresh"'),
    commandButton("Delete", "delete", 'data-command="noop"'),
    commandButton("Share", "share", 'data-command="noop"'),
    `<span class="cmd-fill"></span>`,
    commandButton("", "more", 'data-command="noop" aria-label="More commands"'),
  ].join("");
  const body_ = `<div class="list-head"><div class="view-selector"><button class="view-title" id="viewSelector">${esc(view?.name ?? meta.table.displayCollectionName)} ${icons.chevron}</button><div class="view-menu" hidden>${viewMenu}</div></div>
<div class="list-search"><input placeholder="Filter by keyword" aria-label="Filter by keyword"/>${icons.search}</div></div>
${grid.html}
<div class="grid-foot">1 - ${grid.count} of ${grid.count}</div>`;
  return page({ title: view?.name ?? meta.table.displayCollectionName, user, activeTable: table, commandBar, body: body_, currentUrl });
}
