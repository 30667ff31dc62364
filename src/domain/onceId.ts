import { v5 as uuidV5 } from "uuid";

/** The namespace of every id the product derives from a key (fixed: changing it would write twice). */
const NAMESPACE = "9a3f0c52-7c1e-5b8e-9d2a-3c6f1e4b7a10";

/**
 * A GUID derived from a key (name-based, UUID version 5). Creating a record with this id twice
 * makes Dataverse refuse the second as a duplicate (`0x80040237`): that is how a row, a note or a
 * notification is written once even when a step is repeated after a lost answer. The same in the
 * browser (the panels) and in Node (the retention job).
 */
export function onceId(key: string): string {
  return uuidV5(`case-file-exchange/${key}`, NAMESPACE);
}
