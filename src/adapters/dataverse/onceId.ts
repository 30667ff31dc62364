import { createHash } from "node:crypto";

/**
 * A GUID derived from a key (name-based, UUID version 5 layout over SHA-1). Creating a record with
 * this id twice makes Dataverse refuse the second as a duplicate: that is how a note or a
 * notification is written once even when a run is repeated after a crash.
 */
export function onceId(key: string): string {
  const hash = createHash("sha1").update(`case-file-exchange/retention/${key}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
