import { schemaErrors } from "../../sandbox/install/schemaValidation";
/**
 * Builds the solution zip the way `npm run build:solution` does, unzips it and checks it against
 * the format facts (../shared/reference/dataverse.md §5) and Microsoft's XSDs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import JSZip from "jszip";
import { allTables, fieldSecurityProfiles, globalChoices, productTables, roleDefs, settingDefs } from "../../src/model";
import { caseForm, formDefs } from "../../src/model/forms";
import { webResources } from "../../src/model/webresources";
import { solutionParts, zipParts } from "../../solution/buildSolution";
import { tableColumns } from "../../solution/attributes";
import { formId } from "../../solution/formXml";
import { dashboardDefs, supervisorDashboard } from "../../src/model/dashboards";
import { viewByKey } from "../../src/model/views";
import { caseStatusColumns, caseViews } from "../../src/model/caseStatus";
import { dashboardId } from "../../solution/dashboardXml";
import { viewId } from "../../solution/savedQueryXml";
import { webResourcePart } from "../../solution/webResources";

const root = resolve(__dirname, "../..");
const dist = join(root, "webresources", "dist");
const schemas = resolve(root, "../shared/schemas");

/** The real build when `npm run build:web` has run; otherwise stand-in bytes, said out loud. */
function readWebResource(name: string): Uint8Array {
  const file = join(dist, ...name.split("/"));
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  return new TextEncoder().encode(`/* stand-in for ${name}: webresources/dist has no build of it */`);
}

let zip: JSZip;
let customizations: string;
let solution: string;
let zipPath: string;

beforeAll(async () => {
  const missing = webResources.filter((w) => !existsSync(join(dist, ...w.name.split("/"))));
  if (missing.length)
    console.log(
      `webresources/dist lacks ${missing.length} built file(s); the test packs stand-ins for them: ${missing.map((m) => m.name).join(", ")}`,
    );
  const bytes = await zipParts(solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource }));
  zipPath = join(mkdtempSync(join(tmpdir(), "cfx-solution-")), "CaseFileExchange_0.1.0.0.zip");
  writeFileSync(zipPath, bytes);
  zip = await JSZip.loadAsync(bytes);
  customizations = await zip.file("customizations.xml")!.async("string");
  solution = await zip.file("solution.xml")!.async("string");
});

const all = (xml: string, re: RegExp) => [...xml.matchAll(re)].map((m) => m[1]);

