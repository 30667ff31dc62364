import { settingDefs } from "../model";
import { ValidationError } from "./errors";
import type { Settings } from "./settings";

/** The settings that name the hosts a panel reaches besides its own origin (the organization's). */
export type PolicyHosts = Pick<Settings, "graphEndpoint" | "siteUrl" | "authority">;

// Hosts a source expression can carry as they are: DNS labels (localhost and dotted IPv4 included)
// or a bracketed IPv6 address. The URL parser lets `;`, `,`, `'` and `*` through in a host, and
// each would end the directive, start another source or widen it, so anything else is refused.
const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const hostPattern = new RegExp(`^(?:${label}(?:\\.${label})*|\\[[0-9a-f:.]+\\])$`);

function originOf(key: keyof PolicyHosts, value: string): string {
  const def = settingDefs.find((d) => d.key === key)!;
  const refuse = (why: string): never => {
    throw new ValidationError("settingInvalid", `The setting ${def.schemaName} (${def.displayName}) ${why}`, key);
  };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return refuse(`must be an https URL, not "${value}".`);
  }
  if (url.protocol !== "https:") refuse(`must be an https URL, not "${value}".`);
  if (url.username || url.password) refuse("must not carry a user name or password.");
  if (!hostPattern.test(url.hostname)) refuse(`names a host that a content security policy cannot name: "${url.hostname}".`);
  // Scheme, host and port (the default 443 dropped): a path would narrow nothing for a redirect,
  // and SharePoint's upload URLs live under other paths of the site's host.
  return url.origin;
}

/**
 * The policy a panel adds once it has read its settings, on top of the baseline in its HTML
 * (which allows any https host, since the hosts differ per organization). Both policies apply, so
 * the panel may then reach only its own origin (the organization: web resources, Dataverse), the
 * Graph endpoint, the SharePoint host of the site (upload sessions) and the sign-in authority
 * (MSAL reads its metadata and redeems codes and refresh tokens with fetch), and frame only its own
 * origin (the redirect page MSAL's hidden frame lands on) and the authority.
 * Throws a ValidationError naming the setting whose URL cannot be put in a policy.
 */
export function narrowedContentPolicy(hosts: PolicyHosts): string {
  const graph = originOf("graphEndpoint", hosts.graphEndpoint);
  const sharePoint = originOf("siteUrl", hosts.siteUrl);
  const authority = originOf("authority", hosts.authority);
  const connect = [...new Set([graph, sharePoint, authority])];
  return `connect-src 'self' ${connect.join(" ")}; frame-src 'self' ${authority}`;
}
