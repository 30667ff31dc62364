import { ExchangeDirection, ExchangeStage, FileIntegrity, FileStatus } from "../../model";
import type {
  ArrivalExchange,
  ArrivalRecords,
  ArrivalWrite,
  ArrivalWriteOutcome,
  LibraryCursor,
  RecordOwner,
  StoredReceipt,
} from "../../ports/ArrivalRecords";
import type { BatchOperation, DataverseClient } from "./DataverseClient";
import { isDataverseError, type DataverseError } from "./DataverseError";
import {
  date,
  guid,
  IDS_PER_QUERY,
  iso,
  literal,
  LOOKUP_TABLE,
  noteOperation,
  NotificationIcon,
  notificationOperation,
  num,
  str,
  type Row,
} from "./webApiRows";

const EXCHANGE_COLUMNS = "cfx_fileexchangeid,cfx_name,_cfx_caseid_value,cfx_stage,cfx_itemid,cfx_folderpath,_ownerid_value";

const RECEIPT_COLUMNS = [
  "cfx_filereceiptid",
  "_cfx_exchangeid_value",
  "cfx_itemid",
  "cfx_name",
  "cfx_size",
  "cfx_quickxorhash",
  "cfx_integrity",
  "cfx_uploadedon",
  "cfx_uploadedby",
  "cfx_batchid",
  "cfx_filestatus",
  "cfx_reportedon",
].join(",");

/**
 * Open requests for files: removal not confirmed (`cfx_stage` alone is not trusted, anyone with
 * Write can set it), the customer's direction, a stage in which the customer can upload, a folder.
 */
const OPEN_UPLOADS =
  `cfx_removedon eq null and cfx_direction eq ${ExchangeDirection.filesFromCustomer} and cfx_itemid ne null and ` +
  `(cfx_stage eq ${ExchangeStage.shared} or cfx_stage eq ${ExchangeStage.filesReceived} or cfx_stage eq ${ExchangeStage.inviting})`;

/** Ids per `or` filter: keeps the URL short (20 GUIDs or item ids is about 1,000 characters). */
/** Above this many ids, reading every open exchange (or live receipt) in pages of 5,000 is cheaper than asking 20 ids at a time. */
const READ_ALL_ABOVE = 200;

// appnotification priority (Learn: "Send in-app notifications within model-driven apps").
const PRIORITY_NORMAL = 200000000;
// email statecode: 0 Open (a draft); anything else has been sent or cancelled.
const EMAIL_OPEN = 0;

export interface DataverseArrivalRecordsOptions {
  /** Rows per page (`Prefer: odata.maxpagesize`). */
  readonly pageSize?: number;
  /** Writes per `$batch` (default 20, as the retention job's). */
  readonly batchSize?: number;
}

/** ArrivalRecords over the Dataverse Web API with the job's app-only token. */
export class DataverseArrivalRecords implements ArrivalRecords {
  constructor(
    private readonly client: DataverseClient,
    private readonly options: DataverseArrivalRecordsOptions = {},
  ) {}

  async cursor(id: string): Promise<LibraryCursor | null> {
    const row = await this.client.getOne<Row>(`cfx_librarycursors(${guid(id)})?$select=cfx_deltalink,cfx_advancedon,cfx_runid`);
    if (!row) return null;
    const etag = str(row, "@odata.etag");
    if (!etag) throw new Error("The Library Change Link row came without an @odata.etag.");
    return {
      id: guid(id),
      etag,
      ...(str(row, "cfx_deltalink") ? { link: str(row, "cfx_deltalink") } : {}),
      ...(date(row, "cfx_advancedon") ? { advancedOn: date(row, "cfx_advancedon") } : {}),
      ...(str(row, "cfx_runid") ? { runId: str(row, "cfx_runid") } : {}),
    };
  }

