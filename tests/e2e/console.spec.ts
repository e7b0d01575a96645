import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { control, ports, signInAs, signInOnSandboxPage } from './support/sandbox.ts';

/**
 * The presenter console (issue 16.1) and the app side by side: each scenario switched on from
 * the console shows its effect in the app and its requests in the console's live log, and
 * switching it off brings normal behaviour back. A page on another origin can use neither the
 * console nor the control API.
 */

/** A loopback origin of our own for the cross-site page (inside this run's port range, clear of the web servers'). */
// Clear of the other servers' ports (tests/e2e/playwright.config.ts uses PORT+0..+69).
const CROSS_SITE_PORT = Number(process.env.E2E_PORT ?? 5273) + 75;

test.use({ viewport: { width: 1280, height: 800 } });

test.afterEach(async ({ page, baseURL }) => {
  const { entra } = ports(baseURL);
  await page.request
    .post(`https://localhost:${entra}/_sandbox/console/scenarios/reset`, {
      data: { on: true },
      headers: { 'Content-Type': 'application/json' },
    })
    .catch(() => {});
});

interface Console {
  page: Page;
  problems: string[];
  /** The scenario's card. */
  card(title: string): Locator;
  /** Rows of the live log whose text matches every pattern. */
  rows(...patterns: RegExp[]): Locator;
}

async function openConsole(context: BrowserContext, entraPort: number, { clear = true } = {}): Promise<Console> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`https://localhost:${entraPort}/_sandbox/console`);
  await expect(page.getByRole('heading', { name: 'Sandbox console', level: 1 })).toBeVisible();
  await expect(page.getByText(/^Live:/)).toBeVisible();
  // The log replays what the services saw before this test (earlier specs share the server):
  // start each test from an empty view, as a presenter would before a demo.
  if (clear) {
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('Live log cleared.');
  }
  return {
    page,
    problems,
    card: (title) =>
      page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) }),
    // By accessible name, where cells are separated by spaces (their textContent runs together).
    rows: (...patterns) => {
      const table = page.getByRole('table', { name: /Requests to the sandbox/ });
      let rows = table.getByRole('row', { name: patterns[0] });
      for (const pattern of patterns.slice(1)) rows = rows.and(table.getByRole('row', { name: pattern }));
      return rows;
    },
  };
}

/** Switches a scenario from the console, as a presenter does: pick the user if any, press the switch. */
async function toggle(con: Console, title: string, on: boolean, user?: string) {
  const card = con.card(title);
  if (user !== undefined) await card.getByLabel('User').selectOption(user);
  const button = card.getByRole('button', { name: title, exact: true });
  await expect(button).toHaveAttribute('aria-pressed', String(!on));
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', String(on));
  await expect(con.page.getByRole('status')).toHaveText(`${title}: ${on ? 'on' : 'off'}.`);
}

const clustersShown = (page: Page) => page.getByText(/^\d+ clusters$/);
const refresh = (page: Page) => page.getByRole('button', { name: 'Refresh' }).click();
const TOKEN = /POST\s*\/[^/]+\/oauth2\/v2\.0\/token/;
const LIST = /GET\s*\/api\/2\.1\/clusters\/list/;

