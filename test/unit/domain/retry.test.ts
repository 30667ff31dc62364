import {
  type Attempt,
  attemptFromFailure,
  backoffDelay,
  classify,
  decide,
  type Idempotency,
  idempotencyOf,
  idempotencyOfAll,
  RETRY_POLICY,
  retryPolicy,
  type RetryEffects,
  runWithRetry,
} from "../../../src/domain/retry";
import { attemptFromException, attemptFromResponse, fetchWithRetry } from "../../../src/adapters/http/retry";

const answer = (status: number, retryAfterMs?: number, code?: string): Attempt => ({ kind: "answer", status, retryAfterMs, code });
const lost: Attempt = { kind: "noAnswer", sent: true };
const neverSent: Attempt = { kind: "noAnswer", sent: false };

/** What the policy does with one attempt: done, retry after N ms, or give up (and why). */
function outcome(attempt: Attempt, idempotency: Idempotency, n: number, elapsedMs = 0, random = 0.5): string {
  const d = decide({ verdict: classify(attempt, idempotency), idempotency, attempt: n, elapsedMs, policy: RETRY_POLICY, random });
  return d.action === "retry" ? `retry after ${d.waitMs} ms` : d.action === "done" ? "done" : `give up: ${d.reason}`;
}

describe("the retry decision, one row per situation", () => {
  // Defaults: 6 attempts, back-off bound 500 ms × 2^(n−1), longest wait 120 s, deadline 5 min.
  // random 0.5 draws half the bound (full jitter).
  it.each<[string, Attempt, Idempotency, number, number, string]>([
    ["200 to a GET", answer(200), "safe", 1, 0, "done"],
    ["201 to an invitation", answer(201), "once", 1, 0, "done"],
    ["429 with Retry-After 2.128 s, GET", answer(429, 2128), "safe", 1, 0, "retry after 2128 ms"],
    ["429 without Retry-After, first attempt", answer(429), "safe", 1, 0, "retry after 250 ms"],
    ["429 without Retry-After, third attempt", answer(429), "safe", 3, 0, "retry after 1000 ms"],
    ["429 to an invitation: refused, not done", answer(429, 1000), "once", 1, 0, "retry after 1000 ms"],
    ["503 with Retry-After to an invitation (throttled)", answer(503, 3000), "once", 1, 0, "retry after 3000 ms"],
    ["503 without Retry-After to an invitation (not processed)", answer(503), "once", 1, 0, "retry after 250 ms"],
    ["Dataverse 0x80072322 with Retry-After, keyed create", answer(400, 5000, "0x80072322"), "keyed", 1, 0, "retry after 5000 ms"],
    ["Dataverse 0x80072321 (execution time)", answer(429, 1000, "0x80072321"), "safe", 2, 0, "retry after 1000 ms"],
    ["Dataverse 0x80072326 (concurrency)", answer(429, undefined, "0x80072326"), "safe", 2, 0, "retry after 500 ms"],
    ["408 request timeout, keyless POST", answer(408), "once", 1, 0, "retry after 250 ms"],
    ["502 to a GET", answer(502), "safe", 1, 0, "retry after 250 ms"],
    ["502 to an invitation: it may have been sent", answer(502), "once", 1, 0, "give up: notRepeatable"],
    ["500 serviceNotAvailable to a GET", answer(500, undefined, "serviceNotAvailable"), "safe", 1, 0, "retry after 250 ms"],
    ["500 without a transient code", answer(500, undefined, "0x80040216"), "safe", 1, 0, "give up: final"],
    ["504 to a GET", answer(504), "safe", 1, 0, "retry after 250 ms"],
    ["504 to a PATCH with If-Match", answer(504), idempotencyOf("PATCH", { "If-Match": "*" }), 1, 0, "retry after 250 ms"],
    ["504 to an invitation: the gateway may have passed it on", answer(504), "once", 1, 0, "give up: notRepeatable"],
    ["dropped after sending, GET", lost, "safe", 1, 0, "retry after 250 ms"],
    ["dropped after sending, keyed create", lost, "keyed", 2, 0, "retry after 500 ms"],
    ["dropped after sending, invitation", lost, "once", 1, 0, "give up: notRepeatable"],
    ["connection never made, invitation", neverSent, "once", 1, 0, "retry after 250 ms"],
    ["412 duplicate key on a keyed create: written by an earlier attempt", answer(412, undefined, "0x80040237"), "keyed", 2, 0, "done"],
    ["409 nameAlreadyExists on a keyed folder create", answer(409, undefined, "nameAlreadyExists"), "keyed", 2, 0, "done"],
    ["412 precondition failed on a PATCH with If-Match", answer(412), "safe", 1, 0, "give up: final"],
    ["400 validation", answer(400, undefined, "0x80060891"), "safe", 1, 0, "give up: final"],
    ["403 privilege", answer(403, undefined, "0x80040220"), "keyed", 1, 0, "give up: final"],
    ["404 not found", answer(404), "safe", 1, 0, "give up: final"],
    ["cancelled by the caller", { kind: "aborted" }, "safe", 1, 0, "give up: final"],
    ["429 on the last attempt", answer(429, 1000), "safe", 6, 0, "give up: attempts"],
    ["Retry-After longer than the longest wait (300 s)", answer(429, 300_000), "safe", 1, 0, "give up: waitTooLong"],
    ["Retry-After past the overall deadline", answer(429, 60_000), "safe", 2, 250_000, "give up: deadline"],
    ["503 without Retry-After, fifth attempt", answer(503), "safe", 5, 0, "retry after 4000 ms"],
  ])("%s → %s", (_situation, attempt, idempotency, n, elapsedMs, expected) => {
    expect(outcome(attempt, idempotency, n, elapsedMs)).toBe(expected);
  });
});

