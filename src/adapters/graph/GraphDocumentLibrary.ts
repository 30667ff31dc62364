import type {
  DocumentLibrary,
  FileRef,
  FolderPermission,
  FolderRef,
  FolderSnapshot,
  InviteOutcome,
  InviteRequest,
  StoredFile,
} from "../../ports/DocumentLibrary";
import { batchError, executeBatch, type BatchOptions, type BatchRequest } from "./BatchClient";
import {
  type DriveItem,
  type GraphPermission,
  ITEM_SELECT,
  type Page,
  pathSegments,
  toFolderPermission,
  toFolderRef,
  toStoredFile,
} from "./driveItems";
import { encodeDrivePath, type GraphClient } from "./GraphClient";
import { GraphError, isGraphError } from "./GraphError";
import type { KeyValueStore } from "./KeyValueStore";
import { declareIdempotency } from "./retryPolicy";

export interface GraphDocumentLibraryOptions {
  readonly graph: GraphClient;
  /** The site's URL from the settings, e.g. `https://contoso.sharepoint.com/sites/cases`. */
  readonly siteUrl: string;
  /** The document library's name as SharePoint shows it (or the last segment of its URL). */
  readonly libraryName: string;
  /** Where the resolved site and drive ids are kept (sessionStorage in the panels). */
  readonly cache?: KeyValueStore;
  readonly batch?: BatchOptions;
}

/** Where the library lives, resolved once. */
export interface LibraryLocation {
  readonly driveId: string;
}

/** The DocumentLibrary port over Microsoft Graph. */
export class GraphDocumentLibrary implements DocumentLibrary {
  private location?: Promise<LibraryLocation>;

  constructor(private readonly options: GraphDocumentLibraryOptions) {}

  /** Resolves site, library and root folder once (per instance, and per session with a cache). */
  resolve(): Promise<LibraryLocation> {
    this.location ??= this.resolveLocation().catch((e: unknown) => {
      this.location = undefined;
      throw e;
    });
    return this.location;
  }

  async ensureFolder(path: string): Promise<FolderRef & { created: boolean }> {
    const { driveId } = await this.resolve();
    return this.ensureSegments(driveId, pathSegments(path));
  }

  async findFolder(path: string): Promise<FolderRef | null> {
    const { driveId } = await this.resolve();
    const segments = pathSegments(path);
    const item = await this.itemByPath(driveId, segments);
    if (!item) return null;
    return this.asFolder(driveId, segments, item);
  }

  async listFolders(path: string): Promise<FolderRef[]> {
    const { driveId } = await this.resolve();
    const segments = pathSegments(path);
    const url = `drives/${driveId}/root:/${encodeDrivePath(segments.join("/"))}:/children?$select=${ITEM_SELECT}&$top=200`;
    let items: DriveItem[];
    try {
      items = await this.allPages<DriveItem>(url);
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return [];
      throw e;
    }
    return items.filter((i) => i.folder).map((i) => toFolderRef(driveId, [...segments, i.name].join("/"), i));
  }

  async listFiles(folder: FolderRef): Promise<StoredFile[]> {
    const files: StoredFile[] = [];
    // Breadth first, one listing (all pages) per folder.
    const queue: Array<{ id: string; prefix: string }> = [{ id: folder.itemId, prefix: "" }];
    while (queue.length > 0) {
      const { id, prefix } = queue.shift()!;
      const children = await this.allPages<DriveItem>(`drives/${folder.driveId}/items/${id}/children?$select=${ITEM_SELECT}&$top=200`);
      for (const child of children) {
        const rel = prefix ? `${prefix}/${child.name}` : child.name;
        if (child.folder) queue.push({ id: child.id, prefix: rel });
        else files.push(toStoredFile(child, rel));
      }
    }
    return files;
  }

  async snapshot(paths: readonly string[]): Promise<FolderSnapshot[]> {
    const { driveId } = await this.resolve();
    const requests: BatchRequest[] = [];
    const segmentsOf = paths.map((p) => pathSegments(p));
    segmentsOf.forEach((segments, i) => {
      const base = `/drives/${driveId}/root:/${encodeDrivePath(segments.join("/"))}`;
      requests.push({ id: `${i}.item`, method: "GET", url: `${base}?$select=${ITEM_SELECT}` });
      requests.push({ id: `${i}.children`, method: "GET", url: `${base}:/children?$select=${ITEM_SELECT}&$top=200` });
      requests.push({ id: `${i}.permissions`, method: "GET", url: `${base}:/permissions` });
    });
    const responses = await executeBatch(this.options.graph, requests, this.options.batch);
    return Promise.all(
      segmentsOf.map(async (segments, i): Promise<FolderSnapshot> => {
        const path = segments.join("/");
        const item = responses.get(`${i}.item`)!;
        if (item.status === 404) return { path, folder: null, files: [], permissions: [] };
        for (const part of ["item", "children", "permissions"]) {
          const res = responses.get(`${i}.${part}`)!;
          if (res.status >= 400) throw batchError(res);
        }
        const folder = this.asFolder(driveId, segments, item.body as DriveItem);
        const page = responses.get(`${i}.children`)!.body as Page<DriveItem>;
        // More than a page of files (200) is rare: only then does the snapshot cost more requests.
        const children = [
          ...(page.value ?? []),
          ...(page["@odata.nextLink"] ? await this.allPages<DriveItem>(page["@odata.nextLink"]) : []),
        ];
        const permissions = (responses.get(`${i}.permissions`)!.body as Page<GraphPermission>).value ?? [];
        return {
          path,
          folder,
          files: children.filter((c) => c.file || !c.folder).map((c) => toStoredFile(c, c.name)),
          subfolderCount: children.filter((c) => c.folder && !c.file).length,
          permissions: permissions.map(toFolderPermission),
        };
      }),
    );
  }

