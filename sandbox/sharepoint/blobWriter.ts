import { createReadStream, createWriteStream, truncateSync } from "node:fs";
import type { Readable } from "node:stream";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";

export interface WriteBodyOptions {
  /** File to write; opened for append-at-offset so a session's fragments land in one file. */
  readonly file: string;
  /** Where this body's first byte goes (0 for a new file). */
  readonly offset: number;
  /** The hash to feed while streaming (one per file, carried across fragments). */
  readonly hash?: QuickXorHash;
  /** When set, a body longer or shorter than this is refused. */
  readonly expectedLength?: number;
  /**
   * Fault injection: after this many bytes the connection is dropped and the written part is cut
   * off again, as a fragment that never arrived.
   */
  readonly dropAfter?: number;
  readonly onDrop?: () => void;
}

export class BodyLengthError extends Error {
  override readonly name = "BodyLengthError";
  constructor(
    readonly code: "lengthMismatch" | "dropped",
    readonly received: number,
  ) {
    super(code === "dropped" ? "The connection was dropped mid-body." : `Body length ${received} does not match Content-Length.`);
  }
}

export function isBodyLengthError(e: unknown): e is BodyLengthError {
  return e instanceof Error && e.name === "BodyLengthError";
}

/**
 * Streams a request body to disk and hashes it on the way, in one pass with flat memory: the
 * upload path and the `/_sandbox/sink` baseline both use it, so the benchmark compares like with like.
 * On any failure the file is cut back to `offset`, so a broken fragment leaves no trace.
 */
export async function writeBody(body: Readable, options: WriteBodyOptions): Promise<{ bytes: number }> {
  const out = createWriteStream(options.file, { flags: options.offset === 0 ? "w" : "r+", start: options.offset, highWaterMark: 1 << 20 });
  // Without a listener a write failing after the request broke off would crash the whole process.
  let streamError: Error | undefined;
  out.on("error", (e) => (streamError = e));
  const settled = () =>
    new Promise<void>((resolve) => {
      if (out.closed) return resolve();
      out.once("close", () => resolve());
      out.end();
    });
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        out.off("drain", done);
        out.off("close", done);
        resolve();
      };
      out.once("drain", done);
      out.once("close", done);
    });
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (options.dropAfter !== undefined && bytes >= options.dropAfter) {
        options.onDrop?.();
        throw new BodyLengthError("dropped", bytes);
      }
      if (options.expectedLength !== undefined && bytes > options.expectedLength) throw new BodyLengthError("lengthMismatch", bytes);
      if (streamError) throw streamError;
      // The hash sees the bytes as they pass; a failed body makes the caller drop the hash state
      // (it is rebuilt from the file), so a broken fragment never pollutes it.
      options.hash?.update(chunk);
      if (!out.write(chunk)) await drained();
    }
    if (options.expectedLength !== undefined && bytes !== options.expectedLength) throw new BodyLengthError("lengthMismatch", bytes);
    await settled();
    if (streamError) throw streamError;
    return { bytes };
  } catch (e) {
    // Let the writes already queued land, then cut the file back, so a broken body leaves no trace.
    await settled();
    try {
      truncateSync(options.file, options.offset);
    } catch {
      // The file may not exist yet (first fragment): nothing to cut back.
    }
    throw e;
  }
}

/** Hashes the first `length` bytes of a file (rebuilds a session's hash after a failed fragment or a restart). */
export async function hashFile(file: string, length: number): Promise<QuickXorHash> {
  const hash = new QuickXorHash();
  if (length === 0) return hash;
  for await (const chunk of createReadStream(file, { start: 0, end: length - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
    hash.update(chunk);
  return hash;
}
