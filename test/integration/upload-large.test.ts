import { openAsBlob, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memorySampler, writeTestFile } from "../../scripts/bench-upload";
import { type AdapterTarget, sandboxTarget } from "./graph-adapter.target";

jest.setTimeout(600_000);

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const file = join(tmpdir(), `cfx-upload-1gib-${process.pid}.bin`);
let t: AdapterTarget;

beforeAll(async () => {
  [t] = await Promise.all([sandboxTarget(), writeTestFile(file, GiB)]);
});
afterAll(async () => {
  rmSync(file, { force: true });
  await t?.stop();
});

/** Uploads the first `size` bytes of the test file and returns the result with the client's memory peaks. */
async function measured(name: string, size: number) {
  const blob = (await openAsBlob(file)).slice(0, size);
  const source = { name, size, lastModified: Date.now(), slice: (a?: number, b?: number) => blob.slice(a, b) };
  const folder = await t.library.ensureFolder(`${t.root}/large`);
  const fragments: number[] = [];
  let last = 0;
  const memory = memorySampler({ live: true });
  const result = await t.uploader.upload(folder, source, {
    onProgress: (p) => {
      if (p.bytesDone > last) fragments.push(p.bytesDone - last);
      last = p.bytesDone;
    },
  });
  return { result, fragments, mem: memory.stop() };
}

describe("a 1 GiB upload", () => {
  it("completes with matching hashes while the client's memory stays flat in the file's size", async () => {
    const baseline = process.memoryUsage().rss / MiB;
    const quarter = await measured("quarter.bak", GiB / 4);
    const whole = await measured("one-gib.bak", GiB);
    // RSS never shrinks back, so both are measured from the same starting point.
    const afterQuarter = quarter.mem.peakRssMiB - baseline;
    const afterWhole = whole.mem.peakRssMiB - baseline;
    console.log(
      `Client memory, peak RSS above the start: ${afterQuarter.toFixed(0)} MiB after 256 MiB, ${afterWhole.toFixed(0)} MiB after another 1 GiB (${whole.fragments.length} fragments); held at most ${quarter.mem.liveGrowthMiB} MiB and ${whole.mem.liveGrowthMiB} MiB`,
    );
    expect(whole.result).toMatchObject({ verdict: "verified", size: GiB });
    expect(whole.result.storedHash).toBe(whole.result.localHash);
    // Flat: fragments travel as slices of the file on disk and are hashed 8 MiB at a time, so what
    // the client holds at once (after collecting garbage; measured 71-86 MiB) is the same for four
    // times the bytes; holding the file would be 1024 MiB. RSS also counts garbage not collected
    // yet (measured 122-131 MiB), so its bound is looser.
    // Fragments grow towards 60 MiB as the connection proves fast, so what is held follows the
    // largest fragment, not the file: the 256 MiB upload may never reach large fragments (it held
    // 1.4 MiB in one CI run against 75.9 MiB for the 1 GiB one), so it is no bound for the whole.
    const largestFragmentMiB = Math.max(...whole.fragments.slice(0, -1)) / MiB;
    expect(largestFragmentMiB).toBeLessThan(60);
    expect(whole.mem.liveGrowthMiB).toBeLessThan(192);
    expect(whole.mem.liveGrowthMiB).toBeLessThan(largestFragmentMiB + 48);
    expect(afterWhole).toBeLessThan(384);
  });
});
