import { document, el, text } from "../../../solution/xml";

describe("the XML writer", () => {
  it("writes empty elements, empty values and text as a Dataverse export does", () => {
    const xml = document(el("a", { x: "1" }, el("b"), text("c", ""), text("d", "v"), undefined, false));
    expect(xml).toBe('<a x="1">\r\n  <b />\r\n  <c></c>\r\n  <d>v</d>\r\n</a>');
  });

  it("escapes text and attribute values", () => {
    expect(document(text("a", `<&>"`, { t: `"<&>` }))).toBe('<a t="&quot;&lt;&amp;&gt;">&lt;&amp;&gt;"</a>');
  });

  it("leaves out undefined attributes", () => {
    expect(document(el("a", { x: undefined, y: 0 }))).toBe('<a y="0" />');
  });
});
