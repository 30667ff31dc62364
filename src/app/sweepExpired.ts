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
import type { Clock } from "../ports/Clock";
import type { FolderAddress, FolderInventory, InventoryFolder } from "../ports/FolderInventory";
import { revokeFolderAccess } from "./revokeFolderAccess";
import { walkRootFolders } from "./walkRootFolders";
import type { RetentionExchange, RetentionRecords, RetentionWrite, TeamMembers } from "../ports/RetentionRecords";

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

    if (!this.dryRun) await this.readTeams(toWarn);
    for (let i = 0; i < toWarn.length && !this.pastDeadline(); i += this.batch) {
      await this.warn(toWarn.slice(i, i + this.batch));
    }
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

  private async expire(chunk: readonly RetentionExchange[]): Promise<void> {
    const { records } = this.ports;
    const { settings } = this.options;
    this.counts.expired += chunk.length;
    if (this.dryRun) {
      this.counts.deleted += chunk.length;
      for (const x of chunk) this.log(`would revoke access to and delete ${x.folderPath ?? x.name}`);
      return;
    }
    const addressable = chunk.filter((x) => x.itemId || x.folderPath);
    const { done: revoked, removed } = await revokeFolderAccess(
      this.ports.folders,
      addressable.map((x) => ({ address: addressOf(x), exchange: x })),
      (item, e) => this.fail("revoke", e, item.exchange),
    );
    this.counts.permissionsRevoked += removed;
    const revokedCount = new Map(revoked.map((r) => [r.item.exchange.id, r.revoked]));
    // Exchanges with nothing to address have no folder left to delete.
    let ready = [...revoked.map((r) => r.item.exchange), ...chunk.filter((x) => !x.itemId && !x.folderPath)];

    // Recipient rows are marked revoked before the folder goes: that is what the panels show.
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

    const withFolder = ready.filter((x) => x.itemId || x.folderPath);
    const outcomes = withFolder.length > 0 ? await this.deleteFolders(withFolder.map(addressOf)) : [];
    const deleted = ready.filter((x) => !x.itemId && !x.folderPath);
    outcomes.forEach((o, i) => {
      if (o.ok) deleted.push(withFolder[i]);
      else this.fail("delete", o.error, withFolder[i]);
    });

    // Notes on the exchange and the case first, then the exchange marked deleted, each as a batch
    // of writes. A resolved or cancelled case refuses its note (a refused outcome): expected, not a failure.
    const notes: Array<{ exchange: RetentionExchange; write: RetentionWrite }> = [];
    for (const exchange of deleted) {
      const note = deletionNote({
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
    const recorded = await this.writeAll(
      "record",
      noted.map((exchange) => ({
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

function orphanEntry(folder: InventoryFolder, deletableFrom: Date, action: OrphanEntry["action"]): OrphanEntry {
  return { path: folder.path, createdOn: folder.createdOn.toISOString(), deletableFrom: deletableFrom.toISOString(), action };
}
