import { DefaultButton, MessageBarButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Link } from "@fluentui/react/lib/Link";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { Shimmer, ShimmerElementType } from "@fluentui/react/lib/Shimmer";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import { memo, type ReactNode } from "react";
import type { TicketPanelModel } from "../../app/loadTicketPanel";
import type { TicketFiles } from "../../app/ticketFiles";
import { ExchangeStage } from "../../model";
import { ErrorBar } from "../common/ErrorBar";
import { describeError } from "../common/errorText";
import { MalwareWarning } from "../common/MalwareWarning";
import { formatBytes, formatLongDate, formatDateTime } from "../common/format";
import { useLocaleInfo } from "../common/PanelRoot";
import { commonStrings, fill, plural } from "../common/strings";
import { toneBackgrounds, toneColors } from "../common/theme";
import { ticketStrings as s } from "./strings";

export type TicketAction = "prepareFolder" | "uploadBackup" | "notifySupport";

/** SharePoint's listing of the backup folder, read after the panel paints. */
export type TicketFilesState =
  | { readonly kind: "loading" }
  | { readonly kind: "ready"; readonly files: TicketFiles }
  | { readonly kind: "failed"; readonly error: unknown };

export interface TicketNotice {
  readonly tone: "success" | "info" | "warning";
  readonly text: string;
  /** A button in the message bar (a sign-in that finishes what the notice says did not happen). */
  readonly action?: { readonly label: string; readonly run: () => void };
}

export type TicketPanelState =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly error: unknown }
  | {
      readonly kind: "ready";
      readonly model: TicketPanelModel;
      /** The root folder setting, for the "prepare first" hint. */
      readonly backupRoot: string;
      readonly busy?: TicketAction;
      readonly notices?: readonly TicketNotice[];
      readonly error?: unknown;
      /** Absent when there is no folder to list. */
      readonly files?: TicketFilesState;
    };

export interface TicketPanelProps {
  readonly state: TicketPanelState;
  readonly onAction: (action: TicketAction) => void;
  readonly onRetry: () => void;
  readonly onDismissError?: () => void;
}

const labelStyle = { color: "#605e5c", fontSize: 12, margin: 0 } as const;
const valueStyle = { margin: "0 0 8px", fontSize: 14, overflowWrap: "anywhere" } as const;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt style={labelStyle}>{label}</dt>
      <dd style={valueStyle}>{children}</dd>
    </div>
  );
}

function LoadingSkeleton() {
  return (
    <div aria-busy="true" aria-label={s.title} style={{ padding: 16, display: "grid", gap: 12 }}>
      <Shimmer width="40%" shimmerElements={[{ type: ShimmerElementType.line, height: 20 }]} />
      {[70, 55, 60, 45].map((w) => (
        <Shimmer key={w} width={`${w}%`} />
      ))}
      <Shimmer width="50%" shimmerElements={[{ type: ShimmerElementType.line, height: 32 }]} />
    </div>
  );
}

function StatusBadge({ model }: { model: TicketPanelModel }) {
  const tone = model.status.tone;
  return (
    <span
      role="status"
      style={{
        display: "inline-block",
        padding: "2px 10px",
        borderRadius: 12,
        fontSize: 12,
        fontWeight: 600,
        color: toneColors[tone],
        background: toneBackgrounds[tone],
        border: `1px solid ${toneColors[tone]}33`,
      }}
    >
      {s.status[model.status.kind]}
    </span>
  );
}

const cell = { padding: "4px 8px 4px 0", textAlign: "left", verticalAlign: "top", borderBottom: "1px solid #edebe9" } as const;

