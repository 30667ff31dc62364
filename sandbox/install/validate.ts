import type { TableDef } from "../../src/model";
import type { Catalog } from "./catalog";
import { customTablePrivileges, platformPrivileges } from "./platformPrivileges";
import type { ReadUi } from "./readUi";
import type { ReadSolution, RootComponent } from "./readSolution";
import { SolutionImportError } from "./SolutionImportError";

/**
 * Dataverse's solution component type codes (`componenttype`), as the manifest's RootComponent
 * `type` carries them: https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/solutioncomponent
 * The sandbox imports the kinds the product ships; any other code Dataverse knows is refused as
 * one the sandbox cannot import (never skipped: a component left out would hide its defects), and
 * a code Dataverse does not know is refused as unknown.
 */
export const componentTypes: Readonly<Record<number, string>> = {
  1: "Entity",
  2: "Attribute",
  3: "Relationship",
  9: "Option Set",
  10: "Entity Relationship",
  20: "Role",
  21: "Role Privilege",
  24: "Form",
  25: "Organization",
  26: "Saved Query",
  29: "Workflow",
  31: "Report",
  36: "Email Template",
  50: "Ribbon Customization",
  59: "Saved Query Visualization",
  60: "System Form",
  61: "Web Resource",
  62: "Site Map",
  63: "Connection Role",
  65: "Hierarchy Rule",
  66: "Custom Control",
  70: "Field Security Profile",
  80: "Model-driven App",
  90: "Plugin Type",
  91: "Plugin Assembly",
  92: "SDK Message Processing Step",
  150: "Routing Rule",
  300: "Canvas App",
  371: "Connector",
  372: "Connector",
  380: "Environment Variable Definition",
  381: "Environment Variable Value",
};

/** The component types this sandbox can import. */
const importable = new Set([1, 9, 20, 26, 60, 61, 70, 380]);

const file = "solution.xml";

/** Refuses what Dataverse's import would refuse; `current` is the organization before the import. */
export function validateSolution(solution: ReadSolution, ui: ReadUi, current: Catalog): void {
  checkVersion(solution, current);
  for (const [i, root] of solution.rootComponents.entries()) checkRootComponent(root, i, solution, ui, current);
  checkDependencies(solution, ui, current);
  checkPrivileges(solution, current);
  checkFieldPermissions(solution, current);
}

/** A profile's permissions name columns the organization has, and only secured ones (the only columns a profile can open). */
function checkFieldPermissions(solution: ReadSolution, current: Catalog): void {
  const tables = new Map<string, TableDef>([...current.tables, ...solution.tables].map((t) => [t.logicalName, t]));
  for (const profile of solution.fieldSecurityProfiles) {
    for (const p of profile.permissions) {
      const element = `ImportExportXml/FieldSecurityProfiles/FieldSecurityProfile[${profile.name}]/FieldPermission[${p.table}.${p.column}]`;
      const column = tables.get(p.table)?.columns.find((c) => c.logicalName === p.column);
      if (!column)
        throw new SolutionImportError("customizations.xml", element, `the organization has no column ${p.column} on the table ${p.table}`);
      if (!column.secured)
        throw new SolutionImportError(
          "customizations.xml",
          element,
          `the column ${p.table}.${p.column} is not secured (IsSecured 0): a field security profile can only grant secured columns`,
        );
    }
  }
}

