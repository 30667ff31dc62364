import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The static policy every HTML web resource ships (README, "Content security policy"), checked
 * against the files as written: the build copies them byte for byte (webpack.config.js), and a
 * hash in style-src allows an inline <style> only while its text is exactly what was hashed.
 */
const dir = join(__dirname, "../../../webresources");
const read = (file: string) => readFileSync(join(dir, file), "utf8");
const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** Fluent's merge-styles inserts empty <style> elements and fills them through CSSOM insertRule. */
const emptyStyleHash = sha256("");

/** Directive → sources, in the order written. */
function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

function shippedPolicy(html: string): string {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
  expect(metas).toHaveLength(1);
  return metas[0][1];
}

const inlineStyles = (html: string) => [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);

const panels = ["panels/case.html", "panels/ticket.html", "panels/upload.html"];
const dashboardTile = "dashboards/retention-health.html";
const all = [...panels, "auth/redirect.html", dashboardTile];

describe("the Content-Security-Policy in each HTML web resource", () => {
  test.each(all)("%s: the policy comes before anything it governs, and nothing inline runs", (file) => {
    const html = read(file);
    const head = html.slice(html.indexOf("<head>"), html.indexOf("</head>"));
    // Only the charset and comments before it: a policy applies to what follows it.
    expect(head.slice(0, head.indexOf('<meta http-equiv="Content-Security-Policy"'))).toMatch(
      /^<head>\s*<meta charset="utf-8" \/>\s*(<!--[\s\S]*?-->\s*)*$/,
    );
    for (const script of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(script[1]).toMatch(/ src="\.\.\/js\/[a-z-]+\.js"/);
      expect(script[2].trim()).toBe("");
    }
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|javascript:/i);
  });

  test.each(all)("%s: style-src holds the hash of each inline <style> as written", (file) => {
    const html = read(file);
    const styles = inlineStyles(html).map(sha256);
    const allowed = directives(shippedPolicy(html)).get("style-src") ?? [];
    expect(allowed.filter((s) => s.startsWith("'sha256-") && s !== emptyStyleHash).sort()).toEqual([...new Set(styles)].sort());
    expect(allowed).not.toContain("'unsafe-inline'");
  });

  test.each(panels)("%s: the baseline every organization gets before its settings are read", (file) => {
    const policy = directives(shippedPolicy(read(file)));
    const [pageStyle] = inlineStyles(read(file)).map(sha256);
    expect(Object.fromEntries(policy)).toEqual({
      "default-src": ["'none'"],
      "script-src": ["'self'"],
      "style-src": ["'self'", emptyStyleHash, pageStyle],
      "img-src": ["'self'"],
      // Graph, SharePoint and the authority differ per organization: https: until the settings narrow it.
      "connect-src": ["'self'", "https:"],
      "frame-src": ["'self'", "https:"],
      "form-action": ["'none'"],
      "base-uri": ["'none'"],
      "object-src": ["'none'"],
    });
  });

  test("the three panels ship one and the same policy", () => {
    expect(new Set(panels.map((f) => shippedPolicy(read(f)))).size).toBe(1);
  });

  test("the redirect page runs its own script and fetches and frames nothing", () => {
    const html = read("auth/redirect.html");
    expect(Object.fromEntries(directives(shippedPolicy(html)))).toEqual({
      "default-src": ["'none'"],
      "script-src": ["'self'"],
      "style-src": inlineStyles(html).map(sha256),
      "form-action": ["'none'"],
      "base-uri": ["'none'"],
      "object-src": ["'none'"],
    });
  });

  test("the dashboard's retention tile reads the organization's own Web API and frames nothing", () => {
    const html = read(dashboardTile);
    expect(Object.fromEntries(directives(shippedPolicy(html)))).toEqual({
      "default-src": ["'none'"],
      "script-src": ["'self'"],
      // Plain React, no Fluent: nothing inserts <style> elements, so only the page's own style is allowed.
      "style-src": ["'self'", ...inlineStyles(html).map(sha256)],
      "img-src": ["'self'"],
      "connect-src": ["'self'"],
      "frame-src": ["'none'"],
      "form-action": ["'none'"],
      "base-uri": ["'none'"],
      "object-src": ["'none'"],
    });
  });

  test("no directive a <meta> policy ignores (frame-ancestors, report-uri, sandbox)", () => {
    for (const file of all) {
      const names = [...directives(shippedPolicy(read(file))).keys()];
      expect(names.filter((n) => ["frame-ancestors", "report-uri", "report-to", "sandbox"].includes(n))).toEqual([]);
    }
  });
});
