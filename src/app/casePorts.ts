import type { Role } from "../domain/exchange";
import type { Settings } from "../domain/settings";
import type { CaseReads } from "../ports/CaseReads";
import type { Clock } from "../ports/Clock";
import type { CrmGateway } from "../ports/CrmGateway";
import type { DocumentLibrary, FolderRef } from "../ports/DocumentLibrary";
import type { Exchange } from "../domain/exchange";

/** What the case panel's use cases are given: ports, settings, clock. */
export interface CasePorts {
  readonly crm: CrmGateway & CaseReads;
  readonly library: DocumentLibrary;
  readonly settings: Settings;
  readonly clock: Clock;
}

/** Who acts: the Dynamics user and the product roles they hold. */
export interface CaseActor {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

/** The folder of an exchange as the library addresses it, from the exchange row, or looked up by path. */
export async function folderOf(library: DocumentLibrary, exchange: Exchange): Promise<FolderRef | null> {
  if (exchange.driveId && exchange.itemId)
    return {
      driveId: exchange.driveId,
      itemId: exchange.itemId,
      path: exchange.folderPath,
      webUrl: exchange.webUrl ?? "",
      createdOn: exchange.folderCreatedOn ?? new Date(0),
    };
  return exchange.folderPath ? library.findFolder(exchange.folderPath) : null;
}
