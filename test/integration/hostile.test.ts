import { createHash } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { memoryCache } from "../../src/adapters/xrm/SessionCache";
import { retryingWebApi } from "../../src/adapters/xrm/retryingWebApi";
import { XrmSettingsSource } from "../../src/adapters/xrm/XrmSettingsSource";
import { casePanelView } from "../../src/app/casePanelView";
import { changeExpiry } from "../../src/app/changeExpiry";
import { copyLink } from "../../src/app/copyLink";
import { loadCasePanel } from "../../src/app/loadCasePanel";
import { loadTicketPanel } from "../../src/app/loadTicketPanel";
import { prepareFolder } from "../../src/app/prepareFolder";
import { requestFiles } from "../../src/app/requestFiles";
import { shareWithCustomer } from "../../src/app/shareWithCustomer";
import { BackupUpload } from "../../src/app/uploadBackup";
import { DAY_MS, type Settings } from "../../src/domain";
import { ExchangeDirection } from "../../src/model";
import { stableId } from "../../sandbox/seed/ids";
import { hostileCorpus, type HostileInput, type HostileWhere } from "../hostile/corpus";
import { startSandbox, type TestSandbox, type UserKey } from "./support/sandbox";
import { fetchWebApi, ticketPorts, casePorts as sharedCasePorts } from "./ticketSupport";

/**
 * Every row of the hostile-input corpus through the real use cases against one real sandbox: each
 * ends in a ValidationError whose message is a sentence for a person, and SharePoint (folders,
 * permissions, files, upload sessions, invitation mail) and Dataverse (exchanges, recipients,
 * receipts, notes, notifications, e-mails) are byte for byte what they were before.
 */
jest.setTimeout(120_000);

let sandbox: TestSandbox;
let db: Database.Database;
beforeAll(async () => {
  sandbox = await startSandbox();
  db = new Database(join(sandbox.dataDir, "sandbox.db"), { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await sandbox?.stop();
});

// What the product may write: SharePoint's store and the mail it sends, and the product's Dataverse rows.
const watchedTables = [
  "graph_items",
  "graph_permissions",
  "graph_upload_sessions",
  "mail_messages",
  "cfx_fileexchange",
  "cfx_exchangerecipient",
  "cfx_filereceipt",
  "annotation",
  "appnotification",
  "email",
] as const;

/** Each watched table's row count and a hash of its whole content (an update shows as well as an insert). */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of watchedTables) {
    const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
    out[table] = `${rows.length} rows, ${createHash("sha1").update(JSON.stringify(rows)).digest("hex").slice(0, 12)}`;
  }
  return out;
}

/** A message a person can read and act on: a sentence, no stack, no code, nothing invisible. */
function expectSentence(message: string, code: string): void {
  expect(message).toMatch(/^["A-Z]/);
  expect(message).toMatch(/[.?!)]$/);
  expect(message.split(" ").length).toBeGreaterThan(4);
  expect(message.length).toBeLessThan(600);
  expect(message).not.toMatch(/\n\s+at /);
  expect(message).not.toContain(code);
  expect(message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
}

/** Runs a use case that must refuse the row: the refusal's code and sentence, and nothing written. */
async function expectRefused(row: HostileInput, run: () => Promise<unknown>): Promise<void> {
  if (!("refused" in row.expect)) throw new Error(`${row.id} is not a refusal`);
  const before = snapshot();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e as { name?: string; code?: string; message: string },
  );
  expect({ row: row.id, name: error?.name, code: error?.code }).toEqual({ row: row.id, name: "ValidationError", code: row.expect.refused });
  expectSentence(error!.message, row.expect.refused);
  expect(snapshot()).toEqual(before);
}

const rowsOf = (where: HostileWhere) => hostileCorpus.filter((r) => r.where === where);
const caseIdOf = (n: string) => stableId(`incident/${n}`);
const admin = () => fetchWebApi(sandbox, "admin");

const casePorts = (key: UserKey, settings: Partial<Settings> = {}) => sharedCasePorts(sandbox, key, { settings });

async function ticketRef(caseNumber: string) {
  const id = stableId(`ticket/${caseNumber}`);
  const row = await admin().retrieveRecord("cfx_hardwareticket", id, "?$select=cfx_name");
  return { id, name: String(row.cfx_name), caseId: caseIdOf(caseNumber) };
}

test("the corpus holds at least 60 inputs, each with a unique id", () => {
  expect(hostileCorpus.length).toBeGreaterThanOrEqual(60);
  expect(new Set(hostileCorpus.map((r) => r.id)).size).toBe(hostileCorpus.length);
});

describe("case numbers: Prepare folder and Request files refuse them and make no folder", () => {
  const number = "CAS-01000-Z9Y8X7";
  const setNumber = (value: string) => admin().updateRecord("incident", caseIdOf(number), { ticketnumber: value });
  afterAll(async () => {
    await setNumber(number);
  });

  test.each(rowsOf("caseNumber").map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    await setNumber(row.input);
    const override = row.pattern ? { caseNumberPattern: row.pattern } : {};
    const specialist = await ticketPorts(sandbox, "specialist");
    const ticket = await ticketRef(number);
    await expectRefused(row, () =>
      prepareFolder({ ...specialist.ports, settings: { ...specialist.ports.settings, ...override } }, ticket, specialist.user),
    );
    const { ports, actor } = await casePorts("agent", override);
    const model = await loadCasePanel(ports, { caseId: caseIdOf(number) });
    expect(model.case.number).toBe(row.input);
    await expectRefused(row, () =>
      requestFiles(ports, {
        caseRecord: model.case,
        exchanges: model.exchanges.map((x) => x.exchange),
        request: { email: model.case.contact!.email!, role: "write", message: "Please upload the logs." },
        actor,
      }),
    );
  });
});

