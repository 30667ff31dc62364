import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * The retention job's health on the supervisors' dashboard, as Pat Supervisor sees it: after a run
 * of the job (the sandbox's clock runs it, as its daily timer does) the tile names the last
 * successful run; once the sandbox's clock has moved past the expected interval (26 hours) with no
 * run, it says plainly that the job is overdue, and since when. The browser's clock follows the
 * sandbox's: the tile judges by the time on the supervisor's machine, as it would in production.
 */
test.describe.configure({ mode: "serial" });

const shots = "test-results/job-health";
const dashboard = "/main.aspx?pagetype=dashboard";

async function clock(request: APIRequestContext, body: { advanceDays: number; sweep?: boolean }): Promise<Date> {
  const r = await request.post("/_sandbox/clock", { data: body });
  expect(r.ok(), await r.text()).toBe(true);
  return new Date(((await r.json()) as { now: string }).now);
}

async function openDashboard(page: Page, now: Date): Promise<void> {
  await page.clock.setFixedTime(now);
  await page.goto(`/_sandbox/signin?user=supervisor&returnTo=${encodeURIComponent(dashboard)}`);
}

const tile = (page: Page) => page.frameLocator('iframe[src*="cfx_/dashboards/retention-health.html"]');

test.beforeAll(async ({ request }) => {
  expect((await request.post("/_sandbox/reset")).ok()).toBe(true);
});

test("before any run the tile says no successful run is recorded", async ({ page }) => {
  await openDashboard(page, await clock(page.request, { advanceDays: 0, sweep: false }));
  await expect(tile(page).getByRole("status")).toHaveText("Overdue");
  await expect(tile(page).getByText("No successful run is recorded.", { exact: false })).toBeVisible();
});

test("after a run the dashboard shows the last successful run; 26 hours later with no run it says overdue", async ({ page }) => {
  // The job runs on the sandbox's clock, 31 days on: seeded folders expire and are deleted.
  const ran = await clock(page.request, { advanceDays: 31 });
  await openDashboard(page, ran);
  await expect(page.getByRole("heading", { name: "Case File Exchange: Supervisor" })).toBeVisible();
  await expect(tile(page).getByRole("status")).toHaveText("On time", { timeout: 30_000 });
  await expect(
    tile(page).getByText(/^Last successful run .+ on the sandbox: \d+ warned, \d+ of \d+ expired folders deleted/),
  ).toBeVisible();
  await expect(tile(page).getByText(/^The next run is expected by /)).toBeVisible();
  await page.screenshot({ path: `${shots}-1-on-time.png`, fullPage: false });

  // A day and a bit later the job has not run (its certificate expired, say): no run, only time.
  const later = await clock(page.request, { advanceDays: 1.25, sweep: false });
  await openDashboard(page, later);
  await expect(tile(page).getByRole("status")).toHaveText("Overdue", { timeout: 30_000 });
  await expect(
    tile(page).getByText(
      /^Overdue since .+: no successful run in the 26 hours before\. Until the job runs again, expired folders are not deleted/,
    ),
  ).toBeVisible();
  await expect(tile(page).getByText(/^Last successful run .+ on the sandbox/)).toBeVisible();
  await page.screenshot({ path: `${shots}-2-overdue.png`, fullPage: false });

  // The next run puts it right, and "All runs" opens the view of every run.
  await openDashboard(page, await clock(page.request, { advanceDays: 0 }));
  await expect(tile(page).getByRole("status")).toHaveText("On time", { timeout: 30_000 });
  await tile(page).getByRole("button", { name: "All runs" }).click();
  await expect(page).toHaveURL(/pagetype=entitylist&etn=cfx_jobrun/);
  await expect(page.getByText("Retention run ").first()).toBeVisible();
  await page.screenshot({ path: `${shots}-3-all-runs.png`, fullPage: false });
});
