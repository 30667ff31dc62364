import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

let compiled: string | undefined;

/**
 * The shell's browser script, compiled from TypeScript at first use (one file, no imports, so a
 * transpile is enough; the type check is the project's `tsc`).
 */
export function shellClientScript(): string {
  if (compiled === undefined) {
    const source = readFileSync(join(__dirname, "client/shell.ts"), "utf8");
    const out = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ES2020 },
    }).outputText;
    compiled = `(function () {\n${out.replace(/^export \{\};?\s*$/m, "")}\n})();\n`;
  }
  return compiled;
}
