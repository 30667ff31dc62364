import { DataverseClient, type BatchOperation, type FetchLike } from "../../../src/adapters/dataverse/DataverseClient";
import { DataverseRetentionRecords } from "../../../src/adapters/dataverse/DataverseRetentionRecords";
import { decodeBatchResponse, encodeBatch } from "../../../src/adapters/dataverse/batchFormat";
import { onceId } from "../../../src/domain/onceId";
import { ExchangeStage } from "../../../src/model";
import type { RetentionWrite } from "../../../src/ports/RetentionRecords";

const ORG = "https://contoso.crm.dynamics.com";
const API = `${ORG}/api/data/v9.2/`;
const X1 = "11111111-1111-1111-1111-111111111111";
const CASE = "33333333-3333-3333-3333-333333333333";
const USER = "44444444-4444-4444-4444-444444444444";

/** A request part as the fake server reads it back from the batch body. */
interface SentPart {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}
interface SentBatch {
  url: string;
  headers: Record<string, string>;
  parts: SentPart[];
  raw: string;
}
/** An answer to one part: status, optional body and headers. */
type PartAnswer = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (batch: SentBatch) => Response | Promise<Response>;

/** Reads a batch body the way the Web API does (parts of application/http, request line, headers, body). */
function readBatch(contentType: string, raw: string): SentPart[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)![1];
  return raw
    .split(`--${boundary}`)
    .slice(1)
    .filter((c) => !c.startsWith("--"))
    .map((c) => {
      const [outer, ...rest] = c.replace(/^\r\n/, "").split("\r\n\r\n");
      expect(outer).toContain("Content-Type: application/http");
      const [head, ...body] = rest.join("\r\n\r\n").split("\r\n\r\n");
      const [requestLine, ...headerLines] = head.split("\r\n");
      const [method, url, version] = requestLine.split(" ");
      expect(version).toBe("HTTP/1.1");
      const text = body.join("\r\n\r\n").trim();
      return {
        method,
        url,
        headers: Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()])),
        body: text ? JSON.parse(text) : undefined,
      };
    });
}

/** A multipart batch response with one part per answer, in order. */
function batchResponse(answers: readonly PartAnswer[], status = 200, lineEnd = "\r\n"): Response {
  const b = "batchresponse_fake";
  const text =
    answers
      .map((a) =>
        [
          `--${b}`,
          "Content-Type: application/http",
          "Content-Transfer-Encoding: binary",
          "",
          `HTTP/1.1 ${a.status} Whatever`,
          ...Object.entries({ "OData-Version": "4.0", ...(a.body ? { "Content-Type": "application/json" } : {}), ...a.headers }).map(
            ([k, v]) => `${k}: ${v}`,
          ),
          "",
          a.body === undefined ? "" : JSON.stringify(a.body),
        ].join(lineEnd),
      )
      .join(lineEnd) + `${lineEnd}--${b}--${lineEnd}`;
  return new Response(text, { status, headers: { "content-type": `multipart/mixed; boundary=${b}` } });
}

const ok = (n: number, status = 204): PartAnswer[] => Array.from({ length: n }, () => ({ status }));
const dv = (status: number, code: string, headers: Record<string, string> = {}): PartAnswer => ({
  status,
  body: { error: { code, message: "refused" } },
  headers,
});

