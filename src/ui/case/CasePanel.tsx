import { DefaultButton, IconButton, MessageBarButton } from "@fluentui/react/lib/Button";
import { FontIcon } from "@fluentui/react/lib/Icon";
import { Link } from "@fluentui/react/lib/Link";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { lazy, Suspense, useCallback, useState } from "react";
import type { Busy, CasePanelState, ExpiryChangeRequest, Outcome, ShareTarget } from "../../app/casePanelSession";
import type { AccessRow, CasePanelView, FileRow } from "../../app/casePanelView";
import type { FileAction } from "../../domain/fileActions";
import type { ShareDraft } from "../../app/shareDraft";
import type { ShareRequest } from "../../app/shareWithCustomer";
import { ExchangeDirection } from "../../model";
import { ErrorBar } from "../common/ErrorBar";
import { retryingText } from "../common/errorText";
import { formatLongDate } from "../common/format";
import { useLocaleInfo } from "../common/PanelRoot";
import { commonStrings, fill } from "../common/strings";
import { CasePanelSkeleton } from "./CasePanelSkeleton";
import { ExchangeCard } from "./ExchangeCard";
import { caseStrings as s } from "./strings";
import { badgeStyle, classes } from "./styles";

// The dialogs (Fluent's Dialog, TextField, ChoiceGroup, Checkbox) load on the first click, in
// their own chunk: the panel's first load stays within its weight budget.
const ShareDialog = lazy(() => import(/* webpackChunkName: "case-dialogs" */ "./ShareDialog").then((m) => ({ default: m.ShareDialog })));
const ExpiryDialog = lazy(() => import(/* webpackChunkName: "case-dialogs" */ "./ExpiryDialog").then((m) => ({ default: m.ExpiryDialog })));
const ConfirmDialog = lazy(() =>
  import(/* webpackChunkName: "case-dialogs" */ "./ConfirmDialog").then((m) => ({ default: m.ConfirmDialog })),
);

export interface CasePanelProps {
  readonly state: CasePanelState;
  /** Whether deleting goes to the recycle bin or is permanent (the permanentDelete setting), for the confirmation's words. */
  readonly permanentDelete?: boolean;
  /** The contact's record in the app, for the link. */
  readonly contactUrl?: (contactId: string) => string;
  readonly onRefresh: () => void;
  readonly loadDraft: (target: ShareTarget, language?: string) => Promise<ShareDraft>;
  readonly onShare: (target: ShareTarget, request: ShareRequest) => Promise<void>;
  readonly onCopyLink: (exchangeId: string) => void;
  readonly onRevoke: (exchangeId: string, accessKey: string) => void;
  readonly onRemove: (exchangeId: string) => void;
  /** Keep with no expiry / Change expiry (administrators); rejects so the dialog can show why. Without it they are not offered. */
  readonly onChangeExpiry?: (exchangeId: string, request: ExpiryChangeRequest) => Promise<void>;
  /** A file's Download, Copy link and Remove (after the panel's confirmation); without them the files have no menu. */
  readonly onDownloadFile?: (exchangeId: string, fileKey: string) => void;
  readonly onCopyFileLink?: (exchangeId: string, fileKey: string) => void;
  readonly onRemoveFile?: (exchangeId: string, fileKey: string) => void;
  /** The administrator's keep or own date for one file; rejects so the dialog can show why. */
  readonly onChangeFileExpiry?: (exchangeId: string, fileKey: string, request: ExpiryChangeRequest) => Promise<void>;
  /** Today, for the date picker's first day (tests pass a fixed one). */
  readonly now?: () => Date;
  readonly onRetryNotes: () => void;
  readonly onDismiss: () => void;
  /** Opens the sign-in window (from the user's click), then reloads. */
  readonly onSignIn?: () => void;
}

