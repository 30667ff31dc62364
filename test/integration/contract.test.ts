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
    });
    const created = await sb.fetchAs("admin", `${sb.dataverse}accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Temporary" }),
    });
    expect(created.status).toBe(204);
    expect((await fetch(`${sb.origins.app}/_sandbox/reset`, { method: "POST" })).status).toBe(200);
    const accounts = (await (await sb.fetchAs("admin", `${sb.dataverse}accounts?$select=name`)).json()) as { value: { name: string }[] };
    expect(accounts.value.map((a) => a.name)).not.toContain("Temporary");
    expect(await (await fetch(`${sb.origins.app}/_sandbox/policy`)).json()).toMatchObject({ externalSharing: true, blockedDomains: [] });
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
