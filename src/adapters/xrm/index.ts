/** Dataverse through Xrm.WebApi, for the panels. */
export * from "./DataverseError";
export * from "./SessionCache";
export * from "./XrmCrmGateway";
export * from "./XrmSettingsSource";
export * from "./XrmUserSource";
