// Whitespace and control characters anywhere: browsers drop some of them while parsing an href
// ("java\tscript:"), so an address that holds any is not taken as a link at all.
const blankOrControl = /[\s\u0000-\u001f\u007f-\u009f]/;

/**
 * The exchange's web URL as the panels may render or copy it: only an absolute https address on the
 * host (and port) of the SharePoint site setting, without credentials, comes back, in canonical
 * form. Anything else (`javascript:`, `data:`, http, another or look-alike host, surrounding
 * whitespace) gives undefined, and the panel shows the folder's path as plain text.
 */
export function sharePointLink(webUrl: string | null | undefined, siteUrl: string): string | undefined {
  if (!webUrl || blankOrControl.test(webUrl) || !/^https:\/\//i.test(webUrl)) return undefined;
  let url: URL;
  let site: URL;
  try {
    url = new URL(webUrl);
    site = new URL(siteUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || site.protocol !== "https:") return undefined;
  if (url.username || url.password) return undefined;
  if (url.host !== site.host) return undefined;
  return url.href;
}
