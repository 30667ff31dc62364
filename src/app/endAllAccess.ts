import { ExchangeStage } from "../model";
import { accessEndedNote, ACCESS_ENDED_SUBJECT, knownFolders, type KnownFolders, type RetentionRuleSettings } from "../domain/retention";
import type { Clock } from "../ports/Clock";
import type { InventoryFolder } from "../ports/FolderInventory";
import type { RetentionExchange, RetentionWrite } from "../ports/RetentionRecords";
import { revokeFolderAccess } from "./revokeFolderAccess";
import { addressOf, JobPass, type JobPassOptions } from "./jobPass";
import type { SweepFailure, SweepPorts } from "./sweepExpired";
import { walkRootFolders } from "./walkRootFolders";

export interface EndAllAccessOptions extends JobPassOptions {
  readonly settings: RetentionRuleSettings;
}

/** A folder that had (or, in a dry run, has) permissions to remove. */
export interface EndedFolder {
  readonly path: string;
  /** The exchange that records the folder; absent for a folder no exchange records. */
  readonly exchangeId?: string;
  /** Direct permissions removed (or that would be). */
  readonly permissions: number;
}

export interface EndAllAccessReport {
  readonly command: "endAllAccess";
  readonly now: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly dryRun: boolean;
  /** false: the deadline stopped the run with work left; the next run continues. */
  readonly complete: boolean;
  readonly counts: {
    /** Exchanges not deleted, examined. */
    readonly exchanges: number;
    /** Of those, the ones this run changed (or would): access removed, recipients revoked, stage set to revoked, noted. */
    readonly ended: number;
    readonly permissionsRevoked: number;
    readonly recipientsRevoked: number;
    /** Folders under the roots that no exchange records (orphans, account levels, anything else). */
    readonly otherFolders: number;
    /** Of those, the ones that had direct permissions to remove. */
    readonly otherFoldersWithAccess: number;
    readonly failures: number;
  };
  readonly folders: readonly EndedFolder[];
  readonly failures: readonly SweepFailure[];
}

type Counts = { -readonly [K in keyof EndAllAccessReport["counts"]]: number };

const REASON = `${ACCESS_ENDED_SUBJECT}. (Retention job)`;

/**
 * Ends every guest's access before Case File Exchange is removed: for every exchange not deleted,
 * removes every direct permission on its folder (the sweep's revoke path and batching), marks its
 * recipients revoked, notes it on the exchange and the case, and sets the stage to revoked; then
 * removes the direct permissions of every folder under the two roots that no exchange records.
 * Folders are never deleted. Safe to rerun: a second run finds nothing to change and writes nothing.
 */
export async function endAllAccess(ports: SweepPorts, clock: Clock, options: EndAllAccessOptions): Promise<EndAllAccessReport> {
  return new EndAllAccessRun(ports, clock, options).execute();
}

class EndAllAccessRun extends JobPass {
  private readonly counts: Counts = {
    exchanges: 0,
    ended: 0,
    permissionsRevoked: 0,
    recipientsRevoked: 0,
    otherFolders: 0,
    otherFoldersWithAccess: 0,
    failures: 0,
  };
  private readonly folders: EndedFolder[] = [];

  constructor(
    private readonly ports: SweepPorts,
    clock: Clock,
    private readonly options: EndAllAccessOptions,
  ) {
    super(clock, options, ports.records);
  }

  async execute(): Promise<EndAllAccessReport> {
    let live: RetentionExchange[];
    try {
      live = await this.ports.records.exchangesNotDeleted();
    } catch (e) {
      // Without the records every folder would look unrecorded: touch nothing.
      this.fail("query", e, {});
      return this.report();
    }
    this.counts.exchanges = live.length;
    this.log(`${live.length} exchange(s) not deleted.`);
    for (let i = 0; i < live.length && !this.pastDeadline(); i += this.batch) await this.endExchanges(live.slice(i, i + this.batch));
    if (!this.pastDeadline()) await this.endOtherFolders(knownFolders(live));
    return this.report();
  }

