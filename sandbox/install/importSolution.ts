import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { v5 as uuidv5 } from "uuid";
import type { TableDef } from "../../src/model";
import { rootBusinessUnitId } from "../seed/people";
import { ensureSchema, readState, writeState } from "../store/database";
import type { Row, RowStore } from "../store/rows";
import {
  businessUnitBaselineTable,
  fieldPermissionTable,
  fieldSecurityProfileTable,
  platformRoles,
  platformTables,
  platformViews,
  roleTable,
  savedQueryTable,
  solutionTable,
  systemFormTable,
} from "./baseline";
import { catalog, installCatalog, type Catalog, type InstalledSolution } from "./catalog";
import { readSolution, unzipSolution, type ReadSolution, type TableExtension } from "./readSolution";
import { readUi, type ReadUi } from "./readUi";
import { validateAgainstSchema } from "./schemaValidation";
import { isSolutionImportError, SolutionImportError } from "./SolutionImportError";
import { importWarnings, validateSolution } from "./validate";

/** One line of an import's log, as Dataverse's import job records it. */
export interface ImportLogEntry {
  readonly at: string;
  readonly level: "info" | "warning" | "error";
  readonly message: string;
  readonly file?: string;
  readonly element?: string;
}

/** One import: what was imported, whether it succeeded, and its log. */
export interface ImportJob {
  readonly id: string;
  readonly startedOn: string;
  readonly completedOn: string;
  /** Where the zip came from (its file name, or the test control that posted it). */
  readonly source: string;
  readonly solution?: string;
  readonly version?: string;
  readonly succeeded: boolean;
  readonly log: readonly ImportLogEntry[];
}

/** A solution as installed: what was read from its zip, kept so the organization can be composed again. */
interface Installed {
  readonly solution: InstalledSolution;
  readonly read: ReadSolution;
  readonly ui: ReadUi;
}

/** The import refused the package: the job (with its log) and the first reason. */
export class ImportRefused extends Error {
  constructor(
    readonly job: ImportJob,
    readonly refusal: SolutionImportError,
  ) {
    super(`The import of ${job.source} failed: ${refusal.message}`);
    this.name = "ImportRefused";
  }
}

const jobsKey = "importJobs";
const installedKey = "installedSolutions";
/** The sandbox state a reset keeps: a reset restores the seeded data, not the organization's installed solutions. */
export const installationState: readonly string[] = [jobsKey, installedKey];
const keptJobs = 20;
/** The namespace of the ids the platform gives rows it creates at import (environment variable definitions, role copies). */
const platformNamespace = "7b1c5c7e-2f8e-4a57-9d0c-6e0b2f8f4a10";

export interface InstallerOptions {
  readonly db: Database.Database;
  readonly rows: RowStore;
  readonly dataDir: string;
  readonly now: () => Date;
  /** Microsoft's XSDs (`CustomizationsSolution.xsd`); whole-document validation runs when they and xmllint are there. */
  readonly schemasDir?: string;
}

/**
 * The sandbox's solution import: reads a zip as Dataverse does, refuses what Dataverse refuses,
 * and on success composes the organization (the platform's baseline plus every installed
 * solution), adds the tables' columns to the store (additive, so ids and data stay across an
 * upgrade), and writes the rows the platform keeps about it (`solutions`, `roles`, `savedqueries`,
 * `systemforms`, environment variable definitions). Accepted zips are kept in the data folder, so
 * a restart installs the same organization before it imports anything new.
 */
export class SolutionInstaller {
  private readonly installed = new Map<string, Installed>();

  constructor(private readonly o: InstallerOptions) {
    installCatalog(this.compose());
  }

  private get folder(): string {
    return join(this.o.dataDir, "solutions");
  }

  /** Installs again, without checks, the solutions this data folder accepted before. */
  async restore(): Promise<void> {
    if (!existsSync(this.folder)) return;
    for (const name of readdirSync(this.folder)
      .filter((f) => f.endsWith(".zip"))
      .sort()) {
      try {
        // By name, the product (`CaseFileExchange.zip`) comes before the solutions built on it.
        const before = [...this.installed.values()].flatMap((i) => i.read.relationships);
        const { read, ui } = await readPackage(new Uint8Array(readFileSync(join(this.folder, name))), before);
        const previous = (readState(this.o.db, installedKey, {}) as Record<string, string>)[read.solution.uniqueName];
        this.installed.set(read.solution.uniqueName, {
          solution: { ...read.solution, installedOn: previous ?? this.o.now().toISOString() },
          read,
          ui,
        });
      } catch {
        // A kept zip this version of the sandbox cannot read any more: the next import replaces it.
      }
    }
    this.apply();
  }

