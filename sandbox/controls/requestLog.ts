import type { FastifyInstance, FastifyRequest } from "fastify";
import type { IncomingMessage } from "node:http";

export interface RequestLogEntry {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
  /** The status sent; 0 for a dropped connection (the request was never handled). */
  readonly status: number;
  readonly ms: number;
  /** Present on a request that was handled with `status` and whose answer the client never got. */
  readonly lostAnswer?: true;
}

const limit = 20_000;

/** Every request any origin served (test controls excepted), with the origin that served it. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  /** Requests already logged as lost answers, so their own response hook adds nothing. */
  private lost = new WeakSet<IncomingMessage>();

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > limit) this.entries.splice(0, this.entries.length - limit);
  }

  /** Logs a request that was handled (answered `status`) and then had its connection cut before the answer. */
  addLostAnswer(req: FastifyRequest, origin: string, status: number, ms: number): void {
    this.lost.add(req.raw);
    this.add({ method: req.method, origin, path: req.url, status, ms: Math.round(ms * 10) / 10, lostAnswer: true });
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
      if (skip(req) || this.lost.has(req.raw)) return;
      this.add({ method: req.method, origin, path: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 });
    });
  }
}