type Dialog =
  | { readonly kind: "share"; readonly target: ShareTarget; readonly folder: string }
  | { readonly kind: "remove"; readonly exchangeId: string; readonly folder: string; readonly request: boolean }
  | { readonly kind: "expiry"; readonly exchangeId: string; readonly mode: "keep" | "date"; readonly folder: string }
  | { readonly kind: "revoke"; readonly exchangeId: string; readonly access: AccessRow; readonly folder: string }
  | { readonly kind: "removeFile"; readonly exchangeId: string; readonly file: FileRow; readonly folder: string }
  | {
      readonly kind: "fileExpiry";
      readonly exchangeId: string;
      readonly file: FileRow;
      readonly mode: "keep" | "date";
      readonly folder: string;
    };

function outcomeText(o: Outcome, date: (d: Date) => string): string {
  switch (o.kind) {
    case "shared":
      return fill(o.alreadyShared ? s.outcome.alreadyShared : s.outcome.shared, { email: o.email });
    case "requested":
      return fill(s.outcome.requested, { email: o.email });
    case "revoked":
      return fill(o.last ? s.outcome.revokedLast : s.outcome.revoked, { email: o.email });
    case "removed":
      if (o.request) return s.outcome.requestClosed;
      return o.permanent ? s.outcome.removedPermanent : s.outcome.removedRecycle;
    case "fileCopied":
      return fill(s.outcome.fileCopied, { file: o.file });
    case "fileRemoved":
      return fill(o.permanent ? s.outcome.fileRemovedPermanent : s.outcome.fileRemovedRecycle, { file: o.file });
    case "fileKept":
      return fill(s.outcome.fileKept, { file: o.file });
    case "fileExpiryChanged":
      return fill(s.outcome.fileExpiryChanged, { file: o.file, date: date(o.expiresOn) });
    case "downloadStarted":
      return fill(s.outcome.downloadStarted, { file: o.file });
    case "copied":
      return s.outcome.copied;
    case "notesWritten":
      return s.outcome.notesWritten;
    case "kept":
      return s.outcome.kept;
    case "expiryChanged":
      return fill(s.outcome.expiryChanged, { date: date(o.expiresOn) });
  }
}

function OutcomeBar({
  outcome,
  busy,
  onRetryNotes,
  onDismiss,
}: {
  outcome: Outcome;
  busy?: Busy;
  onRetryNotes: () => void;
  onDismiss: () => void;
}) {
  const pending = outcome.notesPending > 0;
  const info = useLocaleInfo();
  return (
    <MessageBar
      messageBarType={pending ? MessageBarType.warning : MessageBarType.success}
      isMultiline
      onDismiss={onDismiss}
      dismissButtonAriaLabel={commonStrings.dismiss}
      actions={
        pending ? (
          <div>
            <MessageBarButton onClick={onRetryNotes} disabled={!!busy}>
              {s.outcome.writeNotes}
            </MessageBarButton>
          </div>
        ) : undefined
      }
    >
      {outcomeText(outcome, (d) => formatLongDate(d, info))}
      {pending ? <div>{s.outcome.notesPending}</div> : null}
    </MessageBar>
  );
}

function ContactLine({ view, contactUrl }: { view: CasePanelView; contactUrl?: (id: string) => string }) {
  const contact = view.caseRecord.contact;
  return (
    <div className={classes.contactLine}>
      <span className={classes.label}>{s.contactLabel}:</span>
      {contact ? (
        <>
          <FontIcon iconName="Contact" aria-hidden style={{ color: "#605e5c" }} />
          {contactUrl ? (
            <Link href={contactUrl(contact.id)} target="_top" aria-label={fill(s.openContact, { name: contact.name })}>
              {contact.name}
            </Link>
          ) : (
            <span>{contact.name}</span>
          )}
          {contact.email ? (
            <span className={classes.metaItem}>
              <FontIcon iconName="Mail" aria-hidden style={{ color: "#605e5c" }} />
              {contact.email}
            </span>
          ) : null}
        </>
      ) : (
        <span className={classes.muted}>—</span>
      )}
    </div>
  );
}

