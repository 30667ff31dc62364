import { chromiumLaunchOptions } from "../test/support/chromium";
// The panel-upload part of `npm run bench`: a 1 GiB file uploaded through the hardware ticket
// panel's upload dialog in Chromium (the specialist's real path: side dialog, GraphUploader,
// receipts), against one plain PUT of the same bytes from the same page to the SharePoint host's
// `/_sandbox/sink`. Also reports the dialog frame's peak JS heap (memory flat in file size).
// Run alone: `node --import tsx scripts/bench-panel-upload.ts` (CFX_BENCH_PANEL_MB, default 1024).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Frame, type Page } from "playwright-core";
import { startSandbox } from "../test/integration/support/sandbox";
import { writeTestFile } from "./bench-upload";

const MiB = 1024 * 1024;
const NUMBER = "CAS-01000-Z9Y8X7";

async function dataverse<T>(token: string, app: string, path: string): Promise<T> {
  const r = await fetch(`${app}/api/data/v9.2/${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function frameOf(page: Page, part: string): Promise<Frame> {
  for (let i = 0; i < 300; i++) {
    const f = page.frames().find((x) => x.url().includes(part));
    if (f) return f;
    await page.waitForTimeout(100);
  }
  throw new Error(`No frame ${part}`);
}

/** Samples the frame's JS heap every 250 ms (Chromium's performance.memory). */
function heapSampler(frame: Frame) {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const used = await frame
        .evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0)
        .catch(() => 0);
      peak = Math.max(peak, used);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return Math.round((peak / MiB) * 10) / 10;
    },
  };
}

export async function runPanelUploadBench(): Promise<object> {
  const megabytes = Number(process.env.CFX_BENCH_PANEL_MB ?? 1024);
  const bytes = megabytes * MiB;
  const dir = join(tmpdir(), `cfx-bench-panel-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "customer-backup.img");
  await writeTestFile(file, bytes);
  const sandbox = await startSandbox();
  const browser = await chromium.launch(chromiumLaunchOptions(["--enable-precise-memory-info"]));
  try {
    const app = sandbox.origins.app;
    const token = await sandbox.token("admin", "dataverse");
    const cases = await dataverse<{ value: { incidentid: string }[] }>(
      token,
      app,
      `incidents?$select=incidentid&$filter=ticketnumber eq '${NUMBER}'`,
    );
    const tickets = await dataverse<{ value: { cfx_hardwareticketid: string }[] }>(
      token,
      app,
      `cfx_hardwaretickets?$select=cfx_hardwareticketid&$filter=_cfx_caseid_value eq ${cases.value[0].incidentid}`,
    );
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const returnTo = `/main.aspx?pagetype=entityrecord&etn=cfx_hardwareticket&id=${tickets.value[0].cfx_hardwareticketid}`;
    await page.goto(`${app}/_sandbox/signin?user=specialist&returnTo=${encodeURIComponent(returnTo)}`);
    const panel = page.frameLocator('iframe[src*="cfx_/panels/ticket.html"]');
    await panel.getByRole("button", { name: "Prepare folder" }).click({ timeout: 60_000 });
    await panel.getByRole("button", { name: "Upload backup" }).click({ timeout: 60_000 });
    const dialog = page.frameLocator('iframe[src*="cfx_/panels/upload.html"]');
    await dialog.getByTestId("pick-files").waitFor({ state: "attached", timeout: 60_000 });
    const dialogFrame = await frameOf(page, "cfx_/panels/upload.html");

    // Baseline: one plain PUT of the same bytes from this page to the SharePoint host's sink.
    await dialogFrame.evaluate(() => {
      const input = document.createElement("input");
      input.type = "file";
      input.id = "bench-baseline";
      input.hidden = true;
      document.body.appendChild(input);
    });
    await dialogFrame.setInputFiles("#bench-baseline", file);
    const sink = `${sandbox.origins.sharepoint}/_sandbox/sink`;
    const baseline = await dialogFrame.evaluate(async (url) => {
      const f = (document.getElementById("bench-baseline") as HTMLInputElement).files![0];
      const t0 = performance.now();
      const r = await fetch(url, { method: "PUT", body: f });
      const body = (await r.json()) as { size: number };
      return { ms: performance.now() - t0, status: r.status, size: body.size };
    }, sink);
    if (baseline.size !== bytes) throw new Error(`The sink stored ${baseline.size} bytes, not ${bytes}.`);

    // Through the dialog: pick the file, wait for "Verified".
    await sandbox.fetchAs("admin", `${app}/_sandbox/requests`, { method: "DELETE" }).catch(() => undefined);
    const heap = heapSampler(dialogFrame);
    const t0 = Date.now();
    await dialog.getByTestId("pick-files").setInputFiles(file);
    await dialog
      .getByTestId("file-state")
      .filter({ hasText: "Verified" })
      .waitFor({ timeout: 30 * 60_000 });
    const panelMs = Date.now() - t0;
    const peakHeapMiB = await heap.stop();
    const log = (await (await fetch(`${app}/_sandbox/requests`)).json()) as {
      method: string;
      origin: string;
      path: string;
      status: number;
      ms: number;
    }[];
    const fragments = log.filter((l) => l.method === "PUT" && l.origin === sandbox.origins.sharepoint);
    const mbps = (ms: number) => Math.round((bytes / MiB / (ms / 1000)) * 10) / 10;
    mkdirSync(resolve(__dirname, "../test-results"), { recursive: true });
    await page.screenshot({ path: resolve(__dirname, "../test-results/bench-panel-upload.png") });
    return {
      sizeMiB: megabytes,
      panel: { ms: panelMs, MiBps: mbps(panelMs), fragments: fragments.length, peakDialogHeapMiB: peakHeapMiB },
      serverMsPerFragment: Math.round(fragments.reduce((n, f) => n + f.ms, 0) / Math.max(1, fragments.length)),
      plainPut: { ms: Math.round(baseline.ms), MiBps: mbps(baseline.ms) },
      ratio: Math.round((baseline.ms / panelMs) * 100) / 100,
      budget: { minRatio: 0.8 },
      notes:
        "Both from the same Chromium page (the dialog's frame) to the sandbox's SharePoint host on this machine; the panel's time includes the session, every fragment, the hash check and the receipt written to Dataverse.",
    };
  } finally {
    await browser.close();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runPanelUploadBench()
    .then((r) => {
      const out = resolve(__dirname, "../bench/results/panel-upload.json");
      mkdirSync(resolve(__dirname, "../bench/results"), { recursive: true });
      writeFileSync(out, JSON.stringify({ measuredAt: new Date().toISOString(), ...r }, null, 2) + "\n");
      console.log(JSON.stringify(r, null, 2));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
