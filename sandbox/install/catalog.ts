import type { ChoiceDef, FieldPermissionDef, RelationshipDef, SettingDef, TableDef } from "../../src/model";
import type { DashboardDef } from "../../src/model/dashboards";
import type { FormDef } from "../../src/model/forms";
import type { PrivilegeDepth } from "../../src/model/privileges";
import type { CommandDef } from "../../src/model/ribbon";
import type { ViewDef } from "../../src/model/views";
import type { WebResourceType } from "../../src/model/webresources";

/**
 * What the sandbox's organization holds: the platform's own tables (its baseline, as a fresh
 * Customer Service organization has them) and what an imported solution added. Every part of the
 * sandbox reads its tables, forms, views, dashboards, commands, web resources, settings and roles
 * from here, never from `src/model/`, so what it serves is what the zip carried.
 *
 * Components of a solution are named as the zip names them: a form, view or dashboard by its id
 * (the `key` of an imported FormDef, ViewDef or DashboardDef is its id, lower case, no braces),
 * a command by its `Id` in RibbonDiffXml, a web resource by its name.
 */
export interface Catalog {
  /** Every table: the platform's and the solution's. */
  readonly tables: readonly TableDef[];
  /** The solution's one-to-many relationships (the platform's are implied by its lookups). */
  readonly relationships: readonly RelationshipDef[];
  /** Global choices the solution defines. */
  readonly choices: readonly ChoiceDef[];
  readonly forms: readonly FormDef[];
  /** The solution's views and the platform's own (the Case table's "Active Cases" and so on). */
  readonly views: readonly ViewDef[];
  readonly dashboards: readonly DashboardDef[];
  readonly commands: readonly CommandDef[];
  readonly webResources: readonly InstalledWebResource[];
  /** Environment variable definitions with their default values. */
  readonly settings: readonly SettingDef[];
  /** The platform's roles (System Administrator, Customer Service Representative) and the solutions'. */
  readonly roles: readonly InstalledRole[];
  /** The solutions' field security profiles (the System Administrator's own is implied: it bypasses them). */
  readonly fieldSecurityProfiles: readonly InstalledFieldSecurityProfile[];
  /** The solutions installed, the platform's first. */
  readonly solutions: readonly InstalledSolution[];
}

export interface InstalledWebResource {
  readonly name: string;
  readonly displayName: string;
  readonly type: WebResourceType;
  readonly description: string;
  /** The bytes the zip carried (decoded from its part file). */
  readonly content: Uint8Array;
}

/** A privilege a role holds: its platform name (`prvReadcfx_FileExchange`) and depth. */
export interface RolePrivilege {
  readonly name: string;
  readonly depth: PrivilegeDepth;
}

export interface InstalledRole {
  /** The role's id in the root business unit (the solution's deterministic id, or the platform role's). */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly privileges: readonly RolePrivilege[];
  /** System Administrator: every privilege the organization has, organization-wide. */
  readonly everyPrivilege?: boolean;
}

/** A field security profile as imported: who may read, create and update which secured columns. Members are rows. */
export interface InstalledFieldSecurityProfile {
  /** Lower case, no braces. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly FieldPermissionDef[];
}

export interface InstalledSolution {
  readonly uniqueName: string;
  readonly friendlyName: string;
  /** Four parts: `0.1.0.0`. */
  readonly version: string;
  readonly managed: boolean;
  readonly publisher: { readonly uniqueName: string; readonly prefix: string; readonly optionValuePrefix: number };
  /** When the sandbox imported it (ISO instant). */
  readonly installedOn: string;
}

let installed: Catalog | undefined;

/** Makes `catalog` the organization the sandbox serves (at start, and again after an upgrade). */
export function installCatalog(catalog: Catalog): void {
  installed = catalog;
  for (const listener of listeners) listener(catalog);
}

const listeners: ((catalog: Catalog) => void)[] = [];

/** Calls `listener` whenever a catalog is installed (parts that index the catalog rebuild their index). */
export function onCatalogInstalled(listener: (catalog: Catalog) => void): void {
  listeners.push(listener);
  if (installed) listener(installed);
}

/** The organization as installed. Throws before anything was installed: a start-up order mistake. */
export function catalog(): Catalog {
  if (!installed) throw new Error("The sandbox has no organization installed yet (installCatalog was not called).");
  return installed;
}

/** The table with that logical name; throws for a name the organization does not have. */
export function tableByName(logicalName: string): TableDef {
  const table = catalog().tables.find((t) => t.logicalName === logicalName);
  if (!table) throw new Error(`The organization has no table "${logicalName}".`);
  return table;
}
