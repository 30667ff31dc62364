import { createReadStream, rmSync, statSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import { QuickXorHash } from "../../src/adapters/graph/quickXorHash";
import type { SandboxContext } from "../context";
import { sharePointCors, installCors } from "../graph/cors";
import { graphEnv } from "../graph/env";
import { GraphHttpError, isGraphHttpError, sendGraphError } from "../graph/errors";
import { checkDownloadToken } from "../graph/library";
import { blobPath, commitFile, itemJson, type GraphEnv } from "../graph/service";
import { sessionLifetimeMs } from "../graph/uploadSessions";
import { BodyLengthError, hashFile, isBodyLengthError, writeBody } from "./blobWriter";

/** 320 KiB: every fragment but the last must be a multiple of it. */
export const fragmentMultiple = 327_680;
/** Each fragment must be smaller than 60 MiB. */
export const maxFragmentBytes = 60 * 1024 * 1024;

const sessionGone = () => new GraphHttpError(404, "itemNotFound", "The upload session was not found.", "uploadSessionNotFound");

/** Parses `Content-Range: bytes a-b/total`. */
function parseContentRange(header: string | undefined): { start: number; end: number; total: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((header ?? "").trim());
  if (!m) return undefined;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return end >= start && end < total ? { start, end, total } : undefined;
}

function sessionIdOf(request: FastifyRequest): string | undefined {
  const guid = (request.query as Record<string, string | undefined>).guid;
  return guid?.replace(/^'|'$/g, "");
}

/** Serves upload-session and download URLs (no bearer token: the URL is the credential), and the sink baseline. */
export async function registerSharePointHost(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const env = graphEnv(ctx);
  installCors(app, sharePointCors);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));

    const guard =
      (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          return await handler(request, reply);
        } catch (e) {
          if (isGraphHttpError(e)) return sendGraphError(reply, e);
          if (isBodyLengthError(e) && e.code === "dropped") return reply;
          if (isBodyLengthError(e))
            return sendGraphError(reply, new GraphHttpError(400, "invalidRequest", e.message, "fragmentLengthMismatch"));
          request.log.error(e);
          return sendGraphError(reply, new GraphHttpError(500, "generalException", "An unspecified error has occurred."));
        }
      };

    const session = (request: FastifyRequest) => {
      // Upload URLs are pre-authenticated; SharePoint answers 401 when a bearer token comes along.
      if (request.headers.authorization) {
        throw new GraphHttpError(401, "unauthenticated", "Upload URLs are pre-authenticated: send no Authorization header to them.");
      }
      const id = sessionIdOf(request);
      const row = id ? env.store.session(id) : undefined;
      if (!row) throw sessionGone();
      if (new Date(row.expires_at).getTime() < ctx.clock.now().getTime()) {
        env.store.deleteSession(row.id);
        rmSync(blobPath(env, row.blob), { force: true });
        throw sessionGone();
      }
      return row;
    };

    scope.get(
      "/sites/*",
      guard(async (request, reply) => {
        const url = request.raw.url ?? "";
        if (url.includes("/_layouts/15/download.aspx")) return download(env, request, reply);
        if (!url.includes("/uploadSession")) throw new GraphHttpError(404, "itemNotFound", "Not found.");
        const row = session(request);
        return reply.send({ expirationDateTime: row.expires_at, nextExpectedRanges: [`${row.received}-`] });
      }),
    );

    scope.delete(
      "/sites/*",
      guard(async (request, reply) => {
        const row = session(request);
        env.store.deleteSession(row.id);
        env.sessionHashes.delete(row.id);
        rmSync(blobPath(env, row.blob), { force: true });
        return reply.code(204).send();
      }),
    );

    scope.put(
      "/sites/*",
      guard(async (request, reply) => {
        if (!(request.raw.url ?? "").includes("/uploadSession")) throw new GraphHttpError(404, "itemNotFound", "Not found.");
        const id = sessionIdOf(request) ?? "";
        const previous = env.sessionLocks.get(id);
        let release!: () => void;
        const mine = new Promise<void>((r) => (release = r));
        env.sessionLocks.set(id, mine);
        try {
          if (previous) await previous;
          return await putFragment(request, reply);
        } finally {
          release();
          if (env.sessionLocks.get(id) === mine) env.sessionLocks.delete(id);
        }
      }),
    );

    const putFragment = async (request: FastifyRequest, reply: FastifyReply) => {
      const row = session(request);
      const range = parseContentRange(request.headers["content-range"]);
      if (!range) throw new GraphHttpError(400, "invalidRequest", "The Content-Range header is missing or malformed.", "invalidRange");
      const length = range.end - range.start + 1;
      const declared = request.headers["content-length"];
      if (declared !== undefined && Number(declared) !== length) {
        throw new GraphHttpError(400, "invalidRequest", "Content-Length does not match Content-Range.", "fragmentLengthMismatch");
      }
      if (row.total !== null && row.total !== range.total) {
        throw new GraphHttpError(
          400,
          "invalidRequest",
          "The total size in Content-Range differs from the session's.",
          "fragmentLengthMismatch",
        );
      }
      if (length >= maxFragmentBytes)
        throw new GraphHttpError(413, "invalidRequest", "Each fragment must be smaller than 60 MiB.", "maxFragmentSizeExceeded");
      if (range.start < row.received) {
        throw new GraphHttpError(416, "invalidRange", "Uploaded fragment overlaps with existing data.", "fragmentOverlap");
      }
      if (range.start > row.received) {
        throw new GraphHttpError(
          416,
          "invalidRange",
          `Fragments must be uploaded in order; expected a fragment starting at ${row.received}.`,
          "fragmentOutOfOrder",
        );
      }
      const last = range.end + 1 === range.total;
      // Stricter than SharePoint, which reportedly fails a misaligned upload only at commit (docs/sandbox-graph.md).
      if (!last && length % fragmentMultiple !== 0) {
        throw new GraphHttpError(
          400,
          "invalidRequest",
          "Fragments other than the last must be a multiple of 320 KiB (327,680 bytes).",
          "invalidRange",
        );
      }
      let hash = env.sessionHashes.get(row.id);
      if (!hash) hash = await hashFile(blobPath(env, row.blob), row.received);
      const { dropRate } = ctx.faults();
      const drop = dropRate > 0 && Math.random() < dropRate;
      try {
        await writeBody(request.body as Readable, {
          file: blobPath(env, row.blob),
          offset: row.received,
          hash,
          expectedLength: length,
          dropAfter: drop ? Math.max(1, Math.floor(length / 2)) : undefined,
          onDrop: () => request.raw.socket.destroy(),
        });
      } catch (e) {
        env.sessionHashes.delete(row.id);
        throw e;
      }
      env.sessionHashes.set(row.id, hash);
      const received = range.end + 1;
      const expires = new Date(ctx.clock.now().getTime() + sessionLifetimeMs).toISOString();
      env.store.updateSession(row.id, { total: range.total, received, expires_at: expires });
      if (!last) return reply.code(202).send({ expirationDateTime: expires, nextExpectedRanges: [`${received}-`] });
      // deferCommit: every byte is in, the file appears only on the explicit commit (POST, Content-Length 0).
      if (row.defer_commit) return reply.code(202).send({ expirationDateTime: expires, nextExpectedRanges: [] });
      return commitSession(env, row.id, reply);
    };

    scope.post(
      "/sites/*",
      guard(async (request, reply) => {
        if (!(request.raw.url ?? "").includes("/uploadSession")) throw new GraphHttpError(404, "itemNotFound", "Not found.");
        const row = session(request);
        if (row.total === null || row.received !== row.total) {
          throw new GraphHttpError(
            400,
            "invalidRequest",
            "The upload is not complete; send the missing ranges first.",
            "uploadSessionIncomplete",
          );
        }
        return commitSession(env, row.id, reply);
      }),
    );
    scope.put(
      "/_sandbox/sink",
      guard(async (request, reply) => {
        const dir = join(ctx.blobDir, "sink");
        mkdirSync(dir, { recursive: true });
        const hash = new QuickXorHash();
        const declared = request.headers["content-length"];
        const { bytes } = await writeBody(request.body as Readable, {
          file: join(dir, "last-upload.bin"),
          offset: 0,
          hash,
          expectedLength: declared !== undefined ? Number(declared) : undefined,
        });
        return reply.code(201).send({ size: bytes, quickXorHash: hash.digest() });
      }),
    );
  });
}

