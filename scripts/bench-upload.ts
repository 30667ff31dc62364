// The upload part of `npm run bench`: chunked upload through the product's GraphUploader against
// one plain PUT of the same bytes to the sandbox's SharePoint host (`PUT /_sandbox/sink`), with the
// client's peak memory. Writes bench/results/upload.json. Run alone: `node --import tsx scripts/bench-upload.ts`
// (CFX_BENCH_UPLOAD_MB sets the size, default 1024).
import { mkdirSync, openAsBlob, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createGraph } from "../src/adapters/graph/createGraph";
import { GraphClient } from "../src/adapters/graph/GraphClient";
import { GraphDocumentLibrary } from "../src/adapters/graph/GraphDocumentLibrary";
import { GraphUploader } from "../src/adapters/graph/GraphUploader";
import { MemoryStore } from "../src/adapters/graph/KeyValueStore";
import { startSandbox } from "../test/integration/support/sandbox";

const MiB = 1024 * 1024;

/** Writes `bytes` of pseudo-random data to a file in 16 MiB pieces (never all in memory). */
export async function writeTestFile(path: string, bytes: number): Promise<void> {
  const fh = await open(path, "w");
  const piece = new Uint8Array(16 * MiB);
  let x = 12345;
  for (let i = 0; i < piece.length; i += 4) {
    x = (x * 1103515245 + 12345) >>> 0;
    piece[i] = x >>> 24;
    piece[i + 1] = x >>> 16;
    piece[i + 2] = x >>> 8;
    piece[i + 3] = x;
  }
  try {
    for (let done = 0; done < bytes; done += piece.length) {
      // Vary each piece so that no two fragments are alike.
      piece[0] = (done / piece.length) & 0xff;
      await fh.write(piece, 0, Math.min(piece.length, bytes - done));
    }
  } finally {
    await fh.close();
  }
}

/** V8's garbage collector as a function (`--expose-gc` switched on from inside the process). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/**
 * Samples this process's memory until stopped; returns the peaks in MiB. With `live`, each sample
 * collects garbage first, so `peakLiveMiB` counts only what the code still holds (heap and
 * buffers): RSS and unforced samples also count garbage not collected yet, which varies from run to
 * run by hundreds of MiB. Samples come every 50 ms, or less often when collecting takes long: the
 * pause after a sample is at least nine times what the sample took, so the sampler never takes
 * more than a tenth of the process's time (a full collection every 50 ms once starved a 1 GiB
 * upload in CI for ten minutes). Its timer never keeps the process alive; `stop` may be called
 * more than once and always returns the same peaks.
 */
export function memorySampler(options: { live?: boolean } = {}) {
  const gc = options.live ? collector() : undefined;
  gc?.();
  const start = process.memoryUsage();
  let rss = start.rss;
  let heap = start.heapUsed;
  let external = start.external + start.arrayBuffers;
  let live = start.heapUsed + start.arrayBuffers;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const t0 = performance.now();
    gc?.();
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
    external = Math.max(external, m.external + m.arrayBuffers);
    live = Math.max(live, m.heapUsed + m.arrayBuffers);
    schedule(Math.max(50, 9 * (performance.now() - t0)));
  };
  const schedule = (ms: number) => {
    timer = setTimeout(sample, ms);
    timer.unref();
  };
  schedule(50);
  return {
    stop() {
      clearTimeout(timer);
      const mb = (n: number) => Math.round((n / MiB) * 10) / 10;
      return {
        startRssMiB: mb(start.rss),
        peakRssMiB: mb(rss),
        rssGrowthMiB: mb(rss - start.rss),
        startHeapMiB: mb(start.heapUsed),
        peakHeapMiB: mb(heap),
        heapGrowthMiB: mb(heap - start.heapUsed),
        peakBuffersMiB: mb(external),
        /** With `live`: the most the code held at once above the start, after collecting garbage. */
        liveGrowthMiB: gc ? mb(live - start.heapUsed - start.arrayBuffers) : null,
      };
    },
  };
}

