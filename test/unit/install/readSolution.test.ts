import {
  globalChoices,
  optionValuePrefix,
  productTables,
  relationships,
  roleDefs,
  settingDefs,
  type ColumnDef,
  type TableDef,
} from "../../../src/model";
import { rolePrivileges, type PrivilegeDepth } from "../../../src/model/privileges";
import { webResources } from "../../../src/model/webresources";
import { caseStatusColumns } from "../../../src/model/caseStatus";
import { readSolution, unzipSolution, type ReadSolution, type SolutionPackage } from "../../../sandbox/install/readSolution";
import { isSolutionImportError } from "../../../sandbox/install/SolutionImportError";
import { tableColumns } from "../../../solution/attributes";
import { rootComponents, solutionParts, zipParts } from "../../../solution/buildSolution";
import { publisher, solutionInfo } from "../../../solution/platform";
import { privilegeList } from "../../../solution/roleXml";
import { webResourcePart } from "../../../solution/webResources";

const builtContent = (name: string) => new TextEncoder().encode(`/* ${name} */`);

let pkg: SolutionPackage;
let read: ReadSolution;
/** The Case status solution, read as imported after the product. */
let statusPkg: SolutionPackage;
let statusRead: ReadSolution;

beforeAll(async () => {
  const parts = solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource: builtContent });
  pkg = await unzipSolution(await zipParts(parts));
  read = readSolution(pkg);
  const status = solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource: builtContent, package: "caseStatus" });
  statusPkg = await unzipSolution(await zipParts(status));
  statusRead = readSolution(statusPkg, read.relationships);
});

const byName =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

function tableRead(logicalName: string): TableDef {
  const table = read.tables.find((t) => t.logicalName === logicalName);
  if (!table) throw new Error(`The solution read has no table ${logicalName}.`);
  return table;
}

/** The fields of a column the test compares, with `required` as a plain yes or no. */
function comparable(c: ColumnDef) {
  return {
    logicalName: c.logicalName,
    schemaName: c.schemaName,
    type: c.type,
    required: c.required === true,
    maxLength: c.maxLength,
    minValue: c.minValue,
    maxValue: c.maxValue,
    targets: c.targets,
    choice: c.choice && { name: c.choice.name, global: c.choice.global, options: c.choice.options.map((o) => [o.value, o.label, o.state]) },
    dateFormat: c.dateFormat,
    autoNumberFormat: c.autoNumberFormat,
  };
}

const int32 = { min: -2147483648, max: 2147483647 };

/** Targets of the platform's lookups that the model leaves out; the XML names them through the platform's relationships. */
const platformTargets: Readonly<Record<string, readonly string[]>> = {
  createdonbehalfby: ["systemuser"],
  modifiedonbehalfby: ["systemuser"],
  owningteam: ["team"],
  owninguser: ["systemuser"],
};

/**
 * A model column as the packer writes it (solution/attributes.ts) and Dataverse reads it back:
 * the primary key, owner and state are system-required; an auto-numbered column is not required
 * (the platform fills it); lengths and integer ranges take Dataverse's defaults where the model has
 * none; a big integer always spans 64 bits.
 */
function asWritten(column: ColumnDef): ColumnDef {
  const required = ["primarykey", "owner", "state"].includes(column.type) || (column.required === true && !column.autoNumberFormat);
  const lengths =
    column.type === "string"
      ? { maxLength: column.maxLength ?? 100 }
      : column.type === "memo"
        ? { maxLength: column.maxLength ?? 2000 }
        : {};
  const ranges =
    column.type === "integer"
      ? { minValue: column.minValue ?? (column.logicalName.includes("timezone") ? -1 : int32.min), maxValue: column.maxValue ?? int32.max }
      : column.type === "bigint"
        ? { minValue: -(2 ** 63), maxValue: 2 ** 63 }
        : {};
  const targets = column.targets ?? platformTargets[column.logicalName];
  return { ...column, required, ...lengths, ...ranges, ...(targets && { targets }) };
}