  async invite(folder: FolderRef, request: InviteRequest): Promise<InviteOutcome[]> {
    // Built by hand: pnpjs's addPermissions type has no `message` (reference/graph.md §10).
    // requireSignIn is always true and there is no link type: this adapter has no code path
    // that creates an anonymous or organization link.
    const body = {
      recipients: request.recipients.map((email) => ({ email })),
      message: request.message,
      requireSignIn: true,
      sendInvitation: true,
      roles: [request.role],
    };
    const answer = await this.options.graph.post<{ value?: Array<GraphPermission & { error?: InviteError }> }>(
      `drives/${folder.driveId}/items/${folder.itemId}/invite`,
      body,
    );
    const entries = answer.value ?? [];
    return request.recipients.map((email, i) => {
      const entry =
        entries.length === request.recipients.length
          ? entries[i]
          : entries.find((e) => e.invitation?.email?.toLowerCase() === email.toLowerCase());
      if (!entry) return { email, refusal: { code: "notReported", message: "SharePoint did not report on this address." } };
      if (entry.error) {
        return {
          email,
          refusal: {
            code: entry.error.code ?? "notAllowed",
            innerCode: entry.error.innererror?.code ?? entry.error.innerError?.code,
            message: entry.error.message ?? "",
          },
        };
      }
      return { email, permissionId: entry.id };
    });
  }

  async listPermissions(folder: FolderRef): Promise<FolderPermission[]> {
    let all: GraphPermission[];
    try {
      all = await this.allPages<GraphPermission>(`drives/${folder.driveId}/items/${folder.itemId}/permissions`);
    } catch (e) {
      // A folder that is gone (deleted, in the recycle bin) grants nothing: revoking and removing
      // it then find nothing to remove and finish, instead of failing on every attempt.
      if (isGraphError(e) && e.status === 404) return [];
      throw e;
    }
    return all.map(toFolderPermission);
  }

  async removePermission(folder: FolderRef, permissionId: string): Promise<void> {
    await this.ignoreGone(
      this.options.graph.delete(`drives/${folder.driveId}/items/${folder.itemId}/permissions/${encodeURIComponent(permissionId)}`),
    );
  }

  async deleteFolder(folder: FolderRef, options: { readonly permanent: boolean }): Promise<void> {
    const item = `drives/${folder.driveId}/items/${folder.itemId}`;
    // A permanent delete sent twice finds the item gone (404, ignored): safe to repeat.
    await this.ignoreGone(
      options.permanent
        ? this.options.graph.post(`${item}/permanentDelete`, undefined, declareIdempotency(undefined, "safe"))
        : this.options.graph.delete(item),
    );
  }

  async downloadAddress(file: FileRef): Promise<string> {
    // Read fresh: a listing's download URL lasts an hour, and the scan may have flagged the file since.
    const item = await this.options.graph.get<DriveItem & { "@microsoft.graph.downloadUrl"?: string }>(
      `drives/${file.driveId}/items/${file.itemId}?$select=id,name,file,malware,@microsoft.graph.downloadUrl`,
    );
    if (item.malware) throw new GraphError("malwareDetected", `SharePoint found malware in "${item.name}": it is not downloaded.`, 403);
    const url = item["@microsoft.graph.downloadUrl"];
    if (!item.file || !url) throw new GraphError("notAFile", `"${item.name}" is not a file SharePoint can download.`, 409);
    return url;
  }

  async deleteFile(file: FileRef, options: { readonly permanent: boolean }): Promise<void> {
    const item = `drives/${file.driveId}/items/${file.itemId}`;
    // A delete sent again after a lost answer finds the item gone (404, ignored): safe to repeat.
    await this.ignoreGone(
      options.permanent
        ? this.options.graph.post(`${item}/permanentDelete`, undefined, declareIdempotency(undefined, "safe"))
        : this.options.graph.delete(item),
    );
  }

  // --- internals ---

