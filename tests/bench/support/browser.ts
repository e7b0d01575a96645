/**
 * Debian's Chromium for benchmarks (never a downloaded browser), launched headless with the same
 * flags as the end-to-end tests, and the sandbox sign-in as a person does it.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium.ts';

/**
 * The local localhost certificate's public-key pin. Chromium trusts exactly that key, as it would
 * a trusted CA's certificate: unlike `ignoreHTTPSErrors`, this keeps the HTTP cache on, so a reload
 * measures what a person who trusted the local CA gets (cached chunks), not a first visit.
 */
function localCertificatePin(): string | undefined {
  const certPath = join(process.env.EXPLORER_STATE_DIR ?? '', 'tls', 'localhost.pem');
  if (!process.env.EXPLORER_STATE_DIR || !existsSync(certPath)) return undefined;
  const spki = new X509Certificate(readFileSync(certPath)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

let pinned = false;

/** Call after the app server started (its certificate must exist). */
export async function launchChromium(): Promise<Browser> {
  const pin = localCertificatePin();
  pinned = pin !== undefined;
  const args = pin ? [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${pin}`] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...args] });
}

/** A fresh context that trusts the local certificate (pinned at launch, or else by ignoring errors). */
export async function newBenchContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ ignoreHTTPSErrors: !pinned, viewport: { width: 1280, height: 900 } });
}

/** Every page's problems, for a benchmark's failure message when it stops early. */
export const allPageErrors: string[] = [];

/**
 * Errors the page throws and requests that failed at the network level (not those aborted by a
 * navigation): a broken page gives meaningless figures, so benchmarks fail on them. URLs are
 * listed without their query, which may hold an authorization code.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  const add = (line: string) => {
    errors.push(line);
    allPageErrors.push(line);
  };
  page.on('pageerror', (error) => add(error.message));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'unknown failure';
    if (failure === 'net::ERR_ABORTED') return;
    const url = new URL(request.url());
    add(`${request.method()} ${url.origin}${url.pathname} failed: ${failure}`);
  });
  return errors;
}

/**
 * From a landing page (the app's or the peer's): clicks "Sign in", fills the sandbox sign-in form
 * and submits it, and resolves when the page is back on its own origin. Does not wait for the
 * clusters.
 * @returns when the form was submitted, in milliseconds since the epoch (the moment a person's
 *   part of the sign-in ends).
 */
export async function signInThroughSandbox(page: Page, appUrl: string, upn: string, password: string): Promise<number> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click({ timeout: 30_000 });
  await page.waitForURL((url) => !url.href.startsWith(appUrl), { timeout: 30_000 });
  await page.getByLabel('Username').fill(upn);
  await page.getByLabel('Password').fill(password);
  const submit = page.getByRole('button', { name: 'Sign in', exact: true });
  await submit.waitFor();
  const submitted = Date.now();
  await submit.click();
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 30_000 });
  return submitted;
}

/** The clusters table: the grid with at least one cluster row. */
export async function waitForClusterRows(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('table.cluster-table tbody tr.cluster-row').first().waitFor({ state: 'visible', timeout });
}