describe("reading the solution zip the packer writes", () => {
  it("reads the solution's unique name, friendly name, four-part version, unmanaged flag and publisher", () => {
    expect(read.solution).toEqual({
      uniqueName: solutionInfo.uniqueName,
      friendlyName: solutionInfo.displayName,
      version: "0.1.0.0",
      managed: false,
      publisher: { uniqueName: publisher.uniqueName, prefix: "cfx", optionValuePrefix },
    });
  });

  it("lists the root components the packer put in the manifest", () => {
    const key = (r: { type: number; schemaName?: string; id?: string }) => `${r.type}/${r.schemaName ?? r.id}`;
    expect([...read.rootComponents].sort(byName(key))).toEqual([...rootComponents(webResources)].sort(byName(key)));
  });

  it("lists Customer Service's Case as what each dependent component of ours needs", () => {
    expect(read.missingDependencies.length).toBeGreaterThan(0);
    for (const d of read.missingDependencies) expect(d.required).toMatchObject({ type: 1, schemaName: "incident" });
    expect(read.missingDependencies.map((d) => d.dependent)).toContainEqual(
      expect.objectContaining({ type: 2, schemaName: "cfx_caseid", parentSchemaName: "cfx_fileexchange" }),
    );
  });

  it("reads the product's tables and leaves out the Case, which the zip carries only to hold our form", () => {
    expect(read.tables.map((t) => t.logicalName).sort()).toEqual(productTables.map((t) => t.logicalName).sort());
  });

  it.each(productTables.map((t) => [t.logicalName, t] as const))("reads the table settings of %s", (_, table) => {
    const { columns: _columns, ...settings } = tableRead(table.logicalName);
    const { columns: _modelColumns, ...expected } = table;
    expect(settings).toEqual(expected);
  });

  it.each(productTables.map((t) => [t.logicalName, t] as const))("reads every column of %s as the packer wrote it", (_, table) => {
    const columns = tableRead(table.logicalName).columns;
    expect(columns.map((c) => c.logicalName).sort()).toEqual(
      tableColumns(table)
        .map((c) => c.logicalName)
        .sort(),
    );
    for (const column of tableColumns(table)) {
      const found = columns.find((c) => c.logicalName === column.logicalName)!;
      expect({ table: table.logicalName, ...comparable(found) }).toEqual({ table: table.logicalName, ...comparable(asWritten(column)) });
    }
  });

  it("reads display names, and descriptions wherever the model has one", () => {
    for (const table of productTables) {
      const columns = tableRead(table.logicalName).columns;
      for (const column of tableColumns(table)) {
        const found = columns.find((c) => c.logicalName === column.logicalName)!;
        expect(found.displayName).toBe(column.displayName);
        if (column.description !== undefined) expect(found.description).toBe(column.description);
      }
    }
  });

  it("marks the platform's columns as system columns, as the model does", () => {
    for (const table of productTables) {
      const columns = tableRead(table.logicalName).columns;
      for (const column of tableColumns(table)) {
        expect([column.logicalName, columns.find((c) => c.logicalName === column.logicalName)!.system === true]).toEqual([
          column.logicalName,
          column.system === true,
        ]);
      }
    }
  });

  it("names each lookup's navigation property from its relationship, and the platform's lookups after themselves", () => {
    for (const table of productTables) {
      const columns = tableRead(table.logicalName).columns;
      for (const column of tableColumns(table).filter((c) => c.type === "lookup" || c.type === "owner")) {
        const found = columns.find((c) => c.logicalName === column.logicalName)!;
        expect([column.logicalName, found.navigationProperty]).toEqual([
          column.logicalName,
          column.navigationProperty ?? column.logicalName,
        ]);
      }
    }
  });

  it("gives a choice column the very global choice the solution defines", () => {
    const stage = tableRead("cfx_fileexchange").columns.find((c) => c.logicalName === "cfx_stage")!;
    expect(stage.choice).toBe(read.choices.find((c) => c.name === "cfx_exchangestage"));
  });

  it("reads the model's relationships, with navigation properties and cascades, and leaves out the platform's", () => {
    const key = byName((r: { schemaName: string }) => r.schemaName);
    expect([...read.relationships].sort(key)).toEqual([...relationships].sort(key));
  });

  it("reads the global choices with their values and labels", () => {
    expect(
      read.choices.map((c) => ({
        name: c.name,
        displayName: c.displayName,
        global: c.global,
        options: c.options.map((o) => [o.value, o.label]),
      })),
    ).toEqual(
      globalChoices.map((c) => ({
        name: c.name,
        displayName: c.displayName,
        global: true,
        options: c.options.map((o) => [o.value, o.label]),
      })),
    );
  });

  it("reads every setting's definition, keyed by its schema name", () => {
    expect(read.settings).toEqual(
      settingDefs.map((s) => ({
        schemaName: s.schemaName,
        key: s.schemaName,
        displayName: s.displayName,
        description: s.description,
        type: s.type,
        defaultValue: s.defaultValue,
        required: s.required,
      })),
    );
  });

  it("reads the roles with their fixed ids, names and the privileges the packer granted", () => {
    const depthOf: Readonly<Record<string, PrivilegeDepth>> = {
      Basic: "user",
      Local: "businessUnit",
      Deep: "parentChild",
      Global: "organization",
    };
    expect(read.roles).toEqual(
      roleDefs.map((role) => ({
        id: role.id,
        name: role.name,
        description: "",
        privileges: privilegeList(rolePrivileges.find((p) => p.role === role.key)!).map((p) => ({ name: p.name, depth: depthOf[p.level] })),
      })),
    );
  });

  it("reads the web resources with their names, types and the very bytes that were built", () => {
    expect(read.webResources).toEqual(
      webResources.map((w) => ({
        name: w.name,
        displayName: w.displayName,
        type: w.type,
        description: w.description,
        content: builtContent(w.name),
      })),
    );
  });
});

