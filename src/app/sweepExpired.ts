import { addressOf, JobPass, type JobPassOptions, type SweepFailure } from "./jobPass";
import { ExchangeStage } from "../model";
import { daysLeft, effectiveExpiry } from "../domain/expiry";
import { MAX_NOTIFIED_MEMBERS, notificationAudience, type NotificationAudience } from "../domain/notificationAudience";
import {
  deletionNote,
  knownFolders,
  lifetimeDays,
  mayDeleteOrphan,
  retentionAction,
  retentionHorizon,
  warningNote,
  type KnownFolders,
  type RetentionRuleSettings,
} from "../domain/retention";
import {
  CLOSED_CASE_REASON,
  closedCaseAccessEmail,
  closedCaseAccessNote,
  closedCaseStep,
  type ClosedCaseStep,
} from "../domain/closedCaseAccess";
import {
  fileAction,
  fileExpiredNote,
  fileExpiry,
  isInFolder,
  keptFilesNote,
  lastKeptFileNote,
  sortChildren,
  type KeptFile,
} from "../domain/fileRetention";
import { stageAfterRevoke } from "../domain/lifecycle";
import { FileStatus } from "../model";
import type { Clock } from "../ports/Clock";
import type { FolderAddress, FolderInventory, InventoryFolder } from "../ports/FolderInventory";
import { revokeFolderAccess } from "./revokeFolderAccess";
import { walkRootFolders } from "./walkRootFolders";
import type {
  ReceiptWithExchange,
  RetentionExchange,
  RetentionReceipt,
  RetentionRecords,
  RetentionWrite,
  TeamMembers,
} from "../ports/RetentionRecords";

/** What the sweep talks to. */
export interface SweepPorts {
  readonly records: RetentionRecords;
  readonly folders: FolderInventory;
}

export interface SweepExpiredOptions extends JobPassOptions {
  readonly settings: RetentionRuleSettings;
}

export type { SweepFailure, SweepStep } from "./jobPass";

export interface OrphanEntry {
  readonly path: string;
  readonly createdOn: string;
  readonly deletableFrom: string;
  /** reported: kept for now; deleted (or wouldDelete in a dry run); failed: see failures. */
  readonly action: "reported" | "deleted" | "wouldDelete" | "failed";
}

export interface SweepReport {
  readonly now: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly dryRun: boolean;
  /** false: the deadline stopped the run with work left; the next run continues. */
  readonly complete: boolean;
  readonly counts: {
    readonly warned: number;
    readonly expired: number;
    readonly permissionsRevoked: number;
    readonly recipientsRevoked: number;
    readonly deleted: number;
    readonly kept: number;
    /** Files deleted on the date an administrator gave them, before or after their folder's expiry. */
    readonly filesDeleted: number;
    /** Files an administrator kept that stay in an expired folder (the folder stays with them). */
    readonly filesKept: number;
    /** Exchanges whose case the job saw resolved or cancelled for the first time (or reopened: mark cleared). */
    readonly closedCasesSeen: number;
    readonly closedCasesReopened: number;
    /** Exchanges whose customers' access ended because their case was closed (setting cfx_ClosedCaseAccessDays). */
    readonly accessEndedCaseClosed: number;
    readonly orphans: number;
    readonly orphansDeleted: number;
    readonly unrecognised: number;
    readonly failures: number;
  };
  readonly orphans: readonly OrphanEntry[];
  /** Folders under the roots not named like a case: reported, never deleted. */
  readonly unrecognised: readonly string[];
  readonly failures: readonly SweepFailure[];
}

type Counts = { -readonly [K in keyof SweepReport["counts"]]: number };

const JOB = "Retention job";

/**
 * The retention job: warns owners before expiry, revokes and deletes expired folders, reports (and,
 * when the setting allows, deletes) orphan folders, and returns a report. Safe to rerun at any
 * point: every write is keyed or guarded by the record's own state.
 */
export async function sweepExpired(ports: SweepPorts, clock: Clock, options: SweepExpiredOptions): Promise<SweepReport> {
  const run = new SweepRun(ports, clock, options);
  return run.execute();
}

class SweepRun extends JobPass {
  private readonly counts: Counts = {
    warned: 0,
    expired: 0,
    permissionsRevoked: 0,
    recipientsRevoked: 0,
    deleted: 0,
    kept: 0,
    filesDeleted: 0,
    filesKept: 0,
    closedCasesSeen: 0,
    closedCasesReopened: 0,
    accessEndedCaseClosed: 0,
    orphans: 0,
    orphansDeleted: 0,
    unrecognised: 0,
    failures: 0,
  };
  private readonly orphans: OrphanEntry[] = [];
  private readonly unrecognised: string[] = [];
  /** The members of the teams that own the cases to warn, read once per run. */
  private teams: ReadonlyMap<string, TeamMembers> = new Map();
  /** Why the teams could not be read: their cases' exchanges are not warned this run. */
  private teamsUnreadable: unknown;
  /** The job's own user, the sender of its e-mails, read once when the first e-mail is due. */
  private sender: Promise<string> | undefined;

  constructor(
    private readonly ports: SweepPorts,
    clock: Clock,
    private readonly options: SweepExpiredOptions,
  ) {
    super(clock, options, ports.records);
  }

