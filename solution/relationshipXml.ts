import { cascadeActions, tableByName, type CascadeActions, type RelationshipDef, type TableDef } from "../src/model";
import { introducedVersion } from "./attributes";
import { labels } from "./labels";
import { el, text, type XmlElement } from "./xml";

type CascadeConfiguration = CascadeActions;

/** One of the model's own one-to-many relationships (a lookup column of ours). */
export function modelRelationship(r: RelationshipDef): XmlElement {
  const child = tableByName(r.referencingTable);
  const parent = tableByName(r.referencedTable);
  const lookup = child.columns.find((c) => c.logicalName === r.referencingColumn);
  if (!lookup) throw new Error(`Relationship ${r.schemaName}: ${child.logicalName} has no column ${r.referencingColumn}.`);
  return relationship({
    name: r.schemaName,
    referencing: child.schemaName,
    referenced: parent.schemaName,
    attribute: lookup.schemaName,
    cascade: cascadeActions(r),
    description: lookup.description ?? "",
    roles: { single: r.singleNavigationProperty, collection: r.collectionNavigationProperty },
    // A user's record gets no "Exchange Recipients (Invited By)" entry in its related list.
    navPane: r.referencedTable === "systemuser" ? "DoNotDisplay" : "UseCollectionName",
  });
}

/** The relationships the platform gives every user-owned custom table (owner, business unit, audit stamps). */
export function platformRelationships(table: TableDef): XmlElement[] {
  const t = table.logicalName;
  const none = cascadeActions({ cascade: "referential" });
  const noCascade: CascadeConfiguration = { ...none, delete: "NoCascade", archive: "NoCascade" };
  const list: [string, string, string, CascadeConfiguration, string][] = [
    [
      `business_unit_${t}`,
      "BusinessUnit",
      "OwningBusinessUnit",
      { ...noCascade, delete: "Restrict", archive: "Restrict" },
      "Unique identifier for the business unit that owns the record",
    ],
    [`lk_${t}_createdby`, "SystemUser", "CreatedBy", noCascade, "Unique identifier of the user who created the record."],
    [
      `lk_${t}_createdonbehalfby`,
      "SystemUser",
      "CreatedOnBehalfBy",
      noCascade,
      "Unique identifier of the delegate user who created the record.",
    ],
    [`lk_${t}_modifiedby`, "SystemUser", "ModifiedBy", noCascade, "Unique identifier of the user who modified the record."],
    [
      `lk_${t}_modifiedonbehalfby`,
      "SystemUser",
      "ModifiedOnBehalfBy",
      noCascade,
      "Unique identifier of the delegate user who modified the record.",
    ],
    [`owner_${t}`, "Owner", "OwnerId", noCascade, "Owner Id"],
    [`team_${t}`, "Team", "OwningTeam", noCascade, "Unique identifier for the team that owns the record."],
    [`user_${t}`, "SystemUser", "OwningUser", noCascade, "Unique identifier for the user that owns the record."],
  ];
  return list.map(([name, referenced, attribute, cascade, description]) =>
    relationship({ name, referencing: table.schemaName, referenced, attribute, cascade, description }),
  );
}

interface RelationshipOptions {
  readonly name: string;
  readonly referencing: string;
  readonly referenced: string;
  readonly attribute: string;
  readonly cascade: CascadeConfiguration;
  readonly description: string;
  readonly roles?: { readonly single: string; readonly collection: string };
  readonly navPane?: "UseCollectionName" | "DoNotDisplay";
}

function relationship(o: RelationshipOptions): XmlElement {
  return el(
    "EntityRelationship",
    { Name: o.name },
    text("EntityRelationshipType", "OneToMany"),
    text("IsCustomizable", 1),
    text("IntroducedVersion", introducedVersion),
    text("IsHierarchical", 0),
    text("ReferencingEntityName", o.referencing),
    text("ReferencedEntityName", o.referenced),
    text("CascadeAssign", o.cascade.assign),
    text("CascadeDelete", o.cascade.delete),
    text("CascadeArchive", o.cascade.archive),
    text("CascadeReparent", o.cascade.reparent),
    text("CascadeShare", o.cascade.share),
    text("CascadeUnshare", o.cascade.unshare),
    o.roles && text("CascadeRollupView", "NoCascade"),
    o.roles && text("IsValidForAdvancedFind", 1),
    text("ReferencingAttributeName", o.attribute),
    el("RelationshipDescription", {}, labels("Descriptions", "Description", o.description)),
    o.roles &&
      el(
        "EntityRelationshipRoles",
        {},
        el(
          "EntityRelationshipRole",
          {},
          text("NavPaneDisplayOption", o.navPane ?? "UseCollectionName"),
          text("NavPaneArea", "Details"),
          text("NavPaneOrder", 10000),
          text("NavigationPropertyName", o.roles.single),
          text("RelationshipRoleType", 1),
        ),
        el("EntityRelationshipRole", {}, text("NavigationPropertyName", o.roles.collection), text("RelationshipRoleType", 0)),
      ),
  );
}
