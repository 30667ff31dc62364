/**
 * QuickXorHash, the one content hash OneDrive for Business and SharePoint guarantee
 * (`file.hashes.quickXorHash`). Streaming: feed bytes with `update` in any slicing, read the
 * base64 digest with `digest`. No Node `Buffer`: it runs in the browser over `Blob` slices.
 *
 * The algorithm (OneDrive docs, code-snippets/quickxorhash.md) XORs byte `i` into a 160-bit
 * circular register at bit offset `(i * 11) mod 160`, then XORs the 64-bit length into the last
 * 8 bytes. Because 11 and 160 are coprime the offsets repeat every 160 bytes, so bytes `i` and
 * `i + 160` land on the same bits: we XOR the input into a 160-byte accumulator (4 bytes at a time)
 * and spread the accumulator over the register only once, in `digest`.
 */

const WIDTH_BYTES = 160;
const WIDTH_WORDS = WIDTH_BYTES / 4;
const HASH_BYTES = 20;
const SHIFT_BITS = 11;
/** Input is copied through an aligned scratch buffer in pieces of this size. */
const SCRATCH_BYTES = 64 * 1024;

export class QuickXorHash {
  /** acc[k] is the XOR of every input byte whose index is k modulo 160. */
  private readonly acc = new Uint8Array(WIDTH_BYTES);
  private readonly accWords = new Int32Array(this.acc.buffer);
  private readonly scratch = new Uint8Array(SCRATCH_BYTES + 8);
  private readonly scratchWords = new Int32Array(this.scratch.buffer);
  /** Bytes hashed so far. */
  private length = 0;

  /** Adds bytes to the hash; returns `this` so calls can chain. */
  update(bytes: Uint8Array): this {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(SCRATCH_BYTES, bytes.length - offset);
      this.xorPiece(bytes.subarray(offset, offset + n));
      offset += n;
    }
    return this;
  }

  /** Bytes hashed so far. */
  get bytesHashed(): number {
    return this.length;
  }

  /** The hash of everything so far, base64 as Graph reports it. Does not reset the state. */
  digest(): string {
    return toBase64(this.digestBytes());
  }

  /** The 20 raw bytes of the hash. */
  digestBytes(): Uint8Array {
    const out = new Uint8Array(HASH_BYTES);
    for (let k = 0; k < WIDTH_BYTES; k++) {
      const v = this.acc[k];
      if (v === 0) continue;
      const bit = (k * SHIFT_BITS) % (HASH_BYTES * 8);
      const byte = bit >> 3;
      const shift = bit & 7;
      out[byte] ^= (v << shift) & 0xff;
      if (shift !== 0) out[(byte + 1) % HASH_BYTES] ^= v >> (8 - shift);
    }
    // The length, as a little-endian 64-bit integer, goes into the last 8 bytes.
    let low = this.length % 0x1_0000_0000;
    let high = Math.floor(this.length / 0x1_0000_0000);
    for (let i = 0; i < 4; i++) {
      out[HASH_BYTES - 8 + i] ^= low & 0xff;
      low >>>= 8;
      out[HASH_BYTES - 4 + i] ^= high & 0xff;
      high >>>= 8;
    }
    return out;
  }

  /**
   * XORs up to SCRATCH_BYTES into the accumulator. The piece is copied (memcpy speed) into the
   * scratch buffer at the same offset modulo 4 as the accumulator position, with zeros around
   * it, so whole 32-bit words can be XORed whatever the caller's byteOffset.
   */
  private xorPiece(piece: Uint8Array): void {
    const pos = this.length % WIDTH_BYTES;
    const lead = pos & 3;
    const scratch = this.scratch;
    scratch[0] = scratch[1] = scratch[2] = scratch[3] = 0;
    scratch.set(piece, lead);
    const end = lead + piece.length;
    const words = (end + 3) >> 2;
    for (let i = end; i < words << 2; i++) scratch[i] = 0;

    const acc = this.accWords;
    const src = this.scratchWords;
    let a = pos >> 2;
    let w = 0;
    // Align to the start of the accumulator, then run whole 40-word rounds unrolled by the JIT.
    while (w < words && a !== 0) {
      acc[a] ^= src[w++];
      if (++a === WIDTH_WORDS) a = 0;
    }
    const rounds = Math.floor((words - w) / WIDTH_WORDS);
    xorRounds(acc, src, w, rounds);
    w += rounds * WIDTH_WORDS;
    while (w < words) {
      acc[a] ^= src[w++];
      if (++a === WIDTH_WORDS) a = 0;
    }
    this.length += piece.length;
  }
}

