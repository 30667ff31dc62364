import type { Clock } from "../ports/Clock";
import { systemClock } from "../ports/Clock";
import type { FolderAddress } from "../ports/FolderInventory";
import type { RetentionExchange, RetentionRecords, RetentionWrite, RetentionWriteOutcome } from "../ports/RetentionRecords";

export type SweepStep = "query" | "warn" | "revoke" | "delete" | "record" | "orphans" | "files" | "closedCase" | "arrivals";

export interface SweepFailure {
  readonly step: SweepStep;
  readonly exchangeId?: string;
  readonly path?: string;
  readonly code: string;
  readonly status?: number;
  readonly message: string;
}

/** What every pass of the retention job takes, whatever it does. */
export interface JobPassOptions {
  /** Decide and report, change nothing. */
  readonly dryRun?: boolean;
  /**
   * Start no new work after this instant of real time: Azure Functions on the Consumption plan stop
   * a run after 5–10 minutes. Every step is recorded as it finishes, so the next run continues.
   */
  readonly deadline?: Date;
  /** Real time for the deadline (the `clock` argument is the business time, which tests move). */
  readonly wallClock?: Clock;
  /**
   * Exchanges (and other folders) per step of work: one Graph `$batch` (its limit is 20), and the
   * Dataverse writes of those exchanges, which the records port sends as `$batch` requests.
   */
  readonly batchSize?: number;
  /** Progress lines for `--verbose`. */
  readonly log?: (line: string) => void;
}

/**
 * The bookkeeping the sweep and the end-of-access pass share: the business instant, real time for
 * the deadline, the step size, writes to the records with their failures recorded as they happen,
 * and the progress log.
 */
export abstract class JobPass {
  protected readonly now: Date;
  protected readonly startedAt: Date;
  protected readonly wall: Clock;
  protected readonly batch: number;
  protected readonly dryRun: boolean;
  protected readonly failures: SweepFailure[] = [];
  protected stopped = false;

  protected constructor(
    clock: Clock,
    private readonly pass: JobPassOptions,
    private readonly records: RetentionRecords,
  ) {
    this.now = clock.now();
    this.wall = pass.wallClock ?? systemClock;
    this.startedAt = this.wall.now();
    this.batch = Math.max(1, Math.min(pass.batchSize ?? 20, 20));
    this.dryRun = pass.dryRun ?? false;
  }

  /** Sends writes in one call to the records port; a call that fails as a whole fails each write. */
  protected async send(writes: readonly RetentionWrite[]): Promise<RetentionWriteOutcome[]> {
    if (writes.length === 0) return [];
    try {
      return await this.records.write(writes);
    } catch (e) {
      return writes.map(() => ({ ok: false, error: e }));
    }
  }

  /**
   * Sends each exchange's writes and returns the exchanges all of whose writes succeeded, in order;
   * an exchange with a failed write is recorded once as a failure of `step`.
   */
  protected async writeAll(
    step: SweepStep,
    writes: ReadonlyArray<{ readonly exchange: RetentionExchange; readonly write: RetentionWrite }>,
  ): Promise<RetentionExchange[]> {
    const outcomes = await this.send(writes.map((w) => w.write));
    const failed = new Set<string>();
    writes.forEach(({ exchange }, i) => {
      const o = outcomes[i] ?? { ok: false, error: new Error("The records port gave no outcome for this write.") };
      if (!o.ok && !failed.has(exchange.id)) {
        failed.add(exchange.id);
        this.fail(step, o.error, exchange);
      }
    });
    const done: RetentionExchange[] = [];
    for (const { exchange } of writes) if (!failed.has(exchange.id) && !done.includes(exchange)) done.push(exchange);
    return done;
  }

  protected pastDeadline(): boolean {
    if (this.stopped) return true;
    const { deadline } = this.pass;
    if (deadline && this.wall.now().getTime() >= deadline.getTime()) {
      this.stopped = true;
      this.log("deadline reached: stopping; the next run continues from here.");
    }
    return this.stopped;
  }

  protected fail(
    step: SweepStep,
    error: unknown,
    where: { readonly id?: string; readonly folderPath?: string; readonly path?: string },
  ): void {
    const e = error as { code?: unknown; status?: unknown; message?: unknown } | undefined;
    const path = where.folderPath || where.path;
    const failure: SweepFailure = {
      step,
      ...(where.id ? { exchangeId: where.id } : {}),
      ...(path ? { path } : {}),
      code: typeof e?.code === "string" ? e.code : "error",
      ...(typeof e?.status === "number" ? { status: e.status } : {}),
      message: typeof e?.message === "string" ? e.message : String(error),
    };
    this.failures.push(failure);
    this.log(`failed (${step}) ${failure.path ?? failure.exchangeId ?? ""}: ${failure.message}`);
  }

  protected log(line: string): void {
    this.pass.log?.(line);
  }
}

/** Where an exchange's folder is: by id, with its path (or, for an old record, its name) for reports. */
export function addressOf(x: RetentionExchange): FolderAddress {
  return { driveId: x.driveId, itemId: x.itemId, path: x.folderPath || x.name };
}
