/**
 * The shapes of the data model. Plain data only (and the small pure functions that read it): the
 * product's adapters, the sandbox's Dataverse and the solution packer all read the same values,
 * so nothing here may import anything.
 */

/** Column types the product uses, named as Dataverse's attribute types. */
export type ColumnType =
  | "primarykey"
  | "string"
  | "memo"
  | "integer"
  | "bigint"
  | "boolean"
  | "datetime"
  | "lookup"
  | "customer"
  | "owner"
  | "picklist"
  | "state"
  | "status";

export interface ColumnDef {
  /** Logical name, always lower case (`cfx_caseid`). */
  readonly logicalName: string;
  /** Schema name as Dataverse writes it (`cfx_CaseId`). */
  readonly schemaName: string;
  readonly type: ColumnType;
  readonly displayName: string;
  readonly description?: string;
  readonly required?: boolean;
  /** For `string` and `memo`. */
  readonly maxLength?: number;
  /** For `integer` and `bigint`. */
  readonly minValue?: number;
  readonly maxValue?: number;
  /** For `lookup`, `customer` and `owner`: the tables it may point at. */
  readonly targets?: readonly string[];
  /** For lookups: the single-valued navigation property used in `$expand` and `@odata.bind`. */
  readonly navigationProperty?: string;
  /** For `picklist`, `state` and `status`: the choice it takes its values from. */
  readonly choice?: ChoiceDef;
  /** For `datetime`: date only or date and time; the product stores instants (UTC). */
  readonly dateFormat?: "dateonly" | "datetime";
  /** Auto-number format (Dataverse `AutoNumberFormat`) for a `string` column. */
  readonly autoNumberFormat?: string;
  /** The column is written by the platform, not by callers (createdon, ownerid on create…). */
  readonly system?: boolean;
  /**
   * Column security (`IsSecured`): only the members of a field security profile that grants it
   * read, create or update it; everyone else reads null and is refused a write
   * (`src/model/fieldSecurity.ts`).
   */
  readonly secured?: boolean;
  /** A rollup column (Dataverse `SourceType` 2): the platform computes it from related rows. */
  readonly rollup?: RollupDef;
}

/** One condition on the related rows a rollup aggregates (the rollup editor's "Filters"). */
export interface RollupConditionDef {
  readonly column: string;
  readonly operator: "eq" | "ne" | "not-null";
  /** For `eq` and `ne`: a choice value or number. */
  readonly value?: number;
}

/**
 * A rollup column's definition: over the child rows of a one-to-many relationship that match every
 * condition, count them, or take the sum, minimum or maximum of one of their columns. Dataverse
 * recalculates it in a system job (and on demand with `CalculateRollupField`), never on write.
 */
export interface RollupDef {
  /** The one-to-many relationship's schema name, from this column's table to the rows it aggregates. */
  readonly relationship: string;
  readonly aggregate: "count" | "sum" | "min" | "max";
  /** The child column aggregated; for `count`, the child table's primary key. */
  readonly sourceColumn: string;
  readonly conditions: readonly RollupConditionDef[];
}

export interface ChoiceOption {
  readonly value: number;
  /** Stable name used in code (`backupReady`). */
  readonly name: string;
  /** English label, as shown to people. */
  readonly label: string;
  /** For status options: the state they belong to. */
  readonly state?: number;
}

export interface ChoiceDef {
  /** Logical name of the choice (`cfx_exchangestage`). */
  readonly name: string;
  readonly displayName: string;
  /** Global choices are shared by several columns and packed as their own component. */
  readonly global: boolean;
  readonly options: readonly ChoiceOption[];
}

/**
 * The kind of a one-to-many relationship. Parental: the child follows its parent in every action
 * and goes with it. Referential: the lookup is cleared when the parent is deleted. Restrict: the
 * parent cannot be deleted while children exist. Configurable: each action as `actions` says.
 */
export type CascadeType = "parental" | "referential" | "restrict" | "configurable";

