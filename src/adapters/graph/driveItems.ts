import type { FolderPermission, FolderRef, StoredFile } from "../../ports/DocumentLibrary";

/** The fields of a Graph driveItem the product reads. */
export interface DriveItem {
  readonly id: string;
  readonly name: string;
  readonly size?: number;
  readonly webUrl?: string;
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
  readonly createdBy?: { readonly user?: { readonly displayName?: string; readonly email?: string } };
  readonly folder?: { readonly childCount?: number };
  readonly file?: { readonly hashes?: { readonly quickXorHash?: string } };
  /** Present (non-null) when SharePoint found malware in the file; absent or null when it is clean. */
  readonly malware?: { readonly description?: string | null } | null;
  readonly parentReference?: { readonly driveId?: string; readonly id?: string; readonly path?: string };
}

export interface GraphPermission {
  readonly id: string;
  readonly roles?: readonly string[];
  readonly link?: unknown;
  readonly inheritedFrom?: unknown;
  readonly invitation?: { readonly email?: string };
  readonly grantedToV2?: {
    readonly user?: Identity;
    readonly siteUser?: Identity & { readonly loginName?: string };
    readonly siteGroup?: Identity;
  };
  readonly grantedTo?: { readonly user?: Identity };
  readonly grantedToIdentitiesV2?: ReadonlyArray<{ readonly user?: Identity; readonly siteUser?: Identity }>;
}
interface Identity {
  readonly displayName?: string;
  readonly email?: string;
}

export interface Page<T> {
  readonly value?: readonly T[];
  readonly "@odata.nextLink"?: string;
}

/** What we ask for on children listings: the file facet carries the hashes, the malware facet SharePoint's scan. */
export const ITEM_SELECT = "id,name,size,webUrl,createdDateTime,lastModifiedDateTime,createdBy,folder,file,malware,parentReference";

export function toFolderRef(driveId: string, path: string, item: DriveItem): FolderRef {
  return {
    driveId,
    itemId: item.id,
    path,
    webUrl: item.webUrl ?? "",
    createdOn: new Date(item.createdDateTime ?? 0),
  };
}

export function toStoredFile(item: DriveItem, relativePath: string): StoredFile {
  return {
    itemId: item.id,
    name: item.name,
    path: relativePath,
    size: item.size ?? 0,
    quickXorHash: item.file?.hashes?.quickXorHash,
    createdOn: new Date(item.createdDateTime ?? 0),
    createdBy: item.createdBy?.user?.displayName ?? item.createdBy?.user?.email,
    ...(item.createdBy?.user?.email ? { createdByEmail: item.createdBy.user.email } : {}),
    modifiedOn: new Date(item.lastModifiedDateTime ?? item.createdDateTime ?? 0),
    webUrl: item.webUrl ?? "",
    // Graph: "The presence (non-null) of the resource indicates that the item contains malware."
    ...(item.malware ? { malware: { description: item.malware.description ?? "" } } : {}),
  };
}

/**
 * Maps a Graph permission. The invited address is in `invitation.email` until the guest accepts;
 * afterwards only `grantedToV2` may name them (and not always with an e-mail), which is why the
 * product keeps its own recipient rows.
 */
export function toFolderPermission(p: GraphPermission): FolderPermission {
  const who =
    p.grantedToV2?.user ??
    p.grantedToV2?.siteUser ??
    p.grantedTo?.user ??
    p.grantedToIdentitiesV2?.[0]?.user ??
    p.grantedToIdentitiesV2?.[0]?.siteUser;
  const group = p.grantedToV2?.siteGroup;
  return {
    id: p.id,
    roles: p.roles ?? [],
    email: (p.invitation?.email ?? who?.email)?.toLowerCase(),
    displayName: who?.displayName ?? group?.displayName,
    // SharePoint does not return inheritedFrom (permission.md), and lists the site's groups on
    // every item: a site-group grant is the site's, never one of our shares.
    inherited: (p.inheritedFrom !== undefined && p.inheritedFrom !== null) || group !== undefined,
    isLink: p.link !== undefined && p.link !== null,
    ...(group ? { siteGroup: group.displayName ?? "" } : {}),
  };
}

/** Splits a library path into segments, refusing empty and `.`/`..` segments. */
export function pathSegments(path: string): string[] {
  const segments = path.split("/").filter((s) => s.length > 0);
  if (segments.length === 0 || segments.some((s) => s === "." || s === ".."))
    throw new Error(`Not a folder path under the library: "${path}".`);
  return segments;
}