  /**
   * One chunk: the folders' permissions (one listing and one removal call), then the recipient rows,
   * then the notes on the exchange and the case, then the stage — each a batch of writes. An
   * exchange whose folder could not be cleared is not marked: the next run tries it again.
   */
  private async endExchanges(chunk: readonly RetentionExchange[]): Promise<void> {
    const { records, folders } = this.ports;
    const withFolder = chunk.filter(hasFolder);
    const { done, removed } = await revokeFolderAccess(
      folders,
      withFolder.map((x) => ({ address: addressOf(x), exchange: x })),
      (item, e) => this.fail("revoke", e, item.exchange),
      { listOnly: this.dryRun },
    );
    this.counts.permissionsRevoked += removed;
    const revokedOn = new Map<string, number>();
    for (const { item, revoked } of done) {
      revokedOn.set(item.exchange.id, revoked);
      if (revoked > 0) this.folders.push({ path: item.exchange.folderPath, exchangeId: item.exchange.id, permissions: revoked });
    }
    let ready = [...done.map((d) => d.item.exchange), ...chunk.filter((x) => !hasFolder(x))];
    if (ready.length === 0) return;

    let recipients;
    try {
      recipients = await records.activeRecipients(ready.map((x) => x.id));
    } catch (e) {
      for (const x of ready) this.fail("revoke", e, x);
      return;
    }
    const hadRecipients = new Set(recipients.map((r) => r.exchangeId));
    const changed = (x: RetentionExchange) =>
      (revokedOn.get(x.id) ?? 0) > 0 || hadRecipients.has(x.id) || x.stage !== ExchangeStage.revoked;
    if (this.dryRun) {
      this.counts.recipientsRevoked += recipients.length;
      const would = ready.filter(changed);
      this.counts.ended += would.length;
      for (const x of would) this.log(`would end access to ${x.folderPath || x.name}`);
      return;
    }

    // Recipient rows first: what the panels show as the access list.
    const blocked = new Set<string>();
    const writes: RetentionWrite[] = recipients.map((r) => ({
      kind: "updateRecipient",
      id: r.id,
      changes: { revokedOn: this.now, reason: REASON },
    }));
    const outcomes = await this.send(writes);
    recipients.forEach((r, i) => {
      if (outcomes[i]?.ok) {
        this.counts.recipientsRevoked++;
        return;
      }
      if (!blocked.has(r.exchangeId))
        this.fail("revoke", outcomes[i]?.error, chunk.find((x) => x.id === r.exchangeId) ?? { id: r.exchangeId });
      blocked.add(r.exchangeId);
    });
    ready = ready.filter((x) => !blocked.has(x.id) && changed(x));

    // Notes on the exchange and the case, keyed so a rerun writes none twice; a resolved case refusing its note is expected.
    const notes: Array<{ exchange: RetentionExchange; write: RetentionWrite }> = [];
    for (const exchange of ready) {
      const note = accessEndedNote({ folderName: exchange.name, folderPath: hasFolder(exchange) ? exchange.folderPath : undefined });
      notes.push(
        {
          exchange,
          write: {
            kind: "addNote",
            target: { table: "cfx_fileexchange", id: exchange.id },
            note,
            options: { onceKey: `endAllAccess:${exchange.id}:exchange` },
          },
        },
        ...(exchange.caseId
          ? [
              {
                exchange,
                write: {
                  kind: "addNote",
                  target: { table: "incident", id: exchange.caseId },
                  note,
                  options: { onceKey: `endAllAccess:${exchange.id}:case` },
                } satisfies RetentionWrite,
              },
            ]
          : []),
      );
    }
    const noted = await this.writeAll("record", notes);
    const staged = await this.writeAll(
      "record",
      noted
        // A stage of deleted stays: someone removed the folder, and this run only made sure of it.
        .filter((x) => x.stage !== ExchangeStage.revoked && x.stage !== ExchangeStage.deleted)
        .map((exchange) => ({ exchange, write: { kind: "updateExchange", id: exchange.id, changes: { stage: ExchangeStage.revoked } } })),
    );
    const stagedIds = new Set(staged.map((x) => x.id));
    const ended = noted.filter((x) => x.stage === ExchangeStage.revoked || x.stage === ExchangeStage.deleted || stagedIds.has(x.id));
    this.counts.ended += ended.length;
    for (const x of ended) this.log(`ended access to ${x.folderPath || x.name}`);
  }

  /** Every folder under the roots that no live exchange records: its direct permissions go too (never the folder). */
  private async endOtherFolders(known: KnownFolders): Promise<void> {
    const others: InventoryFolder[] = [];
    const walked = await walkRootFolders(
      this.ports.folders,
      this.options.settings,
      known,
      (folder, kind) => {
        if (kind.kind !== "exchange") others.push(folder);
      },
      { stop: () => this.pastDeadline(), onError: (path, e) => this.fail("orphans", e, { path }) },
    );
    this.counts.otherFolders += others.length;
    for (let i = 0; i < others.length && !this.pastDeadline(); i += this.batch) {
      const items = others.slice(i, i + this.batch).map((folder) => ({ address: { itemId: folder.itemId, path: folder.path }, folder }));
      const { done, removed } = await revokeFolderAccess(
        this.ports.folders,
        items,
        (item, e) => this.fail("orphans", e, { path: item.folder.path }),
        { listOnly: this.dryRun },
      );
      this.counts.permissionsRevoked += removed;
      for (const { item, revoked } of done) {
        if (revoked === 0) continue;
        this.counts.otherFoldersWithAccess++;
        this.folders.push({ path: item.folder.path, permissions: revoked });
        this.log(`${this.dryRun ? "would remove" : "removed"} ${revoked} permission(s) on ${item.folder.path}`);
      }
    }
    if (!walked) this.log("the roots were not fully listed: the next run looks again.");
  }

  private report(): EndAllAccessReport {
    return {
      command: "endAllAccess",
      now: this.now.toISOString(),
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.wall.now().toISOString(),
      dryRun: this.dryRun,
      complete: !this.stopped,
      counts: { ...this.counts, failures: this.failures.length },
      folders: this.folders,
      failures: this.failures,
    };
  }
}

function hasFolder(x: RetentionExchange): boolean {
  return Boolean(x.itemId || x.folderPath);
}
