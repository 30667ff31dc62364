import type { UploadSource } from "../../ports/Uploader";
import { GraphError } from "./GraphError";
import { QuickXorHash } from "./quickXorHash";

const CATCH_UP_SLICE = 8 * 1024 * 1024;
/** Hash this much, then let the event loop run: the fragment in flight keeps its socket fed. */
const HASH_STEP = 1024 * 1024;

/** Lets pending I/O callbacks run (a macrotask, not a microtask). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Reads byte ranges of a file by slices (never the whole file) and feeds every byte to the
 * QuickXorHash exactly once, in order, whatever ranges are asked for: a range that starts past
 * what was hashed first hashes the gap (a resumed upload), a range re-read after a failure is
 * not hashed again. Reads run one at a time so two callers cannot interleave the hash.
 */
export class HashingReader {
  private readonly hash = new QuickXorHash();
  private hashedUpTo = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: UploadSource) {}

  /** The bytes [start, end), hashed on the way. */
  read(start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
    const job = this.queue.then(() => this.readNow(start, end));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Hashes everything up to `end` that is not hashed yet (reading locally, sending nothing). */
  hashThrough(end: number): Promise<void> {
    const job = this.queue.then(() => this.catchUp(end));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Base64 quickXorHash of the bytes hashed so far. */
  digest(): string {
    return this.hash.digest();
  }

  get bytesHashed(): number {
    return this.hashedUpTo;
  }

  private async readNow(start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
    await this.catchUp(start);
    const bytes = await this.slice(start, end);
    if (end > this.hashedUpTo && start <= this.hashedUpTo) {
      for (let from = this.hashedUpTo - start; from < bytes.length; from += HASH_STEP) {
        if (from > this.hashedUpTo - start) await yieldToEventLoop();
        this.hash.update(bytes.subarray(from, Math.min(bytes.length, from + HASH_STEP)));
      }
      this.hashedUpTo = end;
    }
    return bytes;
  }

  /** The bytes [start, end) of the file; a file that cannot be read any more is a `fileUnreadable` GraphError. */
  private async slice(start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
    try {
      return new Uint8Array(await this.file.slice(start, end).arrayBuffer());
    } catch (e) {
      throw new GraphError(
        "fileUnreadable",
        `"${this.file.name}" could not be read any more (moved, changed or locked since it was picked).`,
        0,
        { cause: e },
      );
    }
  }

  /** Reads and hashes up to `end` by slices, letting the event loop run between steps. */
  private async catchUp(end: number): Promise<void> {
    while (this.hashedUpTo < end) {
      const stop = Math.min(end, this.hashedUpTo + CATCH_UP_SLICE);
      const bytes = await this.slice(this.hashedUpTo, stop);
      for (let from = 0; from < bytes.length; from += HASH_STEP) {
        if (from > 0) await yieldToEventLoop();
        this.hash.update(bytes.subarray(from, Math.min(bytes.length, from + HASH_STEP)));
      }
      this.hashedUpTo = stop;
    }
  }
}
