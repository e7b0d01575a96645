import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEFAULT_SANDBOX_CONFIG } from '../../src/sandbox/config.ts';
import {
  DATABRICKS,
  DATABRICKS_DEFAULT,
  type Harness,
  removeSharedState,
  SPA_CLIENT,
  sharedState,
  startHarness,
  TENANT,
  WEB_CLIENT,
} from '../sandbox/entra/support.ts';
import { expect, test } from './support/fixtures.ts';

/**
 * The real @azure/msal-browser (its UMD build) in Debian's Chromium, against the sandbox Entra ID:
 * the checks MSAL makes in a browser (CORS, fragment parsing, state, nonce, issuer) run for real.
 * A small HTTPS page server of this file's own serves MSAL and one script per scenario; the
 * sandbox and the page server start once for the file. Like every journey, the browser context
 * accepts the sandbox's local certificate (`ignoreHTTPSErrors` in the config).
 */

let harness: Harness;
let pageServer: Server;
let origin: string;

function appScript(config: Record<string, string>): string {
  return `const CFG = ${JSON.stringify(config)};
const results = (window.__results = {});
(async () => {
  try {
    const pca = new msal.PublicClientApplication({
      auth: { clientId: CFG.clientId, authority: CFG.authority, knownAuthorities: [CFG.host], redirectUri: CFG.redirectUri },
    });
    await pca.initialize();
    const result = await pca.handleRedirectPromise();
    if (result && CFG.logout) {
      await pca.logoutRedirect({ account: result.account, postLogoutRedirectUri: CFG.redirectUri });
    } else if (CFG.logout && location.search.includes('state=')) {
      results.loggedOut = { accounts: pca.getAllAccounts().length };
      document.title = 'done';
    } else if (result) {
      results.login = { username: result.account.username, scopes: result.scopes, nonce: typeof result.idTokenClaims.nonce, homeAccountId: result.account.homeAccountId };
      const cached = await pca.acquireTokenSilent({ scopes: [CFG.scope], account: result.account });
      results.cached = { same: cached.accessToken === result.accessToken };
      const refreshed = await pca.acquireTokenSilent({ scopes: [CFG.scope], account: result.account, forceRefresh: true });
      results.refreshed = { same: refreshed.accessToken === result.accessToken, scopes: refreshed.scopes };
      document.title = 'done';
    } else if (CFG.sso) {
      const sso = await pca.ssoSilent({ scopes: [CFG.scope], loginHint: CFG.sso, redirectUri: CFG.bridge });
      results.sso = { username: sso.account.username };
      document.title = 'done';
    } else if (location.search.includes('login')) {
      await pca.loginRedirect({ scopes: [CFG.scope] });
    } else {
      document.title = 'idle';
    }
  } catch (e) {
    results.error = { name: e.name, errorCode: e.errorCode, errorNo: e.errorNo, subError: e.subError,
      interactionRequired: e instanceof msal.InteractionRequiredAuthError, server: e instanceof msal.ServerError };
    document.title = 'error';
  }
})();
`;
}

