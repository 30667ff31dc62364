import { randomUUID } from "node:crypto";
import type { FastifyReply } from "fastify";

/** A Graph error answer: HTTP status, top-level `code`, optional inner `code`, as Graph shapes them. */
export class GraphHttpError extends Error {
  override readonly name = "GraphHttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function isGraphHttpError(e: unknown): e is GraphHttpError {
  return e instanceof Error && e.name === "GraphHttpError";
}

/** The JSON body Graph sends with an error: `{"error":{"code","message","innerError":{…}}}`. */
export function errorBody(e: GraphHttpError, now = new Date()): Record<string, unknown> {
  const requestId = randomUUID();
  const innerError: Record<string, unknown> = {
    date: now.toISOString().slice(0, 19),
    "request-id": requestId,
    "client-request-id": requestId,
  };
  if (e.innerCode) innerError.code = e.innerCode;
  return { error: { code: e.code, message: e.message, innerError } };
}

/** Sends a GraphHttpError as Graph would. */
export function sendGraphError(reply: FastifyReply, e: GraphHttpError): FastifyReply {
  return reply
    .code(e.status)
    .headers({ ...e.headers, "content-type": "application/json" })
    .send(errorBody(e));
}

export const notFound = (what = "The resource could not be found.") => new GraphHttpError(404, "itemNotFound", what);
export const accessDenied = (what = "Access denied") => new GraphHttpError(403, "accessDenied", what);
export const invalidRequest = (message: string, innerCode?: string) => new GraphHttpError(400, "invalidRequest", message, innerCode);
