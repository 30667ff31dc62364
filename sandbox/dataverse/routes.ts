import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { resourcePath } from "odata-v4-parser";
import type { SandboxContext } from "../context";
import { applicationUserId, organizationId } from "../seed/people";
import { RowStore } from "../store/rows";
import {
  closeIncident,
  grantAccessAction,
  retrieveEnvironmentVariableValue,
  retrievePrincipalAccess,
  revokeAccessAction,
  sendEmail,
  whoAmI,
} from "./actions";
import { parseBatch, runBatch } from "./batch";
import { selectRows, shapeRow, type QueryScope } from "./engine";
import { DataverseCode, DataverseError, isDataverseError, notFound } from "./errors";
import { allEntities, entityByName, entityBySet, type EntityMeta } from "./metadata";
import { parseQuery, splitQueryString } from "./odata";
import { Security, type Caller } from "./security";
import { calculateRollup, rollupColumnOf, runDueRollupJobs } from "./rollups";
import { annotationFilterOf } from "./serialize";
import { createRecord, deleteRecord, isGuid, updateRecord, type WriteScope } from "./writes";

export const apiPath = "/api/data/v9.2/";
const maxPageSize = 5000;

/** The parsed resource path: an entity set, maybe a key, maybe a bound action; or an unbound function. */
interface Target {
  readonly meta?: EntityMeta;
  readonly id?: string;
  readonly action?: string;
  readonly fn?: string;
  readonly params?: Readonly<Record<string, string>>;
}

interface Token {
  readonly type: string;
  readonly raw: string;
  readonly value: unknown;
}

function resourceNotFound(segment: string): DataverseError {
  return new DataverseError(404, DataverseCode.badSegment, `Resource not found for the segment '${segment}'.`);
}

function findToken(token: unknown, type: string): Token | undefined {
  if (!token || typeof token !== "object") return undefined;
  const t = token as Token;
  if (t.type === type) return t;
  const children = Array.isArray(t) ? t : Object.values(t as object);
  for (const child of children) {
    const found = findToken(child, type);
    if (found) return found;
  }
  return undefined;
}

