import { QuickXorHash, quickXorHash } from "../../../src/adapters/graph/quickXorHash";
import { quickXorHashVectors } from "./quickXorHashVectors";

function fromBase64(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The algorithm as OneDrive's reference describes it, bit by bit: slow, obviously right. */
function referenceHash(bytes: Uint8Array): string {
  const bits = new Uint8Array(160);
  for (let i = 0; i < bytes.length; i++) {
    const offset = (i * 11) % 160;
    for (let b = 0; b < 8; b++) if ((bytes[i] >> b) & 1) bits[(offset + b) % 160] ^= 1;
  }
  const out = new Uint8Array(20);
  for (let k = 0; k < 160; k++) if (bits[k]) out[k >> 3] |= 1 << (k & 7);
  let len = BigInt(bytes.length);
  for (let i = 12; i < 20; i++) {
    out[i] ^= Number(len & 0xffn);
    len >>= 8n;
  }
  return btoa(String.fromCharCode(...out));
}

function pseudoRandomBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe("QuickXorHash", () => {
  it.each(quickXorHashVectors)("matches rclone's vector for %i bytes", (size, input, expected) => {
    const bytes = fromBase64(input);
    expect(bytes.length).toBe(size);
    expect(quickXorHash(bytes)).toBe(expected);
  });

  it.each([1, 2, 3, 4, 7, 8, 16, 159, 160, 161, 512])("gives the same hash when fed in blocks of %i bytes", (block) => {
    for (const [, input, expected] of quickXorHashVectors) {
      const bytes = fromBase64(input);
      const h = new QuickXorHash();
      for (let i = 0; i < bytes.length; i += block) h.update(bytes.subarray(i, i + block));
      expect(h.digest()).toBe(expected);
    }
  });

  it("hashes unaligned views of a larger buffer correctly", () => {
    const big = pseudoRandomBytes(300_000, 7);
    for (const start of [0, 1, 2, 3, 5]) {
      const view = big.subarray(start, start + 200_003);
      expect(quickXorHash(view)).toBe(referenceHash(view));
    }
  });

  it("agrees with the bit-by-bit reference across the scratch-buffer boundary and odd slicing", () => {
    const bytes = pseudoRandomBytes(3 * 65536 + 777, 3);
    const h = new QuickXorHash();
    let i = 0;
    let step = 1;
    while (i < bytes.length) {
      h.update(bytes.subarray(i, i + step));
      i += step;
      step = (step * 7 + 13) % 90_001;
    }
    expect(h.digest()).toBe(referenceHash(bytes));
    expect(h.bytesHashed).toBe(bytes.length);
  });

  it("does not change its state when the digest is read", () => {
    const h = new QuickXorHash().update(new Uint8Array([1, 2, 3]));
    const first = h.digest();
    expect(h.digest()).toBe(first);
    h.update(new Uint8Array([4]));
    expect(h.digest()).toBe(quickXorHash(new Uint8Array([1, 2, 3, 4])));
  });

  it("hashes at least 150 MB per second even on a busy machine", () => {
    const chunk = pseudoRandomBytes(4 * 1024 * 1024, 9);
    const h = new QuickXorHash();
    h.update(chunk); // warm up the JIT
    const rounds = 16;
    const started = performance.now();
    for (let r = 0; r < rounds; r++) h.update(chunk);
    const seconds = (performance.now() - started) / 1000;
    const mbPerSecond = (rounds * chunk.length) / 1e6 / seconds;
    expect(mbPerSecond).toBeGreaterThan(150);
  });
});
