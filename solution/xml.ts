/**
 * A tiny XML writer that lays out elements the way Dataverse's own export does: two-space
 * indentation, `<a />` for an element with nothing in it, `<a></a>` for one with an empty text,
 * text-only elements on one line.
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: readonly (readonly [string, string])[];
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

type AttrValue = string | number | boolean | undefined;
type Child = XmlNode | readonly Child[] | undefined | null | false;

/** An element; `undefined` attributes and falsy children are left out, arrays are flattened. */
export function el(name: string, attrs: Readonly<Record<string, AttrValue>> = {}, ...children: Child[]): XmlElement {
  const list: [string, string][] = [];
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) list.push([k, String(v)]);
  return { name, attrs: list, children: flatten(children) };
}

/** An element holding only text (`""` renders as `<a></a>`, as the export writes empty values). */
export function text(name: string, value: string | number, attrs: Readonly<Record<string, AttrValue>> = {}): XmlElement {
  return el(name, attrs, String(value));
}

function flatten(children: readonly Child[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) out.push(...flatten(c));
    else out.push(c as XmlNode);
  }
  return out;
}

export function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, "&quot;");
}

/** Serialises an element and its subtree, starting at `depth` levels of indentation. */
export function render(node: XmlElement, depth = 0): string {
  const pad = "  ".repeat(depth);
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("");
  if (node.children.length === 0) return `${pad}<${node.name}${attrs} />`;
  if (node.children.every((c) => typeof c === "string")) {
    return `${pad}<${node.name}${attrs}>${escapeText(node.children.join(""))}</${node.name}>`;
  }
  const inner = node.children.map((c) => (typeof c === "string" ? pad + "  " + escapeText(c) : render(c, depth + 1))).join("\n");
  return `${pad}<${node.name}${attrs}>\n${inner}\n${pad}</${node.name}>`;
}

/**
 * A whole document as Dataverse's export writes solution.xml and customizations.xml: no XML
 * declaration, Windows line ends (CRLF), no final line end.
 */
export function document(root: XmlElement): string {
  return render(root).replace(/\n/g, "\r\n");
}
