/** Pure rules: no I/O, no clock, no vendor types. */
export * from "./errors";
export * from "./exchange";
export * from "./settings";
export * from "./itemNames";
export * from "./folderNaming";
export * from "./folderAdoption";
export * from "./folderLink";
export * from "./expiry";
export * from "./shareMessage";
export * from "./recipientPolicy";
export * from "./lifecycle";
export * from "./statusSummary";
export * from "./onceId";
export * from "./recordIds";
export * from "./notificationAudience";
export * from "./malware";
