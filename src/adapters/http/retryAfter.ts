/**
 * A `Retry-After` header in milliseconds: seconds, possibly fractional (Graph sends `2.128`), or an
 * HTTP date. Shared by the Graph and Dataverse adapters, which both honour it.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