test.beforeAll(async () => {
  const lib = join(import.meta.dirname, '../../node_modules/@azure/msal-browser/lib');
  const msalBundle = await readFile(join(lib, 'msal-browser.js'), 'utf8');
  const bridgeBundle = await readFile(join(lib, 'redirect-bridge/msal-redirect-bridge.js'), 'utf8');
  // The page server first, so the sandbox can register its origin as a SPA redirect URI.
  let scripts: Record<string, string> = {};
  const { tls } = await sharedState();
  pageServer = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = (req.url ?? '/').split(/[?#]/)[0]!;
    if (path === '/msal-browser.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(msalBundle);
    if (path === '/msal-redirect-bridge.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bridgeBundle);
    if (path === '/bridge') {
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><title>bridge</title><script src="/msal-redirect-bridge.js"></script><script src="/bridge.js"></script>',
        );
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const script = scripts[path];
    if (script !== undefined) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    const app = path === '/' ? 'spa' : path.replace(/\//g, '');
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><title>loading</title><script src="/msal-browser.js"></script><script src="/${app}.js"></script>`,
      );
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  // The web-platform app gets the page's origin on the web platform, to show AADSTS9002326.
  const config = structuredClone(DEFAULT_SANDBOX_CONFIG);
  config.apps.find((app) => app.clientId === WEB_CLIENT)!.redirectUris.web.push(`${origin}/web`);
  harness = await startHarness(config, {
    extraSpaRedirectUris: [`${origin}/`, `${origin}/bridge`, `${origin}/logout`],
  });
  const common = { authority: harness.authority, host: harness.entra.authorityHost, scope: DATABRICKS_DEFAULT };
  scripts = {
    '/spa.js': appScript({ ...common, clientId: SPA_CLIENT, redirectUri: `${origin}/` }),
    '/web.js': appScript({ ...common, clientId: WEB_CLIENT, redirectUri: `${origin}/web` }),
    '/sso.js': appScript({
      ...common,
      clientId: SPA_CLIENT,
      redirectUri: `${origin}/`,
      sso: 'ana@contoso.example',
      bridge: `${origin}/bridge`,
    }),
    '/bridge.js': 'msalRedirectBridge.broadcastResponseToMainFrame();',
    '/logout.js': appScript({ ...common, clientId: SPA_CLIENT, redirectUri: `${origin}/logout`, logout: 'yes' }),
  };
});

test.afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await removeSharedState();
});

/** Waits for the scenario script to finish and returns what it recorded. */
async function results(page: Page): Promise<Record<string, Record<string, unknown>>> {
  await page.waitForFunction(() => ['done', 'error', 'idle'].includes(document.title));
  return page.evaluate(() => (window as unknown as { __results: Record<string, Record<string, unknown>> }).__results);
}

test.describe('@azure/msal-browser v5 in Chromium against the sandbox', () => {
  test('signs in with loginRedirect, reads the fragment, hits the cache for .default and refreshes cross-origin', async ({
    page,
  }) => {
    await page.goto(`${origin}/?login`);
    await page.getByRole('button', { name: /Ana Analyst/ }).click();
    const outcome = await results(page);
    expect(outcome.error).toBeUndefined();
    expect(outcome.login).toMatchObject({
      username: 'ana@contoso.example',
      nonce: 'string',
      homeAccountId: `0a11ce00-0000-4000-8000-000000000001.${TENANT}`,
    });
    expect(outcome.login!.scopes).toEqual(
      expect.arrayContaining([`${DATABRICKS}/user_impersonation`, DATABRICKS_DEFAULT]),
    );
    expect(outcome.cached).toEqual({ same: true });
    expect(outcome.refreshed).toMatchObject({ same: false });
  });

  test('signs in through the username and password fields and the MFA step', async ({ page }) => {
    await page.goto(`${origin}/?login`);
    await page.getByLabel('Username').fill('eve@contoso.example');
    await page.getByLabel('Password').fill('eve-sandbox');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Verification code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    const outcome = await results(page);
    expect(outcome.login).toMatchObject({ username: 'eve@contoso.example' });
  });

  test('surfaces AADSTS9002326 for a web-platform app as a ServerError the page can read', async ({
    page,
    consoleGuard,
  }) => {
    // Chromium reports the refused cross-origin token request; that refusal is what this shows.
    consoleGuard.allow(/CORS policy|Failed to load resource|AADSTS9002326/);
    await page.goto(`${origin}/web?login`);
    await page.getByRole('button', { name: /Ana Analyst/ }).click();
    const outcome = await results(page);
    expect(outcome.error).toMatchObject({
      errorCode: 'invalid_request',
      errorNo: 9002326,
      server: true,
      interactionRequired: false,
    });
  });

  test('renews silently in a hidden iframe (prompt=none) with the session cookie, and asks for sign-in without one', async ({
    page,
    browser,
    consoleGuard,
  }) => {
    await page.goto(`${origin}/?login`);
    await page.getByRole('button', { name: /Ana Analyst/ }).click();
    await results(page);
    await page.goto(`${origin}/sso`);
    expect((await results(page)).sso).toEqual({ username: 'ana@contoso.example' });

    const fresh = await browser.newContext({ ignoreHTTPSErrors: true });
    consoleGuard.watch(fresh);
    const other = await fresh.newPage();
    await other.goto(`${origin}/sso`);
    expect((await results(other)).error).toMatchObject({ errorCode: 'login_required', interactionRequired: true });
    await fresh.close();
  });

  test('signs out with logoutRedirect: the session ends and MSAL lands back on the registered URI with the state', async ({
    page,
  }) => {
    await page.goto(`${origin}/logout?login`);
    await page.getByRole('button', { name: /Ana Analyst/ }).click();
    expect((await results(page)).loggedOut).toEqual({ accounts: 0 });
    expect(
      harness.entra
        .requests()
        .some((request) => request.path.endsWith('/oauth2/v2.0/logout') && request.status === 302),
    ).toBe(true);
    await page.goto(`${origin}/sso`);
    expect((await results(page)).error).toMatchObject({ errorCode: 'login_required' });
  });
});
