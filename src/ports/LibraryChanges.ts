/**
 * Changes in the document library since a link: what the arrival check reads to find the files
 * customers put into their upload folders, at a cost that grows with the number of changes, not
 * with the number of folders. Implemented over Graph's drive `delta` in
 * src/adapters/graph/GraphLibraryChanges.ts.
 */

/** Who made a change, as the library reports it. */
export interface ChangedBy {
  /** Applications (a job, a sync tool) are not people. */
  readonly kind: "user" | "application";
  readonly id?: string;
  readonly email?: string;
  readonly displayName?: string;
}

/** A file as it is now (created, or changed since the link). */
export interface ChangedFile {
  readonly kind: "file";
  readonly itemId: string;
  /** The folder it is in, by item id (the feed carries no paths). */
  readonly parentId?: string;
  readonly name: string;
  readonly size: number;
  /** Absent while SharePoint has not computed it. */
  readonly quickXorHash?: string;
  readonly createdOn?: Date;
  readonly modifiedOn?: Date;
  readonly createdBy?: ChangedBy;
  readonly modifiedBy?: ChangedBy;
}

/** A folder as it is now; the library's root has no parent. */
export interface ChangedFolder {
  readonly kind: "folder";
  readonly itemId: string;
  readonly parentId?: string;
  readonly name: string;
}

/** An item that is gone (recycle bin or deleted for good); the feed says no more than its id. */
export interface DeletedItem {
  readonly kind: "deleted";
  readonly itemId: string;
}

export type LibraryChange = ChangedFile | ChangedFolder | DeletedItem;

export interface LibraryChangeSet {
  /** Each item once, in its latest state. */
  readonly items: readonly LibraryChange[];
  /** Pass back next time to get what changed after this set. */
  readonly link: string;
  /**
   * The set lists the whole library as it is (no link was given, or the link had expired):
   * an item missing from it is not there any more, and deletions before it are not reported.
   */
  readonly complete: boolean;
  /** The link had expired and the library was listed again from the start. */
  readonly resynced: boolean;
}

/**
 * Throttling is retried inside; whole-call failures (sign-in, network, a refusal) reject with the
 * adapter's error type and leave the link as it was, so a later run asks again.
 */
export interface LibraryChanges {
  /** What changed since `link`, or the whole library when `link` is undefined. */
  changesSince(link: string | undefined, options?: { readonly signal?: AbortSignal }): Promise<LibraryChangeSet>;
}
