import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import {
  CLIENT_ID,
  CLOUDS,
  hostResolverRules,
  proxyConnectTo,
  realShapePorts,
  TENANT_ID,
  WORKSPACE_HOST,
} from './support/real-shape.ts';
import { LAN_ADDRESS, LAN_HOST, LAN_RESOLVER_RULES, lanPort } from './support/lan.ts';

/**
 * End-to-end journeys in Debian's Chromium (never a downloaded browser) against the app as
 * `npm start` serves it (the production build in `vite preview`), and the sign-in journey again
 * against the Vite dev server, since the proxy and the sandbox live in both. Each server runs the
 * sandbox on its PORT+1 (Entra ID) and PORT+2 (workspace).
 */
export const PREVIEW_PORT = Number(process.env.E2E_PORT ?? 5273);
export const DEV_PORT = PREVIEW_PORT + 10;
/** The security checks' own server: a hostile sandbox directory, and its output kept in a file. */
export const ISOLATED_PORT = PREVIEW_PORT + 20;
/** The host-down drill's server: the sandbox workspace listens on PORT+3, not PORT+2. */
export const HOST_DOWN_PORT = PREVIEW_PORT + 30;
/** The API Explorer's server: POST forwarded (EXPLORER_PROXY_ALLOW_POST=1), its own sandbox on PORT+1/+2. */
export const EXPLORER_PORT = PREVIEW_PORT + 60;
/** The team demo's server (EXPLORER_LAN=1, LAN name explorer-lan.test on 127.0.0.2), sandbox on +81/+82. */
export const LAN_PORT = lanPort(PREVIEW_PORT);
/** Where the isolated server's stdout and stderr go (the security checks read it). */
export const ISOLATED_LOG = `test-results/e2e-server/isolated-${ISOLATED_PORT}.log`;
process.env.E2E_ISOLATED_LOG = fileURLToPath(new URL(`../../${ISOLATED_LOG}`, import.meta.url));

// Journeys always run against the sandbox, whatever a developer's .env configures.
const FORCE_SANDBOX = { EXPLORER_TENANT_ID: '', EXPLORER_CLIENT_ID: '', EXPLORER_WORKSPACE_URL: '' };

const chromium = { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] };

/**
 * The real-shape journeys (real-shape.spec.ts): sandboxes answering as login.microsoftonline.com
 * (.us, .cn) and adb-….azuredatabricks.net (.us, .cn) on PORT+50..+55, one server per cloud
 * configured through EXPLORER_* on PORT+43..+45, and a default `npm start` on PORT+40 that the
 * journeys configure in Settings. Chromium reaches the real names through its resolver rules, the
 * proxy through EXPLORER_PROXY_CONNECT_TO; certificates come from the local CA (pinned by the spec).
 */