function setup(...handlers: Handler[]) {
  const batches: SentBatch[] = [];
  const sleeps: number[] = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = init.headers as Record<string, string>;
    const raw = String(init.body ?? "");
    const batch: SentBatch = { url, headers, raw, parts: readBatch(headers["Content-Type"], raw) };
    batches.push(batch);
    const handler = handlers.shift();
    if (!handler) throw new Error(`Unexpected request ${init.method} ${url}`);
    return handler(batch);
  };
  const client = new DataverseClient({
    orgUrl: ORG,
    fetch,
    tokens: { getToken: async () => "app-token" },
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { batches, sleeps, client, records: new DataverseRetentionRecords(client) };
}

const patch = (i: number): BatchOperation => ({
  method: "PATCH",
  path: `cfx_fileexchanges(${String(i).padStart(8, "0")}-0000-4000-8000-000000000000)`,
  body: { cfx_stage: ExchangeStage.deleted },
  headers: { "If-Match": "*" },
});
const patches = (n: number) => Array.from({ length: n }, (_, i) => patch(i));

describe("encoding a $batch", () => {
  test.each([
    {
      name: "an update: PATCH with its JSON body, If-Match and the entry content type",
      op: patch(1),
      method: "PATCH",
      headers: { "Content-Type": "application/json; type=entry", "If-Match": "*" },
      body: { cfx_stage: ExchangeStage.deleted },
    },
    {
      name: "a create: POST to the entity set with its own key in the body",
      op: { method: "POST", path: "annotations", body: { annotationid: X1, subject: "s" } } as BatchOperation,
      method: "POST",
      headers: { "Content-Type": "application/json; type=entry" },
      body: { annotationid: X1, subject: "s" },
    },
    {
      name: "a read: no body and no content type",
      op: { method: "GET", path: "WhoAmI()" } as BatchOperation,
      method: "GET",
      headers: {},
      body: undefined,
    },
  ])("$name", ({ op, method, headers, body }) => {
    const { contentType, body: raw } = encodeBatch(API, [op], "batch_test");
    expect(contentType).toBe("multipart/mixed; boundary=batch_test");
    expect(raw.endsWith("--batch_test--\r\n")).toBe(true);
    const [part] = readBatch(contentType, raw);
    expect(part).toEqual({ method, url: `${API}${op.path}`, headers, body });
  });

  test("each operation is its own part and no part is a change set (one refusal must not roll back the others)", () => {
    const { contentType, body } = encodeBatch(API, patches(3));
    expect(readBatch(contentType, body)).toHaveLength(3);
    expect(body).not.toContain("changeset");
    expect(body).not.toMatch(/Content-Type: multipart\/mixed/);
  });
});

describe("decoding a $batch response", () => {
  const changeSet = [
    "--batchresponse_1",
    "Content-Type: multipart/mixed; boundary=changesetresponse_1",
    "",
    "--changesetresponse_1",
    "Content-Type: application/http",
    "Content-Transfer-Encoding: binary",
    "Content-ID: 1",
    "",
    "HTTP/1.1 204 No Content",
    "OData-EntityId: https://x/api/data/v9.2/tasks(1)",
    "",
    "",
    "--changesetresponse_1--",
    "--batchresponse_1",
    "Content-Type: application/http",
    "Content-Transfer-Encoding: binary",
    "",
    "HTTP/1.1 404 Not Found",
    "Content-Type: application/json",
    "",
    '{"error":{"code":"0x80040217","message":"gone"}}',
    "--batchresponse_1--",
    "",
  ].join("\r\n");

  test.each([
    {
      name: "parts in order with status, headers and body",
      contentType: "multipart/mixed; boundary=batchresponse_fake",
      text: () => batchResponse([{ status: 204 }, dv(429, "0x80072322", { "Retry-After": "3" })]).text(),
      expected: [
        { status: 204, body: "" },
        { status: 429, body: '{"error":{"code":"0x80072322","message":"refused"}}', retryAfter: "3" },
      ],
    },
    {
      name: "bare LF line ends",
      contentType: "multipart/mixed; boundary=batchresponse_fake",
      text: () => batchResponse([{ status: 201, body: { id: 1 } }], 200, "\n").text(),
      expected: [{ status: 201, body: '{"id":1}' }],
    },
    {
      name: "a change set's answers flattened in place",
      contentType: 'multipart/mixed; boundary="batchresponse_1"',
      text: async () => changeSet,
      expected: [
        { status: 204, body: "" },
        { status: 404, body: '{"error":{"code":"0x80040217","message":"gone"}}' },
      ],
    },
  ])("$name", async ({ contentType, text, expected }) => {
    const parts = decodeBatchResponse(contentType, await text());
    expect(
      parts.map((p) => ({ status: p.status, body: p.body, ...(p.headers["retry-after"] ? { retryAfter: p.headers["retry-after"] } : {}) })),
    ).toEqual(expected);
  });

  test("a body that is not multipart is refused", () => {
    expect(() => decodeBatchResponse("application/json", "{}")).toThrow("boundary");
    expect(() =>
      decodeBatchResponse("multipart/mixed; boundary=b", "--b\r\nContent-Type: application/http\r\n\r\nnot http\r\n--b--"),
    ).toThrow("status line");
  });
});

describe("DataverseClient.batch", () => {
  test("45 operations go as 3 $batch requests of 20, 20 and 5, asking Dataverse to continue on error", async () => {
    const { batches, client } = setup(
      () => batchResponse(ok(20)),
      () => batchResponse(ok(20)),
      () => batchResponse(ok(5)),
    );
    const outcomes = await client.batch(patches(45));
    expect(batches.map((b) => b.parts.length)).toEqual([20, 20, 5]);
    expect(batches[0].url).toBe(`${API}$batch`);
    expect(batches[0].headers).toMatchObject({
      Prefer: "odata.continue-on-error",
      Authorization: "Bearer app-token",
      "Content-Type": expect.stringMatching(/^multipart\/mixed; boundary=batch_/),
    });
    expect(batches[1].parts[0].url).toBe(`${API}${patch(20).path}`);
    expect(outcomes).toHaveLength(45);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  test("the batch size may be raised up to Dataverse's 1,000", async () => {
    const { batches, client } = setup(() => batchResponse(ok(45)));
    await client.batch(patches(45), 5000);
    expect(batches.map((b) => b.parts.length)).toEqual([45]);
  });

  test.each([
    { status: 404, code: "0x80040217", expected: "notFound" },
    { status: 403, code: "0x80040220", expected: "accessDenied" },
    { status: 400, code: "0x800404cf", expected: "inactiveRecord" },
    { status: 412, code: "0x80040237", expected: "duplicate" },
  ])("a part answered $status ($expected) fails alone; the parts after it still succeed", async ({ status, code, expected }) => {
    const { client } = setup(() => batchResponse([{ status: 204 }, dv(status, code), { status: 204 }]));
    const outcomes = await client.batch(patches(3));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ ok: false, error: { name: "DataverseError", code: expected, status, dataverseCode: code } });
    expect(!outcomes[1].ok && outcomes[1].error.message).toContain(`PATCH ${patch(1).path}`);
  });

  test("a throttled batch waits its Retry-After and is sent again whole", async () => {
    const { batches, sleeps, client } = setup(
      () => new Response(JSON.stringify({ error: { code: "0x80072322" } }), { status: 429, headers: { "Retry-After": "2" } }),
      () => batchResponse(ok(3)),
    );
    const outcomes = await client.batch(patches(3));
    expect(sleeps).toEqual([2000]);
    expect(batches.map((b) => b.parts.length)).toEqual([3, 3]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  test("throttled parts are sent again, alone, after the longest Retry-After among them", async () => {
    const { batches, sleeps, client } = setup(
      () =>
        batchResponse([
          { status: 204 },
          dv(429, "0x80072322", { "Retry-After": "1" }),
          { status: 204 },
          dv(429, "0x80072322", { "Retry-After": "4" }),
        ]),
      () => batchResponse(ok(2)),
    );
    const outcomes = await client.batch(patches(4));
    expect(sleeps).toEqual([4000]);
    expect(batches[1].parts.map((p) => p.url)).toEqual([`${API}${patch(1).path}`, `${API}${patch(3).path}`]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  test("parts still throttled after every attempt fail as throttled; the others are done", async () => {
    const throttled = () => batchResponse([dv(429, "0x80072322", { "Retry-After": "1" })]);
    const { client } = setup(
      () => batchResponse([{ status: 204 }, dv(429, "0x80072322")]),
      throttled,
      throttled,
      throttled,
      throttled,
      throttled,
    );
    const outcomes = await client.batch(patches(2));
    expect(outcomes[0].ok).toBe(true);
    expect(outcomes[1]).toMatchObject({ ok: false, error: { code: "throttled", status: 429 } });
  });

  test("parts missing from the answer (the batch stopped early) are sent again", async () => {
    const { batches, client } = setup(
      () => batchResponse([{ status: 204 }]),
      () => batchResponse(ok(2)),
    );
    const outcomes = await client.batch(patches(3));
    expect(batches.map((b) => b.parts.length)).toEqual([3, 2]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  test("a batch refused as a whole fails each of its operations, and the next batch is still sent", async () => {
    const { batches, client } = setup(
      () => new Response(JSON.stringify({ error: { code: "0x80060891", message: "bad batch" } }), { status: 400 }),
      () => batchResponse(ok(1)),
    );
    const outcomes = await client.batch(patches(21));
    expect(batches).toHaveLength(2);
    expect(outcomes.slice(0, 20).every((o) => !o.ok && o.error.code === "badRequest")).toBe(true);
    expect(outcomes[20].ok).toBe(true);
  });

  test("a dropped connection is retried: every operation of the job may be repeated safely", async () => {
    const { sleeps, client } = setup(
      () => {
        throw new TypeError("fetch failed");
      },
      () => batchResponse(ok(2)),
    );
    const outcomes = await client.batch(patches(2));
    expect(sleeps).toHaveLength(1);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });
});

describe("DataverseRetentionRecords.write", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const writes: RetentionWrite[] = [
    { kind: "addNote", target: { table: "cfx_fileexchange", id: X1 }, note: { subject: "s", text: "t" }, options: { onceKey: "k1" } },
    { kind: "addNote", target: { table: "incident", id: CASE }, note: { subject: "s", text: "t" }, options: { onceKey: "k2" } },
    { kind: "notifyUser", userId: USER, notification: { title: "T", body: "B" }, options: { onceKey: "k3" } },
    { kind: "updateExchange", id: X1, changes: { warnedOn: now } },
    { kind: "updateRecipient", id: "not-a-guid", changes: { revokedOn: now } },
    { kind: "updateRecipient", id: CASE, changes: { revokedOn: now, reason: "r" } },
  ];

  test("the job's writes go as one batch, each its own part, with the bodies of the single requests", async () => {
    const { batches, records } = setup(() => batchResponse(ok(5)));
    await records.write(writes);
    // The malformed id never reaches Dataverse.
    expect(batches).toHaveLength(1);
    expect(batches[0].parts.map((p) => `${p.method} ${p.url.replace(API, "")}`)).toEqual([
      "POST annotations",
      "POST annotations",
      "POST appnotifications",
      `PATCH cfx_fileexchanges(${X1})`,
      `PATCH cfx_exchangerecipients(${CASE})`,
    ]);
    expect(batches[0].parts[0].body).toEqual({
      annotationid: onceId("k1"),
      subject: "s",
      notetext: "t",
      "objectid_cfx_fileexchange@odata.bind": `/cfx_fileexchanges(${X1})`,
    });
    expect(batches[0].parts[2].body).toMatchObject({ appnotificationid: onceId("k3"), "ownerid@odata.bind": `/systemusers(${USER})` });
    expect(batches[0].parts[3]).toMatchObject({ headers: { "If-Match": "*" }, body: { cfx_warnedon: "2026-12-01T12:00:00Z" } });
    expect(batches[0].parts[4].body).toEqual({ cfx_revokedon: "2026-12-01T12:00:00Z", cfx_reason: "r" });
  });

  test("a duplicate key is done, a resolved case refusing its note is done-but-refused, other refusals fail alone", async () => {
    const { records } = setup(() =>
      batchResponse([dv(412, "0x80040237"), dv(400, "0x800404cf"), dv(412, "0x80040237"), dv(404, "0x80040217"), { status: 204 }]),
    );
    const outcomes = await records.write(writes);
    expect(outcomes.map((o) => (o.ok ? (o.refused ? "refused" : "ok") : ((o.error as { code?: string }).code ?? "error")))).toEqual([
      "ok",
      "refused",
      "ok",
      "notFound",
      "error",
      "ok",
    ]);
    expect(!outcomes[4].ok && String(outcomes[4].error)).toContain("Not a record id");
  });

  test("an empty list sends nothing", async () => {
    const { batches, records } = setup();
    await expect(records.write([])).resolves.toEqual([]);
    expect(batches).toHaveLength(0);
  });
});
