/**
 * `npm run build:solution`: writes solution/bin/CaseFileExchange_<version>.zip (unmanaged, for
 * development) and CaseFileExchange_<version>_managed.zip (for production) from the data model
 * and the built web resources in webresources/dist/ (`npm run build:web` first), the same two of
 * CaseFileExchangeCaseStatus (the Case's status columns and views, imported after the product), and
 * CaseFileExchange_Retention_<version>.zip, the retention job for Azure Functions.
 * CFX_WEBRESOURCES_DIST and CFX_SOLUTION_OUT move the input and output folders (the tests use them).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { webResources } from "../src/model/webresources";
import { solutionParts, zipFileName, zipParts } from "./buildSolution";
import { functionPackage, functionPackageName } from "./functionPackage";
import { isSolutionBuildError } from "./SolutionBuildError";
import { dataverseVersion } from "./solutionXml";

const root = resolve(__dirname, "..");

async function main(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const dist = process.env.CFX_WEBRESOURCES_DIST ?? join(root, "webresources", "dist");
  const readWebResource = (name: string) => {
    const file = join(dist, ...name.split("/"));
    return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
  };
  const out = process.env.CFX_SOLUTION_OUT ?? join(root, "solution", "bin");
  mkdirSync(out, { recursive: true });
  const version = dataverseVersion(pkg.version);
  // The product, then the Case status columns and views, imported after it.
  for (const solution of ["product", "caseStatus"] as const) {
    for (const managed of [false, true]) {
      const parts = solutionParts({ version: pkg.version, managed, webResources, readWebResource, package: solution });
      const file = join(out, zipFileName(version, managed, solution));
      writeFileSync(file, await zipParts(parts));
      console.log(`${file} (${parts.length} files)`);
    }
  }
  // The retention job, for zip deployment to Azure Functions.
  const job = join(out, functionPackageName(pkg.version));
  writeFileSync(job, await functionPackage(pkg.version));
  console.log(`${job} (the retention job for Azure Functions)`);
}

main().catch((e: unknown) => {
  console.error(isSolutionBuildError(e) ? `build:solution: ${e.message}` : e);
  process.exit(1);
});
