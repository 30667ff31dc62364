#!/usr/bin/env node
// `npm run bench`: measures the budgets of DESIGN.md and writes bench/results/*.json.
//   bundles        gzipped JS a panel loads first, and what a second panel adds (webresources/dist)
//   panel          requests on panel open (sandbox request log), time to content vs an empty page
//   upload         chunked upload throughput vs one plain PUT of the same bytes, peak memory
//   panel-upload   a 1 GiB upload through the panel's dialog in Chromium vs one plain PUT
//   retention      requests and time for 10,000 folders
// Run one part with `npm run bench -- bundles upload`.
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const results = path.join(root, "bench/results");
const dist = path.join(root, "webresources/dist");
fs.mkdirSync(results, { recursive: true });

function write(name, data) {
  const file = path.join(results, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ measuredAt: new Date().toISOString(), ...data }, null, 2) + "\n");
  console.log(`${name}: ${JSON.stringify(data)}`);
  console.log(`  → ${path.relative(root, file)}`);
}

const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** Gzipped weight of what each panel's HTML shell loads, and what a second panel adds. */
function bundles() {
  if (!fs.existsSync(dist)) spawnSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "inherit" });
  const panels = {};
  const shells = fs.existsSync(path.join(dist, "cfx_/panels")) ? fs.readdirSync(path.join(dist, "cfx_/panels")) : [];
  for (const shell of shells.filter((f) => f.endsWith(".html"))) {
    const html = fs.readFileSync(path.join(dist, "cfx_/panels", shell), "utf8");
    const scripts = [...html.matchAll(/<script[^>]*\ssrc=["']?([^"' >]+)/g)].map((m) => path.join(dist, "cfx_/panels", m[1]));
    const present = scripts.filter((s) => fs.existsSync(s));
    const perFile = Object.fromEntries(present.map((s) => [path.relative(dist, s), gz(s)]));
    const own = present.filter((s) => !s.endsWith("vendor.js")).reduce((n, s) => n + gz(s), 0);
    panels[shell] = {
      firstLoadKB: +(Object.values(perFile).reduce((a, b) => a + b, 0) / 1024).toFixed(1),
      addedWhenVendorCachedKB: +(own / 1024).toFixed(1),
      files: perFile,
      missing: scripts.filter((s) => !fs.existsSync(s)).map((s) => path.relative(dist, s)),
    };
  }
  write("bundles", { budget: { firstLoadKB: 200, secondPanelKB: 40 }, panels });
}

/** Runs a bench part written in TypeScript by its owner (scripts/bench-<part>.ts), if it exists. */
async function part(name, file, fn) {
  const full = path.join(root, "scripts", file);
  if (!fs.existsSync(full)) {
    console.log(`${name}: not measured yet (scripts/${file} does not exist).`);
    return;
  }
  const tsx = require("tsx/cjs/api");
  const mod = tsx.require(full, __filename);
  write(name, await mod[fn]());
}

const parts = {
  bundles: async () => bundles(),
  panel: () => part("panel", "bench-panel.ts", "runPanelBench"),
  upload: () => part("upload", "bench-upload.ts", "runUploadBench"),
  "panel-upload": () => part("panel-upload", "bench-panel-upload.ts", "runPanelUploadBench"),
  retention: () => part("retention", "bench-retention.ts", "runRetentionBench"),
};

(async () => {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(parts);
  for (const name of wanted) {
    if (!parts[name]) throw new Error(`Unknown bench part "${name}". Parts: ${Object.keys(parts).join(", ")}.`);
    await parts[name]();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
