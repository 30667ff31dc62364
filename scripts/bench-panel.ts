import { chromiumLaunchOptions } from "../test/support/chromium";
/**
 * `npm run bench -- panel`: what opening the case panel costs, measured in Chromium against a
 * sandbox of its own.
 *
 * - Requests: the sandbox's request log, cleared before the File Exchange tab is opened and read
 *   once the panel shows its content; preflights (OPTIONS), sign-in and token requests are not
 *   counted (DESIGN.md budgets). First open in a browser session (settings, sign-in name and the
 *   library's site and drive read once, then cached) and a repeat open (the page reloaded in the
 *   same tab: everything cached) are reported apart.
 * - Time to content: from the frame's navigation start to the first exchange card with its files
 *   table (the Dataverse read and the Graph batch done), against an empty React page loaded the
 *   same way in the same run: the same form, tab and frame URL, its HTML and script swapped in by
 *   the browser's request routing. Medians of several runs; the ratio is what to compare across
 *   machines.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startSandbox, type TestSandbox } from "../test/integration/support/sandbox";
import { stableId } from "../sandbox/seed/ids";

const root = resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_PANEL_RUNS ?? 5);
const CASE = "CAS-01003-G7H8J9";
const FRAME = "cfx_/panels/case.html";

/** Runs in every frame: records when the panel's content (or the empty page's) first appears. */
const probe = `(() => {
  if (!location.pathname.endsWith("/${FRAME}")) return;
  const seen = () => document.querySelector("section[data-exchange] table, #bench-content");
  const mark = () => { if (window.__ttc === undefined && seen()) { window.__ttc = performance.now(); return true; } return false; };
  const watch = () => { if (mark()) return; new MutationObserver((_, o) => { if (mark()) o.disconnect(); }).observe(document, { subtree: true, childList: true }); };
  if (document.documentElement) watch(); else document.addEventListener("readystatechange", watch, { once: true });
})();`;

