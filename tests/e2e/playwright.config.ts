import { defineConfig } from '@playwright/test';

/**
 * End-to-end journeys in Debian's Chromium (never a downloaded browser) against `npm start`,
 * the production build served by `vite preview` with the proxy and the sandbox.
 */
const PORT = Number(process.env.E2E_PORT ?? 5273);
export const BASE_URL = `https://localhost:${PORT}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.E2E_REPORTER === 'json' ? [['list'], ['json', { outputFile: '../../test-results/e2e.json' }]] : 'list',
  use: {
    baseURL: BASE_URL,
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // This machine has no route to Google's hosts; without these flags Chromium keeps trying.
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--disable-gpu',
        '--no-sandbox',
      ],
    },
  },
  webServer: {
    command: 'npm start',
    cwd: '../..',
    url: BASE_URL,
    ignoreHTTPSErrors: true,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: { PORT: String(PORT) },
  },
});
