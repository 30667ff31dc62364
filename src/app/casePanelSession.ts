import { isValidationError } from "../domain/errors";
import type { FileAction } from "../domain/fileActions";
import type { Action } from "../domain/lifecycle";
import { ExchangeDirection, ExchangeStage } from "../model";
import type { CaseActor, CasePorts } from "./casePorts";
import { changeExpiry } from "./changeExpiry";
import type { Downloads } from "./downloadFile";
import { casePanelView, type CasePanelView, type ExchangeView, type FileRow } from "./casePanelView";
import { copyLink, type Clipboard } from "./copyLink";
import { loadCasePanel, type CasePanelModel } from "./loadCasePanel";
import { removeNow } from "./removeNow";
import { requestFiles } from "./requestFiles";
import { revokeAccess } from "./revokeAccess";
import { shareDraft, type ShareDraft } from "./shareDraft";
import { shareWithCustomer, type ShareRequest } from "./shareWithCustomer";
import { writeNotes, type NotesOutcome, type PendingNote } from "./timelineNotes";

export type LoadState =
  | { readonly kind: "loading" }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "ready"; readonly view: CasePanelView; readonly model: CasePanelModel };

/** What the last action did, for the panel to say in words. */
export type Outcome =
  | { readonly kind: "shared"; readonly email: string; readonly alreadyShared: boolean; readonly notesPending: number }
  | { readonly kind: "requested"; readonly email: string; readonly notesPending: number }
  | { readonly kind: "revoked"; readonly email: string; readonly last: boolean; readonly notesPending: number }
  | { readonly kind: "removed"; readonly permanent: boolean; readonly request?: boolean; readonly notesPending: number }
  | { readonly kind: "copied"; readonly notesPending: number }
  | { readonly kind: "kept"; readonly notesPending: number }
  | { readonly kind: "expiryChanged"; readonly expiresOn: Date; readonly notesPending: number }
  | { readonly kind: "notesWritten"; readonly notesPending: number }
  | { readonly kind: "fileCopied"; readonly file: string; readonly notesPending: number }
  | { readonly kind: "fileRemoved"; readonly file: string; readonly permanent: boolean; readonly notesPending: number }
  | { readonly kind: "fileKept"; readonly file: string; readonly notesPending: number }
  | { readonly kind: "fileExpiryChanged"; readonly file: string; readonly expiresOn: Date; readonly notesPending: number }
  | { readonly kind: "downloadStarted"; readonly file: string; readonly notesPending: number };

/** Which action is running, to show a spinner on its button and keep others from starting. */
export interface Busy {
  readonly action: Action | FileAction | "retryNotes";
  readonly exchangeId?: string;
  readonly accessKey?: string;
  /** The file a file-level action runs on (its row's key). */
  readonly fileKey?: string;
}

export interface CasePanelState {
  readonly load: LoadState;
  readonly outcome?: Outcome;
  readonly actionError?: unknown;
  readonly busy?: Busy;
  /** SharePoint asked us to wait (429/503): milliseconds until the next attempt. */
  readonly retryWaitMs?: number;
}

/** The administrator's expiry change: a new instant, or `null` to keep with no expiry. */
export interface ExpiryChangeRequest {
  readonly expiresOn: Date | null;
  readonly reason: string;
}

export type ShareTarget = { readonly kind: "share"; readonly exchangeId: string } | { readonly kind: "request" };

export interface CasePanelSessionOptions {
  /** Ports are built lazily: settings and the user's sign-in name may need a first read. */
  readonly ports: () => Promise<CasePorts>;
  readonly actor: () => Promise<CaseActor>;
  readonly caseId: string;
  readonly clipboard: Clipboard;
  /** Starts a browser download (the host's); without it Download is refused. */
  readonly downloads?: Downloads;
  /** The user's language, for picking the message template. */
  readonly language: string;
  readonly timeZone?: string;
}

/** The file-level use cases, loaded on the first file action (they travel with the dialogs' chunk). */
const fileUseCases = () => import(/* webpackChunkName: "case-dialogs" */ "./caseFileActions");

/**
 * The case panel's state and actions, without React: the entry renders `state` and passes these
 * methods as callbacks. Each action runs its use case, says what happened, and reloads the panel.
 */
export class CasePanelSession {
  private current: CasePanelState = { load: { kind: "loading" } };
  private readonly listeners = new Set<() => void>();
  private pendingNotes: PendingNote[] = [];
  private portsPromise?: Promise<CasePorts>;
  private actorPromise?: Promise<CaseActor>;

