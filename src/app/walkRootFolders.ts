import { classifyFolder, type FolderClass, type KnownFolders, type RetentionRuleSettings } from "../domain/retention";
import type { FolderInventory, InventoryFolder } from "../ports/FolderInventory";

export interface WalkRootFoldersOptions {
  /** Asked before each page: true stops the walk (a deadline). */
  readonly stop: () => boolean;
  /** A page that could not be read: the walk stops there. */
  readonly onError: (path: string, error: unknown) => void;
}

/**
 * Lists the folders under the two roots page by page (200 a page in the adapter), going down into
 * containers (the `{account}` level, or a folder that holds exchanges' folders), and hands each
 * listed folder to `visit` with its class. Resolves true when every page was read, false when
 * `stop` or a failure cut it short.
 */
export async function walkRootFolders(
  folders: FolderInventory,
  settings: RetentionRuleSettings,
  known: KnownFolders,
  visit: (folder: InventoryFolder, kind: FolderClass) => void,
  options: WalkRootFoldersOptions,
): Promise<boolean> {
  const queue = [settings.backupRoot, settings.uploadRoot];
  while (queue.length > 0) {
    const path = queue.shift()!;
    let next: string | undefined;
    do {
      if (options.stop()) return false;
      let page;
      try {
        page = await folders.listFolders(path, next);
      } catch (e) {
        options.onError(path, e);
        return false;
      }
      for (const folder of page.folders) {
        const kind = classifyFolder(folder, known, settings);
        if (kind.kind === "container") queue.push(folder.path);
        visit(folder, kind);
      }
      next = page.next;
    } while (next);
  }
  return true;
}
