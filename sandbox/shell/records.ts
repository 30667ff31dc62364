import type { SandboxContext } from "../context";
import { selectRows, shapeRow, type QueryScope } from "../dataverse/engine";
import { entityByName, type EntityMeta } from "../dataverse/metadata";
import { Security } from "../dataverse/security";
import type { SandboxUser } from "../seed/people";
import { RowStore } from "../store/rows";
import type { FilterExpr, ODataQuery } from "../dataverse/odata";

/** A record as the Web API returns it with every annotation (what the shell renders from). */
export type ApiRecord = Record<string, unknown>;

/** The shell reads Dataverse as the signed-in user, through the same engine and security as the Web API. */
export class ShellData {
  readonly rows: RowStore;
  private readonly security: Security;
  /** The sandbox's clock (it can be moved forward): what "next 7 days" counts from. */
  readonly now: () => Date;

  constructor(ctx: SandboxContext) {
    this.rows = new RowStore(ctx.db);
    this.security = new Security(this.rows);
    this.now = () => ctx.clock.now();
  }

  scope(user: SandboxUser): QueryScope {
    return { rows: this.rows, security: this.security, caller: { kind: "user", user }, wants: () => true };
  }

  meta(table: string): EntityMeta {
    const meta = entityByName(table);
    if (!meta) throw new Error(`No table ${table}`);
    return meta;
  }

  /** Whether the user holds Read on the table at all (Unified Interface leaves a subgrid of such rows empty, with a message). */
  canRead(user: SandboxUser, table: string): boolean {
    return this.security.hasPrivilege(this.scope(user).caller, this.meta(table), "Read");
  }

  /** One record, or undefined when missing or not visible to the user. */
  record(user: SandboxUser, table: string, id: string): ApiRecord | undefined {
    const meta = this.meta(table);
    const row = this.rows.get(meta.table, id);
    if (!row) return undefined;
    const scope = this.scope(user);
    if (!this.security.canAccess(scope.caller, meta, row, "Read")) return undefined;
    return shapeRow(scope, meta, row, {});
  }

  query(user: SandboxUser, table: string, query: ODataQuery, limit = 250): ApiRecord[] {
    const meta = this.meta(table);
    const scope = this.scope(user);
    return selectRows(scope, meta, this.rows.all(meta.table), query)
      .slice(0, limit)
      .map((row) => shapeRow(scope, meta, row, { select: query.select }));
  }

  /** Rows whose lookup `column` points at the record. */
  related(user: SandboxUser, table: string, column: string, id: string, orderBy?: ODataQuery["orderBy"]): ApiRecord[] {
    const filter: FilterExpr = {
      kind: "compare",
      op: "eq",
      left: { kind: "path", path: [`_${column}_value`] },
      right: { kind: "literal", value: id },
    };
    return this.query(user, table, { filter, orderBy });
  }
}