test.describe('identity scenarios', () => {
  test('short-lived access tokens: every Refresh renews the token silently, until switched off', async ({
    page,
    context,
    baseURL,
  }) => {
    const { entra } = ports(baseURL);
    const con = await openConsole(context, entra);
    await toggle(con, 'Short-lived access tokens', true);
    await signInAs(page, 'ana@contoso.example');
    await expect(con.rows(TOKEN, /authorization_code/, /ana@contoso\.example/, /200/)).toHaveCount(1);

    await refresh(page);
    await expect(clustersShown(page)).toBeVisible();
    await expect(con.rows(TOKEN, /refresh_token/, /ana@contoso\.example/, /\b200\b/).first()).toBeVisible();
    await page.getByRole('tab', { name: 'Tokens' }).click();
    await expect(page.getByText(/expires in (3|4) min/i).first()).toBeVisible();
    await page.getByRole('tab', { name: 'Clusters' }).click();

    await toggle(con, 'Short-lived access tokens', false);
    // The renewal after switching off brings an hour-long token; the next Refresh needs none.
    const lists = await con.rows(LIST).count();
    const renewals = await con.rows(TOKEN, /refresh_token/).count();
    await refresh(page);
    await expect(con.rows(LIST)).toHaveCount(lists + 1);
    await expect(con.rows(TOKEN, /refresh_token/)).toHaveCount(renewals + 1);
    await refresh(page);
    await expect(con.rows(LIST)).toHaveCount(lists + 2);
    await expect(con.rows(TOKEN, /refresh_token/)).toHaveCount(renewals + 1);
    expect(con.problems).toEqual([]);
  });

  /**
   * A scenario about one user, switched on for Ana while she is signed in with short-lived tokens:
   * the console shows it, the next Refresh meets it (her refresh-token grant refused with 400),
   * and once it is switched off she gets on as normal.
   */
  const userScenarios: {
    name: string;
    title: string;
    /** What the console shows once the scenario is on. */
    shown(con: Console): Promise<void>;
    /** What the app does on the next Refresh, and what the person does about it. */
    effect(page: Page): Promise<void>;
    /** Rows of the live log the scenario adds beside the refused refresh-token grant. */
    alsoLogged?: RegExp[];
    /** Normal behaviour, once switched off. */
    normalAgain(page: Page, newPage: () => Promise<Page>): Promise<void>;
  }[] = [
    {
      name: "revoking a user's sessions sends the app to the sign-in page; signing in again works",
      title: "Revoke a user's sessions",
      shown: (con) => expect(con.card("Revoke a user's sessions")).toContainText(/Revoked at \d\d:\d\d:\d\d UTC/),
      effect: (page) => expect(page.getByLabel(/password/i)).toBeVisible(),
      async normalAgain(page) {
        await signInOnSandboxPage(page, 'ana@contoso.example');
        await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
      },
    },
    {
      name: 'a user who needs MFA is sent through the verification step, and not once switched off',
      title: 'A user who needs MFA',
      shown: (con) => expect(con.page.getByRole('row', { name: /Ana Analyst/ })).toContainText('required now'),
      async effect(page) {
        await page.getByLabel(/verification code/i).fill('123456');
        await page.getByRole('button', { name: /verify/i }).click();
        await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
      },
      alsoLogged: [/GET\s*\/[^/]+\/oauth2\/v2\.0\/authorize/, /ana@contoso\.example/],
      async normalAgain(_page, newPage) {
        // A fresh browser (no session, no cached tokens): Ana signs in with her password alone.
        const fresh = await newPage();
        await signInAs(fresh, 'ana@contoso.example');
        await expect(fresh.getByLabel(/verification code/i)).toHaveCount(0);
        await fresh.context().close();
      },
    },
    {
      name: 'consent withdrawn shows the consent page; accepting it consents again',
      title: 'Consent withdrawn',
      shown: (con) => expect(con.page.getByRole('row', { name: /Ana Analyst/ })).toContainText('withdrawn'),
      async effect(page) {
        await page.getByRole('button', { name: 'Accept' }).click();
        await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
      },
      async normalAgain(page) {
        await refresh(page);
        await expect(clustersShown(page)).toBeVisible();
        await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
      },
    },
  ];

  for (const scenario of userScenarios) {
    test(scenario.name, async ({ page, context, browser, baseURL }) => {
      const { entra } = ports(baseURL);
      const con = await openConsole(context, entra);
      await toggle(con, 'Short-lived access tokens', true);
      await signInAs(page, 'ana@contoso.example');
      await toggle(con, scenario.title, true, 'ana@contoso.example');
      await scenario.shown(con);

      await refresh(page);
      await scenario.effect(page);
      await expect(con.rows(TOKEN, /refresh_token/, /ana@contoso\.example/, /\b400\b/)).toHaveCount(1);
      if (scenario.alsoLogged) await expect(con.rows(...scenario.alsoLogged).first()).toBeVisible();

      await toggle(con, scenario.title, false);
      await scenario.normalAgain(page, async () =>
        (await browser.newContext({ baseURL, ignoreHTTPSErrors: true })).newPage(),
      );
      expect(con.problems).toEqual([]);
    });
  }
});

