import { useCallback, useEffect, useRef, useState } from "react";
import { BackupUpload, type ConflictAnswer, type LocalFile, type UploadBackupPorts, type UploadSnapshot } from "../../app/uploadBackup";
import type { Exchange } from "../../domain";
import type { CurrentUser } from "../../ports/CrmGateway";
import type { FolderRef } from "../../ports/DocumentLibrary";
import { UploadDialog } from "./UploadDialog";

export interface UploadDialogAppProps {
  readonly ports: UploadBackupPorts;
  readonly exchange: Exchange;
  readonly folder: FolderRef;
  readonly user: CurrentUser;
  /** Closes the side dialog (the host's `window.close()` / navigateTo's promise resolves). */
  readonly onClose?: () => void;
  /** Tells the host whether closing now would stop an upload (beforeunload warning). */
  readonly onRunningChange?: (running: boolean) => void;
}

/** The upload dialog wired to the BackupUpload use case. */
export function UploadDialogApp({ ports, exchange, folder, user, onClose, onRunningChange }: UploadDialogAppProps) {
  const [snapshot, setSnapshot] = useState<UploadSnapshot | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const upload = useRef<BackupUpload | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const answer = useRef<((a: ConflictAnswer) => void) | null>(null);

  const start = useCallback(() => {
    const u = upload.current;
    if (!u) return;
    setError(undefined);
    // Receipts and totals are Dataverse writes: a failure there stops the run and is shown.
    running.current = u.start().catch((e: unknown) => setError(e));
  }, []);

  // Closing while files upload stops them first (their sessions are kept: choosing the same file
  // again resumes), so nothing goes on unseen behind a closed dialog.
  const close = useCallback(async () => {
    const u = upload.current;
    if (u?.snapshot().running) {
      u.pause();
      await running.current;
    }
    onClose?.();
  }, [onClose]);

  const onFiles = useCallback(
    (files: LocalFile[]) => {
      if (files.length === 0 || upload.current?.snapshot().running) return;
      const u = new BackupUpload(
        ports,
        {
          exchange,
          folder,
          user,
          askConflict: (path) =>
            new Promise<ConflictAnswer>((resolve) => {
              answer.current = resolve;
              setConflict(path);
            }),
          now: () => performance.now(),
        },
        files,
      );
      upload.current = u;
      u.subscribe(setSnapshot);
      start();
    },
    [ports, exchange, folder, user, start],
  );

  useEffect(() => {
    onRunningChange?.(snapshot?.running ?? false);
  }, [snapshot?.running, onRunningChange]);

  return (
    <UploadDialog
      folderPath={folder.path}
      snapshot={snapshot}
      conflict={conflict}
      error={error}
      onFiles={onFiles}
      onPause={() => upload.current?.pause()}
      onResume={start}
      onCancel={() => void upload.current?.cancel()}
      onClose={onClose ? () => void close() : undefined}
      onConflict={(a) => {
        setConflict(null);
        answer.current?.(a);
        answer.current = null;
      }}
    />
  );
}
