import type { SettingDef } from "../src/model";
import { introducedVersion } from "./attributes";
import { document, el, text, type XmlElement } from "./xml";

/** Environment variable type codes (environmentvariabledefinition.type). */
const typeCode: Readonly<Record<SettingDef["type"], number>> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
};

/** Where the definition sits in the zip. */
export function envVarPart(setting: SettingDef): string {
  return `environmentvariabledefinitions/${setting.schemaName}/environmentvariabledefinition.xml`;
}

/**
 * A definition with its default and no current value: each environment sets its own values
 * (docs/deploy.md), and an upgrade never overwrites them.
 */
export function envVarDefinition(setting: SettingDef): string {
  const root: XmlElement = el(
    "environmentvariabledefinition",
    { schemaname: setting.schemaName },
    setting.defaultValue !== "" && text("defaultvalue", setting.defaultValue),
    el("description", { default: setting.description }, el("label", { description: setting.description, languagecode: 1033 })),
    el("displayname", { default: setting.displayName }, el("label", { description: setting.displayName, languagecode: 1033 })),
    text("introducedversion", introducedVersion),
    text("iscustomizable", 1),
    text("isrequired", setting.required ? 1 : 0),
    text("secretstore", 0),
    text("type", typeCode[setting.type]),
  );
  return document(root);
}
