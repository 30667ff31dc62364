import { DOMParser, type Element, type Node } from "@xmldom/xmldom";
import type { DashboardDef, DashboardListDef, DashboardWebResourceDef } from "../../src/model/dashboards";
import type { FormDef, FormHandlerDef, FormItemDef, FormSectionDef, FormTabDef } from "../../src/model/forms";
import type { CommandDef } from "../../src/model/ribbon";
import type { ViewColumnDef, ViewConditionDef, ViewDef, ViewKind, ViewLinkDef } from "../../src/model/views";
import { SolutionImportError } from "./SolutionImportError";

/**
 * Reads what the app shell draws (main forms, system views, dashboards, form command bar buttons)
 * from a solution's customizations.xml, as Dataverse does on import: by element name, never by
 * attribute order or layout, accepting what a Dataverse export of the same thing writes.
 *
 * Names: a form, view or dashboard is keyed by its id (lower case, no braces), and every reference
 * to a view (a subgrid's, a dashboard list's) is that id too. A command is keyed by the `Id` of its
 * RibbonDiffXml `CommandDefinition`, the id the button's `Command` names (the packer writes
 * `cfx.<table>.<key>.Command`); two buttons of one form that share a command share that key.
 *
 * What the shell cannot draw is left out, as an empty cell would be: form controls other than
 * fields, web resources and subgrids (timeline, quick view, charts…), header and footer, inactive
 * forms, views of other query types (offline, Outlook…), dashboard components other than lists,
 * buttons outside the form command bar. What would change behaviour if it were left out (a filter,
 * a join, a rule, a script the sandbox cannot run) or what cannot be read at all is refused with
 * a SolutionImportError naming the element, so the sandbox is never kinder than Dataverse.
 * The model has no visibility: a tab, section or control written `visible="false"` is read as shown.
 */
export interface ReadUi {
  readonly forms: readonly FormDef[];
  readonly views: readonly ViewDef[];
  readonly dashboards: readonly DashboardDef[];
  readonly commands: readonly CommandDef[];
}

const FILE = "customizations.xml";

/** The organization's base language: labels in it win, as the sandbox's users all read English. */
const BASE_LANGUAGE = "1033";

/** Control classes, compared lower case without braces (exports mix the case within one id). */
const WEB_RESOURCE_CLASS = "9fdf5f91-88b1-47f4-ad53-c11efc01a01d";
const GRID_CLASS = "e7a81278-8635-4d9e-8d4d-59480b391c5b";

/** The standard controls bound to a column (text, number, date, lookup, choice, yes/no, file…). */
const FIELD_CLASSES: ReadonlySet<string> = new Set([
  "4273edbd-ac1d-40d3-9fb2-095c621b552d", // text
  "ada2203e-b4cd-49be-9ddf-234642b43b52", // e-mail
  "8c10015a-b339-4982-9474-a95fe05631a5", // phone
  "71716b6c-711e-476c-8ab8-5d11542bfb47", // URL
  "1e1fc551-f7a8-43af-ac34-a8dc35c7b6d4", // ticker symbol
  "e0dece4b-6fc8-4a8f-a065-082708572369", // multiple lines of text
  "c6d124ca-7eda-4a60-aea9-7fb8d318b68f", // whole number
  "aa987274-ce4e-4271-a803-66164311a958", // duration
  "671a9387-ca5a-4d1e-8ab7-06e39ddcf6b5", // language
  "7c624a0b-f59e-493d-9583-638d34759266", // time zone
  "c3efe0c3-0ec6-42be-8349-cbd9079dfd8e", // decimal
  "0d2c745a-e5a8-4c8f-ba63-c6d3bb604660", // floating point
  "533b9e00-756b-4312-95a0-dc888637ac78", // currency
  "5b773807-9fb2-42db-97c3-7a91eff8adff", // date and time
  "270bd3db-d9af-4782-9025-509e298dec0a", // lookup, customer, owner
  "f3015350-44a2-4aa0-97b5-00166532b5e9", // regarding
  "cbfb742c-14e7-4a17-96bb-1a13f7f64aa2", // party list
  "3ef39988-22bb-4f0b-bbbe-64b5a3748aee", // choice
  "4aa28ab7-9c13-4f57-a73d-ad894d048b5f", // choices (multi-select)
  "5d68b988-0661-4db2-bc3e-17598ad3be6c", // status reason
  "67fac785-cd58-4f9f-abb3-4b7ddc6ed5ed", // yes/no
  "b0c6723a-8503-4fd7-bb28-c8a06ac933c2", // yes/no as a check box
  "0a7ff475-b016-4687-9ce5-042bfdbd6519", // file
  "7e548b0d-209c-477b-9dcd-f0f44472381d", // image
]);

