import { createHash, randomBytes } from "node:crypto";
import { stableId } from "../seed/ids";

/** A new driveItem id in SharePoint's shape: "01" and 32 upper-case base32-ish characters. */
export function newItemId(): string {
  return "01" + randomBytes(16).toString("hex").toUpperCase();
}

/** The document library's drive id, in SharePoint's "b!…" form, stable for the seeded site. */
export function driveIdFor(libraryName: string): string {
  return "b!" + createHash("sha256").update(`drive/${libraryName}`).digest("base64url").slice(0, 64);
}

export const siteCollectionId = stableId("sharepoint/site-collection/CustomerFiles");
export const siteWebId = stableId("sharepoint/web/CustomerFiles");

/** Graph's composite site id: `{hostname},{siteCollectionId},{webId}`. */
export function siteIdFor(hostname: string): string {
  return `${hostname},${siteCollectionId},${siteWebId}`;
}
