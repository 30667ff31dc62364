import type { FileReceipt } from "../domain/exchange";
import { FileIntegrity } from "../model";

/** What the folder holds according to its receipts: the latest receipt per path that counts as stored. */
export interface StoredTotals {
  readonly fileCount: number;
  readonly totalBytes: number;
  readonly receipts: readonly FileReceipt[];
}

/**
 * Receipts of a replaced file stay on the exchange; the latest per path wins. A file "modified by
 * SharePoint" (Office documents) counts as stored; a hash mismatch does not.
 */
export function storedTotals(receipts: readonly FileReceipt[]): StoredTotals {
  const latest = new Map<string, FileReceipt>();
  for (const r of receipts) {
    const key = r.path.toLowerCase(); // SharePoint names are case-insensitive
    const seen = latest.get(key);
    if (!seen || seen.uploadedOn.getTime() <= r.uploadedOn.getTime()) latest.set(key, r);
  }
  const stored = [...latest.values()].filter((r) => r.integrity !== FileIntegrity.mismatch);
  stored.sort((a, b) => a.path.localeCompare(b.path));
  return { fileCount: stored.length, totalBytes: stored.reduce((n, r) => n + r.size, 0), receipts: stored };
}
