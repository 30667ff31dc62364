import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./test/support/chromium";

/**
 * Browser tests (test/e2e) run in Debian's Chromium against a sandbox started for the run, on its
 * own port and its own data folder, so they never touch the state of `npm start`.
 */
const port = Number(process.env.E2E_PORT ?? 8450);

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `https://localhost:${port}`,
    ignoreHTTPSErrors: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    command: "node scripts/start.js",
    url: `https://localhost:${port}/healthz`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 120_000,
    // The config's env wins over the caller's: honour SANDBOX_DATA_DIR so parallel runs keep apart.
    env: { PORT: String(port), SANDBOX_DATA_DIR: process.env.SANDBOX_DATA_DIR ?? ".sandbox/e2e" },
    stdout: "pipe",
  },
});
