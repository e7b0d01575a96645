import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { control } from './support/sandbox.ts';

/**
 * The Timeline's sequence diagram over a whole session against the sandbox: sign-in with PKCE, the
 * first calls, a silent renewal (access tokens shorter than MSAL's renewal margin) and a failure in
 * place (the workspace rejects a token once), then the details of an arrow; and the token decoder
 * as its own view, signed out. Screenshots go to test-results/screenshots/ for a person to look at.
 */

const TOKEN_SHAPED = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
const OUT = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

function ports(baseURL: string | undefined) {
  const app = Number(new URL(baseURL ?? 'https://localhost:5273').port);
  return { entra: app + 1, workspace: app + 2 };
}

async function faults(page: Page, port: number, body: unknown) {
  await control(page, port, body === null ? 'DELETE' : 'PUT', '/_sandbox/faults', body ?? undefined);
}

/** Elements that stick out of the viewport, other than inside a box that scrolls sideways. */
function wideElements(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.seq-scroll, .compare-table-wrap'))
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
  );
}

test.afterEach(async ({ page, baseURL }) => {
  const { entra, workspace } = ports(baseURL);
  await faults(page, entra, null).catch(() => {});
  await faults(page, workspace, null).catch(() => {});
});

test('draws a whole session from sign-in to clusters, with a silent renewal and a failure in place', async ({
  page,
  baseURL,
}) => {
  const { entra, workspace } = ports(baseURL);
  const console: string[] = [];
  page.on('console', (message) => console.push(message.text()));
  await page.setViewportSize({ width: 1400, height: 900 });
  // Shorter than MSAL's five-minute renewal margin: every token request after sign-in is a renewal.
  await faults(page, entra, { accessTokenLifetimeSeconds: 120 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel(/user ?name|email/i).fill('ana@contoso.example');
  await page.getByLabel(/password/i).fill('ana-sandbox');
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();

  await faults(page, workspace, { tokenExpired: { count: 1, paths: ['/api/2.1/clusters/list'] } });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(/^\d+ clusters$/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Timeline' }).click();
  const diagram = page.getByRole('figure', { name: 'Sequence diagram' });
  await expect(diagram.getByRole('list', { name: 'Lanes' }).getByRole('listitem')).toHaveText([
    'This browser app',
    'Microsoft Entra ID',
    "The app's server and proxy",
    'The Databricks workspace',
  ]);
  const steps = diagram.getByRole('list', { name: 'Steps' });
  const arrow = (name: RegExp) => steps.getByRole('button', { name });
  await expect(
    arrow(/Redirect to sign in \(authorize\s*, with PKCE\)\s*, This browser app → Microsoft Entra ID/),
  ).toHaveCount(1);
  await expect(arrow(/Authorization code sent back to the app\s*, Microsoft Entra ID → This browser app/)).toHaveCount(
    1,
  );
  await expect(arrow(/Code redeemed for tokens .*answer ID and access tokens · \d+ ms/)).toHaveCount(1);
  await expect(
    arrow(/New access token \(silent renewal\)\s*, Microsoft Entra ID → This browser app/).first(),
  ).toBeVisible();
  await expect(
    arrow(
      /GET \/api\/2\.1\/clusters\/list\s*, This browser app → The Databricks workspace through the app's server and proxy\s*, answer 200 · \d+ ms/,
    ).first(),
  ).toBeVisible();
  const failed = arrow(/GET \/api\/2\.1\/clusters\/list\s*, .* failed\s*, answer ✕ 401 · \d+ ms/);
  await expect(failed).toHaveCount(1);
  // The failure sits in place: right after it, a forced renewal and the same call again.
  const names = await steps.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.textContent ?? ''));
  const failedAt = names.findIndex((n) => /failed\s*, answer ✕ 401/.test(n));
  expect(names.slice(failedAt + 1).some((n) => /New access token/.test(n))).toBe(true);
  expect(names.slice(failedAt + 1).some((n) => /clusters\/list.*answer 200/.test(n))).toBe(true);
  // The list of the same steps is beside the diagram.
  const list = page.getByRole('list', { name: 'Events' });
  await expect(list).toBeVisible();
  const [diagramBox, listBox] = [await diagram.boundingBox(), await list.boundingBox()];
  expect(listBox!.x).toBeGreaterThan(diagramBox!.x + diagramBox!.width - 1);

  await failed.click();
  const details = page.getByRole('region', { name: /^Details of step \d+$/ });
  await expect(details).toContainText('EndpointGET /api/2.1/clusters/list');
  await expect(details).toContainText('Status401');
  await expect(details).toContainText(/Duration\d+ ms/);
  await expect(details).toContainText(/\+\d+\.\d{3} s after the first step/);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'timeline-diagram-1400.png'), fullPage: true });
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expect(failed).toBeFocused();

  const html = await page.content();
  expect(html).not.toMatch(TOKEN_SHAPED);
  expect(html).not.toMatch(/code=[A-Za-z0-9]/);
  for (const line of console) expect(line).not.toMatch(TOKEN_SHAPED);

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(diagram).toBeVisible();
  await page.screenshot({ path: join(OUT, 'timeline-diagram-390.png') });
  // Nothing sticks out of the page; the diagram scrolls sideways inside its own box.
  expect(await wideElements(page)).toEqual([]);
});

