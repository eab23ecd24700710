import { defineConfig } from "@playwright/test";

/**
 * Browser tests against the app started the README way (`npm start`, embedded database in a
 * fresh DATA_DIR): see e2e/global-setup.ts. The global setup may move to another port when
 * 3210 is taken; it then exports E2E_BASE_URL, which e2e/support.ts hands to every test.
 *
 * The base URL uses `localhost`, not 127.0.0.1: the Auth.js CSRF cookie is only sent back to
 * the host the route handlers see.
 */
const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  // One server with an embedded (single-process) database: one worker, files in name order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    browserName: "chromium",
    locale: "en-GB",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: {
      // Debian's Chromium: `npx playwright install` cannot download browsers here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