/**
 * XORs `rounds` × 40 words of `src` from word `w` into the 40-word accumulator, keeping the
 * accumulator in locals (registers) instead of storing to memory on every word: about three times
 * faster than the plain loop, which matters when hashing gigabytes on the upload's own thread.
 */
function xorRounds(acc: Int32Array, src: Int32Array, w: number, rounds: number): void {
  let a0 = acc[0],
    a1 = acc[1],
    a2 = acc[2],
    a3 = acc[3],
    a4 = acc[4],
    a5 = acc[5],
    a6 = acc[6],
    a7 = acc[7],
    a8 = acc[8],
    a9 = acc[9],
    a10 = acc[10],
    a11 = acc[11],
    a12 = acc[12],
    a13 = acc[13],
    a14 = acc[14],
    a15 = acc[15],
    a16 = acc[16],
    a17 = acc[17],
    a18 = acc[18],
    a19 = acc[19],
    a20 = acc[20],
    a21 = acc[21],
    a22 = acc[22],
    a23 = acc[23],
    a24 = acc[24],
    a25 = acc[25],
    a26 = acc[26],
    a27 = acc[27],
    a28 = acc[28],
    a29 = acc[29],
    a30 = acc[30],
    a31 = acc[31],
    a32 = acc[32],
    a33 = acc[33],
    a34 = acc[34],
    a35 = acc[35],
    a36 = acc[36],
    a37 = acc[37],
    a38 = acc[38],
    a39 = acc[39];
  for (let r = 0; r < rounds; r++, w += 40) {
    a0 ^= src[w + 0];
    a1 ^= src[w + 1];
    a2 ^= src[w + 2];
    a3 ^= src[w + 3];
    a4 ^= src[w + 4];
    a5 ^= src[w + 5];
    a6 ^= src[w + 6];
    a7 ^= src[w + 7];
    a8 ^= src[w + 8];
    a9 ^= src[w + 9];
    a10 ^= src[w + 10];
    a11 ^= src[w + 11];
    a12 ^= src[w + 12];
    a13 ^= src[w + 13];
    a14 ^= src[w + 14];
    a15 ^= src[w + 15];
    a16 ^= src[w + 16];
    a17 ^= src[w + 17];
    a18 ^= src[w + 18];
    a19 ^= src[w + 19];
    a20 ^= src[w + 20];
    a21 ^= src[w + 21];
    a22 ^= src[w + 22];
    a23 ^= src[w + 23];
    a24 ^= src[w + 24];
    a25 ^= src[w + 25];
    a26 ^= src[w + 26];
    a27 ^= src[w + 27];
    a28 ^= src[w + 28];
    a29 ^= src[w + 29];
    a30 ^= src[w + 30];
    a31 ^= src[w + 31];
    a32 ^= src[w + 32];
    a33 ^= src[w + 33];
    a34 ^= src[w + 34];
    a35 ^= src[w + 35];
    a36 ^= src[w + 36];
    a37 ^= src[w + 37];
    a38 ^= src[w + 38];
    a39 ^= src[w + 39];
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  acc[4] = a4;
  acc[5] = a5;
  acc[6] = a6;
  acc[7] = a7;
  acc[8] = a8;
  acc[9] = a9;
  acc[10] = a10;
  acc[11] = a11;
  acc[12] = a12;
  acc[13] = a13;
  acc[14] = a14;
  acc[15] = a15;
  acc[16] = a16;
  acc[17] = a17;
  acc[18] = a18;
  acc[19] = a19;
  acc[20] = a20;
  acc[21] = a21;
  acc[22] = a22;
  acc[23] = a23;
  acc[24] = a24;
  acc[25] = a25;
  acc[26] = a26;
  acc[27] = a27;
  acc[28] = a28;
  acc[29] = a29;
  acc[30] = a30;
  acc[31] = a31;
  acc[32] = a32;
  acc[33] = a33;
  acc[34] = a34;
  acc[35] = a35;
  acc[36] = a36;
  acc[37] = a37;
  acc[38] = a38;
  acc[39] = a39;
}

/** The QuickXorHash of one byte array. */
export function quickXorHash(bytes: Uint8Array): string {
  return new QuickXorHash().update(bytes).digest();
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
