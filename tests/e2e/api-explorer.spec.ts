import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { control, JWT_SHAPED, signInAs, signInOnSandboxPage } from './support/sandbox.ts';

/**
 * The API Explorer (issue 15) in Chromium against the sandbox, on a server that forwards POST
 * (EXPLORER_PROXY_ALLOW_POST=1): a sample from each area, a paged answer followed to its end, a
 * cluster started and watched to RUNNING (the sandbox's clock moved on instead of waiting), each
 * snippet copied, a request re-run from history and a shared link opened in a new tab.
 */

const OUT = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
/** Ana's own single-node cluster, TERMINATED in the demo set. */
const ANA_SCRATCH = '1123-231500-ana5cr4t';

function workspacePort(baseURL: string | undefined): number {
  return Number(new URL(baseURL ?? 'https://localhost:5333').port) + 2;
}

test.afterEach(async ({ page, baseURL }) => {
  await control(page, workspacePort(baseURL), 'POST', '/_sandbox/reset').catch(() => {});
});

async function openExplorer(page: Page) {
  await signInAs(page, 'ana@contoso.example');
  await page.getByRole('tab', { name: 'API Explorer' }).click();
  await expect(page.getByRole('heading', { name: 'API Explorer' })).toBeVisible();
}

const catalogue = (page: Page) => page.getByRole('navigation', { name: 'Sample requests' });
const response = (page: Page) => page.getByRole('region', { name: 'Response' });

/**
 * Clicks a button that sends a request and waits for that request's answer (the history grows by
 * one entry with it, so an earlier answer still on screen cannot pass for it); returns its status line.
 */
async function sendAndWait(page: Page, button: ReturnType<Page['getByRole']>, status = 200) {
  const entries = page.getByRole('region', { name: 'History' }).getByRole('listitem');
  const before = await entries.count();
  await button.click();
  await expect(entries).toHaveCount(before + 1);
  const line = response(page).locator('.ax-status');
  await expect(line).toHaveText(new RegExp(`^HTTP ${status}\\b`));
  return (await line.textContent()) ?? '';
}

const sendButton = (page: Page) => page.getByRole('button', { name: 'Send', exact: true });

/** Loads a sample, fills its parameters, sends it and waits for its answer with the given status. */
async function runSample(page: Page, name: string, status = 200, params: Record<string, string> = {}) {
  await catalogue(page).getByRole('button', { name, exact: true }).click();
  for (const [param, value] of Object.entries(params)) await page.getByLabel(param, { exact: true }).fill(value);
  return sendAndWait(page, sendButton(page), status);
}

