import { DefaultButton, MessageBarButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Link } from "@fluentui/react/lib/Link";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { Shimmer, ShimmerElementType } from "@fluentui/react/lib/Shimmer";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import { memo, type ReactNode } from "react";
import type { TicketPanelModel } from "../../app/loadTicketPanel";
import { ExchangeStage } from "../../model";
import { ErrorBar } from "../common/ErrorBar";
import { formatBytes, formatLongDate, formatDateTime } from "../common/format";
import { useLocaleInfo } from "../common/PanelRoot";
import { fill, plural } from "../common/strings";
import { toneBackgrounds, toneColors } from "../common/theme";
import { ticketStrings as s } from "./strings";

export type TicketAction = "prepareFolder" | "uploadBackup" | "notifySupport";

export interface TicketNotice {
  readonly tone: "success" | "warning";
  readonly text: string;
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
  const hints: string[] = [];
  if (!specialistRole) hints.push(s.hints.notSpecialist);
  else if (!ex && !kase.active) hints.push(s.hints.caseInactive);
  else if (!ex && can("prepareFolder")) hints.push(fill(s.hints.prepareFirst, { root: state.backupRoot }));
  else if (ex?.stage === ExchangeStage.folderCreated && !can("notifySupport")) hints.push(s.hints.notifyNeedsFiles);
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
    : can("notifySupport") && (ex?.fileCount ?? 0) > 0
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
        <MessageBar key={n.text} messageBarType={n.tone === "success" ? MessageBarType.success : MessageBarType.warning} isMultiline>
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
              {ex.fileCount > 0 ? plural(s.fileSummary, ex.fileCount).replace("{size}", formatBytes(ex.totalBytes, info)) : s.noFiles}
            </Field>
            <Field label={s.fields.expires}>{ex.expiresOn ? formatLongDate(ex.expiresOn, info) : s.kept}</Field>
            {ex.readyOn ? <Field label={s.fields.readyOn}>{formatDateTime(ex.readyOn, info)}</Field> : null}
          </dl>
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
