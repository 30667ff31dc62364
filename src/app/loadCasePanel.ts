import { ExchangeStage } from "../model";
import type { CasePanelData } from "../ports/CaseReads";
import type { FolderSnapshot } from "../ports/DocumentLibrary";
import type { CasePorts } from "./casePorts";

/** What the case panel shows: Dataverse's records and SharePoint's view of the live folders. */
export interface CasePanelModel extends CasePanelData {
  /** By folder path: what SharePoint holds now (files, permissions); absent when not read. */
  readonly folders: ReadonlyMap<string, FolderSnapshot>;
  /** Why SharePoint could not be read (no access to the library, sign-in needed, busy). */
  readonly libraryError?: unknown;
  readonly loadedAt: Date;
}

/**
 * Opens the case panel: ONE Dataverse request (case, contact, exchanges, recipients, receipts),
 * then ONE Graph `$batch` for the live folders (and a listing of any folder that has subfolders). SharePoint failing does not hide what Dynamics
 * knows: the panel shows the records and says what is wrong with SharePoint.
 */
export async function loadCasePanel(
  ports: Pick<CasePorts, "crm" | "library" | "settings" | "clock">,
  input: { readonly caseId: string },
): Promise<CasePanelModel> {
  const data = await ports.crm.loadCasePanel(input.caseId, ports.settings.contactColumn);
  const paths = [
    ...new Set(
      data.exchanges.filter((x) => x.exchange.stage !== ExchangeStage.deleted && x.exchange.folderPath).map((x) => x.exchange.folderPath),
    ),
  ];
  const folders = new Map<string, FolderSnapshot>();
  let libraryError: unknown;
  if (paths.length > 0) {
    try {
      for (const s of await ports.library.snapshot(paths)) folders.set(s.path, s);
    } catch (e) {
      libraryError = e;
    }
  }
  // A folder uploaded with its structure has files below the top level, and SharePoint's malware
  // flag may be on any of them: only such folders cost a listing more (one request per subfolder).
  for (const [path, s] of folders) {
    if (!s.folder || !s.subfolderCount) continue;
    try {
      folders.set(path, { ...s, files: await ports.library.listFiles(s.folder) });
    } catch {
      // The top level from the batch is still shown; a share reads the whole folder again anyway.
    }
  }
  return { ...data, folders, libraryError, loadedAt: ports.clock.now() };
}
