import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import {
  CLUSTERS_LIST,
  control,
  cspViolations,
  JWT_SHAPED,
  ports,
  sandboxRequests,
  signInAs,
  signInOnSandboxPage,
  watch,
  workspaceFaults,
} from './support/sandbox.ts';

/**
 * Security checks (issue 7) on the "isolated" server: its output goes to a file that these tests
 * read, and its sandbox directory holds Mallory, whose name is hostile (tests/e2e/fixtures).
 */

const SERVER_LOG = process.env.E2E_ISOLATED_LOG ?? '';

test.afterEach(async ({ page, baseURL }) => {
  await control(page, ports(baseURL).workspace, 'POST', '/_sandbox/reset').catch(() => {});
});

/** Every secret in MSAL's cache in this tab: access, ID and refresh tokens. */
async function cachedSecrets(page: Page) {
  return page.evaluate(() => {
    const found: { kind: string; secret: string }[] = [];
    for (const key of Object.keys(sessionStorage)) {
      const kind = /accesstoken/i.test(key)
        ? 'access'
        : /refreshtoken/i.test(key)
          ? 'refresh'
          : /idtoken/i.test(key)
            ? 'id'
            : undefined;
      if (!kind) continue;
      try {
        const entry = JSON.parse(sessionStorage.getItem(key) ?? '') as { secret?: unknown };
        if (typeof entry.secret === 'string') found.push({ kind, secret: entry.secret });
      } catch {
        // MSAL may encrypt or wrap entries; a non-JSON entry is not a token we can compare.
      }
    }
    return found;
  });
}

function expectFree(where: string, text: string, secrets: string[]) {
  for (const secret of secrets) expect(text.includes(secret), `a token appears in ${where}`).toBe(false);
  expect(text, `a JWT-shaped string appears in ${where}`).not.toMatch(JWT_SHAPED);
}

