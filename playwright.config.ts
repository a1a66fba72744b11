import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the built extension (npm run build / build:firefox) in real Debian Chromium
 * through Playwright, and in Firefox ESR through puppeteer-core over WebDriver BiDi, each talking to
 * the real native host registered in a throwaway profile. One worker: each file launches a browser,
 * and the machine has two cores.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
});
