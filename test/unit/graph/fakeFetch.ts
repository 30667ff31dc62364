import type { FetchLike } from "../../../src/adapters/graph/retryPolicy";

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export type Route = (req: RecordedRequest) => Response | Promise<Response>;

/** A fetch that answers from handlers and records every request; unknown requests fail loudly. */
export function fakeFetch(route: Route): FetchLike & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fn = async (url: string, init: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers as HeadersInit).forEach((v, k) => (headers[k] = v));
    // Fragments travel as Blob bodies (GraphUploader): the fakes see their bytes.
    const body = init.body instanceof Blob ? new Uint8Array(await init.body.arrayBuffer()) : init.body;
    const req: RecordedRequest = { url, method: (init.method ?? "GET").toUpperCase(), headers, body };
    requests.push(req);
    return route(req);
  };
  return Object.assign(fn, { requests });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export const staticTokens = { getToken: async () => "token-1" };

/** A sleep that records waits instead of waiting. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = [];
  return Object.assign(async (ms: number) => void waits.push(ms), { waits });
}
