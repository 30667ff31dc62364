import { query as parseQueryOption } from "odata-v4-parser";
import { badRequest } from "./errors";

/** A value in a filter: a property path (`title`, `cfx_CaseId/title`) or a literal. */
export type Operand = { readonly kind: "path"; readonly path: readonly string[] } | { readonly kind: "literal"; readonly value: Literal };
export type Literal = string | number | boolean | null;

export type Comparison = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

export type FilterExpr =
  | { readonly kind: "and" | "or"; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: "not"; readonly inner: FilterExpr }
  | { readonly kind: "compare"; readonly op: Comparison; readonly left: Operand; readonly right: Operand }
  | { readonly kind: "call"; readonly method: "contains" | "startswith" | "endswith"; readonly args: readonly Operand[] }
  | { readonly kind: "operand"; readonly operand: Operand };

export interface OrderBy {
  readonly path: readonly string[];
  readonly descending: boolean;
}

export interface ExpandItem {
  readonly navigation: string;
  readonly query: ODataQuery;
}

/** The query options Dataverse supports, parsed. */
export interface ODataQuery {
  readonly select?: readonly string[];
  readonly filter?: FilterExpr;
  readonly orderBy?: readonly OrderBy[];
  readonly top?: number;
  readonly expand?: readonly ExpandItem[];
  readonly count?: boolean;
}

/** The library's token: a typed node with the text it was parsed from. */
interface Token {
  readonly type: string;
  readonly raw: string;
  readonly value: unknown;
}

const supported = new Set(["$select", "$filter", "$orderby", "$top", "$expand", "$count"]);

/**
 * The parser reads query text as it appears in a URL: it refuses characters such as `#` or `?`
 * inside string literals unless they are percent-encoded. Re-encode everything except the
 * characters OData's syntax uses, so a decoded value parses the same as the URL did.
 */
function toParserText(decoded: string): string {
  let out = "";
  let inString = false;
  for (const ch of decoded) {
    if (ch === "'") {
      // A quote opens or closes a string literal; a doubled quote inside one closes and reopens it,
      // which leaves both quotes in place, as OData escapes them.
      inString = !inString;
      out += ch;
    } else if (inString) {
      // Inside a string literal only unreserved characters stand for themselves: a slash or a
      // space in a folder path ('External Data Transfer/CAS-…') is data, not syntax.
      out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : encodeURIComponent(ch);
    } else {
      out += /[A-Za-z0-9\-._~!$()*,;=:@/ ]/.test(ch) ? ch : encodeURIComponent(ch);
    }
  }
  return out;
}

function parseOption(name: string, value: string): Token {
  try {
    return parseQueryOption(`${name}=${toParserText(value)}`) as unknown as Token;
  } catch (e) {
    throw badRequest(`The query parameter ${name} has a syntax error: ${(e as Error).message}.`);
  }
}

function optionsOf(token: Token): Token[] {
  return ((token.value as { options?: Token[] }).options ?? []) as Token[];
}

/** Parses a Web API query string (`$select=…&$filter=…`) into an ODataQuery; throws 400 on anything Dataverse would refuse. */
export function parseQuery(params: ReadonlyArray<readonly [string, string]>): ODataQuery {
  const query: { -readonly [K in keyof ODataQuery]: ODataQuery[K] } = {};
  for (const [name, value] of params) {
    if (!name.startsWith("$") || name === "$skiptoken") continue;
    if (!supported.has(name)) throw badRequest(`The query parameter ${name} is not supported`);
    const parsed = optionsOf(parseOption(name, value));
    for (const option of parsed) applyOption(query, option);
  }
  return query;
}

function applyOption(query: { -readonly [K in keyof ODataQuery]: ODataQuery[K] }, option: Token): void {
  switch (option.type) {
    case "Select":
      query.select = ((option.value as { items: Token[] }).items ?? []).map((i) => i.raw);
      return;
    case "Filter":
      query.filter = toFilter(option.value as Token);
      return;
    case "OrderBy":
      query.orderBy = (option.value as { items: Token[] }).items.map((item) => {
        const v = item.value as { expr: Token; direction: number };
        const operand = toOperand(v.expr);
        if (operand.kind !== "path") throw badRequest("$orderby takes property names.");
        return { path: operand.path, descending: v.direction === -1 };
      });
      return;
    case "Top": {
      const n = Number((option.value as Token).raw);
      if (!Number.isInteger(n) || n < 0) throw badRequest("$top must be a non-negative whole number.");
      query.top = n;
      return;
    }
    case "InlineCount":
      query.count = (option.value as Token).raw === "true";
      return;
    case "Expand":
      query.expand = (option.value as { items: Token[] }).items.map(toExpandItem);
      return;
    default:
      throw badRequest(`The query option ${option.raw} is not supported.`);
  }
}

