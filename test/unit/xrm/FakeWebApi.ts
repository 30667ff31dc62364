import type { XrmWebApi } from "../../../src/adapters/xrm/XrmCrmGateway";

type Call = { op: string; entity: string; id?: string; options?: string; data?: Record<string, unknown> };

/**
 * A fake Xrm.WebApi with real state: created and updated rows are kept, reads return what a test
 * put there, and anything else fails loudly (xrm-mock's habit).
 */
export class FakeWebApi implements XrmWebApi {
  readonly calls: Call[] = [];
  readonly rows = new Map<string, Map<string, Record<string, unknown>>>();
  /** Canned answers for retrieveRecord/retrieveMultipleRecords, by entity. */
  readonly reads = new Map<string, unknown>();
  /** Make the next call on an entity reject with this. */
  readonly failures = new Map<string, unknown>();
  /** Entities whose next create is carried out and then rejects as a dropped connection does in the browser. */
  readonly loseAnswer = new Set<string>();
  private seq = 0;

  private fail(entity: string): void {
    const f = this.failures.get(entity);
    if (f !== undefined) {
      this.failures.delete(entity);
      throw f;
    }
  }

  createRecord(entity: string, data: Record<string, unknown>) {
    this.calls.push({ op: "create", entity, data });
    this.fail(entity);
    // A primary key in the body is kept, as Dataverse keeps it; a second create with it is refused.
    // Activities (e-mail) are keyed by activityid.
    const given = data[entity === "email" ? "activityid" : `${entity}id`];
    const id = typeof given === "string" ? given : `00000000-0000-4000-8000-${String(++this.seq).padStart(12, "0")}`;
    if (!this.rows.has(entity)) this.rows.set(entity, new Map());
    if (this.rows.get(entity)!.has(id))
      return Promise.reject(
        Object.assign(new Error("Cannot insert duplicate key."), { errorCode: 0x80040237, status: 412 }),
      ) as unknown as Xrm.Async.PromiseLike<Xrm.CreateResponse>;
    this.rows.get(entity)!.set(id, { ...data });
    if (this.loseAnswer.delete(entity))
      return Promise.reject(new TypeError("Failed to fetch")) as unknown as Xrm.Async.PromiseLike<Xrm.CreateResponse>;
    return Promise.resolve({ entityType: entity, id: `{${id.toUpperCase()}}` }) as unknown as Xrm.Async.PromiseLike<Xrm.CreateResponse>;
  }

  updateRecord(entity: string, id: string, data: Record<string, unknown>) {
    this.calls.push({ op: "update", entity, id, data });
    this.fail(entity);
    const table = this.rows.get(entity) ?? new Map();
    this.rows.set(entity, table);
    table.set(id, { ...(table.get(id) ?? {}), ...data });
    return Promise.resolve({ entityType: entity, id }) as unknown as Xrm.Async.PromiseLike<Xrm.UpdateResponse>;
  }

  retrieveRecord<T = unknown>(entity: string, id: string, options?: string): Xrm.Async.PromiseLike<T> {
    this.calls.push({ op: "retrieve", entity, id, options });
    this.fail(entity);
    if (!this.reads.has(entity)) throw new Error(`FakeWebApi: no canned retrieveRecord for ${entity}`);
    return Promise.resolve(this.reads.get(entity)) as unknown as Xrm.Async.PromiseLike<T>;
  }

  retrieveMultipleRecords(entity: string, options?: string) {
    this.calls.push({ op: "retrieveMultiple", entity, options });
    this.fail(entity);
    if (!this.reads.has(entity)) throw new Error(`FakeWebApi: no canned retrieveMultipleRecords for ${entity}`);
    return Promise.resolve({ entities: this.reads.get(entity) }) as unknown as Xrm.Async.PromiseLike<Xrm.RetrieveMultipleResult>;
  }

  deleteRecord(): Xrm.Async.PromiseLike<string> {
    throw new Error("FakeWebApi: deleteRecord is not implemented");
  }
}