/** Dataverse's `querytype` of each kind of view the shell lists (solution/savedQueryXml.ts writes the same). */
const VIEW_KINDS: ReadonlyMap<number, ViewKind> = new Map([
  [0, "public"],
  [1, "advancedfind"],
  [2, "associated"],
  [4, "quickfind"],
  [64, "lookup"],
]);

const OPERATORS: ReadonlySet<string> = new Set<ViewConditionDef["operator"]>(["eq", "ne", "null", "not-null", "eq-userid", "next-x-days"]);

/** Rows per page of a list that does not say (RecordsPerPage is optional): what the packer writes for a subgrid. */
const DEFAULT_RECORDS_PER_PAGE = 4;

/** Width of a layoutxml column that does not say (`width` is optional). */
const DEFAULT_COLUMN_WIDTH = 100;

/** Reads the forms, views, dashboards and commands of a solution's customizations.xml; throws SolutionImportError for what it cannot. */
export function readUi(customizationsXml: string): ReadUi {
  const root = parse(customizationsXml);
  const entities = select(root, "Entities/Entity").map(entityOf);
  return {
    forms: unique(entities.flatMap(readForms), "systemform"),
    views: unique(entities.flatMap(readViews), "savedquery"),
    dashboards: unique(readDashboards(root), "Dashboard"),
    commands: entities.flatMap(readCommands),
  };
}

// ---------------------------------------------------------------------------------------------
// XML access: direct children by name, trimmed text, attributes as `undefined` when absent.

function fail(element: string, reason: string): never {
  throw new SolutionImportError(FILE, element, reason);
}

