import { GraphHttpError, invalidRequest, notFound } from "./errors";

/** What a Graph URL addresses, before looking anything up. */
export type Target =
  | { kind: "batch" }
  | { kind: "site"; site: SiteRef; rest: string[] }
  | { kind: "drive"; driveId: string | "default"; site?: SiteRef; item?: ItemAddress; rest: string[] }
  | { kind: "drives"; site: SiteRef };

export type SiteRef = { by: "root" } | { by: "id"; id: string } | { by: "path"; hostname: string; path: string };

/** An item by id or by root, optionally followed by a path (`items/{id}:/a/b:`). */
export interface ItemAddress {
  readonly base: { by: "root" } | { by: "id"; id: string };
  readonly path: string[];
}

function decodeSegments(path: string): string[] {
  try {
    return path
      .split("/")
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    throw invalidRequest("Invalid path encoding.", "invalidPath");
  }
}

/** Splits `base:/path:/rest` (Graph's path-based addressing) at the first `:/`. */
function splitPathSyntax(s: string): { head: string; path: string[]; tail: string } | undefined {
  const i = s.indexOf(":");
  if (i < 0) return undefined;
  const head = s.slice(0, i);
  let after = s.slice(i + 1);
  if (after === "") return { head, path: [], tail: "" };
  if (!after.startsWith("/")) throw invalidRequest("Invalid path-based address.");
  after = after.slice(1);
  const j = after.indexOf(":");
  if (j < 0) return { head, path: decodeSegments(after), tail: "" };
  return { head, path: decodeSegments(after.slice(0, j)), tail: after.slice(j + 1) };
}

const restOf = (tail: string) => tail.split("/").filter(Boolean);

/** Parses the part of a Graph URL after `/v1.0/` (raw, still percent-encoded, no query). */
export function resolveTarget(raw: string): Target {
  const s = raw.replace(/^\/+/, "").replace(/\/+$/, "");
  if (s === "$batch") return { kind: "batch" };
  if (s.startsWith("sites/")) return resolveSite(s.slice("sites/".length));
  if (s.startsWith("drives/")) {
    const rest = s.slice("drives/".length);
    const slash = rest.indexOf("/");
    const driveId = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
    return driveTail(driveId, undefined, slash < 0 ? "" : rest.slice(slash + 1));
  }
  if (s === "drive" || s.startsWith("drive/")) return driveTail("default", { by: "root" }, s.slice("drive".length + 1));
  throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${s.split("/")[0]}'.`);
}

function resolveSite(s: string): Target {
  // sites/{hostname}:/sites/{path}[:[/rest]] — the hostname may carry a port in the sandbox.
  const m = /^([^/]+?):(\/[^:]*)(?::(.*))?$/.exec(s);
  if (m && !m[1].includes(",")) {
    const site: SiteRef = { by: "path", hostname: decodeURIComponent(m[1]), path: decodeURIComponent(m[2]).replace(/\/+$/, "") };
    return siteTail(site, restOf(m[3] ?? ""), m[3] ?? "");
  }
  const slash = s.indexOf("/");
  const first = decodeURIComponent(slash < 0 ? s : s.slice(0, slash));
  const tail = slash < 0 ? "" : s.slice(slash + 1);
  const site: SiteRef = first === "root" ? { by: "root" } : { by: "id", id: first };
  return siteTail(site, restOf(tail), tail);
}

function siteTail(site: SiteRef, rest: string[], tail: string): Target {
  if (rest[0] === "drive") return driveTail("default", site, tail.replace(/^\/?drive\/?/, ""));
  if (rest[0] === "drives" && rest.length === 1) return { kind: "drives", site };
  if (rest[0] === "drives") {
    const after = tail.replace(/^\/?drives\//, "");
    const slash = after.indexOf("/");
    return driveTail(decodeURIComponent(slash < 0 ? after : after.slice(0, slash)), site, slash < 0 ? "" : after.slice(slash + 1));
  }
  return { kind: "site", site, rest };
}

/** After `drives/{id}/`: nothing, `root…`, `items/{id}…`. */
function driveTail(driveId: string, site: SiteRef | undefined, tail: string): Target {
  if (!tail) return { kind: "drive", driveId, site, rest: [] };
  let base: ItemAddress["base"];
  let after: string;
  if (tail === "root" || tail.startsWith("root/") || tail.startsWith("root:")) {
    base = { by: "root" };
    after = tail.slice(4);
  } else if (tail.startsWith("items/")) {
    const t = tail.slice(6);
    const end = t.search(/[/:]/);
    const id = decodeURIComponent(end < 0 ? t : t.slice(0, end));
    base = id === "root" ? { by: "root" } : { by: "id", id };
    after = end < 0 ? "" : t.slice(end);
  } else {
    return { kind: "drive", driveId, site, rest: restOf(tail) };
  }
  if (after.startsWith(":")) {
    const parsed = splitPathSyntax(after);
    if (!parsed) throw notFound();
    return { kind: "drive", driveId, site, item: { base, path: parsed.path }, rest: restOf(parsed.tail) };
  }
  return { kind: "drive", driveId, site, item: { base, path: [] }, rest: restOf(after) };
}
