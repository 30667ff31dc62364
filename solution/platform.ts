import { optionValuePrefix } from "../src/model/choices";

/**
 * The platform version written into solution.xml and customizations.xml: the one of the real
 * export the layout is modelled on (9.2.26043, `generatedBy="CrmLive"`). Import reads these as
 * information; a solution built for an older version than the target imports fine.
 */
export const platform = {
  version: "9.2.26043.173",
  serviceabilityVersion: "9.2.26043.00173",
} as const;

/** Dynamics 365 Customer Service, which owns the Case table, as a real export names it. */
export const customerService = {
  solution: "msdynce_Service (9.0.5.56)",
  appName: "msdynce_Service",
  packageVersion: "9.0.26073.1006",
  packageName: "msdynce_ServiceAnchor (9.0.26073.1006)",
} as const;

export const publisher = {
  uniqueName: "casefileexchange",
  displayName: "Case File Exchange",
  description: "Publisher of the Case File Exchange solution.",
  prefix: "cfx",
  optionValuePrefix,
} as const;

export const solutionInfo = {
  uniqueName: "CaseFileExchange",
  displayName: "Case File Exchange",
  description:
    "Moves customer files between support and customers through SharePoint, driven from the Dynamics 365 case: hardware tickets, file exchanges, recipients, receipts, panels, roles and settings.",
} as const;

/**
 * The Case status columns and the Case views that show them ship as a solution of their own,
 * imported after the product: their definition files (rollup formulas) follow a layout no real
 * export could be compared with here, and a refused import of this solution leaves the product
 * installed and working. docs/deploy.md says how to add the columns by hand instead.
 */
export const caseStatusSolutionInfo = {
  uniqueName: "CaseFileExchangeCaseStatus",
  displayName: "Case File Exchange: Case Status",
  description:
    "Rollup columns on the Case that count its file exchanges by stage and give the next folder deletion, and the Case views that show them. Import after Case File Exchange.",
} as const;

/** Which of the two solutions a zip holds. */
export type SolutionPackage = "product" | "caseStatus";

export function infoOf(pkg: SolutionPackage): { readonly uniqueName: string; readonly displayName: string; readonly description: string } {
  return pkg === "product" ? solutionInfo : caseStatusSolutionInfo;
}