function recipientWarning(view: CasePanelView): string | null {
  const r = view.recipient;
  if (r.kind === "noContact") return s.noContact;
  if (r.kind === "noEmail") return fill(s.noEmail, { name: r.name });
  if (r.kind === "invalidEmail") return fill(s.invalidEmail, { name: r.name, email: r.email });
  return null;
}

function ExpiryFor(props: {
  dialog: Extract<Dialog, { kind: "expiry" }>;
  view: CasePanelView;
  now: Date;
  onChangeExpiry: (exchangeId: string, request: ExpiryChangeRequest) => Promise<void>;
  onClose: () => void;
}) {
  const x = props.view.exchanges.find((e) => e.id === props.dialog.exchangeId);
  if (!x) return null;
  const today = new Date(props.now);
  today.setHours(0, 0, 0, 0);
  return (
    <ExpiryDialog
      mode={props.dialog.mode}
      canKeep={x.actions.includes("keepWithoutExpiry")}
      folder={props.dialog.folder}
      expiresOn={x.exchange.expiresOn}
      timeOfDay={x.exchange.expiresOn ?? x.preparedOn ?? props.now}
      today={today}
      onSubmit={async (request) => {
        await props.onChangeExpiry(props.dialog.exchangeId, request);
        props.onClose();
      }}
      onDismiss={props.onClose}
    />
  );
}

function FileExpiryFor(props: {
  dialog: Extract<Dialog, { kind: "fileExpiry" }>;
  view: CasePanelView;
  now: Date;
  onChangeFileExpiry: (exchangeId: string, fileKey: string, request: ExpiryChangeRequest) => Promise<void>;
  onClose: () => void;
}) {
  const x = props.view.exchanges.find((e) => e.id === props.dialog.exchangeId);
  const f = x?.files.find((r) => r.key === props.dialog.file.key);
  if (!x || !f) return null;
  const today = new Date(props.now);
  today.setHours(0, 0, 0, 0);
  return (
    <ExpiryDialog
      mode={props.dialog.mode}
      canKeep={f.actions.includes("keepFile")}
      folder={props.dialog.folder}
      file={f.path}
      expiresOn={f.kept ? null : (f.ownExpiry ?? x.exchange.expiresOn)}
      followsFolder={!f.kept && !f.ownExpiry}
      timeOfDay={x.exchange.expiresOn ?? x.preparedOn ?? props.now}
      today={today}
      onSubmit={async (request) => {
        await props.onChangeFileExpiry(props.dialog.exchangeId, f.key, request);
        props.onClose();
      }}
      onDismiss={props.onClose}
    />
  );
}

