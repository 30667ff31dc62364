import type { ChoiceDef } from "../src/model";
import { introducedVersion } from "./attributes";
import { labels } from "./labels";
import { el, text, type XmlElement } from "./xml";

/** A global choice (top-level `<optionset>`), its values taken from the publisher's option value prefix (`optionValuePrefix` in src/model/choices.ts). */
export function globalOptionSet(choice: ChoiceDef): XmlElement {
  return el(
    "optionset",
    { Name: choice.name, localizedName: choice.displayName },
    text("OptionSetType", "picklist"),
    text("IsGlobal", 1),
    text("IntroducedVersion", introducedVersion),
    text("IsCustomizable", 1),
    text("ExternalTypeName", ""),
    labels("displaynames", "displayname", choice.displayName),
    labels("Descriptions", "Description", ""),
    el(
      "options",
      {},
      choice.options.map((o) => el("option", { value: o.value, ExternalValue: "", IsHidden: "0" }, labels("labels", "label", o.label))),
    ),
  );
}
