import { caseStatusColumns, casesWithStatusView } from "../../../src/model/caseStatus";
import { webResources } from "../../../src/model/webresources";
import { ComponentType, rootComponents, solutionParts, type SolutionPart } from "../../../solution/buildSolution";
import { viewId } from "../../../solution/savedQueryXml";

const builtContent = (name: string) => new TextEncoder().encode(`/* ${name} */`);
let parts: SolutionPart[];
let customizations: string;
let product: SolutionPart[];
beforeAll(() => {
  parts = solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource: builtContent, package: "caseStatus" });
  customizations = new TextDecoder().decode(parts.find((p) => p.path === "customizations.xml")!.data);
  product = solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource: builtContent });
});

/** The `<attribute>` element of a column in customizations.xml. */
function attributeXml(schemaName: string): string {
  const match = new RegExp(`<attribute PhysicalName="${schemaName}">[\\s\\S]*?</attribute>`).exec(customizations);
  if (!match) throw new Error(`customizations.xml has no attribute ${schemaName}.`);
  return match[0];
}

describe("the Case status solution, apart from the product's", () => {
  test("holds only the Case's rollup columns, their definitions and the Case views: no table, role, setting or web resource of the product", () => {
    expect(parts.map((p) => p.path).sort()).toEqual(
      [
        "[Content_Types].xml",
        "customizations.xml",
        "solution.xml",
        ...caseStatusColumns.map((c) => `Formulas/incident-${c.logicalName}.xaml`),
      ].sort(),
    );
    const manifest = new TextDecoder().decode(parts.find((p) => p.path === "solution.xml")!.data);
    expect(manifest).toContain("<UniqueName>CaseFileExchangeCaseStatus</UniqueName>");
    // Imported before the product, Dataverse names what is missing: the product's exchanges.
    expect(manifest).toContain('solution="CaseFileExchange (0.1.0.0)"');
    expect(customizations.match(/<Entity>/g)).toHaveLength(1);
  });

  test("the product's zip carries none of it, so a refusal of the Case status solution leaves the product installed", () => {
    const productCustomizations = new TextDecoder().decode(product.find((p) => p.path === "customizations.xml")!.data);
    for (const c of caseStatusColumns) expect(productCustomizations).not.toContain(c.schemaName);
    expect(productCustomizations).not.toContain(casesWithStatusView.name);
    expect(product.some((p) => p.path.startsWith("Formulas/"))).toBe(false);
    expect(rootComponents(webResources)).not.toContainEqual(expect.objectContaining({ id: viewId(casesWithStatusView) }));
  });
});

describe("the Case's status columns in the solution zip", () => {
  test.each(caseStatusColumns.map((c) => [c.schemaName, c] as const))(
    "%s is a rollup column, not valid for create or update, with its definition in Formulas/",
    (schemaName, column) => {
      const xml = attributeXml(schemaName);
      expect(xml).toContain("<SourceType>2</SourceType>");
      const file = `Formulas/incident-${column.logicalName}.xaml`;
      expect(xml).toContain(`<FormulaDefinitionFileName>/${file}</FormulaDefinitionFileName>`);
      expect(xml).toContain("<ValidForCreateApi>0</ValidForCreateApi>");
      expect(xml).toContain("<ValidForUpdateApi>0</ValidForUpdateApi>");
      const definition = new TextDecoder().decode(parts.find((p) => p.path === file)?.data);
      expect(definition).toContain(
        '<InArgument x:TypeArguments="x:String" x:Key="Relationship">cfx_incident_cfx_fileexchange_CaseId</InArgument>',
      );
      expect(definition).toContain(`x:Key="AggregateAttribute">${column.rollup!.sourceColumn}</InArgument>`);
    },
  );

  test("the Case entity stays a shell: our columns and view, none of its own", () => {
    const entity = /<Entity>\s*<Name LocalizedName="Case"[\s\S]*?<\/Entity>/.exec(customizations)![0];
    expect(entity).toContain('unmodified="1"');
    const names = [...entity.matchAll(/<attribute PhysicalName="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(caseStatusColumns.map((c) => c.schemaName));
    expect(entity).toContain(casesWithStatusView.name);
  });

  test("the view is a root component of its own, and [Content_Types].xml knows .xaml", () => {
    expect(rootComponents(webResources, "caseStatus")).toContainEqual({
      type: ComponentType.savedQuery,
      id: viewId(casesWithStatusView),
      behavior: 0,
    });
    const types = new TextDecoder().decode(parts.find((p) => p.path === "[Content_Types].xml")!.data);
    expect(types).toContain('<Default Extension="xaml" ContentType="application/octet-stream" />');
  });
});
