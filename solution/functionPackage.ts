/**
 * The retention job as an Azure Functions app (Node.js, v4 programming model), ready for zip
 * deployment: `host.json`, `package.json` and `dist/index.js`, one file that webpack bundles from
 * `src/jobs/functions.ts` with every dependency in it (MSAL for Node, `@azure/functions`), so the
 * zip needs no `npm install` on the server. Only `@azure/functions-core` stays out: the Functions
 * worker provides it at run time.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import JSZip from "jszip";
import webpack from "webpack";

const root = resolve(__dirname, "..");

/** The function app's host settings: a run may take 10 minutes (the Consumption plan's most). */
export const hostJson = {
  version: "2.0",
  functionTimeout: "00:10:00",
  logging: {
    logLevel: { default: "Information", "Function.cfxRetention.User": "Information" },
    applicationInsights: { samplingSettings: { isEnabled: false } },
  },
  extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
};

export function functionPackageJson(version: string) {
  return {
    name: "case-file-exchange-retention",
    version,
    private: true,
    description: "Case File Exchange: the retention job on an Azure Functions timer.",
    main: "dist/index.js",
    engines: { node: ">=20" },
  };
}

/** Bundles `src/jobs/functions.ts` for Node and returns the bundle's text. */
export async function bundleFunction(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "cfx-function-"));
  try {
    const stats = await new Promise<webpack.Stats>((done, fail) =>
      webpack(
        {
          mode: "production",
          target: "node20",
          context: root,
          entry: join(root, "src/jobs/functions.ts"),
          output: { path: out, filename: "index.js", library: { type: "commonjs2" } },
          resolve: { extensions: [".ts", ".js"] },
          module: {
            rules: [{ test: /\.ts$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true } } }],
          },
          // Provided by the Functions worker; `@azure/functions` runs in test mode without it.
          externals: { "@azure/functions-core": "commonjs @azure/functions-core" },
          // Names stay readable in a stack trace in Application Insights.
          optimization: { minimize: false },
          devtool: false,
          performance: { hints: false },
        },
        (err, result) => (err || !result ? fail(err ?? new Error("webpack gave no result")) : done(result)),
      ),
    );
    if (stats.hasErrors()) throw new Error(`The function bundle did not build:\n${stats.toString({ all: false, errors: true })}`);
    return readFileSync(join(out, "index.js"), "utf8");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The zip for `az functionapp deployment source config-zip` (or the portal's zip deploy). */
export async function functionPackage(version: string): Promise<Uint8Array> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2020, 0, 1));
  zip.file("host.json", JSON.stringify(hostJson, null, 2) + "\n", { date, createFolders: false });
  zip.file("package.json", JSON.stringify(functionPackageJson(version), null, 2) + "\n", { date, createFolders: false });
  zip.file("dist/index.js", await bundleFunction(), { date, createFolders: false });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
}

/** `CaseFileExchange_Retention_0.1.0.zip` */
export function functionPackageName(version: string): string {
  return `CaseFileExchange_Retention_${version}.zip`;
}
