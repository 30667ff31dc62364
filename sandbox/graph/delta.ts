import { GraphHttpError, invalidRequest } from "./errors";
import { applySelect, deletedItemJson, deltaItemJson, driveId } from "./library";
import type { GraphEnv, GraphRequest, GraphResponse, Located } from "./service";
import type { ItemRow } from "./store";

/** Items per page when the caller gives no `$top` (SharePoint's default page, as for children). */
export const deltaPageSize = 200;
/** The largest `$top` honoured (SharePoint answered pages of 1,000 when asked). */
const maxPageSize = 1000;
/** SharePoint ends a page after a few deleted items (a known limitation of its delta paging). */
export const deletedPerPage = 7;
/** A token older than this, by the sandbox clock, is answered 410 Gone (see docs/sandbox-graph.md). */
export const tokenLifetimeMs = 30 * 24 * 3600 * 1000;

/**
 * What a delta token holds. `d` starts a round of the changes after sequence `from` (a deltaLink);
 * `n` is a page of a round already started (a nextLink): the changes in (`from`, `upto`], or with
 * `from` -1 a first enumeration of what existed at `upto`, from the cursor `after` on.
 */
interface RoundToken {
  readonly k: "n";
  readonly from: number;
  readonly upto: number;
  readonly after: number;
  readonly issued: number;
  readonly top?: number;
  readonly select?: string;
}
type Token =
  { readonly k: "d"; readonly from: number; readonly issued: number; readonly top?: number; readonly select?: string } | RoundToken;

function encodeToken(t: Token): string {
  const parts = t.k === "d" ? ["d", t.from, "", "", t.issued] : ["n", t.from, t.upto, t.after, t.issued];
  return Buffer.from(`1;${parts.join(";")};${t.top ?? ""};${t.select ?? ""}`).toString("base64url");
}

function decodeToken(raw: string): Token | undefined {
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const [v, k, from, upto, after, issued, top, ...select] = text.split(";");
  const n = (s: string | undefined) => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);
  if (v !== "1" || n(from) === undefined || n(issued) === undefined) return undefined;
  const common = { from: n(from)!, issued: n(issued)!, top: n(top), select: select.join(";") || undefined };
  if (k === "d") return { k, ...common };
  if (k === "n" && n(upto) !== undefined && n(after) !== undefined) return { k, ...common, upto: n(upto)!, after: n(after)! };
  return undefined;
}

/** An ISO 8601 instant given as the token: SharePoint's "changes since this time". */
const timestampToken = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{1,2}:\d{2})$/;

/**
 * `GET …/root/delta` as SharePoint answers it: a first enumeration without a token, `token=latest`
 * for an empty page and a deltaLink, a previous token for what changed since (the changed items and
 * their parents up to the root, each once per round, unless `deltaExcludeParent` is sent), deleted
 * items as `{id, deleted}`, pages of `$top` (default 200) linked by `@odata.nextLink`, the last one
 * with `@odata.deltaLink`. A token from before a reset or older than 30 days (sandbox clock) is
 * 410 Gone `resyncRequired` with a `Location` that starts a fresh enumeration.
 */
export function driveDelta(env: GraphEnv, req: GraphRequest, loc: Located): GraphResponse {
  if (loc.row.parent_id !== null) throw invalidRequest("Delta is only supported on the root of a document library.");
  if (req.query.get("$expand")) throw invalidRequest("$expand is not supported on delta here.");
  const { store } = env;
  const now = env.ctx.clock.now().getTime();
  const topRaw = req.query.get("$top");
  let top: number | undefined;
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1) throw invalidRequest("Invalid $top value.");
  }
  let select = req.query.get("$select") ?? undefined;
  const raw = req.query.get("token");
  const fresh = (): RoundToken => ({ k: "n", from: -1, upto: store.lastChange(), after: 0, issued: now, top, select });
  let token: RoundToken;
  if (raw === null || raw === "") token = fresh();
  else if (raw === "latest") {
    return page(env, [], { k: "d", from: store.lastChange(), issued: now, top, select });
  } else if (timestampToken.test(raw) && !Number.isNaN(Date.parse(raw))) {
    const since = Date.parse(raw);
    const from = store.lastChangeAtOrBefore(new Date(since).toISOString());
    if (now - since > tokenLifetimeMs || from < store.generationStart()) throw resync(env, fresh());
    token = { k: "n", from, upto: store.lastChange(), after: 0, issued: now, top, select };
  } else {
    const decoded = decodeToken(raw);
    if (!decoded) throw invalidRequest("The delta token is not valid.");
    top = top ?? decoded.top;
    select = select ?? decoded.select;
    const oldest = decoded.k === "n" && decoded.from === -1 ? decoded.upto : decoded.from;
    if (now - decoded.issued > tokenLifetimeMs || oldest < store.generationStart()) throw resync(env, { ...fresh(), top, select });
    token =
      decoded.k === "d"
        ? { k: "n", from: decoded.from, upto: store.lastChange(), after: 0, issued: now, top, select }
        : { ...decoded, top, select };
  }
  const size = Math.min(token.top ?? deltaPageSize, maxPageSize);
  const excludeParents = req.headers["deltaexcludeparent"] !== undefined || /\bdeltaExcludeParent\b/i.test(req.headers["prefer"] ?? "");
  const rows = store.deltaPage(
    { from: token.from < 0 ? undefined : token.from, upto: token.upto, after: token.after, excludeParents },
    size + 1,
  );
  const chains = new Map<string, ItemRow[]>();
  const chainOf = (row: ItemRow): ItemRow[] => {
    const known = chains.get(row.id);
    if (known) return known;
    const parent = row.parent_id ? store.item(row.parent_id) : undefined;
    const chain = parent ? [...chainOf(parent), row] : [row];
    chains.set(row.id, chain);
    return chain;
  };
  const value: Record<string, unknown>[] = [];
  let deleted = 0;
  let last = token.after;
  for (const r of rows.slice(0, size)) {
    const row = store.anyItem(r.id);
    if (row && row.deleted_at === null) {
      const json = deltaItemJson(env.ctx.origins, row, chainOf(row), row.is_folder ? store.childCount(row.id) : undefined);
      value.push(applySelect(json, token.select));
    } else {
      value.push(deletedItemJson(r.id));
      deleted++;
    }
    last = r.first;
    if (deleted >= deletedPerPage) break;
  }
  const more = value.length < rows.length;
  const next: Token = more
    ? { ...token, after: last, issued: now }
    : { k: "d", from: token.upto, issued: now, top: token.top, select: token.select };
  return page(env, value, next);
}

function page(env: GraphEnv, value: Record<string, unknown>[], next: Token): GraphResponse {
  const json: Record<string, unknown> = { "@odata.context": `${env.ctx.origins.graph}/v1.0/$metadata#Collection(driveItem)`, value };
  json[next.k === "n" ? "@odata.nextLink" : "@odata.deltaLink"] = linkFor(env, next);
  return { status: 200, json };
}

function linkFor(env: GraphEnv, token: Token): string {
  return `${env.ctx.origins.graph}/v1.0/drives/${driveId}/root/delta?token=${encodeToken(token)}`;
}

function resync(env: GraphEnv, start: Token): GraphHttpError {
  // The body SharePoint sends (onedrive-api-docs#1356); the Location starts the enumeration again.
  return new GraphHttpError(
    410,
    "resyncRequired",
    "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
    undefined,
    { location: linkFor(env, start) },
  );
}