/** What one action on the parent does to its children, in Dataverse's words (`CascadeAssign` and so on). */
export type CascadeBehavior = "Cascade" | "NoCascade" | "RemoveLink" | "Restrict" | "Active" | "UserOwned";

/** Dataverse's cascade configuration of a relationship, action by action. */
export interface CascadeActions {
  readonly assign: CascadeBehavior;
  readonly delete: CascadeBehavior;
  readonly archive: CascadeBehavior;
  readonly reparent: CascadeBehavior;
  readonly share: CascadeBehavior;
  readonly unshare: CascadeBehavior;
}

/** A one-to-many relationship, seen from both ends. */
export interface RelationshipDef {
  readonly schemaName: string;
  readonly referencedTable: string;
  readonly referencingTable: string;
  readonly referencingColumn: string;
  /** Collection-valued navigation property on the referenced (parent) table. */
  readonly collectionNavigationProperty: string;
  /** Single-valued navigation property on the referencing (child) table. */
  readonly singleNavigationProperty: string;
  readonly cascade: CascadeType;
  /** For a configurable relationship: what each action does. The other kinds imply theirs (`cascadeActions`). */
  readonly actions?: CascadeActions;
}

const cascadeOfKind: Readonly<Record<Exclude<CascadeType, "configurable">, CascadeActions>> = {
  parental: { assign: "Cascade", delete: "Cascade", archive: "Cascade", reparent: "Cascade", share: "Cascade", unshare: "Cascade" },
  referential: {
    assign: "NoCascade",
    delete: "RemoveLink",
    archive: "RemoveLink",
    reparent: "NoCascade",
    share: "NoCascade",
    unshare: "NoCascade",
  },
  restrict: {
    assign: "NoCascade",
    delete: "Restrict",
    archive: "Restrict",
    reparent: "NoCascade",
    share: "NoCascade",
    unshare: "NoCascade",
  },
};

/** What each action on the parent does to the children of this relationship. */
export function cascadeActions(r: Pick<RelationshipDef, "cascade" | "actions">): CascadeActions {
  if (r.cascade === "configurable") {
    if (!r.actions) throw new Error("A configurable relationship needs its actions.");
    return r.actions;
  }
  return cascadeOfKind[r.cascade];
}

export interface TableDef {
  readonly logicalName: string;
  readonly schemaName: string;
  /** The entity set name used in Web API URLs (`cfx_fileexchanges`). */
  readonly entitySetName: string;
  readonly displayName: string;
  readonly displayCollectionName: string;
  readonly description: string;
  readonly primaryIdColumn: string;
  readonly primaryNameColumn: string;
  readonly ownership: "user" | "organization";
  /** Notes (annotations) can be attached: the table has a timeline. */
  readonly hasNotes: boolean;
  readonly auditEnabled: boolean;
  /** A Microsoft table the product reads and writes but does not ship. */
  readonly systemTable: boolean;
  readonly columns: readonly ColumnDef[];
}

/** A Dataverse environment variable definition (a setting). */
export interface SettingDef {
  /** Schema name (`cfx_SharePointSiteUrl`). */
  readonly schemaName: string;
  /** The key the product uses for it (`siteUrl`). */
  readonly key: string;
  readonly displayName: string;
  readonly description: string;
  readonly type: "string" | "number" | "boolean" | "json";
  /** The default shipped in the definition, as Dataverse stores it: a string. */
  readonly defaultValue: string;
  readonly required: boolean;
}

/** A security role the solution ships; the id is fixed so the panels can recognise it. */
export interface RoleDef {
  readonly key: "agent" | "specialist" | "supervisor" | "administrator";
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

/** One column a field security profile opens: what its members may do with it. */
export interface FieldPermissionDef {
  readonly table: string;
  readonly column: string;
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
}

/** A field security profile the solution ships; members (users, teams) are added in each organization. */
export interface FieldSecurityProfileDef {
  readonly key: "administrators" | "retentionJob";
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly FieldPermissionDef[];
}
