#!/usr/bin/env node
// `npx cfx-retention`: the retention job's command line. Runs the TypeScript sources through tsx
// (a dependency of the repository); a deployment can bundle src/jobs/cli.ts instead.
require("tsx/cjs");
const { runCli } = require("../cli.ts");
runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`The retention job failed unexpectedly: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 3;
  },
);
