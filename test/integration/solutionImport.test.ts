import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formDefs, caseForm } from "../../src/model/forms";
import { roleDefs } from "../../src/model";
import { webResources } from "../../src/model/webresources";
import { solutionParts, zipParts, type SolutionPart } from "../../solution/buildSolution";
import { webResourcePart } from "../../solution/webResources";
import { formId } from "../../solution/formXml";
import { canValidate } from "../../sandbox/install/schemaValidation";
import { platformRoles } from "../../sandbox/install/platformRoles";
import { startSandbox, type TestSandbox } from "./support/sandbox";

/**
 * The sandbox installs the product from its solution zip, as a customizer's import would, and
 * refuses what Dataverse's import refuses. Each defective zip below is the shipped one with one
 * defect written into its XML.
 */

const root = resolve(__dirname, "../..");
const schemas = resolve(root, "../shared/schemas");
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A web resource's stand-in content, distinct per name, so the test can tell which bytes are served. */
const stub = (name: string) => utf8(name.endsWith(".html") ? `<!doctype html><title>${name}</title><p>${name}</p>` : `/* ${name} */`);

function shippedParts(version = "0.1.0"): SolutionPart[] {
  return solutionParts({ version, managed: false, webResources, readWebResource: stub });
}

/** The shipped zip with `change` applied to the text of one of its parts. */
async function zipWith(path: string, change: (xml: string) => string, version = "0.1.0"): Promise<Uint8Array> {
  const parts = shippedParts(version).map((p) => (p.path === path ? { path, data: utf8(change(text(p.data))) } : p));
  const changed = parts.find((p) => p.path === path);
  if (!changed) throw new Error(`the zip has no ${path}`);
  return zipParts(parts);
}

let sb: TestSandbox;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "cfx-import-zip-"));
  const zip = join(dir, "CaseFileExchange_0.1.0.0.zip");
  writeFileSync(zip, await zipParts(shippedParts()));
  sb = await startSandbox({ solutionZip: zip });
}, 60_000);
afterAll(async () => {
  await sb.stop();
}, 30_000);

interface Job {
  succeeded: boolean;
  solution?: string;
  version?: string;
  error?: string;
  log: { level: string; message: string; file?: string; element?: string }[];
}

async function importZip(zip: Uint8Array): Promise<{ status: number; job: Job }> {
  const r = await fetch(`${sb.origins.app}/_sandbox/import`, {
    method: "POST",
    headers: { "content-type": "application/zip" },
    body: Buffer.from(zip),
  });
  return { status: r.status, job: (await r.json()) as Job };
}

async function installedVersion(): Promise<string> {
  const r = await sb.fetchAs("admin", `${sb.dataverse}solutions?$select=uniquename,version&$filter=uniquename eq 'CaseFileExchange'`);
  const body = (await r.json()) as { value: { version: string }[] };
  return body.value[0]?.version;
}