/** A bare React page: React and ReactDOM rendering one element, built with the same webpack. */
async function buildEmpty(): Promise<{ html: string; js: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), "cfx-bench-empty-"));
  const entry = join(dir, "empty.js");
  writeFileSync(
    entry,
    `import { createElement } from "react"; import { createRoot } from "react-dom/client";
     createRoot(document.getElementById("root")).render(createElement("div", { id: "bench-content" }, "ready"));`,
  );
  // A webpack of its own in a child process: its minifier's workers do not load under tsx's hooks.
  const config = join(dir, "webpack.config.js");
  writeFileSync(
    config,
    `module.exports = { mode: "production", context: ${JSON.stringify(root)}, entry: { empty: ${JSON.stringify(entry)} },
      output: { path: ${JSON.stringify(dir)}, filename: "[name].bundle.js" }, resolve: { modules: [${JSON.stringify(join(root, "node_modules"))}] },
      performance: { hints: false } };`,
  );
  const built = spawnSync(process.execPath, [join(root, "node_modules/webpack-cli/bin/cli.js"), "--config", config], {
    cwd: root,
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`Building the empty React page failed:\n${built.stdout}\n${built.stderr}`);
  const { readFileSync } = await import("node:fs");
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>empty</title></head><body><div id="root"></div><script src="../js/bench-empty.js"></script></body></html>`,
    js: readFileSync(join(dir, "empty.bundle.js")),
  };
}

interface LogEntry {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
}

function countRequests(log: readonly LogEntry[], sandbox: TestSandbox) {
  const real = log.filter((e) => e.method !== "OPTIONS");
  const dataverse = real.filter((e) => e.origin === sandbox.origins.app && e.path.startsWith("/api/data/"));
  const graph = real.filter((e) => e.origin === sandbox.origins.graph);
  const batches = graph.filter((e) => e.path.startsWith("/v1.0/$batch"));
  return {
    dataverse: dataverse.length,
    graph: graph.length,
    graphBatches: batches.length,
    dataversePaths: dataverse.map((e) => e.path.split("?")[0]),
    graphPaths: graph.map((e) => e.path.split("?")[0]),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

async function openTab(page: Page): Promise<number> {
  await page.getByRole("tab", { name: "File Exchange" }).click();
  const frame = page.frameLocator(`iframe[src*="${FRAME}"]`);
  await frame.locator("section[data-exchange] table, #bench-content").first().waitFor({ timeout: 60_000 });
  const el = page.locator(`iframe[src*="${FRAME}"]`);
  const handle = await (await el.elementHandle())!.contentFrame();
  return (await handle!.evaluate(() => (window as unknown as { __ttc?: number }).__ttc ?? NaN)) as number;
}

/** Runs the panel benchmark; the lead's scripts/bench.js writes what it returns to bench/results/panel.json. */
export async function runPanelBench(): Promise<object> {
  if (!existsSync(join(root, "webresources/dist/cfx_/js/case-panel.js")))
    spawnSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "inherit" });
  const empty = await buildEmpty();
  const sandbox = await startSandbox();
  const browser: Browser = await chromium.launch(chromiumLaunchOptions());
  const caseUrl = `/main.aspx?pagetype=entityrecord&etn=incident&id=${stableId(`incident/${CASE}`)}`;
  const clearLog = () => fetch(`${sandbox.origins.app}/_sandbox/requests`, { method: "DELETE" });
  const readLog = async () => (await (await fetch(`${sandbox.origins.app}/_sandbox/requests`)).json()) as LogEntry[];
  try {
    const open = async (kind: "panel" | "empty") => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 1000 } });
      await context.addInitScript(probe);
      if (kind === "empty") {
        await context.route(`**/WebResources/${FRAME}*`, (route) => route.fulfill({ contentType: "text/html", body: empty.html }));
        await context.route("**/WebResources/cfx_/js/bench-empty.js", (route) =>
          route.fulfill({ contentType: "text/javascript", body: empty.js }),
        );
      }
      const page = await context.newPage();
      await page.goto(`${sandbox.origins.app}/_sandbox/signin?user=agent&returnTo=${encodeURIComponent(caseUrl)}`);
      await page.getByRole("tab", { name: "File Exchange" }).waitFor();
      return { context, page };
    };

    const first: number[] = [];
    const repeat: number[] = [];
    const emptyTimes: number[] = [];
    let firstRequests: ReturnType<typeof countRequests> | undefined;
    let repeatRequests: ReturnType<typeof countRequests> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const e = await open("empty");
      emptyTimes.push(await openTab(e.page));
      await e.context.close();

      const { context, page } = await open("panel");
      await clearLog();
      first.push(await openTab(page));
      await page.waitForTimeout(500);
      firstRequests ??= countRequests(await readLog(), sandbox);
      // Same tab, page reloaded: the session's caches (settings, sign-in name, site and drive, token) hold.
      await page.reload();
      await page.getByRole("tab", { name: "File Exchange" }).waitFor();
      await clearLog();
      repeat.push(await openTab(page));
      await page.waitForTimeout(500);
      repeatRequests ??= countRequests(await readLog(), sandbox);
      await context.close();
    }
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      case: CASE,
      runs: RUNS,
      budget: { dataverseRequests: 1, graphRequests: 1 },
      requests: { firstOpenInSession: firstRequests, repeatOpen: repeatRequests },
      timeToContentMs: {
        emptyReactPage: round(median(emptyTimes)),
        panelFirstOpen: round(median(first)),
        panelRepeatOpen: round(median(repeat)),
      },
      ratioToEmptyReactPage: {
        firstOpen: round(median(first) / median(emptyTimes)),
        repeatOpen: round(median(repeat) / median(emptyTimes)),
      },
      samplesMs: { empty: emptyTimes.map(round), first: first.map(round), repeat: repeat.map(round) },
    };
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}
