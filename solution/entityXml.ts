import type { ColumnDef, TableDef } from "../src/model";
import type { CommandDef } from "../src/model/ribbon";
import type { FormDef } from "../src/model/forms";
import type { ViewDef } from "../src/model/views";
import { attribute, introducedVersion, tableColumns } from "./attributes";
import { systemForm } from "./formXml";
import { labels } from "./labels";
import { ribbonDiff } from "./ribbonXml";
import { savedQuery } from "./savedQueryXml";
import { el, text, type XmlElement } from "./xml";

export interface EntityParts {
  readonly forms: readonly FormDef[];
  readonly views: readonly ViewDef[];
  readonly commands: readonly CommandDef[];
  /** The web resource name of the table's icon (SVG), if any. */
  readonly icon?: string;
}

/** A custom table of ours, whole: every column, its settings, forms, views and command bar. */
export function customEntity(table: TableDef, parts: EntityParts): XmlElement {
  return el(
    "Entity",
    {},
    text("Name", table.schemaName, { LocalizedName: table.displayName, OriginalName: table.displayName }),
    el(
      "EntityInfo",
      {},
      el(
        "entity",
        { Name: table.schemaName },
        labels("LocalizedNames", "LocalizedName", table.displayName),
        labels("LocalizedCollectionNames", "LocalizedCollectionName", table.displayCollectionName),
        labels("Descriptions", "Description", table.description),
        el(
          "attributes",
          {},
          tableColumns(table).map((c) => attribute(table, c)),
        ),
        text("EntitySetName", table.entitySetName),
        table.hasNotes && text("HasRelatedNotes", "True"),
        entitySettings(table, parts.icon),
      ),
    ),
    formXml(parts.forms),
    savedQueries(parts.views),
    ribbonDiff(parts.commands),
  );
}

/** What the solution adds to a table another solution owns. */
export interface ShellParts {
  readonly forms: readonly FormDef[];
  /** Our columns on that table (the Case's rollup columns); the table's own are not shipped. */
  readonly columns: readonly ColumnDef[];
  readonly views: readonly ViewDef[];
}

/**
 * A table another solution owns (the Case, from Dynamics 365 Customer Service), present only as
 * the holder of components of ours: its definition is not shipped (`unmodified`, root component
 * behaviour 2), only our columns, views and form. `SavedQueries` only when we ship a view
 * (CustomizationsSolution.xsd requires a `savedqueries` child when it is present), and no
 * `RibbonDiffXml` (optional): an empty one stands for "this table's command bar has no changes"
 * and could replace the organization's own unmanaged command bar changes to the Case.
 */
export function shellEntity(table: TableDef, parts: ShellParts): XmlElement {
  return el(
    "Entity",
    {},
    text("Name", table.schemaName, { LocalizedName: table.displayName, OriginalName: table.displayName }),
    el(
      "EntityInfo",
      {},
      el(
        "entity",
        { Name: table.schemaName, unmodified: "1" },
        el(
          "attributes",
          {},
          parts.columns.map((c) => attribute(table, c)),
        ),
      ),
    ),
    formXml(parts.forms),
    parts.views.length > 0 && savedQueries(parts.views),
  );
}

function formXml(forms: readonly FormDef[]): XmlElement {
  return el("FormXml", {}, forms.length > 0 && el("forms", { type: "main" }, forms.map(systemForm)));
}

function savedQueries(views: readonly ViewDef[]): XmlElement {
  return el("SavedQueries", {}, el("savedqueries", {}, views.map(savedQuery)));
}

/** The entity-level settings, in the order a Dataverse export writes them. */
function entitySettings(table: TableDef, icon: string | undefined): XmlElement[] {
  const flags: [string, string | number][] = [
    ["IsDuplicateCheckSupported", 0],
    ["IsBusinessProcessEnabled", 0],
    ["IsRequiredOffline", 0],
    ["IsInteractionCentricEnabled", 0],
    ["IsCollaboration", 0],
    ["AutoRouteToOwnerQueue", 0],
    ["IsConnectionsEnabled", 0],
    ["IsDocumentManagementEnabled", 0],
    ["AutoCreateAccessTeams", 0],
    ["IsOneNoteIntegrationEnabled", 0],
    ["IsKnowledgeManagementEnabled", 0],
    ["IsSLAEnabled", 0],
    ["IsDocumentRecommendationsEnabled", 0],
    ["IsBPFEntity", 0],
    ["OwnershipTypeMask", table.ownership === "user" ? "UserOwned" : "OrgOwned"],
    ["IsAuditEnabled", table.auditEnabled ? 1 : 0],
    ["IsRetrieveAuditEnabled", 0],
    ["IsRetrieveMultipleAuditEnabled", 0],
    ["IsActivity", 0],
    ["ActivityTypeMask", ""],
    ["IsActivityParty", 0],
    ["IsReplicated", 0],
    ["IsReplicationUserFiltered", 0],
    ["IsMailMergeEnabled", 0],
    ["IsVisibleInMobile", 0],
    ["IsVisibleInMobileClient", 0],
    ["IsReadOnlyInMobileClient", 0],
    ["IsOfflineInMobileClient", 0],
    ["DaysSinceRecordLastModified", 0],
    ["MobileOfflineFilters", ""],
    ["IsMapiGridEnabled", 1],
    ["IsReadingPaneEnabled", 1],
    ["IsQuickCreateEnabled", 0],
    ["SyncToExternalSearchIndex", 0],
    ["IntroducedVersion", introducedVersion],
    ["IsCustomizable", 1],
    ["IsRenameable", 1],
    ["IsMappable", 1],
    ["CanModifyAuditSettings", 1],
    ["CanModifyMobileVisibility", 1],
    ["CanModifyMobileClientVisibility", 1],
    ["CanModifyMobileClientReadOnly", 1],
    ["CanModifyMobileClientOffline", 1],
    ["CanModifyConnectionSettings", 1],
    ["CanModifyDuplicateDetectionSettings", 1],
    ["CanModifyMailMergeSettings", 1],
    ["CanModifyQueueSettings", 1],
    ["CanCreateAttributes", 1],
    ["CanCreateForms", 1],
    ["CanCreateCharts", 1],
    ["CanCreateViews", 1],
    ["CanModifyAdditionalSettings", 1],
    ["CanEnableSyncToExternalSearchIndex", 1],
    ["EnforceStateTransitions", 0],
    ["CanChangeHierarchicalRelationship", 1],
    ["EntityHelpUrlEnabled", 0],
    ["ChangeTrackingEnabled", 0],
    ["CanChangeTrackingBeEnabled", 1],
    ["IsEnabledForExternalChannels", 0],
    ["IsMSTeamsIntegrationEnabled", 0],
    ["IsSolutionAware", 0],
  ];
  const out = flags.map(([name, value]) => text(name, value));
  if (icon) out.push(text("IconVectorName", icon));
  return out;
}