function parse(xml: string): Element {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(message);
    },
  });
  let root: Element | null;
  try {
    root = parser.parseFromString(xml, "text/xml").documentElement;
  } catch (e) {
    return fail("ImportExportXml", `the file is not well-formed XML (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!root || root.tagName !== "ImportExportXml") return fail(root?.tagName ?? "(document)", "the root element is not ImportExportXml");
  return root;
}

function isElement(node: Node): node is Element {
  return node.nodeType === 1;
}

/** The child elements named `name` (all of them when no name is given). */
function children(parent: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (isElement(n) && (name === undefined || n.tagName === name)) out.push(n);
  return out;
}

function child(parent: Element, name: string): Element | undefined {
  return children(parent, name)[0];
}

/** Every element at the end of a `/`-separated path of child names (`tabs/tab/columns/column`). */
function select(parent: Element, path: string): Element[] {
  return path.split("/").reduce<Element[]>((at, name) => at.flatMap((e) => children(e, name)), [parent]);
}

function required(parent: Element, name: string, where: string): Element {
  return child(parent, name) ?? fail(where, `has no ${name}`);
}

function attr(el: Element, name: string): string | undefined {
  return el.getAttribute(name) ?? undefined;
}

function requiredAttr(el: Element, name: string, where: string): string {
  const value = attr(el, name)?.trim();
  return value ? value : fail(where, `has no ${name} attribute`);
}

function text(el: Element): string {
  return (el.textContent ?? "").trim();
}

/** The trimmed text of child `name`, `undefined` when the child is absent or empty. */
function childText(parent: Element, name: string): string | undefined {
  const el = child(parent, name);
  const value = el ? text(el) : "";
  return value === "" ? undefined : value;
}

function requiredText(parent: Element, name: string, where: string): string {
  return childText(parent, name) ?? fail(where, `has no ${name}`);
}

/** An id as the catalog keys it: lower case, no braces. */
function id(value: string, where: string): string {
  const bare = value
    .trim()
    .replace(/^\{(.*)\}$/, "$1")
    .toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(bare)) fail(where, `"${value}" is not an id (a GUID)`);
  return bare;
}

/** An `xs:boolean` value (`true`, `false`, `1`, `0`), or `fallback` when absent. */
function bool(value: string | undefined, fallback: boolean, where: string): boolean {
  if (value === undefined) return fallback;
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return fail(where, `"${value}" is not true or false`);
}

function integer(value: string, where: string): number {
  if (!/^-?\d+$/.test(value.trim())) fail(where, `"${value}" is not a whole number`);
  return Number(value);
}

/** `<wrapper><item description languagecode /></wrapper>`: the base language's text, else the first. */
function localized(parent: Element, wrapper: string, item: string): string | undefined {
  const w = child(parent, wrapper);
  if (!w) return undefined;
  const items = children(w, item);
  const chosen = items.find((i) => attr(i, "languagecode") === BASE_LANGUAGE) ?? items[0];
  return chosen ? attr(chosen, "description") : undefined;
}

/** Ids must be unique within the file: two components with one id would be one component in Dataverse. */
function unique<T extends { readonly key: string }>(items: T[], element: string): T[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.key)) fail(`${element} {${item.key}}`, "the id is used by another component of the file");
    seen.add(item.key);
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Entities

interface EntityXml {
  readonly el: Element;
  /** The table's logical name: its schema name in lower case. */
  readonly table: string;
  readonly where: string;
}

function entityOf(el: Element): EntityXml {
  const table = requiredText(el, "Name", "Entity").toLowerCase();
  return { el, table, where: `Entity ${table}` };
}

// ---------------------------------------------------------------------------------------------
// Forms: `<FormXml><forms type="main"><systemform>`

function readForms(entity: EntityXml): FormDef[] {
  return select(entity.el, "FormXml/forms")
    .filter((forms) => attr(forms, "type") === "main")
    .flatMap((forms) => children(forms, "systemform"))
    .filter((form) => isActive(form, entity.where))
    .map((form) => readForm(form, entity));
}

/** An inactive form (`FormActivationState` 0) is never shown to anyone. */
function isActive(systemForm: Element, where: string): boolean {
  const state = childText(systemForm, "FormActivationState");
  return state === undefined || integer(state, `${where}/systemform/FormActivationState`) !== 0;
}

function readForm(systemForm: Element, entity: EntityXml): FormDef {
  const formId = id(requiredText(systemForm, "formid", `${entity.where}/systemform`), `${entity.where}/systemform/formid`);
  const where = `${entity.where}/systemform {${formId}}`;
  const form = required(systemForm, "form", where);
  const libraries = select(form, "formLibraries/Library").map((l) => requiredAttr(l, "name", `${where}/formLibraries/Library`));
  return {
    key: formId,
    table: entity.table,
    type: "main",
    name: localized(systemForm, "LocalizedNames", "LocalizedName") ?? fail(where, "has no LocalizedNames"),
    description: localized(systemForm, "Descriptions", "Description") ?? "",
    tabs: select(required(form, "tabs", where), "tab").map((tab) => readTab(tab, where)),
    libraries,
    handlers: readHandlers(form, libraries, where),
  };
}

/** A tab or section without a name (the designer may leave it out) is known by its id. */
function layoutName(el: Element, where: string): string {
  const name = attr(el, "name")?.trim();
  if (name) return name;
  const elementId = attr(el, "id");
  return elementId ? id(elementId, where) : fail(where, "has neither a name nor an id");
}

function readTab(tab: Element, formWhere: string): FormTabDef {
  const name = layoutName(tab, `${formWhere}/tab`);
  const where = `${formWhere}/tab ${name}`;
  refuseHandlers(tab, where);
  return {
    name,
    label: localized(tab, "labels", "label") ?? "",
    // Columns side by side are drawn one under the other: the shell lays out one column.
    sections: select(tab, "columns/column/sections/section").map((s) => readSection(s, where)),
  };
}

function readSection(section: Element, tabWhere: string): FormSectionDef {
  const name = layoutName(section, `${tabWhere}/section`);
  const where = `${tabWhere}/section ${name}`;
  return {
    name,
    label: localized(section, "labels", "label") ?? "",
    showLabel: bool(attr(section, "showlabel"), true, `${where} showlabel`),
    items: select(section, "rows/row/cell").flatMap((cell) => readCell(cell, where)),
  };
}

/** The item a cell holds: none for an empty cell (the stub rows under a tall control) or a control the shell cannot draw. */
function readCell(cell: Element, sectionWhere: string): FormItemDef[] {
  const control = child(cell, "control");
  if (!control) return [];
  const classId = attr(control, "classid");
  const cls = classId === undefined ? undefined : id(classId, `${sectionWhere}/control classid`);
  const where = `${sectionWhere}/control ${attr(control, "id") ?? "(no id)"}`;
  if (cls === WEB_RESOURCE_CLASS) return [readWebResource(cell, control, where)];
  if (cls === GRID_CLASS) return isChart(control) ? [] : [readSubgrid(cell, control, where)];
  // A control without a class is the column's default control.
  if (cls === undefined ? attr(control, "datafieldname") !== undefined : FIELD_CLASSES.has(cls)) return [readField(control, where)];
  return [];
}

function readField(control: Element, where: string): FormItemDef {
  const column = requiredAttr(control, "datafieldname", where);
  const readOnly = bool(attr(control, "disabled"), false, `${where} disabled`);
  return readOnly ? { kind: "field", column, readOnly } : { kind: "field", column };
}

function parameter(control: Element, name: string): string | undefined {
  const parameters = child(control, "parameters");
  return parameters ? childText(parameters, name) : undefined;
}

/** Rows a cell spans (`rowspan`, 1 when absent). */
function rowSpan(cell: Element, where: string): number {
  const span = attr(cell, "rowspan");
  return span === undefined ? 1 : integer(span, `${where} rowspan`);
}

function readWebResource(cell: Element, control: Element, where: string): FormItemDef {
  const url = parameter(control, "Url") ?? fail(where, "has no Url parameter: which web resource it shows is unknown");
  return {
    kind: "webresource",
    controlName: requiredAttr(control, "id", where),
    webResource: url.replace(/^\$webresource:/, ""),
    label: localized(cell, "labels", "label") ?? "",
    rows: rowSpan(cell, where),
  };
}

/** A grid in chart mode shows a chart, which the shell does not draw. */
function isChart(control: Element): boolean {
  return parameter(control, "ChartGridMode") === "Chart";
}

/** The system view a grid shows; a personal view (`IsUserView`) cannot travel in a solution. */
function gridView(control: Element, where: string): string {
  if (bool(parameter(control, "IsUserView"), false, `${where}/IsUserView`))
    fail(where, "shows a personal view (IsUserView), which no solution carries");
  const viewId = parameter(control, "ViewId") ?? fail(where, "has no ViewId: which view it lists is unknown");
  return id(viewId, `${where}/ViewId`);
}

function readSubgrid(cell: Element, control: Element, where: string): FormItemDef {
  const relationship = parameter(control, "RelationshipName");
  if (!relationship) fail(where, "has no RelationshipName: the sandbox draws subgrids of related rows only");
  return {
    kind: "subgrid",
    name: requiredAttr(control, "id", where),
    label: localized(cell, "labels", "label") ?? "",
    table: parameter(control, "TargetEntityType") ?? fail(where, "has no TargetEntityType"),
    relationship,
    view: gridView(control, where),
    rows: rowSpan(cell, where),
  };
}

/** The enabled custom handlers of `<events>` under `el` (the platform's `InternalHandlers` are its own). */
function customHandlers(el: Element, where: string): { event: Element; handler: Element }[] {
  return select(el, "events/event").flatMap((event) =>
    select(event, "Handlers/Handler")
      .filter((handler) => bool(attr(handler, "enabled"), true, `${where}/Handler enabled`))
      .map((handler) => ({ event, handler })),
  );
}

/** Tab events (`tabstatechange`) run scripts the shell never calls: refused rather than silently skipped. */
function refuseHandlers(tab: Element, where: string): void {
  const [first] = customHandlers(tab, where);
  if (first) fail(`${where}/event ${attr(first.event, "name") ?? ""}`, "the sandbox runs form scripts on the form's onload only");
}

function readHandlers(form: Element, libraries: readonly string[], formWhere: string): FormHandlerDef[] {
  return customHandlers(form, formWhere).map(({ event, handler }) => {
    const name = (attr(event, "name") ?? "").toLowerCase();
    const where = `${formWhere}/event ${name || "(no name)"}/Handler`;
    if (name !== "onload" || attr(event, "attribute") !== undefined) fail(where, "the sandbox runs form scripts on the form's onload only");
    const functionName = requiredAttr(handler, "functionName", where);
    const library = requiredAttr(handler, "libraryName", `${where} ${functionName}`);
    // The model keeps no library per handler: the shell loads every library of the form before onload.
    if (!libraries.includes(library)) fail(`${where} ${functionName}`, `its library ${library} is not one of the form's formLibraries`);
    return { event: "onload", functionName };
  });
}

