import type { ChoiceDef, ColumnDef, TableDef } from "../src/model";
import { labels } from "./labels";
import { el, text, type XmlElement } from "./xml";

/** The version attributes were introduced in; Dataverse writes `1.0` for a new solution's components. */
export const introducedVersion = "1.0";

/**
 * Columns every user-owned custom table has that the data model leaves out because the product
 * never reads them; Dataverse's export lists them, so the table's definition does too.
 */
const platformColumns: readonly ColumnDef[] = [
  { logicalName: "createdonbehalfby", schemaName: "CreatedOnBehalfBy", type: "lookup", displayName: "Created By (Delegate)", system: true },
  {
    logicalName: "modifiedonbehalfby",
    schemaName: "ModifiedOnBehalfBy",
    type: "lookup",
    displayName: "Modified By (Delegate)",
    system: true,
  },
  { logicalName: "owningteam", schemaName: "OwningTeam", type: "lookup", displayName: "Owning Team", system: true },
  { logicalName: "owninguser", schemaName: "OwningUser", type: "lookup", displayName: "Owning User", system: true },
  {
    logicalName: "importsequencenumber",
    schemaName: "ImportSequenceNumber",
    type: "integer",
    displayName: "Import Sequence Number",
    system: true,
  },
  {
    logicalName: "overriddencreatedon",
    schemaName: "OverriddenCreatedOn",
    type: "datetime",
    displayName: "Record Created On",
    dateFormat: "dateonly",
    system: true,
  },
  {
    logicalName: "timezoneruleversionnumber",
    schemaName: "TimeZoneRuleVersionNumber",
    type: "integer",
    displayName: "Time Zone Rule Version Number",
    system: true,
  },
  {
    logicalName: "utcconversiontimezonecode",
    schemaName: "UTCConversionTimeZoneCode",
    type: "integer",
    displayName: "UTC Conversion Time Zone Code",
    system: true,
  },
];

/** Platform columns that are not shown anywhere (Dataverse marks them logical). */
const logicalColumns = new Set(["owningteam", "owninguser"]);
/** Platform columns the caller may set on create. */
const creatableSystem = new Set([
  "ownerid",
  "statuscode",
  "overriddencreatedon",
  "importsequencenumber",
  "timezoneruleversionnumber",
  "utcconversiontimezonecode",
]);
const updatableSystem = new Set(["ownerid", "statecode", "statuscode", "timezoneruleversionnumber", "utcconversiontimezonecode"]);
/** Platform columns that can be filtered on. */
const filterableSystem = new Set(["createdon", "modifiedon", "ownerid", "owningbusinessunit", "statecode"]);

/** The descriptions Dataverse gives the platform's columns. */
const platformDescriptions: Readonly<Record<string, string>> = {
  createdby: "Unique identifier of the user who created the record.",
  createdon: "Date and time when the record was created.",
  createdonbehalfby: "Unique identifier of the delegate user who created the record.",
  importsequencenumber: "Sequence number of the import that created this record.",
  modifiedby: "Unique identifier of the user who modified the record.",
  modifiedon: "Date and time when the record was modified.",
  modifiedonbehalfby: "Unique identifier of the delegate user who modified the record.",
  overriddencreatedon: "Date and time that the record was migrated.",
  ownerid: "Owner Id",
  owningbusinessunit: "Unique identifier for the business unit that owns the record",
  owningteam: "Unique identifier for the team that owns the record.",
  owninguser: "Unique identifier for the user that owns the record.",
  timezoneruleversionnumber: "For internal use only.",
  utcconversiontimezonecode: "Time zone code that was in use when the record was created.",
};

/** A column's description: the model's, else the platform's own for its columns. */
function describe(table: TableDef, column: ColumnDef): string | undefined {
  if (column.description !== undefined) return column.description;
  if (column.type === "primarykey") return "Unique identifier for entity instances";
  if (column.type === "state") return `Status of the ${table.displayName}`;
  if (column.type === "status") return `Reason for the status of the ${table.displayName}`;
  return column.system ? platformDescriptions[column.logicalName] : undefined;
}