test('no token appears in URLs, console output, the server log, error messages, localStorage or the page until revealed', async ({
  page,
  baseURL,
}) => {
  const { app, entra, workspace } = ports(baseURL);
  const seen = watch(page, entra);
  let code = '';
  page.on('framenavigated', (frame) => {
    const match = /[#&]code=([^&]+)/.exec(frame.url());
    if (frame === page.mainFrame() && frame.url().startsWith(`https://localhost:${app}/`) && match?.[1])
      code = decodeURIComponent(match[1]);
  });
  await signInAs(page, 'ana@contoso.example');
  expect(code).not.toBe('');
  const tokens = await cachedSecrets(page);
  expect(tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
  const all = [...tokens.map((t) => t.secret), code];
  const hidden = [...tokens.filter((t) => t.kind !== 'id').map((t) => t.secret), code];

  // Views other than the token inspector show no token at all.
  for (const tab of ['Clusters', 'Timeline', 'Show me how']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab, selected: true })).toBeVisible();
    expectFree(`the ${tab} view's HTML`, await page.content(), all);
  }
  // The token inspector shows the ID token's encoded form by default; the access token only once revealed.
  await page.getByRole('tab', { name: 'Tokens' }).click();
  const reveal = page.getByRole('button', { name: 'Reveal access token' });
  await expect(reveal).toBeVisible();
  for (const secret of hidden)
    expect(
      (await page.content()).includes(secret),
      'the access or refresh token is in the page before it is revealed',
    ).toBe(false);

  // An error on the way: the workspace rejects the token, the proxy fails upstream.
  await page.getByRole('tab', { name: 'Clusters' }).click();
  await workspaceFaults(page, workspace, { tokenExpired: { paths: [CLUSTERS_LIST] } });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(
    page.getByRole('alert').getByRole('heading', { name: 'The workspace does not accept your token' }),
  ).toBeVisible();
  expectFree('an error message', (await page.getByRole('alert').textContent()) ?? '', all);
  await workspaceFaults(page, workspace, { dropConnection: { paths: [CLUSTERS_LIST] } });
  await page.getByRole('alert').getByRole('button').first().click();
  await expect(page.getByRole('alert')).toBeVisible();
  expectFree('an error message', (await page.getByRole('alert').textContent()) ?? '', all);
  await workspaceFaults(page, workspace, null);

  const latest = (await cachedSecrets(page)).map((t) => t.secret);
  const everything = [...new Set([...all, ...latest])];
  expectFree('the address bar', page.url(), everything);
  expect(page.url()).not.toMatch(/[#&?](code|state|client_info)=/);
  // Request URLs: only the authorization response (on its way into the page) may carry the code.
  for (const url of seen.urls)
    expectFree(
      `a request URL (${new URL(url).pathname})`,
      url,
      everything.filter((s) => s !== code),
    );
  expectFree('console output', seen.console.join('\n'), everything);
  expectFree('localStorage', await page.evaluate(() => JSON.stringify(Object.entries(localStorage))), everything);
  const log = readFileSync(SERVER_LOG, 'utf8');
  expect(log, 'the server log was captured and the proxy wrote to it').toContain('[explorer proxy]');
  expectFree("the server's output (proxy log)", log, everything);
});

test('hostile user and cluster names render as text, run no script, and keep the layout', async ({ page, baseURL }) => {
  const { entra } = ports(baseURL);
  const seen = watch(page, entra);
  await page.addInitScript(() => {
    (window as unknown as { __pwned?: unknown }).__pwned = undefined;
  });
  // The sandbox has no setting for cluster names, so these come from the test: the first page of
  // the list answered by the workspace, with hostile names written into it.
  const hostileNames = [
    '<script>window.__pwned="script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '\u202Egnp.exe',
    `long-${'W'.repeat(10_000)}`,
  ];
  await page.route('**/databricks/**/api/2.1/clusters/list**', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { clusters?: { cluster_name: string }[] };
    body.clusters?.forEach((cluster, index) => {
      if (index < hostileNames.length) cluster.cluster_name = hostileNames[index] ?? cluster.cluster_name;
    });
    await route.fulfill({ response, json: body });
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInOnSandboxPage(page, 'mallory@contoso.example');
  const consent = page.getByRole('button', { name: /accept/i });
  const header = page.getByRole('region', { name: 'Signed-in user' });
  await expect(consent.or(header)).toBeVisible();
  if (await consent.isVisible()) await consent.click();
  await expect(header).toContainText(
    '<img src=x onerror="window.__pwned=1">\u202EMallory<script>window.__pwned=2</script><b>Hostile</b>',
  );
  await expect(page.getByText(/^[\d,]+ clusters?$/)).toBeVisible();
  for (const name of hostileNames)
    await expect(page.getByRole('button', { name: `Details of ${name}` })).toHaveCount(1);

  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('header b, main b, table img, header img, table script, header script').count()).toBe(0);
  expect(seen.console.filter((line) => line.startsWith('pageerror'))).toEqual([]);

  // Layout: the header stays a header, the rows keep their fixed height, nothing runs off sideways.
  const headerBox = await page.getByRole('banner').boundingBox();
  const viewport = page.viewportSize() ?? { width: 1280, height: 720 };
  expect(headerBox?.height ?? Number.POSITIVE_INFINITY).toBeLessThan(200);
  expect(headerBox?.width ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(viewport.width + 1);
  const rowHeights = await page
    .getByRole('row')
    .evaluateAll((rows) => rows.slice(1).map((row) => row.getBoundingClientRect().height));
  expect(rowHeights.length).toBeGreaterThan(3);
  for (const height of rowHeights) expect(height).toBeLessThanOrEqual(40);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width + 1);

  await page.getByRole('tab', { name: 'Tokens' }).click();
  await expect(page.getByText(/Mallory/).first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width + 1);
});

test('every page the app serves carries the CSP and no inline script', async ({ page }) => {
  for (const path of ['/', '/index.html', '/#/clusters', '/no-such-page']) {
    const response = await page.request.get(path, { ignoreHTTPSErrors: true });
    const type = response.headers()['content-type'] ?? '';
    if (!type.includes('text/html')) continue;
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(csp, `CSP on ${path}`).toMatch(/script-src[^;]*'self'/);
    expect(csp, `CSP on ${path}`).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp, `CSP on ${path}`).toContain("frame-ancestors 'none'");
    const html = await response.text();
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
      // The runtime configuration travels in the page as data, which a browser never runs.
      const data = /^<script type="application\/json" id="explorer-runtime-config">([^<]*)<\/script>$/.exec(tag);
      if (data) {
        expect(JSON.parse(data[1] ?? ''), `the runtime configuration on ${path}`).toEqual(expect.any(Object));
        continue;
      }
      expect(tag, `an inline script on ${path}`).toMatch(/<script\b[^>]*\bsrc=/i);
      expect(tag.replace(/<script\b[^>]*>|<\/script>/gi, '').trim()).toBe('');
    }
    expect(html, `an inline event handler on ${path}`).not.toMatch(/\son[a-z]+\s*=/i);
  }
  const violations = cspViolations(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('a page on another origin cannot use the proxy: the fetch fails and the proxy refuses it', async ({
  page,
  baseURL,
  consoleGuard,
}) => {
  // Chromium reports the refused cross-origin fetch on the console: that refusal is the point.
  consoleGuard.allow(
    /blocked by CORS policy|^Failed to load resource: net::ERR_(FAILED|BLOCKED_BY_RESPONSE\.NotSameOrigin)$/,
  );
  const { app, workspace } = ports(baseURL);
  const other = http.createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>other origin</title>'),
  );
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const origin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    await control(page, workspace, 'DELETE', '/_sandbox/requests');
    const logBefore = readFileSync(SERVER_LOG, 'utf8').length;
    await page.goto(`${origin}/`);
    const target = `https://localhost:${app}/databricks/localhost:${workspace}${CLUSTERS_LIST}`;
    const outcome = await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, { headers: { Authorization: 'Bearer not-a-token' } });
        return `read ${response.status}`;
      } catch (error) {
        return `failed: ${String(error)}`;
      }
    }, target);
    expect(outcome).toMatch(/^failed: TypeError/);
    const simple = await page.evaluate(async (url) => {
      try {
        return `read ${(await fetch(url)).status}`;
      } catch (error) {
        return `failed: ${String(error)}`;
      }
    }, target);
    expect(simple).toMatch(/^failed: TypeError/);
    // Even a no-cors request is refused by the proxy before it connects upstream, and its answer
    // (Cross-Origin-Resource-Policy: same-origin, as on every proxy answer) is withheld entirely.
    const noCors = await page.evaluate(async (url) => {
      try {
        return `read ${(await fetch(url, { mode: 'no-cors' })).type}`;
      } catch (error) {
        return `failed: ${String(error)}`;
      }
    }, target);
    expect(noCors).toMatch(/^failed: TypeError/);
    expect(await sandboxRequests(page, workspace)).toEqual([]);
    // The page sees no status at all (every answer is withheld from it); the server's log shows the refusals.
    await expect.poll(() => readFileSync(SERVER_LOG, 'utf8').slice(logBefore)).toContain('→ 403 PROXY_ORIGIN_REFUSED');
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

