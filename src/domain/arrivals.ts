import { onceId } from "./onceId";

/**
 * Files from the customer: which files arrived in, were replaced in, or went from the open upload
 * folders, given what changed in the library and what was already receipted. Pure: the check that
 * reads the changes and writes the receipts calls it once per run.
 */

/** Who changed an item, as the library reports it. */
export interface ChangeAuthor {
  readonly kind: "user" | "application";
  readonly email?: string;
  readonly displayName?: string;
}

/** One item of the change feed (the shape of ports/LibraryChanges' LibraryChange). */
export type LibraryItem =
  | {
      readonly kind: "file";
      readonly itemId: string;
      readonly parentId?: string;
      readonly name: string;
      readonly size: number;
      readonly quickXorHash?: string;
      readonly modifiedOn?: Date;
      readonly createdBy?: ChangeAuthor;
      readonly modifiedBy?: ChangeAuthor;
    }
  | { readonly kind: "folder"; readonly itemId: string; readonly parentId?: string; readonly name: string }
  | { readonly kind: "deleted"; readonly itemId: string };

/** An open exchange of files from the customer, by its folder's item id. */
export interface UploadExchange {
  readonly exchangeId: string;
  readonly folderItemId: string;
}

/** A receipt already written for a file of an exchange. */
export interface KnownReceipt {
  readonly exchangeId: string;
  readonly receiptId: string;
  readonly itemId: string;
  /** The content the receipt recorded (see `arrivalReceiptId` for a file without a hash yet). */
  readonly contentKey: string;
  /** Marked as deleted by the customer already. */
  readonly deleted: boolean;
}

export interface ArrivalsInput {
  readonly exchanges: readonly UploadExchange[];
  readonly changes: readonly LibraryItem[];
  /** The change set lists the whole library (a first run, or after an expired link). */
  readonly complete: boolean;
  readonly receipts: readonly KnownReceipt[];
  /**
   * Folders known from earlier runs (by item id), for a sub-folder the change set does
   * not list again; the feed lists a changed file's parents too, so this is rarely needed.
   */
  readonly knownFolders?: ReadonlyMap<string, { readonly parentId: string; readonly name: string }>;
  /**
   * The organization's own e-mail domains: files its people (or an application) put into an
   * upload folder are not the customer's and are not reported.
   */
  readonly organizationDomains: readonly string[];
}

/** A file that came from the customer. */
export interface ArrivedFile {
  readonly receiptId: string;
  readonly contentKey: string;
  readonly itemId: string;
  readonly name: string;
  /** Below the case folder, `/`-separated (`logs/app.log` for a file in an uploaded folder). */
  readonly path: string;
  readonly size: number;
  readonly quickXorHash?: string;
  readonly modifiedOn?: Date;
  readonly uploadedBy?: string;
}

/** A file the customer put in again with other content: same item, new receipt. */
export interface ReplacedFile extends ArrivedFile {
  /** The receipts of the earlier content, now superseded. */
  readonly replaces: readonly string[];
}

export interface ExchangeArrivals {
  readonly exchangeId: string;
  /** The receipts this run claims (new and replaced files), under one id; absent when there are none. */
  readonly batchId?: string;
  readonly newFiles: readonly ArrivedFile[];
  readonly replacedFiles: readonly ReplacedFile[];
  /** Receipts whose file is gone from the folder. */
  readonly deletedReceipts: readonly { readonly receiptId: string; readonly itemId: string }[];
}

/**
 * What identifies a file's content: its quickXorHash, or, while SharePoint has not computed one,
 * its size and time of change (so the same state of the file always gives the same key).
 */
export function contentKeyOf(file: { readonly size: number; readonly quickXorHash?: string; readonly modifiedOn?: Date }): string {
  return file.quickXorHash ? `qx:${file.quickXorHash}` : `size:${file.size}:${file.modifiedOn?.toISOString() ?? ""}`;
}

/** A receipt of a file from the customer: derived from the item and its content, so a rerun writes the same row. */
export function arrivalReceiptId(itemId: string, contentKey: string): string {
  return onceId(`arrival-receipt:${itemId}:${contentKey}`);
}

/** The batch one run claims for an exchange: derived from the receipts in it, so a rerun claims the same batch. */
export function arrivalBatchId(exchangeId: string, receiptIds: readonly string[]): string {
  return onceId(`arrival-batch:${exchangeId.toLowerCase()}:${[...receiptIds].sort().join(",")}`);
}

/** The deepest folder nesting followed up from a file (SharePoint's 400-character paths stay far below it). */
const maxDepth = 100;

/**
 * Decides the arrivals per open exchange. A file counts for an exchange when its parent chain
 * (folders seen in the change set, or known) reaches the exchange's folder, also through
 * sub-folders the customer uploaded; folders themselves, files elsewhere and files the
 * organization's own people or applications last changed are left out. A file not receipted yet
 * is new; a receipted file with other content is replaced; a receipted file reported deleted, or
 * missing from a complete listing, is deleted. Exchanges with nothing to report are left out.
 */
