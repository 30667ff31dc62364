import type { TokenProvider } from "../../ports/TokenProvider";
import { ClientRequestId } from "./behaviors/ClientRequestId";
import { GraphBearerToken } from "./behaviors/GraphBearerToken";
import { GraphDefaults } from "./behaviors/GraphDefaults";
import { GraphParse } from "./behaviors/GraphParse";
import { RetryingFetch } from "./behaviors/RetryingFetch";
import { GraphRoot } from "./GraphClient";
import type { FetchLike, RetryOptions } from "./retryPolicy";

export interface CreateGraphOptions {
  /** The Graph endpoint from the settings, e.g. `https://graph.microsoft.com` (we add `/v1.0`). */
  readonly graphEndpoint: string;
  readonly tokens: TokenProvider;
  readonly scopes: readonly string[];
  /** Defaults to the global fetch, bound (a detached `fetch` throws "Illegal invocation" in browsers). */
  readonly fetch?: FetchLike;
  readonly retry?: RetryOptions;
}

/** The Graph v1.0 base URL for an endpoint setting (with or without a version already). */
export function graphBaseUrl(graphEndpoint: string): string {
  const trimmed = graphEndpoint.replace(/\/+$/, "");
  return /\/(v1\.0|beta)$/i.test(trimmed) ? trimmed : `${trimmed}/v1.0`;
}

/**
 * The request pipeline: every Graph call of the product goes through this pnpjs root (what
 * `graphfi().using(...)` builds, plus `at(path)` for exact URLs).
 */
export function createGraph(options: CreateGraphOptions): GraphRoot {
  const base = graphBaseUrl(options.graphEndpoint);
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  return new GraphRoot().using(
    GraphDefaults(base),
    ClientRequestId(),
    GraphBearerToken(options.tokens, options.scopes, base),
    RetryingFetch(fetchFn, options.retry),
    GraphParse(),
  );
}
