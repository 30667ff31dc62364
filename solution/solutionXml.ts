import { incident } from "../src/model/system";
import { caseForm } from "../src/model/forms";
import { supervisorAttentionViews, supervisorView } from "../src/model/views";
import { formId } from "./formXml";
import { labels } from "./labels";
import { caseStatusColumns } from "../src/model/caseStatus";
import { customerService, infoOf, platform, publisher, solutionInfo, type SolutionPackage } from "./platform";
import { viewId } from "./savedQueryXml";
import { document, el, text, type XmlElement } from "./xml";

/** A root component: `schemaName` for tables, choices, web resources and settings, `id` for forms and roles. */
export interface RootComponent {
  readonly type: number;
  readonly schemaName?: string;
  readonly id?: string;
  /** 0 includes the component's subcomponents; 2 ships a table only as the holder of ours. */
  readonly behavior: 0 | 2;
}

export interface ManifestOptions {
  readonly version: string;
  readonly managed: boolean;
  readonly rootComponents: readonly RootComponent[];
  /** The product (default) or the Case status solution. */
  readonly package?: SolutionPackage;
}

/** `0.1.0` → `0.1.0.0`: Dataverse versions have four parts. */
export function dataverseVersion(semver: string): string {
  const core = semver.split(/[-+]/)[0];
  const parts = core.split(".");
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p))) throw new Error(`"${semver}" is not a version Dataverse can take.`);
  while (parts.length < 4) parts.push("0");
  return parts.join(".");
}

export function solutionXml(o: ManifestOptions): string {
  const pkg = o.package ?? "product";
  const info = infoOf(pkg);
  const roots = [...o.rootComponents].sort(
    (a, b) => String(a.type).localeCompare(String(b.type)) || (a.schemaName ?? a.id ?? "").localeCompare(b.schemaName ?? b.id ?? ""),
  );
  return document(
    el(
      "ImportExportXml",
      {
        version: platform.version,
        SolutionPackageVersion: "9.2",
        languagecode: 1033,
        generatedBy: "CrmLive",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        OrganizationVersion: platform.version,
        OrganizationSchemaType: "Full",
        CRMServerServiceabilityVersion: platform.serviceabilityVersion,
      },
      el(
        "SolutionManifest",
        {},
        text("UniqueName", info.uniqueName),
        labels("LocalizedNames", "LocalizedName", info.displayName),
        labels("Descriptions", "Description", info.description),
        text("Version", o.version),
        text("Managed", o.managed ? 1 : 0),
        publisherElement(),
        el(
          "RootComponents",
          {},
          roots.map((r) => el("RootComponent", { type: r.type, schemaName: r.schemaName, id: r.id, behavior: r.behavior })),
        ),
        pkg === "product" ? missingDependencies() : caseStatusDependencies(o.version),
      ),
    ),
  );
}

function nil(name: string): XmlElement {
  return text(name, "", { "xsi:nil": "true" });
}

function publisherElement(): XmlElement {
  const address = (n: number) =>
    el(
      "Address",
      {},
      text("AddressNumber", n),
      text("AddressTypeCode", 1),
      [
        "City",
        "County",
        "Country",
        "Fax",
        "FreightTermsCode",
        "ImportSequenceNumber",
        "Latitude",
        "Line1",
        "Line2",
        "Line3",
        "Longitude",
        "Name",
        "PostalCode",
        "PostOfficeBox",
        "PrimaryContactName",
      ].map(nil),
      text("ShippingMethodCode", 1),
      [
        "StateOrProvince",
        "Telephone1",
        "Telephone2",
        "Telephone3",
        "TimeZoneRuleVersionNumber",
        "UPSZone",
        "UTCOffset",
        "UTCConversionTimeZoneCode",
      ].map(nil),
    );
  return el(
    "Publisher",
    {},
    text("UniqueName", publisher.uniqueName),
    labels("LocalizedNames", "LocalizedName", publisher.displayName),
    labels("Descriptions", "Description", publisher.description),
    nil("EMailAddress"),
    nil("SupportingWebsiteUrl"),
    text("CustomizationPrefix", publisher.prefix),
    text("CustomizationOptionValuePrefix", publisher.optionValuePrefix),
    el("Addresses", {}, address(1), address(2)),
  );
}

/**
 * The Case table comes from Dynamics 365 Customer Service: import into an environment without it
 * stops with this list, which names what is missing and what of ours needs it.
 */
function missingDependencies(): XmlElement {
  const required = () =>
    el(
      "Required",
      { type: 1, schemaName: incident.logicalName, displayName: incident.displayName, solution: customerService.solution },
      text("package", customerService.packageName, { appName: customerService.appName, version: customerService.packageVersion }),
    );
  const dependents: Record<string, string | number>[] = [
    { type: 1, schemaName: "incident", displayName: "Case" },
    { type: 2, schemaName: "cfx_caseid", displayName: "Case", parentSchemaName: "cfx_fileexchange", parentDisplayName: "File Exchange" },
    {
      type: 2,
      schemaName: "cfx_caseid",
      displayName: "Case",
      parentSchemaName: "cfx_hardwareticket",
      parentDisplayName: "Hardware Ticket",
    },
    // The supervisors' views show the case's columns through the exchange's N:1 link to it.
    ...[supervisorView, ...supervisorAttentionViews].map((view) => ({
      type: 26,
      schemaName: view.name,
      displayName: view.name,
      parentSchemaName: "cfx_fileexchange",
      parentDisplayName: "File Exchange",
      id: viewId(view),
    })),
    { type: 60, displayName: caseForm.name, parentDisplayName: "Case", id: formId(caseForm) },
  ];
  return el(
    "MissingDependencies",
    {},
    dependents.map((d) => el("MissingDependency", {}, required(), el("Dependent", d))),
  );
}

/**
 * The Case status solution needs the Case (Customer Service) and the product's exchanges, which its
 * rollups count through the Case's relationship to them: imported first, Dataverse names both.
 */
function caseStatusDependencies(version: string): XmlElement {
  const onCase = () =>
    el(
      "Required",
      { type: 1, schemaName: incident.logicalName, displayName: incident.displayName, solution: customerService.solution },
      text("package", customerService.packageName, { appName: customerService.appName, version: customerService.packageVersion }),
    );
  const onProduct = () =>
    el("Required", {
      type: 1,
      schemaName: "cfx_fileexchange",
      displayName: "File Exchange",
      solution: `${solutionInfo.uniqueName} (${version})`,
    });
  const dependents = caseStatusColumns.map((c) => ({
    type: 2,
    schemaName: c.logicalName,
    displayName: c.displayName,
    parentSchemaName: incident.logicalName,
    parentDisplayName: incident.displayName,
  }));
  return el(
    "MissingDependencies",
    {},
    dependents.flatMap((d) => [
      el("MissingDependency", {}, onCase(), el("Dependent", d)),
      el("MissingDependency", {}, onProduct(), el("Dependent", d)),
    ]),
  );
}