  async execute(): Promise<SweepReport> {
    const { settings } = this.options;
    let due: RetentionExchange[] = [];
    try {
      // From here on an exchange's expiry is the one the job enforces, not the announced date.
      due = (await this.ports.records.exchangesNeedingAttention(this.now, retentionHorizon(this.now, settings), settings)).map((x) => ({
        ...x,
        expiresOn: effectiveExpiry(x, settings),
      }));
    } catch (e) {
      this.fail("query", e, {});
    }
    const toWarn = due.filter((x) => retentionAction(x, this.now, settings) === "warn");
    const toDelete = due.filter((x) => retentionAction(x, this.now, settings) === "delete");
    this.log(`${due.length} exchange(s) need attention: ${toWarn.length} to warn, ${toDelete.length} expired.`);

    // Exchanges whose folder expires now: their files and access are handled with the folder.
    const expiring = new Set(toDelete.map((x) => x.id));

    if (!this.dryRun) await this.readTeams(toWarn);
    for (let i = 0; i < toWarn.length && !this.pastDeadline(); i += this.batch) {
      await this.warn(toWarn.slice(i, i + this.batch));
    }
    if (!this.pastDeadline()) await this.filesOnTheirOwnDates(expiring);
    if (settings.closedCaseAccessDays !== undefined && !this.pastDeadline())
      await this.followClosedCases(settings.closedCaseAccessDays, expiring);
    for (let i = 0; i < toDelete.length && !this.pastDeadline(); i += this.batch) {
      await this.expire(toDelete.slice(i, i + this.batch));
    }
    if (!this.pastDeadline()) await this.sweepOrphans();
    return this.report();
  }

  // --- 1. warn ---

  /**
   * The members of every team that owns a case to warn, in one call to the records port (20 teams
   * to a request): the cost grows with the teams, not with the exchanges, and a run with no
   * team-owned case due reads nothing.
   */
  private async readTeams(toWarn: readonly RetentionExchange[]): Promise<void> {
    const ids = [...new Set(toWarn.flatMap((x) => (x.caseOwner?.kind === "team" ? [x.caseOwner.id] : [])))];
    if (ids.length === 0) return;
    try {
      this.teams = await this.ports.records.teamMembers(ids, MAX_NOTIFIED_MEMBERS + 1);
    } catch (e) {
      this.teamsUnreadable = e ?? new Error("The teams could not be read.");
    }
  }

  /** Who is warned about an exchange: its case's owner, or the owning team's members (at most 50, by name). */
  private audienceOf(exchange: RetentionExchange): NotificationAudience | undefined {
    const owner = exchange.caseOwner;
    if (!owner) return undefined;
    if (owner.kind === "user") return notificationAudience(owner);
    const team = this.teams.get(owner.id);
    return notificationAudience({ ...owner, name: owner.name ?? team?.name }, team?.members ?? []);
  }

  /**
   * Notes and notifications first (one call to the records port: `$batch` requests of 20), then
   * `cfx_warnedon` for the exchanges whose warning was fully written (a second call): never marked
   * warned without the note. The note says who was notified: the case's owner, or the owning team's
   * members, one notification each (a team with no members: the note says nobody could be). The
   * writes are keyed, so a rerun after a crash between the two does not double them.
   */
  private async warn(chunk: readonly RetentionExchange[]): Promise<void> {
    this.counts.warned += chunk.length;
    if (this.dryRun) {
      for (const x of chunk) this.log(`would warn ${x.folderPath ?? x.name}`);
      return;
    }
    // Files an administrator kept past the folder's expiry change what the warning announces (the
    // folder is emptied around them, not deleted). Without the receipts the warning says what it
    // says of any folder: it is a warning, and the expiry itself reads them again.
    let receipts: RetentionReceipt[] = [];
    try {
      receipts = await this.ports.records.receiptsOf(chunk.map((x) => x.id));
    } catch {
      receipts = [];
    }
    const keptAtExpiry = (x: RetentionExchange) =>
      receipts
        .filter((r) => r.exchangeId === x.id && x.expiresOn && fileAction(r, x.expiresOn) === "keep")
        .map((r) => ({ name: r.name, until: fileExpiry(r, x.expiresOn ?? null) }));
    const writes: Array<{ exchange: RetentionExchange; write: RetentionWrite }> = [];
    for (const exchange of chunk) {
      if (exchange.caseOwner?.kind === "team" && this.teamsUnreadable !== undefined) {
        // Without the members the note could not say who was told: the next run warns it.
        this.fail("warn", this.teamsUnreadable, exchange);
        continue;
      }
      const audience = this.audienceOf(exchange);
      const note = warningNote({
        folderName: exchange.name,
        expiresOn: exchange.expiresOn!,
        daysLeft: daysLeft(exchange.expiresOn, this.now) ?? 0,
        audience,
        kept: keptAtExpiry(exchange),
      });
      writes.push({
        exchange,
        write: {
          kind: "addNote",
          target: { table: "cfx_fileexchange", id: exchange.id },
          note: { subject: note.subject, text: note.text },
          options: { onceKey: `warn:${exchange.id}:note` },
        },
      });
      for (const person of audience?.people ?? []) {
        writes.push({
          exchange,
          write: {
            kind: "notifyUser",
            userId: person.id,
            notification: { title: note.subject, body: note.text },
            // One per exchange and person: a team's members each get their own, and a rerun none twice.
            options: { onceKey: `warn:${exchange.id}:notification:${person.id}` },
          },
        });
      }
    }
    const written = await this.writeAll("warn", writes);
    const warned = await this.writeAll(
      "warn",
      written.map((exchange) => ({ exchange, write: { kind: "updateExchange", id: exchange.id, changes: { warnedOn: this.now } } })),
    );
    this.counts.warned -= chunk.length - warned.length;
    for (const x of warned) this.log(`warned the case's owner of ${x.folderPath ?? x.name}`);
  }