// ---------------------------------------------------------------------------------------------
// Views: `<SavedQueries><savedqueries><savedquery>`

function readViews(entity: EntityXml): ViewDef[] {
  return select(entity.el, "SavedQueries/savedqueries/savedquery").flatMap((q) => readView(q, entity));
}

/** The view, or nothing for a query type the shell does not list. */
function readView(query: Element, entity: EntityXml): ViewDef[] {
  const viewId = id(requiredText(query, "savedqueryid", `${entity.where}/savedquery`), `${entity.where}/savedquery/savedqueryid`);
  const where = `${entity.where}/savedquery {${viewId}}`;
  const kind = VIEW_KINDS.get(integer(requiredText(query, "querytype", where), `${where}/querytype`));
  if (!kind) return [];
  const fetch = required(required(query, "fetchxml", where), "fetch", `${where}/fetchxml`);
  const fetchEntity = required(fetch, "entity", `${where}/fetchxml/fetch`);
  const fetchWhere = `${where}/fetchxml/fetch/entity`;
  if (attr(fetchEntity, "name") !== entity.table)
    fail(fetchWhere, `queries ${attr(fetchEntity, "name") ?? "no table"}, not ${entity.table}`);
  const links = children(fetchEntity, "link-entity").map((l) => readLink(l, fetchWhere));
  const filters = children(fetchEntity, "filter");
  const quickFind = filters.filter((f) => bool(attr(f, "isquickfindfields"), false, `${fetchWhere}/filter`));
  const description = localized(query, "Descriptions", "Description");
  return [
    {
      key: viewId,
      table: entity.table,
      kind,
      name: localized(query, "LocalizedNames", "LocalizedName") ?? fail(where, "has no LocalizedNames"),
      ...(description !== undefined ? { description } : {}),
      isDefault: bool(childText(query, "isdefault"), false, `${where}/isdefault`),
      columns: readLayout(required(query, "layoutxml", where), links, `${where}/layoutxml`),
      order: children(fetchEntity, "order").map((o) => readOrder(o, `${fetchWhere}/order`)),
      filter: filters.filter((f) => !quickFind.includes(f)).flatMap((f) => readFilter(f, `${fetchWhere}/filter`)),
      ...(links.length > 0 ? { links } : {}),
      ...(quickFind.length > 0
        ? {
            quickFindColumns: quickFind.flatMap((f) =>
              children(f, "condition").map((c) => requiredAttr(c, "attribute", `${fetchWhere}/filter/condition`)),
            ),
          }
        : {}),
    },
  ];
}

