import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Faults } from "../context";
import type { RequestLog } from "./requestLog";

export const noFaults: Required<Faults> = { latencyMs: 0, throttleRate: 0, dropRate: 0, lostAnswerRate: 0 };

/** Validates `PUT /_sandbox/faults`; `{}` turns every fault off. */
export function parseFaults(body: unknown): Required<Faults> {
  const b = (body ?? {}) as Record<string, unknown>;
  const num = (name: keyof Faults, max: number) => {
    const v = b[name] ?? 0;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) throw new Error(`${name} must be a number from 0 to ${max}.`);
    return v;
  };
  const known = Object.keys(noFaults);
  const unknown = Object.keys(b).filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`Unknown fault "${unknown[0]}". Known: ${known.join(", ")}.`);
  return {
    latencyMs: num("latencyMs", 60_000),
    throttleRate: num("throttleRate", 1),
    dropRate: num("dropRate", 1),
    lostAnswerRate: num("lostAnswerRate", 1),
  };
}

export type ServiceKind = "dataverse" | "graph" | "sharepoint";

export interface FaultHookOptions {
  readonly kind: ServiceKind;
  readonly faults: () => Faults;
  /** Which requests are the API (test controls and the shell never get faults). */
  readonly applies: (req: FastifyRequest) => boolean;
  readonly log: RequestLog;
  readonly origin: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function throttleBody(kind: ServiceKind, status: number): unknown {
  if (kind === "dataverse") {
    return { error: { code: "0x80072322", message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds." } };
  }
  const code = status === 429 ? "tooManyRequests" : "serviceNotAvailable";
  const message = status === 429 ? "Too many requests." : "The service is temporarily unavailable.";
  return {
    error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ""), "request-id": crypto.randomUUID() } },
  };
}

/**
 * Latency, throttling (429/503 with Retry-After, as the real services answer), dropped
 * connections and lost answers, as hooks per origin. Upload fragments on the SharePoint host are
 * dropped mid-body by that route itself (it reads `faults()`), so the drop here leaves PUTs there
 * alone; their answers are lost here like any other.
 */
export function installFaults(instance: FastifyInstance, options: FaultHookOptions): void {
  let throttled = 0;
  instance.addHook("onRequest", async (req, reply) => {
    // Graph and SharePoint never throttle or drop CORS preflights: a browser would see a CORS
    // failure instead of a readable 429.
    if (req.method === "OPTIONS" || !options.applies(req)) return;
    const f = options.faults();
    if (f.latencyMs > 0) await sleep(f.latencyMs);
    if (f.throttleRate > 0 && Math.random() < f.throttleRate) {
      throttled++;
      // Dataverse's service protection answers 429; Graph and SharePoint answer 429 or 503.
      const status = options.kind === "dataverse" || throttled % 2 === 1 ? 429 : 503;
      return reply.code(status).header("retry-after", "1").send(throttleBody(options.kind, status));
    }
    const uploadFragment = options.kind === "sharepoint" && req.method === "PUT";
    if (f.dropRate > 0 && !uploadFragment && Math.random() < f.dropRate) {
      options.log.add({ method: req.method, origin: options.origin, path: req.url, status: 0, ms: 0 });
      req.raw.socket.destroy();
      return reply.hijack();
    }
  });
  // onSend runs once the handler has answered: every write it made is committed (SQLite writes
  // are synchronous, fragment bytes are on disk and the session row updated), and nothing of the
  // answer has been written yet. Cutting the connection here is a response lost on the way back.
  instance.addHook("onSend", async (req, reply, payload) => {
    if (req.method === "OPTIONS" || !options.applies(req)) return payload;
    const rate = options.faults().lostAnswerRate ?? 0;
    if (rate > 0 && Math.random() < rate) {
      options.log.addLostAnswer(req, options.origin, reply.statusCode, reply.elapsedTime);
      req.raw.socket.destroy();
    }
    return payload;
  });
}
