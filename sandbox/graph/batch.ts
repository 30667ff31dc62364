import { Readable } from "node:stream";
import type { Principal } from "../context";
import { errorBody, GraphHttpError, isGraphHttpError } from "./errors";
import { handleGraph, readJson, type GraphEnv, type GraphResponse } from "./service";

export const maxBatchRequests = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const bad = (message: string) => new GraphHttpError(400, "BadRequest", message);

/** `POST /v1.0/$batch`: up to 20 requests, each answered on its own (status, headers, body), `dependsOn` → 424. */
export async function handleBatch(
  env: GraphEnv,
  body: Readable | undefined,
  principal: Principal,
  throttle: () => number | undefined,
): Promise<GraphResponse> {
  const json = await readJson(body);
  const requests = json?.requests;
  if (!Array.isArray(requests)) throw bad("Invalid batch payload format.");
  if (requests.length === 0) throw bad("Invalid batch payload format: no requests.");
  if (requests.length > maxBatchRequests) throw bad(`The number of batch requests exceeds the limit of ${maxBatchRequests}.`);
  const ids = new Set<string>();
  const subs = requests as SubRequest[];
  for (const r of subs) {
    if (typeof r !== "object" || r === null || typeof r.id !== "string" || !r.id) throw bad("Each request needs an id.");
    if (ids.has(r.id)) throw bad(`Batch request ids must be unique; '${r.id}' is repeated.`);
    ids.add(r.id);
    if (typeof r.method !== "string" || typeof r.url !== "string") throw bad(`Request '${r.id}' needs a method and a url.`);
    if (r.body !== undefined) {
      const ct = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === "content-type")?.[1];
      if (!ct) throw bad(`Request '${r.id}': a body needs a Content-Type header.`);
    }
    for (const d of r.dependsOn ?? [])
      if (!ids.has(d) || d === r.id) throw bad(`Request '${r.id}' depends on unknown or later request '${d}'.`);
  }
  const status = new Map<string, number>();
  const responses: Record<string, unknown>[] = [];
  for (const r of subs) {
    const failedDep = (r.dependsOn ?? []).find((d) => (status.get(d) ?? 500) >= 400);
    let res: { status: number; headers: Record<string, string>; body?: unknown };
    if (failedDep) {
      res = {
        status: 424,
        headers: { "content-type": "application/json" },
        body: errorBody(new GraphHttpError(424, "FailedDependency", `Depends on request '${failedDep}', which failed.`)),
      };
    } else {
      const retryAfter = throttle();
      if (retryAfter !== undefined) {
        const e = new GraphHttpError(429, "TooManyRequests", "Too many requests. Please retry after the number of seconds in Retry-After.");
        res = { status: 429, headers: { "retry-after": String(retryAfter), "content-type": "application/json" }, body: errorBody(e) };
      } else {
        res = await runOne(env, r, principal);
      }
    }
    status.set(r.id, res.status);
    responses.push({ id: r.id, status: res.status, headers: res.headers, ...(res.body !== undefined ? { body: res.body } : {}) });
  }
  return { status: 200, json: { responses } };
}

async function runOne(
  env: GraphEnv,
  r: SubRequest,
  principal: Principal,
): Promise<{ status: number; headers: Record<string, string>; body?: unknown }> {
  const url = new URL(r.url.replace(/^\/?(v1\.0\/)?/, "/"), "https://batch.invalid");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  let body: Readable | undefined;
  if (r.body !== undefined) {
    const isJson = /json/i.test(headers["content-type"] ?? "");
    const bytes = isJson
      ? Buffer.from(typeof r.body === "string" ? r.body : JSON.stringify(r.body))
      : Buffer.from(String(r.body), "base64");
    headers["content-length"] = String(bytes.length);
    body = Readable.from([bytes]);
  }
  try {
    const res = await handleGraph(env, {
      method: r.method,
      path: url.pathname.slice(1),
      query: url.searchParams,
      headers,
      body,
      principal,
    });
    const h: Record<string, string> = { ...(res.headers ?? {}) };
    if (res.json !== undefined) h["content-type"] = "application/json";
    return { status: res.status, headers: h, body: res.json };
  } catch (e) {
    if (isGraphHttpError(e)) return { status: e.status, headers: { ...e.headers, "content-type": "application/json" }, body: errorBody(e) };
    throw e;
  }
}
