import type { FileReceipt } from "../domain/exchange";
import { isFlagged, type ScannedFile } from "../domain/malware";
import { FileIntegrity } from "../model";
import type { StoredFile } from "../ports/DocumentLibrary";

/** What the folder holds according to its receipts: the latest receipt per path that counts as stored. */
export interface StoredTotals {
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly receipts: readonly FileReceipt[];
  /** Files SharePoint flagged as malware: never counted above. */
  readonly flagged: readonly ScannedFile[];
}

/**
 * Receipts of a replaced file stay on the exchange; the latest per path wins. A file "modified by
 * SharePoint" (Office documents) counts as stored; a hash mismatch does not, and neither does a
 * file that SharePoint's listing (`listed`, when it was read) shows flagged as malware.
 */
export function storedTotals(receipts: readonly FileReceipt[], listed: readonly StoredFile[] = []): StoredTotals {
  const latest = new Map<string, FileReceipt>();
  for (const r of receipts) {
    const key = r.path.toLowerCase(); // SharePoint names are case-insensitive
    const seen = latest.get(key);
    if (!seen || seen.uploadedOn.getTime() <= r.uploadedOn.getTime()) latest.set(key, r);
  }
  const flagged = listed.filter(isFlagged);
  const flaggedIds = new Set(flagged.map((f) => f.itemId));
  const flaggedPaths = new Set(flagged.map((f) => f.path.toLowerCase()));
  const stored = [...latest.values()].filter(
    (r) => r.integrity !== FileIntegrity.mismatch && !(r.itemId && flaggedIds.has(r.itemId)) && !flaggedPaths.has(r.path.toLowerCase()),
  );
  stored.sort((a, b) => a.path.localeCompare(b.path));
  return {
    fileCount: stored.length,
    totalBytes: stored.reduce((n, r) => n + r.size, 0),
    receipts: stored,
    flagged: flagged.map((f) => ({ path: f.path, size: f.size, malware: f.malware })),
  };
}
