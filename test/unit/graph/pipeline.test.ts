import { createGraph } from "../../../src/adapters/graph/createGraph";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { isGraphError } from "../../../src/adapters/graph/GraphError";
import { declareIdempotency } from "../../../src/adapters/graph/retryPolicy";
import { parseRetryAfter } from "../../../src/adapters/http/retryAfter";
import { fakeFetch, json, recordingSleep, staticTokens } from "./fakeFetch";

function client(route: Parameters<typeof fakeFetch>[0], maxAttempts = 4) {
  const fetch = fakeFetch(route);
  const sleep = recordingSleep();
  const graph = createGraph({
    graphEndpoint: "https://graph.example.test/",
    tokens: staticTokens,
    scopes: ["Files.ReadWrite.All"],
    fetch,
    retry: { sleep, maxAttempts },
  });
  return { fetch, sleep, graph: new GraphClient(graph) };
}

describe("the Graph request pipeline", () => {
  it("sends the bearer token, a client-request-id and nothing CORS would have to allow beyond that", async () => {
    const { fetch, graph } = client(() => json(200, { id: "d1" }));
    await expect(graph.get("drives/d1")).resolves.toEqual({ id: "d1" });
    const req = fetch.requests[0];
    expect(req.url).toBe("https://graph.example.test/v1.0/drives/d1");
    expect(req.headers["authorization"]).toBe("Bearer token-1");
    expect(req.headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(req.headers).sort()).toEqual(["accept", "authorization", "client-request-id"]);
  });

  it("uses a new client-request-id for every call", async () => {
    const { fetch, graph } = client(() => json(200, {}));
    await graph.get("a");
    await graph.get("b");
    expect(fetch.requests[0].headers["client-request-id"]).not.toBe(fetch.requests[1].headers["client-request-id"]);
  });

  it("sends JSON bodies with a JSON content type", async () => {
    const { fetch, graph } = client(() => json(201, { id: "f" }));
    await graph.post("drives/d/items/root/children", { name: "x", folder: {} });
    expect(fetch.requests[0].headers["content-type"]).toBe("application/json");
    expect(JSON.parse(fetch.requests[0].body as string)).toEqual({ name: "x", folder: {} });
  });

  it("keeps @odata.nextLink (the whole body), unlike pnpjs's DefaultParse", async () => {
    const { graph } = client(() => json(200, { value: [1], "@odata.nextLink": "https://graph.example.test/v1.0/next" }));
    await expect(graph.get("x")).resolves.toEqual({ value: [1], "@odata.nextLink": "https://graph.example.test/v1.0/next" });
  });

  it("does not send an invitation again after a gateway timeout: it may have been sent", async () => {
    const answers = [json(504, { error: { code: "gatewayTimeout" } }), json(200, { value: [{ id: "p1" }] })];
    const { fetch, graph } = client(() => answers.shift()!);
    const failed = await graph.post("drives/d/items/i/invite", { recipients: [{ email: "a@b.example" }] }).catch((e: unknown) => e);
    expect(isGraphError(failed) && failed.status).toBe(504);
    expect(fetch.requests).toHaveLength(1);
  });

  it("still retries a POST that was refused (429, 503): it did not happen", async () => {
    const answers = [json(429, {}, { "Retry-After": "0" }), json(503, {}, { "Retry-After": "0" }), json(200, { value: [] })];
    const { fetch, graph } = client(() => answers.shift()!);
    await expect(graph.post("drives/d/items/i/invite", {})).resolves.toEqual({ value: [] });
    expect(fetch.requests).toHaveLength(3);
  });

  it("retries 429, 503 and 504, waiting exactly the fractional Retry-After", async () => {
    const answers = [
      json(429, { error: { code: "TooManyRequests" } }, { "Retry-After": "2.128" }),
      json(503, {}, { "Retry-After": "1" }),
      json(504, {}),
      json(200, { ok: true }),
    ];
    const { fetch, sleep, graph } = client(() => answers.shift()!);
    await expect(graph.get("x")).resolves.toEqual({ ok: true });
    expect(fetch.requests).toHaveLength(4);
    expect(sleep.waits.slice(0, 2)).toEqual([2128, 1000]);
    expect(sleep.waits[2]).toBeGreaterThan(0);
  });

  it("stops after the bounded number of attempts with a GraphError for the throttling", async () => {
    const { fetch, graph } = client(
      () => json(429, { error: { code: "TooManyRequests", message: "Slow down" } }, { "Retry-After": "0.01" }),
      3,
    );
    const p = graph.get("x");
    await expect(p).rejects.toMatchObject({ name: "GraphError", code: "TooManyRequests", status: 429, retryAfterMs: 10 });
    expect(fetch.requests).toHaveLength(3);
  });

  it("turns a Graph error body into one GraphError with code, inner code and request id", async () => {
    const body = {
      error: {
        code: "invalidRequest",
        message: "Some users cannot be invited securely",
        innerError: { code: "secureSharingInvalidRequest", "request-id": "r-1" },
      },
    };
    const { graph } = client(() => json(400, body));
    const err = await graph.post("x", {}).catch((e: unknown) => e);
    expect(isGraphError(err)).toBe(true);
    expect(err).toMatchObject({ code: "invalidRequest", status: 400, innerCode: "secureSharingInvalidRequest", requestId: "r-1" });
  });

  it("retries a dropped connection for a GET but not for a POST", async () => {
    let calls = 0;
    const { graph } = client(() => {
      calls++;
      if (calls === 1) throw new TypeError("fetch failed");
      return json(200, { ok: true });
    });
    await expect(graph.get("x")).resolves.toEqual({ ok: true });
    calls = 0;
    await expect(graph.post("x", {})).rejects.toMatchObject({ name: "GraphError", code: "networkError", status: 0 });
  });

  it("sends a POST its caller declared safe to repeat again after a drop, without the declaration's header", async () => {
    let calls = 0;
    const { fetch, graph } = client(() => {
      if (++calls === 1) throw new TypeError("fetch failed");
      return json(201, { id: "f" });
    });
    const init = declareIdempotency(undefined, "keyed");
    await expect(graph.post("drives/d/root/children", { name: "x", folder: {} }, init)).resolves.toEqual({ id: "f" });
    expect(fetch.requests).toHaveLength(2);
    expect(Object.keys(fetch.requests[1].headers).sort()).toEqual(["accept", "authorization", "client-request-id", "content-type"]);
  });

  it("reports an aborted request as aborted, not as a network failure", async () => {
    const { graph } = client(() => {
      throw new DOMException("The operation was aborted.", "AbortError");
    });
    await expect(graph.get("x")).rejects.toMatchObject({ code: "aborted" });
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["2.128", 2128],
    ["0", 0],
    ["30", 30000],
    ["", undefined],
    ["soon", undefined],
  ])("reads %p as %p ms", (value, expected) => {
    expect(parseRetryAfter(value)).toBe(expected);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
  });
});
