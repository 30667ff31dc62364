import type { FormDef, FormItemDef, FormSectionDef, FormTabDef } from "../src/model/forms";
import { viewByKey } from "../src/model/views";
import { columnOf, tableByName, type ColumnDef } from "../src/model";
import { introducedVersion } from "./attributes";
import { componentId } from "./ids";
import { labels } from "./labels";
import { webResourceId } from "./webResources";
import { el, text, type XmlElement } from "./xml";

/** Control class ids Dataverse uses for each kind of column (as in any exported form). */
const controlClass: Readonly<Record<string, string>> = {
  string: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  memo: "{E0DECE4B-6FC8-4a8f-A065-082708572369}",
  integer: "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
  datetime: "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
  lookup: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  customer: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  owner: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  picklist: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
  status: "{5D68B988-0661-4db2-BC3E-17598AD3BE6C}",
  boolean: "{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}",
};
const webResourceClass = "{9FDF5F91-88B1-47f4-AD53-C11EFC01A01D}";
const subgridClass = "{E7A81278-8635-4d9e-8D4D-59480B391C5B}";

/** The id of a form: UUIDv5 of its key, so every build (and every org) has the same one. */
export function formId(form: FormDef): string {
  return componentId("form", form.key);
}

/** One `<systemform>` (inside `<forms type="main">`) as Dataverse exports a form. */
export function systemForm(form: FormDef): XmlElement {
  const id = (part: string) => componentId("form", `${form.key}/${part}`);
  return el(
    "systemform",
    {},
    text("formid", formId(form)),
    text("IntroducedVersion", introducedVersion),
    text("FormPresentation", 1),
    text("FormActivationState", 1),
    el(
      "form",
      {},
      el(
        "tabs",
        {},
        form.tabs.map((tab) => formTab(form, tab, id)),
      ),
      form.handlers.length > 0 &&
        el(
          "events",
          {},
          el(
            "event",
            { name: "onload", application: "false", active: "false" },
            el(
              "Handlers",
              {},
              form.handlers.map((h) =>
                el("Handler", {
                  functionName: h.functionName,
                  libraryName: form.libraries[0],
                  handlerUniqueId: id(`handler/${h.functionName}`),
                  enabled: "true",
                  parameters: "",
                  passExecutionContext: "true",
                }),
              ),
            ),
          ),
        ),
      form.libraries.length > 0 &&
        el(
          "formLibraries",
          {},
          form.libraries.map((name) => el("Library", { name, libraryUniqueId: id(`library/${name}`) })),
        ),
    ),
    text("IsCustomizable", 1),
    text("CanBeDeleted", 1),
    labels("LocalizedNames", "LocalizedName", form.name),
    labels("Descriptions", "Description", form.description),
  );
}

function formTab(form: FormDef, tab: FormTabDef, id: (part: string) => string): XmlElement {
  return el(
    "tab",
    { name: tab.name, verticallayout: "true", id: id(`tab/${tab.name}`), IsUserDefined: "1" },
    labels("labels", "label", tab.label),
    el(
      "columns",
      {},
      el(
        "column",
        { width: "100%" },
        el(
          "sections",
          {},
          tab.sections.map((s) => formSection(form, tab, s, id)),
        ),
      ),
    ),
  );
}

function formSection(form: FormDef, tab: FormTabDef, section: FormSectionDef, id: (part: string) => string): XmlElement {
  const rows: XmlElement[] = [];
  for (const item of section.items) {
    const cellId = id(`cell/${tab.name}/${section.name}/${itemKey(item)}`);
    rows.push(el("row", {}, cell(form, item, cellId)));
    const span = item.kind === "field" ? 1 : item.rows;
    // A tall control spans `rowspan` rows; the rows under it are written as empty stubs.
    for (let i = 1; i < span; i++) rows.push(el("row"));
  }
  return el(
    "section",
    {
      name: section.name,
      showlabel: String(section.showLabel),
      showbar: "false",
      columns: "1",
      IsUserDefined: "0",
      id: id(`section/${tab.name}/${section.name}`),
    },
    labels("labels", "label", section.label),
    el("rows", {}, rows),
  );
}

function itemKey(item: FormItemDef): string {
  return item.kind === "field" ? item.column : item.kind === "webresource" ? item.controlName : item.name;
}

function cell(form: FormDef, item: FormItemDef, cellId: string): XmlElement {
  switch (item.kind) {
    case "field": {
      const column = columnOf(tableByName(form.table), item.column);
      return el(
        "cell",
        { id: cellId, showlabel: "true", locklevel: "0" },
        labels("labels", "label", column.displayName),
        el("control", {
          id: column.logicalName,
          classid: classFor(form, column),
          datafieldname: column.logicalName,
          disabled: String(item.readOnly ?? false),
        }),
      );
    }
    case "webresource":
      return el(
        "cell",
        { id: cellId, showlabel: "false", locklevel: "0", rowspan: item.rows, colspan: "1" },
        labels("labels", "label", item.label),
        el(
          "control",
          { id: item.controlName, classid: webResourceClass },
          el(
            "parameters",
            {},
            text("Url", item.webResource),
            // "Pass record object-type code and unique identifier as parameters": the panel reads the record id.
            text("PassParameters", "true"),
            text("ShowOnMobileClient", "false"),
            text("Security", "false"),
            text("Scrolling", "auto"),
            text("Border", "false"),
            text("WebResourceId", webResourceId(item.webResource)),
          ),
        ),
      );
    case "subgrid":
      return el(
        "cell",
        { id: cellId, showlabel: "true", locklevel: "0", rowspan: item.rows, colspan: "1", auto: "false" },
        labels("labels", "label", item.label),
        el(
          "control",
          { id: item.name, classid: subgridClass, indicationOfSubgrid: "true" },
          el(
            "parameters",
            {},
            text("ViewId", componentId("view", viewByKey(item.view).key)),
            text("IsUserView", "false"),
            text("RelationshipName", item.relationship),
            text("TargetEntityType", item.table),
            text("AutoExpand", "Fixed"),
            text("EnableQuickFind", "false"),
            text("EnableViewPicker", "false"),
            text("EnableJumpBar", "false"),
            text("ChartGridMode", "Grid"),
            el("VisualizationId"),
            text("IsUserChart", "false"),
            text("EnableChartPicker", "false"),
            text("RecordsPerPage", 4),
          ),
        ),
      );
  }
}

function classFor(form: FormDef, column: ColumnDef): string {
  const cls = controlClass[column.type];
  if (!cls) throw new Error(`Form ${form.key}: the packer has no control for ${column.type} column ${column.logicalName}.`);
  return cls;
}
