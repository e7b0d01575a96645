import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { test as base, expect } from './support/fixtures.ts';
import { LAN_HOST, LAN_RESOLVER_RULES, lanPort } from './support/lan.ts';
import { signInOnSandboxPage } from './support/sandbox.ts';

/**
 * Team demos (issue 16.2): with EXPLORER_LAN=1 a colleague's browser, on another machine, reaches
 * the app and the sandbox by the LAN host name, trusts the local CA and signs in to the sandbox;
 * the presenter console stays on the presenter's machine. Here the "LAN" is 127.0.0.2 (the server
 * listens there only) and the name `explorer-lan.test` resolves to it in the browsers alone
 * (`--host-resolver-rules`). No certificate error is ignored: each browser trusts the LAN
 * certificate by its key (`--ignore-certificate-errors-spki-list`), as a person who imported the CA.
 */

const root = resolve(import.meta.dirname, '..', '..');
const stateDir = process.env.EXPLORER_STATE_DIR ?? resolve(root, '.local');
const APP_PORT = lanPort();
const ENTRA_PORT = APP_PORT + 1;
const APP = `https://${LAN_HOST}:${APP_PORT}`;
const ENTRA = `https://${LAN_HOST}:${ENTRA_PORT}`;

function spkiPin(pemPath: string): string {
  const key = new X509Certificate(readFileSync(pemPath)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(key).digest('base64');
}

const test = base.extend<object, { pin: string }>({
  // Read once the web servers run: the LAN certificate (tls/lan.pem) is issued when the LAN server starts.
  pin: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => use(spkiPin(resolve(stateDir, 'tls/lan.pem'))),
    { scope: 'worker' },
  ],
  launchOptions: [
    async ({ launchOptions, pin }, use) =>
      use({ ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${pin}`] }),
    { scope: 'worker' },
  ],
});

/** A colleague's browser: a separate Chromium with its own profile folder, on the "LAN". */
async function launchColleague(pin: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'explorer-colleague-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--host-resolver-rules=${LAN_RESOLVER_RULES}`,
      `--ignore-certificate-errors-spki-list=${pin}`,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in from the app's landing page on the sandbox's sign-in page, and waits for the clusters. */
async function signInAndSeeClusters(page: Page, upn: string): Promise<string[]> {
  const identityHosts: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.port === String(ENTRA_PORT)) identityHosts.push(url.hostname);
  });
  await page.goto(`${APP}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.port === String(ENTRA_PORT));
  await signInOnSandboxPage(page, upn);
  await page.waitForURL((url) => url.origin === APP);
  await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
  return identityHosts;
}

test('a colleague with a browser of their own signs in to the sandbox by the LAN name and sees clusters', async ({
  consoleGuard,
  pin,
}) => {
  const colleague = await launchColleague(pin);
  try {
    consoleGuard.watch(colleague.context);
    const page = colleague.context.pages()[0] ?? (await colleague.context.newPage());
    await page.goto(`${APP}/`);

    // The CA certificate the banner tells them to download is the local CA, fingerprint and all.
    const served = await page.evaluate(async () => (await fetch('/local-ca.pem')).text());
    expect(new X509Certificate(served).fingerprint256).toBe(
      new X509Certificate(readFileSync(resolve(stateDir, 'tls/ca.pem'))).fingerprint256,
    );
    expect(served).not.toContain('PRIVATE KEY');

    const identityHosts = await signInAndSeeClusters(page, 'ana@contoso.example');
    expect(identityHosts.length).toBeGreaterThan(0);
    expect(new Set(identityHosts)).toEqual(new Set([LAN_HOST]));
    await expect(page.getByText('Ana Analyst').first()).toBeVisible();
  } finally {
    await colleague.close();
  }
});

test('the presenter console and the control API refuse a browser that reaches them by the LAN name', async ({
  consoleGuard,
  pin,
}) => {
  consoleGuard.allow(/Failed to load resource: the server responded with a status of 403/);
  const colleague = await launchColleague(pin);
  try {
    consoleGuard.watch(colleague.context);
    const page = colleague.context.pages()[0] ?? (await colleague.context.newPage());
    const consoleAnswer = await page.goto(`${ENTRA}/_sandbox/console`);
    expect(consoleAnswer?.status()).toBe(403);
    expect(await consoleAnswer?.text()).toContain("answers this machine's loopback clients only");
    const control = await page.goto(`${ENTRA}/_sandbox/faults`);
    expect(control?.status()).toBe(403);
    expect(await control?.text()).toContain("answers this machine's loopback clients only");
  } finally {
    await colleague.close();
  }
});

test("the presenter's browser uses the same LAN name for the app, and opens the console on localhost", async ({
  page,
  context,
}) => {
  const consolePage = await context.newPage();
  await consolePage.goto(`https://localhost:${ENTRA_PORT}/_sandbox/console`);
  await expect(consolePage.getByRole('heading', { name: 'Sandbox console', level: 1 })).toBeVisible();
  await expect(consolePage.getByText(/^Live:/)).toBeVisible();

  const identityHosts = await signInAndSeeClusters(page, 'ben@contoso.example');
  expect(new Set(identityHosts)).toEqual(new Set([LAN_HOST]));
  // The console's live log shows the presenter's sign-in as the identity provider saw it.
  await expect(consolePage.getByText(/oauth2\/v2\.0\/token/).first()).toBeVisible();
});
