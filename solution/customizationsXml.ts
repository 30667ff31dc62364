import { fieldSecurityProfiles, globalChoices, productTables, relationships, roleDefs, tableByName } from "../src/model";
import { commandDefs } from "../src/model/ribbon";
import { caseForm, formDefs } from "../src/model/forms";
import { rolePrivileges } from "../src/model/privileges";
import { dashboardDefs } from "../src/model/dashboards";
import { viewDefs } from "../src/model/views";
import { caseStatusColumns, caseViews } from "../src/model/caseStatus";
import { dashboardElement } from "./dashboardXml";
import type { WebResourceDef } from "../src/model/webresources";
import { customEntity, shellEntity } from "./entityXml";
import { globalOptionSet } from "./optionSetXml";
import { platform, type SolutionPackage } from "./platform";
import { modelRelationship, platformRelationships } from "./relationshipXml";
import { fieldSecurityProfileElement } from "./fieldSecurityXml";
import { roleElement } from "./roleXml";
import { webResourceElement } from "./webResources";
import { document, el, text } from "./xml";

/** The icon each table shows in the app, by table. */
const tableIcons: Readonly<Record<string, string>> = { cfx_fileexchange: "cfx_/icons/exchange.svg" };

/** customizations.xml: every component's definition, in the top-level order of a Dataverse export. */
export function customizationsXml(webResources: readonly WebResourceDef[], pkg: SolutionPackage = "product"): string {
  if (pkg === "caseStatus") return caseStatusCustomizationsXml();
  const shipped = new Set(webResources.map((w) => w.name));
  const entities = [
    ...productTables.map((table) =>
      customEntity(table, {
        forms: formDefs.filter((f) => f.table === table.logicalName),
        views: viewDefs.filter((v) => v.table === table.logicalName),
        commands: commandDefs.filter((c) => c.table === table.logicalName),
        icon: tableIcons[table.logicalName] && shipped.has(tableIcons[table.logicalName]) ? tableIcons[table.logicalName] : undefined,
      }),
    ),
    shellEntity(tableByName(caseForm.table), { forms: [caseForm], columns: [], views: [] }),
  ].sort((a, b) => entityName(a).localeCompare(entityName(b)));

  const relationshipElements = [...relationships.map(modelRelationship), ...productTables.flatMap(platformRelationships)].sort((a, b) =>
    (a.attrs[0][1] ?? "").localeCompare(b.attrs[0][1] ?? ""),
  );

  return document(
    el(
      "ImportExportXml",
      {
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        OrganizationVersion: platform.version,
        OrganizationSchemaType: "Full",
        CRMServerServiceabilityVersion: platform.serviceabilityVersion,
      },
      el("Entities", {}, entities),
      el(
        "Roles",
        {},
        roleDefs.map((role) => {
          const set = rolePrivileges.find((p) => p.role === role.key);
          if (!set) throw new Error(`Role ${role.key} has no privileges in src/model/privileges.ts.`);
          return roleElement(role, set);
        }),
      ),
      text("Workflows", ""),
      el("FieldSecurityProfiles", {}, fieldSecurityProfiles.map(fieldSecurityProfileElement)),
      el("Templates"),
      el("EntityMaps"),
      el("EntityRelationships", {}, relationshipElements),
      el("OrganizationSettings"),
      el("optionsets", {}, globalChoices.map(globalOptionSet)),
      el("Dashboards", {}, dashboardDefs.map(dashboardElement)),
      el("WebResources", {}, webResources.map(webResourceElement)),
      el("CustomControls"),
      el("EntityDataProviders"),
      el("Languages", {}, text("Language", 1033)),
    ),
  );
}

/** The Case status solution: the Case's rollup columns and the Case views that show them, nothing else. */
function caseStatusCustomizationsXml(): string {
  return document(
    el(
      "ImportExportXml",
      {
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        OrganizationVersion: platform.version,
        OrganizationSchemaType: "Full",
        CRMServerServiceabilityVersion: platform.serviceabilityVersion,
      },
      el("Entities", {}, [shellEntity(tableByName("incident"), { forms: [], columns: caseStatusColumns, views: caseViews })]),
      el("Roles"),
      text("Workflows", ""),
      el("FieldSecurityProfiles"),
      el("Templates"),
      el("EntityMaps"),
      el("EntityRelationships"),
      el("OrganizationSettings"),
      el("optionsets"),
      el("Dashboards"),
      el("WebResources"),
      el("CustomControls"),
      el("EntityDataProviders"),
      el("Languages", {}, text("Language", 1033)),
    ),
  );
}

function entityName(entity: { children: readonly unknown[] }): string {
  const name = entity.children[0] as { children: readonly string[] };
  return name.children[0].toLowerCase();
}
