import { DOMParser, type Element } from "@xmldom/xmldom";
import JSZip from "jszip";
import {
  cascadeActions as modelCascadeActions,
  type CascadeActions,
  type CascadeBehavior,
  type CascadeType,
  type ChoiceDef,
  type ChoiceOption,
  type ColumnDef,
  type ColumnType,
  type RelationshipDef,
  type RollupConditionDef,
  type RollupDef,
  type SettingDef,
  type TableDef,
} from "../../src/model";
import type { PrivilegeDepth } from "../../src/model/privileges";
import type { WebResourceType } from "../../src/model/webresources";
import type { InstalledFieldSecurityProfile, InstalledRole, InstalledSolution, InstalledWebResource, RolePrivilege } from "./catalog";
import { SolutionImportError } from "./SolutionImportError";

/**
 * Reads a solution zip the way Dataverse's import does: solution.xml for the manifest,
 * customizations.xml for tables, relationships, choices, roles and web resources, one file per
 * environment variable definition, and the web resources' own parts. Anything it cannot read
 * stops the import with a SolutionImportError naming the file and the element, as the import log
 * does; it never guesses.
 *
 * What the XML does not carry, the reader does not invent. The data model (`src/model/`) holds a
 * few words of the product's own that Dataverse never sees (a choice option's code name, a
 * setting's key, a role's key and description); where a field needs a value, the comment at that
 * field says what the reader puts there.
 */

/** The files of a solution zip by path, as the zip names them (forward slashes, no folder entries). */
export interface SolutionPackage {
  readonly parts: ReadonlyMap<string, Uint8Array>;
}

/** A component as solution.xml names it: by `schemaName` (tables, choices, web resources, settings) or by `id` (forms, views, roles). */
export interface ComponentReference {
  readonly type: number;
  readonly schemaName?: string;
  readonly id?: string;
  readonly displayName?: string;
  /** For a subcomponent (a column, a view, a form): the table it belongs to. */
  readonly parentSchemaName?: string;
  readonly parentDisplayName?: string;
}

/** A root component of the manifest; `behavior` 0 brings its subcomponents, 2 only the shell holding ours. */
export interface RootComponent {
  readonly type: number;
  readonly schemaName?: string;
  readonly id?: string;
  readonly behavior: number;
}

/** Something the solution needs that the target organization must already have. */
export interface MissingDependency {
  /** What is needed, with the solution that brings it (`msdynce_Service (9.0.5.56)`). */
  readonly required: ComponentReference & { readonly solution?: string };
  /** The component of this solution that needs it. */
  readonly dependent: ComponentReference;
}

/** Columns a solution adds to a table it does not own. */
export interface TableExtension {
  readonly table: string;
  readonly columns: readonly ColumnDef[];
}

/** What a solution zip holds, in the sandbox's words. */
export interface ReadSolution {
  readonly solution: Omit<InstalledSolution, "installedOn">;
  readonly rootComponents: readonly RootComponent[];
  readonly missingDependencies: readonly MissingDependency[];
  /** The solution's own tables (entities not marked `unmodified`), each with every column its XML lists. */
  readonly tables: readonly TableDef[];
  /** Columns the solution adds to tables another solution owns (the Case's rollup columns), by table. */
  readonly tableExtensions: readonly TableExtension[];
  /** The solution's own one-to-many relationships; the platform's (owner, business unit, audit stamps) are implied by their lookups. */
  readonly relationships: readonly RelationshipDef[];
  /** Global choices (top-level option sets). */
  readonly choices: readonly ChoiceDef[];
  readonly settings: readonly SettingDef[];
  readonly roles: readonly InstalledRole[];
  readonly fieldSecurityProfiles: readonly InstalledFieldSecurityProfile[];
  readonly webResources: readonly InstalledWebResource[];
}

/** Unpacks a solution zip into its parts. A file that is not a zip fails as Dataverse's import does, before any XML is read. */
export async function unzipSolution(zip: Uint8Array): Promise<SolutionPackage> {
  let archive: JSZip;
  try {
    archive = await JSZip.loadAsync(zip);
  } catch (e) {
    throw new SolutionImportError("(zip)", "archive", `the file is not a zip archive (${messageOf(e)})`, { cause: e });
  }
  const entries = Object.values(archive.files).filter((f) => !f.dir);
  const parts = await Promise.all(entries.map(async (f) => [f.name, await f.async("uint8array")] as const));
  return { parts: new Map(parts) };
}

/** Reads every component of the package; throws SolutionImportError at the first thing it cannot read. */
/**
 * `installed`: the relationships of the solutions already in the organization, which a rollup
 * column of this package may aggregate over (the Case status solution counts the product's
 * exchanges through the product's relationship).
 */
export function readSolution(
  pkg: SolutionPackage,
  installed: readonly Pick<RelationshipDef, "schemaName" | "referencedTable" | "referencingTable">[] = [],
): ReadSolution {
  const manifest = readManifest(parseDocument(pkg, "solution.xml", "ImportExportXml"));
  const customizations = parseDocument(pkg, "customizations.xml", "ImportExportXml");
  const top: At = { file: "customizations.xml", element: "ImportExportXml" };

  const choices = childrenOf(customizations, "optionsets", "optionset").map((e) => readGlobalChoice(e, top));
  const relationships = childrenOf(customizations, "EntityRelationships", "EntityRelationship").map((e) => readRelationship(e, top));
  const context: TableContext = { choices: new Map(choices.map((c) => [c.name, c])), relationships, installed, pkg };
  const entities = childrenOf(customizations, "Entities", "Entity");
  const tables = entities.filter((e) => !isShellEntity(e)).map((e) => readTable(e, context, top));
  const tableExtensions = entities.filter(isShellEntity).flatMap((e) => readExtension(e, context, top));

  return {
    ...manifest,
    tables,
    tableExtensions,
    relationships: relationships.filter((r) => !isPlatformRelationship(r, tables)).map(toRelationshipDef),
    choices,
    settings: settingParts(pkg).map((path) => readSetting(pkg, path)),
    roles: childrenOf(customizations, "Roles", "Role").map((e) => readRole(e, top)),
    fieldSecurityProfiles: childrenOf(customizations, "FieldSecurityProfiles", "FieldSecurityProfile").map((e) =>
      readFieldSecurityProfile(e, top),
    ),
    webResources: childrenOf(customizations, "WebResources", "WebResource").map((e) => readWebResource(e, pkg, top)),
  };
}