describe("idempotency", () => {
  it.each<[string, Record<string, string>, boolean, Idempotency]>([
    ["GET", {}, false, "safe"],
    ["HEAD", {}, false, "safe"],
    ["PUT", { "Content-Range": "bytes 0-9/10" }, false, "safe"],
    ["DELETE", {}, false, "safe"],
    ["PATCH", { "If-Match": "*" }, false, "safe"],
    ["POST", { "if-none-match": "*" }, false, "safe"],
    ["POST", {}, true, "keyed"],
    ["POST", {}, false, "once"],
    ["PATCH", {}, false, "once"],
  ])("%s with %p (keyed: %p) is %p", (method, headers, keyed, expected) => {
    expect(idempotencyOf(method, headers, keyed)).toBe(expected);
  });

  it("makes a $batch as safe as its least safe part", () => {
    expect(idempotencyOfAll(["safe", "safe"])).toBe("safe");
    expect(idempotencyOfAll(["safe", "keyed"])).toBe("keyed");
    expect(idempotencyOfAll(["keyed", "once", "safe"])).toBe("once");
  });
});

describe("back-off with full jitter", () => {
  it.each([
    [1, 0.999, 500],
    [1, 0.5, 250],
    [4, 1, 4000],
    [12, 1, 120_000],
    [3, 0, 0],
  ])("attempt %p with jitter %p waits %p ms", (attempt, random, expected) => {
    expect(backoffDelay(RETRY_POLICY, attempt, random)).toBe(expected);
  });
});

