import { sharePointLink } from "../../../src/domain/folderLink";

const site = "https://contoso.sharepoint.com/sites/cases";
const good = "https://contoso.sharepoint.com/sites/cases/Shared%20Documents/Customer%20Data%20Migration/CAS-01234-A1B2C3";

describe("only https links to the SharePoint site's host become links", () => {
  test.each<[string, string | null | undefined, string | undefined]>([
    ["the folder's address", good, good],
    ["another page on the same host", "https://contoso.sharepoint.com/:f:/s/cases/EabC", "https://contoso.sharepoint.com/:f:/s/cases/EabC"],
    ["an uppercase https scheme and host, made canonical", "HTTPS://CONTOSO.sharepoint.com/x", "https://contoso.sharepoint.com/x"],
    ["javascript:", "javascript:alert(document.cookie)", undefined],
    ["javascript: in capitals", "JAVASCRIPT:alert(1)", undefined],
    ["javascript: with a tab inside the scheme", "java\tscript:alert(1)", undefined],
    ["data:", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", undefined],
    ["vbscript:", "vbscript:msgbox(1)", undefined],
    ["http:", "http://contoso.sharepoint.com/sites/cases/x", undefined],
    ["https to another host", "https://evil.example/sites/cases/x", undefined],
    ["https to another tenant", "https://fabrikam.sharepoint.com/sites/cases/x", undefined],
    ["a look-alike host", "https://contoso.sharepoint.com.evil.com/sites/cases/x", undefined],
    ["the host as a user name", "https://contoso.sharepoint.com@evil.com/x", undefined],
    ["credentials before the host", "https://user:pw@contoso.sharepoint.com/x", undefined],
    ["backslashes for slashes to another host", "https:\\\\evil.com\\contoso.sharepoint.com", undefined],
    ["another port on the host", "https://contoso.sharepoint.com:8443/x", undefined],
    ["a trailing dot on the host", "https://contoso.sharepoint.com./x", undefined],
    ["leading whitespace", " https://contoso.sharepoint.com/x", undefined],
    ["a leading newline", "\nhttps://contoso.sharepoint.com/x", undefined],
    ["trailing whitespace", "https://contoso.sharepoint.com/x ", undefined],
    ["a protocol-relative address", "//contoso.sharepoint.com/x", undefined],
    ["a relative path", "/sites/cases/x", undefined],
    ["empty", "", undefined],
    ["none", undefined, undefined],
    ["null", null, undefined],
  ])("%s → %p", (_, webUrl, expected) => {
    expect(sharePointLink(webUrl, site)).toBe(expected);
  });

  test("the site's port counts, as in the sandbox's SharePoint host", () => {
    expect(sharePointLink("https://127.0.0.1:8402/sites/CustomerFiles/x", "https://127.0.0.1:8402/sites/CustomerFiles")).toBe(
      "https://127.0.0.1:8402/sites/CustomerFiles/x",
    );
    expect(sharePointLink("https://127.0.0.1:9999/x", "https://127.0.0.1:8402/sites/CustomerFiles")).toBeUndefined();
  });

  test("no link at all when the site setting is not a URL", () => {
    expect(sharePointLink(good, "not a url")).toBeUndefined();
  });
});