const REAL_SHAPE = realShapePorts(PREVIEW_PORT);
const LOCAL_CA_FILE = `${process.env.EXPLORER_STATE_DIR ?? '.local'}/tls/ca.pem`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter:
    process.env.E2E_REPORTER === 'json' ? [['list'], ['json', { outputFile: '../../test-results/e2e.json' }]] : 'list',
  use: { ignoreHTTPSErrors: true, launchOptions: chromium, trace: 'retain-on-failure' },
  projects: [
    {
      name: 'preview',
      use: { baseURL: `https://localhost:${PREVIEW_PORT}` },
      testIgnore: ['security.spec.ts', 'real-shape.spec.ts', 'api-explorer.spec.ts', 'lan.spec.ts'],
      grepInvert: /@host-down/,
    },
    {
      name: 'dev',
      use: { baseURL: `https://localhost:${DEV_PORT}` },
      testMatch: ['shell.spec.ts', 'journeys.spec.ts'],
      grep: /@dev/,
    },
    // These two serve the build made by the first web server (`vite preview`, no second build).
    { name: 'isolated', use: { baseURL: `https://localhost:${ISOLATED_PORT}` }, testMatch: ['security.spec.ts'] },
    {
      name: 'host-down',
      use: { baseURL: `https://localhost:${HOST_DOWN_PORT}` },
      testMatch: ['drills.spec.ts'],
      grep: /@host-down/,
    },
    { name: 'explorer', use: { baseURL: `https://localhost:${EXPLORER_PORT}` }, testMatch: ['api-explorer.spec.ts'] },
    {
      name: 'real-shape',
      testMatch: ['real-shape.spec.ts'],
      use: {
        ignoreHTTPSErrors: false,
        launchOptions: {
          ...chromium,
          args: [...chromium.args, `--host-resolver-rules=${hostResolverRules(PREVIEW_PORT)}`],
        },
      },
    },
    {
      // Browsers reach the LAN name through their resolver rules; lan.spec.ts pins the certificate
      // (no ignoreHTTPSErrors), as a colleague who trusted the local CA would.
      name: 'lan',
      testMatch: ['lan.spec.ts'],
      use: {
        baseURL: `https://${LAN_HOST}:${LAN_PORT}`,
        ignoreHTTPSErrors: false,
        launchOptions: { ...chromium, args: [...chromium.args, `--host-resolver-rules=${LAN_RESOLVER_RULES}`] },
      },
    },
  ],
  webServer: [
    {
      command: 'npm start',
      cwd: '../..',
      url: `https://localhost:${PREVIEW_PORT}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
      env: { PORT: String(PREVIEW_PORT), ...FORCE_SANDBOX },
    },
    {
      command: 'npx vite',
      cwd: '../..',
      url: `https://localhost:${DEV_PORT}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
      env: { PORT: String(DEV_PORT), ...FORCE_SANDBOX },
    },
    {
      // Web servers start one after another, so the build from `npm start` above is in dist/.
      command: `mkdir -p test-results/e2e-server && exec npx vite preview > ${ISOLATED_LOG} 2>&1`,
      cwd: '../..',
      url: `https://localhost:${ISOLATED_PORT}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(ISOLATED_PORT),
        ...FORCE_SANDBOX,
        EXPLORER_SANDBOX_CONFIG: 'tests/e2e/fixtures/hostile-sandbox.jsonc',
      },
    },
    {
      // The build from `npm start` above, with POST forwarded for the API Explorer's state changes.
      command: 'npx vite preview',
      cwd: '../..',
      url: `https://localhost:${EXPLORER_PORT}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: { PORT: String(EXPLORER_PORT), ...FORCE_SANDBOX, EXPLORER_PROXY_ALLOW_POST: '1' },
    },
    {
      // The build from `npm start` above, in LAN mode: listening on 127.0.0.2 only (the "LAN").
      command: 'npx vite preview',
      cwd: '../..',
      url: `https://${LAN_ADDRESS}:${LAN_PORT}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: {
        PORT: String(LAN_PORT),
        ...FORCE_SANDBOX,
        EXPLORER_LAN: '1',
        EXPLORER_LAN_HOST: LAN_HOST,
        EXPLORER_LAN_ADDRESS: LAN_ADDRESS,
      },
    },
    {
      command: 'npx vite preview --config tests/e2e/support/host-down.vite.config.ts',
      cwd: '../..',
      url: `https://localhost:${HOST_DOWN_PORT}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: { PORT: String(HOST_DOWN_PORT), ...FORCE_SANDBOX },
    },
    {
      command: 'npx tsx tests/e2e/support/real-shape-sandboxes.ts',
      cwd: '../..',
      url: `https://localhost:${REAL_SHAPE.workspace('china')}/api/2.0/clusters/list`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: { E2E_PORT: String(PREVIEW_PORT) },
    },
    {
      // A default `npm start` (the build above): the journeys configure it in Settings.
      command: 'npx vite preview',
      cwd: '../..',
      url: `https://localhost:${REAL_SHAPE.settingsApp}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: {
        PORT: String(REAL_SHAPE.settingsApp),
        ...FORCE_SANDBOX,
        EXPLORER_PROXY_CONNECT_TO: proxyConnectTo(PREVIEW_PORT),
      },
    },
    ...CLOUDS.map((cloud) => ({
      command: 'npx vite preview',
      cwd: '../..',
      url: `https://localhost:${REAL_SHAPE.envApp(cloud)}`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe' as const,
      env: {
        PORT: String(REAL_SHAPE.envApp(cloud)),
        EXPLORER_TENANT_ID: TENANT_ID,
        EXPLORER_CLIENT_ID: CLIENT_ID,
        EXPLORER_CLOUD: cloud,
        EXPLORER_WORKSPACE_URL: `https://${WORKSPACE_HOST[cloud]}`,
        EXPLORER_PROXY_CONNECT_TO: proxyConnectTo(PREVIEW_PORT),
        EXPLORER_PROXY_CA_FILE: LOCAL_CA_FILE,
      },
    })),
  ],
});
