import { expect, test } from './support/fixtures.ts';
import { cspViolations } from './support/sandbox.ts';

test('serves the app shell over HTTPS with its security headers', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');

  await expect(page).toHaveTitle('Databricks Entra Explorer');
  await expect(page.getByRole('heading', { level: 1, name: 'Databricks Entra Explorer' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
});

test('runs no inline script: the served HTML has none and the CSP reports no violation', async ({ page }) => {
  const violations = cspViolations(page);
  const configRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/explorer-config.json') configRequests.push(request.url());
  });
  const response = await page.goto('/');
  const html = (await response?.text()) ?? '';
  // The one script element without src is the runtime configuration: data, never run.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/i);
  expect(html.match(/<script type="application\/json" id="explorer-runtime-config">/g)).toHaveLength(1);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  expect(violations).toEqual([]);
  // The page carries its configuration: no request for it.
  expect(configRequests).toEqual([]);
});
