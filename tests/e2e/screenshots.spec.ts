import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

/**
 * The README's screenshots, taken from a real journey against the sandbox. Every run writes them
 * to test-results/screenshots/; `UPDATE_SCREENSHOTS=1 npm test -- --only-e2e screenshots` also
 * copies them to tests/e2e/screenshots/, where the README links them.
 */
const OUT = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const README_DIR = join(import.meta.dirname, 'screenshots');

async function shoot(page: Page, name: string) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(README_DIR, `${name}.png`));
}

test.use({ viewport: { width: 1280, height: 800 } });

test('takes the README screenshots along the sign-in journey', async ({ page, baseURL }) => {
  const entraPort = Number(new URL(baseURL ?? 'https://localhost:5273').port) + 1;
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shoot(page, '1-landing');

  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`localhost:${entraPort}/`));
  await expect(page.getByLabel('Username')).toBeVisible();
  await shoot(page, '2-sandbox-sign-in');
  await page.getByLabel('Username').fill('ben@contoso.example');
  await page.getByLabel('Password').fill('ben-sandbox');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Ben Admin');
  await shoot(page, '3-clusters');

  await page.getByRole('button', { name: 'Details of shared-analytics' }).click();
  const details = page.getByRole('dialog', { name: /shared-analytics/ });
  await expect(
    details
      .getByText('Termination reason', { exact: true })
      .or(details.getByText('Runtime', { exact: true }))
      .first(),
  ).toBeVisible();
  await shoot(page, '7-cluster-details');
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);

  await page.getByRole('tab', { name: 'Tokens' }).click();
  await expect(page.getByText('Azure Databricks').first()).toBeVisible();
  await expect(page.getByText(/Signature verified/i).first()).toBeVisible();
  await shoot(page, '4-tokens');

  await page.getByRole('tab', { name: 'Show me how' }).click();
  await expect(page.getByText(/curl/).first()).toBeVisible();
  await shoot(page, '5-show-me-how');

  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('button', { name: /Redirect to sign in \(authorize, with PKCE\)/ })).toBeVisible();
  await shoot(page, '6-timeline');

  // Compare: the app's token against what `az account get-access-token` prints for the Azure
  // management API in another tenant (made here, unsigned: the compare reads claims only).
  await page.getByRole('tab', { name: 'Decode a token' }).click();
  await page.getByRole('button', { name: "Use this app's access token as the first token" }).click();
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const other = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
  const pasted = `${part({ typ: 'JWT', alg: 'none' })}.${part({
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${other}/`,
    tid: other,
    iat: now,
    nbf: now,
    exp: now + 3600,
    scp: 'user_impersonation',
    upn: 'ben@contoso.example',
    ver: '1.0',
  })}.`;
  await page.getByLabel('Second token').fill(JSON.stringify({ accessToken: pasted, tokenType: 'Bearer' }, null, 2));
  const findings = page.getByRole('region', { name: 'What matters to Azure Databricks' });
  await expect(findings).toBeVisible();
  await findings.scrollIntoViewIfNeeded();
  await shoot(page, '10-compare-tokens');
});