describe("npm start's import of the solution zip", () => {
  test("imports the shipped zip clean, and says so in the import log", async () => {
    const jobs = (await (await fetch(`${sb.origins.app}/_sandbox/imports`)).json()) as Job[];
    expect(jobs[0]).toMatchObject({ succeeded: true, solution: "CaseFileExchange", version: "0.1.0.0" });
    expect(jobs[0].log.filter((l) => l.level !== "info")).toEqual([]);
    if (canValidate(schemas))
      expect(jobs[0].log.map((l) => l.message).join("\n")).toMatch(/validated against .*CustomizationsSolution\.xsd/);
  });

  test("the Web API shows the installed product as Dataverse does: solutions, views, forms, roles, WhoAmI", async () => {
    expect(await installedVersion()).toBe("0.1.0.0");
    const get = async (path: string) =>
      ((await (await sb.fetchAs("supervisor", `${sb.dataverse}${path}`)).json()) as { value: Record<string, unknown>[] }).value;
    const views = await get("savedqueries?$select=name,querytype,isdefault&$filter=returnedtypecode eq 'cfx_fileexchange'");
    expect(views).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "File Exchanges with Their Cases", querytype: 0, isdefault: true })]),
    );
    const forms = await get("systemforms?$select=formid,name,type&$filter=objecttypecode eq 'incident'");
    expect(forms).toEqual([
      expect.objectContaining({ formid: formId(caseForm).replace(/[{}]/g, "").toLowerCase(), name: caseForm.name, type: 2 }),
    ]);
    const roles = await get("roles?$select=roleid,name,_parentrootroleid_value");
    for (const role of roleDefs)
      expect(roles).toEqual(
        expect.arrayContaining([expect.objectContaining({ roleid: role.id, name: role.name, _parentrootroleid_value: role.id })]),
      );
    const who = (await (await sb.fetchAs("agent", `${sb.dataverse}WhoAmI`)).json()) as { UserId: string };
    expect(who.UserId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("every business unit holds its own copy of each imported role, pointing at the root role", async () => {
    const r = await sb.fetchAs("admin", `${sb.dataverse}roles?$select=roleid,name,_businessunitid_value,_parentrootroleid_value`);
    const roles = (
      (await r.json()) as { value: { roleid: string; name: string; _businessunitid_value: string; _parentrootroleid_value: string }[] }
    ).value;
    const units = (
      (await (await sb.fetchAs("admin", `${sb.dataverse}businessunits?$select=businessunitid`)).json()) as {
        value: { businessunitid: string }[];
      }
    ).value;
    expect(units.length).toBeGreaterThanOrEqual(2);
    for (const role of roleDefs) {
      const copies = roles.filter((x) => x._parentrootroleid_value === role.id);
      expect(copies.map((c) => c._businessunitid_value).sort()).toEqual(units.map((u) => u.businessunitid).sort());
      expect(new Set(copies.map((c) => c.roleid)).size).toBe(units.length);
      expect(copies.filter((c) => c.roleid === role.id)).toHaveLength(1);
      expect(copies.every((c) => c.name === role.name)).toBe(true);
    }
  });

  test("serves the web resources from the zip's bytes", async () => {
    for (const name of ["cfx_/js/forms.js", "cfx_/panels/case.html"]) {
      const r = await fetch(`${sb.origins.app}/WebResources/${name}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe(text(stub(name)));
    }
    expect((await fetch(`${sb.origins.app}/WebResources/cfx_/js/forms.js.map`)).status).toBe(404);
  });

  test("every form of ours is one the organization now has", async () => {
    const r = await sb.fetchAs("admin", `${sb.dataverse}systemforms?$select=formid&$filter=type eq 2`);
    const ids = ((await r.json()) as { value: { formid: string }[] }).value.map((f) => f.formid);
    for (const form of formDefs) expect(ids).toContain(formId(form).replace(/[{}]/g, "").toLowerCase());
  });
});

describe("refuses what Dataverse's import refuses, and changes nothing", () => {
  const refusals: [string, string, (xml: string) => string, RegExp][] = [
    [
      "a privilege the platform does not have",
      "customizations.xml",
      (xml) => xml.replace("<RolePrivileges>", '<RolePrivileges><RolePrivilege name="prvReadEnvironmentVariableValue" level="Global" />'),
      /RolePrivilege\[prvReadEnvironmentVariableValue\]: the privilege prvReadEnvironmentVariableValue does not exist/,
    ],
    [
      "an unknown component type",
      "solution.xml",
      (xml) => xml.replace("<RootComponents>", '<RootComponents><RootComponent type="12345" schemaName="cfx_thing" behavior="0" />'),
      /solution\.xml: .*RootComponent\[1\]: unknown component type 12345/,
    ],
    [
      "a dependency the organization lacks",
      "solution.xml",
      (xml) =>
        xml.replace(
          "<MissingDependencies>",
          '<MissingDependencies><MissingDependency><Required type="1" schemaName="msdyn_customerasset" displayName="Customer Asset" solution="msdyn_FieldService (8.8.0.0)" /><Dependent type="1" schemaName="cfx_hardwareticket" displayName="Hardware Ticket" /></MissingDependency>',
        ),
      /MissingDependency\[1\]: the solution needs the table msdyn_customerasset \(Customer Asset\) from msdyn_FieldService/,
    ],
    [
      "a field security profile opening a column that is not secured",
      "customizations.xml",
      (xml) => xml.replace("<AttributeName>cfx_keptsince</AttributeName>", "<AttributeName>cfx_expireson</AttributeName>"),
      /FieldPermission\[cfx_fileexchange\.cfx_expireson\]: the column cfx_fileexchange\.cfx_expireson is not secured/,
    ],
    [
      "a field permission that is neither allowed (4) nor not allowed (0)",
      "customizations.xml",
      (xml) => xml.replace("<CanRead>4</CanRead>", "<CanRead>1</CanRead>"),
      /CanRead: 1 is not 0 \(not allowed\) or 4 \(allowed\)/,
    ],
    [
      "an element it cannot read",
      "customizations.xml",
      (xml) => xml.replace("<Type>nvarchar</Type>", "<Type>hologram</Type>"),
      // Microsoft's schema catches it where the schemas are; the reader does everywhere else.
      /customizations\.xml: .*Type: (unknown attribute Type "hologram"|does not match Microsoft's schema \(.*'hologram')/,
    ],
  ];

  test.each(refusals)("%s", async (_what, path, change, message) => {
    const { status, job } = await importZip(await zipWith(path, change));
    expect(status).toBe(400);
    expect(job.succeeded).toBe(false);
    expect(job.error).toMatch(message);
    expect(job.log.at(-1)?.message).toMatch(/failed; nothing was changed/);
    expect(await installedVersion()).toBe("0.1.0.0");
  });

  (canValidate(schemas) ? test : test.skip)("an empty SavedQueries on the Case, which Microsoft's schema refuses", async () => {
    const { status, job } = await importZip(
      await zipWith("customizations.xml", (xml) => xml.replace(/(>Incident<\/Name>[\s\S]*?<\/FormXml>)/, "$1<SavedQueries />")),
    );
    expect(status).toBe(400);
    expect(job.error).toMatch(
      /customizations\.xml: line \d+: SavedQueries: does not match Microsoft's schema \(Element 'SavedQueries': Missing child element/,
    );
  });

  test("a lower version than the installed one", async () => {
    const { status, job } = await importZip(await zipParts(shippedParts("0.0.9")));
    expect(status).toBe(400);
    expect(job.error).toMatch(/version 0\.0\.9\.0 is lower than the installed 0\.1\.0\.0/);
  });
});

describe("accepts, with a warning in its log, what Dataverse accepts but people would meet as a defect", () => {
  test("a script pointing at a source map the zip does not carry", async () => {
    const parts = shippedParts().map((p) =>
      p.path === webResourcePart("cfx_/js/forms.js") ? { ...p, data: utf8(`${text(p.data)}\n//# sourceMappingURL=forms.js.map`) } : p,
    );
    const { status, job } = await importZip(await zipParts(parts));
    expect(status).toBe(200);
    expect(job.log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: "warning",
          message: expect.stringMatching(/source map forms\.js\.map, which the solution does not carry/),
        }),
      ]),
    );
    expect((await fetch(`${sb.origins.app}/WebResources/cfx_/js/forms.js.map`)).status).toBe(404);
  });

  test("a dashboard list whose view has no name column, whose rows nobody can open", async () => {
    const { job } = await importZip(
      await zipWith("customizations.xml", (xml) =>
        // The first dashboard list's view (expiring in 7 days) without its cfx_name cell.
        xml
          .split("<savedquery>")
          .map((view) =>
            view.includes('"Exchanges Expiring in the Next 7 Days"') ? view.replace(/<cell name="cfx_name"[^>]*\/>/, "") : view,
          )
          .join("<savedquery>"),
      ),
    );
    expect(job.log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: "warning",
          message: expect.stringMatching(/"Exchanges Expiring in the Next 7 Days" has no cfx_name column/),
        }),
      ]),
    );
  });

  test("a command icon named rather than shipped", async () => {
    const { job } = await importZip(
      await zipWith("customizations.xml", (xml) =>
        xml.replace(/ModernImage="\$webresource:cfx_\/icons\/notify-support\.svg"/, 'ModernImage="Send"'),
      ),
    );
    expect(job.log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: "warning", message: expect.stringMatching(/ModernImage "Send" names no web resource/) }),
      ]),
    );
  });

  test("choice values outside the publisher's option value prefix", async () => {
    const { job } = await importZip(
      await zipWith("solution.xml", (xml) => xml.replace(/<CustomizationOptionValuePrefix>\d+</, "<CustomizationOptionValuePrefix>58443<")),
    );
    expect(job.log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: "warning", message: expect.stringMatching(/outside the publisher's option value prefix 58443/) }),
      ]),
    );
  });
});

