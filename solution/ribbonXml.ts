import type { CommandDef } from "../src/model/ribbon";
import { labels } from "./labels";
import { el, text, type XmlElement } from "./xml";

/**
 * A table's RibbonDiffXml with its commands: a button on the form's command bar that calls the
 * form script with the form context (`PrimaryControl`), shown and enabled on saved records only.
 */
export function ribbonDiff(commands: readonly CommandDef[]): XmlElement {
  return el(
    "RibbonDiffXml",
    {},
    el("CustomActions", {}, commands.map(customAction)),
    el("Templates", {}, text("RibbonTemplates", "", { Id: "Mscrm.Templates" })),
    el("CommandDefinitions", {}, commands.map(commandDefinition)),
    el(
      "RuleDefinitions",
      {},
      el("TabDisplayRules"),
      el(
        "DisplayRules",
        {},
        commands
          .filter((c) => c.existingRecordOnly)
          .map((c) => el("DisplayRule", { Id: ids(c).displayRule }, el("FormStateRule", { State: "Existing" }))),
      ),
      el(
        "EnableRules",
        {},
        commands
          .filter((c) => c.existingRecordOnly)
          .map((c) => el("EnableRule", { Id: ids(c).enableRule }, el("FormStateRule", { State: "Create", InvertResult: "true" }))),
      ),
    ),
    el(
      "LocLabels",
      {},
      commands.flatMap((c) => [
        el("LocLabel", { Id: ids(c).label }, labels("Titles", "Title", c.label)),
        el("LocLabel", { Id: ids(c).tooltip }, labels("Titles", "Title", c.tooltip)),
      ]),
    ),
  );
}

function ids(c: CommandDef) {
  const base = `cfx.${c.table}.${c.key}`;
  return {
    action: `${base}.CustomAction`,
    button: `${base}.Button`,
    command: `${base}.Command`,
    displayRule: `${base}.ExistingRecord.DisplayRule`,
    enableRule: `${base}.ExistingRecord.EnableRule`,
    label: `${base}.LabelText`,
    tooltip: `${base}.ToolTipDescription`,
  };
}

function customAction(c: CommandDef): XmlElement {
  const i = ids(c);
  return el(
    "CustomAction",
    { Id: i.action, Location: `Mscrm.Form.${c.table}.MainTab.Save.Controls._children`, Sequence: c.sequence },
    el(
      "CommandUIDefinition",
      {},
      el("Button", {
        Id: i.button,
        Command: i.command,
        LabelText: `$LocLabels:${i.label}`,
        ToolTipTitle: `$LocLabels:${i.label}`,
        ToolTipDescription: `$LocLabels:${i.tooltip}`,
        Sequence: c.sequence,
        TemplateAlias: "o1",
        ModernImage: c.modernImage,
      }),
    ),
  );
}

function commandDefinition(c: CommandDef): XmlElement {
  const i = ids(c);
  return el(
    "CommandDefinition",
    { Id: i.command },
    el("EnableRules", {}, c.existingRecordOnly && el("EnableRule", { Id: i.enableRule })),
    el("DisplayRules", {}, c.existingRecordOnly && el("DisplayRule", { Id: i.displayRule })),
    el(
      "Actions",
      {},
      el(
        "JavaScriptFunction",
        { Library: `$webresource:${c.library}`, FunctionName: c.functionName },
        c.parameters.map((p) => el("CrmParameter", { Value: p })),
      ),
    ),
  );
}