  /** Imports a solution zip; resolves with the job, or rejects with ImportRefused carrying the job and its log. */
  async import(zip: Uint8Array, source: string): Promise<ImportJob> {
    const startedOn = this.o.now().toISOString();
    const log: ImportLogEntry[] = [];
    const note = (level: ImportLogEntry["level"], message: string, where?: { file: string; element: string }) =>
      log.push({ at: this.o.now().toISOString(), level, message, ...where });
    note("info", `Import of ${source} (${zip.byteLength} bytes) started.`);
    let read: ReadSolution | undefined;
    try {
      const pkg = await unzipSolution(zip);
      const customizations = pkg.parts.get("customizations.xml");
      if (customizations && this.o.schemasDir) {
        const checked = validateAgainstSchema(customizations, this.o.schemasDir);
        if (checked) note("info", `customizations.xml validated against ${checked}.`);
        else
          note(
            "warning",
            "customizations.xml was not validated against Microsoft's schema (xmllint or the schemas are not on this machine).",
          );
      }
      read = readSolution(pkg, catalog().relationships);
      const ui = readUi(new TextDecoder().decode(customizations));
      note(
        "info",
        `Solution ${read.solution.uniqueName} ${read.solution.version} (${read.solution.managed ? "managed" : "unmanaged"}), publisher ${read.solution.publisher.uniqueName}.`,
      );
      validateSolution(read, ui, catalog());
      for (const w of importWarnings(read, ui)) note("warning", w.message, { file: w.file, element: w.element });
      const previous = this.installed.get(read.solution.uniqueName);
      this.installed.set(read.solution.uniqueName, { solution: { ...read.solution, installedOn: this.o.now().toISOString() }, read, ui });
      this.apply();
      mkdirSync(this.folder, { recursive: true });
      writeFileSync(join(this.folder, `${read.solution.uniqueName}.zip`), zip);
      note(
        "info",
        `${previous ? `Upgraded from ${previous.solution.version}` : "Installed"}: ${read.tables.length} tables, ${read.choices.length} choices, ${ui.forms.length} forms, ${ui.views.length} views, ${ui.dashboards.length} dashboards, ${ui.commands.length} commands, ${read.webResources.length} web resources, ${read.settings.length} environment variables, ${read.roles.length} roles.`,
      );
      return this.record({ startedOn, source, read, succeeded: true, log });
    } catch (e) {
      if (!isSolutionImportError(e)) throw e;
      note("error", e.reason, { file: e.file, element: e.element });
      note("error", `The import of ${source} failed; nothing was changed.`);
      throw new ImportRefused(this.record({ startedOn, source, read, succeeded: false, log }), e);
    }
  }

  /** The last imports, newest first. */
  jobs(): ImportJob[] {
    return readState<ImportJob[]>(this.o.db, jobsKey, []);
  }

  /** Writes the platform's rows about the installed solutions again (after a reset emptied the store). */
  writePlatformRows(): void {
    const { rows } = this.o;
    const upsert = (table: TableDef, row: Row) => {
      const id = String(row[table.primaryIdColumn]);
      if (rows.get(table, id)) rows.update(table, id, row);
      else rows.insert(table, row);
    };
    rows.transaction(() => {
      // Every business unit holds its own copy of each role, the platform's and the imported ones:
      // the root unit's has the role's own id, the others a new one, all with parentrootroleid →
      // the root role.
      const units = new Set([rootBusinessUnitId, ...rows.all(businessUnitBaselineTable).map((u) => String(u.businessunitid))]);
      for (const role of catalog().roles) {
        for (const unit of units) {
          upsert(roleTable, {
            roleid: roleCopyId(role.id, unit),
            name: role.name,
            businessunitid: unit,
            businessunitid__table: "businessunit",
            parentrootroleid: role.id.replace(/[{}]/g, "").toLowerCase(),
            parentrootroleid__table: "role",
          });
        }
      }
      for (const profile of catalog().fieldSecurityProfiles) {
        upsert(fieldSecurityProfileTable, {
          fieldsecurityprofileid: profile.id,
          name: profile.name,
          description: profile.description,
        });
        for (const p of profile.permissions) {
          upsert(fieldPermissionTable, {
            fieldpermissionid: uuidv5(`fieldpermission/${profile.id}/${p.table}/${p.column}`, platformNamespace),
            fieldsecurityprofileid: profile.id,
            fieldsecurityprofileid__table: "fieldsecurityprofile",
            entityname: p.table,
            attributelogicalname: p.column,
            canread: p.read ? 4 : 0,
            cancreate: p.create ? 4 : 0,
            canupdate: p.update ? 4 : 0,
          });
        }
      }
      for (const { solution, ui } of this.installed.values()) {
        upsert(solutionTable, {
          solutionid: uuidv5(`solution/${solution.uniqueName}`, platformNamespace),
          uniquename: solution.uniqueName,
          friendlyname: solution.friendlyName,
          version: solution.version,
          ismanaged: solution.managed ? 1 : 0,
          publisheruniquename: solution.publisher.uniqueName,
          installedon: solution.installedOn,
        });
        for (const view of ui.views) {
          upsert(savedQueryTable, {
            savedqueryid: view.key,
            name: view.name,
            description: view.description ?? null,
            returnedtypecode: view.table,
            querytype: queryType[view.kind],
            isdefault: view.isDefault ? 1 : 0,
          });
        }
        for (const form of ui.forms) {
          upsert(systemFormTable, {
            formid: form.key,
            name: form.name,
            description: form.description,
            objecttypecode: form.table,
            type: 2,
          });
        }
        for (const dashboard of ui.dashboards) {
          upsert(systemFormTable, {
            formid: dashboard.key,
            name: dashboard.name,
            description: dashboard.description,
            objecttypecode: "none",
            type: 0,
          });
        }
        const definitions = catalog().tables.find((t) => t.logicalName === "environmentvariabledefinition");
        for (const setting of this.installed.get(solution.uniqueName)?.read.settings ?? []) {
          if (!definitions) break;
          upsert(definitions, {
            environmentvariabledefinitionid: environmentVariableDefinitionId(setting.schemaName),
            schemaname: setting.schemaName,
            displayname: setting.displayName,
            defaultvalue: setting.defaultValue,
            type: environmentVariableType[setting.type],
          });
        }
      }
    });
  }