describe("the Case's rollup columns", () => {
  it("are not in the product's zip, which adds no column to the Case", () => {
    expect(read.tableExtensions.flatMap((x) => x.columns)).toEqual([]);
    expect([...pkg.parts.keys()].filter((p) => p.startsWith("Formulas/"))).toEqual([]);
  });

  it("reads each with its definition from Formulas/, and the _date and _state columns Dataverse adds", () => {
    expect(statusRead.solution.uniqueName).toBe("CaseFileExchangeCaseStatus");
    const extension = statusRead.tableExtensions.find((x) => x.table === "incident");
    expect(extension).toBeDefined();
    for (const column of caseStatusColumns) {
      const readColumn = extension!.columns.find((c) => c.logicalName === column.logicalName);
      expect(readColumn?.type).toBe(column.type);
      expect(readColumn?.rollup).toEqual(column.rollup);
      expect(extension!.columns.find((c) => c.logicalName === `${column.logicalName}_date`)?.type).toBe("datetime");
      expect(extension!.columns.find((c) => c.logicalName === `${column.logicalName}_state`)?.type).toBe("integer");
    }
    expect(extension!.columns).toHaveLength(caseStatusColumns.length * 3);
  });

  it("adds nothing of the Case's own columns", () => {
    const names = statusRead.tableExtensions.flatMap((x) => x.columns.map((c) => c.logicalName));
    expect(names.filter((n) => !n.startsWith("cfx_"))).toEqual([]);
  });
});