/** Turns a complete session into the file (201 new, 200 replaced), as the last fragment or the deferred commit does. */
async function commitSession(env: GraphEnv, sessionId: string, reply: FastifyReply) {
  const row = env.store.session(sessionId)!;
  const received = row.received;
  const hash = env.sessionHashes.get(row.id) ?? (await hashFile(blobPath(env, row.blob), row.received));
  const parent = env.store.item(row.parent_id);
  if (!parent) {
    env.store.deleteSession(row.id);
    throw new GraphHttpError(404, "itemNotFound", "The folder this upload was going to no longer exists.");
  }
  const result = commitFile(env, row.created_by, { row: parent, chain: env.store.ancestry(parent.id) }, row.name, row.conflict, {
    blob: row.blob,
    size: received,
    quickXorHash: hash.digest(),
  });
  env.store.deleteSession(row.id);
  env.sessionHashes.delete(row.id);
  return reply
    .code(result.status)
    .header("content-type", "application/json")
    .send(JSON.stringify(itemJson(env, result.loc)));
}

async function download(env: GraphEnv, request: FastifyRequest, reply: FastifyReply) {
  const q = request.query as Record<string, string | undefined>;
  const itemId = q.tempauth ? checkDownloadToken(env.secret, q.tempauth, Date.now()) : undefined;
  if (!itemId || itemId !== q.UniqueId) throw new GraphHttpError(401, "unauthenticated", "The download URL is invalid or has expired.");
  const row = env.store.item(itemId);
  if (!row || row.is_folder || !row.blob) throw new GraphHttpError(404, "itemNotFound", "The file no longer exists.");
  // SharePoint refuses to hand out a file its scan flagged: 403 malwareDetected, "Malware detected".
  if (row.malware !== null && row.malware !== undefined) throw new GraphHttpError(403, "malwareDetected", "Malware detected");
  const file = blobPath(env, row.blob);
  const size = statSync(file).size;
  reply
    .header("content-type", row.mime ?? "application/octet-stream")
    .header("accept-ranges", "bytes")
    .header("etag", `"${row.id},${row.version}"`)
    .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`);
  const range = request.headers.range;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    let start = m && m[1] !== "" ? Number(m[1]) : NaN;
    let end = m && m[2] !== "" ? Number(m[2]) : size - 1;
    if (m && m[1] === "" && m[2] !== "") {
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    }
    if (!m || isNaN(start) || start >= size || end < start) {
      return reply.code(416).header("content-range", `bytes */${size}`).send();
    }
    end = Math.min(end, size - 1);
    reply
      .code(206)
      .header("content-range", `bytes ${start}-${end}/${size}`)
      .header("content-length", String(end - start + 1));
    return reply.send(createReadStream(file, { start, end }));
  }
  reply.header("content-length", String(size));
  return reply.send(size === 0 ? "" : createReadStream(file));
}

export { BodyLengthError };