  /** Composes the organization again and makes the store and the platform rows follow it. */
  private apply(): void {
    const next = this.compose();
    ensureSchema(this.o.db, next.tables);
    installCatalog(next);
    this.writePlatformRows();
    writeState(
      this.o.db,
      installedKey,
      Object.fromEntries([...this.installed.values()].map((i) => [i.solution.uniqueName, i.solution.installedOn])),
    );
  }

  private compose(): Catalog {
    const solutions = [...this.installed.values()];
    return {
      tables: withExtensions(
        [...platformTables, ...solutions.flatMap((s) => s.read.tables)],
        solutions.flatMap((s) => s.read.tableExtensions),
      ),
      relationships: solutions.flatMap((s) => s.read.relationships),
      choices: solutions.flatMap((s) => s.read.choices),
      forms: solutions.flatMap((s) => s.ui.forms),
      views: [...platformViews, ...solutions.flatMap((s) => s.ui.views)],
      dashboards: solutions.flatMap((s) => s.ui.dashboards),
      commands: solutions.flatMap((s) => s.ui.commands),
      webResources: solutions.flatMap((s) => s.read.webResources),
      settings: solutions.flatMap((s) => s.read.settings),
      roles: [...platformRoles, ...solutions.flatMap((s) => s.read.roles)],
      fieldSecurityProfiles: solutions.flatMap((s) => s.read.fieldSecurityProfiles),
      solutions: solutions.map((s) => s.solution),
    };
  }

  private record(o: { startedOn: string; source: string; read?: ReadSolution; succeeded: boolean; log: ImportLogEntry[] }): ImportJob {
    const job: ImportJob = {
      id: crypto.randomUUID(),
      startedOn: o.startedOn,
      completedOn: this.o.now().toISOString(),
      source: o.source,
      solution: o.read?.solution.uniqueName,
      version: o.read?.solution.version,
      succeeded: o.succeeded,
      log: o.log,
    };
    writeState(this.o.db, jobsKey, [job, ...this.jobs()].slice(0, keptJobs));
    return job;
  }
}

/** The tables with the columns solutions added to tables they do not own (the Case's rollup columns). */
function withExtensions(tables: readonly TableDef[], extensions: readonly TableExtension[]): TableDef[] {
  return tables.map((t) => {
    const added = extensions.filter((x) => x.table === t.logicalName).flatMap((x) => x.columns);
    if (added.length === 0) return t;
    const own = new Set(added.map((c) => c.logicalName));
    return { ...t, columns: [...t.columns.filter((c) => !own.has(c.logicalName)), ...added] };
  });
}

async function readPackage(zip: Uint8Array, installed: ReadSolution["relationships"]): Promise<{ read: ReadSolution; ui: ReadUi }> {
  const pkg = await unzipSolution(zip);
  const read = readSolution(pkg, installed);
  const ui = readUi(new TextDecoder().decode(pkg.parts.get("customizations.xml")));
  return { read, ui };
}

/** The id of a business unit's copy of a role: the root unit holds the solution's own id. */
export function roleCopyId(rootRoleId: string, businessUnitId: string): string {
  const root = rootRoleId.replace(/[{}]/g, "").toLowerCase();
  return businessUnitId === rootBusinessUnitId ? root : uuidv5(`role/${root}/${businessUnitId}`, platformNamespace);
}

/** The id the organization gives an environment variable definition: fixed per schema name, so seeded values find it. */
export function environmentVariableDefinitionId(schemaName: string): string {
  return uuidv5(`envvar/${schemaName.toLowerCase()}`, platformNamespace);
}

/** `environmentvariabledefinition.type`: String, Number, Boolean, JSON. */
const environmentVariableType = { string: 100000000, number: 100000001, boolean: 100000002, json: 100000003 } as const;

/** `savedquery.querytype` per view kind. */
const queryType = { public: 0, advancedfind: 1, associated: 2, quickfind: 4, lookup: 64 } as const;