describe("a package the import refuses", () => {
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);

  function withoutPart(path: string): SolutionPackage {
    const parts = new Map(pkg.parts);
    if (!parts.delete(path)) throw new Error(`The package has no part ${path}.`);
    return { parts };
  }

  /** The package with one XML part changed; fails when the edit no longer finds what it changes. */
  function withEdit(path: string, edit: (xml: string) => string): SolutionPackage {
    const before = decode(pkg.parts.get(path)!);
    const after = edit(before);
    if (after === before) throw new Error(`The edit changed nothing in ${path}.`);
    return { parts: new Map(pkg.parts).set(path, new TextEncoder().encode(after)) };
  }

  const importError = (file: string, element: string | RegExp, reason: RegExp) =>
    expect.objectContaining({
      name: "SolutionImportError",
      file,
      element: typeof element === "string" ? element : expect.stringMatching(element),
      reason: expect.stringMatching(reason),
    });

  it("stops without customizations.xml", () => {
    expect(() => readSolution(withoutPart("customizations.xml"))).toThrow(
      importError("customizations.xml", "ImportExportXml", /no customizations\.xml/),
    );
  });

  it("stops at customizations.xml that is not well-formed XML", () => {
    const broken = withEdit("customizations.xml", (xml) => xml.slice(0, Math.floor(xml.length / 2)));
    expect(() => readSolution(broken)).toThrow(importError("customizations.xml", "ImportExportXml", /not well-formed XML/));
  });

  it("stops at an attribute of a Type it does not know, naming the table and the attribute", () => {
    const money = withEdit("customizations.xml", (xml) =>
      xml.replace(/(<attribute PhysicalName="cfx_TotalBytes">\s*<Type>)bigint/, "$1money"),
    );
    expect(() => readSolution(money)).toThrow(
      importError("customizations.xml", /Entity\[cfx_FileExchange\].*attribute\[cfx_TotalBytes\]\/Type$/, /unknown attribute Type "money"/),
    );
  });

  it("stops at a role privilege of a depth it does not know", () => {
    const depth = withEdit("customizations.xml", (xml) => xml.replace(/(name="prvReadcfx_FileExchange" level=)"Deep"/, '$1"Everywhere"'));
    expect(() => readSolution(depth)).toThrow(
      importError(
        "customizations.xml",
        /Role\[Case File Exchange Support Agent\]\/RolePrivilege\[prvReadcfx_FileExchange\]$/,
        /unknown privilege depth "Everywhere"/,
      ),
    );
  });

  it("stops at a web resource whose file is not in the zip", () => {
    const part = webResourcePart("cfx_/js/vendor.js");
    expect(() => readSolution(withoutPart(part))).toThrow(
      importError("customizations.xml", /WebResource\[cfx_\/js\/vendor\.js\]\/FileName$/, new RegExp(`no part ${part}`)),
    );
  });

  /** The Case status package with one file edited, read as imported after the product. */
  function statusWithEdit(path: string, edit: (xml: string) => string): SolutionPackage {
    const before = decode(statusPkg.parts.get(path)!);
    const after = edit(before);
    if (after === before) throw new Error(`The edit changed nothing in ${path}.`);
    return { parts: new Map(statusPkg.parts).set(path, new TextEncoder().encode(after)) };
  }
  const statusWithout = (path: string): SolutionPackage => {
    const parts = new Map(statusPkg.parts);
    parts.delete(path);
    return { parts };
  };

  it("stops at the Case status solution imported before the product, whose relationship its rollups count over", () => {
    expect(() => readSolution(statusPkg)).toThrow(
      importError("Formulas/incident-cfx_backupsreadycount.xaml", /Relationship\]$/, /not a one-to-many relationship/),
    );
  });

  it("stops at a rollup column whose definition file is not in the zip", () => {
    expect(() => readSolution(statusWithout("Formulas/incident-cfx_backupsreadycount.xaml"), read.relationships)).toThrow(
      importError("customizations.xml", /attribute\[cfx_BackupsReadyCount\]\/FormulaDefinitionFileName$/, /not in the solution zip/),
    );
  });

  it("stops at a calculated column, which the sandbox does not compute", () => {
    const calculated = statusWithEdit("customizations.xml", (xml) =>
      xml.replace(/(<attribute PhysicalName="cfx_BackupsSharedCount">[\s\S]*?<SourceType>)2/, "$11"),
    );
    expect(() => readSolution(calculated, read.relationships)).toThrow(
      importError("customizations.xml", /attribute\[cfx_BackupsSharedCount\]\/SourceType$/, /rollup columns \(2\) only/),
    );
  });

  it("stops at a rollup over a relationship that does not lead from its table", () => {
    const other = statusWithEdit("Formulas/incident-cfx_awaitingfilescount.xaml", (xml) =>
      xml.replace("cfx_incident_cfx_fileexchange_CaseId", "cfx_fileexchange_cfx_filereceipt_ExchangeId"),
    );
    expect(() => readSolution(other, read.relationships)).toThrow(
      importError(
        "Formulas/incident-cfx_awaitingfilescount.xaml",
        /Relationship\]$/,
        /not a one-to-many relationship of the solution or the installed ones from incident/,
      ),
    );
  });

  it("reads a relationship whose actions match no preset as configurable, action by action", () => {
    const configurable = withEdit("customizations.xml", (xml) =>
      xml.replace(/(<EntityRelationship Name="cfx_fileexchange_cfx_filereceipt_ExchangeId">[\s\S]*?<CascadeAssign>)Cascade/, "$1NoCascade"),
    );
    const rel = readSolution(configurable).relationships.find((r) => r.schemaName === "cfx_fileexchange_cfx_filereceipt_ExchangeId");
    expect(rel).toMatchObject({
      cascade: "configurable",
      actions: { assign: "NoCascade", delete: "Cascade", reparent: "Cascade", share: "Cascade", unshare: "Cascade" },
    });
  });

  it("stops at a cascade behaviour it does not know", () => {
    const unknown = withEdit("customizations.xml", (xml) =>
      xml.replace(/(<EntityRelationship Name="cfx_fileexchange_cfx_filereceipt_ExchangeId">[\s\S]*?<CascadeShare>)Cascade/, "$1Sometimes"),
    );
    expect(() => readSolution(unknown)).toThrow(
      importError(
        "customizations.xml",
        /EntityRelationship\[cfx_fileexchange_cfx_filereceipt_ExchangeId\]\/CascadeShare$/,
        /unknown cascade behavior "Sometimes"/,
      ),
    );
  });

  it("stops at a file that is not a zip", async () => {
    const rejection = unzipSolution(new TextEncoder().encode("not a zip"));
    await expect(rejection).rejects.toThrow(importError("(zip)", "archive", /not a zip/));
    await expect(rejection.catch((e: unknown) => isSolutionImportError(e))).resolves.toBe(true);
  });
});
