import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Dialog, DialogFooter, DialogType } from "@fluentui/react/lib/Dialog";
import { Icon } from "@fluentui/react/lib/Icon";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { ProgressIndicator } from "@fluentui/react/lib/ProgressIndicator";
import { memo, useRef, useState, type DragEvent } from "react";
import type { ConflictAnswer, FileProgress, LocalFile, UploadSnapshot } from "../../app/uploadBackup";
import { FileIntegrity } from "../../model";
import { ErrorBar } from "../common/ErrorBar";
import { describeError } from "../common/errorText";
import { formatBytes } from "../common/format";
import { useLocaleInfo } from "../common/PanelRoot";
import { fill } from "../common/strings";
import { toneColors } from "../common/theme";
import { ticketStrings } from "../ticket/strings";
import { durationText } from "./duration";
import { filesFromDrop, filesFromInput } from "./pickedFiles";

const s = ticketStrings.upload;

const visuallyHidden = {
  position: "absolute",
  width: 1,
  height: 1,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;

export interface UploadDialogProps {
  readonly folderPath: string;
  /** null until files are picked. */
  readonly snapshot: UploadSnapshot | null;
  /** The path waiting for a replace/keep answer. */
  readonly conflict: string | null;
  readonly error?: unknown;
  readonly onFiles: (files: LocalFile[]) => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onCancel: () => void;
  /** Absent where the host's dialog chrome closes it (Unified Interface side dialogs have no close API inside). */
  readonly onClose?: () => void;
  readonly onConflict: (answer: ConflictAnswer) => void;
}

function stateText(f: FileProgress): { text: string; color: string; icon?: string } {
  const st = f.state;
  switch (st.kind) {
    case "done":
      return st.integrity === FileIntegrity.verified
        ? { text: s.state.done, color: toneColors.success, icon: "ShieldCheck" }
        : { text: s.state.doneModified, color: toneColors.info, icon: "Completed" };
    case "rejected":
      return { text: `${s.state.rejected}: ${st.reason}`, color: toneColors.danger, icon: "Blocked2" };
    case "failed":
      return { text: `${s.state.failed}: ${describeError(st.error).text}`, color: toneColors.danger, icon: "ErrorBadge" };
    case "uploading":
      return { text: s.state.uploading, color: toneColors.info };
    case "paused":
      return { text: s.state.paused, color: toneColors.warning };
    case "conflict":
      return { text: s.state.conflict, color: toneColors.warning, icon: "Warning" };
    default:
      return { text: s.state[st.kind], color: toneColors.neutral };
  }
}

function rateLine(sent: number, total: number, rate: number, left: number | null, info: ReturnType<typeof useLocaleInfo>): string {
  const parts = [fill(s.progress, { sent: formatBytes(sent, info), total: formatBytes(total, info) })];
  if (rate > 0) parts.push(fill(s.rate, { rate: formatBytes(rate, info) }));
  if (left !== null && rate > 0) parts.push(fill(s.timeLeft, { time: durationText(left) }));
  return parts.join(" · ");
}

function FileRow({ f }: { f: FileProgress }) {
  const info = useLocaleInfo();
  const st = stateText(f);
  const showBar = f.state.kind === "uploading" || f.state.kind === "paused" || f.state.kind === "queued" || f.state.kind === "failed";
  const percent = f.size === 0 ? (f.state.kind === "done" ? 1 : 0) : f.bytesSent / f.size;
  return (
    <li style={{ padding: "8px 0", borderBottom: "1px solid #edebe9", listStyle: "none" }}>
      <div style={{ display: "flex", justifyContent: "space-between", gap: 8 }}>
        <span style={{ fontWeight: 600, overflowWrap: "anywhere" }}>{f.relativePath}</span>
        <span style={{ color: "#605e5c", whiteSpace: "nowrap" }}>{formatBytes(f.size, info)}</span>
      </div>
      {showBar ? (
        <ProgressIndicator
          ariaLabel={f.relativePath}
          percentComplete={percent}
          description={rateLine(f.bytesSent, f.size, f.bytesPerSecond, f.secondsLeft, info)}
          styles={{ root: { marginTop: 2 } }}
        />
      ) : null}
      <div style={{ color: st.color, fontSize: 12, marginTop: 2, display: "flex", gap: 4, alignItems: "baseline" }}>
        {st.icon ? <Icon iconName={st.icon} /> : null}
        <span data-testid="file-state">{st.text}</span>
        {f.state.kind === "done" ? (
          <span style={{ color: "#605e5c" }} title={fill(s.hashTitle, { hash: f.state.quickXorHash })}>
            {" · "}
            <code style={{ fontSize: 11 }}>{f.state.quickXorHash}</code>
            {f.state.resumedFrom > 0 ? ` · ${fill(s.resumedFrom, { size: formatBytes(f.state.resumedFrom, info) })}` : ""}
          </span>
        ) : null}
      </div>
    </li>
  );
}

function summary(snap: UploadSnapshot): { type: MessageBarType; text: string } | null {
  if (snap.running) return null;
  const files = snap.files.filter((f) => f.state.kind !== "rejected");
  const done = files.filter((f) => f.state.kind === "done" || f.state.kind === "skipped").length;
  if (files.length === 0) return null;
  if (files.every((f) => f.state.kind === "cancelled")) return { type: MessageBarType.info, text: s.summary.cancelled };
  const failed = files.filter((f) => f.state.kind === "failed");
  if (failed.length > 0) {
    // Resume helps with a dropped connection or a busy service, not with a file that is gone.
    const resumable = failed.some((f) => f.state.kind === "failed" && describeError(f.state.error).retryable);
    return { type: MessageBarType.error, text: resumable ? s.summary.failed : s.summary.failedFinal };
  }
  if (done === files.length && files.some((f) => f.state.kind === "done")) return { type: MessageBarType.success, text: s.summary.done };
  return null;
}

/** The upload side dialog: pick or drop files and folders, watch each one and the whole, pause, resume, cancel. */
export const UploadDialog = memo(function UploadDialog(props: UploadDialogProps) {
  const { snapshot: snap } = props;
  const info = useLocaleInfo();
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  // A Close or Cancel clicked while files upload waits for the person to confirm.
  const [confirm, setConfirm] = useState<"close" | "cancel" | null>(null);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void filesFromDrop(e.dataTransfer).then((files) => files.length > 0 && props.onFiles(files));
  };
  const rejected = snap?.files.filter((f) => f.state.kind === "rejected") ?? [];
  const accepted = snap?.files.filter((f) => f.state.kind !== "rejected") ?? [];
  const unfinished = accepted.some((f) => ["queued", "paused", "failed", "uploading", "conflict"].includes(f.state.kind));
  // Resume is offered only where it can help: not for files that can no longer be read.
  const resumable = accepted.some((f) =>
    f.state.kind === "failed"
      ? describeError(f.state.error).retryable
      : ["queued", "paused", "uploading", "conflict"].includes(f.state.kind),
  );
  const end = snap ? summary(snap) : null;
  const open = accepted.filter((f) => ["uploading", "paused", "queued", "conflict"].includes(f.state.kind));
  const openText = open
    .map((f) => fill(s.unfinishedFile, { name: f.relativePath, done: formatBytes(f.bytesSent, info), size: formatBytes(f.size, info) }))
    .join(", ");
  const askOrDo = (what: "close" | "cancel", act: () => void) => () => (snap?.running ? setConfirm(what) : act());

  const dropZone = (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="drop-zone"
      style={{
        border: `2px dashed ${dragging ? "#0f6cbd" : "#8a8886"}`,
        background: dragging ? "#ebf3fc" : "#faf9f8",
        borderRadius: 6,
        padding: 20,
        textAlign: "center",
        display: "grid",
        gap: 8,
        justifyItems: "center",
      }}
    >
      <Icon iconName="Upload" style={{ fontSize: 24, color: "#0f6cbd" }} />
      <span style={{ fontWeight: 600 }}>{s.drop}</span>
      <span style={{ color: "#605e5c" }}>{s.or}</span>
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap", justifyContent: "center" }}>
        <PrimaryButton text={s.pickFiles} iconProps={{ iconName: "Page" }} onClick={() => filesInput.current?.click()} />
        <DefaultButton text={s.pickFolder} iconProps={{ iconName: "FabricFolder" }} onClick={() => folderInput.current?.click()} />
      </div>
      <input
        ref={filesInput}
        type="file"
        multiple
        hidden
        aria-label={s.pickFiles}
        data-testid="pick-files"
        onChange={(e) => {
          props.onFiles(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = "";
        }}
      />
      <input
        ref={(el) => {
          (folderInput as { current: HTMLInputElement | null }).current = el;
          // Not a React attribute: set it on the element so the browser offers a folder picker.
          el?.setAttribute("webkitdirectory", "");
        }}
        type="file"
        hidden
        aria-label={s.pickFolder}
        data-testid="pick-folder"
        onChange={(e) => {
          props.onFiles(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = "";
        }}
      />
      <span style={{ color: "#605e5c", fontSize: 12 }}>{s.resumeHint}</span>
    </div>
  );

  return (
    <main style={{ padding: "12px 16px", display: "grid", gap: 12 }}>
      {/* The side dialog's own title bar says it already: the heading is for screen readers only. */}
      <h1 style={visuallyHidden}>{s.title}</h1>
      <p style={{ margin: 0, color: "#323130" }}>{fill(s.intro, { path: props.folderPath })}</p>
      {props.error !== undefined ? <ErrorBar error={props.error} onRetry={props.onResume} /> : null}
      {!snap ? dropZone : null}
      {end ? (
        <MessageBar messageBarType={end.type} isMultiline>
          {end.text}
        </MessageBar>
      ) : null}
      {snap && accepted.length > 0 ? (
        <section aria-label={s.overall}>
          <ProgressIndicator
            label={s.overall}
            ariaLabel={s.overall}
            percentComplete={snap.overall.totalBytes === 0 ? (unfinished ? 0 : 1) : snap.overall.bytesSent / snap.overall.totalBytes}
            description={rateLine(
              snap.overall.bytesSent,
              snap.overall.totalBytes,
              snap.overall.bytesPerSecond,
              snap.overall.secondsLeft,
              info,
            )}
          />
          <div style={{ display: "flex", gap: 8, marginTop: 8, flexWrap: "wrap" }}>
            {snap.running ? <DefaultButton text={s.pause} onClick={props.onPause} /> : null}
            {!snap.running && resumable ? <PrimaryButton text={s.resume} onClick={props.onResume} /> : null}
            {unfinished ? <DefaultButton text={s.cancel} onClick={askOrDo("cancel", props.onCancel)} /> : null}
            {props.onClose ? <DefaultButton text={s.close} onClick={askOrDo("close", props.onClose)} /> : null}
          </div>
          <ul style={{ padding: 0, margin: "8px 0 0" }} aria-label={s.title}>
            {accepted.map((f) => (
              <FileRow key={f.relativePath} f={f} />
            ))}
          </ul>
        </section>
      ) : null}
      {rejected.length > 0 ? (
        <section aria-labelledby="cfx-rejected">
          <h2 id="cfx-rejected" style={{ fontSize: 14, fontWeight: 600, margin: "0 0 4px" }}>
            {s.rejectedHeading}
          </h2>
          <ul style={{ padding: 0, margin: 0 }}>
            {rejected.map((f) => (
              <FileRow key={f.relativePath} f={f} />
            ))}
          </ul>
        </section>
      ) : null}
      {snap && !snap.running && !resumable ? dropZone : null}
      {!snap && props.onClose ? (
        <div>
          <DefaultButton text={s.close} onClick={props.onClose} />
        </div>
      ) : null}
      <Dialog
        hidden={confirm === null}
        onDismiss={() => setConfirm(null)}
        dialogContentProps={{
          type: DialogType.normal,
          title: confirm === "cancel" ? s.confirmCancel.title : s.confirmClose.title,
          subText: fill(confirm === "cancel" ? s.confirmCancel.text : s.confirmClose.text, { files: openText }),
        }}
        modalProps={{ isBlocking: true }}
      >
        <DialogFooter>
          <PrimaryButton
            text={confirm === "cancel" ? s.confirmCancel.yes : s.confirmClose.yes}
            onClick={() => {
              const what = confirm;
              setConfirm(null);
              if (what === "cancel") props.onCancel();
              else props.onClose?.();
            }}
          />
          <DefaultButton text={s.keepUploading} onClick={() => setConfirm(null)} />
        </DialogFooter>
      </Dialog>
      <Dialog
        hidden={props.conflict === null}
        onDismiss={() => props.onConflict("skip")}
        dialogContentProps={{
          type: DialogType.normal,
          title: s.conflictTitle,
          subText: fill(s.conflictText, { path: props.conflict ?? "" }),
        }}
        modalProps={{ isBlocking: true }}
      >
        {/* Four answers do not fit one line of the side dialog: they wrap instead of running off the edge. */}
        <DialogFooter
          styles={{ actionsRight: { display: "flex", flexWrap: "wrap", justifyContent: "flex-end", gap: 8 }, action: { margin: 0 } }}
        >
          <PrimaryButton text={s.replace} onClick={() => props.onConflict("replace")} />
          <DefaultButton text={s.skip} onClick={() => props.onConflict("skip")} />
          <DefaultButton text={s.replaceAll} onClick={() => props.onConflict("replaceAll")} />
          <DefaultButton text={s.skipAll} onClick={() => props.onConflict("skipAll")} />
        </DialogFooter>
      </Dialog>
    </main>
  );
});
