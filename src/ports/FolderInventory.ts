/**
 * What the retention job needs from the document library beyond DocumentLibrary: listing the
 * folders under the roots page by page, and acting on many folders at once (Graph `$batch`, 20
 * requests per envelope), so that its cost grows by pages and batches, not by one request per folder.
 * Implemented over Graph in src/adapters/graph/GraphFolderInventory.ts.
 */

import type { FolderPermission } from "./DocumentLibrary";

/** A folder addressed by item id when known, else by its path under the library. */
export interface FolderAddress {
  /** The drive, when the record knows it; else the library's. */
  readonly driveId?: string;
  readonly itemId?: string;
  /** Library-relative path, segments separated by `/`, not encoded. */
  readonly path: string;
}

/** One folder of a listing. */
export interface InventoryFolder {
  readonly itemId: string;
  readonly name: string;
  /** Library-relative path, e.g. `Customer Data Migration/CAS-01234-A1B2C3`. */
  readonly path: string;
  readonly createdOn: Date;
}

/** One page (at most 200 folders) of a folder's subfolders. */
export interface FolderPage {
  readonly folders: readonly InventoryFolder[];
  /** Pass back to get the next page; absent on the last page. */
  readonly next?: string;
}

/** What happened to one folder (or one permission) in a batched operation. */
export type ItemOutcome =
  | { readonly ok: true }
  /** The folder or permission is not there (already gone): not an error for a sweep. */
  | { readonly ok: true; readonly gone: true }
  | { readonly ok: false; readonly error: Error };

export type PermissionsOutcome =
  | { readonly ok: true; readonly permissions: readonly FolderPermission[] }
  | { readonly ok: true; readonly gone: true }
  | { readonly ok: false; readonly error: Error };

/** One item directly inside a folder (a file or a subfolder). */
export interface ChildItem {
  readonly itemId: string;
  readonly name: string;
  readonly isFolder: boolean;
}

export type ChildrenOutcome =
  | { readonly ok: true; readonly children: readonly ChildItem[] }
  | { readonly ok: true; readonly gone: true }
  | { readonly ok: false; readonly error: Error };

export interface PermissionRemoval {
  readonly folder: FolderAddress;
  readonly permissionId: string;
}

/**
 * Every method retries throttling inside (including throttled sub-requests of a batch) and reports
 * per item, so that one failure does not stop the rest. Whole-call failures (sign-in, network)
 * reject with the adapter's error type.
 */
export interface FolderInventory {
  /** One page of the folders directly under `path` (files are left out); an empty last page when `path` does not exist. */
  listFolders(path: string, next?: string): Promise<FolderPage>;
  /** The permissions of each folder (direct and inherited), in the order given. */
  listPermissions(folders: readonly FolderAddress[]): Promise<PermissionsOutcome[]>;
  /** Removes each permission; in the order given. */
  removePermissions(removals: readonly PermissionRemoval[]): Promise<ItemOutcome[]>;
  /**
   * Every item directly inside each folder (files and subfolders, every page), in the order given:
   * one `$batch` for the first pages, further pages one request each.
   */
  listChildren(folders: readonly FolderAddress[]): Promise<ChildrenOutcome[]>;
  /** Deletes each folder (or file, addressed the same way): to the recycle bin, or permanently; in the order given. */
  deleteFolders(folders: readonly FolderAddress[], options: { readonly permanent: boolean }): Promise<ItemOutcome[]>;
}