  // --- 2. revoke, then delete ---

  /**
   * Per chunk of 20 expired exchanges: their receipts (one query), every direct permission removed,
   * the recipient rows marked revoked; then a folder holding files an administrator kept is emptied
   * of everything else (`pruneFolders`), any other folder is deleted whole, and its receipts, notes
   * and the exchange are recorded.
   */
  private async expire(chunk: readonly RetentionExchange[]): Promise<void> {
    const { records } = this.ports;
    const { settings } = this.options;
    let receipts: RetentionReceipt[] = [];
    try {
      receipts = await records.receiptsOf(chunk.map((x) => x.id));
    } catch (e) {
      // Without the receipts a kept file could not be told apart: touch none of these folders this run.
      for (const x of chunk) this.fail("revoke", e, x);
      return;
    }
    const keptIn = (x: RetentionExchange) => receipts.filter((r) => r.exchangeId === x.id && fileAction(r, this.now) === "keep");
    // An exchange already emptied around its kept files (revoked) is looked at again, not counted again.
    this.counts.expired += chunk.filter((x) => !(x.stage === ExchangeStage.revoked && keptIn(x).length > 0)).length;
    if (this.dryRun) {
      for (const x of chunk) {
        const kept = keptIn(x);
        if (kept.length > 0 && hasFolder(x)) {
          this.counts.filesKept += kept.length;
          this.log(`would revoke access to ${x.folderPath ?? x.name} and delete all but ${kept.length} kept file(s)`);
        } else {
          this.counts.deleted++;
          this.log(`would revoke access to and delete ${x.folderPath ?? x.name}`);
        }
      }
      return;
    }
    const addressable = chunk.filter(hasFolder);
    const { done: revoked, removed } = await revokeFolderAccess(
      this.ports.folders,
      addressable.map((x) => ({ address: addressOf(x), exchange: x })),
      (item, e) => this.fail("revoke", e, item.exchange),
    );
    this.counts.permissionsRevoked += removed;
    const revokedCount = new Map(revoked.map((r) => [r.item.exchange.id, r.revoked]));
    // Exchanges with nothing to address have no folder left to delete.
    let ready = [...revoked.map((r) => r.item.exchange), ...chunk.filter((x) => !hasFolder(x))];

    // Recipient rows are marked revoked before the folder goes: that is what the panels show.
    const recipientsRevoked = new Map<string, number>();
    if (ready.length > 0) {
      try {
        const recipients = await records.activeRecipients(ready.map((x) => x.id));
        const blocked = new Set<string>();
        const writes: RetentionWrite[] = recipients.map((r) => ({
          kind: "updateRecipient",
          id: r.id,
          changes: { revokedOn: this.now, reason: `Access removed at expiry. (${JOB})` },
        }));
        const outcomes = await this.send(writes);
        recipients.forEach((r, i) => {
          const o = outcomes[i];
          if (o?.ok) {
            this.counts.recipientsRevoked++;
            recipientsRevoked.set(r.exchangeId, (recipientsRevoked.get(r.exchangeId) ?? 0) + 1);
            return;
          }
          blocked.add(r.exchangeId);
          this.fail("revoke", o?.error, chunk.find((x) => x.id === r.exchangeId) ?? { id: r.exchangeId });
        });
        ready = ready.filter((x) => !blocked.has(x.id));
      } catch (e) {
        for (const x of ready) this.fail("revoke", e, x);
        ready = [];
      }
    }

    // A folder holding kept files stays, emptied of everything else; the others go whole.
    const toPrune = ready.filter((x) => hasFolder(x) && keptIn(x).length > 0);
    const gone = await this.pruneFolders(
      toPrune,
      receipts,
      keptIn,
      (x) => (revokedCount.get(x.id) ?? 0) + (recipientsRevoked.get(x.id) ?? 0),
    );
    ready = ready.filter((x) => !toPrune.includes(x) || gone.includes(x));

    const withFolder = ready.filter(hasFolder);
    const outcomes = withFolder.length > 0 ? await this.deleteFolders(withFolder.map(addressOf)) : [];
    const deleted = ready.filter((x) => !hasFolder(x));
    outcomes.forEach((o, i) => {
      if (o.ok) deleted.push(withFolder[i]);
      else this.fail("delete", o.error, withFolder[i]);
    });

    // Notes on the exchange and the case first, then the receipts, then the exchange marked deleted,
    // each as a batch of writes. A resolved or cancelled case refuses its note (a refused outcome):
    // expected, not a failure.
    const notes: Array<{ exchange: RetentionExchange; write: RetentionWrite }> = [];
    for (const exchange of deleted) {
      // Files an administrator kept past the folder's expiry held it until now: the note says so.
      const heldByKeptFiles = receipts.some(
        (r) =>
          r.exchangeId === exchange.id &&
          (r.keptSince !== undefined ||
            (r.expiryOverride !== undefined && exchange.expiresOn !== null && r.expiryOverride.getTime() > exchange.expiresOn.getTime())),
      );
      const note = heldByKeptFiles
        ? lastKeptFileNote({ folderName: exchange.name, permanent: settings.permanentDelete })
        : deletionNote({
            folderName: exchange.name,
            days: lifetimeDays(exchange, settings),
            permanent: settings.permanentDelete,
            revokedCount: revokedCount.get(exchange.id) ?? 0,
          });
      notes.push(
        {
          exchange,
          write: {
            kind: "addNote",
            target: { table: "cfx_fileexchange", id: exchange.id },
            note,
            options: { onceKey: `delete:${exchange.id}:exchange` },
          },
        },
        {
          exchange,
          write: {
            kind: "addNote",
            target: { table: "incident", id: exchange.caseId },
            note,
            options: { onceKey: `delete:${exchange.id}:case` },
          },
        },
      );
    }
    const noted = await this.writeAll("record", notes);
    // Receipts before the confirmed removal: after it the job never looks at the exchange again.
    const receipted = await this.writeAll(
      "record",
      noted.flatMap((exchange) =>
        receipts.filter((r) => r.exchangeId === exchange.id && isInFolder(r)).map((r) => ({ exchange, write: this.expiredReceipt(r) })),
      ),
    );
    const recordable = noted.filter((x) => receipted.includes(x) || !receipts.some((r) => r.exchangeId === x.id && isInFolder(r)));
    const recorded = await this.writeAll(
      "record",
      recordable.map((exchange) => ({
        exchange,
        write: {
          kind: "updateExchange",
          id: exchange.id,
          // The confirmed removal (secured) is what the job trusts; the stage and date are what people see.
          changes: { stage: ExchangeStage.deleted, deletedOn: exchange.deletedOn ?? this.now, removedOn: this.now },
        },
      })),
    );
    this.counts.deleted += recorded.length;
    for (const x of recorded) this.log(`deleted ${x.folderPath ?? x.name}`);
  }