  /**
   * A PATCH with `If-Match: <etag>` (Dataverse answers 412 `0x80060882` when the row changed since
   * it was read), or a create with the row's derived id when there was none (a second create is
   * refused as a duplicate). Either refusal is read again: a row that names this run was this run's
   * own write, repeated after its answer was lost.
   */
  async advanceCursor(input: {
    readonly id: string;
    readonly name: string;
    readonly link: string;
    readonly runId: string;
    readonly now: Date;
    readonly etag?: string;
  }): Promise<"advanced" | "lost"> {
    const id = guid(input.id);
    const body = { cfx_deltalink: input.link, cfx_advancedon: iso(input.now), cfx_runid: input.runId };
    try {
      if (input.etag) {
        await this.client.execute({ method: "PATCH", path: `cfx_librarycursors(${id})`, body, headers: { "If-Match": input.etag } });
      } else {
        await this.client.create("cfx_librarycursors", { cfx_librarycursorid: id, cfx_name: input.name.slice(0, 400), ...body });
      }
      return "advanced";
    } catch (e) {
      const refused =
        isDataverseError(e) && (e.code === "versionMismatch" || e.code === "duplicate" || (input.etag && e.code === "notFound"));
      if (!refused) throw e;
      const now = await this.cursor(id);
      return now?.runId === input.runId && now.link === input.link ? "advanced" : "lost";
    }
  }

  async openUploadExchanges(only?: {
    readonly folderItemIds: readonly string[];
    readonly exchangeIds: readonly string[];
  }): Promise<ArrivalExchange[]> {
    const base = `cfx_fileexchanges?$select=${EXCHANGE_COLUMNS}&$filter=`;
    if (!only || only.folderItemIds.length + only.exchangeIds.length > READ_ALL_ABOVE) {
      return (await this.client.getAll<Row>(base + encodeURIComponent(OPEN_UPLOADS), this.options.pageSize)).map(exchangeFromRow);
    }
    const terms = [
      ...[...new Set(only.folderItemIds)].map((itemId) => `cfx_itemid eq ${literal(itemId)}`),
      ...[...new Set(only.exchangeIds.map(guid))].map((id) => `cfx_fileexchangeid eq ${id}`),
    ];
    const out = new Map<string, ArrivalExchange>();
    for (let i = 0; i < terms.length; i += IDS_PER_QUERY) {
      const filter = `${OPEN_UPLOADS} and (${terms.slice(i, i + IDS_PER_QUERY).join(" or ")})`;
      for (const r of await this.client.getAll<Row>(base + encodeURIComponent(filter), this.options.pageSize)) {
        const x = exchangeFromRow(r);
        out.set(x.id, x);
      }
    }
    return [...out.values()];
  }

  /**
   * By item id, 20 to a query; above 200 items (a sweep deleted many folders since the last check)
   * the receipts of files still in their folders are read in pages of 5,000 instead, and only a
   * receipt already marked replaced or deleted is missed: a file restored from the recycle bin is
   * then reported again, as a new arrival.
   */
  async receiptsOfItems(itemIds: readonly string[]): Promise<StoredReceipt[]> {
    const ids = [...new Set(itemIds)];
    if (ids.length > READ_ALL_ABOVE) {
      const wanted = new Set(ids);
      return (await this.receiptsInFolders()).filter((r) => r.itemId !== undefined && wanted.has(r.itemId));
    }
    const out: StoredReceipt[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const filter = ids
        .slice(i, i + IDS_PER_QUERY)
        .map((id) => `cfx_itemid eq ${literal(id)}`)
        .join(" or ");
      out.push(...(await this.receipts(filter)));
    }
    return out;
  }

  receiptsInFolders(): Promise<StoredReceipt[]> {
    return this.receipts(`cfx_itemid ne null and (cfx_filestatus eq null or cfx_filestatus eq ${FileStatus.inFolder})`);
  }

  unreportedReceipts(): Promise<StoredReceipt[]> {
    // Only the check writes a batch; receipts of the panels' uploads have none and are never reported.
    return this.receipts("cfx_batchid ne null and cfx_reportedon eq null");
  }

  async jobUserId(): Promise<string> {
    const who = await this.client.getOne<{ UserId?: string }>("WhoAmI");
    if (!who?.UserId) throw new Error("WhoAmI gave no user id.");
    return guid(who.UserId);
  }