test('runs a sample from each area, follows a paged answer to its end and copies each snippet', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openExplorer(page);

  await runSample(page, 'GET Me');
  await runSample(page, 'GET List clusters');
  // IDs from earlier answers fill the parameters (and are offered in a datalist).
  await catalogue(page).getByRole('button', { name: 'GET Permissions of a cluster', exact: true }).click();
  await expect(page.getByLabel('cluster_id', { exact: true })).not.toHaveValue('');
  await sendAndWait(page, sendButton(page));
  await expect(response(page).getByText(/^"\/clusters\/[^"]+"$/)).toBeVisible();
  for (const name of [
    'GET List jobs',
    'GET List SQL warehouses',
    'GET List catalogs',
    'GET List a folder',
    'GET List repos',
    'GET List secret scopes',
    'GET List instance pools',
    'GET List cluster policies',
    'GET List my tokens',
  ]) {
    await runSample(page, name);
  }

  // A paged answer: Ana sees three jobs; one per page takes three pages.
  await catalogue(page).getByRole('button', { name: 'GET List jobs', exact: true }).click();
  await page.getByLabel('Value of query parameter 1').fill('1');
  expect(await sendAndWait(page, sendButton(page))).toMatch(/GET \/api\/2\.2\/jobs\/list\?limit=1$/);
  let pages = 1;
  while (await response(page).getByRole('button', { name: 'Next page' }).isVisible()) {
    const line = await sendAndWait(page, response(page).getByRole('button', { name: 'Next page' }));
    pages += 1;
    expect(line).toMatch(/jobs\/list\?limit=1&page_token=[^&]+$/);
    expect(pages).toBeLessThan(10);
  }
  expect(pages).toBe(3);
  await response(page).getByRole('button', { name: 'Table' }).click();
  await expect(response(page).getByRole('table')).toContainText('jobs: 1 row');
  await response(page).getByRole('button', { name: 'Raw' }).click();
  const raw =
    (await response(page).getByRole('figure', { name: 'Response body as received' }).locator('pre').textContent()) ??
    '';
  await response(page).getByRole('button', { name: 'Copy response' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Response copied.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(raw);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    response(page).getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('2.2-jobs-list.json');

  for (const label of [
    'curl',
    'Python requests',
    'Databricks SDK for Python',
    'Databricks SDK for JavaScript',
    'Databricks CLI',
  ]) {
    await page.getByRole('button', { name: label, exact: true }).click();
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Snippet copied.' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('/api/2.2/jobs/list');
    expect(copied).toMatch(/DATABRICKS_TOKEN/);
    expect(copied).not.toMatch(JWT_SHAPED);
    // The sandbox's local CA, so the snippet works as pasted on this machine.
    expect(copied).toMatch(/ca\.pem/);
  }
  // No token anywhere in the page or in what the explorer keeps (history, IDs).
  expect(await page.content()).not.toMatch(JWT_SHAPED);
  const kept = await page.evaluate(() =>
    JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]),
  );
  expect(kept).toContain('explorer.api-history.v1');
  expect(
    await page.evaluate(
      () => `${localStorage.getItem('explorer.api-history.v1')}${sessionStorage.getItem('explorer.api-ids.v1')}`,
    ),
  ).not.toMatch(JWT_SHAPED);
});

test('starts a cluster after confirming, and watches it reach RUNNING', async ({ page, baseURL }) => {
  await openExplorer(page);
  await catalogue(page).getByRole('button', { name: 'POST Start a cluster', exact: true }).click();
  await page.getByLabel('cluster_id', { exact: true }).fill(ANA_SCRATCH);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Send this POST request?' });
  await expect(dialog).toContainText(`"cluster_id": "${ANA_SCRATCH}"`);
  await expect(dialog).toContainText('/api/2.1/clusters/start');
  await expect(dialog).not.toContainText(/eyJ/);
  // By keyboard: Cancel has the focus, Escape closes and gives it back to Send, Enter reopens,
  // and Shift+Tab reaches "Send POST".
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Send POST' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(response(page).getByText(/^HTTP 200\b/)).toBeVisible();

  await runSample(page, 'GET Get a cluster', 200, { cluster_id: ANA_SCRATCH });
  await expect(response(page).getByText('"PENDING"')).toBeVisible();
  await control(page, workspacePort(baseURL), 'POST', '/_sandbox/clock', { advanceMs: 13_000 });
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(response(page).getByText('"RUNNING"')).toBeVisible();
  // A 19-digit spark_context_id is shown exactly as the workspace sent it.
  const shown = await response(page)
    .locator('.ax-leaf', { hasText: 'spark_context_id:' })
    .locator('.ax-number')
    .textContent();
  expect(shown).toMatch(/^\d{19}$/);
  await response(page).getByRole('button', { name: 'Raw' }).click();
  await expect(response(page).getByRole('figure', { name: 'Response body as received' })).toContainText(
    new RegExp(`"spark_context_id":\\s*${shown}[,}\\s]`),
  );
  await response(page).getByRole('button', { name: 'Tree' }).click();

  mkdirSync(OUT, { recursive: true });
  await page.setViewportSize({ width: 1400, height: 1100 });
  await page.getByRole('heading', { name: 'API Explorer' }).evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: join(OUT, '9-api-explorer.png'), fullPage: false });
  // UPDATE_SCREENSHOTS=1 refreshes the README's picture, as tests/e2e/screenshots.spec.ts does.
  if (process.env.UPDATE_SCREENSHOTS === '1')
    copyFileSync(join(OUT, '9-api-explorer.png'), join(import.meta.dirname, 'screenshots', '9-api-explorer.png'));
  for (const width of [1280, 1920, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('.api-explorer *')]
        .filter(
          (e) =>
            e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.ax-table-viewport, .ax-tree, .ax-raw'),
        )
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    );
    expect(wide, `at ${width} px`).toEqual([]);
  }
  await page.screenshot({ path: join(OUT, 'api-explorer-390.png'), fullPage: false });
});

