/**
 * The SharePoint document library, in the product's words. The Graph adapter implements it
 * (src/adapters/graph); the use cases and the retention job see only this.
 */

/** A folder the product manages. */
export interface FolderRef {
  readonly driveId: string;
  readonly itemId: string;
  /** Path under the library root, segments separated by `/`, not encoded. */
  readonly path: string;
  readonly webUrl: string;
  readonly createdOn: Date;
}

/** A file stored in a folder (or below it). */
export interface StoredFile {
  readonly itemId: string;
  readonly name: string;
  /** Path relative to the exchange's folder. */
  readonly path: string;
  readonly size: number;
  readonly quickXorHash?: string;
  readonly createdOn: Date;
  readonly createdBy?: string;
  /** The e-mail address of whoever put the file in, when SharePoint reports one (a guest's, for a customer's file). */
  readonly createdByEmail?: string;
  readonly modifiedOn: Date;
  readonly webUrl: string;
  /**
   * Set when SharePoint's scan found malware in the file (Graph's `malware` facet), with what the
   * scanner reported. Such a file is never offered for download and never counts as stored.
   */
  readonly malware?: { readonly description: string };
}

/** One file as the library addresses it. */
export interface FileRef {
  readonly driveId: string;
  readonly itemId: string;
}

export type AccessRole = "read" | "write";

/** A direct (or inherited) permission on a folder. */
export interface FolderPermission {
  readonly id: string;
  readonly roles: readonly string[];
  /** The invited address, when SharePoint still reports it. */
  readonly email?: string;
  readonly displayName?: string;
  /**
   * Not granted on this folder by anyone's sharing: inherited from the library, or one of the
   * site's own groups (Owners, Members, Visitors), which SharePoint lists on every item without
   * saying they are inherited. Never revoke these.
   */
  readonly inherited: boolean;
  /** A sharing link rather than a person. */
  readonly isLink: boolean;
  /** The SharePoint group's name, when the permission is granted to a site group. */
  readonly siteGroup?: string;
}

export interface InviteRequest {
  readonly recipients: readonly string[];
  readonly role: AccessRole;
  /** Plain text, at most 2,000 characters. */
  readonly message: string;
}

/** What happened to one invited address. */
export interface InviteOutcome {
  readonly email: string;
  readonly permissionId?: string;
  /** Set when SharePoint refused this recipient. */
  readonly refusal?: { readonly code: string; readonly innerCode?: string; readonly message: string };
}

/** Everything a panel shows about one folder, read in one round trip. */
export interface FolderSnapshot {
  readonly path: string;
  /** null when there is no folder at `path` (then `files` and `permissions` are empty). */
  readonly folder: FolderRef | null;
  /** Files directly in the folder (not in subfolders: `listFiles` recurses). */
  readonly files: readonly StoredFile[];
  /** How many folders are directly in it (their files are not in `files`); absent when not counted. */
  readonly subfolderCount?: number;
  readonly permissions: readonly FolderPermission[];
}

/**
 * Every method rejects with the adapter's one error type (GraphError, recognised with
 * `isGraphError`: `code`, `status`, `innerCode`, `requestId`, `cause`). Throttling is retried
 * inside; what reaches the caller is final.
 */
export interface DocumentLibrary {
  /**
   * Creates every missing segment of `path` (never renames), or adopts the folder that is there;
   * `created` says whether the last segment was made by this call. Safe to call again after a
   * failure: it never makes a second folder. A folder that was already there may be another case's:
   * the use cases check the exchanges that record it before using it (app/caseFolder.ts).
   */
  ensureFolder(path: string): Promise<FolderRef & { readonly created: boolean }>;
  /** The folder at `path`, or null when there is none. */
  findFolder(path: string): Promise<FolderRef | null>;
  /** The folders directly under `path` (all pages), e.g. the case folders under a root; [] when `path` does not exist. */
  listFolders(path: string): Promise<FolderRef[]>;
  /** Files in the folder and its subfolders, with size, author, dates and quickXorHash. */
  listFiles(folder: FolderRef): Promise<StoredFile[]>;
  /** Folders, files and permissions of several folders in one `$batch` (more than 6 folders: several, sent together). */
  snapshot(paths: readonly string[]): Promise<FolderSnapshot[]>;
  /**
   * Invites people by e-mail with sign-in required and the message, one outcome per address
   * (SharePoint may refuse some and accept others); never creates a link.
   */
  invite(folder: FolderRef, request: InviteRequest): Promise<InviteOutcome[]>;
  /** Every permission on the folder, direct and inherited; [] when the folder is gone (nothing left to revoke). */
  listPermissions(folder: FolderRef): Promise<FolderPermission[]>;
  /** Removes one direct permission. A permission that is already gone is not an error. */
  removePermission(folder: FolderRef, permissionId: string): Promise<void>;
  /** To the recycle bin, or permanently. A folder that is already gone is not an error. */
  deleteFolder(folder: FolderRef, options: { readonly permanent: boolean }): Promise<void>;
  /**
   * A short-lived address that downloads the file for whoever holds it (SharePoint's pre-signed
   * download URL), read fresh from the item. A file SharePoint's scan flagged as malware is refused
   * with `malwareDetected`, as SharePoint refuses its download.
   */
  downloadAddress(file: FileRef): Promise<string>;
  /** One file, to the recycle bin or permanently. A file that is already gone is not an error. */
  deleteFile(file: FileRef, options: { readonly permanent: boolean }): Promise<void>;
}
