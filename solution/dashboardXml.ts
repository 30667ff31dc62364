import type { DashboardDef, DashboardListDef, DashboardWebResourceDef } from "../src/model/dashboards";
import { viewByKey } from "../src/model/views";
import { introducedVersion } from "./attributes";
import { componentId } from "./ids";
import { labels } from "./labels";
import { viewId } from "./savedQueryXml";
import { webResourceId } from "./webResources";
import { el, text, type XmlElement } from "./xml";

/** A grid (or chart) on a form or dashboard: the same control class as a subgrid. */
const gridClass = "{E7A81278-8635-4d9e-8D4D-59480B391C5B}";
/** A web resource on a form or dashboard. */
const webResourceClass = "{9FDF5F91-88B1-47f4-AD53-C11EFC01A01D}";
/** How many rows a list on the top row spans, and the wide one under them. */
const TOP_ROWS = 12;
const WIDE_ROWS = 16;

/** The id of a dashboard: UUIDv5 of its key, the same in every build and every org. */
export function dashboardId(dashboard: DashboardDef): string {
  return componentId("dashboard", dashboard.key);
}

/**
 * One `<Dashboard>` of customizations.xml: a system form of type 0 whose FormXml is
 * `<forms type="dashboard"><form>…</form></forms>`, laid out as Microsoft's sample dashboards are
 * (one tab, one section of three columns, lists as grid controls over system views; a list that
 * spans rows is followed by that many empty rows).
 */
export function dashboardElement(dashboard: DashboardDef): XmlElement {
  if (dashboard.top.length > 3) throw new Error(`Dashboard ${dashboard.key}: at most three lists side by side.`);
  const id = (part: string) => componentId("dashboard", `${dashboard.key}/${part}`);
  const grid = (list: DashboardListDef, colspan: number, rowspan: number): XmlElement => {
    const view = viewByKey(list.view);
    return el(
      "cell",
      { colspan, rowspan, showlabel: "true", id: id(`cell/${list.view}`), auto: "false" },
      labels("labels", "label", view.name),
      el(
        "control",
        { id: `grid_${list.view.replace(/[^A-Za-z0-9]/g, "_")}`, classid: gridClass },
        el(
          "parameters",
          {},
          text("TargetEntityType", view.table),
          text("ChartGridMode", "Grid"),
          text("EnableQuickFind", "false"),
          text("EnableViewPicker", "false"),
          text("EnableJumpBar", "false"),
          text("RecordsPerPage", list.recordsPerPage),
          text("ViewId", viewId(view)),
          text("IsUserView", "false"),
          el("VisualizationId"),
          text("IsUserChart", "false"),
          text("EnableChartPicker", "false"),
        ),
      ),
    );
  };
  const page = (header: DashboardWebResourceDef, colspan: number): XmlElement =>
    el(
      "cell",
      { colspan, rowspan: header.rows, showlabel: "false", id: id(`cell/${header.webResource}`), auto: "false" },
      labels("labels", "label", header.label),
      el(
        "control",
        { id: `WebResource_${header.webResource.replace(/[^A-Za-z0-9]/g, "_")}`, classid: webResourceClass },
        el(
          "parameters",
          {},
          text("Url", header.webResource),
          // A dashboard has no record to pass; the page reads the runs itself.
          text("PassParameters", "false"),
          text("ShowOnMobileClient", "false"),
          text("Security", "false"),
          text("Scrolling", "auto"),
          text("Border", "false"),
          text("WebResourceId", webResourceId(header.webResource)),
        ),
      ),
    );
  const stubs = (n: number) => Array.from({ length: n - 1 }, () => el("row"));
  const columns = dashboard.top.length || 1;
  const form = el(
    "form",
    {},
    el(
      "tabs",
      {},
      el(
        "tab",
        { name: "dashboard", verticallayout: "true", id: id("tab"), showlabel: "false", locklevel: "0", expanded: "true" },
        labels("labels", "label", dashboard.name),
        el(
          "columns",
          {},
          el(
            "column",
            { width: "100%" },
            el(
              "sections",
              {},
              el(
                "section",
                { name: "lists", showlabel: "false", showbar: "false", columns: "1".repeat(columns), id: id("section") },
                labels("labels", "label", dashboard.name),
                el(
                  "rows",
                  {},
                  dashboard.header && el("row", {}, page(dashboard.header, columns)),
                  dashboard.header && stubs(dashboard.header.rows),
                  dashboard.top.length > 0 &&
                    el(
                      "row",
                      {},
                      dashboard.top.map((l) => grid(l, 1, TOP_ROWS)),
                    ),
                  dashboard.top.length > 0 && stubs(TOP_ROWS),
                  el("row", {}, grid(dashboard.wide, columns, WIDE_ROWS)),
                  stubs(WIDE_ROWS),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return el(
    "Dashboard",
    {},
    labels("LocalizedNames", "LocalizedName", dashboard.name),
    labels("Descriptions", "Description", dashboard.description),
    text("FormId", dashboardId(dashboard)),
    text("IsCustomizable", 1),
    text("CanBeDeleted", 1),
    text("IsDefault", 0),
    el("FormXml", {}, el("forms", { type: "dashboard" }, form)),
    text("IntroducedVersion", introducedVersion),
    text("IsTabletEnabled", 0),
  );
}
