import { createHash } from "node:crypto";

/** A deterministic UUID (v5 shape) from a name, so seeds in Dataverse and Graph agree without a lookup. */
export function stableId(name: string): string {
  const h = createHash("sha1").update(`cfx-sandbox/${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The Graph driveItem id the sandbox gives the seeded item at `path` under the library root. */
export function seededItemId(path: string): string {
  return "01" + createHash("sha1").update(`item/${path}`).digest("hex").slice(0, 32).toUpperCase();
}

/** The Graph permission id the sandbox gives a seeded folder's grant to `email` (same formula as sandbox/graph/seed.ts). */
export function seededPermissionId(folderPath: string, email: string): string {
  return `seed${seededItemId(`${folderPath}#${email}`).slice(2, 22).toLowerCase()}`;
}
