import { isValidationError, validateUploadFile, type Exchange } from "../domain";
import { receiptRowId } from "../domain/recordIds";
import { FileIntegrity } from "../model";
import type { FileReceipt } from "../domain/exchange";
import type { CrmGateway, CurrentUser } from "../ports/CrmGateway";
import type { DocumentLibrary, FolderRef } from "../ports/DocumentLibrary";
import type { UploadResult, UploadSource, Uploader } from "../ports/Uploader";
import type { TicketGateway } from "../ports/TicketGateway";
import type { Clock } from "../ports/Clock";
import { RateMeter } from "./rateMeter";
import { storedTotals } from "./storedFiles";

/** A file the user picked or dropped; `relativePath` keeps the folder structure (`photos/2024/a.jpg`). */
export interface LocalFile {
  readonly file: Blob;
  readonly relativePath: string;
  readonly size: number;
  /** ms since the epoch: with the path and size, what matches a picked file to an interrupted upload after a reload. */
  readonly lastModified: number;
}

export type FileState =
  | { readonly kind: "rejected"; readonly reason: string }
  | { readonly kind: "queued" }
  | { readonly kind: "conflict" }
  | { readonly kind: "uploading" }
  | { readonly kind: "paused" }
  | { readonly kind: "done"; readonly integrity: FileIntegrity; readonly quickXorHash: string; readonly resumedFrom: number }
  | { readonly kind: "skipped" }
  | { readonly kind: "cancelled" }
  | { readonly kind: "failed"; readonly reason: string; readonly error: unknown };

export interface FileProgress {
  readonly relativePath: string;
  readonly size: number;
  readonly state: FileState;
  readonly bytesSent: number;
  readonly bytesPerSecond: number;
  readonly secondsLeft: number | null;
}

export interface UploadSnapshot {
  readonly files: readonly FileProgress[];
  readonly running: boolean;
  readonly overall: {
    readonly bytesSent: number;
    readonly totalBytes: number;
    readonly bytesPerSecond: number;
    readonly secondsLeft: number | null;
  };
}

export type ConflictAnswer = "replace" | "skip" | "replaceAll" | "skipAll";

export interface UploadBackupPorts {
  readonly crm: CrmGateway;
  readonly tickets: TicketGateway;
  readonly library: DocumentLibrary;
  readonly uploader: Uploader;
  readonly clock: Clock;
}

export interface UploadBackupOptions {
  readonly exchange: Exchange;
  readonly folder: FolderRef;
  readonly user: CurrentUser;
  /** Asked for each file that is already in the folder; never overwritten without an answer. */
  readonly askConflict: (relativePath: string) => Promise<ConflictAnswer>;
  /** Monotonic ms, for rates (performance.now in the browser). */
  readonly now?: () => number;
}

/** The receipt's integrity for the upload client's verdict (a hash mismatch is an error, never a receipt). */
export function integrityOf(result: Pick<UploadResult, "verdict">): FileIntegrity {
  // "hashNotReported": SharePoint stored it but gave no hash to compare; counted as stored, like a rewrite.
  return result.verdict === "verified" ? FileIntegrity.verified : FileIntegrity.modifiedBySharePoint;
}

const code = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : undefined;

/** A file SharePoint holds in full whose receipt is still to be written, and what "done" will say. */
interface Stored {
  readonly receipt: FileReceipt;
  readonly done: Extract<FileState, { kind: "done" }>;
}

interface Entry {
  readonly local: LocalFile;
  readonly path: string;
  state: FileState;
  bytesSent: number;
  replace: boolean;
  rate: { bytesPerSecond: number; secondsLeft: number | null };
  /** Set between the end of the upload and its receipt: a resume writes the receipt, it sends nothing. */
  stored?: Stored;
}

/**
 * **Upload backup**: many files into the exchange's folder, folder structure kept, one at a time.
 * Every file is checked before any byte is sent (names SharePoint refuses, over-limit sizes); an
 * existing file is replaced only when the user says so; each finished file is verified against
 * its quickXorHash and recorded as a `cfx_filereceipt`; the exchange's file count and total size
 * follow the receipts. Pause and cancel abort the current request; resume continues where
 * SharePoint stopped (the uploader resumes from nextExpectedRanges).
 */
export class BackupUpload {
  private readonly entries: Entry[];
  private readonly listeners = new Set<(s: UploadSnapshot) => void>();
  private controller: AbortController | null = null;
  private abortReason: "pause" | "cancel" | null = null;
  private run: Promise<void> | null = null;
  private conflictDefault: "replace" | "skip" | null = null;
  private readonly overallMeter = new RateMeter();
  /** Subfolders made (or found) in this dialog, so each is ensured once. */
  private readonly ensured = new Set<string>();
  private readonly now: () => number;