test.describe('workspace scenarios', () => {
  test('slow, rate limited, 503, 500 and dropped connections, each undone with one click', async ({
    page,
    context,
    baseURL,
  }) => {
    const { entra } = ports(baseURL);
    const con = await openConsole(context, entra);
    await signInAs(page, 'ana@contoso.example');
    const alert = page.getByRole('alert');
    const loaded = page.getByRole('button', { name: 'Details of shared-analytics' });

    // Each scenario: switched on, its effect in the app and its rows in the log; switched off, normal again.
    const scenarios: { title: string; effect: Locator; logged: RegExp[]; normalAgain(): Promise<void> }[] = [
      {
        title: 'Slow workspace',
        effect: page.getByText(/^Loading clusters…/),
        logged: [LIST, /\b[3-9]\d{3} ms\b/, /ana@contoso\.example/],
        async normalAgain() {
          const slow = await con.rows(LIST, /\b[3-9]\d{3} ms\b/).count();
          await refresh(page);
          await expect(clustersShown(page)).toBeVisible();
          await expect(con.rows(LIST, /\b\d{1,3} ms\b/).first()).toBeVisible();
          expect(await con.rows(LIST, /\b[3-9]\d{3} ms\b/).count()).toBe(slow);
        },
      },
      {
        title: 'Rate limited (429, Retry-After)',
        effect: page.getByText(/rate limiting \(HTTP 429\): retrying in \d s/),
        logged: [LIST, /\b429\b/],
        async normalAgain() {
          await expect(loaded).toBeVisible();
          await expect(alert).toHaveCount(0);
        },
      },
      {
        title: 'Workspace error (500)',
        effect: alert.getByRole('heading', { name: 'The workspace had a problem' }),
        logged: [LIST, /\b500\b/],
        async normalAgain() {
          await alert.getByRole('button', { name: 'Try again' }).click();
          await expect(loaded).toBeVisible();
        },
      },
      {
        title: 'Workspace outage (503)',
        effect: page.getByText(/\(HTTP 503\): retrying in \d s/),
        logged: [LIST, /\b503\b/],
        async normalAgain() {
          await expect(loaded).toBeVisible({ timeout: 30_000 });
          await expect(alert).toHaveCount(0);
        },
      },
      {
        title: 'Dropped connections',
        effect: alert,
        logged: [LIST, /dropped/],
        async normalAgain() {
          await alert.getByRole('button').first().click();
          await expect(loaded).toBeVisible();
        },
      },
    ];
    for (const scenario of scenarios) {
      await toggle(con, scenario.title, true);
      await refresh(page);
      await expect(scenario.effect).toBeVisible();
      await expect(con.rows(...scenario.logged).first()).toBeVisible();
      await toggle(con, scenario.title, false);
      await scenario.normalAgain();
    }
    expect(con.problems).toEqual([]);
  });

  test('10,000 clusters, a cluster starting and stopping, and reset everything', async ({ page, context, baseURL }) => {
    test.setTimeout(120_000);
    const { entra } = ports(baseURL);
    const con = await openConsole(context, entra);
    await signInAs(page, 'ben@contoso.example');
    await expect(page.getByText('13 clusters')).toBeVisible();

    await toggle(con, '10,000 clusters', true);
    await refresh(page);
    await expect(page.getByText('10,000 clusters', { exact: true })).toBeVisible({ timeout: 90_000 });
    await toggle(con, '10,000 clusters', false);
    await refresh(page);
    await expect(page.getByText('13 clusters')).toBeVisible();

    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Details of ana-scratch' }) });
    await expect(row).toContainText('TERMINATED');
    await toggle(con, 'A cluster starting and stopping', true);
    await expect(con.card('A cluster starting and stopping')).toContainText('ana-scratch: PENDING');
    await refresh(page);
    await expect(row).toContainText('PENDING');
    await con.card('A cluster starting and stopping').getByRole('button', { name: 'Skip ahead 15 s' }).click();
    await expect(con.card('A cluster starting and stopping')).toContainText('ana-scratch: RUNNING');
    await refresh(page);
    await expect(row).toContainText('RUNNING');
    await toggle(con, 'A cluster starting and stopping', false);
    await refresh(page);
    await expect(row).toContainText('TERMINATING');
    await con.page.evaluate(() => window.scrollTo(0, 0));
    await shoot(con.page, '8-console');

    await toggle(con, 'Slow workspace', true);
    await con.card('Reset everything').getByRole('button', { name: 'Reset everything' }).click();
    await expect(con.page.getByRole('status')).toHaveText('Reset everything: done.');
    await expect(con.page.locator('button.switch[aria-pressed="true"]')).toHaveCount(0);
    await refresh(page);
    await expect(row).toContainText('TERMINATED');
    expect(con.problems).toEqual([]);
  });
});