  async write(writes: readonly ArrivalWrite[]): Promise<ArrivalWriteOutcome[]> {
    const outcomes: Array<ArrivalWriteOutcome | undefined> = writes.map(() => undefined);
    const operations: BatchOperation[] = [];
    const sent: number[] = [];
    writes.forEach((w, i) => {
      try {
        operations.push(operationOf(w));
        sent.push(i);
      } catch (e) {
        outcomes[i] = { ok: false, error: e };
      }
    });
    const results = operations.length > 0 ? await this.client.batch(operations, this.options.batchSize ?? 20) : [];
    results.forEach((r, k) => {
      outcomes[sent[k]] = r.ok ? { ok: true } : outcomeOfError(writes[sent[k]], r.error);
    });
    return outcomes.map((o) => o!);
  }

  /**
   * `SendEmail` is an action, not a keyed write: it is sent only while the e-mail is a draft, and
   * a refusal is checked against the e-mail's state (sent by an earlier attempt counts as done).
   */
  async sendEmail(id: string): Promise<void> {
    const emailId = guid(id);
    const state = async () => num((await this.client.getOne<Row>(`emails(${emailId})?$select=statecode`)) ?? {}, "statecode");
    if ((await state()) !== EMAIL_OPEN) return;
    try {
      await this.client.execute({ method: "POST", path: `emails(${emailId})/Microsoft.Dynamics.CRM.SendEmail`, body: { IssueSend: true } });
    } catch (e) {
      const s = await state().catch(() => undefined);
      if (s === undefined || s === EMAIL_OPEN) throw e;
    }
  }

  private async receipts(filter: string): Promise<StoredReceipt[]> {
    const rows = await this.client.getAll<Row>(
      `cfx_filereceipts?$select=${RECEIPT_COLUMNS}&$filter=${encodeURIComponent(filter)}`,
      this.options.pageSize,
    );
    return rows.map(receiptFromRow);
  }
}

function ownerBind(owner: RecordOwner): string {
  return owner.kind === "team" ? `/teams(${guid(owner.id)})` : `/systemusers(${guid(owner.id)})`;
}

/** The Web API request for one write. Updates carry `If-Match: *`: a missing record is a 404, never an upsert. */
function operationOf(w: ArrivalWrite): BatchOperation {
  switch (w.kind) {
    case "createReceipt": {
      const r = w.receipt;
      return {
        method: "POST",
        path: "cfx_filereceipts",
        body: {
          cfx_filereceiptid: guid(r.id),
          cfx_name: r.path.slice(0, 400),
          "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${guid(r.exchangeId)})`,
          cfx_itemid: r.itemId,
          cfx_size: r.size,
          ...(r.quickXorHash ? { cfx_quickxorhash: r.quickXorHash } : {}),
          cfx_integrity: r.quickXorHash ? FileIntegrity.recordedBySharePoint : FileIntegrity.hashPending,
          ...(r.uploadedOn ? { cfx_uploadedon: iso(r.uploadedOn) } : {}),
          ...(r.uploadedBy ? { cfx_uploadedby: r.uploadedBy.slice(0, 320) } : {}),
          cfx_batchid: r.batchId,
          cfx_filestatus: FileStatus.inFolder,
          // The requesting agent owns the receipt: their read depth reaches their own rows and their units'.
          ...(r.owner ? { "ownerid@odata.bind": ownerBind(r.owner) } : {}),
        },
      };
    }
    case "updateReceipt": {
      const body: Record<string, unknown> = {};
      if (w.changes.status !== undefined) body.cfx_filestatus = w.changes.status;
      if (w.changes.goneOn !== undefined) body.cfx_filegoneon = iso(w.changes.goneOn);
      if (w.changes.reportedOn !== undefined) body.cfx_reportedon = iso(w.changes.reportedOn);
      return { method: "PATCH", path: `cfx_filereceipts(${guid(w.id)})`, body, headers: { "If-Match": "*" } };
    }
    case "updateExchange":
      return {
        method: "PATCH",
        path: `cfx_fileexchanges(${guid(w.id)})`,
        body: { cfx_stage: w.changes.stage },
        headers: { "If-Match": "*" },
      };
    case "addNote":
      return noteOperation(w.id, w.target, w.note);
    case "notifyUser": {
      const url = `?pagetype=entityrecord&etn=incident&id=${guid(w.caseId)}`;
      return notificationOperation({
        id: w.id,
        userId: w.userId,
        title: w.title,
        body: w.body,
        icon: NotificationIcon.info,
        extra: {
          priority: PRIORITY_NORMAL,
          // The notification's action opens the case (in-app notifications' `data.actions`).
          data: JSON.stringify({ actions: [{ title: "Open case", data: { url, navigationTarget: "dialog" } }] }),
        },
      });
    }
    case "createEmail":
      return {
        method: "POST",
        path: "emails",
        body: {
          activityid: guid(w.id),
          subject: w.subject.slice(0, 200),
          description: w.html,
          directioncode: true,
          "regardingobjectid_incident@odata.bind": `/incidents(${guid(w.caseId)})`,
          // Activity parties: 1 Sender, 2 ToRecipient (Learn, ActivityParty table, Activity Party Types).
          email_activity_parties: [
            { "partyid_systemuser@odata.bind": `/systemusers(${guid(w.fromUserId)})`, participationtypemask: 1 },
            ...w.toUserIds.map((to) => ({ "partyid_systemuser@odata.bind": `/systemusers(${guid(to)})`, participationtypemask: 2 })),
          ],
        },
      };
  }
}

