import type { Origins } from "../context";
import { tenantId } from "../seed/people";

/** Mount path of the OpenID issuer on the app origin, shaped like Entra's `/{tenant}/v2.0`. */
export const identityMountPath = `/identity/${tenantId}/v2.0`;

/** The issuer URL (`iss` of every token); the sign-in authority setting points here. */
export function issuerUrl(origins: Origins): string {
  return `${origins.app}${identityMountPath}`;
}

/** Graph's well-known application id: the `aud` Entra puts in many Graph tokens. */
export const graphAppId = "00000003-0000-0000-c000-000000000000";

/** The `aud` the sandbox issues for Graph tokens, as Entra does for `https://graph.microsoft.com/...` scopes. */
export const graphAudience = "https://graph.microsoft.com";

/** Audiences the Graph stand-in accepts: Entra's two forms, and the sandbox's own Graph origin. */
export function graphAudiences(origins: Origins): string[] {
  return [graphAudience, `${graphAudience}/`, graphAppId, origins.graph, `${origins.graph}/`];
}

/** Audiences the Dataverse stand-in accepts: the org URL, with or without the trailing slash. */
export function dataverseAudiences(origins: Origins): string[] {
  return [origins.app, `${origins.app}/`];
}
