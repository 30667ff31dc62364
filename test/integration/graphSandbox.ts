import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { createTokenService } from "../../sandbox/identity/tokens";
import { startSandbox, type TestSandboxOptions } from "./support/sandbox";

/**
 * The full sandbox (`npm start`'s entry, through the shared harness) seen through the small
 * interface the Graph, guest and mail tests use. Guest and app-only tokens, which the contract's
 * `/_sandbox/token` does not issue, are signed here with the sandbox's own key from its data folder.
 */
export async function startGraphTestSandbox(options: TestSandboxOptions = {}): Promise<StandaloneSandbox> {
  const sb = await startSandbox(options);
  const clock = { now: () => new Date(), advanceDays: () => undefined };
  const tokens = await createTokenService({ dataDir: sb.dataDir, origins: sb.origins, clock });
  const control = (method: string, path: string, body?: unknown) =>
    fetch(sb.origins.app + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    app: sb.origins.app,
    graph: sb.origins.graph,
    sharepoint: sb.origins.sharepoint,
    dataDir: sb.dataDir,
    control,
    async token(body) {
      if (body.guest) return tokens.issueGuest(body.guest);
      if (body.app) return tokens.issueApp(body.app);
      return sb.token(body.user as "agent", body.resource ?? "graph");
    },
    stop: () => sb.stop(),
  };
}