test('shows a failed sign-in on the Timeline while signed out', async ({ page, baseURL }) => {
  const { entra } = ports(baseURL);
  // The token endpoint refuses the code once: the sign-in comes back but cannot be completed.
  await faults(page, entra, { tokenEndpoint: { status: 400, error: 'invalid_grant', count: 1 } });
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel(/user ?name|email/i).fill('ana@contoso.example');
  await page.getByLabel(/password/i).fill('ana-sandbox');
  await page.getByRole('button', { name: /sign in/i }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await page.getByRole('navigation', { name: 'Without signing in' }).getByRole('link', { name: 'Timeline' }).click();
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.getByRole('button', { name: /Authorization code sent back to the app/ })).toBeVisible();
  const failure = steps.getByRole('button', { name: /Sign-in could not be completed.*failed/ });
  await expect(failure).toBeVisible();
  await failure.click();
  await expect(page.getByRole('region', { name: /^Details of step/ })).toContainText('invalid_grant');
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'timeline-failed-sign-in.png'), fullPage: true });
  expect(await page.content()).not.toMatch(TOKEN_SHAPED);
});

test('opens the token decoder as its own view without signing in, and compares two tokens', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Decode a token' }).click();
  await expect(page).toHaveURL(/#\/decode$/);
  await expect(page.getByRole('heading', { name: 'Decode and compare tokens' })).toBeVisible();
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = (payload: Record<string, unknown>) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2ln`;
  const now = Math.floor(Date.now() / 1000);
  const base = {
    iss: 'https://sts.windows.net/a1bc2d34-5e67-8f89-01ab-c2345d6c78de/',
    aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d',
    exp: now + 3600,
    scp: 'user_impersonation',
    upn: 'ana@contoso.example',
    ver: '1.0',
  };
  await page.getByLabel('First token').fill(token(base));
  await page.getByLabel('Second token').fill(token({ ...base, aud: 'https://management.core.windows.net/' }));
  await expect(page.getByRole('region', { name: 'What matters to Azure Databricks' })).toContainText(
    'Only the first is for Azure Databricks; the workspace refuses the other.',
  );
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(OUT, 'decode-compare-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('table', { name: 'Claim by claim' })).toBeVisible();
  expect(await wideElements(page)).toEqual([]);
  await page.screenshot({ path: join(OUT, 'decode-compare-390.png'), fullPage: true });
  expect(page.url()).not.toMatch(TOKEN_SHAPED);
  await page.getByRole('link', { name: 'Sign-in page' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
