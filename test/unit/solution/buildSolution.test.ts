import { settingDefs } from "../../../src/model";
import { webResources } from "../../../src/model/webresources";
import { contentTypesXml, solutionParts, zipFileName, zipParts, type BuildSolutionOptions } from "../../../solution/buildSolution";
import { isSolutionBuildError } from "../../../solution/SolutionBuildError";
import { dataverseVersion } from "../../../solution/solutionXml";

const stub = (name: string) => new TextEncoder().encode(`/* ${name} */`);
const options = (o: Partial<BuildSolutionOptions> = {}): BuildSolutionOptions => ({
  version: "0.1.0",
  managed: false,
  webResources,
  readWebResource: stub,
  ...o,
});
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const part = (parts: { path: string; data: Uint8Array }[], path: string) => decode(parts.find((p) => p.path === path)!.data);

describe("solution versions", () => {
  it.each([
    ["0.1.0", "0.1.0.0"],
    ["1.2.3-beta.1", "1.2.3.0"],
    ["2.0", "2.0.0.0"],
    ["1.2.3.4", "1.2.3.4"],
  ])("writes package version %s as Dataverse version %s", (semver, expected) => {
    expect(dataverseVersion(semver)).toBe(expected);
  });

  it("refuses a version Dataverse cannot take", () => {
    expect(() => dataverseVersion("1.x")).toThrow(/not a version/);
  });

  it("names the zips after the solution, the version and managed or not", () => {
    expect(zipFileName("0.1.0.0", false)).toBe("CaseFileExchange_0.1.0.0.zip");
    expect(zipFileName("0.1.0.0", true)).toBe("CaseFileExchange_0.1.0.0_managed.zip");
  });
});

describe("the solution's files", () => {
  it("come in the export's order: customizations, solution, settings, web resources, content types last", () => {
    const paths = solutionParts(options()).map((p) => p.path);
    expect(paths[0]).toBe("customizations.xml");
    expect(paths[1]).toBe("solution.xml");
    expect(paths[paths.length - 1]).toBe("[Content_Types].xml");
    expect(paths.filter((p) => p.startsWith("environmentvariabledefinitions/"))).toHaveLength(settingDefs.length);
    expect(paths.filter((p) => p.startsWith("WebResources/"))).toHaveLength(webResources.length);
  });

  it("mark the unmanaged and the managed solution", () => {
    expect(part(solutionParts(options()), "solution.xml")).toContain("<Managed>0</Managed>");
    expect(part(solutionParts(options({ managed: true })), "solution.xml")).toContain("<Managed>1</Managed>");
  });

  it("fail with missingWebResource, naming the file and the build command, when a web resource was not built", () => {
    const run = () => solutionParts(options({ readWebResource: (n) => (n === "cfx_/js/vendor.js" ? undefined : stub(n)) }));
    expect(run).toThrow(/cfx_\/js\/vendor\.js.*npm run build:web/);
    try {
      run();
    } catch (e) {
      expect(isSolutionBuildError(e) && e.code).toBe("missingWebResource");
    }
  });

  it("refuse a source map or a font in the web resource list", () => {
    const withMap = [...webResources, { name: "cfx_/js/forms.js.map", displayName: "map", type: "js" as const, description: "" }];
    expect(() => solutionParts(options({ webResources: withMap }))).toThrow(/source maps or fonts/);
  });

  it("zip to the same bytes every time", async () => {
    const a = await zipParts(solutionParts(options()));
    const b = await zipParts(solutionParts(options()));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe("[Content_Types].xml", () => {
  it("starts with a BOM, has the xml and json defaults and an override per extension-less part only", () => {
    const xml = contentTypesXml([
      "customizations.xml",
      "WebResources/cfx_jsformsjsABC",
      "environmentvariabledefinitions/x/environmentvariabledefinition.xml",
    ]);
    expect(xml.startsWith('\uFEFF<?xml version="1.0" encoding="utf-8"?><Types')).toBe(true);
    expect(xml).toContain('<Default Extension="xml" ContentType="application/octet-stream" />');
    expect(xml).toContain('<Override PartName="/WebResources/cfx_jsformsjsABC" ContentType="application/octet-stream" />');
    expect(xml.match(/<Override /g)).toHaveLength(1);
  });
});