describe("failures of a port, as attempts", () => {
  it.each<[string, unknown, Attempt]>([
    ["a DataverseError for throttling", { name: "DataverseError", code: "throttled", status: 429 }, answer(429)],
    ["a dropped connection", { name: "DataverseError", code: "networkError", status: 0 }, lost],
    ["an error with no status", new Error("?"), lost],
    ["a cancellation", new DOMException("x", "AbortError"), { kind: "aborted" }],
    [
      "a duplicate key",
      { name: "DataverseError", code: "duplicate", status: 412, dataverseCode: "0x80040237" },
      answer(412, undefined, "0x80040237"),
    ],
    ["a GraphError", { name: "GraphError", code: "nameAlreadyExists", status: 409 }, answer(409, undefined, "nameAlreadyExists")],
  ])("%s", (_what, failure, expected) => {
    expect(attemptFromFailure(failure)).toEqual(expected);
  });

  it("tells a connection that was never made from one dropped after sending", () => {
    expect(attemptFromException(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }))).toEqual(neverSent);
    expect(attemptFromException(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }))).toEqual(lost);
    expect(attemptFromException(new TypeError("Failed to fetch"))).toEqual(lost);
  });

  it("reads a response's status and Retry-After", () => {
    expect(attemptFromResponse(new Response(null, { status: 503, headers: { "Retry-After": "1.5" } }))).toEqual(answer(503, 1500));
  });
});

/** A clock that moves only when the loop sleeps: no real waiting. */
function fakeEffects(random = 0.5): RetryEffects & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    random: () => random,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe("runWithRetry", () => {
  it("waits as told and returns the first answer that is done", async () => {
    const effects = fakeEffects();
    const answers = [429, 503, 200];
    const result = await runWithRetry(async () => answers.shift()!, {
      idempotency: "safe",
      classify: (o) => ("value" in o ? answer(o.value, o.value === 429 ? 2000 : undefined) : lost),
      effects,
    });
    expect(result).toMatchObject({ value: 200, decision: { action: "done" }, attempts: 3 });
    expect(effects.waits).toEqual([2000, 500]);
  });

  it("gives back what the last attempt threw, with the reason, and never throws it", async () => {
    const effects = fakeEffects();
    let calls = 0;
    const failure = new TypeError("Failed to fetch");
    const result = await runWithRetry(
      async () => {
        calls++;
        throw failure;
      },
      { idempotency: "once", classify: () => lost, effects },
    );
    expect(result).toMatchObject({ error: failure, decision: { action: "giveUp", reason: "notRepeatable" }, attempts: 1 });
    expect(calls).toBe(1);
  });

  it("stops when the next wait would pass the overall deadline, counting the time the attempts took", async () => {
    const effects = fakeEffects(1);
    const policy = retryPolicy({ deadlineMs: 10_000, baseDelayMs: 1000 });
    let calls = 0;
    const result = await runWithRetry(
      async () => {
        calls++;
        await effects.sleep(2000); // each attempt takes 2 s on the fake clock
        return 503;
      },
      { idempotency: "safe", classify: (o) => ("value" in o ? answer(o.value) : lost), effects, policy },
    );
    // 2 s + wait 1 s + 2 s + wait 2 s + 2 s = 9 s; the next wait (4 s) would end at 13 s.
    expect(result).toMatchObject({ decision: { action: "giveUp", reason: "deadline" }, attempts: 3 });
    expect(calls).toBe(3);
  });
});

describe("fetchWithRetry", () => {
  it("releases a throttled answer's body, gives each attempt fresh headers, and returns the last response", async () => {
    const effects = fakeEffects();
    const seen: string[] = [];
    const bodies: Response[] = [];
    let token = 0;
    const fetch = async (_url: string, init: RequestInit) => {
      seen.push((init.headers as Record<string, string>).Authorization);
      const res = new Response("{}", { status: bodies.length < 2 ? 429 : 200, headers: { "Retry-After": "0" } });
      bodies.push(res);
      return res;
    };
    const result = await fetchWithRetry(
      fetch,
      "https://x.example/a",
      { method: "GET" },
      {
        idempotency: "safe",
        effects,
        before: () => ({ headers: { Authorization: `Bearer ${++token}` } }),
      },
    );
    expect("value" in result && result.value.status).toBe(200);
    expect(seen).toEqual(["Bearer 1", "Bearer 2", "Bearer 3"]);
    expect(bodies.slice(0, 2).every((b) => b.bodyUsed)).toBe(true);
    expect(effects.waits).toEqual([0, 0]);
  });
});