// ---------------------------------------------------------------------------------------------
// Where a problem is, and reading XML strictly

/** A place in the package: the file and a path of elements, for the import log's line. */
interface At {
  readonly file: string;
  readonly element: string;
}

function within(at: At, element: string): At {
  return { file: at.file, element: `${at.element}/${element}` };
}

function fail(at: At, reason: string, cause?: unknown): never {
  throw new SolutionImportError(at.file, at.element, reason, cause === undefined ? undefined : { cause });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The root element of a part, which must be there, be UTF-8, parse without any error or warning
 * (Dataverse's XML reader is strict) and have the expected root.
 */
function parseDocument(pkg: SolutionPackage, file: string, root: string): Element {
  const at: At = { file, element: root };
  const bytes = pkg.parts.get(file);
  if (!bytes) fail(at, `the solution zip has no ${file}`);
  const source = decodeUtf8(bytes, at);
  const parser = new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  });
  let element: Element | null;
  try {
    element = parser.parseFromString(source, "text/xml").documentElement;
  } catch (e) {
    fail(at, `the file is not well-formed XML (${messageOf(e)})`, e);
  }
  if (!element || element.tagName !== root) fail(at, `the document's root element is <${element?.tagName ?? ""}>, not <${root}>`);
  return element;
}

function decodeUtf8(bytes: Uint8Array, at: At): string {
  try {
    // A leading BOM is dropped: an exported part may start with one.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    return fail(at, "the file is not UTF-8 text", e);
  }
}

/** The direct child elements of `parent`, those named `name` when given. */
function elements(parent: Element, name?: string): Element[] {
  const out: Element[] = [];
  // Walks the siblings: xmldom's `children` is a live list rebuilt on every access.
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && (name === undefined || node.nodeName === name)) out.push(node as Element);
  }
  return out;
}

/** `<wrapper><item/>…</wrapper>` under `parent`: the items, none when the wrapper is absent. */
function childrenOf(parent: Element, wrapper: string, item: string): Element[] {
  const holder = optionalChild(parent, wrapper);
  return holder ? elements(holder, item) : [];
}

function optionalChild(parent: Element, name: string): Element | undefined {
  return elements(parent, name)[0];
}

function child(parent: Element, name: string, at: At): Element {
  return optionalChild(parent, name) ?? fail(within(at, name), "the element is missing");
}

function optionalText(parent: Element, name: string): string | undefined {
  const e = optionalChild(parent, name);
  return e ? (e.textContent ?? "") : undefined;
}

function text(parent: Element, name: string, at: At): string {
  return child(parent, name, at).textContent ?? "";
}

function optionalAttribute(e: Element, name: string): string | undefined {
  return e.hasAttribute(name) ? (e.getAttribute(name) ?? "") : undefined;
}

function attribute(e: Element, name: string, at: At): string {
  return optionalAttribute(e, name) ?? fail(at, `the attribute ${name} is missing`);
}

function integer(value: string, at: At): number {
  const trimmed = value.trim();
  if (!/^-?\d+$/.test(trimmed)) fail(at, `"${value}" is not a whole number`);
  return Number(trimmed);
}

function integerText(parent: Element, name: string, at: At): number {
  return integer(text(parent, name, at), within(at, name));
}

/** `0`/`1`, or `False`/`True` as some entity settings write it (`HasRelatedNotes`). */
function flag(value: string, at: At): boolean {
  switch (value.trim().toLowerCase()) {
    case "1":
    case "true":
      return true;
    case "0":
    case "false":
      return false;
    default:
      return fail(at, `"${value}" is not 0 or 1`);
  }
}

function flagText(parent: Element, name: string, at: At): boolean {
  return flag(text(parent, name, at), within(at, name));
}

/** The only language the sandbox's organization has; a label in another language is used only when this one is missing. */
const baseLanguage = "1033";

/** `<wrapper><item description="…" languagecode="1033"/></wrapper>`: the base language's description. */
function label(parent: Element, wrapper: string, item: string): string | undefined {
  const holder = optionalChild(parent, wrapper);
  if (!holder) return undefined;
  const items = elements(holder, item);
  const chosen = items.find((i) => i.getAttribute("languagecode") === baseLanguage) ?? items[0];
  return chosen ? optionalAttribute(chosen, "description") : undefined;
}

/** A GUID as the catalog keeps ids: lower case, no braces. */
function guid(value: string, at: At): string {
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(value.trim());
  return m ? m[1].toLowerCase() : fail(at, `"${value}" is not a GUID`);
}

// ---------------------------------------------------------------------------------------------
// solution.xml

function readManifest(root: Element): Pick<ReadSolution, "solution" | "rootComponents" | "missingDependencies"> {
  const at: At = { file: "solution.xml", element: "ImportExportXml/SolutionManifest" };
  const manifest = child(root, "SolutionManifest", { file: "solution.xml", element: "ImportExportXml" });
  const uniqueName = text(manifest, "UniqueName", at);
  return {
    solution: {
      uniqueName,
      friendlyName: label(manifest, "LocalizedNames", "LocalizedName") ?? uniqueName,
      version: fourPartVersion(text(manifest, "Version", at), within(at, "Version")),
      managed: flagText(manifest, "Managed", at),
      publisher: readPublisher(child(manifest, "Publisher", at), within(at, "Publisher")),
    },
    rootComponents: childrenOf(manifest, "RootComponents", "RootComponent").map((e) => readRootComponent(e, within(at, "RootComponents"))),
    missingDependencies: childrenOf(manifest, "MissingDependencies", "MissingDependency").map((e, i) =>
      readMissingDependency(e, within(at, `MissingDependencies/MissingDependency[${i + 1}]`)),
    ),
  };
}