  private expiredReceipt(r: RetentionReceipt): RetentionWrite {
    return { kind: "updateReceipt", id: r.id, changes: { status: FileStatus.expired, goneOn: this.now } };
  }

  /**
   * Empties expired folders that hold kept files: lists each level (one `$batch` per 20 folders),
   * deletes every item that is neither a kept file nor a folder on the way to one (batches of 20),
   * then notes what was deleted and what was kept, marks the other receipts expired and the
   * exchange revoked. A later run finds nothing more to delete and writes nothing, unless
   * something changed (a permission added again, a file put in). Returns the exchanges whose folder
   * turned out to be gone already: the caller confirms their removal.
   */
  private async pruneFolders(
    chunk: readonly RetentionExchange[],
    receipts: readonly RetentionReceipt[],
    keptIn: (x: RetentionExchange) => RetentionReceipt[],
    accessRemoved: (x: RetentionExchange) => number,
  ): Promise<RetentionExchange[]> {
    if (chunk.length === 0) return [];
    const failed = new Set<string>();
    const gone: RetentionExchange[] = [];
    const removals: Array<{ exchange: RetentionExchange; address: FolderAddress }> = [];
    const kept = new Map<string, KeptFile[]>(chunk.map((x) => [x.id, keptIn(x).map((r) => ({ path: r.name, itemId: r.itemId }))]));
    let level = chunk.map((exchange) => ({ exchange, address: addressOf(exchange), prefix: "" }));
    while (level.length > 0) {
      const next: typeof level = [];
      for (let i = 0; i < level.length; i += this.batch) {
        const part = level.slice(i, i + this.batch);
        let listed;
        try {
          listed = await this.ports.folders.listChildren(part.map((l) => l.address));
        } catch (e) {
          listed = part.map(() => ({ ok: false as const, error: e instanceof Error ? e : new Error(String(e)) }));
        }
        listed.forEach((o, k) => {
          const { exchange, address, prefix } = part[k];
          if (failed.has(exchange.id)) return;
          if (!o.ok) {
            failed.add(exchange.id);
            this.fail("delete", o.error, exchange);
            return;
          }
          if ("gone" in o) {
            if (prefix === "") gone.push(exchange);
            return;
          }
          const sorted = sortChildren(prefix, o.children, kept.get(exchange.id) ?? []);
          for (const child of sorted.remove)
            removals.push({
              exchange,
              address: { driveId: exchange.driveId, itemId: child.itemId, path: `${address.path}/${child.name}` },
            });
          for (const child of sorted.descend)
            next.push({
              exchange,
              address: { driveId: exchange.driveId, itemId: child.itemId, path: `${address.path}/${child.name}` },
              prefix: prefix ? `${prefix}/${child.name}` : child.name,
            });
        });
      }
      level = next.filter((l) => !failed.has(l.exchange.id));
    }
    const removedFrom = new Map<string, number>();
    for (let i = 0; i < removals.length; i += this.batch) {
      const part = removals.slice(i, i + this.batch).filter((r) => !failed.has(r.exchange.id));
      if (part.length === 0) continue;
      const outcomes = await this.deleteFolders(part.map((r) => r.address));
      outcomes.forEach((o, k) => {
        const { exchange } = part[k];
        if (o.ok) removedFrom.set(exchange.id, (removedFrom.get(exchange.id) ?? 0) + 1);
        else if (!failed.has(exchange.id)) {
          failed.add(exchange.id);
          this.fail("delete", o.error, exchange);
        }
      });
    }

    const emptied = chunk.filter((x) => !failed.has(x.id) && !gone.includes(x));
    const expiredReceipts = (x: RetentionExchange) =>
      receipts.filter((r) => r.exchangeId === x.id && isInFolder(r) && fileAction(r, this.now) !== "keep");
    // Written when something changed now, or when the exchange was never marked (a crash before its notes).
    const changed = emptied.filter(
      (x) => x.stage !== ExchangeStage.revoked || accessRemoved(x) > 0 || (removedFrom.get(x.id) ?? 0) > 0 || expiredReceipts(x).length > 0,
    );
    const notes: Array<{ exchange: RetentionExchange; write: RetentionWrite }> = [];
    const timelines = (exchange: RetentionExchange) =>
      [
        ["cfx_fileexchange", exchange.id, "exchange"],
        ["incident", exchange.caseId, "case"],
      ] as const;
    // Once emptied (stage revoked), a kept file whose own date comes later is noted on its own.
    const onOwnDate = (x: RetentionExchange) =>
      x.stage === ExchangeStage.revoked ? expiredReceipts(x).filter((r) => fileAction(r, this.now) === "deleteOnOwnDate") : [];
    for (const exchange of changed) {
      const later = onOwnDate(exchange);
      if (exchange.stage !== ExchangeStage.revoked || accessRemoved(exchange) > 0 || later.length < expiredReceipts(exchange).length) {
        const note = keptFilesNote({
          folderName: exchange.name,
          kept: keptIn(exchange).map((r) => ({ name: r.name, until: fileExpiry(r, exchange.expiresOn) })),
          deleted: expiredReceipts(exchange)
            .filter((r) => !later.includes(r))
            .map((r) => r.name),
          revokedCount: accessRemoved(exchange),
        });
        for (const [table, id, key] of timelines(exchange))
          notes.push({
            exchange,
            write: { kind: "addNote", target: { table, id }, note, options: { onceKey: `expireKept:${exchange.id}:${key}` } },
          });
      }
      for (const r of later) {
        const note = fileExpiredNote({ folderName: exchange.name, fileName: r.name, on: r.expiryOverride ?? this.now });
        for (const [table, id, key] of timelines(exchange))
          notes.push({
            exchange,
            write: { kind: "addNote", target: { table, id }, note, options: { onceKey: `fileExpired:${r.id}:${key}` } },
          });
      }
    }
    const noted = await this.writeAll("record", notes);
    const receipted = await this.writeAll(
      "record",
      noted.flatMap((exchange) => expiredReceipts(exchange).map((r) => ({ exchange, write: this.expiredReceipt(r) }))),
    );
    const ready = noted.filter((x) => receipted.includes(x) || expiredReceipts(x).length === 0);
    for (const x of receipted)
      this.counts.filesDeleted += expiredReceipts(x).filter((r) => fileAction(r, this.now) === "deleteOnOwnDate").length;
    await this.writeAll(
      "record",
      ready
        .filter((x) => x.stage !== ExchangeStage.revoked)
        .map((exchange) => ({ exchange, write: { kind: "updateExchange", id: exchange.id, changes: { stage: ExchangeStage.revoked } } })),
    );
    for (const x of emptied) this.counts.filesKept += keptIn(x).length;
    for (const x of changed) {
      this.log(`revoked access to ${x.folderPath || x.name} and deleted all but ${keptIn(x).length} kept file(s)`);
    }
    return gone;
  }

