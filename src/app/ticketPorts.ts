import type { Settings } from "../domain/settings";
import type { Clock } from "../ports/Clock";
import type { CrmGateway, CurrentUser } from "../ports/CrmGateway";
import type { DocumentLibrary } from "../ports/DocumentLibrary";
import type { TeamsChat } from "../ports/TeamsChat";
import type { TicketGateway } from "../ports/TicketGateway";

/** What the ticket panel's use cases are given: ports, settings, clock. */
export interface TicketPorts {
  readonly crm: CrmGateway;
  readonly tickets: TicketGateway;
  readonly library: DocumentLibrary;
  readonly settings: Settings;
  readonly clock: Clock;
  /** Teams chat as the signed-in person: present only when the Teams follow-up setting is on. */
  readonly teams?: TeamsChat;
}

/** The hardware ticket a use case runs from. */
export interface TicketRef {
  readonly id: string;
  /** Its number (`cfx_name`), for notes. */
  readonly name: string;
  readonly caseId: string;
}

export interface TicketActor {
  readonly user: CurrentUser;
}
