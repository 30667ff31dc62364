import { arrivalReceiptId, contentKeyOf, decideArrivals, type KnownReceipt, type ExchangeArrivals } from "../domain/arrivals";
import { nextStage } from "../domain/lifecycle";
import { onceId } from "../domain/onceId";
import { ExchangeDirection, ExchangeStage, FileStatus } from "../model";
import type {
  ArrivalExchange,
  ArrivalRecords,
  ArrivalWrite,
  ArrivalWriteOutcome,
  NewArrivalReceipt,
  StoredReceipt,
} from "../ports/ArrivalRecords";
import type { Clock } from "../ports/Clock";
import type { LibraryChanges, LibraryChangeSet } from "../ports/LibraryChanges";
import { arrivalEmail, arrivalNoteText, arrivalNotification, arrivalSubject, type ArrivalLine } from "./arrivalWording";
import type { SweepFailure } from "./jobPass";

/** What the check talks to. */
export interface ArrivalPorts {
  readonly changes: LibraryChanges;
  readonly records: ArrivalRecords;
}

export interface CheckArrivalsOptions {
  readonly settings: {
    readonly siteUrl: string;
    readonly libraryName: string;
    readonly organizationDomains: readonly string[];
    readonly arrivalEmail: boolean;
  };
  /** Identifies this run in the cursor row (a random id when absent). */
  readonly runId?: string;
  /** Decide and report, change nothing (the cursor stays where it is). */
  readonly dryRun?: boolean;
  readonly log?: (line: string) => void;
}

export interface ArrivalsReport {
  readonly now: string;
  readonly dryRun: boolean;
  /**
   * advanced: this run moved the cursor on and told; unchanged: nothing to record or tell;
   * lost: another run moved it first and tells instead (this run told nobody);
   * notAdvanced: a failure kept the cursor where it was (the next run reads the same changes).
   */
  readonly cursor: "advanced" | "unchanged" | "lost" | "notAdvanced";
  /** The change set listed the whole library (first run, or an expired link). */
  readonly complete: boolean;
  readonly resynced: boolean;
  readonly counts: {
    /** Items in the change set. */
    readonly changes: number;
    /** Batches reported (a note, a notification and, with the setting, an e-mail each). */
    readonly batches: number;
    readonly exchangesTold: number;
    /** Files in the reported batches. */
    readonly files: number;
    readonly replaced: number;
    readonly deleted: number;
    readonly failures: number;
  };
  readonly failures: readonly SweepFailure[];
}

/** A delta link unused this long is written again even when nothing changed (links expire after about 30 days). */
const REFRESH_AFTER_MS = 7 * 24 * 3600 * 1000;

/** The cursor row of a library: derived from the site and library, so every run finds the same row. */
export function libraryCursorId(siteUrl: string, libraryName: string): string {
  return onceId(`library-cursor:${siteUrl.trim().replace(/\/+$/, "").toLowerCase()}|${libraryName.trim().toLowerCase()}`);
}

/** Ids of what a batch writes: derived from the batch, so a rerun writes each once. */
export const arrivalIds = {
  note: (batchId: string, table: string) => onceId(`arrival:${batchId}:note:${table}`),
  notification: (batchId: string, userId: string) => onceId(`arrival:${batchId}:notification:${userId.toLowerCase()}`),
  email: (batchId: string) => onceId(`arrival:${batchId}:email`),
};

/** One batch to report: the receipts of one exchange that one run claimed. */
interface Batch {
  readonly exchange: ArrivalExchange;
  readonly batchId: string;
  readonly files: readonly (ArrivalLine & { readonly receiptId: string })[];
}

