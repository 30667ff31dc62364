import { stableId } from "../seed/ids";

/**
 * The app registrations of the sandbox's Entra stand-in. The Dataverse seed puts `spaClientId`
 * into `cfx_EntraClientId`; the retention job uses `retentionJobClientId` with its certificate.
 */
export const spaClientId = stableId("entra/app/case-file-exchange-spa");
export const retentionJobClientId = stableId("entra/app/case-file-exchange-retention-job");

/** Application permissions granted to the retention job (app-only tokens carry them in `roles`). */
export const retentionJobRoles = ["Sites.Selected"] as const;

/** The delegated Graph permissions a user token carries in `scp`, as after admin consent. */
export const delegatedGraphScopes = ["Files.ReadWrite.All", "Sites.Selected", "User.Read", "Chat.Create", "ChatMessage.Send"] as const;

/** Path of the redirect bridge page the SPA registers, under `/WebResources/` or `/%7B<version>%7D/WebResources/`. */
export const redirectWebResource = "cfx_/auth/redirect.html";
