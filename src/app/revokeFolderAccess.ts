import { isRevocable } from "../domain/retention";
import type { FolderAddress, FolderInventory } from "../ports/FolderInventory";

export interface RevokeFolderAccessOptions {
  /** List the permissions and count what would go, remove nothing (a dry run). */
  readonly listOnly?: boolean;
}

export interface RevokeFolderAccessResult<T> {
  /** The items whose access is fully removed (or whose folder is already gone), with the number removed from each. */
  readonly done: Array<{ readonly item: T; readonly revoked: number }>;
  /** Every permission removed (or, listing only, that would be), also on folders where another removal failed. */
  readonly removed: number;
}

/**
 * Lists the permissions of each folder and removes every revocable one — every direct
 * (non-inherited) permission but the site owners' own, including ones added by hand — in one call
 * for the listing and one for the removals (Graph `$batch` envelopes in the adapter), so that the
 * cost grows by batches, not per folder. An item whose listing or removal failed is reported
 * through `onFailure` once and left out of `done`: its folder must not be deleted or marked ended.
 */
export async function revokeFolderAccess<T extends { readonly address: FolderAddress }>(
  folders: FolderInventory,
  items: readonly T[],
  onFailure: (item: T, error: unknown) => void,
  options: RevokeFolderAccessOptions = {},
): Promise<RevokeFolderAccessResult<T>> {
  if (items.length === 0) return { done: [], removed: 0 };
  let listed;
  try {
    listed = await folders.listPermissions(items.map((i) => i.address));
  } catch (e) {
    for (const item of items) onFailure(item, e);
    return { done: [], removed: 0 };
  }
  const removals: Array<{ index: number; permissionId: string }> = [];
  const alive: number[] = [];
  listed.forEach((outcome, index) => {
    if (!outcome.ok) return onFailure(items[index], outcome.error);
    alive.push(index);
    if ("permissions" in outcome) for (const p of outcome.permissions.filter(isRevocable)) removals.push({ index, permissionId: p.id });
  });
  const failed = new Set<number>();
  const removed = new Map<number, number>();
  if (options.listOnly) {
    for (const r of removals) removed.set(r.index, (removed.get(r.index) ?? 0) + 1);
  } else if (removals.length > 0) {
    let results;
    try {
      results = await folders.removePermissions(removals.map((r) => ({ folder: items[r.index].address, permissionId: r.permissionId })));
    } catch (e) {
      for (const index of alive) onFailure(items[index], e);
      return { done: [], removed: 0 };
    }
    results.forEach((o, k) => {
      const index = removals[k].index;
      if (o.ok) removed.set(index, (removed.get(index) ?? 0) + 1);
      else if (!failed.has(index)) {
        failed.add(index);
        onFailure(items[index], o.error);
      }
    });
  }
  return {
    done: alive.filter((i) => !failed.has(i)).map((i) => ({ item: items[i], revoked: removed.get(i) ?? 0 })),
    removed: [...removed.values()].reduce((a, b) => a + b, 0),
  };
}