  constructor(
    private readonly ports: UploadBackupPorts,
    private readonly options: UploadBackupOptions,
    files: readonly LocalFile[],
  ) {
    this.now = options.now ?? (() => Date.now());
    this.entries = files.map((local) => {
      let path = local.relativePath;
      let state: FileState = { kind: "queued" };
      try {
        path = validateUploadFile({ relativePath: local.relativePath, size: local.size }, options.folder.path);
      } catch (e) {
        if (!isValidationError(e)) throw e;
        state = { kind: "rejected", reason: e.message };
      }
      return { local, path, state, bytesSent: 0, replace: false, rate: { bytesPerSecond: 0, secondsLeft: null } };
    });
  }

  subscribe(listener: (s: UploadSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot());
    return () => this.listeners.delete(listener);
  }

  snapshot(): UploadSnapshot {
    const counted = this.entries.filter((e) => e.state.kind !== "rejected" && e.state.kind !== "skipped" && e.state.kind !== "cancelled");
    const totalBytes = counted.reduce((n, e) => n + e.local.size, 0);
    const bytesSent = counted.reduce((n, e) => n + e.bytesSent, 0);
    return {
      running: this.run !== null,
      files: this.entries.map((e) => ({
        relativePath: e.path,
        size: e.local.size,
        state: e.state,
        bytesSent: e.bytesSent,
        bytesPerSecond: e.state.kind === "uploading" ? e.rate.bytesPerSecond : 0,
        secondsLeft: e.state.kind === "uploading" ? e.rate.secondsLeft : null,
      })),
      overall: {
        bytesSent,
        totalBytes,
        bytesPerSecond: this.run ? this.overallMeter.bytesPerSecond() : 0,
        secondsLeft: this.run ? this.overallMeter.secondsLeft(totalBytes) : null,
      },
    };
  }

  /** Starts (or resumes) the queue; resolves when it stops: finished, paused or cancelled. */
  start(): Promise<void> {
    if (this.run) return this.run;
    for (const e of this.entries) if (e.state.kind === "paused" || e.state.kind === "failed") e.state = { kind: "queued" };
    this.abortReason = null;
    this.overallMeter.reset();
    this.run = this.process().finally(() => {
      this.run = null;
      this.controller = null;
      this.emit();
    });
    this.emit();
    return this.run;
  }

  /** Stops after aborting the current request; `start()` resumes from where SharePoint stopped. */
  pause(): void {
    this.abortReason = "pause";
    this.controller?.abort();
  }

  /** Stops and forgets every unfinished upload (their sessions are deleted). */
  async cancel(): Promise<void> {
    this.abortReason = "cancel";
    this.controller?.abort();
    await this.run;
    for (const e of this.entries) {
      if (e.state.kind !== "queued" && e.state.kind !== "paused" && e.state.kind !== "failed" && e.state.kind !== "conflict") continue;
      // Stored in full, its receipt still to write: nothing to cancel in SharePoint, kept for a later start.
      if (e.stored) continue;
      if (e.bytesSent > 0) await this.ports.uploader.cancel(this.options.folder, this.source(e)).catch(() => undefined);
      e.state = { kind: "cancelled" };
      e.bytesSent = 0;
    }
    this.emit();
  }

  /** The file as the upload client sees it: its path under the folder is its name. */
  private source(e: Entry): UploadSource {
    const blob = e.local.file;
    return { name: e.path, size: e.local.size, lastModified: e.local.lastModified, slice: (start, end) => blob.slice(start, end) };
  }

  private async process(): Promise<void> {
    let wroteReceipt = false;
    try {
      const existing = await this.existingPaths();
      for (const e of this.entries) {
        if (e.state.kind !== "queued") continue;
        if (this.abortReason) break;
        if (e.stored) {
          // Uploaded by an earlier start whose receipt failed: the file is there, only the receipt is missing.
          if (await this.writeReceipt(e, e.stored)) wroteReceipt = true;
          continue;
        }
        if (!e.replace && existing.has(e.path.toLowerCase())) {
          const answer = await this.ask(e);
          if (answer === "skip") {
            e.state = { kind: "skipped" };
            this.emit();
            continue;
          }
          e.replace = true;
        }
        if (await this.uploadOne(e)) wroteReceipt = true;
      }
    } finally {
      if (wroteReceipt) await this.updateTotals();
    }
  }