  private async resolveLocation(): Promise<LibraryLocation> {
    const key = `library:${this.options.siteUrl}|${this.options.libraryName}`;
    const cached = this.options.cache?.get(key);
    if (cached) return JSON.parse(cached) as LibraryLocation;
    const drives = await this.allPages<{ id: string; name?: string; webUrl?: string }>(await this.drivesAddress());
    const wanted = this.options.libraryName.trim().toLowerCase();
    const drive = drives.find((d) => d.name?.toLowerCase() === wanted) ?? drives.find((d) => lastSegment(d.webUrl) === wanted);
    if (!drive) {
      throw new GraphError(
        "libraryNotFound",
        `The site ${this.options.siteUrl} has no document library called "${this.options.libraryName}".`,
        404,
      );
    }
    const location: LibraryLocation = { driveId: drive.id };
    this.options.cache?.set(key, JSON.stringify(location));
    return location;
  }

  /**
   * The site's document libraries in one request where the site has a path
   * (`sites/{host}:/sites/x:/drives`); the tenant's root site is looked up first.
   */
  private async drivesAddress(): Promise<string> {
    const site = siteAddress(this.options.siteUrl);
    if (site.includes(":")) return `${site}:/drives?$select=id,name,webUrl`;
    const root = await this.options.graph.get<{ id: string }>(`${site}?$select=id`);
    return `sites/${root.id}/drives?$select=id,name,webUrl`;
  }

  /**
   * Creates the last segment under its parent (by path) with conflictBehavior `fail`; a 409 means
   * it exists and we return it with `created: false` (whose it is, the use case checks in Dataverse); a 404 means the parent is missing, so we ensure the parent first.
   * The common case (parent there, folder new) is one request. pnpjs's addFolder defaults to
   * `rename`, which would make "CAS-1 1": never used.
   */
  private async ensureSegments(driveId: string, segments: string[], attempt = 1): Promise<FolderRef & { created: boolean }> {
    const name = segments[segments.length - 1];
    const parentSegments = segments.slice(0, -1);
    const parentUrl =
      parentSegments.length === 0
        ? `drives/${driveId}/root/children`
        : `drives/${driveId}/root:/${encodeDrivePath(parentSegments.join("/"))}:/children`;
    try {
      // `fail` makes a second create answer 409 nameAlreadyExists, which adopts the folder: a create
      // whose answer was lost is sent again safely (keyed by its name).
      const item = await this.options.graph.post<DriveItem>(
        parentUrl,
        { name, folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
        declareIdempotency(undefined, "keyed"),
      );
      return { ...toFolderRef(driveId, segments.join("/"), item), created: true };
    } catch (e) {
      if (!isGraphError(e)) throw e;
      if (e.status === 409 || e.code === "nameAlreadyExists") return { ...(await this.adopt(driveId, segments)), created: false };
      if (e.status === 404 && parentSegments.length > 0 && attempt <= 2) {
        await this.ensureSegments(driveId, parentSegments);
        return this.ensureSegments(driveId, segments, attempt + 1);
      }
      throw e;
    }
  }

  private async adopt(driveId: string, segments: string[]): Promise<FolderRef> {
    const item = await this.itemByPath(driveId, segments);
    if (!item)
      throw new GraphError("itemNotFound", `SharePoint reported "${segments.join("/")}" as existing, then could not find it.`, 404);
    return this.asFolder(driveId, segments, item);
  }

  private asFolder(driveId: string, segments: string[], item: DriveItem): FolderRef {
    if (!item.folder) throw new GraphError("notAFolder", `"${segments.join("/")}" is a file, not a folder.`, 409);
    return toFolderRef(driveId, segments.join("/"), item);
  }

  private async itemByPath(driveId: string, segments: string[]): Promise<DriveItem | null> {
    try {
      return await this.options.graph.get<DriveItem>(
        `drives/${driveId}/root:/${encodeDrivePath(segments.join("/"))}?$select=${ITEM_SELECT}`,
      );
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return null;
      throw e;
    }
  }

  private async allPages<T>(firstUrl: string): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = firstUrl;
    while (url) {
      const page: Page<T> = await this.options.graph.get<Page<T>>(url);
      out.push(...(page.value ?? []));
      url = page["@odata.nextLink"];
    }
    return out;
  }

  private async ignoreGone(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return;
      throw e;
    }
  }
}

interface InviteError {
  readonly code?: string;
  readonly message?: string;
  readonly innererror?: { readonly code?: string };
  readonly innerError?: { readonly code?: string };
}

/** `sites/{host}:/{path}` for a site URL, `sites/{host}` for the root site. */
export function siteAddress(siteUrl: string): string {
  const url = new URL(siteUrl);
  const path = url.pathname.replace(/\/+$/, "");
  return path
    ? `sites/${url.host}:${path
        .split("/")
        .map((seg) => encodeURIComponent(decodeURIComponent(seg)))
        .join("/")}`
    : `sites/${url.host}`;
}

function lastSegment(webUrl: string | undefined): string | undefined {
  if (!webUrl) return undefined;
  const seg = new URL(webUrl).pathname.split("/").filter(Boolean).pop();
  return seg ? decodeURIComponent(seg).toLowerCase() : undefined;
}
