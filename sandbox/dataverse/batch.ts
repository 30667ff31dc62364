import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { headersAndBody, splitMultipart } from "../../src/adapters/dataverse/multipart";
import { badRequest } from "./errors";

/** Header on the requests a `$batch` replays internally. */
export const batchPartHeader = "x-cfx-batch-part";

/** One request inside a `$batch` body. */
interface BatchPart {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly contentId?: string;
}

/** Either a single request or a change set (requests that succeed or fail together). */
type BatchItem =
  { readonly kind: "request"; readonly part: BatchPart } | { readonly kind: "changeset"; readonly parts: readonly BatchPart[] };

function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType ?? "");
  if (!m) throw badRequest("A $batch request needs Content-Type: multipart/mixed; boundary=…");
  return m[2];
}

function parseRequest(partText: string): BatchPart {
  const outer = headersAndBody(partText);
  const http = outer.body;
  const lineEnd = http.search(/\r?\n/);
  const requestLine = (lineEnd < 0 ? http : http.slice(0, lineEnd)).trim();
  const [method, url] = requestLine.split(/\s+/);
  if (!method || !url) throw badRequest(`A $batch part has no request line: "${requestLine}".`);
  const inner = headersAndBody(lineEnd < 0 ? "" : http.slice(lineEnd).replace(/^\r?\n/, ""));
  return {
    method: method.toUpperCase(),
    url,
    headers: inner.headers,
    body: inner.body.replace(/\s+$/, ""),
    contentId: outer.headers["content-id"],
  };
}

/** Parses a Dataverse `$batch` body (multipart/mixed, change sets nested one level). */
export function parseBatch(contentType: string | undefined, body: string): BatchItem[] {
  const items: BatchItem[] = [];
  for (const part of splitMultipart(body, boundaryOf(contentType))) {
    const { headers, body: partBody } = headersAndBody(part);
    if (/^multipart\/mixed/i.test(headers["content-type"] ?? "")) {
      items.push({ kind: "changeset", parts: splitMultipart(partBody, boundaryOf(headers["content-type"])).map(parseRequest) });
    } else {
      items.push({ kind: "request", part: parseRequest(part) });
    }
  }
  return items;
}

interface PartResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly contentId?: string;
}

const statusTexts: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  412: "Precondition Failed",
  429: "Too Many Requests",
};

function renderPart(r: PartResponse): string {
  const lines = [
    "Content-Type: application/http",
    "Content-Transfer-Encoding: binary",
    ...(r.contentId ? [`Content-ID: ${r.contentId}`] : []),
    "",
    `HTTP/1.1 ${r.status} ${statusTexts[r.status] ?? ""}`.trim(),
  ];
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  lines.push("", r.body);
  return lines.join("\r\n");
}

/**
 * Runs a `$batch` by replaying each part through the app itself (same authentication, same
 * routes), as Dataverse does: parts in order, stop at the first failure unless
 * `Prefer: odata.continue-on-error`; a change set runs inside one database transaction and is
 * rolled back as a whole when one of its requests fails; `$<Content-ID>` refers to a record a
 * change set created earlier.
 */
export async function runBatch(
  app: FastifyInstance,
  items: readonly BatchItem[],
  auth: Record<string, string>,
  continueOnError: boolean,
  transaction: { begin(): void; commit(): void; rollback(): void },
): Promise<{ contentType: string; body: string }> {
  const boundary = `batchresponse_${randomUUID()}`;
  const out: string[] = [];
  const send = async (part: BatchPart, ids: Map<string, string>): Promise<PartResponse> => {
    let url = part.url.replace(/^https?:\/\/[^/]+/, "");
    const ref = /^\$(\w+)(.*)$/.exec(url);
    if (ref && ids.has(ref[1])) url = `${ids.get(ref[1])}${ref[2]}`.replace(/^https?:\/\/[^/]+/, "");
    if (!url.startsWith("/")) url = `/api/data/v9.2/${url}`;
    const res = await app.inject({
      method: part.method as "GET",
      url,
      // Marked so the request log and the fault hooks count the $batch once, as Dataverse meters it.
      headers: { ...part.headers, ...auth, [batchPartHeader]: "1" },
      payload: part.body || undefined,
    });
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "odata-version", "odata-entityid", "location", "preference-applied", "retry-after"]) {
      const v = res.headers[name];
      if (v !== undefined) headers[name === "odata-entityid" ? "OData-EntityId" : name] = String(v);
    }
    if (part.contentId && headers["OData-EntityId"]) ids.set(part.contentId, headers["OData-EntityId"]);
    return { status: res.statusCode, statusText: "", headers, body: res.body, contentId: part.contentId };
  };
  for (const item of items) {
    if (item.kind === "request") {
      const r = await send(item.part, new Map());
      out.push(renderPart(r));
      if (r.status >= 400 && !continueOnError) break;
      continue;
    }
    const ids = new Map<string, string>();
    const responses: PartResponse[] = [];
    let failed: PartResponse | undefined;
    transaction.begin();
    for (const part of item.parts) {
      const r = await send(part, ids);
      if (r.status >= 400) {
        failed = r;
        break;
      }
      responses.push(r);
    }
    if (failed) {
      transaction.rollback();
      out.push(renderPart(failed));
      if (!continueOnError) break;
      continue;
    }
    transaction.commit();
    const cs = `changesetresponse_${randomUUID()}`;
    out.push(
      [`Content-Type: multipart/mixed; boundary=${cs}`, "", ...responses.map((r) => `--${cs}\r\n${renderPart(r)}`), `--${cs}--`].join(
        "\r\n",
      ),
    );
  }
  const body = out.map((p) => `--${boundary}\r\n${p}\r\n`).join("") + `--${boundary}--\r\n`;
  return { contentType: `multipart/mixed; boundary=${boundary}`, body };
}