  // --- files on their own dates ---

  /**
   * Files an administrator gave their own date, now come (earlier or later than their folder's
   * expiry): each is deleted on its own (batches of 20), noted on the exchange and the case, and its
   * receipt marked expired. Files of folders expiring in this run go with their folder instead.
   */
  private async filesOnTheirOwnDates(expiring: ReadonlySet<string>): Promise<void> {
    let due: ReceiptWithExchange[];
    try {
      due = (await this.ports.records.receiptsDueOnTheirOwn(this.now)).filter((r) => !expiring.has(r.exchange.id));
    } catch (e) {
      this.fail("query", e, {});
      return;
    }
    for (let i = 0; i < due.length && !this.pastDeadline(); i += this.batch) {
      const chunk = due.slice(i, i + this.batch);
      if (this.dryRun) {
        this.counts.filesDeleted += chunk.length;
        for (const r of chunk) this.log(`would delete ${r.exchange.folderPath}/${r.name} on its own date`);
        continue;
      }
      const outcomes = await this.deleteFolders(
        chunk.map((r) => ({
          driveId: r.exchange.driveId,
          itemId: r.itemId,
          path: `${r.exchange.folderPath || r.exchange.name}/${r.name}`,
        })),
      );
      const deleted = chunk.filter((r, k) => {
        const o = outcomes[k];
        if (!o.ok) this.fail("files", o.error, { id: r.exchange.id, path: `${r.exchange.folderPath}/${r.name}` });
        return o.ok;
      });
      const notes: RetentionWrite[] = deleted.flatMap((r) => {
        const note = fileExpiredNote({ folderName: r.exchange.name, fileName: r.name, on: r.expiryOverride ?? this.now });
        return [
          {
            kind: "addNote",
            target: { table: "cfx_fileexchange", id: r.exchange.id },
            note,
            options: { onceKey: `fileExpired:${r.id}:exchange` },
          },
          { kind: "addNote", target: { table: "incident", id: r.exchange.caseId }, note, options: { onceKey: `fileExpired:${r.id}:case` } },
        ] satisfies RetentionWrite[];
      });
      const noteOutcomes = await this.send(notes);
      const noted = deleted.filter((r, k) => {
        const failure = [noteOutcomes[2 * k], noteOutcomes[2 * k + 1]].find((o) => !o?.ok);
        if (failure)
          this.fail("files", failure.ok ? undefined : failure.error, { id: r.exchange.id, path: `${r.exchange.folderPath}/${r.name}` });
        return !failure;
      });
      const receiptOutcomes = await this.send(noted.map((r) => this.expiredReceipt(r)));
      noted.forEach((r, k) => {
        const o = receiptOutcomes[k];
        if (o?.ok) {
          this.counts.filesDeleted++;
          this.log(`deleted ${r.exchange.folderPath}/${r.name} on its own date`);
        } else this.fail("files", o?.ok === false ? o.error : undefined, { id: r.exchange.id, path: `${r.exchange.folderPath}/${r.name}` });
      });
    }
  }