/** Dataverse versions have two to four parts; the catalog keeps four (`0.1.0` → `0.1.0.0`). */
function fourPartVersion(value: string, at: At): string {
  const v = value.trim();
  if (!/^\d+(\.\d+){1,3}$/.test(v)) fail(at, `"${value}" is not a solution version (two to four whole numbers)`);
  const parts = v.split(".");
  while (parts.length < 4) parts.push("0");
  return parts.join(".");
}

function readPublisher(e: Element, at: At): InstalledSolution["publisher"] {
  const prefix = text(e, "CustomizationPrefix", at);
  // The rules Dataverse holds a publisher to: 2–8 letters or digits starting with a letter, and a
  // five-digit option value prefix.
  if (!/^[A-Za-z][A-Za-z0-9]{1,7}$/.test(prefix)) fail(within(at, "CustomizationPrefix"), `"${prefix}" is not a publisher prefix`);
  const optionValuePrefix = integerText(e, "CustomizationOptionValuePrefix", at);
  if (optionValuePrefix < 10000 || optionValuePrefix > 99999) {
    fail(within(at, "CustomizationOptionValuePrefix"), `${optionValuePrefix} is not between 10000 and 99999`);
  }
  return { uniqueName: text(e, "UniqueName", at), prefix, optionValuePrefix };
}

function readRootComponent(e: Element, parent: At): RootComponent {
  const schemaName = optionalAttribute(e, "schemaName");
  const id = optionalAttribute(e, "id");
  const at = within(parent, `RootComponent[${schemaName ?? id ?? ""}]`);
  if (schemaName === undefined && id === undefined) fail(at, "a root component needs a schemaName or an id");
  const behavior = integer(attribute(e, "behavior", at), at);
  if (![0, 1, 2].includes(behavior)) fail(at, `unknown root component behavior ${behavior}`);
  return {
    type: integer(attribute(e, "type", at), at),
    ...(schemaName !== undefined && { schemaName }),
    ...(id !== undefined && { id }),
    behavior,
  };
}

function readMissingDependency(e: Element, at: At): MissingDependency {
  const required = child(e, "Required", at);
  const solution = optionalAttribute(required, "solution");
  return {
    required: { ...readReference(required, within(at, "Required")), ...(solution !== undefined && { solution }) },
    dependent: readReference(child(e, "Dependent", at), within(at, "Dependent")),
  };
}

