import type { SweepReport } from "../../../src/app/sweepExpired";
import { ExchangeDirection, ExchangeStage, FileIntegrity, FileStatus, RecipientRole } from "../../../src/model";
import type { TestSandbox } from "./sandbox";

type Row = Record<string, unknown>;
const DAY = 86_400_000;

/**
 * What the retention job's integration tests share: Web API and Graph calls as the administrator,
 * the sandbox's controls, and an upload folder with files, a guest, an exchange and receipts made
 * the way the product makes them.
 */
export function retentionWorld(sb: () => TestSandbox) {
  const dv = async (path: string, init: RequestInit = {}): Promise<Row> => {
    const r = await sb().fetchAs("admin", sb().dataverse + path, {
      ...init,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        prefer: "return=representation",
        ...(init.headers as Record<string, string>),
      },
    });
    if (!r.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? {} : ((await r.json()) as Row);
  };
  const rows = async (path: string) => (await dv(path)).value as Row[];
  const graph = (path: string, init: RequestInit = {}) =>
    sb().fetchAs("admin", sb().graph + path, {
      ...init,
      headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
    });
  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(sb().origins.app + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status}`);
    const text = await r.text();
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  const seg = (path: string) => path.split("/").map(encodeURIComponent).join("/");
  const driveId = async () => ((await (await graph("sites/root/drive")).json()) as { id: string }).id;

  /** Moves the sandbox clock and runs the retention job there (the same job as the CLI), returning its report. */
  async function sweepAfter(days: number): Promise<SweepReport> {
    const answer = (await control("POST", "/_sandbox/clock", { advanceDays: days })) as { swept: boolean; result?: SweepReport };
    if (!answer.swept || !answer.result) throw new Error("The sandbox did not run the retention job.");
    return answer.result;
  }

  /** The Dataverse and Graph requests since the log was last cleared. */
  async function requestsSince(): Promise<Array<{ method: string; path: string; origin: string }>> {
    return (await (await fetch(`${sb().origins.app}/_sandbox/requests`)).json()) as Array<{ method: string; path: string; origin: string }>;
  }
  const clearRequests = () => control("DELETE", "/_sandbox/requests");

  async function itemExists(path: string): Promise<boolean> {
    return (await graph(`drives/${await driveId()}/root:/${seg(path)}`)).status === 200;
  }

  async function guestPermissions(itemId: string): Promise<Row[]> {
    const r = await graph(`drives/${await driveId()}/items/${itemId}/permissions`);
    if (r.status !== 200) throw new Error(`permissions: ${r.status}`);
    return ((await r.json()) as { value: Row[] }).value.filter((p) => !p.inheritedFrom && !(p.roles as string[]).includes("owner"));
  }

  /**
   * An upload folder made now on `caseNumber`'s case with these files (paths inside the folder),
   * shared with a guest, with its exchange, recipient and one receipt per file (`decisions` per
   * path: an administrator's keep, or an own date that many days after the folder's creation).
   */
  async function uploadFolder(
    folderName: string,
    files: readonly string[],
    options: { caseNumber?: string; decisions?: Record<string, { kept?: true; ownDateInDays?: number }> } = {},
  ) {
    const drive = await driveId();
    const root = "External Data Transfer";
    const made = await graph(`drives/${drive}/root:/${seg(root)}:/children`, {
      method: "POST",
      body: JSON.stringify({ name: folderName, folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
    });
    if (made.status !== 201) throw new Error(`folder: ${made.status} ${await made.text()}`);
    const folder = (await made.json()) as { id: string; createdDateTime: string };
    const path = `${root}/${folderName}`;
    const itemIds: Record<string, string> = {};
    for (const file of files) {
      const parts = file.split("/");
      for (let i = 1; i < parts.length; i++) {
        const parent = [path, ...parts.slice(0, i - 1)].join("/");
        const sub = await graph(`drives/${drive}/root:/${seg(parent)}:/children`, {
          method: "POST",
          body: JSON.stringify({ name: parts[i - 1], folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
        });
        if (sub.status !== 201 && sub.status !== 409) throw new Error(`subfolder: ${sub.status}`);
      }
      const put = await graph(`drives/${drive}/root:/${seg(`${path}/${file}`)}:/content`, {
        method: "PUT",
        body: `contents of ${file}`,
        headers: { "content-type": "application/octet-stream" },
      });
      if (put.status !== 201) throw new Error(`upload ${file}: ${put.status} ${await put.text()}`);
      itemIds[file] = ((await put.json()) as { id: string }).id;
    }
    const email = `${folderName.toLowerCase()}@fabrikam.example`;
    const invited = await graph(`drives/${drive}/items/${folder.id}/invite`, {
      method: "POST",
      body: JSON.stringify({ recipients: [{ email }], requireSignIn: true, sendInvitation: true, roles: ["write"], message: "m" }),
    });
    if (invited.status !== 200) throw new Error(`invite: ${invited.status}`);
    const permissionId = ((await invited.json()) as { value: Array<{ id: string }> }).value[0].id;
    const [kase] = await rows(
      `incidents?$select=incidentid,ticketnumber&$filter=${encodeURIComponent(options.caseNumber ? `ticketnumber eq '${options.caseNumber}'` : "statecode eq 0")}&$top=1`,
    );
    const created = new Date(folder.createdDateTime);
    const exchange = await dv("cfx_fileexchanges", {
      method: "POST",
      body: JSON.stringify({
        cfx_name: folderName,
        "cfx_CaseId@odata.bind": `/incidents(${kase.incidentid})`,
        cfx_direction: ExchangeDirection.filesFromCustomer,
        cfx_stage: ExchangeStage.shared,
        cfx_folderpath: path,
        cfx_driveid: drive,
        cfx_itemid: folder.id,
        cfx_foldercreatedon: created.toISOString(),
        cfx_expireson: new Date(created.getTime() + 7 * DAY).toISOString(),
      }),
    });
    const id = String(exchange.cfx_fileexchangeid);
    await dv("cfx_exchangerecipients", {
      method: "POST",
      body: JSON.stringify({
        cfx_name: email,
        "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${id})`,
        cfx_role: RecipientRole.write,
        cfx_permissionid: permissionId,
      }),
    });
    const receipts: Record<string, string> = {};
    for (const file of files) {
      const decision = options.decisions?.[file] ?? {};
      const receipt = await dv("cfx_filereceipts", {
        method: "POST",
        body: JSON.stringify({
          cfx_name: file,
          "cfx_ExchangeId@odata.bind": `/cfx_fileexchanges(${id})`,
          cfx_itemid: itemIds[file],
          cfx_size: `contents of ${file}`.length,
          cfx_integrity: FileIntegrity.recordedBySharePoint,
          cfx_filestatus: FileStatus.inFolder,
          cfx_uploadedby: email,
          ...(decision.kept ? { cfx_keptsince: created.toISOString() } : {}),
          ...(decision.ownDateInDays !== undefined
            ? { cfx_expiryoverride: new Date(created.getTime() + decision.ownDateInDays * DAY).toISOString() }
            : {}),
        }),
      });
      receipts[file] = String(receipt.cfx_filereceiptid);
    }
    return {
      id,
      path,
      itemId: folder.id,
      caseId: String(kase.incidentid),
      caseNumber: String(kase.ticketnumber),
      email,
      created,
      receipts,
    };
  }

  const notesOn = (id: string) => rows(`annotations?$select=subject,notetext&$filter=_objectid_value eq ${id}`);

  /** Sets an environment variable's current value (`null` removes it: the default applies). */
  async function setSetting(schemaName: string, value: string | null): Promise<void> {
    const [definition] = await rows(
      `environmentvariabledefinitions?$select=environmentvariabledefinitionid&$filter=${encodeURIComponent(`schemaname eq '${schemaName}'`)}` +
        `&$expand=environmentvariabledefinition_environmentvariablevalue($select=environmentvariablevalueid)`,
    );
    const existing = (definition.environmentvariabledefinition_environmentvariablevalue as Row[])[0];
    if (existing) await dv(`environmentvariablevalues(${existing.environmentvariablevalueid})`, { method: "DELETE" });
    if (value === null) return;
    await dv("environmentvariablevalues", {
      method: "POST",
      body: JSON.stringify({
        schemaname: schemaName,
        value,
        "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${definition.environmentvariabledefinitionid})`,
      }),
    });
  }

  return {
    dv,
    rows,
    graph,
    control,
    sweepAfter,
    requestsSince,
    clearRequests,
    itemExists,
    guestPermissions,
    uploadFolder,
    notesOn,
    setSetting,
  };
}
