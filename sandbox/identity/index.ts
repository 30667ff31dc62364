import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SandboxContext } from "../context";
import { tenantId, users } from "../seed/people";
import { delegatedGraphScopes, redirectWebResource, retentionJobClientId, retentionJobRoles, spaClientId } from "./clients";
import { graphAudience, identityMountPath, issuerUrl } from "./issuer";
import { loadJobCertificate } from "./jobCertificate";
import { loadSigningKey } from "./signingKey";
import { renderSignInHint } from "./signInHintPage";

import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";

/** The issuer and the scope vocabulary its interaction needs. */
export interface Issuer {
  readonly provider: Provider;
  readonly graphScopes: string;
  readonly dataverseScopes: string;
  isDataverse(scope: string): boolean;
}

/** Scope values a Graph token may carry, in every spelling MSAL may send them (bare, Graph URL, sandbox Graph origin). */
function graphScopeValues(graphOrigin: string): string[] {
  const names = [...delegatedGraphScopes, ".default"];
  return [...delegatedGraphScopes, ...names.map((n) => `${graphAudience}/${n}`), ...names.map((n) => `${graphOrigin}/${n}`)];
}

/** Entra's `scp`: the delegated permission names, without the resource prefix or `.default`. */
function scpOf(scope: string): string {
  const names = new Set<string>();
  for (const s of scope.split(" ")) {
    const name = s.includes("/") ? s.slice(s.lastIndexOf("/") + 1) : s;
    if (name === ".default") delegatedGraphScopes.forEach((d) => names.add(d));
    else if ((delegatedGraphScopes as readonly string[]).includes(name)) names.add(name);
  }
  return [...names].join(" ") || delegatedGraphScopes.join(" ");
}

/** The registered redirect URI, and any `/%7B<version>%7D/` cache-busting form of it. */
export function redirectUriAllowed(appOrigin: string, uri: string): boolean {
  const plain = `${appOrigin}/WebResources/${redirectWebResource}`;
  if (uri === plain) return true;
  const m = /^\/%7B[^/]+%7D\/WebResources\/(.+)$/i.exec(uri.startsWith(appOrigin) ? uri.slice(appOrigin.length) : "");
  return !!m && m[1] === redirectWebResource;
}

