import { createHash } from "node:crypto";
import type { SandboxContext } from "../context";
import { loadSigningKey } from "../identity/signingKey";
import type { GraphEnv } from "./service";
import { GraphStore } from "./store";

const envs = new WeakMap<SandboxContext, GraphEnv>();

/** The Graph stand-in's state for one sandbox, shared by the Graph origin and the SharePoint host. */
export function graphEnv(ctx: SandboxContext): GraphEnv {
  let env = envs.get(ctx);
  if (!env) {
    const key = loadSigningKey(ctx.dataDir);
    env = {
      ctx,
      store: new GraphStore(ctx.db),
      secret: createHash("sha256")
        .update(`tempauth/${String(key.privateJwk.d)}`)
        .digest(),
      sessionHashes: new Map(),
      sessionLocks: new Map(),
    };
    envs.set(ctx, env);
  }
  return env;
}
