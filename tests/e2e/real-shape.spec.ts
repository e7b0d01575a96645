import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { test as base, expect } from './support/fixtures.ts';
import {
  CLIENT_ID,
  CLOUDS,
  type Cloud,
  certificatePath,
  OTHER_USER,
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
  /** The same, never reset. */
  all: string[];
  /** Token requests' grant types. */
  grants: string[];
  /** Console lines about the Content-Security-Policy. */
  csp: string[];
}

function watchIdp(page: Page): Seen {
  const seen: Seen = { idp: [], all: [], grants: [], csp: [] };
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (!SIGN_IN_HOSTS.has(url.hostname) || url.pathname.startsWith('/sandbox-assets')) return;
    seen.idp.push(`${request.method()} ${url.hostname}${url.pathname}`);
    seen.all.push(`${request.method()} ${url.hostname}${url.pathname}`);
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
  test.setTimeout(120_000);
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
  // The sign-in's 240 s token was renewed at once with the refresh token: a silent renewal (one per
  // token lookup while the short lifetime lasts), and no second authorize.
  expect(seen.grants[0]).toBe('authorization_code');
  expect(seen.grants.slice(1)).toContain('refresh_token');
  expect(new Set(seen.grants.slice(1))).toEqual(new Set(['refresh_token']));
  expect(seen.idp.filter((request) => request.endsWith('/authorize'))).toHaveLength(1);

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
  // MSAL was given the cloud's metadata: no discovery request to any sign-in host, ever.
  expect(seen.all.filter((request) => /openid-configuration|discovery\/instance/.test(request))).toEqual([]);
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

test.describe('changing settings and signing out, with real host names', () => {
  test.setTimeout(120_000);
  const origin = `https://localhost:${ports.settingsApp}`;

  async function signInWithSettings(page: Page, cloud: Cloud) {
    await page.goto(`${origin}/`);
    await configureInSettings(page, cloud);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.hostname === SIGN_IN_HOST[cloud]);
    await signInOnSandboxPage(page, USER.upn, USER.password);
    await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
  }

  test('another cloud chosen while signed in ends the old session cleanly and says so', async ({ page }) => {
    await control(page, ports.entra('public'), 'DELETE', '/_sandbox/faults');
    await signInWithSettings(page, 'public');
    const seen = watchIdp(page);
    // Another tab of the app, signed in too (it inherits this tab's sessionStorage).
    const [other] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate(() => window.open(location.href, '_blank')),
    ]);
    await expect(other.getByRole('button', { name: /^Details of / }).first()).toBeVisible();

    await configureInSettings(page, 'usgov');
    const said = `The settings changed the cloud public → usgov, so ${USER.upn} was signed out here. Sign in for the new settings.`;
    await expect(page.getByRole('status').filter({ hasText: 'The settings changed' })).toHaveText(said);
    // The other tab follows the new settings: same signed-out page, nothing of the old session in use.
    await expect(other.getByRole('status').filter({ hasText: 'The settings changed' })).toHaveText(said);
    await expect(other.getByRole('button', { name: /^Details of / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toHaveText('');
    expect(seen.idp).toEqual([]);
    // Nothing of the old configuration is left in MSAL's cache.
    expect(
      await page.evaluate(() =>
        Object.keys(sessionStorage).filter((key) => /login\.windows\.net|microsoftonline\.com/.test(key)),
      ),
    ).toEqual([]);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.hostname === SIGN_IN_HOST.usgov);
    await signInOnSandboxPage(page, USER.upn, USER.password);
    await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const events = page.getByRole('list', { name: 'Events' });
    await expect(events.getByText('Signed out: the sign-in settings changed')).toBeVisible();
    // Each entry opens to show its details.
    await events.getByText('Signed out: the sign-in settings changed').click();
    await expect(events.getByText(`cloud public → usgov · signed out ${USER.upn}`)).toBeVisible();
  });

  test('signing out of one of two accounts asks in every tab; an account switch reaches the other tab', async ({
    page,
  }) => {
    await control(page, ports.entra('public'), 'DELETE', '/_sandbox/faults');
    await signInWithSettings(page, 'public');
    await page.getByRole('button', { name: 'Switch account' }).click();
    await page.waitForURL((url) => url.hostname === SIGN_IN_HOST.public);
    await signInOnSandboxPage(page, OTHER_USER.upn, OTHER_USER.password);
    const who = (tab: Page) => tab.getByRole('region', { name: 'Signed-in user' });
    await expect(who(page)).toContainText(OTHER_USER.upn);

    // A second tab opened from the app (it inherits this tab's sessionStorage).
    const [other] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate(() => window.open(location.href, '_blank')),
    ]);
    await expect(who(other)).toContainText(OTHER_USER.upn);

    // Switching account in one tab reaches the other.
    await page.getByRole('combobox', { name: 'Account' }).selectOption({ label: USER.upn });
    await expect(who(page)).toContainText(USER.upn);
    await expect(who(other)).toContainText(USER.upn);
    await expect(other.getByRole('status').filter({ hasText: 'Another tab switched to' })).toHaveText(
      `Another tab switched to ${USER.upn}; this tab uses that account now too.`,
    );

    // Signing out of that account: neither tab carries on as the other account without asking.
    await page.getByRole('button', { name: `Sign out of ${USER.upn}` }).click();
    await page.waitForURL((url) => url.origin === origin);
    for (const [tab, text] of [
      [
        page,
        `You signed out of ${USER.upn}. ${OTHER_USER.upn} is still signed in in this browser: choose an account to continue, or sign out of all accounts.`,
      ],
      [
        other,
        `You signed out of ${USER.upn} in another tab. ${OTHER_USER.upn} is still signed in in this browser: choose an account to continue, or sign out of all accounts.`,
      ],
    ] as const) {
      await expect(tab.getByRole('heading', { name: 'Choose an account' })).toBeVisible();
      await expect(tab.getByRole('status').filter({ hasText: 'You signed out' })).toHaveText(text);
      await expect(tab.getByRole('button', { name: /^Details of / })).toHaveCount(0);
    }

    // Signing out of all accounts in one tab signs out every tab.
    await other.getByRole('button', { name: 'Sign out of all accounts' }).click();
    await other.waitForURL((url) => url.origin === origin);
    for (const tab of [page, other]) {
      await expect(tab.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await expect(tab.getByRole('status').filter({ hasText: 'You signed out of all accounts' })).toBeVisible();
    }
  });
});

