import { retryingWebApi } from "../../../src/adapters/xrm/retryingWebApi";
import type { XrmWebApi } from "../../../src/adapters/xrm/XrmCrmGateway";

/** A partial Xrm.WebApi: only the methods a test calls. */
const fake = (methods: Record<string, (...args: unknown[]) => Promise<unknown>>) => methods as unknown as Partial<XrmWebApi>;

const throttled = () =>
  Object.assign(new Error("Number of requests exceeded the limit of 6000 over time window of 300 seconds."), {
    errorCode: 0x80072322,
    status: 429,
  });
const dropped = () => new TypeError("Failed to fetch");

describe("retryingWebApi", () => {
  it("sends a throttled call again after a back-off whose bound doubles each time", async () => {
    const waits: number[] = [];
    let calls = 0;
    const api = retryingWebApi(
      fake({ createRecord: async () => (++calls < 3 ? Promise.reject(throttled()) : { entityType: "annotation", id: "1" }) }),
      { sleep: async (ms) => void waits.push(ms), baseDelayMs: 100, random: () => 1 },
    );
    await expect(api.createRecord!("annotation", {})).resolves.toEqual({ entityType: "annotation", id: "1" });
    expect(waits).toEqual([100, 200]);
  });

  it("gives up after the last attempt with the platform's error", async () => {
    const api = retryingWebApi(fake({ updateRecord: async () => Promise.reject(throttled()) }), {
      sleep: async () => undefined,
      attempts: 3,
    });
    await expect(api.updateRecord!("email", "1", {})).rejects.toMatchObject({ status: 429 });
  });

  it("reads again after a dropped connection, but never writes again", async () => {
    let reads = 0;
    let writes = 0;
    const api = retryingWebApi(
      fake({
        retrieveRecord: async () => (++reads < 2 ? Promise.reject(dropped()) : { ok: true }),
        createRecord: async () => (++writes, Promise.reject(dropped())),
      }),
      { sleep: async () => undefined },
    );
    await expect(api.retrieveRecord!("incident", "1")).resolves.toEqual({ ok: true });
    await expect(api.createRecord!("annotation", {})).rejects.toThrow("Failed to fetch");
    expect(writes).toBe(1);
  });

  it("writes a keyed create again after a dropped connection: a second one would be refused as a duplicate", async () => {
    const rows = new Set<string>();
    let calls = 0;
    const api = retryingWebApi(
      fake({
        createRecord: async (_table, body) => {
          calls++;
          const id = (body as { annotationid: string }).annotationid;
          if (rows.has(id)) return Promise.reject(Object.assign(new Error("Duplicate"), { errorCode: 0x80040237, status: 412 }));
          rows.add(id);
          // Dataverse wrote the row; its answer is lost on the way back.
          if (calls === 1) return Promise.reject(dropped());
          return { entityType: "annotation", id };
        },
      }),
      { sleep: async () => undefined },
    );
    await expect(api.createRecord!("annotation", { annotationid: "n-1" })).rejects.toMatchObject({ errorCode: 0x80040237 });
    expect(calls).toBe(2);
    expect(rows.size).toBe(1);
  });

  it("passes other errors through at once", async () => {
    let calls = 0;
    const api = retryingWebApi(
      fake({ retrieveRecord: async () => (++calls, Promise.reject(Object.assign(new Error("Not found"), { status: 404 }))) }),
    );
    await expect(api.retrieveRecord!("incident", "1")).rejects.toThrow("Not found");
    expect(calls).toBe(1);
  });
});
