import { isValidationError } from "../../../src/domain/errors";
import { narrowedContentPolicy, type PolicyHosts } from "../../../src/domain/contentPolicy";

const publicCloud: PolicyHosts = {
  graphEndpoint: "https://graph.microsoft.com",
  siteUrl: "https://contoso.sharepoint.com/sites/CustomerFiles",
  authority: "https://login.microsoftonline.com",
};

describe("the policy a panel adds once it has read its settings", () => {
  test.each<[string, PolicyHosts, string]>([
    [
      "the default cloud",
      publicCloud,
      "connect-src 'self' https://graph.microsoft.com https://contoso.sharepoint.com https://login.microsoftonline.com; " +
        "frame-src 'self' https://login.microsoftonline.com",
    ],
    [
      "a national cloud (US Government L4)",
      {
        graphEndpoint: "https://graph.microsoft.us",
        siteUrl: "https://contoso.sharepoint.us/sites/CustomerFiles",
        authority: "https://login.microsoftonline.us",
      },
      "connect-src 'self' https://graph.microsoft.us https://contoso.sharepoint.us https://login.microsoftonline.us; " +
        "frame-src 'self' https://login.microsoftonline.us",
    ],
    [
      "a national cloud (operated by 21Vianet)",
      {
        graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
        siteUrl: "https://contoso.sharepoint.cn/sites/CustomerFiles",
        authority: "https://login.partner.microsoftonline.cn",
      },
      "connect-src 'self' https://microsoftgraph.chinacloudapi.cn https://contoso.sharepoint.cn https://login.partner.microsoftonline.cn; " +
        "frame-src 'self' https://login.partner.microsoftonline.cn",
    ],
    [
      "the sandbox's hosts: Graph on PORT+1, SharePoint on 127.0.0.1:PORT+2, the issuer under the app's origin",
      {
        graphEndpoint: "https://localhost:8401",
        siteUrl: "https://127.0.0.1:8402/sites/CustomerFiles",
        authority: "https://localhost:8400/identity",
      },
      "connect-src 'self' https://localhost:8401 https://127.0.0.1:8402 https://localhost:8400; frame-src 'self' https://localhost:8400",
    ],
    [
      "a site URL with a path and a port: the origin keeps the port",
      { ...publicCloud, siteUrl: "https://files.contoso.com:8443/sites/Customer%20Files/Shared%20Documents" },
      "connect-src 'self' https://graph.microsoft.com https://files.contoso.com:8443 https://login.microsoftonline.com; " +
        "frame-src 'self' https://login.microsoftonline.com",
    ],
    [
      "https's own port, upper case, a trailing slash and a path are dropped",
      { ...publicCloud, siteUrl: "HTTPS://Contoso.SharePoint.com:443/sites/x/", graphEndpoint: "https://graph.microsoft.com/v1.0/" },
      "connect-src 'self' https://graph.microsoft.com https://contoso.sharepoint.com https://login.microsoftonline.com; " +
        "frame-src 'self' https://login.microsoftonline.com",
    ],
    [
      "an internationalised host, in its ASCII form",
      { ...publicCloud, siteUrl: "https://bücher.example/sites/x" },
      "connect-src 'self' https://graph.microsoft.com https://xn--bcher-kva.example https://login.microsoftonline.com; " +
        "frame-src 'self' https://login.microsoftonline.com",
    ],
    [
      "an IPv6 host",
      { ...publicCloud, graphEndpoint: "https://[::1]:8401" },
      "connect-src 'self' https://[::1]:8401 https://contoso.sharepoint.com https://login.microsoftonline.com; " +
        "frame-src 'self' https://login.microsoftonline.com",
    ],
    [
      "one host named by two settings appears once",
      { ...publicCloud, graphEndpoint: "https://contoso.sharepoint.com/_api/v2.1" },
      "connect-src 'self' https://contoso.sharepoint.com https://login.microsoftonline.com; frame-src 'self' https://login.microsoftonline.com",
    ],
  ])("%s", (_, hosts, expected) => {
    expect(narrowedContentPolicy(hosts)).toBe(expected);
  });

  test.each<[string, keyof PolicyHosts, string, string]>([
    ["http", "graphEndpoint", "http://graph.microsoft.com", "cfx_GraphEndpoint"],
    ["no scheme", "siteUrl", "contoso.sharepoint.com/sites/x", "cfx_SharePointSiteUrl"],
    ["empty", "authority", "", "cfx_SignInAuthority"],
    ["javascript:", "siteUrl", "javascript:alert(1)", "cfx_SharePointSiteUrl"],
    ["data:", "graphEndpoint", "data:text/plain,x", "cfx_GraphEndpoint"],
    ["a semicolon that would start another directive", "siteUrl", "https://evil.example;script-src*/sites/x", "cfx_SharePointSiteUrl"],
    ["a comma that would start another policy", "graphEndpoint", "https://graph.microsoft.com,evil.example", "cfx_GraphEndpoint"],
    ["a quote that would make a keyword", "authority", "https://a'unsafe-inline'.example", "cfx_SignInAuthority"],
    ["a wildcard host", "siteUrl", "https://*.sharepoint.com/sites/x", "cfx_SharePointSiteUrl"],
    ["a user name and password", "siteUrl", "https://user:secret@contoso.sharepoint.com/sites/x", "cfx_SharePointSiteUrl"],
    ["a trailing dot on the host", "graphEndpoint", "https://graph.microsoft.com.", "cfx_GraphEndpoint"],
    ["an underscore in the host", "authority", "https://login_microsoftonline.com", "cfx_SignInAuthority"],
  ])("refuses %s, naming the setting", (_, key, value, schemaName) => {
    let error: unknown;
    try {
      narrowedContentPolicy({ ...publicCloud, [key]: value });
    } catch (e) {
      error = e;
    }
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ code: "settingInvalid", field: key });
    expect((error as Error).message).toContain(schemaName);
  });
});
