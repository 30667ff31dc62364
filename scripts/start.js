#!/usr/bin/env node
// `npm start` (after `npm run build:web`): runs the sandbox (TypeScript, through tsx) in this process's terminal.
const { spawn } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "sandbox/main.ts")], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