/** The table's columns as Dataverse lists them: the model's plus the platform's, by schema name. */
export function tableColumns(table: TableDef): ColumnDef[] {
  const known = new Set(table.columns.map((c) => c.logicalName));
  const columns = [...table.columns, ...platformColumns.filter((c) => !known.has(c.logicalName))];
  return columns.sort((a, b) => a.schemaName.toLowerCase().localeCompare(b.schemaName.toLowerCase()));
}

const int32 = { min: -2147483648, max: 2147483647 };

/** One `<attribute>` of a custom table, in the element order of a Dataverse export. */
export function attribute(table: TableDef, column: ColumnDef): XmlElement {
  const isPrimaryName = column.logicalName === table.primaryNameColumn;
  const custom = !column.system;
  const type = dataverseType(column);
  const required =
    column.type === "primarykey" || column.type === "owner" || column.type === "state"
      ? "systemrequired"
      : column.required && !column.autoNumberFormat
        ? "required"
        : "none";
  const displayMask =
    column.type === "primarykey"
      ? "ValidForAdvancedFind|RequiredForGrid"
      : isPrimaryName
        ? "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm"
        : column.type === "owner"
          ? "ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm"
          : column.logicalName === "importsequencenumber"
            ? "ValidForAdvancedFind"
            : column.logicalName === "overriddencreatedon"
              ? "ValidForAdvancedFind|ValidForGrid"
              : logicalColumns.has(column.logicalName) || column.logicalName.includes("timezone")
                ? undefined
                : "ValidForAdvancedFind|ValidForForm|ValidForGrid";
  const imeMode =
    column.type === "lookup" && custom
      ? undefined
      : column.type === "datetime"
        ? "inactive"
        : column.type === "integer" || column.type === "bigint"
          ? column.logicalName === "importsequencenumber"
            ? "disabled"
            : custom
              ? "disabled"
              : "auto"
          : "auto";
  // A rollup column is the platform's to write: Dataverse computes it and refuses it in create and update.
  const computed = column.rollup !== undefined;
  const validForCreate = !computed && (custom || column.type === "primarykey" || creatableSystem.has(column.logicalName));
  const validForUpdate = !computed && (custom ? true : updatableSystem.has(column.logicalName));
  const audit = custom
    ? table.auditEnabled
    : ["ownerid", "owningbusinessunit", "statecode", "statuscode", "importsequencenumber", "overriddencreatedon"].includes(
        column.logicalName,
      ) && table.auditEnabled;

  return el(
    "attribute",
    { PhysicalName: column.schemaName },
    text("Type", type),
    text("Name", column.logicalName),
    text("LogicalName", column.logicalName),
    text("RequiredLevel", required),
    displayMask !== undefined && text("DisplayMask", displayMask),
    imeMode !== undefined && text("ImeMode", imeMode),
    text("ValidForUpdateApi", column.type === "primarykey" ? 0 : flag(validForUpdate)),
    text("ValidForReadApi", 1),
    text("ValidForCreateApi", flag(validForCreate)),
    text("IsCustomField", flag(custom && column.type !== "primarykey")),
    text("IsAuditEnabled", flag(audit)),
    logicalColumns.has(column.logicalName) && text("IsLogical", 1),
    text("IsSecured", flag(column.secured === true)),
    text("IntroducedVersion", introducedVersion),
    text("IsCustomizable", 1),
    text("IsRenameable", 1),
    text("CanModifySearchSettings", 1),
    text("CanModifyRequirementLevelSettings", column.type === "primarykey" ? 0 : 1),
    text("CanModifyAdditionalSettings", 1),
    text("SourceType", computed ? 2 : 0),
    computed && text("FormulaDefinitionFileName", formulaFileName(table, column)),
    text("IsGlobalFilterEnabled", 0),
    text("IsSortableEnabled", 0),
    text("CanModifyGlobalFilterSettings", 1),
    text("CanModifyIsSortableSettings", 1),
    text("IsDataSourceSecret", 0),
    text("AutoNumberFormat", column.autoNumberFormat ?? ""),
    text("IsSearchable", flag(isPrimaryName)),
    text("IsFilterable", flag(column.type === "primarykey" || computed || (!custom && filterableSystem.has(column.logicalName)))),
    text(
      "IsRetrievable",
      flag(isPrimaryName || column.type === "primarykey" || column.logicalName === "createdon" || column.logicalName === "modifiedon"),
    ),
    text("IsLocalizable", 0),
    typeSpecific(table, column),
    labels("displaynames", "displayname", column.displayName),
    describe(table, column) !== undefined && labels("Descriptions", "Description", describe(table, column)!),
  );
}

