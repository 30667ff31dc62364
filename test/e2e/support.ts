import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

/**
 * What the browser tests share: a token from the sandbox's test control, Dataverse reads as a
 * seeded person, a seeded case's id, signing in through the sandbox and the accessibility check
 * of a frame. The sandbox's fixed contract (`/_sandbox/token`, `/_sandbox/signin`) is all they use.
 */

export async function token(request: APIRequestContext, user: string, resource: "dataverse" | "graph" = "dataverse"): Promise<string> {
  const r = await request.post("/_sandbox/token", { data: { user, resource } });
  expect(r.ok(), await r.text()).toBe(true);
  return ((await r.json()) as { access_token: string }).access_token;
}

/** A Web API read as `user` (administrator by default), with every annotation. */
export async function dataverse<T>(request: APIRequestContext, path: string, user = "admin"): Promise<T> {
  const r = await request.get(`/api/data/v9.2/${path}`, {
    headers: { authorization: `Bearer ${await token(request, user)}`, prefer: 'odata.include-annotations="*"' },
  });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()) as T;
}

/** The id of the case with this number (exactly one). */
export async function caseId(request: APIRequestContext, number: string): Promise<string> {
  const r = await dataverse<{ value: Array<{ incidentid: string }> }>(
    request,
    `incidents?$select=incidentid&$filter=ticketnumber eq '${number}'`,
  );
  expect(r.value).toHaveLength(1);
  return r.value[0].incidentid;
}

export async function signIn(page: Page, user: string, returnTo: string): Promise<void> {
  await page.goto(`/_sandbox/signin?user=${user}&returnTo=${encodeURIComponent(returnTo)}`);
}

/** No serious or critical accessibility violations inside the frame `frame` (a CSS selector). */
export async function expectAccessible(page: Page, frame: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include(frame).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  expect(bad).toEqual([]);
}