test.describe('bad settings are refused in the settings panel before any request', () => {
  const cases = [
    { name: 'a non-Databricks workspace host', field: 'Workspace URL', value: 'https://example.com' },
    { name: 'a non-GUID client ID', field: 'Client ID', value: 'my-explorer-app' },
    {
      name: 'an http:// workspace URL',
      field: 'Workspace URL',
      value: 'http://adb-1234567890123456.7.azuredatabricks.net',
    },
  ];
  for (const { name, field, value } of cases) {
    test(`refuses ${name}`, async ({ page, baseURL }) => {
      const { app } = ports(baseURL);
      await page.goto('/');
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByLabel('Cloud').selectOption('public');
      await dialog.getByLabel('Tenant').fill('a1bc2d34-5e67-8f89-01ab-c2345d6c78de');
      await dialog.getByLabel('Client ID').fill('12a34b56-789c-0d12-e3fa-b456789c0123');
      await dialog.getByLabel('Workspace URL').fill('https://adb-1234567890123456.7.azuredatabricks.net');
      await dialog.getByLabel(field).fill(value);
      await dialog.getByRole('button', { name: 'Apply' }).click();
      await expect(dialog.getByLabel(field)).toHaveAttribute('aria-invalid', 'true');
      await expect(dialog.getByText(/Nothing was saved/)).toBeVisible();
      expect(await page.evaluate(() => localStorage.getItem('explorer.settings.v1'))).toBeNull();
      await dialog.getByRole('button', { name: 'Close' }).click();
      // Nothing left for an identity provider or the proxy; the page is still this one.
      expect(
        requests.filter((url) => !url.startsWith(`https://localhost:${app}/`) || url.includes('/databricks/')),
      ).toEqual([]);
    });
  }
});