  // --- following the case ---

  /**
   * With `cfx_ClosedCaseAccessDays` set: marks exchanges whose case the job sees resolved or
   * cancelled for the first time, clears the mark of a case reopened in time, and ends customers'
   * access the set days after the first sighting. Folders expiring in this run are left to expiry.
   */
  private async followClosedCases(days: number, expiring: ReadonlySet<string>): Promise<void> {
    let exchanges: RetentionExchange[];
    try {
      exchanges = (await this.ports.records.exchangesOfClosedCases()).filter((x) => !expiring.has(x.id));
    } catch (e) {
      this.fail("query", e, {});
      return;
    }
    const steps = exchanges.map((x) => ({ x, step: closedCaseStep(x, this.now, days) }));
    const marking = (s: ClosedCaseStep) => s === "markSeen" || s === "markSeenAndEnd" || s === "clearSeen";
    const toMark = steps.filter((s) => marking(s.step));
    let marked: RetentionExchange[] = [];
    if (this.dryRun) marked = toMark.map((s) => s.x);
    else
      marked = await this.writeAll(
        "closedCase",
        toMark.map(({ x, step }) => ({
          exchange: x,
          write: { kind: "updateExchange", id: x.id, changes: { caseClosedSeenOn: step === "clearSeen" ? null : this.now } },
        })),
      );
    for (const { x, step } of toMark) {
      if (!marked.includes(x)) continue;
      if (step === "clearSeen") {
        this.counts.closedCasesReopened++;
        this.log(`the case of ${x.folderPath || x.name} was reopened: customers keep their access`);
      } else {
        this.counts.closedCasesSeen++;
        this.log(`saw the case of ${x.folderPath || x.name} closed`);
      }
    }
    const toEnd = steps
      .filter((s) => s.step === "endAccess" || (s.step === "markSeenAndEnd" && marked.includes(s.x)))
      .map((s) => ({ ...s.x, caseClosedSeenOn: s.x.caseClosedSeenOn ?? this.now }));
    for (let i = 0; i < toEnd.length && !this.pastDeadline(); i += this.batch)
      await this.endAccessCaseClosed(toEnd.slice(i, i + this.batch), days);
  }

