import type { FolderRef } from "./DocumentLibrary";

/**
 * A file to upload: a browser `File`, or in Node a `Blob` from `fs.openAsBlob` with a name and a
 * date. It is read by slices, never whole.
 */
export interface UploadSource {
  readonly name: string;
  readonly size: number;
  /** Milliseconds since the epoch. With the name and size it recognises the same file after a reload. */
  readonly lastModified: number;
  slice(start?: number, end?: number): Blob;
}

/** What to do when the folder already has a file of that name: never overwrite unless told. */
export type UploadConflict = "fail" | "replace";

export interface UploadProgress {
  /** Bytes SharePoint has confirmed. */
  readonly bytesDone: number;
  readonly totalBytes: number;
  /** Over this run (bytes confirmed since it started, per second of it). */
  readonly bytesPerSecond: number;
  /** null until there is a rate to go by. */
  readonly secondsLeft: number | null;
}

export interface UploadOptions {
  /** Default "fail": an existing file of the same name makes the upload fail with `nameAlreadyExists`. */
  readonly conflict?: UploadConflict;
  /** Aborting pauses: the upload session is kept and a later `upload` of the same file continues it. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
}

/**
 * How the stored file compares with the local one (quickXorHash). SharePoint rewrites Office
 * documents (metadata) on upload, so theirs differ and are "modifiedBySharePoint", not corrupt.
 * A mismatch on any other file is an error (GraphError `hashMismatch`), never a result.
 */
export type UploadVerdict = "verified" | "modifiedBySharePoint" | "hashNotReported";

export interface UploadResult {
  readonly itemId: string;
  readonly name: string;
  /** The stored size (an Office document's may differ from the local one). */
  readonly size: number;
  readonly webUrl: string;
  readonly localHash: string;
  readonly storedHash?: string;
  readonly verdict: UploadVerdict;
  /** Bytes SharePoint already had from an earlier, interrupted run. */
  readonly resumedFrom: number;
}

/**
 * Uploads files of any size into a library folder (SharePoint upload sessions), resumable after a
 * dropped connection or a reload. Rejects with GraphError (`aborted` when paused through the
 * signal, `nameAlreadyExists` on a conflict, `hashMismatch` when the stored bytes differ).
 */
export interface Uploader {
  upload(folder: FolderRef, file: UploadSource, options?: UploadOptions): Promise<UploadResult>;
  /** How far an interrupted upload of this file got, or null when there is none to continue. */
  pending(folder: FolderRef, file: UploadSource): Promise<{ readonly bytesDone: number } | null>;
  /** Ends an interrupted upload of this file (deletes its upload session) and forgets it. */
  cancel(folder: FolderRef, file: UploadSource): Promise<void>;
  /** Uploads into this folder that were started in this browser and not finished (their sessions are kept to resume). */
  unfinished(folder: FolderRef): Promise<readonly UnfinishedUpload[]>;
}

/** An upload that stopped before its last byte: picking the same file again continues it. */
export interface UnfinishedUpload {
  readonly name: string;
  readonly size: number;
  /** Bytes SharePoint confirmed before it stopped. */
  readonly bytesDone: number;
}
