import type { StandaloneSandbox } from "../../sandbox/graph/standaloneProcess";
import { startGraphTestSandbox } from "./graphSandbox";

jest.setTimeout(60_000);

let sb: StandaloneSandbox;
beforeAll(async () => {
  sb = await startGraphTestSandbox();
});
afterAll(() => sb.stop());

interface Mail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  sentAt: string;
}

test("an invitation lands in /_sandbox/mail with the contract's fields and on the /mail page, and reset empties the mailbox", async () => {
  const token = await sb.token({ user: "agent", resource: "graph" });
  const drive = (await (await fetch(`${sb.graph}/v1.0/sites/root/drive`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    id: string;
  };
  const r = await fetch(`${sb.graph}/v1.0/drives/${drive.id}/root:/Customer Data Migration/CAS-01001-A1B2C3:/invite`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      recipients: [{ email: "eve@fabrikam.example" }],
      message: "Files <b>ready</b>.",
      requireSignIn: true,
      sendInvitation: true,
      roles: ["read"],
    }),
  });
  expect(r.status).toBe(200);
  const all = (await (await sb.control("GET", "/_sandbox/mail")).json()) as Mail[];
  const m = all.find((x) => x.to.includes("eve@fabrikam.example"))!;
  expect(Object.keys(m).sort()).toEqual(["from", "html", "id", "links", "sentAt", "subject", "text", "to"]);
  expect(m.subject).toBe('Alex Agent shared "CAS-01001-A1B2C3" with you');
  expect(m.text).toContain("Files <b>ready</b>.");
  expect(m.html).toContain("Files &lt;b&gt;ready&lt;/b&gt;.");
  expect(Number.isNaN(Date.parse(m.sentAt))).toBe(false);
  const page = await fetch(`${sb.app}/mail?to=${encodeURIComponent("eve@fabrikam.example")}`);
  expect(page.headers.get("content-type")).toContain("text/html");
  const text = await page.text();
  expect(text).toContain("CAS-01001-A1B2C3");
  expect(text).toContain(`<a href="${m.links[0]}">`);
  expect(text).not.toContain("<b>ready</b>");
  await sb.control("POST", "/_sandbox/reset", {});
  expect(
    ((await (await sb.control("GET", "/_sandbox/mail")).json()) as Mail[]).filter((x) => x.to.includes("eve@fabrikam.example")),
  ).toEqual([]);
});