function toExpandItem(item: Token): ExpandItem {
  const v = item.value as { path: Token; options?: Token[] };
  const segments = v.path.value as Token[];
  if (!Array.isArray(segments) || segments.length !== 1) throw badRequest(`Expand of ${item.raw} is not supported.`);
  const navigation = (segments[0].value as { name: string }).name;
  const nested: { -readonly [K in keyof ODataQuery]: ODataQuery[K] } = {};
  for (const option of v.options ?? []) applyOption(nested, option);
  return { navigation, query: nested };
}

const comparisons: Record<string, Comparison> = {
  EqualsExpression: "eq",
  NotEqualsExpression: "ne",
  LesserThanExpression: "lt",
  LesserOrEqualsExpression: "le",
  GreaterThanExpression: "gt",
  GreaterOrEqualsExpression: "ge",
};

function toFilter(token: Token): FilterExpr {
  switch (token.type) {
    case "AndExpression":
    case "OrExpression": {
      const v = token.value as { left: Token; right: Token };
      return { kind: token.type === "AndExpression" ? "and" : "or", left: toFilter(v.left), right: toFilter(v.right) };
    }
    case "NotExpression": {
      // The library parses `not` greedily (`not a and b` as `not (a and b)`); OData gives `not`
      // the higher precedence, so the negation belongs to the leftmost operand only.
      const inner = token.value as Token;
      if (inner.type === "AndExpression" || inner.type === "OrExpression") {
        const v = inner.value as { left: Token; right: Token };
        const negated = { type: "NotExpression", raw: `not ${v.left.raw}`, value: v.left };
        return { kind: inner.type === "AndExpression" ? "and" : "or", left: toFilter(negated), right: toFilter(v.right) };
      }
      return { kind: "not", inner: toFilter(inner) };
    }
    case "BoolParenExpression":
    case "ParenExpression":
    case "CommonExpression":
      return toFilter(token.value as Token);
    case "MethodCallExpression": {
      const v = token.value as { method: string; parameters: Token[] };
      if (v.method !== "contains" && v.method !== "startswith" && v.method !== "endswith") {
        throw badRequest(`The function '${v.method}' is not supported in $filter.`);
      }
      return { kind: "call", method: v.method, args: v.parameters.map(toOperand) };
    }
    default: {
      const op = comparisons[token.type];
      if (op) {
        const v = token.value as { left: Token; right: Token };
        return { kind: "compare", op, left: toOperand(v.left), right: toOperand(v.right) };
      }
      if (token.type === "FirstMemberExpression" || token.type === "Literal") return { kind: "operand", operand: toOperand(token) };
      throw badRequest(`The expression '${token.raw}' is not supported in $filter.`);
    }
  }
}

/** Walks the parser's member-expression chain (`a/b`) into a list of names. */
function pathOf(token: Token): string[] {
  switch (token.type) {
    case "FirstMemberExpression":
    case "MemberExpression":
    case "CommonExpression":
      return pathOf(token.value as Token);
    case "PropertyPathExpression":
    case "SingleNavigationExpression": {
      const v = token.value as { current?: Token; next?: Token; name?: string };
      if (v.current) return [...pathOf(v.current), ...(v.next ? pathOf(v.next) : [])];
      return pathOf(token.value as Token);
    }
    case "ODataIdentifier":
      return [(token.value as { name: string }).name];
    default:
      throw badRequest(`The expression '${token.raw}' is not supported in $filter.`);
  }
}

function toOperand(token: Token): Operand {
  if (token.type === "Literal") return { kind: "literal", value: literalOf(token) };
  if (token.type === "ParenExpression" || token.type === "CommonExpression") return toOperand(token.value as Token);
  return { kind: "path", path: pathOf(token) };
}

function literalOf(token: Token): Literal {
  const type = token.value as string;
  const raw = token.raw;
  switch (type) {
    case "null":
      return null;
    case "Edm.String":
      return decodeURIComponent(raw.slice(1, -1).replace(/''/g, "'"));
    case "Edm.Boolean":
      return raw === "true";
    case "Edm.Guid":
      return raw.toLowerCase();
    case "Edm.DateTimeOffset":
    case "Edm.Date":
      return decodeURIComponent(raw);
    case "Edm.SByte":
    case "Edm.Byte":
    case "Edm.Int16":
    case "Edm.Int32":
    case "Edm.Int64":
    case "Edm.Decimal":
    case "Edm.Double":
    case "Edm.Single":
      return Number(raw);
    default:
      throw badRequest(`The literal ${raw} is not supported.`);
  }
}

/** Splits a raw query string into decoded name/value pairs, keeping their order. */
export function splitQueryString(raw: string): [string, string][] {
  if (!raw) return [];
  return raw
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? "" : part.slice(eq + 1);
      try {
        // `+` is a space in a query string (form encoding), as ASP.NET and so Dataverse read it.
        const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));
        return [decode(name), decode(value)] as [string, string];
      } catch {
        throw badRequest(`The query string is not valid URL encoding: ${part}`);
      }
    });
}