test("the page's policy lets it reach every cloud's sign-in host, and refuses anything else", async ({
  page,
  consoleGuard,
}) => {
  // Chromium reports each refusal on the console: those refusals are the point.
  consoleGuard.allow(/Content Security Policy/);
  // A server configured for the public cloud: a person may still choose another cloud in Settings.
  await page.goto(`https://localhost:${ports.envApp('public')}/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const outcome = await page.evaluate(
    async ({ urls }) => {
      const blocked: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => blocked.push(event.blockedURI));
      const results: Record<string, string> = {};
      for (const url of urls) {
        results[url] = await fetch(url).then(
          (response) => `HTTP ${response.status}`,
          () => 'failed',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 0)); // violation events are queued as tasks
      return { results, blocked };
    },
    {
      urls: [
        ...CLOUDS.map((cloud) => `https://${SIGN_IN_HOST[cloud]}/${TENANT_ID}/discovery/v2.0/keys`),
        `https://${WORKSPACE_HOST.public}/api/2.0/clusters/list`,
        'https://graph.microsoft.com/v1.0/me',
      ],
    },
  );
  for (const cloud of CLOUDS) {
    expect(outcome.results[`https://${SIGN_IN_HOST[cloud]}/${TENANT_ID}/discovery/v2.0/keys`], cloud).toBe('HTTP 200');
  }
  expect(outcome.results[`https://${WORKSPACE_HOST.public}/api/2.0/clusters/list`]).toBe('failed');
  expect(outcome.results['https://graph.microsoft.com/v1.0/me']).toBe('failed');
  expect(outcome.blocked.sort()).toEqual(
    [`https://${WORKSPACE_HOST.public}/api/2.0/clusters/list`, 'https://graph.microsoft.com/v1.0/me'].sort(),
  );
});
