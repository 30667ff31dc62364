import JSZip from "jszip";
import { fieldSecurityProfiles, globalChoices, productTables, relationships, roleDefs, settingDefs, tableByName } from "../src/model";
import { caseForm } from "../src/model/forms";
import type { WebResourceDef } from "../src/model/webresources";
import { customizationsXml } from "./customizationsXml";
import { envVarDefinition, envVarPart } from "./envVarXml";
import { formId } from "./formXml";
import { infoOf, type SolutionPackage } from "./platform";
import { dataverseVersion, solutionXml, type RootComponent } from "./solutionXml";
import { SolutionBuildError } from "./SolutionBuildError";
import { webResourcePart } from "./webResources";
import { dashboardDefs } from "../src/model/dashboards";
import { dashboardId } from "./dashboardXml";
import { caseStatusColumns, caseViews } from "../src/model/caseStatus";
import { formulaFileName } from "./attributes";
import { rollupXaml } from "./rollupXaml";
import { viewId } from "./savedQueryXml";

export interface BuildSolutionOptions {
  /** The package version (`0.1.0`); written as Dataverse's four parts. */
  readonly version: string;
  readonly managed: boolean;
  readonly webResources: readonly WebResourceDef[];
  /** The built content of a web resource, or `undefined` when it was not built. */
  readonly readWebResource: (name: string) => Uint8Array | undefined;
  /** The product (default), or the Case status solution imported after it. */
  readonly package?: SolutionPackage;
}

/** One file of the zip, in the order Dataverse's export writes them. */
export interface SolutionPart {
  readonly path: string;
  readonly data: Uint8Array;
}

/** Component type codes of the solution manifest. */
export const ComponentType = {
  entity: 1,
  optionSet: 9,
  role: 20,
  savedQuery: 26,
  systemForm: 60,
  fieldSecurityProfile: 70,
  webResource: 61,
  environmentVariableDefinition: 380,
} as const;

/** Every root component: each table, choice, role, setting and web resource, and the Case form of ours. */
export function rootComponents(webResources: readonly WebResourceDef[], pkg: SolutionPackage = "product"): RootComponent[] {
  if (pkg === "caseStatus") {
    return [
      // The Case is Customer Service's: shipped only as the holder of the columns and views.
      { type: ComponentType.entity, schemaName: caseForm.table, behavior: 2 },
      ...caseViews.map((v) => ({ type: ComponentType.savedQuery, id: viewId(v), behavior: 0 as const })),
    ];
  }
  return [
    ...productTables.map((t) => ({ type: ComponentType.entity, schemaName: t.logicalName, behavior: 0 as const })),
    // The Case is Customer Service's: only our form on it is shipped (behaviour 2, "no subcomponents").
    { type: ComponentType.entity, schemaName: caseForm.table, behavior: 2 },
    { type: ComponentType.systemForm, id: formId(caseForm), behavior: 0 },
    // Dashboards are system forms too (type 0).
    ...dashboardDefs.map((d) => ({ type: ComponentType.systemForm, id: dashboardId(d), behavior: 0 as const })),
    ...globalChoices.map((c) => ({ type: ComponentType.optionSet, schemaName: c.name, behavior: 0 as const })),
    ...roleDefs.map((r) => ({ type: ComponentType.role, id: `{${r.id}}`, behavior: 0 as const })),
    ...fieldSecurityProfiles.map((p) => ({ type: ComponentType.fieldSecurityProfile, id: `{${p.id}}`, behavior: 0 as const })),
    ...webResources.map((w) => ({ type: ComponentType.webResource, schemaName: w.name, behavior: 0 as const })),
    ...settingDefs.map((s) => ({ type: ComponentType.environmentVariableDefinition, schemaName: s.schemaName, behavior: 0 as const })),
  ];
}

/** `[Content_Types].xml`: a BOM, one line, and an Override for every part without an extension. */
export function contentTypesXml(parts: readonly string[]): string {
  const overrides = parts
    .filter((p) => !/\.[A-Za-z0-9]+$/.test(p.split("/").pop() ?? ""))
    .map((p) => `<Override PartName="/${p}" ContentType="application/octet-stream" />`)
    .join("");
  return (
    "\uFEFF" +
    '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/octet-stream" /><Default Extension="json" ContentType="application/octet-stream" />' +
    (parts.some((p) => p.endsWith(".xaml")) ? '<Default Extension="xaml" ContentType="application/octet-stream" />' : "") +
    overrides +
    "</Types>"
  );
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The files of the solution zip. Fails with `missingWebResource` when a listed web resource was not built. */
export function solutionParts(o: BuildSolutionOptions): SolutionPart[] {
  const pkg = o.package ?? "product";
  for (const wr of o.webResources) {
    if (/\.(map|woff2?|ttf|eot|otf)$/i.test(wr.name)) {
      throw new SolutionBuildError("forbiddenFile", `${wr.name}: Dataverse has no web resource type for source maps or fonts.`, wr.name);
    }
  }
  const resources = (pkg === "product" ? o.webResources : []).map((wr) => {
    const data = o.readWebResource(wr.name);
    if (!data) {
      throw new SolutionBuildError(
        "missingWebResource",
        `The web resource ${wr.name} has not been built (webresources/dist/${wr.name} is missing). Run \`npm run build:web\` first.`,
        wr.name,
      );
    }
    return { path: webResourcePart(wr.name), data };
  });
  let version: string;
  try {
    version = dataverseVersion(o.version);
  } catch (e) {
    throw new SolutionBuildError("badVersion", (e as Error).message);
  }
  const webResources = pkg === "product" ? o.webResources : [];
  const parts: SolutionPart[] = [
    { path: "customizations.xml", data: utf8(customizationsXml(webResources, pkg)) },
    {
      path: "solution.xml",
      data: utf8(solutionXml({ version, managed: o.managed, rootComponents: rootComponents(webResources, pkg), package: pkg })),
    },
    ...(pkg === "product" ? settingDefs.map((s) => ({ path: envVarPart(s), data: utf8(envVarDefinition(s)) })) : []),
    ...(pkg === "caseStatus" ? formulaParts() : []),
    ...resources,
  ];
  parts.push({ path: "[Content_Types].xml", data: utf8(contentTypesXml(parts.map((p) => p.path))) });
  return parts;
}

/** The definition file of each rollup column the solution adds to the Case. */
function formulaParts(): SolutionPart[] {
  const caseTable = tableByName("incident");
  return caseStatusColumns.map((column) => {
    const relationship = relationships.find((r) => r.schemaName === column.rollup?.relationship);
    if (!relationship) throw new Error(`incident.${column.logicalName}: its rollup names no relationship of the model.`);
    return {
      path: formulaFileName(caseTable, column).slice(1),
      data: utf8(rollupXaml(caseTable, column, relationship.referencingTable)),
    };
  });
}

/** A fixed timestamp for every entry, so the same sources give the same zip bytes. */
const entryDate = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));

/** A flat, deflated zip with no directory entries, like the export. */
export async function zipParts(parts: readonly SolutionPart[]): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const p of parts) zip.file(p.path, p.data, { date: entryDate, createFolders: false, binary: true });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "DOS" });
}

/** `CaseFileExchange_0.1.0.0.zip`, `CaseFileExchange_0.1.0.0_managed.zip`, `CaseFileExchangeCaseStatus_0.1.0.0.zip`… */
export function zipFileName(version: string, managed: boolean, pkg: SolutionPackage = "product"): string {
  return `${infoOf(pkg).uniqueName}_${version}${managed ? "_managed" : ""}.zip`;
}
