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
  readonly modifiedOn: Date;
  readonly webUrl: string;
}

export type AccessRole = "read" | "write";

/** A direct (or inherited) permission on a folder. */
export interface FolderPermission {
  readonly id: string;
  readonly roles: readonly string[];
  /** The invited address, when SharePoint still reports it. */
  readonly email?: string;
  readonly displayName?: string;
  readonly inherited: boolean;
  /** A sharing link rather than a person. */
  readonly isLink: boolean;
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
  readonly folder: FolderRef | null;
  readonly files: readonly StoredFile[];
  readonly permissions: readonly FolderPermission[];
}

export interface DocumentLibrary {
  /** Creates every missing segment of `path` (never renames), or adopts the folder that is there. */
  ensureFolder(path: string): Promise<FolderRef & { readonly created: boolean }>;
  /** The folder at `path`, or null when there is none. */
  findFolder(path: string): Promise<FolderRef | null>;
  /** Files in the folder and its subfolders. */
  listFiles(folder: FolderRef): Promise<StoredFile[]>;
  /** Folders, files and permissions of several folders in one request. */
  snapshot(paths: readonly string[]): Promise<FolderSnapshot[]>;
  /** Invites people by e-mail, sign-in required; never creates a link. */
  invite(folder: FolderRef, request: InviteRequest): Promise<InviteOutcome[]>;
  listPermissions(folder: FolderRef): Promise<FolderPermission[]>;
  removePermission(folder: FolderRef, permissionId: string): Promise<void>;
  /** To the recycle bin, or permanently. A folder that is already gone is not an error. */
  deleteFolder(folder: FolderRef, options: { readonly permanent: boolean }): Promise<void>;
}
