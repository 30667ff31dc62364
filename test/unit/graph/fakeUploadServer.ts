import { quickXorHash } from "../../../src/adapters/graph/quickXorHash";
import { fakeFetch, json, type RecordedRequest } from "./fakeFetch";

const G = "https://graph.example.test/v1.0/";
const SP = "https://sp.example.test/upload/";

interface FakeSession {
  readonly name: string;
  readonly conflict: string;
  chunks: Uint8Array[];
  received: number;
}

/**
 * Graph's upload rules in memory: ordered fragments of 320 KiB multiples, 202 with
 * nextExpectedRanges, 201 with the item and its quickXorHash, 416 on overlap, GET for status,
 * DELETE to cancel, 409 at commit under `fail`. `dropAfter` and `dropBefore` pick PUTs (by
 * number, from 1) whose connection drops after or before the server took the bytes.
 */
export function fakeUploadServer(
  opts: { existing?: string[]; rewrite?: boolean; dropAfter?: number[]; dropBefore?: number[]; dropStatus?: number[] } = {},
) {
  const sessions = new Map<string, FakeSession>();
  const files = new Map<string, { id: string; bytes: Uint8Array }>(
    (opts.existing ?? []).map((n) => [n, { id: `old-${n}`, bytes: new Uint8Array([1]) }]),
  );
  const puts: Array<{ start: number; end: number; accepted: boolean }> = [];
  let putCount = 0;
  let statusCount = 0;
  let next = 1;

  const itemJson = (name: string) => {
    const f = files.get(name)!;
    const stored = opts.rewrite ? new Uint8Array([...f.bytes, 42]) : f.bytes;
    return {
      id: f.id,
      name,
      size: stored.length,
      webUrl: `https://sp.example.test/${name}`,
      file: { hashes: { quickXorHash: quickXorHash(stored) } },
    };
  };
  const commit = (name: string, conflict: string, bytes: Uint8Array) => {
    if (files.has(name) && conflict === "fail")
      return json(409, { error: { code: "nameAlreadyExists", message: "The specified item name already exists." } });
    files.set(name, { id: `item-${next++}`, bytes });
    return json(201, itemJson(name));
  };

  const route = async (req: RecordedRequest): Promise<Response> => {
    if (req.url.startsWith(G)) {
      if (req.headers["authorization"] !== "Bearer token-1") return json(401, { error: { code: "InvalidAuthenticationToken" } });
      const rel = decodeURIComponent(req.url.slice(G.length));
      let m = /^drives\/d\/items\/folder:\/(.+):\/createUploadSession$/.exec(rel);
      if (m && req.method === "POST") {
        const body = JSON.parse(req.body as string);
        const conflict = body.item["@microsoft.graph.conflictBehavior"];
        const id = String(next++);
        sessions.set(id, { name: m[1], conflict, chunks: [], received: 0 });
        return json(200, { uploadUrl: SP + id, expirationDateTime: "2999-01-01T00:00:00Z", nextExpectedRanges: ["0-"] });
      }
      m = /^drives\/d\/items\/folder:\/(.+):\/content\?@microsoft.graph.conflictBehavior=(\w+)$/.exec(rel);
      if (m && req.method === "PUT") return commit(m[1], m[2], new Uint8Array(req.body as Uint8Array));
      m = /^drives\/d\/items\/folder:\/([^:]+):\?/.exec(rel);
      if (m && req.method === "GET") return files.has(m[1]) ? json(200, itemJson(m[1])) : json(404, { error: { code: "itemNotFound" } });
      throw new Error(`unexpected Graph call ${req.method} ${rel}`);
    }
    if (!req.url.startsWith(SP)) throw new Error(`unexpected ${req.url}`);
    if (req.headers["authorization"]) return json(401, { error: { code: "unauthenticated", message: "No token on upload URLs" } });
    const id = req.url.slice(SP.length);
    const s = sessions.get(id);
    if (!s) return json(404, { error: { code: "itemNotFound", innererror: { code: "uploadSessionNotFound" } } });
    if (req.method === "GET") {
      if (opts.dropStatus?.includes(++statusCount)) throw new TypeError("fetch failed: other side closed");
      return json(200, { nextExpectedRanges: [`${s.received}-`], expirationDateTime: "2999-01-01T00:00:00Z" });
    }
    if (req.method === "DELETE") return (sessions.delete(id), new Response(null, { status: 204 }));
    const [, a, b, total] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers["content-range"])!.map(Number);
    const bytes = req.body as Uint8Array;
    putCount++;
    if (opts.dropBefore?.includes(putCount)) {
      puts.push({ start: a, end: b + 1, accepted: false });
      throw new TypeError("fetch failed: socket hang up");
    }
    if (a !== s.received) {
      puts.push({ start: a, end: b + 1, accepted: false });
      return json(416, {
        error: { code: "invalidRange", innererror: { code: a < s.received ? "fragmentOverlap" : "fragmentOutOfOrder" } },
      });
    }
    if (bytes.length !== b - a + 1) return json(400, { error: { code: "invalidRequest", innererror: { code: "fragmentLengthMismatch" } } });
    if (b + 1 < total && bytes.length % (320 * 1024) !== 0)
      return json(400, { error: { code: "invalidRequest", message: "not a multiple of 320 KiB" } });
    s.chunks.push(new Uint8Array(bytes));
    s.received = b + 1;
    puts.push({ start: a, end: b + 1, accepted: true });
    let res: Response;
    if (s.received === total) {
      sessions.delete(id);
      const all = new Uint8Array(total);
      let o = 0;
      for (const c of s.chunks) all.set(c, (o += c.length) - c.length);
      res = commit(s.name, s.conflict, all);
    } else res = json(202, { nextExpectedRanges: [`${s.received}-`], expirationDateTime: "2999-01-01T00:00:00Z" });
    if (opts.dropAfter?.includes(putCount)) throw new TypeError("fetch failed: connection reset");
    return res;
  };
  const fetch = fakeFetch(route);
  return { fetch, sessions, files, puts };
}
