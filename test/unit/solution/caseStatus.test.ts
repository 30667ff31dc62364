import { caseStatusColumns, casesWithStatusView } from "../../../src/model/caseStatus";
import { webResources } from "../../../src/model/webresources";
import { ComponentType, rootComponents, solutionParts, type SolutionPart } from "../../../solution/buildSolution";
import { viewId } from "../../../solution/savedQueryXml";

const builtContent = (name: string) => new TextEncoder().encode(`/* ${name} */`);
let parts: SolutionPart[];
let customizations: string;
beforeAll(() => {
  parts = solutionParts({ version: "0.1.0", managed: false, webResources, readWebResource: builtContent });
  customizations = new TextDecoder().decode(parts.find((p) => p.path === "customizations.xml")!.data);
});

/** The `<attribute>` element of a column in customizations.xml. */
function attributeXml(schemaName: string): string {
  const match = new RegExp(`<attribute PhysicalName="${schemaName}">[\\s\\S]*?</attribute>`).exec(customizations);
  if (!match) throw new Error(`customizations.xml has no attribute ${schemaName}.`);
  return match[0];
}

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
    expect(rootComponents(webResources)).toContainEqual({ type: ComponentType.savedQuery, id: viewId(casesWithStatusView), behavior: 0 });
    const types = new TextDecoder().decode(parts.find((p) => p.path === "[Content_Types].xml")!.data);
    expect(types).toContain('<Default Extension="xaml" ContentType="application/octet-stream" />');
  });
});