describe("recipients and messages: Request files and Share with customer refuse them before anything is made or sent", () => {
  const requestFor = (row: HostileInput) => {
    switch (row.where) {
      case "email":
        return { email: row.input, message: "Please upload the logs.", confirmedOther: true, reason: "Their IT collects the logs" };
      case "recipientReason":
        return { email: "it@fabrikam.example", message: "Please upload the logs.", confirmedOther: true, reason: row.input };
      default:
        return { email: undefined, message: row.input };
    }
  };
  const rows = [...rowsOf("email"), ...rowsOf("recipientReason"), ...rowsOf("message")];

  test.each(rows.map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    const { ports, actor } = await casePorts("agent", {
      ...(row.allowedDomains ? { allowedDomains: row.allowedDomains } : {}),
      ...(row.deniedDomains ? { deniedDomains: row.deniedDomains } : {}),
    });
    const request = requestFor(row);
    const files = await loadCasePanel(ports, { caseId: caseIdOf("CAS-01000-Z9Y8X7") });
    await expectRefused(row, () =>
      requestFiles(ports, {
        caseRecord: files.case,
        exchanges: files.exchanges.map((x) => x.exchange),
        request: { role: "write", ...request, email: request.email ?? files.case.contact!.email! },
        actor,
      }),
    );
    const backup = await loadCasePanel(ports, { caseId: caseIdOf("CAS-01002-D4E5F6") });
    const record = backup.exchanges.find((x) => x.exchange.direction === ExchangeDirection.backupForCustomer)!;
    await expectRefused(row, () =>
      shareWithCustomer(ports, {
        caseRecord: backup.case,
        exchange: record.exchange,
        recipients: record.recipients,
        request: { role: "read", ...request, email: request.email ?? backup.case.contact!.email! },
        actor,
      }),
    );
  });
});

describe("file names: the upload dialog rejects them and sends nothing", () => {
  test.each(rowsOf("fileName").map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    if (!("refused" in row.expect)) throw new Error(`${row.id} is not a refusal`);
    const { ports, uploader, user } = await ticketPorts(sandbox, "specialist");
    const panel = await loadTicketPanel(ports, await ticketRef("CAS-01001-A1B2C3"), user);
    const folder = (await ports.library.findFolder(panel.exchange!.folderPath))!;
    const before = snapshot();
    const bytes = new TextEncoder().encode("hostile");
    const upload = new BackupUpload({ ...ports, uploader }, { exchange: panel.exchange!, folder, user, askConflict: async () => "skip" }, [
      { file: new Blob([bytes]), relativePath: row.input, size: bytes.length, lastModified: 1_763_000_000_000 },
    ]);
    await upload.start();
    const state = upload.snapshot().files[0].state;
    expect(state.kind).toBe("rejected");
    expectSentence(state.kind === "rejected" ? state.reason : "", row.expect.refused);
    expect(snapshot()).toEqual(before);
  });
});

describe("expiry changes: the administrator's Change expiry refuses them and writes nothing", () => {
  const when = (spec: string, now: Date): Date | null => {
    if (spec === "keep") return null;
    if (spec === "invalid") return new Date(Number.NaN);
    const relative = /^now([+-]\d+)d$/.exec(spec);
    return relative ? new Date(now.getTime() + Number(relative[1]) * DAY_MS) : new Date(spec);
  };

  test.each(rowsOf("expiry").map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    const { ports, actor } = await casePorts("admin");
    const model = await loadCasePanel(ports, { caseId: caseIdOf("CAS-01003-G7H8J9") });
    const exchange = model.exchanges[0].exchange;
    await expectRefused(row, () =>
      changeExpiry(ports, { caseRecord: model.case, exchange, expiresOn: when(row.expiresOn!, new Date()), reason: row.input, actor }),
    );
  });
});