/** Parses the path after `/api/data/v9.2/` with the OData library (parameter aliases substituted first). */
function parseTarget(path: string, aliases: Readonly<Record<string, string>>): Target {
  const substituted = path.replace(/=@([A-Za-z0-9_]+)/g, (m, alias: string) => (alias in aliases ? `=${aliases[alias]}` : m));
  const name = substituted.split(/[(/]/)[0];
  if (name === "WhoAmI" && (substituted === "WhoAmI" || substituted === "WhoAmI()")) return { fn: "WhoAmI" };
  let parsed: Token;
  try {
    parsed = resourcePath(substituted.replace(/[^A-Za-z0-9\-._~!$'()*,;=:@/ ]/g, (ch) => encodeURIComponent(ch))) as unknown as Token;
  } catch {
    throw resourceNotFound(name);
  }
  if (parsed.raw.length !== substituted.length && decodeURIComponent(parsed.raw) !== substituted) throw resourceNotFound(substituted);
  const meta = entityBySet(name);
  const compound = findToken(parsed, "CompoundKey");
  if (!meta) {
    const params: Record<string, string> = {};
    for (const pair of (compound?.value as Token[] | undefined) ?? []) {
      const v = pair.value as { key: Token; value: Token };
      params[v.key.raw] = decodeURIComponent(v.value.raw.replace(/^'|'$/g, "").replace(/''/g, "'"));
    }
    return { fn: name, params };
  }
  const simple = findToken(parsed, "SimpleKey");
  const id = simple ? simple.raw.slice(1, -1).replace(/^\{|\}$/g, "") : undefined;
  if (compound || (id !== undefined && !isGuid(id)))
    throw new DataverseError(400, DataverseCode.badQuery, `Alternate keys are not supported by the sandbox: ${path}`);
  const bound = findToken(parsed, "BoundOperation");
  const operation = bound ? String((findToken(bound, "Action") ?? findToken(bound, "Function"))?.raw ?? "") : undefined;
  if (bound && !operation) throw resourceNotFound(path);
  return { meta, id: id?.toLowerCase(), action: operation };
}

/**
 * `CalculateRollupField(Target=@t,FieldName=@f)?@t={"@odata.id":"incidents(<id>)"}&@f='<column>'`:
 * calculates one rollup column of one row now, and answers the row with the column, its date and
 * its state. The caller must be able to read the row (which privilege Dataverse checks beyond
 * that is not documented).
 */
function calculateRollupField(
  scope: QueryScope & WriteScope,
  path: string,
  aliases: Readonly<Record<string, string>>,
  now: Date,
): { meta: EntityMeta; row: Record<string, unknown>; column: string } {
  const inner = /^CalculateRollupField\((.*)\)$/s.exec(path)?.[1] ?? "";
  const params = new Map(
    inner.split(/,(?=\s*[A-Za-z]+\s*=)/).map((pair) => {
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=").trim();
      return [name.trim(), value.startsWith("@") ? (aliases[value.slice(1)] ?? "") : value] as const;
    }),
  );
  const target = params.get("Target") ?? "";
  const fieldName = (params.get("FieldName") ?? "").replace(/^'|'$/g, "");
  if (!target || !fieldName) throw new DataverseError(400, DataverseCode.badQuery, "Parameters 'Target' and 'FieldName' are required.");
  let reference: unknown;
  try {
    reference = JSON.parse(target.replace(/'/g, '"'));
  } catch {
    throw new DataverseError(400, DataverseCode.badQuery, `The parameter 'Target' is not an entity reference: ${target}`);
  }
  const odataId = String((reference as Record<string, unknown>)?.["@odata.id"] ?? "");
  const ref = /(?:^|\/)([A-Za-z_]+)\(\{?([0-9A-Fa-f-]{36})\}?\)$/.exec(odataId);
  const meta = ref ? entityBySet(ref[1]) : undefined;
  if (!ref || !meta) throw new DataverseError(400, DataverseCode.badQuery, `The parameter 'Target' is not an entity reference: ${target}`);
  const id = ref[2].toLowerCase();
  const column = rollupColumnOf(meta.table, fieldName);
  if (!column)
    throw new DataverseError(400, DataverseCode.badQuery, `The field ${fieldName} of entity ${meta.name} is not a rollup field.`);
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  scope.security.assertRow(scope.caller, meta, row, "Read");
  calculateRollup(scope.rows, meta.table, column, id, now);
  return { meta, row: scope.rows.get(meta.table, id) ?? row, column: column.logicalName };
}

function preferOf(req: FastifyRequest): string {
  const prefer = req.headers.prefer;
  return Array.isArray(prefer) ? prefer.join(",") : (prefer ?? "");
}

function pageSizeOf(prefer: string): number | undefined {
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  return m ? Math.min(Number(m[1]), maxPageSize) : undefined;
}

/**
 * `POST <set>(<id>)/<many-to-many navigation>/$ref` with `{"@odata.id": "<set>(<id>)"}`: links two
 * rows through the relationship's intersect table (a user to a team, a role to a user), as
 * Dataverse's Associate does. The caller must be able to write the row the link is made from.
 */
function associate(scope: QueryScope & WriteScope, setName: string, id: string, navigation: string, body: unknown): void {
  const meta = entityBySet(setName);
  if (!meta) throw resourceNotFound(setName);
  const nav = meta.manyToManyNavs.get(navigation);
  if (!nav) throw resourceNotFound(navigation);
  const row = scope.rows.get(meta.table, id);
  if (!row) throw notFound(meta.name, id);
  const other = /([A-Za-z_]+)\(\{?([0-9A-Fa-f-]{36})\}?\)$/.exec(
    String((body as { "@odata.id"?: unknown } | undefined)?.["@odata.id"] ?? ""),
  );
  const otherMeta = other ? entityBySet(other[1]) : undefined;
  if (!other || !otherMeta || otherMeta.name !== nav.target) {
    throw new DataverseError(400, DataverseCode.badQuery, `The @odata.id must name a ${nav.target} record for '${navigation}'.`);
  }
  const otherId = other[2].toLowerCase();
  if (!scope.rows.get(otherMeta.table, otherId)) throw notFound(otherMeta.name, otherId);
  scope.security.assertRow(scope.caller, meta, row, "Write");
  const intersect = entityByName(nav.intersect);
  if (!intersect) throw resourceNotFound(navigation);
  const linked = scope.rows.where(intersect.table, nav.ownColumn, id).some((r) => r[nav.otherColumn] === otherId);
  if (linked) return;
  scope.rows.insert(intersect.table, {
    [intersect.primaryId]: crypto.randomUUID(),
    [nav.ownColumn]: id,
    [`${nav.ownColumn}__table`]: meta.name,
    [nav.otherColumn]: otherId,
    [`${nav.otherColumn}__table`]: otherMeta.name,
  });
}

/** The Dataverse Web API over the sandbox store. */
export function registerDataverse(app: FastifyInstance, ctx: SandboxContext): void {
  const rows = new RowStore(ctx.db);
  const security = new Security(rows);
  const base = `${ctx.origins.app}${apiPath}`;

  async function callerOf(req: FastifyRequest): Promise<Caller> {
    const header = req.headers.authorization;
    if (header) {
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
      const principal = await ctx.tokens.verify(token, "dataverse").catch(() => undefined);
      if (principal?.kind === "user" && principal.user) return { kind: "user", user: principal.user };
      if (principal?.kind === "app") return { kind: "app", appId: principal.appId ?? "" };
      throw new DataverseError(401, DataverseCode.unauthorized, "The user is not authenticated.");
    }
    const user = ctx.appUserFromCookie(req.headers.cookie);
    if (user) return { kind: "user", user };
    throw new DataverseError(401, DataverseCode.unauthorized, "The user is not authenticated.");
  }

  function reply401(reply: FastifyReply): FastifyReply {
    // Dataverse answers 401 with an empty body and the authority to get a token from.
    return reply
      .code(401)
      .header("www-authenticate", `Bearer authorization_uri=${ctx.origins.app}/identity/oauth2/authorize, resource_id=${ctx.origins.app}/`)
      .send("");
  }

  app.addContentTypeParser(/^multipart\/mixed/, { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.route({
    method: ["GET", "POST", "PATCH", "DELETE", "PUT"],
    url: `${apiPath}*`,
    handler: async (req, reply) => {
      reply.header("OData-Version", "4.0");
      try {
        const caller = await callerOf(req);
        return await handle(req, reply, caller);
      } catch (e) {
        if (isDataverseError(e)) {
          if (e.status === 401) return reply401(reply);
          return reply.code(e.status).send({ error: { code: e.code, message: e.message } });
        }
        // Fastify's logger is off by default: an unexpected failure must still be visible in the terminal.
        console.error(`Dataverse ${req.method} ${req.url}:`, e);
        return reply.code(500).send({ error: { code: "0x80040216", message: `An unexpected error occurred: ${(e as Error).message}` } });
      }
    },
  });

  /** Optimistic concurrency: `If-Match: W/"<version>"` must name the record's current version. */
  function assertEtag(ifMatch: string | undefined, meta: EntityMeta, id: string): void {
    if (!ifMatch || ifMatch.trim() === "*") return;
    const row = rows.get(meta.table, id);
    if (row && ifMatch.trim() !== `W/"${String(row.versionnumber ?? 1)}"`) {
      throw new DataverseError(
        412,
        DataverseCode.versionMismatch,
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
  }

  async function handle(req: FastifyRequest, reply: FastifyReply, caller: Caller): Promise<unknown> {
    const [rawPath, rawQuery = ""] = req.url.slice(apiPath.length).split(/\?(.*)/s);
    const path = decodeURIComponent(rawPath);
    const params = splitQueryString(rawQuery);
    const prefer = preferOf(req);
    const wants = annotationFilterOf(prefer);
    const scope: QueryScope & WriteScope = { rows, security, caller, wants, clock: ctx.clock, applicationUserId };
    runDueRollupJobs(ctx.db, rows, ctx.clock.now());

    if (path === "" && req.method === "GET") {
      return {
        "@odata.context": `${base}$metadata`,
        value: allEntities().map((e) => ({ name: e.setName, kind: "EntitySet", url: e.setName })),
      };
    }
    if (path === "$batch") {
      if (req.method !== "POST") throw resourceNotFound(path);
      const items = parseBatch(req.headers["content-type"], typeof req.body === "string" ? req.body : "");
      const auth: Record<string, string> = {};
      if (req.headers.authorization) auth.authorization = req.headers.authorization;
      if (req.headers.cookie) auth.cookie = req.headers.cookie;
      // A savepoint rather than BEGIN: it nests, so two batches at once do not collide.
      const savepoint = `changeset_${Date.now()}_${Math.floor(Math.random() * 1e9)}`;
      const result = await runBatch(app, items, auth, /odata\.continue-on-error/i.test(prefer), {
        begin: () => ctx.db.exec(`SAVEPOINT ${savepoint}`),
        commit: () => ctx.db.exec(`RELEASE ${savepoint}`),
        rollback: () => ctx.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`),
      });
      return reply.code(200).type(result.contentType).send(result.body);
    }

    if (path === "CloseIncident") {
      if (req.method !== "POST") throw resourceNotFound(path);
      closeIncident(scope, security, req.body);
      return reply.code(204).send();
    }
    if (path === "GrantAccess" || path === "RevokeAccess") {
      if (req.method !== "POST") throw resourceNotFound(path);
      if (path === "GrantAccess") grantAccessAction(scope, req.body);
      else revokeAccessAction(scope, req.body);
      return reply.code(204).send();
    }

    const reference = /^([A-Za-z_]+)\(\{?([0-9A-Fa-f-]{36})\}?\)\/([A-Za-z_]+)\/\$ref$/.exec(path);
    if (reference) {
      if (req.method !== "POST") throw resourceNotFound(path);
      associate(scope, reference[1], reference[2].toLowerCase(), reference[3], req.body);
      return reply.code(204).send();
    }

    const aliases = Object.fromEntries(params.filter(([n]) => n.startsWith("@")).map(([n, v]) => [n.slice(1), v]));
    if (/^CalculateRollupField\(/.test(path)) {
      if (req.method !== "GET") throw resourceNotFound("CalculateRollupField");
      const { meta, row, column } = calculateRollupField(scope, path, aliases, ctx.clock.now());
      const select = [meta.primaryId, column, `${column}_date`, `${column}_state`];
      return { "@odata.context": `${base}$metadata#${meta.setName}/$entity`, ...shapeRow(scope, meta, row, { select }) };
    }
    const principalAccess =
      /^(systemusers|teams)\(\{?([0-9A-Fa-f-]{36})\}?\)\/Microsoft\.Dynamics\.CRM\.RetrievePrincipalAccess\(Target=@([A-Za-z0-9_]+)\)$/.exec(
        path,
      );
    if (principalAccess) {
      if (req.method !== "GET") throw resourceNotFound("RetrievePrincipalAccess");
      const principal = {
        id: principalAccess[2].toLowerCase(),
        type: principalAccess[1] === "teams" ? ("team" as const) : ("systemuser" as const),
      };
      return {
        "@odata.context": `${base}$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse`,
        ...retrievePrincipalAccess(scope, principal, aliases[principalAccess[3]]),
      };
    }
    const target = parseTarget(path, aliases);
    if (target.fn) {
      if (req.method !== "GET") throw resourceNotFound(target.fn);
      if (target.fn === "WhoAmI") {
        return {
          "@odata.context": `${base}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
          ...whoAmI(rows, caller, applicationUserId, organizationId),
        };
      }
      if (target.fn === "RetrieveEnvironmentVariableValue") {
        const schemaName = target.params?.DefinitionSchemaName;
        if (!schemaName) throw new DataverseError(400, DataverseCode.badQuery, "Parameter 'DefinitionSchemaName' is required.");
        return {
          "@odata.context": `${base}$metadata#Microsoft.Dynamics.CRM.RetrieveEnvironmentVariableValueResponse`,
          Value: retrieveEnvironmentVariableValue(rows, schemaName),
        };
      }
      throw resourceNotFound(target.fn);
    }
    const meta = target.meta as EntityMeta;
    const representation = /return=representation/i.test(prefer);

    if (target.action) {
      if (req.method !== "POST" || !target.id) throw resourceNotFound(target.action);
      if (meta.name === "email" && target.action === "SendEmail") {
        const result = sendEmail({ ...scope, mail: ctx.mail, policy: ctx.policy }, security, target.id, req.body);
        return { "@odata.context": `${base}$metadata#Microsoft.Dynamics.CRM.SendEmailResponse`, ...result };
      }
      throw resourceNotFound(target.action);
    }

    const readBack = (id: string) => {
      const row = rows.get(meta.table, id);
      if (!row) throw notFound(meta.name, id);
      return { "@odata.context": `${base}$metadata#${meta.setName}/$entity`, ...shapeRow(scope, meta, row, parseQuery(params)) };
    };

    switch (req.method) {
      case "GET": {
        const query = parseQuery(params);
        if (target.id) {
          const row = rows.get(meta.table, target.id);
          if (!row) throw notFound(meta.name, target.id);
          security.assertRow(caller, meta, row, "Read");
          return { "@odata.context": `${base}$metadata#${meta.setName}/$entity`, ...shapeRow(scope, meta, row, query) };
        }
        const selected = selectRows(scope, meta, rows.all(meta.table), query);
        const pageSize = pageSizeOf(prefer);
        const skipToken = params.find(([n]) => n === "$skiptoken")?.[1];
        const offset = skipToken ? Number(/offset="(\d+)"/.exec(skipToken)?.[1] ?? "0") : 0;
        let page: typeof selected;
        let next: string | undefined;
        if (query.top !== undefined) {
          page = selected.slice(0, Math.min(query.top, maxPageSize));
        } else {
          const size = pageSize ?? maxPageSize;
          page = selected.slice(offset, offset + size);
          if (offset + size < selected.length) {
            const kept = rawQuery
              .split("&")
              .filter((p) => p && !p.startsWith("$skiptoken=") && !p.startsWith("%24skiptoken="))
              .join("&");
            const pageNumber = Math.floor(offset / size) + 2;
            const cookie = encodeURIComponent(`<cookie pagenumber="${pageNumber}" offset="${offset + size}" istracking="False" />`);
            next = `${base}${meta.setName}?${kept ? `${kept}&` : ""}$skiptoken=${cookie}`;
          }
        }
        const applied = [
          /include-annotations/i.test(prefer)
            ? `odata.include-annotations=${/odata\.include-annotations\s*=\s*("[^"]*"|[^,;]*)/i.exec(prefer)?.[1]}`
            : "",
          pageSize ? `odata.maxpagesize=${pageSize}` : "",
        ].filter(Boolean);
        if (applied.length) reply.header("Preference-Applied", applied.join(","));
        return {
          "@odata.context": `${base}$metadata#${meta.setName}`,
          ...(query.count ? { "@odata.count": selected.length } : {}),
          value: page.map((row) => shapeRow(scope, meta, row, query)),
          ...(next ? { "@odata.nextLink": next } : {}),
        };
      }
      case "POST": {
        if (target.id) throw new DataverseError(405, DataverseCode.badQuery, "POST is not allowed on a single record.");
        const id = createRecord(scope, meta, req.body);
        reply.header("OData-EntityId", `${base}${meta.setName}(${id})`);
        if (representation) return reply.code(201).send(readBack(id));
        return reply.code(204).send();
      }
      case "PATCH": {
        if (!target.id) throw new DataverseError(405, DataverseCode.badQuery, "PATCH needs a record id.");
        const exists = rows.get(meta.table, target.id) !== undefined;
        if (!exists) {
          // Without If-Match a PATCH is an upsert, as in Dataverse; If-Match: * makes it update-only.
          if (req.headers["if-match"]) throw notFound(meta.name, target.id);
          createRecord(scope, meta, { ...(req.body as object), [meta.primaryId]: target.id });
        } else {
          if (req.headers["if-none-match"] === "*")
            throw new DataverseError(412, DataverseCode.duplicate, "A record with matching key values already exists.");
          assertEtag(req.headers["if-match"], meta, target.id);
          updateRecord(scope, meta, target.id, req.body);
        }
        reply.header("OData-EntityId", `${base}${meta.setName}(${target.id})`);
        if (representation) return reply.code(200).send(readBack(target.id));
        return reply.code(204).send();
      }
      case "DELETE": {
        if (!target.id) throw new DataverseError(405, DataverseCode.badQuery, "DELETE needs a record id.");
        assertEtag(req.headers["if-match"], meta, target.id);
        deleteRecord(scope, meta, target.id);
        return reply.code(204).send();
      }
      default:
        throw new DataverseError(405, DataverseCode.badQuery, `${req.method} is not supported.`);
    }
  }
}
