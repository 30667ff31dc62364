import type { FastifyInstance, FastifyRequest } from "fastify";

export interface RequestLogEntry {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

const limit = 20_000;

/** Every request any origin served (test controls excepted), with the origin that served it. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > limit) this.entries.splice(0, this.entries.length - limit);
  }

  list(): readonly RequestLogEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }

  /** Logs each response of an origin; `skip` leaves out the test controls themselves. */
  install(instance: FastifyInstance, origin: string, skip: (req: FastifyRequest) => boolean): void {
    instance.addHook("onResponse", async (req, reply) => {
      if (skip(req)) return;
      this.add({ method: req.method, origin, path: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 });
    });
  }
}