/** The grid's columns; a column of a linked table is named `<alias>.<column>` and keeps the alias as its link. */
function readLayout(layout: Element, links: readonly ViewLinkDef[], where: string): ViewColumnDef[] {
  const row = required(required(layout, "grid", where), "row", `${where}/grid`);
  return children(row, "cell").map((cell) => {
    const name = requiredAttr(cell, "name", `${where}/grid/row/cell`);
    const cellWhere = `${where}/grid/row/cell ${name}`;
    const widthAttr = attr(cell, "width");
    const width = widthAttr === undefined ? DEFAULT_COLUMN_WIDTH : integer(widthAttr, `${cellWhere} width`);
    const dot = name.indexOf(".");
    if (dot < 0) return { column: name, width };
    const link = name.slice(0, dot);
    if (!links.some((l) => l.key === link)) fail(cellWhere, `names ${link}, which is no link-entity alias of the view's fetchxml`);
    return { column: name.slice(dot + 1), width, link };
  });
}

/** An N:1 outer join whose alias the layout's columns name. */
function readLink(link: Element, entityWhere: string): ViewLinkDef {
  const alias = requiredAttr(link, "alias", `${entityWhere}/link-entity`);
  const where = `${entityWhere}/link-entity ${alias}`;
  // FetchXML's default join is inner, which drops rows without a match: the shell lists outer joins only.
  if (attr(link, "link-type") !== "outer")
    fail(where, `is an ${attr(link, "link-type") ?? "inner"} join; the sandbox lists outer joins only`);
  const inner = children(link).find((c) => c.tagName !== "attribute");
  if (inner) fail(`${where}/${inner.tagName}`, "the sandbox reads only the attributes of a linked table, not its filters, orders or links");
  return {
    key: alias,
    table: requiredAttr(link, "name", where),
    from: requiredAttr(link, "from", where),
    to: requiredAttr(link, "to", where),
  };
}