export interface UploadBenchResult {
  readonly sizeBytes: number;
  readonly plainPut: { readonly seconds: number; readonly mibPerSecond: number };
  /** Best of the rounds (CFX_BENCH_UPLOAD_ROUNDS, default 2). */
  readonly chunked: {
    readonly seconds: number;
    readonly mibPerSecond: number;
    readonly verdict: string;
    readonly memory: ReturnType<ReturnType<typeof memorySampler>["stop"]>;
  };
  /** Chunked throughput divided by the plain PUT's (goal ≥ 0.8). */
  readonly ratio: number;
  readonly goal: number;
  readonly met: boolean;
  readonly rounds: number;
  readonly measuredAt: string;
}

/** Runs the upload benchmark against a sandbox of its own and writes bench/results/upload.json. */
export async function runUploadBench(options: { sizeBytes?: number; resultsDir?: string } = {}): Promise<UploadBenchResult> {
  const sizeBytes = options.sizeBytes ?? Number(process.env.CFX_BENCH_UPLOAD_MB ?? 1024) * MiB;
  const file = join(tmpdir(), `cfx-bench-upload-${process.pid}.bin`);
  const sb = await startSandbox();
  try {
    await writeTestFile(file, sizeBytes);
    const blob = await openAsBlob(file);
    const source = { name: "bench.bin", size: blob.size, lastModified: Date.now(), slice: (a?: number, b?: number) => blob.slice(a, b) };

    const graph = new GraphClient(
      createGraph({ graphEndpoint: sb.origins.graph, tokens: { getToken: () => sb.token("specialist", "graph") }, scopes: [] }),
    );
    const library = new GraphDocumentLibrary({ graph, siteUrl: `${sb.origins.sharepoint}/sites/CustomerFiles`, libraryName: "Documents" });
    const folder = await library.ensureFolder(`bench/${Date.now()}`);
    const uploader = new GraphUploader({ graph, store: new MemoryStore() });
    // Best of `rounds` alternating runs: the machine is shared, single runs are noisy. Memory is
    // sampled over the first chunked run, before the plain PUT (which buffers) has run at all.
    const rounds = Number(process.env.CFX_BENCH_UPLOAD_ROUNDS ?? 2);
    let chunkedSeconds = Infinity;
    let plainSeconds = Infinity;
    let mem: ReturnType<ReturnType<typeof memorySampler>["stop"]> | undefined;
    let verdict = "";
    for (let round = 0; round < rounds; round++) {
      const memory = memorySampler();
      let t0 = performance.now();
      const result = await uploader.upload(folder, { ...source, name: `bench-${round}.bin` });
      chunkedSeconds = Math.min(chunkedSeconds, (performance.now() - t0) / 1000);
      mem ??= memory.stop();
      memory.stop();
      verdict = result.verdict;

      // Baseline: one plain PUT of the same bytes (the same Blob) to the same server.
      t0 = performance.now();
      const sink = await fetch(`${sb.origins.sharepoint}/_sandbox/sink`, {
        method: "PUT",
        body: blob,
        headers: { "content-type": "application/octet-stream" },
      });
      if (!sink.ok) throw new Error(`sink: ${sink.status} ${await sink.text()}`);
      await sink.json();
      plainSeconds = Math.min(plainSeconds, (performance.now() - t0) / 1000);
    }

    const mibps = (s: number) => Math.round((sizeBytes / MiB / s) * 10) / 10;
    const ratio = Math.round((plainSeconds / chunkedSeconds) * 100) / 100;
    const report: UploadBenchResult = {
      sizeBytes,
      plainPut: { seconds: Math.round(plainSeconds * 100) / 100, mibPerSecond: mibps(plainSeconds) },
      chunked: { seconds: Math.round(chunkedSeconds * 100) / 100, mibPerSecond: mibps(chunkedSeconds), verdict, memory: mem! },
      ratio,
      goal: 0.8,
      met: ratio >= 0.8,
      rounds,
      measuredAt: new Date().toISOString(),
    };
    const dir = options.resultsDir ?? resolve(__dirname, "../bench/results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "upload.json"), JSON.stringify(report, null, 2) + "\n");
    return report;
  } finally {
    rmSync(file, { force: true });
    await sb.stop();
  }
}

if (require.main === module) {
  runUploadBench().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      console.log(
        `Upload: ${r.chunked.mibPerSecond} MiB/s chunked vs ${r.plainPut.mibPerSecond} MiB/s plain PUT, ratio ${r.ratio} (goal ≥ ${r.goal}), peak RSS growth ${r.chunked.memory.rssGrowthMiB} MiB.`,
      );
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