  /**
   * Ends every guest's access to these exchanges' folders because their case was closed: the
   * permissions go (the revoke path), each active recipient gets one e-mail (keyed by the recipient:
   * created, then sent), the notes go on the exchange and the case, then the recipient rows are
   * marked revoked and the stage becomes revoked, as Revoke access leaves it. A rerun finds no
   * permission and no active recipient and writes nothing.
   */
  private async endAccessCaseClosed(chunk: readonly RetentionExchange[], days: number): Promise<void> {
    const { records } = this.ports;
    const { done, removed } = await revokeFolderAccess(
      this.ports.folders,
      chunk.filter(hasFolder).map((x) => ({ address: addressOf(x), exchange: x })),
      (item, e) => this.fail("closedCase", e, item.exchange),
      { listOnly: this.dryRun },
    );
    this.counts.permissionsRevoked += removed;
    const removedFrom = new Map(done.map((d) => [d.item.exchange.id, d.revoked]));
    const ready = [...done.map((d) => d.item.exchange), ...chunk.filter((x) => !hasFolder(x))];
    if (ready.length === 0) return;
    let recipients;
    try {
      recipients = await records.activeRecipients(ready.map((x) => x.id));
    } catch (e) {
      for (const x of ready) this.fail("closedCase", e, x);
      return;
    }
    const recipientsOf = (x: RetentionExchange) => recipients.filter((r) => r.exchangeId === x.id);
    const changed = ready.filter(
      (x) => (removedFrom.get(x.id) ?? 0) > 0 || recipientsOf(x).length > 0 || stageAfterRevoke(x.stage, 0) !== x.stage,
    );
    if (this.dryRun) {
      this.counts.recipientsRevoked += recipients.length;
      this.counts.accessEndedCaseClosed += changed.length;
      for (const x of changed) this.log(`would end customers' access to ${x.folderPath || x.name}: the case was closed`);
      return;
    }

    // The e-mails first, so that a recipient is marked revoked only once told (a rerun tells the rest).
    const told = new Set<string>();
    if (recipients.length > 0) {
      let senderId: string | undefined;
      try {
        this.sender ??= records.currentUserId();
        senderId = await this.sender;
      } catch (e) {
        this.sender = undefined;
        for (const x of ready) if (recipientsOf(x).length > 0) this.fail("closedCase", e, x);
      }
      if (senderId !== undefined) {
        const byId = new Map(ready.map((x) => [x.id, x]));
        const emails = recipients.map((r): RetentionWrite => {
          const x = byId.get(r.exchangeId)!;
          const mail = closedCaseAccessEmail({
            caseNumber: x.caseNumber ?? x.name,
            caseTitle: x.caseTitle,
            folderName: x.name,
            expiresOn: x.expiresOn,
          });
          return {
            kind: "createEmail",
            options: { onceKey: `closedCase:${r.id}:email` },
            senderId: senderId!,
            to: [r.email],
            regardingCaseId: x.caseId,
            subject: mail.subject,
            html: mail.html,
          };
        });
        const created = await this.send(emails);
        const toSend = recipients.filter((_, k) => created[k]?.ok);
        const sent = await this.send(
          toSend.map((r): RetentionWrite => ({ kind: "sendEmail", options: { onceKey: `closedCase:${r.id}:email` } })),
        );
        recipients.forEach((r) => {
          const k = toSend.indexOf(r);
          const o = k >= 0 ? sent[k] : created[recipients.indexOf(r)];
          if (k >= 0 && o?.ok) told.add(r.id);
          else this.fail("closedCase", o && !o.ok ? o.error : undefined, byId.get(r.exchangeId) ?? { id: r.exchangeId });
        });
      }
    }
    // An exchange is noted and marked only when every one of its recipients was told.
    const complete = changed.filter((x) => recipientsOf(x).every((r) => told.has(r.id)));
    const notes: Array<{ exchange: RetentionExchange; write: RetentionWrite }> = [];
    for (const exchange of complete) {
      const note = closedCaseAccessNote({
        folderName: exchange.name,
        days,
        seenOn: exchange.caseClosedSeenOn ?? this.now,
        emails: recipientsOf(exchange).map((r) => r.email),
        revokedCount: removedFrom.get(exchange.id) ?? 0,
        expiresOn: exchange.expiresOn,
      });
      for (const [table, id, key] of [
        ["cfx_fileexchange", exchange.id, "exchange"],
        ["incident", exchange.caseId, "case"],
      ] as const)
        notes.push({
          exchange,
          // A resolved or cancelled case refuses the note (expected): the exchange's note stands.
          write: { kind: "addNote", target: { table, id }, note, options: { onceKey: `closedCase:${exchange.id}:${key}` } },
        });
    }
    const noted = await this.writeAll("closedCase", notes);
    const revoked = await this.writeAll(
      "closedCase",
      noted.flatMap((exchange) =>
        recipientsOf(exchange).map((r) => ({
          exchange,
          write: {
            kind: "updateRecipient",
            id: r.id,
            changes: { revokedOn: this.now, reason: CLOSED_CASE_REASON },
          } satisfies RetentionWrite,
        })),
      ),
    );
    for (const x of noted) if (revoked.includes(x)) this.counts.recipientsRevoked += recipientsOf(x).length;
    const staged = await this.writeAll(
      "closedCase",
      noted
        .filter((x) => revoked.includes(x) || recipientsOf(x).length === 0)
        .filter((x) => stageAfterRevoke(x.stage, 0) !== x.stage)
        .map((exchange) => ({
          exchange,
          write: { kind: "updateExchange", id: exchange.id, changes: { stage: stageAfterRevoke(exchange.stage, 0) } },
        })),
    );
    const ended = noted.filter(
      (x) => (revoked.includes(x) || recipientsOf(x).length === 0) && (staged.includes(x) || stageAfterRevoke(x.stage, 0) === x.stage),
    );
    this.counts.accessEndedCaseClosed += ended.length;
    for (const x of ended) this.log(`ended customers' access to ${x.folderPath || x.name}: the case was closed`);
  }

