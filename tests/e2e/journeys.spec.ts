import { expect, test } from './support/fixtures.ts';
import {
  CLUSTERS_LIST,
  control,
  entraFaults,
  expectClustersShown,
  expectExplained,
  expectNoTokenLeaks,
  refreshClusters,
  ports,
  signInAs,
  signInOnSandboxPage,
  tryAgain,
  watch,
  workspaceFaults,
} from './support/sandbox.ts';

/**
 * The app's journeys in Chromium against the sandbox: sign in on the sandbox page, see claims and
 * clusters, reload without identity-provider requests, sign out; the explained 403; a revoked
 * session renewed by one redirect back to the same view. Each server runs the sandbox Entra ID on
 * PORT+1 and the workspace on PORT+2.
 */

test.afterEach(async ({ page, baseURL }) => {
  await control(page, ports(baseURL).entra, 'DELETE', '/_sandbox/faults').catch(() => {});
});

test('signs in on the sandbox page, shows claims and clusters, reloads with no identity-provider request, and signs out @dev', async ({
  page,
  baseURL,
}) => {
  const { entra } = ports(baseURL);
  const seen = watch(page, entra);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`localhost:${entra}/`));
  await signInOnSandboxPage(page, 'ana@contoso.example');

  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Ana Analyst');
  await expect(page.getByText('Sandbox', { exact: true })).toBeVisible();
  // One authorize navigation, the sign-in form post, one token request: no discovery at all.
  expect(seen.idp.filter((r) => !r.endsWith('/login'))).toEqual([
    expect.stringMatching(/^GET \/[^/]+\/oauth2\/v2\.0\/authorize$/),
    expect.stringMatching(/^POST \/[^/]+\/oauth2\/v2\.0\/token$/),
  ]);
  expect(seen.workspace.sort()).toEqual([
    'GET /api/2.0/preview/scim/v2/Me',
    'GET /api/2.1/clusters/list?page_size=100',
  ]);

  await page.getByRole('tab', { name: 'Tokens' }).click();
  await expect(page.getByText('Azure Databricks').first()).toBeVisible();
  expect(await page.content()).not.toContain(
    (await page.evaluate(() => Object.keys(sessionStorage).find((k) => k.includes('accesstoken')))) ?? 'none',
  );

  // The inspector fetched the issuer's keys to check signatures; the reload below must not
  // need the identity provider at all.
  await page.getByRole('tab', { name: 'Timeline' }).click();
  seen.idp.length = 0;
  seen.workspace.length = 0;
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Timeline', selected: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Clusters' }).click();
  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  expect(seen.idp).toEqual([]);

  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('button', { name: /Redirect to sign in \(authorize, with PKCE\)/ }).click();
  await expect(page.getByRole('region', { name: 'Details of step 1' })).toContainText('PKCE=S256');
  await expect(page.getByRole('button', { name: /Code redeemed for tokens/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /GET \/api\/2\.1\/clusters\/list.*answer 200/ }).first()).toBeVisible();

  await expectNoTokenLeaks(page, seen);

  await page.getByRole('button', { name: 'Sign out of ana@contoso.example' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(page.url()).not.toContain('state=');
  expect(
    await page.evaluate(() => Object.keys(sessionStorage).filter((k) => /accesstoken|refreshtoken|idtoken/.test(k))),
  ).toEqual([]);
});

test('explains a user who is not in the workspace, and the page stays usable', async ({ page, baseURL }) => {
  const { entra } = ports(baseURL);
  watch(page, entra);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInOnSandboxPage(page, 'carl@contoso.example');
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: 'You are not allowed in this workspace' })).toBeVisible();
  await expect(alert).toContainText('Ask a workspace admin to add you');
  await page.getByRole('tab', { name: 'Show me how' }).click();
  await expect(page.getByRole('figure', { name: 'curl: List clusters (API 2.0)' })).toContainText('$DATABRICKS_TOKEN');
  // The server names its local CA, so the commands work as pasted on this machine.
  await expect(page.getByRole('figure', { name: 'curl: List clusters (API 2.0)' })).toContainText(
    /--cacert '\/[^']*\/tls\/ca\.pem'/,
  );
  await expect(page.getByRole('figure', { name: 'Python: List clusters (API 2.0)' })).toContainText(
    /verify="\/[^"]*\/tls\/ca\.pem"/,
  );
});