  constructor(private readonly options: CasePanelSessionOptions) {}

  get state(): CasePanelState {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(changes: Partial<CasePanelState>): void {
    this.current = { ...this.current, ...changes };
    for (const l of this.listeners) l();
  }

  private ports(): Promise<CasePorts> {
    this.portsPromise ??= this.options.ports().catch((e: unknown) => {
      this.portsPromise = undefined;
      throw e;
    });
    return this.portsPromise;
  }

  private actor(): Promise<CaseActor> {
    this.actorPromise ??= this.options.actor().catch((e: unknown) => {
      this.actorPromise = undefined;
      throw e;
    });
    return this.actorPromise;
  }

  private lastLoadStart = -Infinity;
  private loading = false;

  /**
   * A new hand-over from the form (after a save, a tab change): reads again in place, unless a read
   * is running or has just started. Opening a tab hands over twice or three times (OnLoad, tab
   * change); one read answers them all, keeping the open at one Dataverse request and one batch.
   */
  refresh(now: number = Date.now()): Promise<void> {
    if (this.loading || now - this.lastLoadStart < 2000) return Promise.resolve();
    return this.load(true);
  }

  /** Reads the case and its folders; `quiet` keeps the current content on screen while reloading. */
  async load(quiet = false): Promise<void> {
    this.lastLoadStart = Date.now();
    this.loading = true;
    if (!quiet) this.set({ load: { kind: "loading" } });
    try {
      const [ports, actor] = await Promise.all([this.ports(), this.actor()]);
      const model = await loadCasePanel(ports, { caseId: this.options.caseId });
      const view = casePanelView(model, actor, ports.clock.now(), ports.settings);
      this.loading = false;
      this.set({ load: { kind: "ready", view, model }, retryWaitMs: undefined });
    } catch (error) {
      this.loading = false;
      this.set({ load: { kind: "error", error }, retryWaitMs: undefined });
    }
  }

  /** The Graph pipeline reports a throttle wait here ("SharePoint is busy, retrying in 4 s"). */
  retrying(waitMs: number | undefined): void {
    this.set({ retryWaitMs: waitMs });
  }

  dismiss(): void {
    this.set({ outcome: undefined, actionError: undefined });
  }

  private ready(): { view: CasePanelView; model: CasePanelModel } {
    if (this.current.load.kind !== "ready") throw new Error("The panel has not loaded yet.");
    return this.current.load;
  }

  private exchange(id: string): { x: ExchangeView; record: CasePanelModel["exchanges"][number] } {
    const { view, model } = this.ready();
    const x = view.exchanges.find((e) => e.id === id);
    const record = model.exchanges.find((e) => e.exchange.id === id);
    if (!x || !record) throw new Error("This exchange is no longer on the case; refresh the panel.");
    return { x, record };
  }

  /** The share dialog's message, filled for a target and a language. */
  async draft(target: ShareTarget, language: string = this.options.language): Promise<ShareDraft> {
    const ports = await this.ports();
    const { view } = this.ready();
    const exchange = target.kind === "share" ? this.exchange(target.exchangeId).x.exchange : undefined;
    return shareDraft(ports.settings, {
      caseRecord: view.caseRecord,
      exchange,
      language,
      now: ports.clock.now(),
      timeZone: this.options.timeZone,
    });
  }

  private async run(
    busy: Busy,
    work: (ports: CasePorts, actor: CaseActor) => Promise<Outcome & { notes?: NotesOutcome }>,
    rethrow: boolean,
  ): Promise<void> {
    if (this.current.busy) return;
    this.set({ busy, actionError: undefined, outcome: undefined });
    try {
      const [ports, actor] = await Promise.all([this.ports(), this.actor()]);
      const result = await work(ports, actor);
      const pending = result.notes?.pending ?? [];
      this.pendingNotes = [...pending];
      const { notes: _notes, ...outcome } = result;
      this.set({ busy: undefined, outcome: { ...outcome, notesPending: pending.length } as Outcome, retryWaitMs: undefined });
      await this.load(true);
    } catch (e) {
      // Part of the action may have happened (a write whose answer was lost, a step before the one
      // that failed): the panel reads what is true before it offers the action again, so a retry
      // starts from there. Input the domain refused changed nothing and needs no read; a folder
      // held by another case is found after the request was recorded (and closed).
      if (!isValidationError(e) || e.code === "folderHeldByAnotherCase") await this.load(true);
      this.set({ busy: undefined, retryWaitMs: undefined, actionError: rethrow ? undefined : e });
      if (rethrow) throw e;
    }
  }

  /** Share with customer (an exchange) or Request files (a new one); rejects so the dialog can show why. */
  share(target: ShareTarget, request: ShareRequest): Promise<void> {
    const { view, model } = this.ready();
    const requestFiles$ = () =>
      this.run(
        { action: "requestFiles" },
        async (ports, actor) => {
          // The rows as the panel last read them (it reads again after every failure): an unconfirmed
          // request's exchange and recipient are met again and completed, not written twice.
          const out = await requestFiles(ports, {
            caseRecord: view.caseRecord,
            exchanges: model.exchanges.map((r) => r.exchange),
            recipients: model.exchanges.flatMap((r) => r.recipients),
            request,
            actor,
          });
          return { kind: "requested", email: out.recipient.email, notesPending: 0, notes: out.notes };
        },
        true,
      );
    if (target.kind === "request") {
      // A request sent again after a failure half-way finds the exchange it recorded (the panel read
      // it after the failure): an unconfirmed one is completed by the request itself, a shared one
      // by sharing it again on the same folder.
      const recorded = model.exchanges.find(
        (r) => r.exchange.direction === ExchangeDirection.filesFromCustomer && r.exchange.stage !== ExchangeStage.deleted,
      );
      if (recorded && recorded.exchange.stage !== ExchangeStage.inviting)
        return this.run(
          { action: "shareWithCustomer", exchangeId: recorded.exchange.id },
          async (ports, actor) => {
            const out = await shareWithCustomer(ports, {
              caseRecord: view.caseRecord,
              exchange: recorded.exchange,
              recipients: recorded.recipients,
              request,
              actor,
            });
            return { kind: "requested", email: out.recipient.email, notesPending: 0, notes: out.notes };
          },
          true,
        );
      return requestFiles$();
    }
    const { record } = this.exchange(target.exchangeId);
    // Retry on a request whose invitation is not confirmed: its folder may not be there yet.
    if (record.exchange.stage === ExchangeStage.inviting && record.exchange.direction === ExchangeDirection.filesFromCustomer)
      return requestFiles$();
    return this.run(
      { action: "shareWithCustomer", exchangeId: target.exchangeId },
      async (ports, actor) => {
        const out = await shareWithCustomer(ports, {
          caseRecord: view.caseRecord,
          exchange: record.exchange,
          recipients: record.recipients,
          request,
          actor,
        });
        return { kind: "shared", email: out.recipient.email, alreadyShared: out.alreadyShared, notesPending: 0, notes: out.notes };
      },
      true,
    );
  }

  copyLink(exchangeId: string): Promise<void> {
    const { x } = this.exchange(exchangeId);
    return this.run(
      { action: "copyLink", exchangeId },
      async (ports, actor) => {
        const out = await copyLink(ports, this.options.clipboard, { exchange: x.exchange, webUrl: x.webUrl, actor });
        return { kind: "copied", notesPending: 0, notes: out.notes };
      },
      false,
    );
  }

  revoke(exchangeId: string, accessKey: string): Promise<void> {
    const { view } = this.ready();
    const { x, record } = this.exchange(exchangeId);
    const row = x.access.find((a) => a.key === accessKey);
    if (!row) return Promise.resolve();
    return this.run(
      { action: "revokeAccess", exchangeId, accessKey },
      async (ports, actor) => {
        const out = await revokeAccess(ports, {
          caseRecord: view.caseRecord,
          exchange: x.exchange,
          recipients: record.recipients,
          target: row.recipientId ? { recipientId: row.recipientId } : { permissionId: row.permissionId ?? "", email: row.email },
          unrecordedCount: x.access.filter((a) => a.unrecorded).length,
          actor,
        });
        return { kind: "revoked", email: row.email, last: out.stage !== x.exchange.stage, notesPending: 0, notes: out.notes };
      },
      false,
    );
  }

  remove(exchangeId: string): Promise<void> {
    const { view } = this.ready();
    const { x, record } = this.exchange(exchangeId);
    return this.run(
      { action: "removeNow", exchangeId },
      async (ports, actor) => {
        const out = await removeNow(ports, {
          caseRecord: view.caseRecord,
          exchange: x.exchange,
          recipients: record.recipients,
          receipts: record.receipts,
          actor,
        });
        return {
          kind: "removed",
          permanent: out.permanent,
          request: x.exchange.direction === ExchangeDirection.filesFromCustomer,
          notesPending: 0,
          notes: out.notes,
        };
      },
      false,
    );
  }

  /** Keep with no expiry (`expiresOn: null`) or Change expiry; rejects so the dialog can show why. */
  changeExpiry(exchangeId: string, request: ExpiryChangeRequest): Promise<void> {
    const { view } = this.ready();
    const { x } = this.exchange(exchangeId);
    return this.run(
      { action: request.expiresOn === null ? "keepWithoutExpiry" : "changeExpiry", exchangeId },
      async (ports, actor) => {
        const out = await changeExpiry(ports, { caseRecord: view.caseRecord, exchange: x.exchange, ...request, actor });
        return out.expiresOn === null
          ? { kind: "kept", notesPending: 0, notes: out.notes }
          : { kind: "expiryChanged", expiresOn: out.expiresOn, notesPending: 0, notes: out.notes };
      },
      true,
    );
  }

  private file(exchangeId: string, fileKey: string): { x: ExchangeView; row: FileRow & { source: NonNullable<FileRow["source"]> } } {
    const { x } = this.exchange(exchangeId);
    const row = x.files.find((f) => f.key === fileKey);
    if (!row?.source) throw new Error("This file is no longer in the folder; refresh the panel.");
    return { x, row: { ...row, source: row.source } };
  }

  /** Downloads one file (SharePoint's download address, handed to the browser). */
  downloadFile(exchangeId: string, fileKey: string): Promise<void> {
    const { x, row } = this.file(exchangeId, fileKey);
    return this.run(
      { action: "downloadFile", exchangeId, fileKey },
      async (ports, actor) => {
        const downloads = this.options.downloads;
        if (!downloads) throw new Error("This panel was opened without a way to download files.");
        const { downloadFile } = await fileUseCases();
        await downloadFile(ports, downloads, { ...row.source, exchange: x.exchange, actor });
        return { kind: "downloadStarted", file: row.path, notesPending: 0 };
      },
      false,
    );
  }

  /** Copies one file's address (sign-in required, never a sharing link). */
  copyFileLink(exchangeId: string, fileKey: string): Promise<void> {
    const { x, row } = this.file(exchangeId, fileKey);
    return this.run(
      { action: "copyFileLink", exchangeId, fileKey },
      async (ports, actor) => {
        const { copyFileLink } = await fileUseCases();
        const out = await copyFileLink(ports, this.options.clipboard, { ...row.source, exchange: x.exchange, actor });
        return { kind: "fileCopied", file: row.path, notesPending: 0, notes: out.notes };
      },
      false,
    );
  }

  /** Removes one file from its folder (after the panel's confirmation). */
  removeFile(exchangeId: string, fileKey: string): Promise<void> {
    const { view } = this.ready();
    const { x, row } = this.file(exchangeId, fileKey);
    return this.run(
      { action: "removeFile", exchangeId, fileKey },
      async (ports, actor) => {
        const { removeFile } = await fileUseCases();
        const out = await removeFile(ports, { ...row.source, caseRecord: view.caseRecord, exchange: x.exchange, actor });
        return { kind: "fileRemoved", file: row.path, permanent: out.permanent, notesPending: 0, notes: out.notes };
      },
      false,
    );
  }

  /** The administrator keeps one file (`expiresOn: null`) or gives it its own date; rejects so the dialog can show why. */
  changeFileExpiry(exchangeId: string, fileKey: string, request: ExpiryChangeRequest): Promise<void> {
    const { view } = this.ready();
    const { x, row } = this.file(exchangeId, fileKey);
    return this.run(
      { action: request.expiresOn === null ? "keepFile" : "changeFileExpiry", exchangeId, fileKey },
      async (ports, actor) => {
        const { changeFileExpiry } = await fileUseCases();
        const out = await changeFileExpiry(ports, { ...row.source, caseRecord: view.caseRecord, exchange: x.exchange, ...request, actor });
        return out.expiresOn === null
          ? { kind: "fileKept", file: row.path, notesPending: 0, notes: out.notes }
          : { kind: "fileExpiryChanged", file: row.path, expiresOn: out.expiresOn, notesPending: 0, notes: out.notes };
      },
      true,
    );
  }

  /** Writes the notes that failed after an action that succeeded; the action is not repeated. */
  retryNotes(): Promise<void> {
    const pending = this.pendingNotes;
    return this.run(
      { action: "retryNotes" },
      async (ports) => {
        const notes = await writeNotes(ports.crm, pending);
        return { kind: "notesWritten", notesPending: 0, notes };
      },
      false,
    );
  }
}