describe("a reset restores the seeded data, not the organization", () => {
  test("the installed solution, its import history and its role copies stay", async () => {
    const before = (await (await fetch(`${sb.origins.app}/_sandbox/imports`)).json()) as Job[];
    expect((await fetch(`${sb.origins.app}/_sandbox/reset`, { method: "POST" })).ok).toBe(true);
    expect(await installedVersion()).toBe("0.1.0.0");
    expect(((await (await fetch(`${sb.origins.app}/_sandbox/imports`)).json()) as Job[]).length).toBe(before.length);
    // Two business units, each with a copy of every role: the product's and the platform's own.
    const r = await sb.fetchAs("admin", `${sb.dataverse}roles?$select=roleid`);
    expect(((await r.json()) as { value: unknown[] }).value.length).toBe((roleDefs.length + platformRoles.length) * 2);
  });
});

describe("an upgrade keeps ids and data", () => {
  test("importing a higher version upgrades in place", async () => {
    const cases = async () =>
      (
        (await (await sb.fetchAs("admin", `${sb.dataverse}cfx_fileexchanges?$select=cfx_fileexchangeid,cfx_name`)).json()) as {
          value: unknown[];
        }
      ).value;
    const before = await cases();
    expect(before.length).toBeGreaterThan(0);
    const { status, job } = await importZip(await zipParts(shippedParts("0.2.0")));
    expect(status).toBe(200);
    expect(job.log.map((l) => l.message).join("\n")).toMatch(/Upgraded from 0\.1\.0\.0/);
    expect(await installedVersion()).toBe("0.2.0.0");
    expect(await cases()).toEqual(before);
  });
});