/**
 * The arrival check: finds the files customers put into their open upload folders through the
 * library's change feed, and reports each batch once. In this order, so that a crash anywhere and a
 * rerun write each receipt, note and notification once, and of two runs at once only one tells:
 *
 * 1. read the cursor (the delta link and the row's version) and the changes since it;
 * 2. record: receipts of new files (ids from item and content, the batch id on each, not yet
 *    reported), replaced and deleted receipts marked — nobody is told yet;
 * 3. claim: move the cursor on with `If-Match`; a run that loses (412) stops here, telling nobody;
 * 4. tell, per batch (ids derived from the batch): notes on the exchange and the case, the
 *    requesting agent's notification, the e-mail with the setting on, the stage to files received;
 * 5. mark the batch's receipts reported.
 *
 * A run stopped after 2 leaves receipts unreported: the next run (which claims the cursor in
 * turn) reports them under the same batch id, so nothing is told twice. A run with no change and
 * nothing unreported writes nothing.
 */
export async function checkArrivals(ports: ArrivalPorts, clock: Clock, options: CheckArrivalsOptions): Promise<ArrivalsReport> {
  const { records } = ports;
  const { settings } = options;
  const now = clock.now();
  const dryRun = options.dryRun ?? false;
  const runId = options.runId ?? globalThis.crypto.randomUUID();
  const log = (line: string) => options.log?.(`arrivals: ${line}`);
  const failures: SweepFailure[] = [];
  const counts = { changes: 0, batches: 0, exchangesTold: 0, files: 0, replaced: 0, deleted: 0 };
  let complete = false;
  let resynced = false;
  const report = (cursor: ArrivalsReport["cursor"]): ArrivalsReport => ({
    now: now.toISOString(),
    dryRun,
    cursor,
    complete,
    resynced,
    counts: { ...counts, failures: failures.length },
    failures,
  });
  const fail = (error: unknown, where: { exchangeId?: string; path?: string } = {}) => {
    const e = error as { code?: unknown; status?: unknown; message?: unknown } | undefined;
    const failure: SweepFailure = {
      step: "arrivals",
      ...(where.exchangeId ? { exchangeId: where.exchangeId } : {}),
      ...(where.path ? { path: where.path } : {}),
      code: typeof e?.code === "string" ? e.code : "error",
      ...(typeof e?.status === "number" ? { status: e.status } : {}),
      message: typeof e?.message === "string" ? e.message : String(error),
    };
    failures.push(failure);
    log(`failed ${failure.path ?? failure.exchangeId ?? ""}: ${failure.message}`);
  };

  // --- 1. read ---
  const cursorId = libraryCursorId(settings.siteUrl, settings.libraryName);
  let set: LibraryChangeSet;
  let cursor: Awaited<ReturnType<ArrivalRecords["cursor"]>>;
  let exchanges: ArrivalExchange[];
  let known: StoredReceipt[];
  let unreported: StoredReceipt[];
  try {
    cursor = await records.cursor(cursorId);
    set = await ports.changes.changesSince(cursor?.link);
    complete = set.complete;
    resynced = set.resynced;
    counts.changes = set.items.length;
    unreported = await records.unreportedReceipts();
    const fileIds = set.items.filter((i) => i.kind !== "folder").map((i) => i.itemId);
    known = set.complete ? await records.receiptsInFolders() : fileIds.length > 0 ? await records.receiptsOfItems(fileIds) : [];
    const folderIds = set.items.filter((i) => i.kind === "folder").map((i) => i.itemId);
    const exchangeIds = [...new Set([...unreported, ...known].map((r) => r.exchangeId))];
    exchanges =
      set.complete || folderIds.length + exchangeIds.length > 0
        ? await records.openUploadExchanges(set.complete ? undefined : { folderItemIds: folderIds, exchangeIds })
        : [];
  } catch (e) {
    fail(e);
    return report("notAdvanced");
  }
  log(`${set.items.length} change(s) since the last run${set.resynced ? " (the link had expired: the library was listed again)" : ""}.`);

  // --- decide ---
  const open = new Map(exchanges.map((x) => [x.id, x]));
  const receiptsById = new Map<string, StoredReceipt>();
  for (const r of [...known, ...unreported]) receiptsById.set(r.id, r);
  // A receipt's content key: the one its id was derived from when the feed lists the same state of
  // the file (Dataverse keeps times to the second, so a key from the stored time would not match).
  const keyOf = new Map<string, string>();
  const hashless = new Map<string, StoredReceipt[]>();
  for (const r of receiptsById.values()) if (r.itemId && !r.quickXorHash) hashless.set(r.itemId, [...(hashless.get(r.itemId) ?? []), r]);
  for (const item of set.items) {
    if (item.kind !== "file") continue;
    const key = contentKeyOf(item);
    const id = arrivalReceiptId(item.itemId, key);
    if (receiptsById.has(id)) keyOf.set(id, key);
    // A file receipted before SharePoint had computed its hash, listed again now with one and the
    // same size: the same content, not a replacement.
    for (const r of hashless.get(item.itemId) ?? []) if (r.size === item.size && !keyOf.has(r.id)) keyOf.set(r.id, key);
  }
  const knownReceipts: KnownReceipt[] = [...receiptsById.values()]
    .filter((r) => r.itemId && open.has(r.exchangeId))
    .map((r) => ({
      exchangeId: r.exchangeId,
      receiptId: r.id,
      itemId: r.itemId!,
      contentKey: keyOf.get(r.id) ?? (r.quickXorHash ? `qx:${r.quickXorHash}` : `stored:${r.id}`),
      deleted: r.status !== undefined && r.status !== FileStatus.inFolder,
    }));
  const decided: ExchangeArrivals[] = decideArrivals({
    exchanges: exchanges.map((x) => ({ exchangeId: x.id, folderItemId: x.folderItemId })),
    changes: set.items,
    complete: set.complete,
    receipts: knownReceipts,
    organizationDomains: settings.organizationDomains,
  });

  // --- 2. record ---
  const recordWrites: Array<{ exchangeId: string; write: ArrivalWrite }> = [];
  const fresh: Batch[] = [];
  for (const d of decided) {
    const exchange = open.get(d.exchangeId)!;
    for (const r of d.deletedReceipts) {
      counts.deleted++;
      recordWrites.push({
        exchangeId: d.exchangeId,
        write: { kind: "updateReceipt", id: r.receiptId, changes: { status: FileStatus.deletedByCustomer, goneOn: now } },
      });
    }
    for (const f of d.replacedFiles) {
      counts.replaced++;
      for (const old of f.replaces)
        recordWrites.push({
          exchangeId: d.exchangeId,
          write: { kind: "updateReceipt", id: old, changes: { status: FileStatus.replaced, goneOn: now } },
        });
    }
    if (!d.batchId) continue;
    const batchId = d.batchId;
    const arrived = [...d.newFiles.map((f) => ({ ...f, replaced: false })), ...d.replacedFiles.map((f) => ({ ...f, replaced: true }))];
    for (const f of arrived) {
      const receipt: NewArrivalReceipt = {
        id: f.receiptId,
        exchangeId: d.exchangeId,
        ...(exchange.owner ? { owner: exchange.owner } : {}),
        itemId: f.itemId,
        path: f.path,
        size: f.size,
        ...(f.quickXorHash ? { quickXorHash: f.quickXorHash } : {}),
        ...(f.modifiedOn ? { uploadedOn: f.modifiedOn } : {}),
        ...(f.uploadedBy ? { uploadedBy: f.uploadedBy } : {}),
        batchId,
      };
      recordWrites.push({ exchangeId: d.exchangeId, write: { kind: "createReceipt", receipt } });
    }
    fresh.push({
      exchange,
      batchId,
      files: arrived.map((f) => ({
        receiptId: f.receiptId,
        path: f.path,
        size: f.size,
        ...(f.uploadedBy ? { uploadedBy: f.uploadedBy } : {}),
        replaced: f.replaced,
      })),
    });
  }

  // Receipts recorded by an earlier run that stopped before telling: reported now, in their own batch.
  const earlier = new Map<string, { exchangeId: string; batchId: string; receipts: StoredReceipt[] }>();
  for (const r of unreported) {
    if (!r.batchId || fresh.some((b) => b.batchId === r.batchId)) continue;
    const key = `${r.exchangeId}|${r.batchId}`;
    const group = earlier.get(key) ?? { exchangeId: r.exchangeId, batchId: r.batchId, receipts: [] };
    group.receipts.push(r);
    earlier.set(key, group);
  }
  const toTell: Batch[] = [...fresh];
  /** Unreported receipts whose request is closed (folder removed): nobody to tell, marked reported. */
  const orphaned: StoredReceipt[] = [];
  for (const g of earlier.values()) {
    const exchange = open.get(g.exchangeId);
    if (!exchange) {
      orphaned.push(...g.receipts);
      continue;
    }
    toTell.push({
      exchange,
      batchId: g.batchId,
      files: g.receipts.map((r) => ({
        receiptId: r.id,
        path: r.name,
        size: r.size,
        ...(r.uploadedBy ? { uploadedBy: r.uploadedBy } : {}),
      })),
    });
  }

  const linkMoved = cursor?.link !== set.link;
  const stale = !cursor?.advancedOn || now.getTime() - cursor.advancedOn.getTime() > REFRESH_AFTER_MS;
  const anythingToWrite = recordWrites.length > 0 || toTell.length > 0 || orphaned.length > 0;
  // Nothing changed and nothing is left to tell: nothing is written (the link is written again
  // when it has not been for a week, so that it does not expire unused).
  if (!anythingToWrite && (set.items.length === 0 || !linkMoved) && !stale) {
    log("nothing new.");
    return report("unchanged");
  }
  if (dryRun) {
    counts.batches = toTell.length;
    counts.exchangesTold = new Set(toTell.map((b) => b.exchange.id)).size;
    counts.files = toTell.reduce((n, b) => n + b.files.length, 0);
    for (const b of toTell) log(`would report ${b.files.length} file(s) in ${b.exchange.folderPath ?? b.exchange.name}`);
    return report("unchanged");
  }

  const recorded = await send(
    records,
    recordWrites.map((w) => w.write),
  );
  let recordFailed = false;
  recorded.forEach((o, i) => {
    if (o.ok) return;
    recordFailed = true;
    fail(o.error, { exchangeId: recordWrites[i].exchangeId });
  });
  if (recordFailed) {
    // Without every receipt recorded the cursor cannot move on: the next run reads the same changes.
    log("not every receipt could be recorded: the cursor stays, the next run tries again.");
    return report("notAdvanced");
  }

  // --- 3. claim ---
  let claim: "advanced" | "lost";
  try {
    claim = await records.advanceCursor({
      id: cursorId,
      name: `${settings.siteUrl.replace(/\/+$/, "")} | ${settings.libraryName}`,
      link: set.link,
      runId,
      now,
      ...(cursor ? { etag: cursor.etag } : {}),
    });
  } catch (e) {
    fail(e);
    return report("notAdvanced");
  }
  if (claim === "lost") {
    log("another run moved the cursor on first: it reports what arrived.");
    return report("lost");
  }

  // --- 4. tell ---
  let sender: string | undefined;
  if (settings.arrivalEmail && toTell.some((b) => b.exchange.owner?.kind === "user")) {
    try {
      sender = await records.jobUserId();
    } catch (e) {
      // Without a sender there is no e-mail; the notification and the note still go.
      fail(e);
    }
  }
  const tellWrites: Array<{ batch: Batch; write: ArrivalWrite }> = [];
  const emails: Array<{ batch: Batch; id: string }> = [];
  for (const batch of toTell) {
    const { exchange } = batch;
    const agent = exchange.owner?.kind === "user" ? exchange.owner.id : undefined;
    const words = { folderName: exchange.name, files: batch.files, notified: agent !== undefined };
    const note = { subject: arrivalSubject, text: arrivalNoteText(words) };
    for (const target of [
      { table: "cfx_fileexchange" as const, id: exchange.id },
      ...(exchange.caseId ? [{ table: "incident" as const, id: exchange.caseId }] : []),
    ]) {
      tellWrites.push({ batch, write: { kind: "addNote", id: arrivalIds.note(batch.batchId, target.table), target, note } });
    }
    if (agent) {
      const n = arrivalNotification(words);
      tellWrites.push({
        batch,
        write: {
          kind: "notifyUser",
          id: arrivalIds.notification(batch.batchId, agent),
          userId: agent,
          title: n.title,
          body: n.body,
          caseId: exchange.caseId,
        },
      });
      if (settings.arrivalEmail && sender && exchange.caseId) {
        const m = arrivalEmail(words);
        const id = arrivalIds.email(batch.batchId);
        emails.push({ batch, id });
        tellWrites.push({
          batch,
          write: {
            kind: "createEmail",
            id,
            caseId: exchange.caseId,
            fromUserId: sender,
            toUserIds: [agent],
            subject: m.subject,
            html: m.html,
          },
        });
      }
    }
  }
  const told = await send(
    records,
    tellWrites.map((w) => w.write),
  );
  const failedBatches = new Set<string>();
  told.forEach((o, i) => {
    if (o.ok) return;
    const { batch } = tellWrites[i];
    if (!failedBatches.has(batch.batchId)) fail(o.error, { exchangeId: batch.exchange.id, path: batch.exchange.folderPath });
    failedBatches.add(batch.batchId);
  });
  for (const { batch, id } of emails) {
    if (failedBatches.has(batch.batchId)) continue;
    try {
      await records.sendEmail(id);
    } catch (e) {
      failedBatches.add(batch.batchId);
      fail(e, { exchangeId: batch.exchange.id, path: batch.exchange.folderPath });
    }
  }

  // The stage moves (shared → files received, the lifecycle's markFilesReceived), then the
  // batch's receipts are marked reported: the last write, so a stop before it reports again under the same ids.
  const done = toTell.filter((b) => !failedBatches.has(b.batchId));
  const finishWrites: Array<{ batch?: Batch; write: ArrivalWrite }> = [];
  const moved = new Set<string>();
  for (const batch of done) {
    const x = batch.exchange;
    if (!moved.has(x.id) && x.stage === ExchangeStage.shared) {
      moved.add(x.id);
      const stage = nextStage(
        { direction: ExchangeDirection.filesFromCustomer, stage: x.stage },
        "markFilesReceived",
        ["administrator"],
        now,
      );
      if (stage !== null && stage !== x.stage)
        finishWrites.push({ batch, write: { kind: "updateExchange", id: x.id, changes: { stage } } });
    }
    for (const f of batch.files)
      finishWrites.push({ batch, write: { kind: "updateReceipt", id: f.receiptId, changes: { reportedOn: now } } });
  }
  for (const r of orphaned) finishWrites.push({ write: { kind: "updateReceipt", id: r.id, changes: { reportedOn: now } } });
  const finished = await send(
    records,
    finishWrites.map((w) => w.write),
  );
  const unfinished = new Set<string>();
  finished.forEach((o, i) => {
    if (o.ok) return;
    const { batch } = finishWrites[i];
    const key = batch?.batchId ?? "orphaned";
    if (!unfinished.has(key)) fail(o.error, batch ? { exchangeId: batch.exchange.id, path: batch.exchange.folderPath } : {});
    unfinished.add(key);
  });
  const reported = done.filter((b) => !unfinished.has(b.batchId));
  counts.batches = reported.length;
  counts.exchangesTold = new Set(reported.map((b) => b.exchange.id)).size;
  counts.files = reported.reduce((n, b) => n + b.files.length, 0);
  for (const b of reported) log(`reported ${b.files.length} file(s) in ${b.exchange.folderPath ?? b.exchange.name}`);
  return report("advanced");
}

/** Sends writes in one call to the records port; a call that fails as a whole fails each write. */
async function send(records: ArrivalRecords, writes: readonly ArrivalWrite[]): Promise<ArrivalWriteOutcome[]> {
  if (writes.length === 0) return [];
  try {
    return await records.write(writes);
  } catch (e) {
    return writes.map(() => ({ ok: false, error: e }));
  }
}
