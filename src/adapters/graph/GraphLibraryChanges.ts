import type { ChangedBy, LibraryChange, LibraryChangeSet, LibraryChanges } from "../../ports/LibraryChanges";
import type { GraphClient } from "./GraphClient";
import { GraphError, isGraphError } from "./GraphError";
import type { LibraryResolver } from "./GraphFolderInventory";

export interface GraphLibraryChangesOptions {
  readonly graph: GraphClient;
  /** Usually the GraphDocumentLibrary of the same settings (site URL + library name). */
  readonly library: LibraryResolver;
  /** `$top` of a first enumeration (the links carry it on); Graph's default page when absent. */
  readonly pageSize?: number;
}

interface IdentitySet {
  readonly user?: { readonly id?: string; readonly email?: string; readonly displayName?: string };
  readonly application?: { readonly id?: string; readonly displayName?: string };
}

interface DeltaItem {
  readonly id?: string;
  readonly name?: string;
  readonly size?: number;
  readonly root?: unknown;
  readonly deleted?: unknown;
  readonly folder?: unknown;
  readonly file?: { readonly hashes?: { readonly quickXorHash?: string } };
  readonly parentReference?: { readonly id?: string };
  readonly createdDateTime?: string;
  readonly lastModifiedDateTime?: string;
  readonly createdBy?: IdentitySet;
  readonly lastModifiedBy?: IdentitySet;
}

interface DeltaPage {
  readonly value?: readonly DeltaItem[];
  readonly "@odata.nextLink"?: string;
  readonly "@odata.deltaLink"?: string;
}

/**
 * The library's changes over Graph's drive `delta` (SharePoint offers it at the drive's root
 * only): follows `@odata.nextLink` to the page with `@odata.deltaLink`, and on `410 Gone` (an
 * expired link) follows the answer's `Location`, a fresh enumeration of the whole library. It
 * never lists folders' children instead: that would cost a request per folder.
 */
export class GraphLibraryChanges implements LibraryChanges {
  constructor(private readonly options: GraphLibraryChangesOptions) {}

  async changesSince(link: string | undefined, options: { readonly signal?: AbortSignal } = {}): Promise<LibraryChangeSet> {
    let url = link ?? (await this.firstUrl());
    let resynced = false;
    // The feed may list an item more than once; its last occurrence is its state.
    let items = new Map<string, LibraryChange>();
    for (;;) {
      let page: DeltaPage;
      try {
        page = await this.options.graph.get<DeltaPage>(url, { signal: options.signal });
      } catch (e) {
        if (isGraphError(e) && e.status === 410 && !resynced) {
          // What was read of the expired round is dropped: the fresh enumeration lists everything.
          resynced = true;
          items = new Map();
          url = e.location ?? (await this.firstUrl());
          continue;
        }
        throw e;
      }
      for (const raw of page.value ?? []) {
        const change = toChange(raw);
        if (!change) continue;
        items.delete(change.itemId);
        items.set(change.itemId, change);
      }
      const next = page["@odata.nextLink"];
      const delta = page["@odata.deltaLink"];
      if (next) url = next;
      else if (delta) return { items: [...items.values()], link: delta, complete: link === undefined || resynced, resynced };
      else throw new GraphError("invalidResponse", "A delta page carried neither a nextLink nor a deltaLink.", 200);
    }
  }

  private async firstUrl(): Promise<string> {
    const { driveId } = await this.options.library.resolve();
    const top = this.options.pageSize ? `?$top=${this.options.pageSize}` : "";
    return `drives/${encodeURIComponent(driveId)}/root/delta${top}`;
  }
}

function toChange(item: DeltaItem): LibraryChange | undefined {
  if (!item.id) return undefined;
  if (item.deleted) return { kind: "deleted", itemId: item.id };
  const parentId = item.root ? undefined : item.parentReference?.id;
  if (item.folder || item.root) return { kind: "folder", itemId: item.id, parentId, name: item.name ?? "" };
  if (!item.file) return undefined;
  return {
    kind: "file",
    itemId: item.id,
    parentId,
    name: item.name ?? "",
    size: item.size ?? 0,
    quickXorHash: item.file.hashes?.quickXorHash,
    createdOn: dateOf(item.createdDateTime),
    modifiedOn: dateOf(item.lastModifiedDateTime),
    createdBy: identityOf(item.createdBy),
    modifiedBy: identityOf(item.lastModifiedBy),
  };
}

function dateOf(s: string | undefined): Date | undefined {
  return s ? new Date(s) : undefined;
}

function identityOf(set: IdentitySet | undefined): ChangedBy | undefined {
  if (set?.user) return { kind: "user", id: set.user.id, email: set.user.email?.toLowerCase(), displayName: set.user.displayName };
  if (set?.application) return { kind: "application", id: set.application.id, displayName: set.application.displayName };
  return undefined;
}