test("shows the workspace's support headers, and a failed answer in full", async ({ page, context, consoleGuard }) => {
  // The browser reports the 400 it receives; the explorer shows it on purpose.
  consoleGuard.allow(/^Failed to load resource: the server responded with a status of 400/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openExplorer(page);
  await runSample(page, 'GET Me');
  const headers = response(page).getByLabel('Response headers');
  await expect(headers).toContainText(/x-request-id[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  await expect(headers).toContainText(/x-databricks-org-id\d+/);
  await expect(headers).toContainText(/date\w{3}, \d{2} \w{3} \d{4}/);

  await runSample(page, 'GET Get a cluster', 400, { cluster_id: 'no-such-cluster' });
  await expect(response(page).getByText(/^Databricks answered INVALID_PARAMETER_VALUE/)).toBeVisible();
  await expect(response(page).getByRole('alert')).toBeVisible();
  await expect(headers).toContainText(/x-request-id[0-9a-f-]{36}/);
  const requestId = ((await headers.textContent()) ?? '').match(/x-request-id([0-9a-f-]{36})/)?.[1];
  // The error doctor quotes the same request ID for support.
  await expect(response(page).getByText(`request ID ${requestId}`)).toBeVisible();
  const body = response(page).getByRole('figure', { name: 'Error response body as received' });
  await expect(body).toBeHidden();
  await response(page).getByText('Raw response body').click();
  await expect(body).toContainText('"error_code":"INVALID_PARAMETER_VALUE"');
  await expect(body).toContainText('Cluster no-such-cluster does not exist');
  await response(page).getByRole('button', { name: 'Copy response body' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Response body copied.' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    (await body.locator('pre').textContent()) ?? '',
  );
  expect(await page.content()).not.toMatch(JWT_SHAPED);
});

test('re-runs a request from history and opens a shared link in a new tab', async ({
  page,
  context,
  browser,
  consoleGuard,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openExplorer(page);
  await runSample(page, 'GET Get a cluster', 200, { cluster_id: ANA_SCRATCH });
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await history.getByRole('button', { name: 'Run GET /api/2.1/clusters/get again' }).click();
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(response(page).getByText(/^HTTP 200\b/)).toBeVisible();

  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toContain('#/explorer?r=');
  expect(link).not.toMatch(JWT_SHAPED);
  const second = await context.newPage();
  await second.goto(link);
  // Another tab of this browser is signed in already (the app hands the account to new tabs).
  await expect(second.getByRole('heading', { name: 'API Explorer' })).toBeVisible();
  await expect(second.getByLabel('Path')).toHaveValue('/api/2.1/clusters/get');
  await expect(second.getByLabel('Value of query parameter 1')).toHaveValue(ANA_SCRATCH);

  // Someone else's browser signs in first; the sign-in redirect comes back to the shared request.
  const other = await browser.newContext({ ignoreHTTPSErrors: true });
  consoleGuard.watch(other);
  const stranger = await other.newPage();
  await stranger.goto(link);
  await stranger.getByRole('button', { name: 'Sign in' }).click();
  await signInOnSandboxPage(stranger, 'ben@contoso.example');
  await expect(stranger.getByRole('heading', { name: 'API Explorer' })).toBeVisible();
  await expect(stranger.getByLabel('Path')).toHaveValue('/api/2.1/clusters/get');
  await expect(stranger.getByLabel('Value of query parameter 1')).toHaveValue(ANA_SCRATCH);
  await other.close();
});
