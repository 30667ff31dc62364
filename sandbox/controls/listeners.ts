import { lookup } from "node:dns/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, get, type Server } from "node:https";
import type { Socket } from "node:net";

export interface HttpsListenOptions {
  /** `localhost` binds every address it resolves to (127.0.0.1 and ::1 where both exist), as Fastify's listen does. */
  readonly host: string;
  readonly port: number;
  readonly key: string;
  readonly cert: string;
  /**
   * Retry a port that is still in use for up to two seconds (a restart: the servers it just
   * closed may not have released it yet). Off at a first start, where a port in use is an error.
   */
  readonly retryWhileInUse?: boolean;
}

/** The https servers of one origin, whose connections can be cut all at once. */
export interface Listener {
  /**
   * Stops accepting connections and cuts every open one except `keep` (the connection that asked
   * for a restart, still waiting for its answer). Resolves once the listening sockets are closed.
   */
  stop(keep?: Socket): Promise<void>;
  /** Resolves once every connection, `keep` included, has ended. */
  readonly closed: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function listenOnce(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once("error", onError);
    server.listen({ port, host }, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/**
 * Serves `handler` (a Fastify instance's `routing`) over https, on servers the sandbox owns rather
 * than Fastify's own listen: a restart has to close an origin's listening sockets and its
 * connections while keeping the one connection that waits for the restart's answer, which
 * Fastify's close would cut (or wait for).
 */
export async function listenHttps(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: HttpsListenOptions,
): Promise<Listener> {
  const addresses = [...new Set((await lookup(options.host, { all: true })).map((a) => a.address))];
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const closedEach: Promise<void>[] = [];
  for (const [i, address] of addresses.entries()) {
    const server = createServer({ key: options.key, cert: options.cert }, handler);
    // Fastify's defaults: no limit on a request's duration (a large fragment on a slow link), and
    // keep-alive longer than clients' own idle timeouts.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 72_000;
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    // The port may still be held for a moment by the servers a restart just closed.
    for (let attempt = 0; ; attempt++) {
      try {
        await listenOnce(server, options.port, address);
        break;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "EADDRINUSE" && attempt < 20 && options.retryWhileInUse) {
          await sleep(100);
          continue;
        }
        // Like Fastify, only the first address must bind (::1 may be absent or disabled).
        if (i > 0) break;
        await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
        throw e;
      }
    }
    if (!server.listening) continue;
    servers.push(server);
    closedEach.push(new Promise((resolve) => server.once("close", () => resolve())));
  }
  return {
    closed: Promise.all(closedEach).then(() => undefined),
    async stop(keep) {
      for (const server of servers) server.close();
      for (const socket of sockets) {
        // The TLS socket a request sees shares its TCP connection's remote address and port.
        const kept = keep && socket.remotePort === keep.remotePort && socket.remoteAddress === keep.remoteAddress;
        if (!kept) socket.destroy();
      }
      // close() releases the listening handles on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** GETs `url` (the app origin's `/healthz`), trusting the sandbox's own certificate; resolves with the status, or 0 when nothing answered. */
export function probe(url: string, ca: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}