describe("settings: the panels' settings read refuses them with a sentence naming the variable", () => {
  test.each(rowsOf("setting").map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    const api = admin();
    const definitions = await api.retrieveMultipleRecords(
      "environmentvariabledefinition",
      `?$select=environmentvariabledefinitionid&$filter=schemaname eq '${row.setting}'&$expand=environmentvariabledefinition_environmentvariablevalue($select=environmentvariablevalueid,value)`,
    );
    const definition = definitions.entities[0];
    const existing = (definition.environmentvariabledefinition_environmentvariablevalue as Array<Record<string, string>>)[0];
    let created: string | undefined;
    if (existing) await api.updateRecord("environmentvariablevalue", existing.environmentvariablevalueid, { value: row.input });
    else
      created = (
        await api.createRecord("environmentvariablevalue", {
          schemaname: row.setting,
          value: row.input,
          "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${String(definition.environmentvariabledefinitionid)})`,
        })
      ).id;
    try {
      await expectRefused(row, () =>
        new XrmSettingsSource(retryingWebApi(fetchWebApi(sandbox, "agent"), { baseDelayMs: 200, attempts: 8 }), memoryCache()).load(),
      );
    } finally {
      if (existing) await api.updateRecord("environmentvariablevalue", existing.environmentvariablevalueid, { value: existing.value });
      if (created) await api.deleteRecord("environmentvariablevalue", created);
    }
    await expect(new XrmSettingsSource(fetchWebApi(sandbox, "agent"), memoryCache()).load()).resolves.toBeDefined();
  });
});

describe("web URLs on an exchange row: never a link, and Copy link refuses them", () => {
  const number = "CAS-01003-G7H8J9";
  const exchangeId = stableId(`exchange/${number}`);
  let original: string;
  beforeAll(async () => {
    original = String((await admin().retrieveRecord("cfx_fileexchange", exchangeId, "?$select=cfx_weburl")).cfx_weburl);
  });
  afterAll(async () => {
    await admin().updateRecord("cfx_fileexchange", exchangeId, { cfx_weburl: original });
  });

  test.each(rowsOf("webUrl").map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    const { ports, actor } = await casePorts("agent");
    const site = new URL(ports.settings.siteUrl);
    const value = row.input.replaceAll("{site}", site.origin).replaceAll("{host}", site.host);
    await admin().updateRecord("cfx_fileexchange", exchangeId, { cfx_weburl: value });

    const model = await loadCasePanel(ports, { caseId: caseIdOf(number) });
    const record = model.exchanges.find((x) => x.exchange.id === exchangeId)!;
    expect(record.exchange.webUrl).toBe(value);
    // The case panel falls back to the folder's own address from SharePoint, never the row's.
    const shown = casePanelView(model, actor, new Date(), ports.settings).exchanges.find((x) => x.id === exchangeId)!.webUrl;
    expect(shown === undefined || new URL(shown).host === site.host).toBe(true);
    expect(shown).not.toBe(value);
    const specialist = await ticketPorts(sandbox, "specialist");
    const ticket = await loadTicketPanel(specialist.ports, await ticketRef(number), specialist.user);
    expect(ticket.folderLink).toBeUndefined();
    await expectRefused({ ...row, expect: { refused: "actionNotAllowed" } }, () =>
      copyLink(ports, { copy: async () => undefined }, { exchange: record.exchange, actor }),
    );
  });
});

describe("account names in the {account}/{case} layout: what cannot be a folder name falls back to {case}", () => {
  const number = "CAS-01000-Z9Y8X7";
  const accountId = stableId("account/fabrikam");
  let original: string;
  beforeAll(async () => {
    original = String((await admin().retrieveRecord("account", accountId, "?$select=name")).name);
  });
  afterAll(async () => {
    await admin().updateRecord("account", accountId, { name: original });
  });

  test.each(rowsOf("accountName").map((r) => [r.id, r] as const))("%s", async (_id, row) => {
    if (!("folder" in row.expect)) throw new Error(`${row.id} names no folder`);
    await admin().updateRecord("account", accountId, { name: row.input });
    const { ports, user } = await ticketPorts(sandbox, "specialist");
    const settings = { ...ports.settings, folderLayout: "{account}/{case}" as const };
    const expected = row.expect.folder.replace("{root}", settings.backupRoot).replace("{case}", number);
    const out = await prepareFolder({ ...ports, settings }, await ticketRef(number), user);
    try {
      expect(out.exchange.folderPath).toBe(expected);
      expect(await ports.library.findFolder(expected)).not.toBeNull();
    } finally {
      // Leave the case without a backup exchange for the next row: the row and its folders go.
      const graph = (path: string, init?: RequestInit) => sandbox.fetchAs("admin", `${sandbox.graph}${path}`, init);
      await admin().deleteRecord("cfx_fileexchange", out.exchange.id);
      await graph(`drives/${out.exchange.driveId}/items/${out.exchange.itemId}`, { method: "DELETE" });
      const level = expected.split("/").slice(0, -1).join("/");
      if (level !== settings.backupRoot) {
        const account = await ports.library.findFolder(level);
        if (account) await graph(`drives/${out.exchange.driveId}/items/${account.itemId}`, { method: "DELETE" });
      }
    }
  });
});
