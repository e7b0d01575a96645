import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test as base, expect, type Page, type Request } from '@playwright/test';
import {
  CLIENT_ID,
  CLOUDS,
  type Cloud,
  certificatePath,
  realShapePorts,
  SIGN_IN_HOST,
  TENANT_ID,
  USER,
  WORKSPACE_HOST,
} from './support/real-shape.ts';
import { control, sandboxRequests, signInOnSandboxPage } from './support/sandbox.ts';

/**
 * The app in the shape real users run it: the browser navigates to https://login.microsoftonline.com
 * (.us, .cn) and the proxy connects to https://adb-….azuredatabricks.net (.us, .cn), each answered
 * by a sandbox serving under that name (tests/e2e/support/real-shape-sandboxes.ts). The app is
 * configured as a person would: through EXPLORER_* on the server, or in Settings on a default
 * `npm start`. No certificate error is ignored: Chromium trusts the local CA's two certificates by
 * their keys (--ignore-certificate-errors-spki-list), as a person would trust the CA.
 */

const root = resolve(import.meta.dirname, '..', '..');
const stateDir = process.env.EXPLORER_STATE_DIR ?? resolve(root, '.local');
const ports = realShapePorts();

function spkiPin(pemPath: string): string {
  const key = new X509Certificate(readFileSync(pemPath)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(key).digest('base64');
}

const test = base.extend<object, { pins: string }>({
  // Read once the web servers run: the sandboxes' certificate is issued when they start.
  pins: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) =>
      use([resolve(stateDir, 'tls/localhost.pem'), resolve(root, certificatePath())].map(spkiPin).join(',')),
    { scope: 'worker' },
  ],
  launchOptions: [
    async ({ launchOptions, pins }, use) =>
      use({ ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${pins}`] }),
    { scope: 'worker' },
  ],
});

const SIGN_IN_HOSTS = new Set(Object.values(SIGN_IN_HOST));

interface Seen {
  /** `METHOD host/path` of every request to a sign-in host (the sign-in page's own assets left out). */
  idp: string[];
  /** Token requests' grant types. */
  grants: string[];
  /** Console lines about the Content-Security-Policy. */
  csp: string[];
}

function watchIdp(page: Page): Seen {
  const seen: Seen = { idp: [], grants: [], csp: [] };
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (!SIGN_IN_HOSTS.has(url.hostname) || url.pathname.startsWith('/sandbox-assets')) return;
    seen.idp.push(`${request.method()} ${url.hostname}${url.pathname}`);
    if (url.pathname.endsWith('/oauth2/v2.0/token'))
      seen.grants.push(new URLSearchParams(request.postData() ?? '').get('grant_type') ?? '?');
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.csp.push(message.text());
  });
  return seen;
}

/** Fills Settings on a default `npm start` exactly as a person would, and applies them (the page reloads). */
async function configureInSettings(page: Page, cloud: Cloud) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Tenant').fill(TENANT_ID);
  await dialog.getByLabel('Client ID').fill(CLIENT_ID);
  await dialog.getByLabel('Cloud').selectOption(cloud);
  await dialog.getByLabel('Workspace URL').fill(`https://${WORKSPACE_HOST[cloud]}`);
  await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Apply' }).click()]);
}

async function journey(page: Page, cloud: Cloud, how: 'server' | 'settings') {
  const origin = `https://localhost:${how === 'server' ? ports.envApp(cloud) : ports.settingsApp}`;
  const entra = ports.entra(cloud);
  const host = SIGN_IN_HOST[cloud];
  const seen = watchIdp(page);
  await control(page, entra, 'DELETE', '/_sandbox/faults');
  // 240 s is inside MSAL's 5-minute renewal margin: every token counts as expired once issued.
  await control(page, entra, 'PUT', '/_sandbox/faults', { accessTokenLifetimeSeconds: 240 });

  await page.goto(`${origin}/`);
  if (how === 'settings') {
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await configureInSettings(page, cloud);
  }

  // Sign-in: the browser really goes to the cloud's sign-in host.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.hostname === host);
  expect(new URL(page.url()).pathname).toBe(`/${TENANT_ID}/oauth2/v2.0/authorize`);
  await signInOnSandboxPage(page, USER.upn, USER.password);
  await page.waitForURL((url) => url.origin === origin);

  // Clusters, through the proxy from the workspace's real name.
  await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The sign-in's 240 s token was renewed at once with the refresh token: a silent renewal.
  expect(seen.grants).toEqual(['authorization_code', 'refresh_token']);

  // The signature check fetches the keys from the chosen cloud's sign-in host.
  await page.getByRole('tab', { name: 'Tokens' }).click();
  await expect(page.getByText('Signature verified').first()).toBeVisible();
  expect(seen.idp).toContain(`GET ${host}/${TENANT_ID}/discovery/v2.0/keys`);

  // Another silent renewal, once the short lifetime is gone: exactly one refresh-token grant.
  await control(page, entra, 'DELETE', '/_sandbox/faults');
  await page.getByRole('tab', { name: 'Clusters' }).click();
  seen.idp.length = 0;
  seen.grants.length = 0;
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(/^\d+ clusters$/)).toBeVisible();
  await expect.poll(() => seen.grants).toEqual(['refresh_token']);
  expect(seen.idp).toEqual([`POST ${host}/${TENANT_ID}/oauth2/v2.0/token`]);

  // A reload with a valid token: no request to the identity provider at all.
  await control(page, entra, 'DELETE', '/_sandbox/requests');
  seen.idp.length = 0;
  await page.reload();
  await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Clusters' }).click();
  expect(seen.idp).toEqual([]);
  expect(await sandboxRequests(page, entra)).toEqual([]);

  // Sign-out at the cloud's sign-in host, back to a signed-out page.
  await page.getByRole('button', { name: `Sign out of ${USER.upn}` }).click();
  await page.waitForURL((url) => url.origin === origin);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(seen.idp).toContain(`GET ${host}/${TENANT_ID}/oauth2/v2.0/logout`);
  expect(seen.csp).toEqual([]);
}

test.describe('configured on the server (EXPLORER_*)', () => {
  for (const cloud of CLOUDS) {
    test(`${cloud}: sign-in at ${SIGN_IN_HOST[cloud]}, clusters from ${WORKSPACE_HOST[cloud]}, renewal, reload, sign-out`, async ({
      page,
    }) => {
      await journey(page, cloud, 'server');
    });
  }
});

test.describe('configured in Settings on a default npm start', () => {
  for (const cloud of CLOUDS) {
    test(`${cloud}: sign-in at ${SIGN_IN_HOST[cloud]}, clusters from ${WORKSPACE_HOST[cloud]}, renewal, reload, sign-out`, async ({
      page,
    }) => {
      await journey(page, cloud, 'settings');
    });
  }
});