/** The folder's files as SharePoint lists them: names and sizes only (no links), each with its scan result. */
function FilesList({ files, info }: { files: TicketFiles; info: ReturnType<typeof useLocaleInfo> }) {
  const all = [...files.good, ...files.flagged].sort((a, b) => a.path.localeCompare(b.path));
  if (all.length === 0) return null;
  return (
    <table style={{ borderCollapse: "collapse", width: "100%", fontSize: 13 }}>
      <caption style={{ textAlign: "left", fontWeight: 600, fontSize: 14, padding: "0 0 6px" }}>{s.filesHeading}</caption>
      <thead>
        <tr>
          <th scope="col" style={cell}>
            {s.fileColumns.name}
          </th>
          <th scope="col" style={{ ...cell, textAlign: "right" }}>
            {s.fileColumns.size}
          </th>
          <th scope="col" style={cell}>
            {s.fileColumns.scan}
          </th>
        </tr>
      </thead>
      <tbody>
        {all.map((f) => (
          <tr key={f.path} data-malware={f.malware ? "true" : undefined}>
            <td style={{ ...cell, overflowWrap: "anywhere" }}>{f.path}</td>
            <td style={{ ...cell, textAlign: "right", whiteSpace: "nowrap" }}>{formatBytes(f.size, info)}</td>
            <td style={cell}>{f.malware ? <MalwareWarning description={f.malware.description} /> : s.scanClean}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The hardware ticket panel: the case behind the ticket, the backup's state, and what the specialist can do now. */
export const TicketPanel = memo(function TicketPanel({ state, onAction, onRetry, onDismissError }: TicketPanelProps) {
  const info = useLocaleInfo();
  if (state.kind === "loading") return <LoadingSkeleton />;
  if (state.kind === "failed")
    return (
      <main style={{ padding: 16 }}>
        <h1 style={{ fontSize: 16, margin: "0 0 12px" }}>{s.title}</h1>
        <ErrorBar error={state.error} onRetry={onRetry} />
      </main>
    );
  const { model, busy } = state;
  const kase = model.case;
  const ex = model.exchange;
  const can = (a: TicketAction) => model.actions.includes(a);
  const specialistRole = model.roles.includes("specialist") || model.roles.includes("administrator");
  const listed = state.files?.kind === "ready" ? state.files.files : undefined;
  // SharePoint's listing, once read, is what counts: a flagged file is not a good upload.
  const fileCount = listed ? listed.goodCount : (ex?.fileCount ?? 0);
  const totalBytes = listed ? listed.goodBytes : (ex?.totalBytes ?? 0);
  const flaggedCount = listed?.flagged.length ?? 0;
  const hints: string[] = [];
  if (!specialistRole) hints.push(s.hints.notSpecialist);
  else if (!ex && !kase.active) hints.push(s.hints.caseInactive);
  else if (!ex && can("prepareFolder")) hints.push(fill(s.hints.prepareFirst, { root: state.backupRoot }));
  else if (ex?.stage === ExchangeStage.folderCreated && !can("notifySupport"))
    hints.push(listed && listed.goodCount === 0 && listed.flagged.length > 0 ? s.hints.notifyNeedsCleanFiles : s.hints.notifyNeedsFiles);
  if (ex?.notifiedOn) hints.push(fill(s.hints.alreadyNotified, { date: formatDateTime(ex.notifiedOn, info) }));

  const button = (action: TicketAction, primary: boolean) => {
    const Button = primary ? PrimaryButton : DefaultButton;
    const running = busy === action;
    return (
      <Button
        key={action}
        text={running && action !== "uploadBackup" ? s.busy[action] : s.actions[action]}
        iconProps={{ iconName: { prepareFolder: "FabricFolder", uploadBackup: "Upload", notifySupport: "Mail" }[action] }}
        disabled={busy !== undefined}
        onClick={() => onAction(action)}
        onRenderIcon={
          running && action !== "uploadBackup" ? () => <Spinner size={SpinnerSize.xSmall} style={{ marginRight: 6 }} /> : undefined
        }
      />
    );
  };
  const offered: TicketAction[] = (["prepareFolder", "uploadBackup", "notifySupport"] as const).filter(can);
  // The next step is the primary button: prepare, then upload, then notify once files are there.
  const primary: TicketAction | undefined = can("prepareFolder")
    ? "prepareFolder"
    : can("notifySupport") && fileCount > 0
      ? "notifySupport"
      : can("uploadBackup")
        ? "uploadBackup"
        : undefined;

  return (
    <main style={{ padding: "12px 16px", display: "grid", gap: 12, maxWidth: 720 }}>
      <header style={{ display: "flex", alignItems: "center", gap: 12, flexWrap: "wrap" }}>
        <h1 style={{ fontSize: 16, fontWeight: 600, margin: 0 }}>{s.title}</h1>
        <StatusBadge model={model} />
      </header>
      {state.error !== undefined ? <ErrorBar error={state.error} onRetry={onRetry} onDismiss={onDismissError} /> : null}
      {(state.notices ?? []).map((n) => (
        <MessageBar
          key={n.text}
          messageBarType={n.tone === "success" ? MessageBarType.success : n.tone === "info" ? MessageBarType.info : MessageBarType.warning}
          isMultiline
          actions={n.action ? <MessageBarButton onClick={n.action.run}>{n.action.label}</MessageBarButton> : undefined}
        >
          {n.text}
        </MessageBar>
      ))}
      <section aria-labelledby="cfx-case-heading">
        <h2 id="cfx-case-heading" style={{ fontSize: 14, fontWeight: 600, margin: "0 0 6px" }}>
          {s.caseHeading}
        </h2>
        <dl style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(200px, 1fr))", columnGap: 16, margin: 0 }}>
          <Field label={s.fields.number}>{kase.number ?? s.noNumber}</Field>
          <Field label={s.fields.title}>{kase.title || s.none}</Field>
          <Field label={s.fields.customer}>{kase.customerName ?? s.none}</Field>
          <Field label={s.fields.contact}>{kase.contactName ?? s.none}</Field>
          <Field label={s.fields.agent}>{kase.ownerName ?? s.none}</Field>
        </dl>
      </section>
      {ex ? (
        <section aria-labelledby="cfx-backup-heading">
          <h2 id="cfx-backup-heading" style={{ fontSize: 14, fontWeight: 600, margin: "0 0 6px" }}>
            {s.folderHeading}
          </h2>
          <dl style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(200px, 1fr))", columnGap: 16, margin: 0 }}>
            <Field label={s.fields.folder}>
              {model.folderLink ? (
                <Link href={model.folderLink} target="_blank" rel="noreferrer" title={s.actions.openFolder}>
                  {ex.folderPath}
                </Link>
              ) : (
                ex.folderPath
              )}
            </Field>
            <Field label={s.fields.files}>
              {fileCount > 0 ? plural(s.fileSummary, fileCount).replace("{size}", formatBytes(totalBytes, info)) : s.noFiles}
              {flaggedCount > 0 ? (
                <span style={{ display: "block", color: "#a4262c", fontWeight: 600 }}>
                  {plural(commonStrings.malware.count, flaggedCount)}
                </span>
              ) : null}
            </Field>
            <Field label={s.fields.expires}>{ex.expiresOn ? formatLongDate(ex.expiresOn, info) : s.kept}</Field>
            {ex.readyOn ? <Field label={s.fields.readyOn}>{formatDateTime(ex.readyOn, info)}</Field> : null}
          </dl>
          {flaggedCount > 0 ? (
            <MessageBar messageBarType={MessageBarType.severeWarning} isMultiline>
              {plural(s.malwareFound, flaggedCount)}
            </MessageBar>
          ) : null}
          {listed ? <FilesList files={listed} info={info} /> : null}
          {state.files?.kind === "loading" ? <p style={{ margin: "4px 0", color: "#605e5c" }}>{s.filesReading}</p> : null}
          {state.files?.kind === "failed" ? (
            <p style={{ margin: "4px 0", color: "#605e5c" }}>
              {fill(s.filesUnreadable, { reason: describeError(state.files.error).text })}
            </p>
          ) : null}
        </section>
      ) : null}
      {ex && model.unfinished.length > 0 ? (
        <MessageBar
          messageBarType={MessageBarType.warning}
          isMultiline
          actions={
            can("uploadBackup") ? (
              <div>
                <MessageBarButton text={s.resumeUpload} disabled={busy !== undefined} onClick={() => onAction("uploadBackup")} />
              </div>
            ) : undefined
          }
        >
          <span data-testid="unfinished-uploads">
            {fill(model.unfinished.length === 1 ? s.unfinished.one : s.unfinished.other, {
              n: String(model.unfinished.length),
              files: model.unfinished
                .map((u) => fill(s.unfinishedFile, { name: u.name, done: formatBytes(u.bytesDone, info), size: formatBytes(u.size, info) }))
                .join(", "),
            })}
          </span>
        </MessageBar>
      ) : null}
      {hints.map((h) => (
        <p key={h} style={{ margin: 0, color: "#605e5c" }}>
          {h}
        </p>
      ))}
      {offered.length > 0 ? (
        <div role="group" aria-label={s.title} style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          {offered.map((a) => button(a, a === primary))}
        </div>
      ) : null}
    </main>
  );
});
