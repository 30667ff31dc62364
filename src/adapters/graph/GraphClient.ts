import { GraphFI, GraphQueryable, graphDelete, graphGet, graphPost, graphPut, type IGraphQueryable } from "@pnp/graph";

/** graphfi's root, with a way to address an exact URL while keeping the root's behaviours. */
export class GraphRoot extends GraphFI {
  at(path: string): IGraphQueryable {
    return this.create(GraphQueryable, path);
  }
}

/**
 * Exact Graph URLs through the pnpjs pipeline. We address drive items ourselves (each path
 * segment encoded once) because pnpjs's path helpers append `:/name:/` to a `root:/path:` item
 * and produce `…::/name:/` (reference/graph.md §10).
 */
export class GraphClient {
  constructor(private readonly graph: GraphRoot) {}

  /** GET a relative path (`drives/…`) or an absolute URL (`@odata.nextLink`). */
  get<T>(path: string, init?: RequestInit): Promise<T> {
    return graphGet<T>(this.queryable(path), init);
  }

  post<T>(path: string, body?: unknown, init?: RequestInit): Promise<T> {
    return graphPost<T>(this.queryable(path), { ...init, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  put<T>(path: string, body: BodyInit, init?: RequestInit): Promise<T> {
    return graphPut<T>(this.queryable(path), { ...init, body });
  }

  delete(path: string, init?: RequestInit): Promise<void> {
    return graphDelete<void>(this.queryable(path), init);
  }

  private queryable(path: string): IGraphQueryable {
    return this.graph.at(path);
  }
}

/** Encodes a path under a drive's root for `root:/{path}:` addressing, one segment at a time. */
export function encodeDrivePath(path: string): string {
  return path
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => encodeURIComponent(s))
    .join("/");
}