/** Dataverse upgrades only to a higher or equal version, and never turns a managed solution into an unmanaged one (or back). */
function checkVersion({ solution }: ReadSolution, current: Catalog): void {
  const installed = current.solutions.find((s) => s.uniqueName === solution.uniqueName);
  if (!installed) return;
  if (compareVersions(solution.version, installed.version) < 0) {
    throw new SolutionImportError(
      file,
      "ImportExportXml/SolutionManifest/Version",
      `version ${solution.version} is lower than the installed ${installed.version}: a solution cannot be downgraded; remove it first or import a higher version`,
    );
  }
  if (installed.managed !== solution.managed) {
    throw new SolutionImportError(
      file,
      "ImportExportXml/SolutionManifest/Managed",
      `the solution is installed as ${installed.managed ? "managed" : "unmanaged"} and the package is ${solution.managed ? "managed" : "unmanaged"}: remove the installed one first`,
    );
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Each root component is of a type the import knows, and is in the package (or, for a shell, in the organization). */
function checkRootComponent(root: RootComponent, index: number, solution: ReadSolution, ui: ReadUi, current: Catalog): void {
  const element = `ImportExportXml/SolutionManifest/RootComponents/RootComponent[${index + 1}]`;
  const name = componentTypes[root.type];
  if (!name) throw new SolutionImportError(file, element, `unknown component type ${root.type}`);
  if (!importable.has(root.type)) {
    throw new SolutionImportError(file, element, `component type ${root.type} (${name}) cannot be imported into the sandbox`);
  }
  const key = (root.schemaName ?? root.id ?? "").replace(/[{}]/g, "").toLowerCase();
  const present = ((): boolean => {
    switch (root.type) {
      case 1:
        return (
          solution.tables.some((t) => t.logicalName === key) || (root.behavior !== 0 && current.tables.some((t) => t.logicalName === key))
        );
      case 9:
        return solution.choices.some((c) => c.name.toLowerCase() === key);
      case 20:
        return solution.roles.some((r) => r.id.toLowerCase() === key);
      case 70:
        return solution.fieldSecurityProfiles.some((p) => p.id === key);
      case 26:
        return ui.views.some((v) => v.key === key);
      case 60:
        return ui.forms.some((f) => f.key === key) || ui.dashboards.some((d) => d.key === key);
      case 61:
        return solution.webResources.some((w) => w.name.toLowerCase() === key);
      case 380:
        return solution.settings.some((s) => s.schemaName.toLowerCase() === key);
      default:
        return false;
    }
  })();
  if (!present) {
    throw new SolutionImportError(
      file,
      element,
      `the ${name} ${root.schemaName ?? root.id} is a root component of the solution but the package does not contain it`,
    );
  }
}

/**
 * What the solution needs must be in the organization: the manifest's MissingDependencies, and
 * what its components reference (lookup targets, the tables of forms and views, the tables a view
 * links to, web resources on forms and in commands, the views of subgrids and dashboards).
 */
function checkDependencies(solution: ReadSolution, ui: ReadUi, current: Catalog): void {
  const tables = new Map<string, TableDef>([...current.tables, ...solution.tables].map((t) => [t.logicalName, t]));
  const webResources = new Set([...current.webResources.map((w) => w.name), ...solution.webResources.map((w) => w.name)]);
  const views = new Set([...current.views.map((v) => v.key), ...ui.views.map((v) => v.key)]);
  const missing = (element: string, what: string) => {
    throw new SolutionImportError(
      "customizations.xml",
      element,
      `${what}, which this organization does not have (a missing dependency: install the solution that brings it first)`,
    );
  };

  for (const [i, d] of solution.missingDependencies.entries()) {
    const required = d.required;
    if (required.type === 1 && !tables.has((required.schemaName ?? "").toLowerCase())) {
      throw new SolutionImportError(
        file,
        `ImportExportXml/SolutionManifest/MissingDependencies/MissingDependency[${i + 1}]`,
        `the solution needs the table ${required.schemaName}${required.displayName ? ` (${required.displayName})` : ""}${required.solution ? ` from ${required.solution}` : ""}, which this organization does not have`,
      );
    }
  }
  for (const table of solution.tables) {
    for (const column of table.columns) {
      for (const target of column.type === "owner" ? [] : (column.targets ?? [])) {
        if (!tables.has(target))
          missing(`Entity[${table.schemaName}]/attribute[${column.schemaName}]`, `the lookup points at the table ${target}`);
      }
    }
  }
  for (const extension of solution.tableExtensions) {
    const at = `Entity[${extension.table}]`;
    if (!tables.has(extension.table)) missing(at, `the solution adds columns to the table ${extension.table}`);
    for (const column of extension.columns) {
      const rollup = column.rollup;
      const source =
        rollup && [...solution.relationships, ...current.relationships].find((r) => r.schemaName === rollup.relationship)?.referencingTable;
      const sourceTable = source === undefined ? undefined : tables.get(source);
      if (rollup && !sourceTable?.columns.some((c) => c.logicalName === rollup.sourceColumn)) {
        missing(`${at}/attribute[${column.schemaName}]`, `the rollup aggregates the column ${source}.${rollup.sourceColumn}`);
      }
    }
  }
  for (const form of ui.forms) {
    const at = `Entity[${form.table}]/systemform {${form.key}}`;
    if (!tables.has(form.table)) missing(at, `the form is on the table ${form.table}`);
    for (const library of form.libraries) if (!webResources.has(library)) missing(at, `the form loads the web resource ${library}`);
    for (const item of form.tabs.flatMap((t) => t.sections.flatMap((s) => s.items))) {
      if (item.kind === "webresource" && !webResources.has(item.webResource))
        missing(at, `the form shows the web resource ${item.webResource}`);
      if (item.kind === "subgrid" && !views.has(item.view)) missing(at, `the subgrid ${item.name} shows the view {${item.view}}`);
      if (item.kind === "subgrid" && !tables.has(item.table)) missing(at, `the subgrid ${item.name} lists the table ${item.table}`);
    }
  }
  for (const view of ui.views) {
    const at = `Entity[${view.table}]/savedquery {${view.key}}`;
    if (!tables.has(view.table)) missing(at, `the view is on the table ${view.table}`);
    for (const link of view.links ?? []) if (!tables.has(link.table)) missing(at, `the view links to the table ${link.table}`);
  }
  for (const command of ui.commands) {
    const at = `Entity[${command.table}]/RibbonDiffXml`;
    if (!webResources.has(command.library)) missing(at, `the command ${command.key} calls the web resource ${command.library}`);
    const image = command.modernImage.startsWith("$webresource:") ? command.modernImage.slice("$webresource:".length) : undefined;
    if (image && !webResources.has(image)) missing(at, `the command ${command.key} shows the image ${image}`);
  }
  for (const dashboard of ui.dashboards) {
    const page = dashboard.header?.webResource;
    if (page && !webResources.has(page)) missing(`Dashboards/Dashboard {${dashboard.key}}`, `the dashboard shows the web resource ${page}`);
    for (const list of [...dashboard.top, dashboard.wide]) {
      if (!views.has(list.view)) missing(`Dashboards/Dashboard {${dashboard.key}}`, `the dashboard lists the view {${list.view}}`);
    }
  }
}

/**
 * Every privilege a role names exists in the organization: the platform's own (a fixed list, each
 * entry with its source) or one Dataverse generated for a custom table. Dataverse's import fails a
 * role that names a privilege it does not have.
 */
function checkPrivileges(solution: ReadSolution, current: Catalog): void {
  const known = new Set(platformPrivileges.map((p) => p.name.toLowerCase()));
  for (const table of [...current.tables, ...solution.tables]) {
    if (table.systemTable) continue;
    for (const name of customTablePrivileges(table.schemaName, table.ownership)) known.add(name.toLowerCase());
  }
  for (const role of solution.roles) {
    for (const privilege of role.privileges) {
      if (!known.has(privilege.name.toLowerCase())) {
        throw new SolutionImportError(
          "customizations.xml",
          `Roles/Role[${role.name}]/RolePrivileges/RolePrivilege[${privilege.name}]`,
          `the privilege ${privilege.name} does not exist in this organization`,
        );
      }
    }
  }
}

/** Something Dataverse imports without a word but that shows up later; the sandbox's log says so. */
export interface ImportWarning {
  readonly file: string;
  readonly element: string;
  readonly message: string;
}

/**
 * What the import accepts but people would meet as a defect: a script pointing the browser at a
 * source map the solution does not carry (a 404 in every developer console), a public view
 * without its table's primary name column (its rows cannot be opened from the grid), choice
 * values outside the publisher's option value prefix (they collide with the solution whose
 * prefix they carry), a command icon named rather than shipped (no published list of names).
 */
export function importWarnings(solution: ReadSolution, ui: ReadUi): ImportWarning[] {
  const out: ImportWarning[] = [];
  const names = new Set(solution.webResources.map((w) => w.name));
  for (const w of solution.webResources.filter((r) => r.type === "js")) {
    const map = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(new TextDecoder().decode(w.content))?.[1];
    if (map && !map.startsWith("data:")) {
      const target = new URL(map, `https://org.example/WebResources/${w.name}`).pathname.replace(/^\/WebResources\//, "");
      if (!names.has(decodeURIComponent(target))) {
        out.push({
          file: "customizations.xml",
          element: `WebResources/WebResource[${w.name}]`,
          message: `points the browser at the source map ${map}, which the solution does not carry`,
        });
      }
    }
  }
  const tables = new Map(solution.tables.map((t) => [t.logicalName, t]));
  for (const view of ui.views.filter((v) => v.kind === "public")) {
    const table = tables.get(view.table);
    if (table && !view.columns.some((c) => c.column === table.primaryNameColumn && !c.link)) {
      out.push({
        file: "customizations.xml",
        element: `Entity[${table.schemaName}]/savedquery {${view.key}}`,
        message: `the view "${view.name}" has no ${table.primaryNameColumn} column: its rows cannot be opened from the grid`,
      });
    }
  }
  for (const command of ui.commands) {
    if (command.modernImage && !command.modernImage.startsWith("$webresource:")) {
      out.push({
        file: "customizations.xml",
        element: `Entity[${command.table}]/RibbonDiffXml/CommandUIDefinition/Button[${command.label}]`,
        message: `ModernImage "${command.modernImage}" names no web resource; Microsoft publishes no list of the command bar's built-in icon names, so the button may show no icon`,
      });
    }
  }
  const prefix = solution.solution.publisher.optionValuePrefix;
  const choices = [
    ...solution.choices,
    ...solution.tables.flatMap((t) => t.columns.filter((c) => c.type === "picklist" && c.choice && !c.choice.global).map((c) => c.choice!)),
  ];
  for (const choice of choices) {
    const outside = choice.options.filter((o) => Math.floor(o.value / 10000) !== prefix);
    if (outside.length > 0) {
      out.push({
        file: "customizations.xml",
        element: `optionset[${choice.name}]`,
        message: `values ${outside.map((o) => o.value).join(", ")} are outside the publisher's option value prefix ${prefix}`,
      });
    }
  }
  return out;
}
