import type { Queryable } from "@pnp/queryable";
import { GraphError, graphErrorFromResponse } from "../GraphError";

/**
 * pnpjs's `parse` moment: a failed response becomes one GraphError; a good one is the whole JSON
 * body (pnpjs's DefaultParse unwraps `value` and so loses `@odata.nextLink`), `{}` when empty.
 */
export function GraphParse() {
  return <T extends Queryable>(instance: T): T => {
    instance.on.parse.replace(async function (url: URL, response: Response, result: unknown) {
      if (!response.ok) throw await graphErrorFromResponse(response);
      if (result === undefined) {
        const text = response.status === 204 ? "" : await response.text();
        try {
          result = text.trim() ? JSON.parse(text) : {};
        } catch (e) {
          throw new GraphError("invalidResponse", `Graph answered ${response.status} with a body that is not JSON.`, response.status, {
            cause: e,
            requestId: response.headers.get("request-id") ?? undefined,
          });
        }
      }
      return [url, response, result];
    });
    return instance;
  };
}