test('shows the directory and the workspace at a glance, with the resource ID ready to copy', async ({
  context,
  baseURL,
}) => {
  const { entra } = ports(baseURL);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `https://localhost:${entra}` });
  // Focus stays where a person arriving on the page finds it.
  const con = await openConsole(context, entra, { clear: false });
  // Keyboard alone: the first switch is reachable and works with Enter.
  await con.page.keyboard.press('Tab');
  await con.page.keyboard.press('Tab');
  await expect(con.page.getByRole('button', { name: 'Short-lived access tokens', exact: true })).toBeFocused();
  await con.page.keyboard.press('Enter');
  await expect(con.page.getByRole('button', { name: 'Short-lived access tokens', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const users = con.page.getByRole('region', { name: 'Users' });
  await expect(users.getByRole('row', { name: /Fay Contributor/ })).toContainText('fay-sandbox');
  await expect(users.getByRole('row', { name: /Fay Contributor/ })).toContainText('Contributor');
  await expect(users.getByRole('row', { name: /Ben Admin/ })).toContainText('admin');
  await expect(users.getByRole('row', { name: /Eve Secure/ })).toContainText('always');
  await expect(users.getByRole('row', { name: /Dana Newcomer/ })).toContainText('not yet');
  await con.page.getByRole('button', { name: 'Copy resource ID' }).click();
  await expect(con.page.getByRole('status')).toHaveText('Resource ID copied.');
  const copied = await con.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(
    /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Databricks\/workspaces\/[^/]+$/,
  );

  // Phone width: one column, no horizontal scrolling of the page.
  await con.page.setViewportSize({ width: 390, height: 800 });
  expect(await con.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(con.problems).toEqual([]);
});

test.describe('a page on another origin', () => {
  let server: Server;
  test.beforeAll(async () => {
    server = createServer((_req, res) => {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><title>Another site</title><p>Another site');
    });
    await new Promise<void>((resolve) => server.listen(CROSS_SITE_PORT, '127.0.0.1', resolve));
  });
  test.afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('cannot use the console or the identity provider control API', async ({ page, baseURL, consoleGuard }) => {
    // Chromium reports each refused cross-site request on the console: those refusals are the point.
    consoleGuard.allow(/blocked by CORS policy|^Failed to load resource|Refused to display .* in a frame/);
    const { entra, workspace } = ports(baseURL);
    await page.goto(`http://127.0.0.1:${CROSS_SITE_PORT}/`);
    const outcome = await page.evaluate(
      async ({ entra }) => {
        const base = `https://localhost:${entra}`;
        const attempt = async (run: () => Promise<unknown>) => {
          try {
            return String(await run());
          } catch {
            return 'blocked';
          }
        };
        const body = JSON.stringify({ on: true });
        return {
          // The sandbox is reachable from this page: its public metadata allows any origin.
          reachable: await attempt(() =>
            fetch(`${base}/common/v2.0/.well-known/openid-configuration`).then((r) => r.status),
          ),
          simple: await attempt(() =>
            fetch(`${base}/_sandbox/console/scenarios/slow-workspace`, {
              method: 'POST',
              mode: 'no-cors',
              headers: { 'Content-Type': 'text/plain' },
              body,
            }).then(() => 'sent'),
          ),
          json: await attempt(() =>
            fetch(`${base}/_sandbox/console/scenarios/outage-500`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body,
            }).then((r) => r.status),
          ),
          read: await attempt(() => fetch(`${base}/_sandbox/console/state`).then((r) => r.text())),
          faults: await attempt(() =>
            fetch(`${base}/_sandbox/faults`, {
              method: 'PUT',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ accessTokenLifetimeSeconds: 60 }),
            }).then((r) => r.status),
          ),
          stream: await new Promise<string>((resolve) => {
            const source = new EventSource(`${base}/_sandbox/console/events`);
            source.onopen = () => resolve('open');
            source.onerror = () => {
              source.close();
              resolve('blocked');
            };
          }),
        };
      },
      { entra },
    );
    // The no-cors request reaches the console, which refuses it (and its same-origin CORP hides even
    // the opaque answer); the others never leave the browser: their preflight or CORS check fails.
    expect(outcome).toEqual({
      reachable: '200',
      simple: 'blocked',
      json: 'blocked',
      read: 'blocked',
      faults: 'blocked',
      stream: 'blocked',
    });

    // Framed, the console shows nothing.
    await page.evaluate((entra) => {
      const frame = document.createElement('iframe');
      frame.src = `https://localhost:${entra}/_sandbox/console`;
      document.body.append(frame);
    }, entra);
    await expect.poll(() => page.frames().length).toBe(2);
    await expect(page.frameLocator('iframe').getByRole('heading', { name: 'Sandbox console' })).toHaveCount(0);

    const state = (await (await page.request.get(`https://localhost:${entra}/_sandbox/console/state`)).json()) as {
      scenarios: { on: boolean }[];
    };
    expect(state.scenarios.filter((scenario) => scenario.on)).toEqual([]);
    expect(await control(page, entra, 'GET', '/_sandbox/faults')).toEqual({});
    expect(await control(page, workspace, 'GET', '/_sandbox/faults')).toMatchObject({ faults: {} });
  });

  // A no-cors POST is a simple request: the control API's X-Sandbox-Control header and
  // Sec-Fetch-Site check refuse it (issue 13.4).
  test('cannot reset the workspace through its control API', async ({ page, baseURL, consoleGuard }) => {
    // Chromium reports each refused cross-site request on the console: those refusals are the point.
    consoleGuard.allow(/blocked by CORS policy|^Failed to load resource|Refused to display .* in a frame/);
    const { entra, workspace } = ports(baseURL);
    await page.request.post(`https://localhost:${entra}/_sandbox/console/scenarios/slow-workspace`, {
      data: { on: true },
      headers: { 'Content-Type': 'application/json' },
    });
    await page.goto(`http://127.0.0.1:${CROSS_SITE_PORT}/`);
    await page.evaluate(async (workspace) => {
      await fetch(`https://localhost:${workspace}/_sandbox/reset`, { method: 'POST', mode: 'no-cors' }).catch(() => {});
    }, workspace);
    expect(await control(page, workspace, 'GET', '/_sandbox/faults')).toMatchObject({
      faults: { latency: { ms: 3000 } },
    });
  });
});

async function shoot(page: Page, name: string) {
  const out = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}.png`);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1')
    copyFileSync(file, join(import.meta.dirname, 'screenshots', `${name}.png`));
}