/** The case panel: the case's contact and every exchange, with the agent's actions. Plain props only. */
export function CasePanel(props: CasePanelProps) {
  const { state } = props;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = useCallback(() => setDialog(null), []);
  const view = state.load.kind === "ready" ? state.load.view : undefined;

  const onShare = useCallback(
    (exchangeId: string) => {
      const x = view?.exchanges.find((e) => e.id === exchangeId);
      if (x) setDialog({ kind: "share", target: { kind: "share", exchangeId }, folder: x.exchange.folderPath });
    },
    [view],
  );
  const onRemove = useCallback(
    (exchangeId: string) => {
      const x = view?.exchanges.find((e) => e.id === exchangeId);
      if (x)
        setDialog({
          kind: "remove",
          exchangeId,
          folder: x.exchange.folderPath,
          request: x.exchange.direction === ExchangeDirection.filesFromCustomer,
        });
    },
    [view],
  );
  const onRevoke = useCallback(
    (exchangeId: string, access: AccessRow) => {
      const x = view?.exchanges.find((e) => e.id === exchangeId);
      if (x) setDialog({ kind: "revoke", exchangeId, access, folder: x.exchange.folderPath });
    },
    [view],
  );

  const onExpiry = useCallback(
    (exchangeId: string, mode: "keep" | "date") => {
      const x = view?.exchanges.find((e) => e.id === exchangeId);
      if (x) setDialog({ kind: "expiry", exchangeId, mode, folder: x.exchange.folderPath });
    },
    [view],
  );

  const { onDownloadFile, onCopyFileLink, onRemoveFile, onChangeFileExpiry } = props;
  const onFileAction = useCallback(
    (exchangeId: string, file: FileRow, action: FileAction) => {
      const x = view?.exchanges.find((e) => e.id === exchangeId);
      if (!x) return;
      if (action === "downloadFile") onDownloadFile?.(exchangeId, file.key);
      else if (action === "copyFileLink") onCopyFileLink?.(exchangeId, file.key);
      else if (action === "removeFile") setDialog({ kind: "removeFile", exchangeId, file, folder: x.exchange.folderPath });
      else if (onChangeFileExpiry)
        setDialog({ kind: "fileExpiry", exchangeId, file, mode: action === "keepFile" ? "keep" : "date", folder: x.exchange.folderPath });
    },
    [view, onDownloadFile, onCopyFileLink, onChangeFileExpiry],
  );
  const fileMenu = !!(onDownloadFile && onCopyFileLink && onRemoveFile);

  if (state.load.kind === "loading") return <CasePanelSkeleton />;
  if (state.load.kind === "error")
    return (
      <main className={classes.root} aria-label={s.panelLabel}>
        <ErrorBar error={state.load.error} onRetry={props.onRefresh} onSignIn={props.onSignIn} />
      </main>
    );
  const v = state.load.view;
  const warning = recipientWarning(v);
  const contactEmail = v.recipient.kind === "contact" ? v.recipient.email : undefined;
  const statusLabel = v.caseRecord.statusLabel ?? s.inactiveDefault;

  return (
    <main className={classes.root} aria-label={s.panelLabel}>
      <header className={classes.header}>
        <div style={{ minWidth: 0 }}>
          <h1 className={classes.caseNumber}>
            {v.caseRecord.number}
            {v.caseRecord.title ? <span className={classes.caseTitle}>{v.caseRecord.title}</span> : null}
            {v.inactive ? <span style={{ ...badgeStyle("neutral"), marginLeft: 8, verticalAlign: "middle" }}>{statusLabel}</span> : null}
          </h1>
          <ContactLine view={v} contactUrl={props.contactUrl} />
        </div>
        <IconButton
          iconProps={{ iconName: "Refresh" }}
          title={s.refresh}
          ariaLabel={s.refresh}
          onClick={props.onRefresh}
          disabled={!!state.busy}
        />
      </header>

      <div className={classes.bars} aria-live="polite">
        {v.inactive ? (
          <MessageBar messageBarType={MessageBarType.info} isMultiline>
            {fill(s.inactiveCase, { status: statusLabel.toLowerCase() })}
          </MessageBar>
        ) : null}
        {warning && !v.inactive ? (
          <MessageBar messageBarType={MessageBarType.warning} isMultiline>
            {warning}
          </MessageBar>
        ) : null}
        {v.libraryError ? <ErrorBar error={v.libraryError} onRetry={props.onRefresh} onSignIn={props.onSignIn} /> : null}
        {state.retryWaitMs ? (
          <MessageBar messageBarType={MessageBarType.info} isMultiline>
            {retryingText(state.retryWaitMs)}
          </MessageBar>
        ) : null}
        {state.outcome ? (
          <OutcomeBar outcome={state.outcome} busy={state.busy} onRetryNotes={props.onRetryNotes} onDismiss={props.onDismiss} />
        ) : null}
        {state.actionError ? <ErrorBar error={state.actionError} onDismiss={props.onDismiss} onSignIn={props.onSignIn} /> : null}
      </div>

      {v.noBackup && v.exchanges.length === 0 ? (
        <section className={classes.card} aria-label={s.direction.backup}>
          <div className={classes.cardHead}>
            <h2 className={classes.cardTitle}>
              <FontIcon iconName="Download" aria-hidden style={{ color: "#0f6cbd" }} />
              {s.direction.backup}
            </h2>
            <span style={badgeStyle("neutral")}>{s.status.notStarted}</span>
          </div>
          <p className={classes.empty}>{s.noBackupYet}</p>
        </section>
      ) : null}

      {v.exchanges.map((x) => (
        <ExchangeCard
          key={x.id}
          view={x}
          busy={state.busy}
          onShare={onShare}
          onCopyLink={props.onCopyLink}
          onRevoke={onRevoke}
          onRemove={onRemove}
          onExpiry={props.onChangeExpiry ? onExpiry : undefined}
          onFileAction={fileMenu ? onFileAction : undefined}
        />
      ))}

      {v.canRequestFiles ? (
        <div className={classes.requestRow}>
          <span>{s.requestFilesIntro}</span>
          <DefaultButton
            text={s.actions.request}
            iconProps={{ iconName: "Upload" }}
            disabled={!!state.busy}
            onClick={() => setDialog({ kind: "share", target: { kind: "request" }, folder: v.caseRecord.number })}
          />
        </div>
      ) : null}

      <Suspense fallback={null}>
        {dialog?.kind === "share" ? (
          <ShareDialog
            mode={dialog.target.kind}
            folder={dialog.folder}
            contactEmail={contactEmail}
            loadDraft={(language) => props.loadDraft(dialog.target, language)}
            onSubmit={async (request) => {
              await props.onShare(dialog.target, request);
              close();
            }}
            onDismiss={close}
          />
        ) : null}
        {dialog?.kind === "expiry" && props.onChangeExpiry ? (
          <ExpiryFor dialog={dialog} view={v} now={props.now?.() ?? new Date()} onChangeExpiry={props.onChangeExpiry} onClose={close} />
        ) : null}
        {dialog?.kind === "remove" && dialog.request ? (
          <ConfirmDialog
            title={s.confirmCloseRequest.title}
            text={`${fill(s.confirmCloseRequest.text, { folder: dialog.folder })} ${props.permanentDelete ? s.confirmRemove.permanent : s.confirmRemove.recycle}`}
            confirmLabel={s.actions.closeRequest}
            onConfirm={() => {
              close();
              props.onRemove(dialog.exchangeId);
            }}
            onDismiss={close}
          />
        ) : null}
        {dialog?.kind === "removeFile" && props.onRemoveFile ? (
          <ConfirmDialog
            title={s.confirmRemoveFile.title}
            text={`${fill(s.confirmRemoveFile.text, { file: dialog.file.path, folder: dialog.folder })} ${props.permanentDelete ? s.confirmRemove.permanent : s.confirmRemove.recycle}`}
            confirmLabel={s.fileMenu.remove}
            onConfirm={() => {
              close();
              props.onRemoveFile?.(dialog.exchangeId, dialog.file.key);
            }}
            onDismiss={close}
          />
        ) : null}
        {dialog?.kind === "fileExpiry" && props.onChangeFileExpiry ? (
          <FileExpiryFor
            dialog={dialog}
            view={v}
            now={props.now?.() ?? new Date()}
            onChangeFileExpiry={props.onChangeFileExpiry}
            onClose={close}
          />
        ) : null}
        {dialog?.kind === "remove" && !dialog.request ? (
          <ConfirmDialog
            title={s.confirmRemove.title}
            text={`${fill(s.confirmRemove.text, { folder: dialog.folder })} ${props.permanentDelete ? s.confirmRemove.permanent : s.confirmRemove.recycle}`}
            confirmLabel={s.actions.remove}
            onConfirm={() => {
              close();
              props.onRemove(dialog.exchangeId);
            }}
            onDismiss={close}
          />
        ) : null}
        {dialog?.kind === "revoke" ? (
          <ConfirmDialog
            title={s.confirmRevoke.title}
            text={fill(s.confirmRevoke.text, { email: dialog.access.email, folder: dialog.folder })}
            confirmLabel={s.actions.revoke}
            onConfirm={() => {
              close();
              props.onRevoke(dialog.exchangeId, dialog.access.key);
            }}
            onDismiss={close}
          />
        ) : null}
      </Suspense>
    </main>
  );
}
