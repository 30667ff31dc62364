import type { ColumnDef, TableDef } from "../../src/model";
import { onCatalogInstalled, type Catalog } from "../install/catalog";
import { isReference } from "../store/columns";

/** A single-valued navigation property: one lookup column seen as a link to one target table. */
export interface SingleNav {
  readonly name: string;
  readonly column: ColumnDef;
  readonly target: string;
}

/** A collection-valued navigation property: the children whose lookup points at this row. */
export interface CollectionNav {
  readonly name: string;
  readonly childTable: string;
  readonly childColumn: string;
}

/**
 * A many-to-many navigation property: the rows of `target` linked to this row through an
 * intersect table (`teammembership` between team and systemuser, and so on).
 */
export interface ManyToManyNav {
  readonly name: string;
  readonly intersect: string;
  /** The intersect table's column holding this row's id. */
  readonly ownColumn: string;
  /** The intersect table's column holding the other row's id. */
  readonly otherColumn: string;
  readonly target: string;
}

/**
 * The platform's many-to-many relationships the product and the sandbox use, named as Dataverse
 * names them on both sides (Learn, table reference: team "teammembership_association",
 * systemuser "systemuserroles_association", team "teamroles_association", fieldsecurityprofile
 * "systemuserprofiles_association" and "teamprofiles_association").
 */
const manyToMany: readonly { name: string; intersect: string; a: [string, string]; b: [string, string] }[] = [
  { name: "teammembership_association", intersect: "teammembership", a: ["team", "teamid"], b: ["systemuser", "systemuserid"] },
  { name: "systemuserroles_association", intersect: "systemuserroles", a: ["systemuser", "systemuserid"], b: ["role", "roleid"] },
  { name: "teamroles_association", intersect: "teamroles", a: ["team", "teamid"], b: ["role", "roleid"] },
  {
    name: "systemuserprofiles_association",
    intersect: "systemuserprofiles",
    a: ["systemuser", "systemuserid"],
    b: ["fieldsecurityprofile", "fieldsecurityprofileid"],
  },
  {
    name: "teamprofiles_association",
    intersect: "teamprofiles",
    a: ["team", "teamid"],
    b: ["fieldsecurityprofile", "fieldsecurityprofileid"],
  },
];

function manyToManyNavsOf(table: string, tables: ReadonlySet<string>): Map<string, ManyToManyNav> {
  const out = new Map<string, ManyToManyNav>();
  for (const m of manyToMany) {
    if (!tables.has(m.intersect)) continue;
    if (m.a[0] === table) out.set(m.name, { name: m.name, intersect: m.intersect, ownColumn: m.a[1], otherColumn: m.b[1], target: m.b[0] });
    if (m.b[0] === table) out.set(m.name, { name: m.name, intersect: m.intersect, ownColumn: m.b[1], otherColumn: m.a[1], target: m.a[0] });
  }
  return out;
}

/** A table as the Web API sees it, derived from the installed catalog. */
export interface EntityMeta {
  readonly table: TableDef;
  readonly name: string;
  readonly setName: string;
  readonly primaryId: string;
  readonly primaryName: string;
  readonly columns: ReadonlyMap<string, ColumnDef>;
  readonly singleNavs: ReadonlyMap<string, SingleNav>;
  readonly collectionNavs: ReadonlyMap<string, CollectionNav>;
  readonly manyToManyNavs: ReadonlyMap<string, ManyToManyNav>;
}

/**
 * Collection navigation names Dataverse gives its own relationships (the model's relationships
 * carry the product's). Anything else gets `<child>_<column>_<parent>`.
 */
function platformCollectionName(child: string, column: string, parent: string): string {
  if (child === "annotation" && column === "objectid") return parent === "incident" ? "Incident_Annotation" : `${parent}_Annotations`;
  if (child === "email" && column === "regardingobjectid") return parent === "incident" ? "Incident_Emails" : `${parent}_Emails`;
  if (child === "activityparty" && column === "activityid") return "email_activity_parties";
  if (child === "environmentvariablevalue" && column === "environmentvariabledefinitionid")
    return "environmentvariabledefinition_environmentvariablevalue";
  if (child === "incident" && column === "customerid") return `incident_customer_${parent}s`;
  if (child === "incident" && column === "primarycontactid") return "contact_as_primary_contact";
  if (child === "appnotification" && column === "ownerid") return "user_appnotification";
  return `${child}_${column}_${parent}`;
}

/** Dataverse names a polymorphic lookup's navigation per target (`customerid_account`); owner stays `ownerid`. */
function singleNavsOf(column: ColumnDef): SingleNav[] {
  const targets = column.targets ?? [];
  const base = column.navigationProperty ?? column.logicalName;
  if (column.type === "owner") return [{ name: base, column, target: "systemuser" }];
  if (targets.length === 1) return [{ name: base, column, target: targets[0] }];
  return targets.map((target) => ({ name: `${base}_${target}`, column, target }));
}

function build({ tables, relationships }: Catalog): Map<string, EntityMeta> {
  const names = new Set(tables.map((t) => t.logicalName));
  const byName = new Map<string, EntityMeta>();
  const collections = new Map<string, Map<string, CollectionNav>>();
  for (const table of tables) collections.set(table.logicalName, new Map());
  for (const table of tables) {
    for (const column of table.columns.filter(isReference)) {
      for (const target of column.type === "owner" ? ["systemuser"] : (column.targets ?? [])) {
        const declared = relationships.find(
          (r) => r.referencingTable === table.logicalName && r.referencingColumn === column.logicalName && r.referencedTable === target,
        );
        const name = declared?.collectionNavigationProperty ?? platformCollectionName(table.logicalName, column.logicalName, target);
        collections.get(target)?.set(name, { name, childTable: table.logicalName, childColumn: column.logicalName });
      }
    }
  }
  for (const table of tables) {
    const singleNavs = new Map<string, SingleNav>();
    for (const column of table.columns.filter(isReference)) for (const nav of singleNavsOf(column)) singleNavs.set(nav.name, nav);
    byName.set(table.logicalName, {
      table,
      name: table.logicalName,
      setName: table.entitySetName,
      primaryId: table.primaryIdColumn,
      primaryName: table.primaryNameColumn,
      columns: new Map(table.columns.map((c) => [c.logicalName, c])),
      singleNavs,
      collectionNavs: collections.get(table.logicalName) ?? new Map(),
      manyToManyNavs: manyToManyNavsOf(table.logicalName, names),
    });
  }
  return byName;
}

let entities = new Map<string, EntityMeta>();
let bySet = new Map<string, EntityMeta>();
onCatalogInstalled((catalog) => {
  entities = build(catalog);
  bySet = new Map([...entities.values()].map((e) => [e.setName, e]));
});

export function entityByName(name: string): EntityMeta | undefined {
  return entities.get(name);
}

export function entityBySet(setName: string): EntityMeta | undefined {
  return bySet.get(setName);
}

export function allEntities(): EntityMeta[] {
  return [...entities.values()];
}

/** `_cfx_caseid_value` → the lookup column `cfx_caseid`, if the table has it. */
export function lookupOfValueName(meta: EntityMeta, property: string): ColumnDef | undefined {
  if (!property.startsWith("_") || !property.endsWith("_value")) return undefined;
  const column = meta.columns.get(property.slice(1, -"_value".length));
  return column && isReference(column) ? column : undefined;
}

/** The Web API property name of a column: `_x_value` for references, the logical name otherwise. */
export function propertyNameOf(column: ColumnDef): string {
  return isReference(column) ? `_${column.logicalName}_value` : column.logicalName;
}
