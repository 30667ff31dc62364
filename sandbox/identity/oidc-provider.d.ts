// The few parts of oidc-provider 9 the sandbox uses (the package ships no types; @types/oidc-provider
// lags behind 9.x). Loose on purpose: configuration callbacks receive Koa contexts we only read.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  /** A Koa context with oidc-provider's `oidc` bag, as configuration callbacks see it. */
  export interface KoaContextWithOIDC {
    oidc: { params?: Record<string, unknown> };
    type: string;
    body: unknown;
  }

  export interface InteractionDetails {
    uid: string;
    grantId?: string;
    params: Record<string, unknown>;
    prompt: { name: string; details: Record<string, unknown> };
  }

  export class Grant {
    constructor(init: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  /** An issued refresh token: its space-separated `scope` and the set it makes of it. */
  export class RefreshToken {
    static find(value: string): Promise<RefreshToken | undefined>;
    clientId: string;
    scope?: string;
    readonly scopes: Set<string>;
    save(): Promise<string>;
  }

  export class Client {
    clientId: string;
    redirectUriAllowed(value: string): boolean;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    Grant: typeof Grant;
    RefreshToken: typeof RefreshToken;
    Client: typeof Client;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
}