describe("the built solution zip", () => {
  it("is flat, with forward slashes and no directory entries", () => {
    const names = Object.keys(zip.files);
    expect(names.every((n) => !zip.files[n].dir && !n.includes("\\"))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(["customizations.xml", "solution.xml", "[Content_Types].xml"]));
  });

  it("holds every file customizations.xml refers to, and nothing it does not", () => {
    const referenced = all(customizations, /<FileName>\/([^<]+)<\/FileName>/g);
    expect(referenced).toHaveLength(webResources.length);
    for (const path of referenced) expect(zip.file(path)).not.toBeNull();
    const envVars = settingDefs.map((s) => `environmentvariabledefinitions/${s.schemaName}/environmentvariabledefinition.xml`);
    // The rollup columns and their definition files are the Case status solution's.
    expect(all(customizations, /<FormulaDefinitionFileName>\/([^<]+)<\/FormulaDefinitionFileName>/g)).toEqual([]);
    const expected = new Set(["customizations.xml", "solution.xml", "[Content_Types].xml", ...referenced, ...envVars]);
    expect(Object.keys(zip.files).filter((n) => !expected.has(n))).toEqual([]);
  });

  it("ships no source maps or fonts", () => {
    expect(all(customizations, /<Name>(cfx_\/[^<]+)<\/Name>/g).filter((n) => /\.(map|woff2?|ttf|eot)$/.test(n))).toEqual([]);
  });

  it("ships no script that points the browser at a source map it does not ship", async () => {
    // A `//# sourceMappingURL=` comment makes the browser's developer tools fetch a map that is not
    // in the zip (maps are never web resources), so the shipped scripts must carry none.
    const scripts = webResources.filter((w) => w.type === "js");
    expect(scripts.length).toBeGreaterThan(0);
    for (const w of scripts) {
      const body = await zip.file(webResourcePart(w.name))!.async("string");
      expect({ name: w.name, mapped: body.includes("sourceMappingURL") }).toEqual({ name: w.name, mapped: false });
    }
  });

  it("declares every component as a root component", () => {
    const roots = all(solution, /<RootComponent ([^>]*)\/>/g);
    const has = (type: number, key: string) => roots.some((r) => r.includes(`type="${type}"`) && r.includes(`"${key}"`));
    for (const t of productTables) expect(has(1, t.logicalName)).toBe(true);
    expect(roots.some((r) => r.includes('type="1"') && r.includes('schemaName="incident"') && r.includes('behavior="2"'))).toBe(true);
    expect(has(60, formId(caseForm))).toBe(true);
    for (const d of dashboardDefs) expect(has(60, dashboardId(d))).toBe(true);
    for (const c of globalChoices) expect(has(9, c.name)).toBe(true);
    for (const r of roleDefs) expect(has(20, `{${r.id}}`)).toBe(true);
    for (const w of webResources) expect(has(61, w.name)).toBe(true);
    for (const s of settingDefs) expect(has(380, s.schemaName)).toBe(true);
    for (const p of fieldSecurityProfiles) expect(has(70, `{${p.id}}`)).toBe(true);
    for (const v of caseViews) expect(has(26, viewId(v))).toBe(false);
    expect(roots).toHaveLength(
      productTables.length +
        2 +
        dashboardDefs.length +
        globalChoices.length +
        roleDefs.length +
        fieldSecurityProfiles.length +
        webResources.length +
        settingDefs.length,
    );
  });

  it("ships the field security profiles, and secures exactly the columns they open", () => {
    const profiles = all(customizations, /<FieldSecurityProfile ([\s\S]*?)<\/FieldSecurityProfile>/g);
    expect(profiles).toHaveLength(fieldSecurityProfiles.length);
    for (const p of fieldSecurityProfiles) {
      const xml = profiles.find((x) => x.includes(`fieldsecurityprofileid="{${p.id}}"`))!;
      expect(xml).toContain(`name="${p.name}"`);
      for (const f of p.permissions) {
        const flag = (b: boolean) => (b ? 4 : 0);
        const parts = [
          `<EntityName>${f.table}</EntityName>`,
          `<AttributeName>${f.column}</AttributeName>`,
          `<CanRead>${flag(f.read)}</CanRead>`,
          `<CanUpdate>${flag(f.update)}</CanUpdate>`,
          `<CanCreate>${flag(f.create)}</CanCreate>`,
        ];
        expect(xml).toMatch(new RegExp(parts.join("\\s*")));
      }
    }
    const securedColumns = all(customizations, /<attribute PhysicalName="(\w+)">(?:(?!<\/attribute>)[\s\S])*?<IsSecured>1<\/IsSecured>/g);
    expect(securedColumns.map((c) => c.toLowerCase()).sort()).toEqual([
      "cfx_expiryoverride",
      "cfx_expiryoverride",
      "cfx_keptsince",
      "cfx_keptsince",
      "cfx_removedon",
    ]);
  });

  it("ships the supervisors' dashboard: the retention tile across the top, then grids over views the solution ships, three side by side and one wide", () => {
    const dashboards = all(customizations, /<Dashboard>([\s\S]*?)<\/Dashboard>/g);
    expect(dashboards).toHaveLength(dashboardDefs.length);
    const xml = dashboards[0];
    expect(xml).toContain(`<FormId>${dashboardId(supervisorDashboard)}</FormId>`);
    expect(xml).toMatch(/<forms type="dashboard">\s*<form>/);
    expect(xml).toContain('columns="111"');
    const lists = [...supervisorDashboard.top, supervisorDashboard.wide];
    const viewIds = all(xml, /<ViewId>([^<]+)<\/ViewId>/g);
    expect(viewIds).toEqual(lists.map((l) => viewId(viewByKey(l.view))));
    // Each is a view this solution ships, on the exchange table.
    for (const id of viewIds) expect(customizations).toContain(`<savedqueryid>${id}</savedqueryid>`);
    expect(all(xml, /<TargetEntityType>([^<]+)<\/TargetEntityType>/g)).toEqual(lists.map(() => "cfx_fileexchange"));
    expect(all(xml, /colspan="(\d+)"/g)).toEqual(["3", "1", "1", "1", "3"]);
    // The web resource across the top is one the solution ships.
    expect(all(xml, /<Url>([^<]+)<\/Url>/g)).toEqual(["cfx_/dashboards/retention-health.html"]);
  });

  it("has a [Content_Types].xml that covers every extension-less part", async () => {
    const types = await zip.file("[Content_Types].xml")!.async("uint8array");
    expect([...types.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const xml = new TextDecoder().decode(types);
    expect(xml).toContain('<Default Extension="xml" ContentType="application/octet-stream" />');
    for (const name of Object.keys(zip.files).filter((n) => !/\.[a-z]+$/i.test(n.split("/").pop()!))) {
      expect(xml).toContain(`<Override PartName="/${name}" ContentType="application/octet-stream" />`);
    }
  });

  it("defines every setting as an environment variable with its default and no current value", async () => {
    for (const s of settingDefs) {
      const xml = await zip.file(`environmentvariabledefinitions/${s.schemaName}/environmentvariabledefinition.xml`)!.async("string");
      expect(xml).toContain(`schemaname="${s.schemaName}"`);
      if (s.defaultValue) expect(xml).toContain("<defaultvalue>");
      else expect(xml).not.toContain("<defaultvalue>");
    }
    expect(Object.keys(zip.files).filter((n) => n.endsWith("environmentvariablevalues.json"))).toEqual([]);
  });

  it("puts the exchange under the case: shared, reparented and deleted with it, never assigned with it", () => {
    const rel = customizations.match(/<EntityRelationship Name="cfx_incident_cfx_fileexchange_CaseId">[\s\S]*?<\/EntityRelationship>/)![0];
    for (const c of ["Delete", "Reparent", "Share", "Unshare"]) expect(rel).toContain(`<Cascade${c}>Cascade</Cascade${c}>`);
    expect(rel).toContain("<CascadeAssign>NoCascade</CascadeAssign>");
    expect(rel).toContain("<ReferencedEntityName>Incident</ReferencedEntityName>");
  });

  it("carries only our form on the Case: no column, view or command bar that could replace the organization's", () => {
    const kase = customizations.match(/<Entity>\s*<Name [^>]*>Incident<\/Name>[\s\S]*?<\/Entity>/)![0];
    expect(kase).toContain('<entity Name="Incident" unmodified="1">');
    expect(kase).toContain(`<formid>${formId(caseForm)}</formid>`);
    expect(all(kase, /<attribute PhysicalName="([^"]+)">/g)).toEqual([]);
    expect(all(kase, /<savedqueryid>\{?([^<}]+)\}?<\/savedqueryid>/g)).toEqual([]);
    expect(kase).not.toMatch(/<RibbonDiffXml/);
  });

  it("leaves the Case's status columns and views to the Case status solution: its columns, their definitions and the views, on the Case only", async () => {
    const status = await JSZip.loadAsync(
      await zipParts(solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource, package: "caseStatus" })),
    );
    const xml = await status.file("customizations.xml")!.async("string");
    const kase = xml.match(/<Entity>\s*<Name [^>]*>Incident<\/Name>[\s\S]*?<\/Entity>/)![0];
    expect(all(kase, /<attribute PhysicalName="([^"]+)">/g)).toEqual(caseStatusColumns.map((c) => c.schemaName));
    expect(all(kase, /<savedqueryid>\{?([^<}]+)\}?<\/savedqueryid>/g).map((id) => `{${id}}`)).toEqual(caseViews.map(viewId));
    expect(kase).not.toMatch(/<systemform|<RibbonDiffXml/);
    for (const path of all(xml, /<FormulaDefinitionFileName>\/([^<]+)<\/FormulaDefinitionFileName>/g))
      expect(status.file(path)).not.toBeNull();
    const manifest = await status.file("solution.xml")!.async("string");
    const roots = all(manifest, /<RootComponent ([^>]*)\/>/g);
    expect(roots).toHaveLength(1 + caseViews.length);
  });

  it("declares the Case table as missing from Dynamics 365 Customer Service", () => {
    expect(solution).toMatch(/<Required type="1" schemaName="incident" displayName="Case" solution="msdynce_Service/);
  });

  it("has the ticket's panel, form script, onload handler and Notify Support command", () => {
    expect(customizations).toContain('<control id="WebResource_cfx_ticketpanel" classid="{9FDF5F91-88B1-47f4-AD53-C11EFC01A01D}">');
    expect(customizations).toContain('<control id="WebResource_cfx_casepanel" classid="{9FDF5F91-88B1-47f4-AD53-C11EFC01A01D}">');
    expect(customizations).toMatch(/<Handler functionName="cfx\.TicketForm\.onLoad" libraryName="cfx_\/js\/forms\.js"/);
    expect(customizations).toMatch(/<Handler functionName="cfx\.CaseForm\.onLoad" libraryName="cfx_\/js\/forms\.js"/);
    expect(customizations).toMatch(
      /<JavaScriptFunction Library="\$webresource:cfx_\/js\/forms\.js" FunctionName="cfx\.TicketForm\.notifySupport">\s*<CrmParameter Value="PrimaryControl" \/>/,
    );
  });

  it("gives the supervisors' view the case's number, title, customer and owner through a link to the case", () => {
    const view = customizations.match(/<savedquery>(?:(?!<\/savedquery>)[\s\S])*File Exchanges with Their Cases[\s\S]*?<\/savedquery>/)![0];
    const link = view.match(/<link-entity [^>]*name="incident" from="incidentid" to="cfx_caseid"[^>]*>[\s\S]*?<\/link-entity>/)![0];
    for (const c of ["ticketnumber", "title", "customerid", "ownerid"]) expect(link).toContain(`<attribute name="${c}" />`);
    expect(view).toMatch(/<order attribute="cfx_stage"[\s\S]*<order attribute="cfx_expireson"/);
  });

  it("ships every web resource a form or command refers to, under the id the form names", () => {
    const shipped = new Map(
      [...customizations.matchAll(/<WebResourceId>([^<]+)<\/WebResourceId>\s*<Name>([^<]+)<\/Name>/g)].map((m) => [m[2], m[1]]),
    );
    expect(shipped.size).toBe(webResources.length);
    const panels = [...customizations.matchAll(/<Url>([^<]+)<\/Url>[\s\S]*?<WebResourceId>([^<]+)<\/WebResourceId>/g)];
    expect(panels.map((m) => m[1]).sort()).toEqual([
      "cfx_/dashboards/retention-health.html",
      "cfx_/panels/case.html",
      "cfx_/panels/ticket.html",
    ]);
    for (const m of panels) expect(shipped.get(m[1])).toBe(m[2]);
    for (const name of all(customizations, /<Library name="([^"]+)"/g)) expect(shipped.has(name)).toBe(true);
    for (const name of all(customizations, /Library="\$webresource:([^"]+)"/g)) expect(shipped.has(name)).toBe(true);
    // Command bar icons: an SVG web resource of ours, never a guessed platform icon name.
    const icons = all(customizations, /ModernImage="([^"]+)"/g);
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) {
      expect(icon).toMatch(/^\$webresource:cfx_\/icons\/[^"]+\.svg$/);
      expect(shipped.has(icon.slice("$webresource:".length))).toBe(true);
    }
  });

  it("differs between unmanaged and managed only in the manifest's Managed flag", async () => {
    const managed = await JSZip.loadAsync(
      await zipParts(solutionParts({ version: "0.1.0", managed: true, webResources, readWebResource })),
    );
    expect(Object.keys(managed.files)).toEqual(Object.keys(zip.files));
    expect(await managed.file("customizations.xml")!.async("string")).toBe(customizations);
    expect(await managed.file("solution.xml")!.async("string")).toBe(solution.replace("<Managed>0</Managed>", "<Managed>1</Managed>"));
  });

  it("grants each role only its privileges", () => {
    const role = (name: string) => customizations.match(new RegExp(`<Role id="[^"]*" name="${name}"[^>]*>[\\s\\S]*?</Role>`))![0];
    const agent = role("Case File Exchange Support Agent");
    // Agents reach the exchanges of their unit and the units below it, and create their own.
    expect(agent).toContain('<RolePrivilege name="prvReadcfx_FileExchange" level="Deep" />');
    expect(agent).toContain('<RolePrivilege name="prvCreatecfx_FileExchange" level="Basic" />');
    expect(agent).not.toMatch(/prvDeletecfx_|prvAssigncfx_/);
    const supervisor = role("Case File Exchange Supervisor");
    expect(supervisor).not.toMatch(/prv(Create|Write|Delete|Assign|Share|Append)cfx_/);
    expect(supervisor).toContain('<RolePrivilege name="prvReadcfx_FileExchange" level="Global" />');
    // Specialists own what they create: no Assign on exchanges; the case is read and attached to anywhere.
    const specialist = role("Case File Exchange Service Specialist");
    expect(specialist).toContain('<RolePrivilege name="prvCreatecfx_FileExchange" level="Local" />');
    expect(specialist).not.toContain("prvAssigncfx_FileExchange");
    expect(specialist).toContain('<RolePrivilege name="prvAppendToIncident" level="Global" />');
    expect(role("Case File Exchange Administrator")).toContain('<RolePrivilege name="prvDeletecfx_FileExchange" level="Global" />');
  });

  it("ships the same tables and columns as the data model the sandbox serves", () => {
    // The sandbox's Dataverse builds its tables from `allTables` of src/model; the zip must ship
    // exactly the model's product tables, each with every column of the model.
    for (const t of productTables) {
      expect(allTables).toContain(t);
      const entity = customizations.match(new RegExp(`<entity Name="${t.schemaName}">[\\s\\S]*?</attributes>`))![0];
      const shipped = all(entity, /<LogicalName>([^<]+)<\/LogicalName>/g).sort();
      expect(shipped).toEqual(
        tableColumns(t)
          .map((c) => c.logicalName)
          .sort(),
      );
    }
    expect(all(customizations, /<entity Name="(cfx_[^"]+)">/g).sort()).toEqual(productTables.map((t) => t.schemaName).sort());
    for (const f of formDefs) expect(customizations).toContain(`<formid>${formId(f)}</formid>`);
  });

  const validator = join(schemas, "validate-fragments.sh");
  const haveSchemas = existsSync(validator);
  const haveXmllint = spawnSync("sh", ["-c", "command -v xmllint"]).status === 0;
  if (!haveSchemas || !haveXmllint) {
    console.log(
      `SKIPPED: XSD validation of forms, RibbonDiffXml and fetch — ${!haveSchemas ? `${schemas} is not present` : "xmllint is not installed (apt-get install libxml2-utils)"}.`,
    );
  }
  (haveSchemas && haveXmllint ? it : it.skip)(
    "has forms, RibbonDiffXml and fetch queries that validate against Microsoft's XSDs",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "cfx-xsd-"));
      writeFileSync(join(dir, "customizations.xml"), customizations);
      let out: string;
      try {
        out = execFileSync("bash", [validator, join(dir, "customizations.xml"), schemas], { encoding: "utf8" });
      } catch (e) {
        throw new Error(`validate-fragments.sh failed:\n${(e as { stdout?: string }).stdout ?? e}`);
      }
      const summary = out.trim().split("\n").pop()!;
      expect(summary).toMatch(/^\d+ passed, 0 failed$/);
      const forms = out.split("\n").filter((l) => l.startsWith("PASS form")).length;
      // Every table form and every dashboard's form.
      expect(forms).toBe(formDefs.length + dashboardDefs.length);
    },
  );

  /**
   * The whole customizations.xml against CustomizationsSolution.xsd, with the sandbox import's one
   * allow-list: the 9.0 schema predates elements every current export has (../shared/schemas/README.md).
   */
  (haveSchemas && haveXmllint ? it : it.skip)("passes CustomizationsSolution.xsd apart from what is newer than the schema", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfx-xsd-"));
    writeFileSync(join(dir, "customizations.xml"), customizations);
    const run = spawnSync(
      "xmllint",
      ["--noout", "--schema", join(schemas, "CustomizationsSolution.xsd"), join(dir, "customizations.xml")],
      {
        encoding: "utf8",
      },
    );
    expect(schemaErrors(run.stderr)).toEqual([]);
  });
});