  private async deleteFolders(addresses: readonly FolderAddress[]) {
    try {
      return await this.ports.folders.deleteFolders(addresses, { permanent: this.options.settings.permanentDelete });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      return addresses.map(() => ({ ok: false as const, error }));
    }
  }

  // --- 3. orphans ---

  private async sweepOrphans(): Promise<void> {
    const { records } = this.ports;
    const { settings } = this.options;
    let known: KnownFolders;
    let previous: ReadonlySet<string>;
    let lastSaved: ReadonlySet<string>;
    try {
      const live = await records.exchangeFolders();
      this.counts.kept = live.filter((x) => x.kept).length;
      known = knownFolders(live);
      const last = await records.lastOrphanReport();
      // Runs with deletion off save an empty list: turning the setting on makes the next run report first.
      previous = new Set(settings.deleteOrphans ? (last?.deletable ?? []) : []);
      lastSaved = new Set(last?.deletable ?? []);
    } catch (e) {
      // Without the records, every folder would look like an orphan: skip the step entirely.
      this.fail("orphans", e, {});
      return;
    }

    const deletable: InventoryFolder[] = [];
    const toDelete: Array<{ folder: InventoryFolder; deletableFrom: Date }> = [];
    const scanned = await walkRootFolders(
      this.ports.folders,
      settings,
      known,
      (folder, kind) => {
        if (kind.kind === "unrecognised") {
          this.counts.unrecognised++;
          this.unrecognised.push(folder.path);
        } else if (kind.kind === "orphan") {
          this.counts.orphans++;
          const eligible = kind.deletableFrom.getTime() <= this.now.getTime();
          if (eligible) deletable.push(folder);
          if (mayDeleteOrphan({ itemId: folder.itemId, deletableFrom: kind.deletableFrom }, this.now, previous, settings)) {
            toDelete.push({ folder, deletableFrom: kind.deletableFrom });
          } else {
            this.orphans.push(orphanEntry(folder, kind.deletableFrom, "reported"));
          }
        }
      },
      { stop: () => this.pastDeadline(), onError: (path, e) => this.fail("orphans", e, { path }) },
    );

    const deletedIds = new Set<string>();
    for (let i = 0; i < toDelete.length; i += this.batch) {
      const chunk = toDelete.slice(i, i + this.batch);
      if (this.pastDeadline() || this.dryRun) {
        for (const o of chunk) this.orphans.push(orphanEntry(o.folder, o.deletableFrom, this.dryRun ? "wouldDelete" : "reported"));
        continue;
      }
      const items = chunk.map((o) => ({ address: { itemId: o.folder.itemId, path: o.folder.path }, orphan: o }));
      const failedHere = new Set<string>();
      const { done: revoked, removed } = await revokeFolderAccess(this.ports.folders, items, (item, e) => {
        failedHere.add(item.orphan.folder.itemId);
        this.fail("orphans", e, { path: item.orphan.folder.path });
      });
      this.counts.permissionsRevoked += removed;
      const ready = revoked.map((r) => r.item.orphan);
      const outcomes =
        ready.length > 0 ? await this.deleteFolders(ready.map((o) => ({ itemId: o.folder.itemId, path: o.folder.path }))) : [];
      outcomes.forEach((o, k) => {
        const orphan = ready[k];
        if (o.ok) {
          deletedIds.add(orphan.folder.itemId);
          this.counts.orphansDeleted++;
          this.orphans.push(orphanEntry(orphan.folder, orphan.deletableFrom, "deleted"));
          this.log(`deleted orphan folder ${orphan.folder.path}`);
        } else {
          failedHere.add(orphan.folder.itemId);
          this.fail("orphans", o.error, { path: orphan.folder.path });
        }
      });
      for (const o of chunk) if (failedHere.has(o.folder.itemId)) this.orphans.push(orphanEntry(o.folder, o.deletableFrom, "failed"));
    }

    // Persist what this run reported, so the next run may delete it; only after a full listing.
    if (scanned && !this.dryRun) {
      try {
        const remaining = settings.deleteOrphans ? deletable.filter((f) => !deletedIds.has(f.itemId)).map((f) => f.itemId) : [];
        // Written only when it changes, so that a run with nothing to do writes nothing.
        const changed = remaining.length !== lastSaved.size || remaining.some((id) => !lastSaved.has(id));
        if (changed) await records.saveOrphanReport({ reportedOn: this.now, deletable: remaining });
      } catch (e) {
        this.fail("orphans", e, {});
      }
    }
  }

  // --- 4. report ---

  private report(): SweepReport {
    return {
      now: this.now.toISOString(),
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.wall.now().toISOString(),
      dryRun: this.dryRun,
      complete: !this.stopped,
      counts: { ...this.counts, failures: this.failures.length },
      orphans: this.orphans,
      unrecognised: this.unrecognised,
      failures: this.failures,
    };
  }
}

function hasFolder(x: RetentionExchange): boolean {
  return Boolean(x.itemId || x.folderPath);
}

function orphanEntry(folder: InventoryFolder, deletableFrom: Date, action: OrphanEntry["action"]): OrphanEntry {
  return { path: folder.path, createdOn: folder.createdOn.toISOString(), deletableFrom: deletableFrom.toISOString(), action };
}