  private async existingPaths(): Promise<Set<string>> {
    const stored = await this.ports.library.listFiles(this.options.folder);
    return new Set(stored.map((f) => f.path.toLowerCase()));
  }

  private async ask(e: Entry): Promise<"replace" | "skip"> {
    if (this.conflictDefault) return this.conflictDefault;
    e.state = { kind: "conflict" };
    this.emit();
    const answer = await this.options.askConflict(e.path);
    if (answer === "replaceAll" || answer === "skipAll") this.conflictDefault = answer === "replaceAll" ? "replace" : "skip";
    e.state = { kind: "queued" };
    return answer === "replace" || answer === "replaceAll" ? "replace" : "skip";
  }

  /** Uploads one file and writes its receipt; true when a receipt was written. */
  private async uploadOne(e: Entry): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    e.state = { kind: "uploading" };
    e.rate = { bytesPerSecond: 0, secondsLeft: null };
    this.emit();
    let uploaded: UploadResult;
    try {
      await this.ensureParent(e.path);
      uploaded = await this.ports.uploader.upload(this.options.folder, this.source(e), {
        conflict: e.replace ? "replace" : "fail",
        signal: controller.signal,
        onProgress: (p) => {
          e.bytesSent = p.bytesDone;
          e.rate = { bytesPerSecond: p.bytesPerSecond, secondsLeft: p.secondsLeft };
          this.overallMeter.add(this.now(), this.snapshot().overall.bytesSent);
          this.emit();
        },
      });
    } catch (error) {
      if (controller.signal.aborted || code(error) === "aborted") {
        e.state = { kind: this.abortReason === "cancel" ? "queued" : "paused" };
      } else if (code(error) === "nameAlreadyExists") {
        // Someone stored the same name since the list was read: ask, as for any existing file.
        e.state = { kind: "queued" };
        if ((await this.ask(e)) === "replace") {
          e.replace = true;
          return this.uploadOne(e);
        }
        e.state = { kind: "skipped" };
      } else {
        e.state = { kind: "failed", reason: error instanceof Error ? error.message : String(error), error };
      }
      this.emit();
      return false;
    }
    const integrity = integrityOf(uploaded);
    e.bytesSent = e.local.size;
    const quickXorHash = uploaded.storedHash ?? uploaded.localHash;
    const exchangeId = this.options.exchange.id;
    return this.writeReceipt(e, {
      receipt: {
        // Derived from the upload it records: a receipt written again after a lost answer is the same row.
        id: receiptRowId({ exchangeId, path: e.path, itemId: uploaded.itemId, size: uploaded.size, quickXorHash }),
        exchangeId,
        path: e.path,
        itemId: uploaded.itemId,
        size: uploaded.size,
        quickXorHash,
        integrity,
        uploadedOn: this.ports.clock.now(),
        uploadedBy: this.options.user.id,
      },
      done: { kind: "done", integrity, quickXorHash: uploaded.localHash, resumedFrom: uploaded.resumedFrom },
    });
  }

  /**
   * Writes a stored file's receipt; true when written. A failure leaves the file "failed" with the
   * receipt kept, so the next start writes it (under the same id) without sending the file again.
   */
  private async writeReceipt(e: Entry, stored: Stored): Promise<boolean> {
    e.stored = stored;
    try {
      await this.ports.crm.addReceipt(stored.receipt);
    } catch (error) {
      e.state = { kind: "failed", reason: error instanceof Error ? error.message : String(error), error };
      this.emit();
      return false;
    }
    e.stored = undefined;
    e.state = stored.done;
    this.emit();
    return true;
  }

  /** A file in a picked folder needs its folders first: SharePoint does not make them for an upload session. */
  private async ensureParent(path: string): Promise<void> {
    const cut = path.lastIndexOf("/");
    if (cut < 0) return;
    const parent = `${this.options.folder.path}/${path.slice(0, cut)}`;
    if (this.ensured.has(parent.toLowerCase())) return;
    await this.ports.library.ensureFolder(parent);
    this.ensured.add(parent.toLowerCase());
  }

  private async updateTotals(): Promise<void> {
    const totals = storedTotals(await this.ports.tickets.listReceipts(this.options.exchange.id));
    await this.ports.crm.updateExchange(this.options.exchange.id, { fileCount: totals.fileCount, totalBytes: totals.totalBytes });
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const s = this.snapshot();
    for (const l of this.listeners) l(s);
  }
}
