import type { FolderRef } from "../../ports/DocumentLibrary";
import type { UploadSource } from "../../ports/Uploader";
import type { KeyValueStore } from "./KeyValueStore";

/** What we keep of an upload session so that a reload can continue it. */
export interface SavedSession {
  readonly uploadUrl: string;
  readonly expirationDateTime?: string;
  /** The file's name and size, and the bytes SharePoint confirmed so far: what a panel says is unfinished. */
  readonly name?: string;
  readonly size?: number;
  readonly bytesDone?: number;
}

/**
 * Upload URLs by folder + name + size + date (the user picks the same file again after a
 * reload). Graph offers no way to find a lost session ("An upload session already exists",
 * microsoft-graph-docs#5812), so the URL is persisted the moment it is created.
 */
export class UploadSessionStore {
  constructor(private readonly store: KeyValueStore) {}

  key(folder: FolderRef, file: UploadSource, name = file.name): string {
    return `${this.folderKey(folder)}${name}|${file.size}|${file.lastModified}`;
  }

  private folderKey(folder: Pick<FolderRef, "driveId" | "itemId">): string {
    return `upload:${folder.driveId}/${folder.itemId}/`;
  }

  /** The sessions kept for a folder that have not expired: uploads that were started and not finished. */
  inFolder(folder: Pick<FolderRef, "driveId" | "itemId">, now: number): SavedSession[] {
    return this.store
      .keys(this.folderKey(folder))
      .map((key) => this.get(key, now))
      .filter((s): s is SavedSession => s !== null);
  }

  /** Records how far the upload got (after each confirmed fragment). */
  progress(key: string, bytesDone: number): void {
    const raw = this.store.get(key);
    if (!raw) return;
    try {
      this.store.set(key, JSON.stringify({ ...(JSON.parse(raw) as SavedSession), bytesDone }));
    } catch {
      // A damaged entry is dropped by the next read.
    }
  }

  get(key: string, now: number): SavedSession | null {
    const raw = this.store.get(key);
    if (!raw) return null;
    try {
      const saved = JSON.parse(raw) as SavedSession;
      if (saved.expirationDateTime && Date.parse(saved.expirationDateTime) <= now) {
        this.store.delete(key);
        return null;
      }
      return saved;
    } catch {
      this.store.delete(key);
      return null;
    }
  }

  set(key: string, session: SavedSession): void {
    this.store.set(key, JSON.stringify(session));
  }

  delete(key: string): void {
    this.store.delete(key);
  }
}
