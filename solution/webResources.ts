import type { WebResourceDef, WebResourceType } from "../src/model/webresources";
import { introducedVersion } from "./attributes";
import { componentId } from "./ids";
import { el, text, type XmlElement } from "./xml";

/** Dataverse's web resource type codes (web-resources.md); fonts and source maps have none. */
const typeCode: Readonly<Record<WebResourceType, number>> = { html: 1, css: 2, js: 3, png: 5, svg: 11 };

export function webResourceId(name: string): string {
  return componentId("webresource", name);
}

/**
 * The file inside the zip, named as Dataverse's export names it: the web resource name without its
 * `/` and `.`, then the id in upper case without braces (`WebResources/cfx_panelscasehtml5D0F…`).
 */
export function webResourcePart(name: string): string {
  const id = webResourceId(name).slice(1, -1).toUpperCase();
  return `WebResources/${name.replace(/[/.]/g, "")}${id}`;
}

export function webResourceElement(wr: WebResourceDef): XmlElement {
  return el(
    "WebResource",
    {},
    text("WebResourceId", webResourceId(wr.name)),
    text("Name", wr.name),
    text("DisplayName", wr.displayName),
    text("Description", wr.description),
    text("WebResourceType", typeCode[wr.type]),
    text("IntroducedVersion", introducedVersion),
    text("IsEnabledForMobileClient", 0),
    text("IsAvailableForMobileOffline", 0),
    text("IsCustomizable", 1),
    text("CanBeDeleted", 1),
    text("IsHidden", 0),
    text("FileName", `/${webResourcePart(wr.name)}`),
  );
}
