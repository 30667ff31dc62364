#!/usr/bin/env node
// `npm run bench`: measures the budgets of DESIGN.md and writes bench/results/*.json.
//   bundles        gzipped JS a panel loads first, and what a second panel adds (webresources/dist)
//   panel          requests on panel open (sandbox request log), time to content vs an empty page
//   upload         chunked upload throughput vs one plain PUT of the same bytes, peak memory
//   panel-upload   a 1 GiB upload through the panel's dialog in Chromium vs one plain PUT
//   retention      requests and time for 10,000 folders
//   arrivals       the arrival check over 10,000 upload folders with 20 new files: requests and time
//   faults         the seeds' journeys in Chromium under faults, FAULT_ROUNDS rounds (default 5)
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

/**
 * On-demand chunks a panel starts downloading at startup (src/entries/graphChunk.ts preloadGraph):
 * the panel is not usable (no SharePoint data, no sign-in) before they arrive, so they count in
 * its first load. Other on-demand chunks (the case panel's dialogs) load on a click.
 */
const loadedAtStartup = new Set(["graph"]);

/** The on-demand chunks a built panel script can load: webpack's runtime map `{77:"graph",…}` (or one name). */
function onDemandChunks(file) {
  const src = fs.readFileSync(file, "utf8");
  const many = /"cfx_\/js\/"\+\{([^}]*)\}\[\w+\]\+"\.js"/.exec(src);
  if (many) return [...many[1].matchAll(/:"([^"]+)"/g)].map((x) => x[1]);
  const one = /\.u=\w+=>"cfx_\/js\/([\w-]+)\.js"/.exec(src);
  return one ? [one[1]] : [];
}

const kb = (bytes) => +(bytes / 1024).toFixed(1);

/**
 * Gzipped JS each panel's browser downloads: first paint (the HTML shell's scripts), first load
 * until usable (+ the on-demand chunks started at startup), and a second panel once the shared
 * chunks (vendor.js, graph.js) are cached (only its own script). Dialog chunks loaded on a click
 * are listed apart.
 */
function bundles() {
  if (!fs.existsSync(dist)) spawnSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "inherit" });
  const panels = {};
  const js = path.join(dist, "cfx_/js");
  const shells = fs.existsSync(path.join(dist, "cfx_/panels")) ? fs.readdirSync(path.join(dist, "cfx_/panels")) : [];
  for (const shell of shells.filter((f) => f.endsWith(".html"))) {
    const html = fs.readFileSync(path.join(dist, "cfx_/panels", shell), "utf8");
    const scripts = [...html.matchAll(/<script[^>]*\ssrc=["']?([^"' >]+)/g)].map((m) => path.join(dist, "cfx_/panels", m[1]));
    const present = scripts.filter((s) => fs.existsSync(s));
    const chunks = [...new Set(present.flatMap(onDemandChunks))].map((name) => path.join(js, `${name}.js`));
    const atStartup = chunks.filter((c) => loadedAtStartup.has(path.basename(c, ".js")));
    const later = chunks.filter((c) => !atStartup.includes(c));
    const weigh = (files) => Object.fromEntries(files.filter((f) => fs.existsSync(f)).map((f) => [path.relative(dist, f), gz(f)]));
    const paint = weigh(present);
    const startup = weigh(atStartup);
    const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
    const shared = (f) => /\/(vendor|graph)\.js$/.test(f);
    panels[shell] = {
      firstPaintKB: kb(sum(paint)),
      firstLoadKB: kb(sum(paint) + sum(startup)),
      secondPanelKB: kb(sum(Object.fromEntries(Object.entries({ ...paint, ...startup }).filter(([f]) => !shared(f))))),
      files: { ...paint, ...startup },
      onClick: weigh(later),
      missing: [...scripts, ...chunks].filter((s) => !fs.existsSync(s)).map((s) => path.relative(dist, s)),
    };
  }
  write("bundles", {
    budget: { firstLoadKB: 200, secondPanelKB: 40 },
    how: "gzip -9 of the JS a panel downloads: firstPaint = its HTML shell's scripts; firstLoad = + on-demand chunks started at startup (graph.js: MSAL, pnpjs), i.e. until the panel is usable; secondPanel = what it adds once vendor.js and graph.js are cached; onClick = chunks loaded later (dialogs).",
    panels,
  });
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

/**
 * The fault suite's long run: test/e2e/faults.spec.ts with FAULT_ROUNDS rounds on fresh cases
 * (npm test runs one). Counts rounds passed and failed, and the clicks on "Try again" or Resume a
 * person needed, from the spec's own output.
 */
function faults() {
  const rounds = Number(process.env.FAULT_ROUNDS ?? 5);
  if (!fs.existsSync(dist)) spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  const started = Date.now();
  const r = spawnSync(path.join(root, "node_modules/.bin/playwright"), ["test", "test/e2e/faults.spec.ts"], {
    cwd: root,
    env: {
      ...process.env,
      FAULT_ROUNDS: String(rounds),
      E2E_PORT: process.env.E2E_PORT ?? "8460",
      SANDBOX_DATA_DIR: ".sandbox/bench-faults",
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  const count = (re) => (out.match(re) ?? []).length;
  const clicks = [...out.matchAll(/fault round (\d+): (\d+) "Try again"\/Resume clicks/g)].map((m) => Number(m[2]));
  write("faults", {
    faults: { latencyMs: 200, throttleRate: 0.1, dropRate: 0.01, lostAnswerRate: 0.01 },
    rounds,
    journeysPassed: count(/✓\s+\d+ .*round \d+:/g),
    journeysFailed: count(/✘\s+\d+ .*round \d+:/g),
    restartMidUpload: /✓\s+\d+ .*sandbox restart/.test(out) ? "passed" : "failed",
    userClicksPerRound: clicks,
    minutes: +((Date.now() - started) / 60_000).toFixed(1),
  });
  if (r.status !== 0) console.log(out.split("\n").slice(-60).join("\n"));
}

const parts = {
  bundles: async () => bundles(),
  panel: () => part("panel", "bench-panel.ts", "runPanelBench"),
  upload: () => part("upload", "bench-upload.ts", "runUploadBench"),
  "panel-upload": () => part("panel-upload", "bench-panel-upload.ts", "runPanelUploadBench"),
  retention: () => part("retention", "bench-retention.ts", "runRetentionBench"),
  arrivals: () => part("arrivals", "bench-arrivals.ts", "runArrivalsBench"),
  faults: async () => faults(),
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
