import type { ColumnDef, RollupDef, TableDef } from "../src/model";
import { uuidv5 } from "./ids";
import { document, el, render } from "./xml";

const activities = "http://schemas.microsoft.com/netfx/2009/xaml/activities";
const xaml = "http://schemas.microsoft.com/winfx/2006/xaml";
const workflowActivities =
  "clr-namespace:Microsoft.Xrm.Sdk.Workflow.Activities;assembly=Microsoft.Xrm.Sdk.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";
/** The platform activity that evaluates a rollup; its arguments carry the definition. */
const rollupActivity =
  "Microsoft.Crm.Workflow.Activities.RollupAggregate, Microsoft.Crm.Workflow, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35";

const aggregateNames: Readonly<Record<RollupDef["aggregate"], string>> = { count: "Count", sum: "Sum", min: "Min", max: "Max" };

/**
 * A rollup column's definition file (`Formulas/<table>-<column>.xaml`): a workflow activity whose
 * arguments name the related table, the one-to-many relationship, the aggregate and its column,
 * and the filter on the related rows as a FetchXML `<filter>`.
 */
export function rollupXaml(table: TableDef, column: ColumnDef, sourceTable: string): string {
  const rollup = column.rollup;
  if (!rollup) throw new Error(`${table.logicalName}.${column.logicalName} is not a rollup column.`);
  const className = `XrmWorkflow${uuidv5(`cfx/rollup/${table.logicalName}/${column.logicalName}`).replace(/-/g, "")}`;
  const argument = (key: string, value: string) => el("InArgument", { "x:TypeArguments": "x:String", "x:Key": key }, value);
  return document(
    el(
      "Activity",
      { "x:Class": className, xmlns: activities, "xmlns:mxswa": workflowActivities, "xmlns:x": xaml },
      el(
        "mxswa:Workflow",
        {},
        el(
          "mxswa:ActivityReference",
          { AssemblyQualifiedName: rollupActivity, DisplayName: column.logicalName },
          el(
            "mxswa:ActivityReference.Arguments",
            {},
            argument("TargetEntity", table.logicalName),
            argument("TargetAttribute", column.logicalName),
            argument("SourceEntity", sourceTable),
            argument("Relationship", rollup.relationship),
            argument("AggregateFunction", aggregateNames[rollup.aggregate]),
            argument("AggregateAttribute", rollup.sourceColumn),
            argument("Filter", filterXml(rollup)),
          ),
        ),
      ),
    ),
  );
}

/** The conditions as the FetchXML text of a `<filter type="and">`, escaped into the argument. */
function filterXml(rollup: RollupDef): string {
  const conditions = rollup.conditions.map((c) =>
    el("condition", { attribute: c.column, operator: c.operator, value: c.value === undefined ? undefined : String(c.value) }),
  );
  return render(el("filter", { type: "and" }, conditions)).replace(/\n\s*/g, "");
}