/** Where a computed column's definition lives in the zip: `/Formulas/<table>-<column>.xaml`, as Dataverse exports it. */
export function formulaFileName(table: Pick<TableDef, "logicalName">, column: Pick<ColumnDef, "logicalName">): string {
  return `/Formulas/${table.logicalName}-${column.logicalName}.xaml`;
}

function flag(b: boolean): number {
  return b ? 1 : 0;
}

function dataverseType(column: ColumnDef): string {
  switch (column.type) {
    case "string":
      return "nvarchar";
    case "memo":
      return "ntext";
    case "integer":
      return "int";
    case "boolean":
      return "bit";
    default:
      return column.type;
  }
}

function typeSpecific(table: TableDef, column: ColumnDef): (XmlElement | false)[] {
  switch (column.type) {
    case "primarykey":
      return [];
    case "string": {
      const max = column.maxLength ?? 100;
      const format = column.logicalName.endsWith("weburl") ? "url" : "text";
      return [text("Format", format), text("MaxLength", max), text("Length", max * 2)];
    }
    case "memo":
      return [text("Format", "text"), text("MaxLength", column.maxLength ?? 2000)];
    case "integer":
      return [
        text("Format", column.system ? "" : "none"),
        text("MinValue", column.minValue ?? (column.logicalName.includes("timezone") ? -1 : int32.min)),
        text("MaxValue", column.maxValue ?? int32.max),
      ];
    case "bigint":
      // Dataverse's big integer always spans the full 64-bit range; the model's narrower bounds
      // (JavaScript's safe integers) are the product's own check.
      return [text("MinValue", "-9223372036854775808"), text("MaxValue", "9223372036854775807")];
    case "datetime":
      return [
        text("Format", column.dateFormat === "dateonly" ? "date" : "datetime"),
        text("CanChangeDateTimeBehavior", flag(!column.system)),
        text("Behavior", 1),
      ];
    case "lookup":
    case "customer":
      return [text("LookupStyle", "single"), el("LookupTypes")];
    case "owner":
      return [
        text("LookupStyle", "single"),
        el(
          "LookupTypes",
          {},
          text("LookupType", 8, { id: "00000000-0000-0000-0000-000000000000" }),
          text("LookupType", 9, { id: "00000000-0000-0000-0000-000000000000" }),
        ),
      ];
    case "picklist":
      if (!column.choice?.global) throw new Error(`${table.logicalName}.${column.logicalName}: only global choices are packed.`);
      return [text("AppDefaultValue", -1), text("OptionSetName", column.choice.name)];
    case "state":
    case "status":
      return [stateOptionSet(table, column, column.choice!)];
    default:
      throw new Error(`${table.logicalName}.${column.logicalName}: the packer does not write ${column.type} columns.`);
  }
}

function stateOptionSet(table: TableDef, column: ColumnDef, choice: ChoiceDef): XmlElement {
  const description = column.type === "state" ? `Status of the ${table.displayName}` : `Reason for the status of the ${table.displayName}`;
  const items =
    column.type === "state"
      ? el(
          "states",
          {},
          choice.options.map((o) =>
            el("state", { value: o.value, defaultstatus: o.value + 1, invariantname: o.label }, labels("labels", "label", o.label)),
          ),
        )
      : el(
          "statuses",
          {},
          choice.options.map((o) => el("status", { value: o.value, state: o.state ?? 0 }, labels("labels", "label", o.label))),
        );
  return el(
    "optionset",
    { Name: choice.name },
    text("OptionSetType", column.type),
    text("IntroducedVersion", introducedVersion),
    text("IsCustomizable", 1),
    labels("displaynames", "displayname", column.displayName),
    labels("Descriptions", "Description", description),
    items,
  );
}
