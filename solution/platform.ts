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