function readOrder(order: Element, where: string): { column: string; descending: boolean } {
  return {
    column: requiredAttr(order, "attribute", where),
    descending: bool(attr(order, "descending"), false, `${where} descending`),
  };
}

/** The conditions of an `and` filter (the default type); anything the shell could not apply is refused. */
function readFilter(filter: Element, where: string): ViewConditionDef[] {
  const type = attr(filter, "type") ?? "and";
  if (type !== "and") fail(where, `is an "${type}" filter; the sandbox applies "and" filters only`);
  return children(filter).map((c) => {
    if (c.tagName !== "condition") fail(`${where}/${c.tagName}`, "the sandbox applies conditions only, not nested filters");
    return readCondition(c, `${where}/condition`);
  });
}

function readCondition(condition: Element, conditionWhere: string): ViewConditionDef {
  const column = requiredAttr(condition, "attribute", conditionWhere);
  const where = `${conditionWhere} ${column}`;
  const operator = requiredAttr(condition, "operator", where);
  if (!OPERATORS.has(operator)) fail(where, `the sandbox does not apply the operator "${operator}"`);
  if (attr(condition, "entityname") !== undefined) fail(where, "a condition on a linked table (entityname) is not applied by the sandbox");
  const value = attr(condition, "value");
  return { column, operator: operator as ViewConditionDef["operator"], ...(value !== undefined ? { value } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Dashboards: `<Dashboards><Dashboard>` (see solution/dashboardXml.ts)

function readDashboards(root: Element): DashboardDef[] {
  return select(root, "Dashboards/Dashboard").map(readDashboard);
}

/**
 * A dashboard as the shell draws it: a web resource across the top, then up to three lists side by
 * side over one wide list. Its rows are read in order, each row's lists left to right; rows without
 * a list (the stub rows under tall lists, charts) are skipped. A web resource is drawn only in the
 * dashboard's first row, before any list.
 */
function readDashboard(dashboard: Element): DashboardDef {
  const dashboardId = id(requiredText(dashboard, "FormId", "Dashboard"), "Dashboard/FormId");
  const where = `Dashboard {${dashboardId}}`;
  const form = select(dashboard, "FormXml/forms/form")[0] ?? fail(where, "has no FormXml/forms/form");
  const allRows = select(form, "tabs/tab/columns/column/sections/section/rows/row");
  const pages = allRows.map((row) => children(row, "cell").flatMap((cell) => readDashboardWebResource(cell, where)));
  const header = pages[0]?.length === 1 ? pages[0][0] : undefined;
  if (pages.some((p, i) => p.length > 0 && !(i === 0 && header))) {
    fail(where, "the sandbox draws a web resource on a dashboard only alone in its first row, across the top");
  }
  const rows = allRows.map((row) => children(row, "cell").flatMap((cell) => readList(cell, where))).filter((lists) => lists.length > 0);
  const wide = rows.at(-1);
  const top = rows.length === 2 ? rows[0] : [];
  if (!wide || wide.length !== 1 || rows.length > 2 || top.length > 3) {
    fail(where, "the sandbox draws a dashboard as up to three lists side by side over one wide list");
  }
  return {
    key: dashboardId,
    name: localized(dashboard, "LocalizedNames", "LocalizedName") ?? fail(where, "has no LocalizedNames"),
    description: localized(dashboard, "Descriptions", "Description") ?? "",
    ...(header ? { header } : {}),
    top,
    wide: wide[0],
  };
}

function readDashboardWebResource(cell: Element, dashboardWhere: string): DashboardWebResourceDef[] {
  const control = child(cell, "control");
  const classId = control && attr(control, "classid");
  if (!control || !classId || id(classId, `${dashboardWhere}/control classid`) !== WEB_RESOURCE_CLASS) return [];
  const item = readWebResource(cell, control, `${dashboardWhere}/control ${attr(control, "id") ?? "(no id)"}`);
  if (item.kind !== "webresource") return [];
  return [{ webResource: item.webResource, label: item.label, rows: item.rows }];
}

function readList(cell: Element, dashboardWhere: string): DashboardListDef[] {
  const control = child(cell, "control");
  const classId = control && attr(control, "classid");
  if (!control || !classId || id(classId, `${dashboardWhere}/control classid`) !== GRID_CLASS || isChart(control)) return [];
  const where = `${dashboardWhere}/control ${attr(control, "id") ?? "(no id)"}`;
  const perPage = parameter(control, "RecordsPerPage");
  return [
    {
      view: gridView(control, where),
      recordsPerPage: perPage === undefined ? DEFAULT_RECORDS_PER_PAGE : integer(perPage, `${where}/RecordsPerPage`),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Commands: `<RibbonDiffXml>` of each entity

interface RibbonXml {
  readonly table: string;
  readonly where: string;
  readonly commands: ReadonlyMap<string, Element>;
  readonly enableRules: ReadonlyMap<string, Element>;
  readonly displayRules: ReadonlyMap<string, Element>;
  readonly labels: ReadonlyMap<string, string>;
}

function byId(elements: Element[], where: string): Map<string, Element> {
  return new Map(elements.map((e) => [requiredAttr(e, "Id", where), e]));
}

function readCommands(entity: EntityXml): CommandDef[] {
  const diff = child(entity.el, "RibbonDiffXml");
  if (!diff) return [];
  const where = `${entity.where}/RibbonDiffXml`;
  const ribbon: RibbonXml = {
    table: entity.table,
    where,
    commands: byId(select(diff, "CommandDefinitions/CommandDefinition"), `${where}/CommandDefinition`),
    enableRules: byId(select(diff, "RuleDefinitions/EnableRules/EnableRule"), `${where}/RuleDefinitions/EnableRule`),
    displayRules: byId(select(diff, "RuleDefinitions/DisplayRules/DisplayRule"), `${where}/RuleDefinitions/DisplayRule`),
    labels: new Map(
      select(diff, "LocLabels/LocLabel").map((l) => {
        const labelId = requiredAttr(l, "Id", `${where}/LocLabel`);
        return [labelId, localized(l, "Titles", "Title") ?? fail(`${where}/LocLabel ${labelId}`, "has no Titles")];
      }),
    ),
  };
  return select(diff, "CustomActions/CustomAction").flatMap((action) => readCustomAction(action, ribbon));
}

/** The buttons a custom action puts on the form's command bar (Unified Interface shows every MainTab group there). */
function readCustomAction(action: Element, ribbon: RibbonXml): CommandDef[] {
  const where = `${ribbon.where}/CustomAction ${attr(action, "Id") ?? "(no Id)"}`;
  const location = requiredAttr(action, "Location", where).replace("{!EntityLogicalName}", ribbon.table);
  if (!location.startsWith("Mscrm.Form.")) return [];
  const table = location.split(".")[2];
  if (table !== ribbon.table) fail(where, `Location ${location} is a form of ${table}, but this RibbonDiffXml belongs to ${ribbon.table}`);
  const actionSequence = attr(action, "Sequence");
  return select(action, "CommandUIDefinition/Button").map((button) => readButton(button, actionSequence, ribbon, where));
}

function readButton(button: Element, actionSequence: string | undefined, ribbon: RibbonXml, actionWhere: string): CommandDef {
  const where = `${actionWhere}/Button ${attr(button, "Id") ?? "(no Id)"}`;
  const commandId = requiredAttr(button, "Command", where);
  const command =
    ribbon.commands.get(commandId) ?? fail(where, `its Command ${commandId} is not a CommandDefinition of this RibbonDiffXml`);
  const commandWhere = `${ribbon.where}/CommandDefinition ${commandId}`;
  const action = readAction(command, commandWhere);
  const label = (name: string) => resolveLabel(attr(button, name), ribbon.labels, `${where} ${name}`);
  const sequence = attr(button, "Sequence") ?? actionSequence;
  return {
    key: commandId,
    table: ribbon.table,
    location: "form",
    label: label("LabelText") ?? "",
    // The model's one tooltip is the description under the title (the title repeats the label).
    tooltip: label("ToolTipDescription") ?? label("ToolTipTitle") ?? "",
    modernImage: attr(button, "ModernImage") ?? "",
    library: action.library,
    functionName: action.functionName,
    parameters: action.parameters,
    existingRecordOnly: existingRecordOnly(command, ribbon, commandWhere),
    // Without a sequence a button goes after the sequenced ones.
    sequence: sequence === undefined ? Number.MAX_SAFE_INTEGER : integer(sequence, `${where} Sequence`),
  };
}

/** `$LocLabels:<id>` resolves in the RibbonDiffXml's LocLabels; anything else is the text itself. */
function resolveLabel(value: string | undefined, labels: ReadonlyMap<string, string>, where: string): string | undefined {
  if (value === undefined) return undefined;
  const loc = /^\$LocLabels:(.+)$/.exec(value);
  if (loc) return labels.get(loc[1]) ?? fail(where, `${value} names no LocLabel of this RibbonDiffXml`);
  if (value.startsWith("$Resources:")) fail(where, `${value} is a platform resource string, which the sandbox does not have`);
  return value;
}

interface ActionXml {
  readonly library: string;
  readonly functionName: string;
  readonly parameters: readonly "PrimaryControl"[];
}

/** The command's one action: a function of a JavaScript web resource, passed the form context at most. */
function readAction(command: Element, commandWhere: string): ActionXml {
  const actions = children(required(command, "Actions", commandWhere));
  if (actions.length !== 1)
    fail(`${commandWhere}/Actions`, `has ${actions.length} actions; the sandbox runs commands of exactly one JavaScriptFunction`);
  const [fn] = actions;
  const where = `${commandWhere}/Actions/${fn.tagName}`;
  if (fn.tagName !== "JavaScriptFunction") fail(where, "the sandbox runs JavaScriptFunction actions only");
  const library = requiredAttr(fn, "Library", where);
  if (!library.startsWith("$webresource:")) fail(where, `Library ${library} is not a web resource ($webresource:…)`);
  const functionName = requiredAttr(fn, "FunctionName", where);
  const parameters = children(fn).map((p) => {
    if (p.tagName !== "CrmParameter" || attr(p, "Value") !== "PrimaryControl") {
      fail(`${where}/${p.tagName}`, "the sandbox passes the form context (CrmParameter PrimaryControl) only");
    }
    return "PrimaryControl" as const;
  });
  return { library: library.slice("$webresource:".length), functionName, parameters };
}

/**
 * Whether the command's rules keep it off the create form. Rules are looked up in the
 * RibbonDiffXml's RuleDefinitions; only FormStateRules that mean "a saved record" are understood
 * (`Existing`, or `Create` inverted), any other rule would decide something the shell cannot.
 */
function existingRecordOnly(command: Element, ribbon: RibbonXml, commandWhere: string): boolean {
  const references = [
    ...select(command, "EnableRules/EnableRule").map((r) => ({ ref: r, rules: ribbon.enableRules, kind: "EnableRule" })),
    ...select(command, "DisplayRules/DisplayRule").map((r) => ({ ref: r, rules: ribbon.displayRules, kind: "DisplayRule" })),
  ];
  return references
    .flatMap(({ ref, rules, kind }) => {
      const ruleId = requiredAttr(ref, "Id", `${commandWhere}/${kind}`);
      const rule =
        rules.get(ruleId) ??
        fail(`${commandWhere}/${kind} ${ruleId}`, `is not defined in RuleDefinitions (the sandbox has no platform rules)`);
      return children(rule).map((r) => savedRecordOnly(r, `${ribbon.where}/RuleDefinitions/${kind} ${ruleId}/${r.tagName}`));
    })
    .some(Boolean);
}

function savedRecordOnly(rule: Element, where: string): boolean {
  if (rule.tagName !== "FormStateRule") fail(where, "the sandbox evaluates FormStateRule only");
  const state = requiredAttr(rule, "State", where);
  const inverted = bool(attr(rule, "InvertResult"), false, `${where} InvertResult`);
  if ((state === "Existing" && !inverted) || (state === "Create" && inverted)) return true;
  return fail(where, `State ${state}${inverted ? " inverted" : ""}: the sandbox understands "saved records only" and nothing else`);
}