function readReference(e: Element, at: At): ComponentReference {
  const optional = (name: keyof ComponentReference) => {
    const value = optionalAttribute(e, name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    type: integer(attribute(e, "type", at), at),
    ...optional("schemaName"),
    ...optional("id"),
    ...optional("displayName"),
    ...optional("parentSchemaName"),
    ...optional("parentDisplayName"),
  };
}

// ---------------------------------------------------------------------------------------------
// Choices

/**
 * A choice option's `name` is the product's code word (`backupReady`); Dataverse knows only the
 * value and the labels. The reader puts the label there (for a state, Dataverse's own invariant
 * name), so code must match options by value, never by name.
 */
function readOption(e: Element, at: At): ChoiceOption {
  const value = integer(attribute(e, "value", at), at);
  const optionAt = within(at, `${e.tagName}[${value}]`);
  const text = label(e, "labels", "label") ?? fail(optionAt, "the option has no label");
  return { value, name: text, label: text };
}

function readStateOption(e: Element, at: At): ChoiceOption {
  const option = readOption(e, at);
  return { ...option, name: optionalAttribute(e, "invariantname") ?? option.label };
}

function readStatusOption(e: Element, at: At): ChoiceOption {
  const option = readOption(e, at);
  const optionAt = within(at, `status[${option.value}]`);
  return { ...option, state: integer(attribute(e, "state", optionAt), optionAt) };
}

type OptionSetType = "picklist" | "state" | "status";

/** An `<optionset>`: a global one at the top level, or a column's own (its picklist, state or status values). */
function readOptionSet(e: Element, expected: OptionSetType, global: boolean, at: At): ChoiceDef {
  const type = text(e, "OptionSetType", at);
  if (type !== expected) fail(within(at, "OptionSetType"), `expected ${expected}, found "${type}"`);
  const name = attribute(e, "Name", at);
  const options =
    expected === "state"
      ? childrenOf(e, "states", "state").map((o) => readStateOption(o, at))
      : expected === "status"
        ? childrenOf(e, "statuses", "status").map((o) => readStatusOption(o, at))
        : childrenOf(e, "options", "option").map((o) => readOption(o, at));
  if (options.length === 0) fail(at, "the option set has no options");
  const values = new Set(options.map((o) => o.value));
  if (values.size !== options.length) fail(at, "two options have the same value");
  return {
    name,
    displayName: label(e, "displaynames", "displayname") ?? optionalAttribute(e, "localizedName") ?? name,
    global,
    options,
  };
}

function readGlobalChoice(e: Element, top: At): ChoiceDef {
  const at = within(top, `optionsets/optionset[${e.getAttribute("Name") ?? ""}]`);
  if (!flagText(e, "IsGlobal", at)) fail(within(at, "IsGlobal"), "a top-level option set must be global");
  return readOptionSet(e, "picklist", true, at);
}

// ---------------------------------------------------------------------------------------------
// Relationships

/** A one-to-many relationship as customizations.xml writes it, names turned into logical names. */
interface RelationshipElement {
  readonly schemaName: string;
  readonly referencingTable: string;
  readonly referencedTable: string;
  readonly referencingColumn: string;
  /** The lookup's schema name, as the relationship writes it (`cfx_CaseId`). */
  readonly referencingAttribute: string;
  readonly cascade: CascadeType;
  readonly actions?: CascadeActions;
  /** From the roles, when the relationship has them (the platform's own relationships do not). */
  readonly singleNavigationProperty?: string;
  readonly collectionNavigationProperty?: string;
  readonly at: At;
}

/** Dataverse's cascade behaviours; Active and UserOwned apply to assign, share, unshare and reparent. */
const cascadeValues = new Set(["Cascade", "NoCascade", "RemoveLink", "Restrict", "Active", "UserOwned"]);

/**
 * The actions a parental relationship cascades. `CascadeArchive` is new and optional; rollup views
 * (`CascadeRollupView`) and merge are not part of the relationship's kind.
 */
const cascadeActions = ["CascadeAssign", "CascadeDelete", "CascadeReparent", "CascadeShare", "CascadeUnshare"] as const;

function readRelationship(e: Element, top: At): RelationshipElement {
  const schemaName = e.getAttribute("Name") ?? "";
  const at = within(top, `EntityRelationships/EntityRelationship[${schemaName}]`);
  if (schemaName === "") fail(at, "the relationship has no Name");
  const type = text(e, "EntityRelationshipType", at);
  if (type !== "OneToMany") fail(within(at, "EntityRelationshipType"), `the sandbox reads only one-to-many relationships, not "${type}"`);
  const referencingAttribute = text(e, "ReferencingAttributeName", at);
  // Entity and attribute names are written as schema names (`cfx_FileExchange`, `cfx_CaseId`);
  // a logical name is always the schema name in lower case.
  return {
    schemaName,
    referencingTable: text(e, "ReferencingEntityName", at).toLowerCase(),
    referencedTable: text(e, "ReferencedEntityName", at).toLowerCase(),
    referencingColumn: referencingAttribute.toLowerCase(),
    referencingAttribute,
    ...readCascade(e, at),
    ...readRoles(e, at),
    at,
  };
}

/**
 * The relationship's kind from its cascade actions, as Dataverse's designer names them: parental
 * when every action cascades, referential or restrict when they match those presets, and
 * configurable (with the actions themselves) for anything else.
 */
function readCascade(e: Element, at: At): Pick<RelationshipDef, "cascade" | "actions"> {
  const actions: string[] = [...cascadeActions, ...(optionalChild(e, "CascadeArchive") ? ["CascadeArchive"] : [])];
  const values = new Map(actions.map((name) => [name, text(e, name, at)]));
  for (const [name, value] of values) if (!cascadeValues.has(value)) fail(within(at, name), `unknown cascade behavior "${value}"`);
  const read: CascadeActions = {
    assign: values.get("CascadeAssign") as CascadeBehavior,
    delete: values.get("CascadeDelete") as CascadeBehavior,
    // An export without CascadeArchive archives as it deletes.
    archive: (values.get("CascadeArchive") ?? values.get("CascadeDelete")) as CascadeBehavior,
    reparent: values.get("CascadeReparent") as CascadeBehavior,
    share: values.get("CascadeShare") as CascadeBehavior,
    unshare: values.get("CascadeUnshare") as CascadeBehavior,
  };
  const same = (kind: "parental" | "referential" | "restrict") => {
    const preset = presetActions(kind);
    return (Object.keys(read) as (keyof CascadeActions)[]).every((k) => read[k] === preset[k]);
  };
  for (const kind of ["parental", "referential", "restrict"] as const) if (same(kind)) return { cascade: kind };
  return { cascade: "configurable", actions: read };
}

function presetActions(kind: "parental" | "referential" | "restrict"): CascadeActions {
  return modelCascadeActions({ cascade: kind });
}

/**
 * The navigation properties. A Dataverse export writes two roles: RelationshipRoleType 1 holds the
 * lookup's single-valued property, 0 the parent's collection.
 */
function readRoles(e: Element, at: At): Pick<RelationshipElement, "singleNavigationProperty" | "collectionNavigationProperty"> {
  const out: { singleNavigationProperty?: string; collectionNavigationProperty?: string } = {};
  for (const role of childrenOf(e, "EntityRelationshipRoles", "EntityRelationshipRole")) {
    const roleAt = within(at, "EntityRelationshipRoles/EntityRelationshipRole");
    const type = integerText(role, "RelationshipRoleType", roleAt);
    const name = optionalText(role, "NavigationPropertyName");
    if (name === undefined) continue;
    if (type === 1) out.singleNavigationProperty = name;
    else if (type === 0) out.collectionNavigationProperty = name;
    else fail(within(roleAt, "RelationshipRoleType"), `unknown relationship role type ${type}`);
  }
  return out;
}

/** A relationship the platform gives a table of ours for one of its own lookups (owner, business unit, created by…). */
function isPlatformRelationship(r: RelationshipElement, tables: readonly TableDef[]): boolean {
  const table = tables.find((t) => t.logicalName === r.referencingTable);
  if (!table) return false;
  const column = table.columns.find((c) => c.logicalName === r.referencingColumn);
  if (!column) fail(within(r.at, "ReferencingAttributeName"), `${table.schemaName} has no column ${r.referencingColumn}`);
  return column.system === true;
}

/**
 * Dataverse names a relationship's navigation properties when the XML does not: the collection
 * after the relationship, the lookup's after its schema name (UNCONFIRMED for imports; exports
 * always write both for a custom relationship).
 */
function toRelationshipDef(r: RelationshipElement): RelationshipDef {
  return {
    schemaName: r.schemaName,
    referencedTable: r.referencedTable,
    referencingTable: r.referencingTable,
    referencingColumn: r.referencingColumn,
    collectionNavigationProperty: r.collectionNavigationProperty ?? r.schemaName,
    singleNavigationProperty: r.singleNavigationProperty ?? r.referencingAttribute,
    cascade: r.cascade,
    ...(r.actions ? { actions: r.actions } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Tables and columns

interface TableContext {
  readonly choices: ReadonlyMap<string, ChoiceDef>;
  readonly relationships: readonly RelationshipElement[];
  /** The relationships of the solutions installed before this one, which a rollup may aggregate over. */
  readonly installed: readonly Pick<RelationshipDef, "schemaName" | "referencedTable" | "referencingTable">[];
  /** The package, for the definition files computed columns name. */
  readonly pkg: SolutionPackage;
}

/** The columns of ours on a table another solution owns, with the companions of each rollup column. */
function readExtension(e: Element, context: TableContext, top: At): TableExtension[] {
  const schemaName = text(e, "Name", within(top, "Entities/Entity"));
  const at = within(top, `Entities/Entity[${schemaName}]`);
  const entity = child(child(e, "EntityInfo", at), "entity", within(at, "EntityInfo"));
  const entityAt = within(at, "EntityInfo/entity");
  const table = { schemaName, logicalName: schemaName.toLowerCase() };
  const attributes = optionalChild(entity, "attributes");
  const read = attributes ? elements(attributes, "attribute").map((a) => readColumn(a, table, context, entityAt)) : [];
  if (read.length === 0) return [];
  const stray = read.find((r) => r.primaryName || r.column.type === "primarykey" || r.column.system);
  if (stray) fail(within(entityAt, `attribute[${stray.column.schemaName}]`), "a table another solution owns takes only custom columns");
  return [{ table: table.logicalName, columns: withRollupCompanions(read.map((r) => r.column)) }];
}

/**
 * Dataverse adds two columns to every rollup column: `<name>_date`, when it was last calculated,
 * and `<name>_state`, how that went (0 not calculated, 1 calculated, 2 overflow, 3 other error,
 * 4 retry limit exceeded, 5 hierarchical recursion limit, 6 loop detected). Neither is in the zip.
 */
export function withRollupCompanions(columns: readonly ColumnDef[]): ColumnDef[] {
  return columns.flatMap((c) =>
    c.rollup
      ? [
          c,
          {
            logicalName: `${c.logicalName}_date`,
            schemaName: `${c.schemaName}_Date`,
            type: "datetime" as const,
            displayName: `${c.displayName} (Last Updated On)`,
            dateFormat: "datetime" as const,
            system: true,
          },
          {
            logicalName: `${c.logicalName}_state`,
            schemaName: `${c.schemaName}_State`,
            type: "integer" as const,
            displayName: `${c.displayName} (State)`,
            minValue: 0,
            maxValue: 6,
            system: true,
          },
        ]
      : [c],
  );
}

/** An entity of another solution present only to hold components of ours (`unmodified="1"`, root behaviour 2). */
function isShellEntity(e: Element): boolean {
  const info = optionalChild(e, "EntityInfo");
  const entity = info && optionalChild(info, "entity");
  return entity?.getAttribute("unmodified") === "1";
}

function readTable(e: Element, context: TableContext, top: At): TableDef {
  const schemaName = text(e, "Name", within(top, "Entities/Entity"));
  const at = within(top, `Entities/Entity[${schemaName}]`);
  const entity = child(child(e, "EntityInfo", at), "entity", within(at, "EntityInfo"));
  const entityAt = within(at, "EntityInfo/entity");
  const table = { schemaName, logicalName: schemaName.toLowerCase() };

  const read = elements(child(entity, "attributes", entityAt), "attribute").map((a) => readColumn(a, table, context, entityAt));
  const columns = read.map((r) => r.column);
  const names = new Set(columns.map((c) => c.logicalName));
  if (names.size !== columns.length) fail(within(entityAt, "attributes"), "two attributes have the same logical name");
  const primaryIds = columns.filter((c) => c.type === "primarykey");
  if (primaryIds.length !== 1) fail(within(entityAt, "attributes"), `the table needs one primary key, found ${primaryIds.length}`);
  const primaryNames = read.filter((r) => r.primaryName);
  if (primaryNames.length !== 1)
    fail(within(entityAt, "attributes"), `the table needs one primary name column, found ${primaryNames.length}`);

  return {
    logicalName: table.logicalName,
    schemaName,
    entitySetName: text(entity, "EntitySetName", entityAt),
    displayName: label(entity, "LocalizedNames", "LocalizedName") ?? child(e, "Name", at).getAttribute("LocalizedName") ?? schemaName,
    displayCollectionName: label(entity, "LocalizedCollectionNames", "LocalizedCollectionName") ?? schemaName,
    description: label(entity, "Descriptions", "Description") ?? "",
    primaryIdColumn: primaryIds[0].logicalName,
    primaryNameColumn: primaryNames[0].column.logicalName,
    ownership: readOwnership(text(entity, "OwnershipTypeMask", entityAt), within(entityAt, "OwnershipTypeMask")),
    hasNotes: flag(optionalText(entity, "HasRelatedNotes") ?? "0", within(entityAt, "HasRelatedNotes")),
    auditEnabled: flagText(entity, "IsAuditEnabled", entityAt),
    // The solution's own tables; the platform's baseline marks its tables as system tables.
    systemTable: false,
    columns: withRollupCompanions(columns),
  };
}

function readOwnership(value: string, at: At): TableDef["ownership"] {
  if (value === "UserOwned") return "user";
  if (value === "OrgOwned") return "organization";
  return fail(at, `the sandbox supports user- and organization-owned tables, not "${value}"`);
}

/** Dataverse's attribute types in customizations.xml, by the model's name for them. */
const columnTypes: ReadonlyMap<string, ColumnType> = new Map<string, ColumnType>([
  ["primarykey", "primarykey"],
  ["nvarchar", "string"],
  ["ntext", "memo"],
  ["int", "integer"],
  ["bigint", "bigint"],
  ["bit", "boolean"],
  ["datetime", "datetime"],
  ["lookup", "lookup"],
  ["customer", "customer"],
  ["owner", "owner"],
  ["picklist", "picklist"],
  ["state", "state"],
  ["status", "status"],
]);

/**
 * Required levels. `systemrequired` (primary key, owner, state) counts as required: the platform
 * always holds a value. `recommended` only nudges on forms.
 */
const requiredLevels: ReadonlyMap<string, boolean> = new Map([
  ["none", false],
  ["recommended", false],
  ["required", true],
  ["systemrequired", true],
]);

interface ReadColumn {
  readonly column: ColumnDef;
  /** `PrimaryName` in the DisplayMask: the table's primary name column. */
  readonly primaryName: boolean;
}

interface TableNames {
  readonly schemaName: string;
  readonly logicalName: string;
}

function readColumn(e: Element, table: TableNames, context: TableContext, entityAt: At): ReadColumn {
  const schemaName = e.getAttribute("PhysicalName") ?? "";
  const at = within(entityAt, `attribute[${schemaName}]`);
  if (schemaName === "") fail(at, "the attribute has no PhysicalName");
  const logicalName = text(e, "LogicalName", at);
  if (logicalName !== schemaName.toLowerCase()) fail(within(at, "LogicalName"), `"${logicalName}" is not the lower-case PhysicalName`);
  const dataverseType = text(e, "Type", at);
  const type = columnTypes.get(dataverseType) ?? fail(within(at, "Type"), `unknown attribute Type "${dataverseType}"`);
  const level = text(e, "RequiredLevel", at);
  const required = requiredLevels.get(level) ?? fail(within(at, "RequiredLevel"), `unknown required level "${level}"`);
  const autoNumberFormat = optionalText(e, "AutoNumberFormat") ?? "";
  if (autoNumberFormat !== "" && type !== "string") fail(within(at, "AutoNumberFormat"), "only a text column can be auto-numbered");
  const description = label(e, "Descriptions", "Description");
  // The platform's columns are the ones not marked custom: the model's `system`.
  const system = !flagText(e, "IsCustomField", at);
  const securedText = optionalText(e, "IsSecured");
  const secured = securedText !== undefined && flag(securedText, within(at, "IsSecured"));

  const rollup = readSourceType(e, type, context, { table, logicalName }, at);
  const column: ColumnDef = {
    logicalName,
    schemaName,
    type,
    displayName: label(e, "displaynames", "displayname") ?? schemaName,
    ...(description !== undefined && { description }),
    ...(required && { required }),
    ...typeDetails(e, type, { table, logicalName, schemaName, system }, context, at),
    ...(autoNumberFormat !== "" && { autoNumberFormat }),
    ...(system && { system }),
    ...(secured && { secured }),
    ...(rollup && { rollup }),
  };
  const displayMask = optionalText(e, "DisplayMask") ?? "";
  return { column, primaryName: displayMask.split("|").includes("PrimaryName") };
}

interface ColumnNames {
  readonly table: TableNames;
  readonly logicalName: string;
  readonly schemaName: string;
  readonly system: boolean;
}

/** What a column's type adds: lengths, ranges, formats, targets, choices. */
function typeDetails(e: Element, type: ColumnType, column: ColumnNames, context: TableContext, at: At): Partial<ColumnDef> {
  switch (type) {
    case "string":
    case "memo":
      return { maxLength: integerText(e, "MaxLength", at) };
    case "integer":
      return range(e, at, -2147483648, 2147483647);
    case "bigint":
      // Dataverse's big integers span 64 bits; as JavaScript numbers the bounds round to ±2^63,
      // the nearest numbers there are.
      return range(e, at, -(2 ** 63), 2 ** 63);
    case "datetime":
      return { dateFormat: readDateFormat(e, at) };
    case "lookup":
    case "customer":
      return lookupDetails(column, context, at);
    case "owner":
      return { targets: ownerTargets(e, at), ...navigation(column, context) };
    case "picklist":
      return { choice: picklistChoice(e, context, at) };
    case "state":
    case "status":
      return { choice: readOptionSet(child(e, "optionset", at), type, false, within(at, "optionset")) };
    case "primarykey":
    case "boolean":
      return {};
  }
}

/** MinValue and MaxValue; Dataverse's defaults (the type's whole range) when absent. */
function range(e: Element, at: At, min: number, max: number): Pick<ColumnDef, "minValue" | "maxValue"> {
  const minText = optionalText(e, "MinValue");
  const maxText = optionalText(e, "MaxValue");
  const minValue = minText === undefined ? min : integer(minText, within(at, "MinValue"));
  const maxValue = maxText === undefined ? max : integer(maxText, within(at, "MaxValue"));
  if (minValue > maxValue) fail(within(at, "MinValue"), `MinValue ${minValue} is above MaxValue ${maxValue}`);
  return { minValue, maxValue };
}

/**
 * `Format` date or datetime. The sandbox stores every date and time as an instant, which is
 * Dataverse's behaviour 1 (user local); date-only and time-zone-independent behaviours (2, 3)
 * answer differently, so the sandbox refuses them rather than serve them wrong.
 */
function readDateFormat(e: Element, at: At): ColumnDef["dateFormat"] {
  const behavior = optionalText(e, "Behavior") ?? "1";
  if (behavior.trim() !== "1") fail(within(at, "Behavior"), `the sandbox supports date and time behavior 1 (user local), not ${behavior}`);
  const format = text(e, "Format", at);
  if (format === "date") return "dateonly";
  if (format === "datetime") return "datetime";
  return fail(within(at, "Format"), `unknown date and time format "${format}"`);
}

/** A lookup's targets are the tables its relationships point at; a lookup without one cannot be created. */
function lookupDetails(column: ColumnNames, context: TableContext, at: At): Partial<ColumnDef> {
  const targets = relationshipsOf(column, context).map((r) => r.referencedTable);
  if (targets.length === 0) fail(at, "no relationship in EntityRelationships names the table this lookup points at");
  return { targets, ...navigation(column, context) };
}

function relationshipsOf(column: ColumnNames, context: TableContext): RelationshipElement[] {
  return context.relationships.filter((r) => r.referencingTable === column.table.logicalName && r.referencingColumn === column.logicalName);
}

/**
 * The lookup's single-valued navigation property: the one its relationship's role names. The
 * platform's relationships carry no roles; Dataverse names those properties after the column's
 * logical name (`createdby`, `ownerid`), and a custom lookup's after its schema name. A lookup
 * with several targets (a customer) has one property per target, `<column>_<table>`, which is
 * the sandbox's own convention when this is left out.
 */
function navigation(column: ColumnNames, context: TableContext): Pick<ColumnDef, "navigationProperty"> {
  const related = relationshipsOf(column, context);
  if (related.length > 1) return {};
  const declared = related[0]?.singleNavigationProperty;
  if (declared !== undefined) return { navigationProperty: declared };
  return { navigationProperty: column.system ? column.logicalName : column.schemaName };
}

/** Object type codes an owner's LookupTypes list: a user or a team. */
const ownerTypeCodes: ReadonlyMap<number, string> = new Map([
  [8, "systemuser"],
  [9, "team"],
]);

function ownerTargets(e: Element, at: At): string[] {
  const typesAt = within(at, "LookupTypes");
  const targets = childrenOf(e, "LookupTypes", "LookupType").map((t) => {
    const code = integer(t.textContent ?? "", within(typesAt, "LookupType"));
    return ownerTypeCodes.get(code) ?? fail(within(typesAt, "LookupType"), `an owner can be a user (8) or a team (9), not ${code}`);
  });
  return targets.length > 0 ? targets : fail(typesAt, "an owner column needs its LookupTypes");
}

/** A picklist takes a global choice by `OptionSetName`, or has its own `<optionset>`. */
function picklistChoice(e: Element, context: TableContext, at: At): ChoiceDef {
  const globalName = optionalText(e, "OptionSetName");
  if (globalName !== undefined) {
    return context.choices.get(globalName) ?? fail(within(at, "OptionSetName"), `the solution has no global option set "${globalName}"`);
  }
  const local = optionalChild(e, "optionset") ?? fail(at, "a choice column needs an OptionSetName or an optionset");
  return readOptionSet(local, "picklist", false, within(at, "optionset"));
}

// ---------------------------------------------------------------------------------------------
// Environment variables, roles, web resources

const settingPartPattern = /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/;

function settingParts(pkg: SolutionPackage): string[] {
  return [...pkg.parts.keys()].filter((path) => settingPartPattern.test(path));
}

/** Environment variable type codes; data sources and secrets have no setting type in the model. */
const settingTypes: ReadonlyMap<number, SettingDef["type"]> = new Map<number, SettingDef["type"]>([
  [100000000, "string"],
  [100000001, "number"],
  [100000002, "boolean"],
  [100000003, "json"],
]);

/**
 * A definition with its default. `key` is the product's own name for a setting (`siteUrl`);
 * Dataverse knows a setting only by its schema name, so that is what the reader puts there.
 */
function readSetting(pkg: SolutionPackage, path: string): SettingDef {
  const root = parseDocument(pkg, path, "environmentvariabledefinition");
  const at: At = { file: path, element: "environmentvariabledefinition" };
  const schemaName = attribute(root, "schemaname", at);
  const code = integerText(root, "type", at);
  const type = settingTypes.get(code) ?? fail(within(at, "type"), `the sandbox has no setting type for environment variable type ${code}`);
  const labelled = (name: string) => {
    const e = optionalChild(root, name);
    return e ? (label(root, name, "label") ?? e.getAttribute("default") ?? "") : "";
  };
  return {
    schemaName,
    key: schemaName,
    displayName: labelled("displayname"),
    description: labelled("description"),
    type,
    defaultValue: optionalText(root, "defaultvalue") ?? "",
    required: flagText(root, "isrequired", at),
  };
}

/** Role XML access levels, by the model's depth. */
const privilegeDepths: ReadonlyMap<string, PrivilegeDepth> = new Map<string, PrivilegeDepth>([
  ["Basic", "user"],
  ["Local", "businessUnit"],
  ["Deep", "parentChild"],
  ["Global", "organization"],
]);

/** A role of the solution. The XML carries no description (a Dataverse export writes none), so it is empty. */
function readRole(e: Element, top: At): InstalledRole {
  const name = e.getAttribute("name") ?? "";
  const at = within(top, `Roles/Role[${name}]`);
  if (name === "") fail(at, "the role has no name");
  return {
    id: guid(attribute(e, "id", at), at),
    name,
    description: "",
    privileges: childrenOf(e, "RolePrivileges", "RolePrivilege").map((p) => readPrivilege(p, at)),
  };
}

function readPrivilege(e: Element, roleAt: At): RolePrivilege {
  const name = e.getAttribute("name") ?? "";
  const at = within(roleAt, `RolePrivilege[${name}]`);
  if (!/^prv\w+$/.test(name)) fail(at, `"${name}" is not a privilege name`);
  const level = attribute(e, "level", at);
  return { name, depth: privilegeDepths.get(level) ?? fail(at, `unknown privilege depth "${level}"`) };
}

/**
 * A field security profile: its id and name, and per secured column whether members may read,
 * update and create it. The permission values are `fieldpermission`'s choice: 4 allowed, 0 not.
 */
function readFieldSecurityProfile(e: Element, top: At): InstalledFieldSecurityProfile {
  const name = e.getAttribute("name") ?? "";
  const at = within(top, `FieldSecurityProfiles/FieldSecurityProfile[${name}]`);
  if (name === "") fail(at, "the field security profile has no name");
  return {
    id: guid(attribute(e, "fieldsecurityprofileid", at), at),
    name,
    description: optionalAttribute(e, "description") ?? "",
    permissions: childrenOf(e, "FieldPermissions", "FieldPermission").map((p) => {
      const table = text(p, "EntityName", at);
      const column = text(p, "AttributeName", at);
      const permissionAt = within(at, `FieldPermission[${table}.${column}]`);
      const allowed = (element: string): boolean => {
        const value = integerText(p, element, permissionAt);
        if (value !== 0 && value !== 4) fail(within(permissionAt, element), `${value} is not 0 (not allowed) or 4 (allowed)`);
        return value === 4;
      };
      return { table, column, read: allowed("CanRead"), update: allowed("CanUpdate"), create: allowed("CanCreate") };
    }),
  };
}

/** Web resource type codes the sandbox serves; Dataverse's others (XML, JPG, GIF, XAP, XSL, ICO, RESX) it does not. */
const webResourceTypes: ReadonlyMap<number, WebResourceType> = new Map<number, WebResourceType>([
  [1, "html"],
  [2, "css"],
  [3, "js"],
  [5, "png"],
  [11, "svg"],
]);

/** A web resource and its bytes: the part its FileName names holds the file as it is, not encoded. */
function readWebResource(e: Element, pkg: SolutionPackage, top: At): InstalledWebResource {
  const name = optionalText(e, "Name") ?? "";
  const at = within(top, `WebResources/WebResource[${name}]`);
  if (name === "") fail(within(at, "Name"), "the web resource has no name");
  const code = integerText(e, "WebResourceType", at);
  const type = webResourceTypes.get(code) ?? fail(within(at, "WebResourceType"), `the sandbox does not serve web resource type ${code}`);
  const fileName = text(e, "FileName", at);
  const part = fileName.replace(/^\//, "");
  const content = pkg.parts.get(part) ?? fail(within(at, "FileName"), `the solution zip has no part ${part}`);
  return {
    name,
    displayName: optionalText(e, "DisplayName") ?? name,
    type,
    description: optionalText(e, "Description") ?? "",
    content,
  };
}

// ---------------------------------------------------------------------------------------------
// Computed columns

const aggregates: ReadonlyMap<string, RollupDef["aggregate"]> = new Map([
  ["Count", "count"],
  ["Sum", "sum"],
  ["Min", "min"],
  ["Max", "max"],
]);

/**
 * `SourceType`: 0 (or absent) a simple column, 1 calculated, 2 rollup, 3 formula. A rollup's
 * definition is the file its `FormulaDefinitionFileName` names, which must be in the zip. The
 * sandbox computes rollups only, and refuses the other computed kinds rather than serve them
 * as plain columns.
 */
function readSourceType(
  e: Element,
  type: ColumnType,
  context: TableContext,
  column: Pick<ColumnNames, "table" | "logicalName">,
  at: At,
): RollupDef | undefined {
  const sourceType = optionalText(e, "SourceType");
  if (sourceType === undefined || sourceType === "0") return undefined;
  if (sourceType !== "2") fail(within(at, "SourceType"), `the sandbox computes rollup columns (2) only, not SourceType ${sourceType}`);
  const fileName = text(e, "FormulaDefinitionFileName", at);
  const path = fileName.replace(/^\//, "");
  const root = context.pkg.parts.has(path)
    ? parseDocument(context.pkg, path, "Activity")
    : fail(within(at, "FormulaDefinitionFileName"), `the definition file ${fileName} is not in the solution zip`);
  const fileAt: At = { file: path, element: "Activity" };
  const reference = root.getElementsByTagName("mxswa:ActivityReference")[0] ?? fail(fileAt, "the rollup has no activity");
  const args = new Map<string, string>();
  for (const arg of Array.from(reference.getElementsByTagName("InArgument"))) {
    args.set(arg.getAttribute("x:Key") ?? "", arg.textContent ?? "");
  }
  const arg = (key: string) => args.get(key) ?? fail(within(fileAt, `InArgument[${key}]`), `the rollup has no ${key}`);
  if (arg("TargetEntity") !== column.table.logicalName || arg("TargetAttribute") !== column.logicalName) {
    fail(
      within(fileAt, "InArgument[TargetAttribute]"),
      `the definition is of ${arg("TargetEntity")}.${arg("TargetAttribute")}, not of this column`,
    );
  }
  const relationship = [...context.relationships, ...context.installed].find((r) => r.schemaName === arg("Relationship"));
  if (!relationship || relationship.referencedTable !== column.table.logicalName || relationship.referencingTable !== arg("SourceEntity")) {
    fail(
      within(fileAt, "InArgument[Relationship]"),
      `${arg("Relationship")} is not a one-to-many relationship of the solution or the installed ones from ${column.table.logicalName} to ${arg("SourceEntity")}`,
    );
  }
  const aggregate =
    aggregates.get(arg("AggregateFunction")) ??
    fail(within(fileAt, "InArgument[AggregateFunction]"), `unknown aggregate "${arg("AggregateFunction")}"`);
  const fits =
    aggregate === "min" || aggregate === "max"
      ? type === "datetime" || type === "integer" || type === "bigint"
      : type === "integer" || type === "bigint";
  if (!fits) fail(within(at, "Type"), `a ${aggregate} rollup cannot be a ${type} column`);
  return {
    relationship: relationship.schemaName,
    aggregate,
    sourceColumn: arg("AggregateAttribute").toLowerCase(),
    conditions: readRollupFilter(arg("Filter"), within(fileAt, "InArgument[Filter]")),
  };
}

/** The rollup's filter on the related rows: a FetchXML `<filter type="and">` of eq, ne and not-null conditions. */
function readRollupFilter(source: string, at: At): RollupConditionDef[] {
  if (source.trim() === "") return [];
  let filter: Element | null;
  try {
    filter = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(source, "text/xml").documentElement;
  } catch (e) {
    return fail(at, `the filter is not well-formed FetchXML (${messageOf(e)})`, e);
  }
  if (!filter || filter.tagName !== "filter" || (filter.getAttribute("type") ?? "and") !== "and")
    fail(at, 'the filter must be one <filter type="and">');
  return elements(filter, "condition").map((c) => {
    const operator = attribute(c, "operator", at);
    if (operator !== "eq" && operator !== "ne" && operator !== "not-null")
      fail(at, `the sandbox's rollups take eq, ne and not-null conditions, not ${operator}`);
    const value = optionalAttribute(c, "value");
    return {
      column: attribute(c, "attribute", at),
      operator,
      ...(value !== undefined && { value: integer(value, at) }),
    };
  });
}
