import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { startSandbox, type TestSandbox } from "./support/sandbox";

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startSandbox();
}, 30_000);
afterAll(async () => {
  await sb.stop();
}, 30_000);

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("the sandbox's fixed contract", () => {
  test("healthz answers 200 and endpoints name the three origins", async () => {
    expect((await fetch(`${sb.origins.app}/healthz`)).status).toBe(200);
    const ep = await (await fetch(`${sb.origins.app}/_sandbox/endpoints`)).json();
    expect(ep).toMatchObject({ app: sb.origins.app, dataverse: `${sb.origins.app}/api/data/v9.2/`, graph: `${sb.origins.graph}/v1.0/` });
  });

  test("a token is refused for an unknown user or resource", async () => {
    expect((await fetch(`${sb.origins.app}/_sandbox/token`, json({ user: "nobody", resource: "graph" }))).status).toBe(400);
    expect((await fetch(`${sb.origins.app}/_sandbox/token`, json({ user: "agent", resource: "sharepoint" }))).status).toBe(400);
  });

  test("the request log records each API request with its origin, and can be cleared", async () => {
    await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });
    await sb.fetchAs("agent", `${sb.dataverse}incidents?$top=1&$select=title`);
    const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as {
      method: string;
      origin: string;
      path: string;
      status: number;
      ms: number;
    }[];
    expect(log).toEqual([
      { method: "GET", origin: sb.origins.app, path: "/api/data/v9.2/incidents?$top=1&$select=title", status: 200, ms: expect.any(Number) },
    ]);
  });

  test("faults throttle the Dataverse API with 429 and Retry-After, and {} turns them off", async () => {
    const put = (body: unknown) =>
      fetch(`${sb.origins.app}/_sandbox/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await put({ throttleRate: 2 })).status).toBe(400);
    await put({ throttleRate: 1 });
    const r = await sb.fetchAs("agent", `${sb.dataverse}incidents?$top=1`);
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("1");
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("0x80072322");
    // The test controls themselves are never throttled.
    expect((await fetch(`${sb.origins.app}/_sandbox/clock`)).status).toBe(200);
    await put({});
    expect((await sb.fetchAs("agent", `${sb.dataverse}incidents?$top=1`)).status).toBe(200);
  });

  test("faults apply to Graph and the SharePoint host too, with 429 or 503 and Retry-After", async () => {
    const put = (body: unknown) =>
      fetch(`${sb.origins.app}/_sandbox/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await put({ throttleRate: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await sb.fetchAs("agent", `${sb.graph}sites/root`);
      statuses.push(r.status);
      expect(r.headers.get("retry-after")).toBe("1");
      expect(((await r.json()) as { error: { code: string } }).error.code).toMatch(/tooManyRequests|serviceNotAvailable/);
    }
    expect(statuses.sort()).toEqual([429, 503]);
    expect([429, 503]).toContain((await fetch(`${sb.origins.sharepoint}/sites/CustomerFiles`)).status);
    await put({});
    expect((await sb.fetchAs("agent", `${sb.graph}sites/root`)).status).toBe(200);
    const log = (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as { origin: string }[];
    expect(new Set(log.map((e) => e.origin))).toEqual(new Set([sb.origins.app, sb.origins.graph, sb.origins.sharepoint]));
  });

  test("faults add latency and drop connections", async () => {
    const put = (body: unknown) =>
      fetch(`${sb.origins.app}/_sandbox/faults`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await put({ latencyMs: 300 });
    const t = Date.now();
    await sb.fetchAs("agent", `${sb.dataverse}incidents?$top=1`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    await put({ dropRate: 1 });
    await expect(sb.fetchAs("agent", `${sb.dataverse}incidents?$top=1`)).rejects.toThrow();
    await put({});
  });

  test("the clock moves by days and reports now", async () => {
    const before = Date.parse(((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
    const r = await fetch(`${sb.origins.app}/_sandbox/clock`, json({ advanceDays: 2, sweep: false }));
    expect(r.status).toBe(200);
    const after = Date.parse(((await r.json()) as { now: string }).now);
    expect(after - before).toBeGreaterThanOrEqual(2 * 86400_000);
    expect((await fetch(`${sb.origins.app}/_sandbox/clock`, json({ advanceDays: "x" }))).status).toBe(400);
  });

  test("signin sets a cookie for the shell and refuses to redirect off the site", async () => {
    const r = await fetch(`${sb.origins.app}/_sandbox/signin?user=specialist&returnTo=${encodeURIComponent("//evil.example/")}`, {
      redirect: "manual",
    });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("/main.aspx");
    expect(r.headers.get("set-cookie")).toMatch(/^cfx_sandbox_user=specialist;/);
    const whoAmI = await fetch(`${sb.dataverse}WhoAmI()`, { headers: { cookie: "cfx_sandbox_user=specialist" } });
    expect(((await whoAmI.json()) as { UserId: string }).UserId).toBe("5e1a0002-0000-4000-8000-0000000000a2");
  });

  test("tenant policy switches are validated and reset restores the seed", async () => {
    const put = (body: unknown) =>
      fetch(`${sb.origins.app}/_sandbox/policy`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await put({ externalSharing: "no" })).status).toBe(400);
    expect(await (await put({ externalSharing: false, blockedDomains: ["Fabrikam.example"] })).json()).toEqual({
      externalSharing: false,
      blockedDomains: ["fabrikam.example"],
      mailboxApproved: true,
      teamsChat: true,
    });
    expect((await put({ teamsChat: "off" })).status).toBe(400);
    expect(await (await put({ teamsChat: false })).json()).toMatchObject({ teamsChat: false });
    const created = await sb.fetchAs("admin", `${sb.dataverse}accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Temporary" }),
    });
    expect(created.status).toBe(204);
    expect((await fetch(`${sb.origins.app}/_sandbox/reset`, { method: "POST" })).status).toBe(200);
    const accounts = (await (await sb.fetchAs("admin", `${sb.dataverse}accounts?$select=name`)).json()) as { value: { name: string }[] };
    expect(accounts.value.map((a) => a.name)).not.toContain("Temporary");
    expect(await (await fetch(`${sb.origins.app}/_sandbox/policy`)).json()).toMatchObject({
      externalSharing: true,
      blockedDomains: [],
      teamsChat: true,
    });
  });

  test("web resources are served under /WebResources/ and the versioned path, and only registered names", async () => {
    const a = await fetch(`${sb.origins.app}/WebResources/cfx_/js/forms.js`);
    const b = await fetch(`${sb.origins.app}/%7B638712345678%7D/WebResources/cfx_/js/forms.js`);
    expect([a.status, b.status]).toEqual([a.status, a.status]);
    if (a.status === 200) expect(a.headers.get("content-type")).toMatch(/javascript/);
    expect((await fetch(`${sb.origins.app}/WebResources/cfx_/js/forms.js.map`)).status).toBe(404);
    expect((await fetch(`${sb.origins.app}/WebResources/..%2Fpackage.json`)).status).toBe(404);
  });
});

type LogEntry = { method: string; origin: string; path: string; status: number; ms: number; lostAnswer?: true };

const putFaults = (body: unknown) =>
  fetch(`${sb.origins.app}/_sandbox/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const requestLog = async () => (await (await fetch(`${sb.origins.app}/_sandbox/requests`)).json()) as LogEntry[];
/** The error a client sees when the connection is cut before any status: fetch rejects, with no Response. */
const cutBeforeAnswer = (p: Promise<Response>) => expect(p).rejects.toThrow(/fetch failed|other side closed|socket|ECONNRESET/i);
const fragmentBytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

describe("lost answers (lostAnswerRate): the request is handled, then the connection is cut", () => {
  afterEach(async () => {
    await putFaults({});
  });

  test("the faults control takes lostAnswerRate, shows it, refuses a rate above 1 or an unknown name, and {} turns it off", async () => {
    expect((await putFaults({ lostAnswerRate: 1.5 })).status).toBe(400);
    expect((await putFaults({ lostAnswerRates: 1 })).status).toBe(400);
    expect(await (await putFaults({ lostAnswerRate: 0.5 })).json()).toEqual({
      latencyMs: 0,
      throttleRate: 0,
      dropRate: 0,
      lostAnswerRate: 0.5,
    });
    expect(await (await fetch(`${sb.origins.app}/_sandbox/faults`)).json()).toMatchObject({ lostAnswerRate: 0.5 });
    expect(await (await putFaults({})).json()).toEqual({ latencyMs: 0, throttleRate: 0, dropRate: 0, lostAnswerRate: 0 });
  });

  test("a Dataverse create loses its answer, the row is there afterwards, and the log marks the request", async () => {
    await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });
    await putFaults({ lostAnswerRate: 1 });
    await cutBeforeAnswer(
      sb.fetchAs("admin", `${sb.dataverse}accounts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Lost Answer Ltd." }),
      }),
    );
    await putFaults({});
    const filter = encodeURIComponent("name eq 'Lost Answer Ltd.'");
    const found = (await (await sb.fetchAs("admin", `${sb.dataverse}accounts?$filter=${filter}&$select=name`)).json()) as {
      value: unknown[];
    };
    expect(found.value).toHaveLength(1);
    expect((await requestLog())[0]).toEqual({
      method: "POST",
      origin: sb.origins.app,
      path: "/api/data/v9.2/accounts",
      status: 204,
      ms: expect.any(Number),
      lostAnswer: true,
    });
  });

  test("a Dataverse $batch loses its answer as a whole, after every part was written", async () => {
    await putFaults({ lostAnswerRate: 1 });
    const boundary = "batch_lost";
    const part = (name: string) =>
      [
        `--${boundary}`,
        "Content-Type: application/http",
        "Content-Transfer-Encoding: binary",
        "",
        `POST ${sb.dataverse}accounts HTTP/1.1`,
        "Content-Type: application/json",
        "",
        JSON.stringify({ name }),
      ].join("\r\n");
    await cutBeforeAnswer(
      sb.fetchAs("admin", `${sb.dataverse}$batch`, {
        method: "POST",
        headers: { "content-type": `multipart/mixed; boundary=${boundary}` },
        body: [part("Lost Batch One"), part("Lost Batch Two"), `--${boundary}--`, ""].join("\r\n"),
      }),
    );
    await putFaults({});
    const filter = encodeURIComponent("startswith(name,'Lost Batch')");
    const found = (await (await sb.fetchAs("admin", `${sb.dataverse}accounts?$filter=${filter}&$select=name`)).json()) as {
      value: { name: string }[];
    };
    expect(found.value.map((a) => a.name).sort()).toEqual(["Lost Batch One", "Lost Batch Two"]);
  });

  test("a Graph folder create loses its answer and the folder is there afterwards", async () => {
    const drive = (await (await sb.fetchAs("agent", `${sb.graph}sites/root/drive`)).json()) as { id: string };
    const parent = `${sb.graph}drives/${drive.id}/root:/${encodeURIComponent("Customer Data Migration")}:`;
    await putFaults({ lostAnswerRate: 1 });
    await cutBeforeAnswer(
      sb.fetchAs("agent", `${parent}/children`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "CAS-07777-LOSTAN", folder: {}, "@microsoft.graph.conflictBehavior": "fail" }),
      }),
    );
    await putFaults({});
    const folder = await sb.fetchAs(
      "agent",
      `${sb.graph}drives/${drive.id}/root:/${encodeURIComponent("Customer Data Migration")}/CAS-07777-LOSTAN`,
    );
    expect(folder.status).toBe(200);
    expect(((await folder.json()) as { folder?: unknown }).folder).toBeDefined();
  });

  test("an upload fragment loses its answer after it was stored: the next fragment is expected after it", async () => {
    const drive = (await (await sb.fetchAs("agent", `${sb.graph}sites/root/drive`)).json()) as { id: string };
    const session = (await (
      await sb.fetchAs("agent", `${sb.graph}drives/${drive.id}/root:/lost-answer.bin:/createUploadSession`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as { uploadUrl: string };
    const size = 327_680;
    const fragment = (start: number) =>
      fetch(session.uploadUrl, {
        method: "PUT",
        headers: { "content-range": `bytes ${start}-${start + size - 1}/${size * 2}` },
        body: fragmentBytes(size),
      });
    await fetch(`${sb.origins.app}/_sandbox/requests`, { method: "DELETE" });
    await putFaults({ lostAnswerRate: 1 });
    await cutBeforeAnswer(fragment(0));
    await putFaults({});
    expect(((await (await fetch(session.uploadUrl)).json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual([`${size}-`]);
    // Sending the same fragment again is refused as overlapping: it was stored the first time.
    expect((await fragment(0)).status).toBe(416);
    const last = await fragment(size);
    expect(last.status).toBe(201);
    expect(((await last.json()) as { size: number }).size).toBe(size * 2);
    expect((await requestLog()).filter((e) => e.lostAnswer)).toEqual([
      expect.objectContaining({ method: "PUT", origin: sb.origins.sharepoint, status: 202, lostAnswer: true }),
    ]);
  });

  test("test controls, the shell and CORS preflights never lose their answers", async () => {
    await putFaults({ lostAnswerRate: 1 });
    expect((await fetch(`${sb.origins.app}/healthz`)).status).toBe(200);
    expect((await fetch(`${sb.origins.app}/_sandbox/clock`)).status).toBe(200);
    const signin = await fetch(`${sb.origins.app}/_sandbox/signin?user=agent`, { redirect: "manual" });
    const cookie = (signin.headers.get("set-cookie") ?? "").split(";")[0];
    expect((await fetch(`${sb.origins.app}/main.aspx?pagetype=entitylist&etn=incident`, { headers: { cookie } })).status).toBe(200);
    const preflight = await fetch(`${sb.graph}sites/root`, {
      method: "OPTIONS",
      headers: { origin: sb.origins.app, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(preflight.status).toBeLessThan(300);
    await cutBeforeAnswer(sb.fetchAs("agent", `${sb.graph}sites/root`));
  });
});

describe("restart (POST /_sandbox/restart)", () => {
  test("answers 200 once the servers are back: data, tokens and the clock survive, and an upload in flight is cut", async () => {
    const created = await sb.fetchAs("admin", `${sb.dataverse}accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Written Before The Restart" }),
    });
    expect(created.status).toBe(204);
    await fetch(`${sb.origins.app}/_sandbox/clock`, json({ advanceDays: 3, sweep: false }));
    const clockBefore = Date.parse(((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
    // Issued before the restart; the support caches it, so the requests after it reuse this token.
    const token = await sb.token("admin", "dataverse");
    const drive = (await (await sb.fetchAs("agent", `${sb.graph}sites/root/drive`)).json()) as { id: string };
    const session = (await (
      await sb.fetchAs("agent", `${sb.graph}drives/${drive.id}/root:/in-flight.bin:/createUploadSession`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as { uploadUrl: string };

    // A fragment whose body stalls half-way, so it is still being received when the restart comes.
    const size = 327_680;
    let sent!: () => void;
    const halfSent = new Promise<void>((r) => (sent = r));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(fragmentBytes(size / 2));
        sent();
      },
    });
    const upload = fetch(session.uploadUrl, {
      method: "PUT",
      headers: { "content-range": `bytes 0-${size - 1}/${size * 2}` },
      body,
      duplex: "half",
    } as RequestInit);
    upload.catch(() => undefined);
    await halfSent;
    await new Promise((r) => setTimeout(r, 300));

    const restarted = await fetch(`${sb.origins.app}/_sandbox/restart`, { method: "POST" });
    expect(restarted.status).toBe(200);
    expect(await restarted.json()).toMatchObject({ restarted: true });
    await expect(upload).rejects.toThrow();

    expect((await fetch(`${sb.origins.app}/healthz`)).status).toBe(200);
    const filter = encodeURIComponent("name eq 'Written Before The Restart'");
    const found = await fetch(`${sb.dataverse}accounts?$filter=${filter}&$select=name`, { headers: { authorization: `Bearer ${token}` } });
    expect(found.status).toBe(200);
    expect(((await found.json()) as { value: unknown[] }).value).toHaveLength(1);
    expect((await sb.fetchAs("agent", `${sb.graph}sites/root`)).status).toBe(200);
    const clockAfter = Date.parse(((await (await fetch(`${sb.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
    expect(clockAfter).toBeGreaterThanOrEqual(clockBefore);
    // The new servers registered the retention job again: the clock control still runs it.
    expect(await (await fetch(`${sb.origins.app}/_sandbox/clock`, json({ advanceDays: 0 }))).json()).toMatchObject({ swept: true });
    // The cut fragment was not stored; the session itself survived and takes it again.
    expect(((await (await fetch(session.uploadUrl)).json()) as { nextExpectedRanges: string[] }).nextExpectedRanges).toEqual(["0-"]);
    const again = await fetch(session.uploadUrl, {
      method: "PUT",
      headers: { "content-range": `bytes 0-${size - 1}/${size * 2}` },
      body: fragmentBytes(size),
    });
    expect(again.status).toBe(202);
  }, 30_000);
});

const checker = resolve(__dirname, "../../../shared/tools/check-sandbox-contract.mjs");
if (!existsSync(checker)) console.log(`The contract checker is skipped: ${checker} is absent.`);
describe("the shared contract checker", () => {
  // After every test that uses this sandbox's state: the checker ends with POST /_sandbox/reset.
  (existsSync(checker) ? test : test.skip)(
    "check-sandbox-contract.mjs passes against this sandbox",
    async () => {
      const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
        execFile(process.execPath, [checker, sb.origins.app], { timeout: 60_000 }, (error, stdout, stderr) =>
          done({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
        );
      });
      expect({ code, failed: output.split("\n").filter((l) => l.startsWith("FAIL")) }).toEqual({ code: 0, failed: [] });
      expect(output).toMatch(/\d+ passed, 0 failed/);
    },
    60_000,
  );
});

describe("persistence", () => {
  test("state survives a restart", async () => {
    const first = await startSandbox();
    const body = JSON.stringify({ name: "Survives Restarts Ltd." });
    const r = await first.fetchAs("admin", `${first.dataverse}accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(r.status).toBe(204);
    await fetch(`${first.origins.app}/_sandbox/clock`, json({ advanceDays: 5, sweep: false }));
    const clockBefore = Date.parse(((await (await fetch(`${first.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
    await first.stop({ keepData: true });

    const second = await startSandbox({ dataDir: first.dataDir, port: first.port });
    try {
      const filter = encodeURIComponent("name eq 'Survives Restarts Ltd.'");
      const found = (await (await second.fetchAs("admin", `${second.dataverse}accounts?$filter=${filter}`)).json()) as { value: unknown[] };
      expect(found.value).toHaveLength(1);
      const clockAfter = Date.parse(((await (await fetch(`${second.origins.app}/_sandbox/clock`)).json()) as { now: string }).now);
      expect(clockAfter).toBeGreaterThanOrEqual(clockBefore);
    } finally {
      await second.stop();
      const { rmSync } = await import("node:fs");
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
