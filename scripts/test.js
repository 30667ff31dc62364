#!/usr/bin/env node
// `npm test`: lint, type check, build, unit, integration and browser tests, in that order.
// Ends with one line "N passed, M failed" summing every test runner's count.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cfx-test-"));
let passed = 0;
let failed = 0;
const failures = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) failures.push(name);
  return r.status === 0;
}

function has(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Chromium and xmllint are needed; on Debian as root they are installed, elsewhere we say what to install. */
function ensureTools() {
  const missing = [];
  if (!has("chromium") && !fs.existsSync("/usr/bin/chromium")) missing.push("chromium");
  if (!has("xmllint")) missing.push("libxml2-utils");
  if (missing.length === 0) return true;
  const debian = fs.existsSync("/etc/debian_version");
  const rootUser = typeof process.getuid === "function" && process.getuid() === 0;
  if (debian && rootUser) {
    console.log(`Installing ${missing.join(", ")} with apt-get…`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const ok =
      spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env }).status === 0 &&
      spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env }).status === 0;
    if (ok) return true;
  }
  console.error(
    `The tests need ${missing.join(" and ")}. Install ${debian ? `them: apt-get install -y ${missing.join(" ")}` : "Chromium (at /usr/bin/chromium) and xmllint (libxml2)"}, then run npm test again.`,
  );
  return false;
}

function jest(project) {
  const out = path.join(tmp, `${project}.json`);
  run(`${project} tests`, "npx", ["jest", "--selectProjects", project, "--json", `--outputFile=${out}`, "--passWithNoTests"]);
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numRuntimeErrorTestSuites > 0) failed += r.numRuntimeErrorTestSuites;
  }
}

function playwright() {
  const specs =
    fs.existsSync(path.join(root, "test/e2e")) && fs.readdirSync(path.join(root, "test/e2e")).some((f) => f.endsWith(".spec.ts"));
  if (!specs) {
    console.log("\n=== browser tests: none yet");
    return;
  }
  const out = path.join(tmp, "e2e.json");
  run("browser tests", "npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, "utf8"));
    passed += r.stats.expected + (r.stats.flaky || 0);
    failed += r.stats.unexpected;
  }
}

const toolsOk = ensureTools();
if (!toolsOk) failures.push("tools");
run("lint", "npm", ["run", "--silent", "lint"]);
run("type check", "npm", ["run", "--silent", "typecheck"]);
run("build", "npm", ["run", "--silent", "build"]);
jest("unit");
jest("integration");
if (toolsOk) playwright();

console.log("");
if (failures.length) console.log(`Failed steps: ${failures.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);