export function decideArrivals(input: ArrivalsInput): ExchangeArrivals[] {
  const byFolder = new Map(input.exchanges.map((e) => [e.folderItemId, e.exchangeId]));
  const open = new Set(input.exchanges.map((e) => e.exchangeId));
  const parents = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [id, f] of input.knownFolders ?? []) {
    parents.set(id, f.parentId);
    names.set(id, f.name);
  }
  for (const c of input.changes) {
    if (c.kind !== "folder") continue;
    if (c.parentId) parents.set(c.itemId, c.parentId);
    names.set(c.itemId, c.name);
  }
  const domains = new Set(input.organizationDomains.map((d) => d.trim().toLowerCase().replace(/^@/, "")));

  /** The exchange whose folder holds `parentId`, and the sub-folder names between them. */
  const exchangeOf = (parentId: string | undefined): { exchangeId: string; folders: string[] } | undefined => {
    const folders: string[] = [];
    let at = parentId;
    for (let depth = 0; at && depth < maxDepth; depth++) {
      const exchangeId = byFolder.get(at);
      if (exchangeId) return { exchangeId, folders: folders.reverse() };
      const name = names.get(at);
      if (name === undefined) return undefined;
      folders.push(name);
      at = parents.get(at);
    }
    return undefined;
  };

  const receiptsByItem = new Map<string, KnownReceipt[]>();
  for (const r of input.receipts) {
    if (!open.has(r.exchangeId)) continue;
    const list = receiptsByItem.get(r.itemId) ?? [];
    list.push(r);
    receiptsByItem.set(r.itemId, list);
  }

  const results = new Map<
    string,
    { newFiles: ArrivedFile[]; replacedFiles: ReplacedFile[]; deletedReceipts: { receiptId: string; itemId: string }[] }
  >();
  const resultFor = (exchangeId: string) => {
    let r = results.get(exchangeId);
    if (!r) results.set(exchangeId, (r = { newFiles: [], replacedFiles: [], deletedReceipts: [] }));
    return r;
  };
  const marked = new Set<string>();
  const markDeleted = (receipts: readonly KnownReceipt[]) => {
    for (const r of receipts) {
      if (r.deleted || marked.has(r.receiptId)) continue;
      marked.add(r.receiptId);
      resultFor(r.exchangeId).deletedReceipts.push({ receiptId: r.receiptId, itemId: r.itemId });
    }
  };

  const present = new Set<string>();
  for (const c of input.changes) {
    if (c.kind === "deleted") {
      markDeleted(receiptsByItem.get(c.itemId) ?? []);
      continue;
    }
    if (c.kind !== "file") continue;
    present.add(c.itemId);
    const place = exchangeOf(c.parentId);
    if (!place) continue;
    const author = c.modifiedBy ?? c.createdBy;
    if (author && isOrganization(author, domains)) continue;
    const contentKey = contentKeyOf(c);
    const earlier = (receiptsByItem.get(c.itemId) ?? []).filter((r) => r.exchangeId === place.exchangeId);
    // The same content again (a rename, a parent listed again, a replay of the feed): nothing new.
    if (earlier.some((r) => r.contentKey === contentKey)) continue;
    const file: ArrivedFile = {
      receiptId: arrivalReceiptId(c.itemId, contentKey),
      contentKey,
      itemId: c.itemId,
      name: c.name,
      path: [...place.folders, c.name].join("/"),
      size: c.size,
      ...(c.quickXorHash ? { quickXorHash: c.quickXorHash } : {}),
      ...(c.modifiedOn ? { modifiedOn: c.modifiedOn } : {}),
      ...(author ? { uploadedBy: author.email ?? author.displayName } : {}),
    };
    const current = earlier.filter((r) => !r.deleted);
    if (earlier.length === 0) resultFor(place.exchangeId).newFiles.push(file);
    else resultFor(place.exchangeId).replacedFiles.push({ ...file, replaces: current.map((r) => r.receiptId) });
  }

  if (input.complete) {
    // A complete listing reports no deletions: a receipted file it does not list is gone.
    for (const [itemId, receipts] of receiptsByItem) if (!present.has(itemId)) markDeleted(receipts);
  }

  const out: ExchangeArrivals[] = [];
  for (const e of input.exchanges) {
    const r = results.get(e.exchangeId);
    if (!r) continue;
    const claimed = [...r.newFiles, ...r.replacedFiles].map((f) => f.receiptId);
    out.push({ exchangeId: e.exchangeId, ...(claimed.length ? { batchId: arrivalBatchId(e.exchangeId, claimed) } : {}), ...r });
  }
  return out;
}

function isOrganization(author: ChangeAuthor, domains: ReadonlySet<string>): boolean {
  if (author.kind === "application") return true;
  const domain = author.email?.split("@")[1]?.toLowerCase();
  return domain !== undefined && domains.has(domain);
}
