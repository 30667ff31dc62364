import { headersAndBody, splitMultipart } from "./multipart";
import { randomUUID } from "node:crypto";

/** One operation of a Dataverse `$batch`, addressed relative to the Web API base. */
export interface BatchOperation {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** e.g. `annotations` or `cfx_fileexchanges(<id>)`. */
  readonly path: string;
  /** JSON body, for POST and PATCH. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The answer to one part: status, headers (lower-case names) and body text. */
export interface BatchPartResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const CRLF = "\r\n";

/**
 * Encodes operations as one `$batch` body (OData 4.0 multipart/mixed, as the Dataverse Web API
 * documents it): every operation is its own `application/http` part, outside any change set, so
 * each succeeds or fails on its own and Dataverse answers each in order.
 */
export function encodeBatch(
  base: string,
  operations: readonly BatchOperation[],
  boundary = `batch_${randomUUID()}`,
): { contentType: string; body: string } {
  const lines: string[] = [];
  for (const op of operations) {
    lines.push(`--${boundary}`, "Content-Type: application/http", "Content-Transfer-Encoding: binary", "");
    lines.push(`${op.method} ${base}${op.path.replace(/^\/+/, "")} HTTP/1.1`);
    if (op.body !== undefined) lines.push("Content-Type: application/json; type=entry");
    for (const [name, value] of Object.entries(op.headers ?? {})) lines.push(`${name}: ${value}`);
    lines.push("", op.body === undefined ? "" : JSON.stringify(op.body));
  }
  lines.push(`--${boundary}--`, "");
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

/**
 * Decodes a `$batch` response into the answers of its parts, in order. A change set's answers
 * (a nested multipart part) are flattened in place; the job sends none, but a batch may hold one.
 */
export function decodeBatchResponse(contentType: string, text: string): BatchPartResponse[] {
  const out: BatchPartResponse[] = [];
  for (const part of splitParts(text, boundaryOf(contentType))) {
    const { headers, body } = headersAndBody(part);
    const type = headers["content-type"] ?? "";
    if (/^multipart\/mixed/i.test(type)) out.push(...decodeBatchResponse(type, body));
    else out.push(parseHttpResponse(body));
  }
  return out;
}

function boundaryOf(contentType: string): string {
  const m = /boundary=("?)([^";\s]+)\1/i.exec(contentType);
  if (!m) throw new Error(`No multipart boundary in "${contentType}".`);
  return m[2];
}

function splitParts(text: string, boundary: string): string[] {
  if (!text.includes(`--${boundary}`)) throw new Error("The multipart body has no part.");
  return splitMultipart(text, boundary);
}

function parseHttpResponse(text: string): BatchPartResponse {
  const trimmed = text.replace(/^\s+/, "");
  const lineEnd = trimmed.search(/\r?\n/);
  const statusLine = lineEnd < 0 ? trimmed : trimmed.slice(0, lineEnd);
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine);
  if (!m) throw new Error(`A $batch part has no status line: "${statusLine}".`);
  const { headers, body } = headersAndBody(lineEnd < 0 ? "" : trimmed.slice(lineEnd).replace(/^\r?\n/, ""));
  return { status: Number(m[1]), headers, body: body.replace(/\s+$/, "") };
}
