import { checkFolderAdoption } from "../domain/folderAdoption";
import type { CrmGateway } from "../ports/CrmGateway";
import type { DocumentLibrary, FolderRef } from "../ports/DocumentLibrary";

/**
 * Creates a case's folder, or adopts the one already at that path when no other case's exchange
 * records it (else a ValidationError names that case, and nothing is created). Only the rare
 * "already there" answer costs the extra Dataverse read.
 */
export async function ensureCaseFolder(
  ports: { readonly library: DocumentLibrary; readonly crm: Pick<CrmGateway, "exchangesRecordingFolder"> },
  path: string,
  caseId: string,
): Promise<FolderRef & { readonly created: boolean }> {
  const folder = await ports.library.ensureFolder(path);
  if (!folder.created)
    checkFolderAdoption(
      { folderPath: folder.path, driveId: folder.driveId, itemId: folder.itemId },
      caseId,
      await ports.crm.exchangesRecordingFolder(folder),
    );
  return folder;
}