/**
 * A refusal that still means "done": a keyed create refused as a duplicate was written by an
 * earlier attempt or another run; a note refused by an inactive (resolved, cancelled) case is expected.
 */
function outcomeOfError(w: ArrivalWrite, error: DataverseError): ArrivalWriteOutcome {
  const keyed = w.kind === "createReceipt" || w.kind === "addNote" || w.kind === "notifyUser" || w.kind === "createEmail";
  if (keyed && error.code === "duplicate") return { ok: true };
  if (w.kind === "addNote" && error.code === "inactiveRecord") return { ok: true, refused: true };
  return { ok: false, error };
}

function exchangeFromRow(r: Row): ArrivalExchange {
  const ownerId = str(r, "_ownerid_value");
  return {
    id: String(r.cfx_fileexchangeid).toLowerCase(),
    name: str(r, "cfx_name") ?? "",
    caseId: (str(r, "_cfx_caseid_value") ?? "").toLowerCase(),
    stage: (num(r, "cfx_stage") ?? ExchangeStage.shared) as ExchangeStage,
    folderItemId: str(r, "cfx_itemid") ?? "",
    ...(str(r, "cfx_folderpath") ? { folderPath: str(r, "cfx_folderpath") } : {}),
    ...(ownerId
      ? { owner: { kind: str(r, `_ownerid_value${LOOKUP_TABLE}`) === "team" ? "team" : "user", id: ownerId.toLowerCase() } as RecordOwner }
      : {}),
  };
}

function receiptFromRow(r: Row): StoredReceipt {
  const opt = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> =>
    (v === undefined ? {} : { [key]: v }) as Partial<Record<K, V>>;
  return {
    id: String(r.cfx_filereceiptid).toLowerCase(),
    exchangeId: (str(r, "_cfx_exchangeid_value") ?? "").toLowerCase(),
    name: str(r, "cfx_name") ?? "",
    size: num(r, "cfx_size") ?? 0,
    ...opt("itemId", str(r, "cfx_itemid")),
    ...opt("quickXorHash", str(r, "cfx_quickxorhash")),
    ...opt("integrity", num(r, "cfx_integrity") as FileIntegrity | undefined),
    ...opt("uploadedOn", date(r, "cfx_uploadedon")),
    ...opt("uploadedBy", str(r, "cfx_uploadedby")),
    ...opt("batchId", str(r, "cfx_batchid")),
    ...opt("status", num(r, "cfx_filestatus") as FileStatus | undefined),
    ...opt("reportedOn", date(r, "cfx_reportedon")),
  };
}
