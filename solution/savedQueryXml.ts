import { tableByName } from "../src/model";
import type { ViewDef, ViewKind } from "../src/model/views";
import { introducedVersion } from "./attributes";
import { componentId, uuidv5 } from "./ids";
import { labels } from "./labels";
import { el, text, type XmlElement } from "./xml";

/** Dataverse's `querytype` for each kind of system view. */
const queryType: Readonly<Record<ViewKind, number>> = { public: 0, advancedfind: 1, associated: 2, quickfind: 4, lookup: 64 };

export function viewId(view: ViewDef): string {
  return componentId("view", view.key);
}

/**
 * The FetchXML alias of a linked table. The view designer writes `a_` and 32 hex digits; ours are
 * derived from the view and link keys, so they look the same and never change.
 */
export function linkAlias(view: ViewDef, linkKey: string): string {
  return `a_${uuidv5(`cfx/view/${view.key}/link/${linkKey}`).replace(/-/g, "")}`;
}

/** One `<savedquery>`: the layout (grid columns) and the FetchXML query. */
export function savedQuery(view: ViewDef): XmlElement {
  // Views of ours beyond the standard set a table needs (the supervisors', and those on the Case) can be deleted.
  const custom = view.key.endsWith("/supervisor") || view.table === "incident";
  return el(
    "savedquery",
    {},
    text("IsCustomizable", 1),
    text("CanBeDeleted", custom ? 1 : 0),
    text("isquickfindquery", view.kind === "quickfind" ? 1 : 0),
    text("isprivate", 0),
    text("isdefault", view.isDefault ? 1 : 0),
    text("savedqueryid", viewId(view)),
    el("layoutxml", {}, layout(view)),
    text("querytype", queryType[view.kind]),
    el("fetchxml", {}, fetch(view)),
    text("IntroducedVersion", introducedVersion),
    labels("LocalizedNames", "LocalizedName", view.name),
    view.description !== undefined && labels("Descriptions", "Description", view.description),
  );
}

function layout(view: ViewDef): XmlElement {
  const table = tableByName(view.table);
  const named = view.kind === "associated" || view.kind === "lookup";
  return el(
    "grid",
    {
      name: named ? table.entitySetName : "resultset",
      jump: table.primaryNameColumn,
      select: "1",
      icon: "1",
      preview: view.kind === "lookup" ? "0" : "1",
    },
    el(
      "row",
      { name: named ? table.logicalName : "result", id: table.primaryIdColumn },
      view.columns.map((c) =>
        // A linked table's column cannot be sorted in the grid: Dataverse sorts only the view's own table.
        c.link
          ? el("cell", { name: `${linkAlias(view, c.link)}.${c.column}`, width: c.width, disableSorting: "1" })
          : el("cell", { name: c.column, width: c.width }),
      ),
    ),
  );
}

/** The view's FetchXML (also what validate-fragments.sh checks against Fetch.xsd). */
export function fetch(view: ViewDef): XmlElement {
  const table = tableByName(view.table);
  const own = view.columns.filter((c) => !c.link).map((c) => c.column);
  const attributes = [table.primaryIdColumn, ...own.filter((c) => c !== table.primaryIdColumn)];
  return el(
    "fetch",
    { version: "1.0", mapping: "logical" },
    el(
      "entity",
      { name: table.logicalName },
      attributes.map((name) => el("attribute", { name })),
      view.order.map((o) => el("order", { attribute: o.column, descending: String(o.descending) })),
      view.filter.length > 0 &&
        el(
          "filter",
          { type: "and" },
          view.filter.map((f) => el("condition", { attribute: f.column, operator: f.operator, value: f.value })),
        ),
      view.quickFindColumns &&
        el(
          "filter",
          { type: "or", isquickfindfields: "1" },
          view.quickFindColumns.map((column) => el("condition", { attribute: column, operator: "like", value: "{0}" })),
        ),
      (view.links ?? []).map((link) =>
        el(
          "link-entity",
          { alias: linkAlias(view, link.key), name: link.table, from: link.from, to: link.to, "link-type": "outer", visible: "false" },
          view.columns.filter((c) => c.link === link.key).map((c) => el("attribute", { name: c.column })),
        ),
      ),
    ),
  );
}
