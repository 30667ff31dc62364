import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { webResources, type WebResourceType } from "../../src/model/webresources";
import { solutionParts, zipParts } from "../../solution/buildSolution";

/** What stands in for a web resource the folder lacks, so a test can start with a few stand-in files. */
const placeholders: Record<WebResourceType, string> = {
  html: "<!doctype html><title>Not built</title><p>This web resource was not built: run npm run build:web.</p>",
  js: "/* This web resource was not built: run npm run build:web. */",
  css: "/* This web resource was not built: run npm run build:web. */",
  svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"></svg>',
  png: "",
};

/**
 * Packs the solution zip (and the Case status solution's) in memory from the product's model and a folder of built web resources,
 * as `npm run build:solution` does, for a sandbox started without a zip (the tests, with their own
 * stand-in panels). Web resources missing from the folder are packed as placeholders and named in
 * `missing`, so the import log says which.
 */
export async function packFolder(
  webResourcesDir: string,
  version: string,
): Promise<{ zip: Uint8Array; caseStatusZip: Uint8Array; missing: string[] }> {
  const missing: string[] = [];
  const readWebResource = (name: string) => {
    const file = join(webResourcesDir, ...name.split("/"));
    if (existsSync(file)) return new Uint8Array(readFileSync(file));
    missing.push(name);
    const type = webResources.find((w) => w.name === name)?.type ?? "js";
    return new TextEncoder().encode(placeholders[type]);
  };
  const parts = solutionParts({ version, managed: false, webResources, readWebResource });
  const caseStatus = solutionParts({ version, managed: false, webResources, readWebResource, package: "caseStatus" });
  return { zip: await zipParts(parts), caseStatusZip: await zipParts(caseStatus), missing };
}