test('renews a revoked session with one sign-in redirect and returns to the same view with the data', async ({
  page,
  baseURL,
}) => {
  const { entra } = ports(baseURL);
  const seen = watch(page, entra);
  // Access tokens shorter than MSAL's 5-minute renewal margin: every call needs the refresh token.
  await entraFaults(page, entra, { accessTokenLifetimeSeconds: 120 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInOnSandboxPage(page, 'ben@contoso.example');
  await expect(page.getByText('Workspace admin')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Timeline' }).click();

  await entraFaults(page, entra, {
    accessTokenLifetimeSeconds: 120,
    revokeRefreshTokensFor: 'ben@contoso.example',
  });
  seen.idp.length = 0;
  // The Clusters tab keeps the list it loaded; Refresh asks the workspace again, which needs a token.
  await page.getByRole('tab', { name: 'Clusters' }).click();
  await refreshClusters(page);
  await expect.poll(() => seen.idp.filter((r) => r.includes('/authorize')).length).toBe(1);

  // The sandbox still has Ben's session, so the authorize step answers at once, or shows the form.
  const form = page.getByLabel(/password/i);
  const cluster = page.getByRole('button', { name: /^Details of / }).first();
  await expect(form.or(cluster)).toBeVisible();
  if (await form.isVisible()) await signInOnSandboxPage(page, 'ben@contoso.example');
  await expect(cluster).toBeVisible();
  expect(page.url()).toMatch(/#\/clusters$/);
  expect(seen.idp.filter((r) => r.includes('/authorize'))).toHaveLength(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('button', { name: /Redirect to sign in again \(session renewal\)/ })).toBeVisible();
});

test('stops and explains when signing in again keeps failing, instead of looping', async ({ page, baseURL }) => {
  const { entra } = ports(baseURL);
  const seen = watch(page, entra);
  await entraFaults(page, entra, { accessTokenLifetimeSeconds: 120 });
  await signInAs(page, 'ana@contoso.example');
  await entraFaults(page, entra, {
    accessTokenLifetimeSeconds: 120,
    tokenEndpoint: { status: 400, error: 'invalid_grant' },
  });
  seen.idp.length = 0;
  await refreshClusters(page);
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  // A loop would navigate to authorize again right away: once the network is quiet, the page is
  // still here with its explanation, after exactly one authorize navigation.
  await page.waitForLoadState('networkidle');
  await expect(alert.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  expect(seen.idp.filter((r) => r.includes('/authorize'))).toHaveLength(1);
  expect(page.url()).not.toMatch(/[#&?]code=/);
});

test.describe('workspace faults', () => {
  test.afterEach(async ({ page, baseURL }) => {
    await workspaceFaults(page, ports(baseURL).workspace, null).catch(() => {});
  });

  test('waits as Retry-After says, shows it, and then loads the clusters', async ({ page, baseURL }) => {
    const { workspace } = ports(baseURL);
    await signInAs(page, 'ana@contoso.example');
    await workspaceFaults(page, workspace, {
      rateLimited: { retryAfterSeconds: 2, count: 1, paths: [CLUSTERS_LIST] },
    });
    await refreshClusters(page);
    await expect(page.getByText(/rate limiting \(HTTP 429\): retrying in \d s/)).toBeVisible();
    await expectClustersShown(page);
  });

  test('ends a persistent 429 in an explained error whose retry works once the fault clears', async ({
    page,
    baseURL,
  }) => {
    const { workspace } = ports(baseURL);
    await signInAs(page, 'ana@contoso.example');
    await workspaceFaults(page, workspace, {
      rateLimited: { retryAfterSeconds: 1, paths: [CLUSTERS_LIST] },
    });
    await refreshClusters(page);
    await expectExplained(page, 'The workspace is rate limiting requests');
    await workspaceFaults(page, workspace, null);
    await tryAgain(page);
    await expectClustersShown(page);
  });

  test('refreshes the token once when the workspace rejects it, and explains when it keeps doing so', async ({
    page,
    baseURL,
  }) => {
    const { workspace, entra } = ports(baseURL);
    const seen = watch(page, entra);
    await signInAs(page, 'ana@contoso.example');
    await workspaceFaults(page, workspace, { tokenExpired: { count: 1, paths: [CLUSTERS_LIST] } });
    seen.idp.length = 0;
    await refreshClusters(page);
    await expect(page.getByText(/^\d+ clusters$/)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(seen.idp.filter((r) => r.endsWith('/token'))).toHaveLength(1);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page
      .getByRole('button', { name: /New access token \(silent renewal\)/ })
      .last()
      .click();
    await expect(page.getByRole('region', { name: /^Details of step/ })).toContainText(
      'forced after the workspace rejected the token',
    );
    await expect(page.getByRole('button', { name: /Silent renewal done.*took \d+ ms/ }).first()).toBeVisible();
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await expect(page.getByText(/^\d+ clusters$/)).toBeVisible();

    await workspaceFaults(page, workspace, { tokenExpired: { paths: [CLUSTERS_LIST] } });
    seen.idp.length = 0;
    await refreshClusters(page);
    await expect(
      page.getByRole('alert').getByRole('heading', { name: 'The workspace does not accept your token' }),
    ).toBeVisible();
    // The workspace's own words, a cause that fits an expired token, and the status said once.
    await expect(page.getByRole('alert')).toContainText('"Token is expired"');
    await expect(page.getByRole('alert')).toContainText('token lifetime policy');
    await expect(page.getByRole('alert')).not.toContainText('401 401');
    await expect(page.getByRole('alert')).not.toContainText('different Entra tenant');
    expect(seen.idp.filter((r) => r.endsWith('/token'))).toHaveLength(1);
    await expect(page.getByRole('tab', { name: 'Tokens' })).toBeEnabled();
  });

  test('explains a dropped connection and recovers on retry', async ({ page, baseURL }) => {
    const { workspace } = ports(baseURL);
    await signInAs(page, 'ana@contoso.example');
    await workspaceFaults(page, workspace, { dropConnection: { paths: [CLUSTERS_LIST] } });
    await refreshClusters(page);
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Ana Analyst');
    await workspaceFaults(page, workspace, null);
    await alert.getByRole('button').click();
    await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  });
});

test('signing out in one tab shows signed-out in the other', async ({ page }) => {
  await signInAs(page, 'ana@contoso.example');
  // A tab opened from the app inherits its sessionStorage, so it is signed in too.
  const [other] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate(() => window.open(location.href, '_blank')),
  ]);
  await expect(other.getByRole('button', { name: 'Sign out of ana@contoso.example' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out of ana@contoso.example' }).click();
  await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('signing in in one tab is picked up by the other tabs without a redirect', async ({ page, context, baseURL }) => {
  const { entra } = ports(baseURL);
  const waiting = await context.newPage();
  const seen = watch(waiting, entra);
  await waiting.goto('/');
  await expect(waiting.getByRole('button', { name: 'Sign in' })).toBeVisible();

  await signInAs(page, 'ana@contoso.example');
  await expect(waiting.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  const later = await context.newPage();
  const seenLater = watch(later, entra);
  await later.goto('/');
  await expect(later.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  expect(seen.idp).toEqual([]);
  expect(seenLater.idp).toEqual([]);
  await expectNoTokenLeaks(waiting, seen);
});

test.describe('tampered redirects', () => {
  test('rejects an error return that no sign-in asked for, with an explanation', async ({ page }) => {
    await page.goto('/#error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state=forged');
    const alert = page.getByRole('alert');
    await expect(
      alert.getByRole('heading', { name: 'The sign-in response was not one this page started' }),
    ).toBeVisible();
    expect(page.url()).not.toContain('error=');
    // The explanation's own "Sign in again" is the one way to sign in: not a second "Sign in" beside it.
    await expect(alert.getByRole('button', { name: 'Sign in again' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Sign in/ })).toHaveCount(1);
  });

  test('rejects a response with a tampered state and lets the person sign in again', async ({ page, baseURL }) => {
    const { entra } = ports(baseURL);
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`localhost:${entra}/`));
    await page.goto('/#code=forged-code&state=tampered-state&session_state=x');
    const alert = page.getByRole('alert');
    await expect(
      alert.getByRole('heading', { name: 'The sign-in response was not one this page started' }),
    ).toBeVisible();
    expect(page.url()).not.toContain('code=');
    await alert.getByRole('button', { name: 'Sign in again' }).click();
    await signInOnSandboxPage(page, 'ana@contoso.example');
    await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  });

  test('rejects a replayed authorization response', async ({ page, baseURL }) => {
    const { app } = ports(baseURL);
    let response = '';
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith(`https://localhost:${app}/#code=`))
        response = frame.url();
    });
    await signInAs(page, 'ana@contoso.example');
    expect(response).not.toBe('');
    await page.getByRole('button', { name: 'Sign out of ana@contoso.example' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.goto(response);
    await expect(
      page.getByRole('alert').getByRole('heading', { name: 'The sign-in response was not one this page started' }),
    ).toBeVisible();
    expect(page.url()).not.toContain('code=');
  });
});

test.describe('demo users', () => {
  test('a user who declines consent gets an explanation and can sign in again', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signInOnSandboxPage(page, 'dana@contoso.example');
    await page.getByRole('button', { name: /cancel/i }).click();
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading')).toHaveText(
      /Consent is needed for Azure Databricks|Sign-in was cancelled or denied/,
    );
    await expect(alert.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  });

  test('a user who needs MFA completes the verification step and sees the clusters', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signInOnSandboxPage(page, 'eve@contoso.example');
    await page.getByLabel(/verification code/i).fill('123456');
    await page.getByRole('button', { name: /verify/i }).click();
    await expect(page.getByRole('region', { name: 'Signed-in user' })).toContainText('Eve Secure');
    await expect(page.getByText(/^\d+ clusters?$/)).toBeVisible();
  });

  test('a Contributor on the workspace resource becomes admin through the resource-ID header', async ({ page }) => {
    await page.goto('/');
    await page.evaluate(() =>
      localStorage.setItem(
        'explorer.settings.v1',
        JSON.stringify({
          subscriptionId: '5f1d7c2e-0000-4000-8000-00000000cafe',
          resourceGroup: 'explorer-sandbox',
          workspaceName: 'sandbox-workspace',
        }),
      ),
    );
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signInOnSandboxPage(page, 'fay@contoso.example');
    await expect(page.getByText('Workspace admin')).toBeVisible();
    await page.getByRole('tab', { name: 'Show me how' }).click();
    // The header is built as the Databricks article spells it (lower-case segments); Azure IDs are case-insensitive.
    await expect(page.getByRole('figure', { name: 'curl: List clusters (API 2.0)' })).toContainText(
      /X-Databricks-Azure-Workspace-Resource-Id: \/subscriptions\/5f1d7c2e-0000-4000-8000-00000000cafe\/resourcegroups\/explorer-sandbox\/providers\/microsoft\.databricks\/workspaces\/sandbox-workspace/i,
    );
  });
});