/** Builds the OpenID issuer (oidc-provider) for the app origin; exported for tests of its configuration. */
export async function createProvider(ctx: SandboxContext): Promise<Issuer> {
  const { default: ProviderClass } = await import("oidc-provider");
  const signingKey = loadSigningKey(ctx.dataDir);
  const jobCert = await loadJobCertificate(ctx.dataDir);
  const issuer = issuerUrl(ctx.origins);
  const graphScopes = graphScopeValues(ctx.origins.graph).join(" ");
  const dataverseScopes = [`${ctx.origins.app}/user_impersonation`, `${ctx.origins.app}/.default`, `${ctx.origins.app}//.default`].join(
    " ",
  );
  const isDataverse = (scope: string) => scope.split(" ").some((s) => s.startsWith(ctx.origins.app));

  const provider = new ProviderClass(issuer, {
    clients: [
      {
        client_id: spaClientId,
        client_name: "Case File Exchange (panels)",
        application_type: "web",
        token_endpoint_auth_method: "none",
        response_types: ["code"],
        grant_types: ["authorization_code", "refresh_token"],
        redirect_uris: [`${ctx.origins.app}/WebResources/${redirectWebResource}`],
      },
      {
        client_id: retentionJobClientId,
        client_name: "Case File Exchange retention job",
        token_endpoint_auth_method: "private_key_jwt",
        response_types: [],
        redirect_uris: [],
        grant_types: ["client_credentials"],
        jwks: { keys: [{ ...jobCert.publicJwk, use: "sig" }] },
      },
    ],
    jwks: { keys: [signingKey.privateJwk] },
    cookies: { keys: [signingKey.kid, String(signingKey.privateJwk.d).slice(0, 32)] },
    clientBasedCORS: () => true,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // MSAL never sends `resource`: the scopes say which API the token is for, as with Entra.
        defaultResource: async (kctx: KoaContextWithOIDC) => {
          const scope = String(kctx.oidc.params?.scope ?? "");
          return isDataverse(scope) ? ctx.origins.app : graphAudience;
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_kctx: unknown, resource: string) => ({
          scope: resource === ctx.origins.app ? dataverseScopes : graphScopes,
          audience: resource,
          accessTokenFormat: "jwt",
          accessTokenTTL: 3600,
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    claims: { openid: ["sub", "tid", "oid"], profile: ["name", "preferred_username"], email: ["email"] },
    findAccount: async (_kctx: unknown, id: string) => {
      const user = users.find((u) => u.id === id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          oid: user.entraId,
          tid: tenantId,
          name: user.fullName,
          preferred_username: user.upn,
          email: user.upn,
        }),
      };
    },
    extraTokenClaims: async (_kctx: unknown, token: unknown) => {
      const t = token as unknown as { accountId?: string; clientId?: string; scope?: string };
      const base = { tid: tenantId, ver: "2.0", azp: t.clientId, appid: t.clientId };
      if (!t.accountId) {
        return { ...base, oid: t.clientId, idtyp: "app", roles: [...retentionJobRoles] };
      }
      const user = users.find((u) => u.id === t.accountId);
      return {
        ...base,
        oid: user?.entraId ?? t.accountId,
        name: user?.fullName,
        preferred_username: user?.upn,
        upn: user?.upn,
        scp: scpOf(t.scope ?? ""),
        idtyp: "user",
        acct: 0,
      };
    },
    interactions: { url: async (_kctx: unknown, interaction: { uid: string }) => `${identityMountPath}/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      IdToken: 3600,
      RefreshToken: 14 * 86400,
      Session: 14 * 86400,
      Interaction: 600,
      Grant: 14 * 86400,
    },
    enabledJWA: { clientAuthSigningAlgValues: ["RS256", "PS256", "ES256"] },
    renderError: async (kctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      kctx.type = "html";
      kctx.body = `<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1><p>${String(out.error)}: ${String(out.error_description ?? "").replace(/</g, "&lt;")}</p>`;
    },
  });
  // Dynamics' versioned web resource paths are a family of URIs; accept any version of the one registered page.
  const baseAllowed = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function (this: { clientId: string }, value: string) {
    return baseAllowed.call(this, value) || (this.clientId === spaClientId && redirectUriAllowed(ctx.origins.app, value));
  };
  return { provider, graphScopes, dataverseScopes, isDataverse };
}

/** Mounts the issuer at `/identity/<tenant>/v2.0` on the app origin; the settings' authority points there. */
export async function registerIdentity(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const { provider, graphScopes, dataverseScopes, isDataverse } = await createProvider(ctx);
  const callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
  const prefix = identityMountPath;

  const delegate = (request: FastifyRequest, reply: FastifyReply) => {
    const raw = request.raw as IncomingMessage & { originalUrl?: string };
    raw.originalUrl = raw.url;
    raw.url = (raw.url ?? "").slice(prefix.length) || "/";
    reply.hijack();
    callback(raw, reply.raw);
  };

  await app.register(async (scope) => {
    // oidc-provider reads request bodies itself.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));

    scope.get(`${prefix}/interaction/:uid`, async (request, reply) => {
      const user = ctx.appUserFromCookie(request.headers.cookie);
      const details = await provider.interactionDetails(request.raw, reply.raw);
      if (!user) {
        return reply.type("text/html").send(renderSignInHint(`${prefix}/interaction/${details.uid}`));
      }
      // The person signed in to the shell is signed in to "Entra ID" too: finish without a form.
      const params = details.params as Record<string, string | undefined>;
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: user.id, clientId: String(params.client_id) });
      if (!grant) throw new Error("grant vanished");
      const requested = String(params.scope ?? "openid");
      grant.addOIDCScope(
        ["openid", "profile", "email", "offline_access"].filter((s) => requested.split(" ").includes(s)).join(" ") || "openid",
      );
      const resource = isDataverse(requested) ? ctx.origins.app : graphAudience;
      grant.addResourceScope(resource, resource === graphAudience ? graphScopes : dataverseScopes);
      const grantId = await grant.save();
      reply.hijack();
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: user.id, remember: true }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    });

    scope.post(`${prefix}/token`, async (request, reply) => {
      // Entra ID redeems a refresh token for any permission the user or an administrator consented
      // to for the app, not only those of the first sign-in (a panel asking for Teams' permissions
      // later gets them silently). oidc-provider refuses scopes beyond the refresh token's own, so
      // the token is widened to the consented ones it is asked for before the provider reads it.
      const raw = request.raw as IncomingMessage & { body?: string };
      const chunks: Buffer[] = [];
      for await (const chunk of raw as AsyncIterable<Buffer>) chunks.push(chunk);
      raw.body = Buffer.concat(chunks).toString("utf8");
      const params = new URLSearchParams(raw.body);
      const asked = (params.get("scope") ?? "").split(" ").filter(Boolean);
      if (params.get("grant_type") === "refresh_token" && asked.length > 0) {
        const token = await provider.RefreshToken.find(params.get("refresh_token") ?? "").catch(() => undefined);
        const consented = new Set([
          ...graphScopes.split(" "),
          ...dataverseScopes.split(" "),
          "openid",
          "profile",
          "email",
          "offline_access",
        ]);
        const widen = asked.filter((s) => consented.has(s) && !token?.scopes.has(s));
        if (token && token.clientId === params.get("client_id") && widen.length > 0) {
          token.scope = [...token.scopes, ...widen].join(" ");
          await token.save();
        }
      }
      delegate(request, reply);
    });

    scope.all(`${prefix}/*`, async (request, reply) => {
      const url = new URL(request.raw.url ?? "/", ctx.origins.app);
      if (url.pathname === `${prefix}/auth` && ctx.appUserFromCookie(request.headers.cookie)) {
        // A shell user is known: run the (automatic) interaction even for prompt=none, so the token is
        // for the person signed in now (the user switcher may have changed them); consent keeps a
        // refresh token coming (oidc-provider drops offline_access without it).
        url.searchParams.set("prompt", "login consent");
        request.raw.url = url.pathname + url.search;
      }
      delegate(request, reply);
    });
    scope.all(prefix, async (request, reply) => delegate(request, reply));
  });
}
