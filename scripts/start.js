#!/usr/bin/env node
// `npm start` (after `npm run build`): runs the sandbox (TypeScript, through tsx) in this process's
// terminal; it imports the unmanaged solution zip the build wrote, as a customizer would.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
// Dataverse's four-part version, as solution/solutionXml.ts's dataverseVersion writes it in the file name.
const parts = version.split(/[-+]/)[0].split(".");
while (parts.length < 4) parts.push("0");
const fourParts = parts.join(".");
const zip = path.join(process.env.CFX_SOLUTION_OUT || path.join(root, "solution", "bin"), `CaseFileExchange_${fourParts}.zip`);
const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "sandbox/main.ts")], {
  cwd: root,
  stdio: "inherit",
  env: { SANDBOX_SOLUTION_ZIP: zip, ...process.env },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
