/**
 * Narrows a panel's Content-Security-Policy to the hosts its settings name: a second policy in a
 * `<meta http-equiv>` element appended to the head. Chromium enforces such an element from the
 * moment it is inserted, beside the baseline in the page's HTML, and removing it later does not
 * lift it, so it can only take away (test/e2e/content-policy.spec.ts checks both).
 */
import { narrowedContentPolicy, type PolicyHosts } from "../domain/contentPolicy";

/** Adds the settings' policy once per page; throws a ValidationError for a URL no policy can name. */
export function narrowContentPolicy(hosts: PolicyHosts): void {
  const policy = narrowedContentPolicy(hosts);
  for (const meta of document.head.querySelectorAll("meta[http-equiv='Content-Security-Policy' i]")) {
    if (meta.getAttribute("content") === policy) return;
  }
  const meta = document.createElement("meta");
  meta.httpEquiv = "Content-Security-Policy";
  meta.content = policy;
  document.head.appendChild(meta);
}
