import type {
  ChildItem,
  ChildrenOutcome,
  FolderAddress,
  FolderInventory,
  FolderPage,
  ItemOutcome,
  PermissionRemoval,
  PermissionsOutcome,
} from "../../ports/FolderInventory";
import { batchError, executeBatch, type BatchOptions, type BatchRequest, type BatchResponse } from "./BatchClient";
import { type GraphPermission, type Page, pathSegments, toFolderPermission } from "./driveItems";
import { encodeDrivePath, type GraphClient } from "./GraphClient";
import { isGraphError } from "./GraphError";

/** What the inventory needs to know about the library: its drive, resolved once. */
export interface LibraryResolver {
  resolve(): Promise<{ readonly driveId: string }>;
}

export interface GraphFolderInventoryOptions {
  readonly graph: GraphClient;
  /** Usually the GraphDocumentLibrary of the same settings (site URL + library name). */
  readonly library: LibraryResolver;
  readonly batch?: BatchOptions;
  /** Children per listing page (Graph's default and our budget: 200). */
  readonly pageSize?: number;
}

interface ListedItem {
  readonly id: string;
  readonly name: string;
  readonly createdDateTime?: string;
  readonly folder?: unknown;
}

/**
 * The retention job's view of the library over Graph: children listings by pages of 200 (Graph
 * has no `$filter` on children, so files are dropped here), and permission reads, permission
 * removals and deletions as `$batch` sub-requests, 20 per envelope, through the Graph engineer's
 * pipeline and BatchClient (which retries throttled sub-requests). A 404 means "already gone".
 */
export class GraphFolderInventory implements FolderInventory {
  constructor(private readonly options: GraphFolderInventoryOptions) {}

  async listFolders(path: string, next?: string): Promise<FolderPage> {
    const { driveId } = await this.options.library.resolve();
    const segments = pathSegments(path);
    const url =
      next ??
      `drives/${driveId}/root:/${encodeDrivePath(segments.join("/"))}:/children?$select=id,name,createdDateTime,folder&$top=${this.options.pageSize ?? 200}`;
    let page: Page<ListedItem>;
    try {
      page = await this.options.graph.get<Page<ListedItem>>(url);
    } catch (e) {
      if (isGraphError(e) && e.status === 404) return { folders: [] };
      throw e;
    }
    const folders = (page.value ?? [])
      .filter((i) => i.folder)
      .map((i) => ({ itemId: i.id, name: i.name, path: [...segments, i.name].join("/"), createdOn: new Date(i.createdDateTime ?? 0) }));
    const nextLink = page["@odata.nextLink"];
    return nextLink ? { folders, next: nextLink } : { folders };
  }

  async listPermissions(folders: readonly FolderAddress[]): Promise<PermissionsOutcome[]> {
    const responses = await this.run(folders, (item) => ({ method: "GET", url: `${item}/permissions` }));
    return responses.map((res): PermissionsOutcome => {
      if (res.status === 404) return { ok: true, gone: true };
      if (res.status >= 400) return { ok: false, error: batchError(res) };
      // One page: a case folder carries a handful of permissions, far below a page. Any beyond it
      // would go with the folder itself; only a restore from the recycle bin would bring them back.
      const value = (res.body as Page<GraphPermission> | undefined)?.value ?? [];
      return { ok: true, permissions: value.map(toFolderPermission) };
    });
  }

  async listChildren(folders: readonly FolderAddress[]): Promise<ChildrenOutcome[]> {
    const top = this.options.pageSize ?? 200;
    const responses = await this.run(folders, (item) => ({
      method: "GET",
      url: `${item}/children?$select=id,name,folder,file&$top=${top}`,
    }));
    const out: ChildrenOutcome[] = [];
    for (const res of responses) {
      if (res.status === 404) {
        out.push({ ok: true, gone: true });
        continue;
      }
      if (res.status >= 400) {
        out.push({ ok: false, error: batchError(res) });
        continue;
      }
      let page = res.body as Page<ListedItem> | undefined;
      const children: ChildItem[] = [];
      try {
        for (;;) {
          for (const i of page?.value ?? []) children.push({ itemId: i.id, name: i.name, isFolder: Boolean(i.folder) });
          const next = page?.["@odata.nextLink"];
          if (!next) break;
          page = await this.options.graph.get<Page<ListedItem>>(next);
        }
        out.push({ ok: true, children });
      } catch (e) {
        out.push({ ok: false, error: e instanceof Error ? e : new Error(String(e)) });
      }
    }
    return out;
  }

  async removePermissions(removals: readonly PermissionRemoval[]): Promise<ItemOutcome[]> {
    const { driveId } = await this.options.library.resolve();
    const requests = removals.map((r, i): BatchRequest => ({
      id: String(i + 1),
      method: "DELETE",
      url: `${itemUrl(r.folder, driveId)}/permissions/${encodeURIComponent(r.permissionId)}`,
    }));
    return this.outcomes(await this.send(requests));
  }

  async deleteFolders(folders: readonly FolderAddress[], options: { readonly permanent: boolean }): Promise<ItemOutcome[]> {
    // A permanent delete sent twice finds the item gone (404, counted as done): safe to repeat.
    const responses = await this.run(folders, (item) =>
      options.permanent ? { method: "POST", url: `${item}/permanentDelete`, idempotency: "safe" } : { method: "DELETE", url: item },
    );
    return this.outcomes(responses);
  }

  // --- internals ---

  /** One sub-request per folder, built from the folder's item URL. */
  private async run(
    folders: readonly FolderAddress[],
    build: (itemUrl: string) => Pick<BatchRequest, "method" | "url" | "idempotency">,
  ): Promise<BatchResponse[]> {
    const { driveId } = await this.options.library.resolve();
    const requests = folders.map((f, i): BatchRequest => ({ id: String(i + 1), ...build(itemUrl(f, driveId)) }));
    return this.send(requests);
  }

  private async send(requests: readonly BatchRequest[]): Promise<BatchResponse[]> {
    if (requests.length === 0) return [];
    const byId = await executeBatch(this.options.graph, requests, this.options.batch);
    return requests.map((r) => byId.get(r.id)!);
  }

  private outcomes(responses: readonly BatchResponse[]): ItemOutcome[] {
    return responses.map((res): ItemOutcome => {
      if (res.status === 404) return { ok: true, gone: true };
      if (res.status >= 400) return { ok: false, error: batchError(res) };
      return { ok: true };
    });
  }
}

/** A folder's URL relative to the version root, by item id when known, else by path. */
function itemUrl(folder: FolderAddress, libraryDriveId: string): string {
  const drive = folder.driveId ?? libraryDriveId;
  return folder.itemId
    ? `/drives/${drive}/items/${encodeURIComponent(folder.itemId)}`
    : `/drives/${drive}/root:/${encodeDrivePath(folder.path)}:`;
}
