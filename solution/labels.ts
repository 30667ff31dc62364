import { el, type XmlElement } from "./xml";

/** The only language the solution ships; the product's texts are English. */
export const languageCode = 1033;

/** `<wrapper><item description="…" languagecode="1033" /></wrapper>`, the localized-label shape used everywhere. */
export function labels(wrapper: string, item: string, description: string): XmlElement {
  return el(wrapper, {}, el(item, { description, languagecode: languageCode }));
}
