import { createHash } from "node:crypto";

/** RFC 4122 URL namespace: the one src/model/roles.ts used for the role ids. */
const urlNamespace = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");

/**
 * A name-based UUID (version 5) of `name` in the URL namespace: the same name always gives the same
 * id, so a re-import of a newer build upgrades each component instead of adding a second one.
 */
export function uuidv5(name: string): string {
  const hash = createHash("sha1").update(urlNamespace).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of a component of some kind (`form`, `view`, `webresource`, …), in braces as solution XML writes ids. */
export function componentId(kind: string, key: string): string {
  return `{${uuidv5(`cfx/${kind}/${key}`)}}`;
}
