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

const MINUTE = 60_000;

/**
 * Runs one step. A step that outlives `minutes` is killed and counts as failed: a test run that
 * hangs (an open handle keeping jest alive, a browser that never answers) must end the run red,
 * not keep CI waiting until its own limit.
 */
function run(name, cmd, args, { env = {}, minutes = 10 } = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
    timeout: minutes * MINUTE,
    killSignal: "SIGKILL",
  });
  if (r.error && r.error.code === "ETIMEDOUT") console.error(`\n${name}: still running after ${minutes} minutes; stopped.`);
  if (r.status !== 0) failures.push(name);
  return r.status === 0;
}

/** A package's command line, run directly (not through npx, so that a timeout kills the runner itself). */
const bin = (name) => path.join(root, "node_modules", ".bin", name);

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

function jest(project, minutes) {
  const out = path.join(tmp, `${project}.json`);
  run(`${project} tests`, bin("jest"), ["--selectProjects", project, "--json", `--outputFile=${out}`, "--passWithNoTests"], { minutes });
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
  run("browser tests", bin("playwright"), ["test", "--reporter=list,json"], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: out },
    minutes: 25,
  });
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
jest("unit", 10);
jest("integration", 30);
if (toolsOk) playwright();

console.log("");
if (failures.length) console.log(`Failed steps: ${failures.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);
