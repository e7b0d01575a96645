/**
 * Round trips: `npx tsx tests/bench/round-trips.bench.ts` (or `npm run bench -- round-trips`).
 *
 * Serves the production build with `vite preview` and the sandbox (support/harness.ts), drives
 * Debian's Chromium through three page loads as ana@contoso.example, each until the clusters
 * table has finished loading, and counts the requests to the identity provider and to the
 * workspace, both as the browser sent them and as the sandbox recorded them:
 *
 * (a) a fresh sign-in: the landing page, "Sign in", the sandbox sign-in form, back to the app;
 * (b) a reload with a valid cached access token;
 * (c) a reload after the cached access token expired. The sandbox issues access tokens that live
 *     LIFETIME_S seconds; MSAL renews a token 300 s before it expires, so it counts as expired
 *     LIFETIME_S − 300 s after it was issued. The benchmark waits that out before reloading.
 *
 * The workspace holds GENERATED_CLUSTERS generated clusters, so the list takes several pages.
 *
 * Budgets (issue 8), held to the sandbox's counts: (a) one authorize navigation and one token
 * request; (b) no request to the identity provider; (c) exactly one token request and nothing
 * else; and in each, workspace requests: one per page of clusters plus one for `Me`, none
 * repeated (repeats are found in the browser's requests, whose query strings tell pages apart).
 */
import type { BrowserContext, Page, Request } from '@playwright/test';
import { countByEndpoint, type RecordedRequest, SANDBOX_TENANT_ID, type ServedApp } from './support/app-server.ts';
import { collectPageErrors, newBenchContext, signInThroughSandbox, waitForClusterRows } from './support/browser.ts';
import { runBrowserBenchmark } from './support/harness.ts';
import { Report } from './support/report.ts';

const USER = { upn: 'ana@contoso.example', password: 'ana-sandbox' };
const LIFETIME_S = 330;
const MSAL_RENEWAL_OFFSET_S = 300;
const GENERATED_CLUSTERS = 3000;

const AUTHORIZE_PATH = `/${SANDBOX_TENANT_ID}/oauth2/v2.0/authorize`;
const TOKEN_PATH = `/${SANDBOX_TENANT_ID}/oauth2/v2.0/token`;
/** The sandbox's own sign-in page: its form post and the page's assets. Not the app's requests. */
const SIGN_IN_PAGE = [`/${SANDBOX_TENANT_ID}/login`, '/sandbox-assets/', '/favicon.ico'];

interface BrowserRequest {
  method: string;
  url: URL;
  navigation: boolean;
}

interface Counts {
  /** Authorize requests the browser made as navigations (a page or a frame). */
  authorize: number;
  token: number;
  /** Requests to the identity provider other than authorize, token and the sign-in page itself. */
  otherIdp: string[];
  /** Workspace requests through the proxy: "METHOD path?query" → count. */
  workspace: Map<string, number>;
  me: number;
  listPages: number;
  pageSize: number;
  repeated: string[];
  /** From the sandbox's logs. */
  sandboxAuthorize: number;
  sandboxToken: number;
  sandboxWorkspace: Map<string, number>;
  clusters: number;
}

/** Records every request the browser context sends. */
function recordRequests(context: BrowserContext): { take(): BrowserRequest[] } {
  let seen: BrowserRequest[] = [];
  context.on('request', (request: Request) => {
    seen.push({ method: request.method(), url: new URL(request.url()), navigation: request.isNavigationRequest() });
  });
  return {
    take() {
      const taken = seen;
      seen = [];
      return taken;
    },
  };
}

/** Waits until the clusters view says it has loaded every page ("N clusters"), and returns N. */
async function waitForAllClusters(page: Page): Promise<number> {
  await waitForClusterRows(page);
  const status = page.locator('section.clusters p.progress');
  await status.filter({ hasText: /^[\d,]+ clusters?/ }).waitFor({ timeout: 120_000 });
  const text = (await status.textContent()) ?? '';
  return Number(/^([\d,]+) clusters?/.exec(text)?.[1]?.replaceAll(',', '') ?? Number.NaN);
}

/**
 * Waits for the whole list, then for the network to be quiet (so a late or repeated request is
 * still counted), and counts.
 */
async function settle(app: ServedApp, page: Page, requests: { take(): BrowserRequest[] }): Promise<Counts> {
  const clusters = await waitForAllClusters(page);
  await page.waitForLoadState('networkidle');
  return collect(app, requests.take(), clusters);
}

async function resetLogs(app: ServedApp): Promise<void> {
  await app.control('entra', 'DELETE', '/_sandbox/requests');
  await app.control('workspace', 'DELETE', '/_sandbox/requests');
}

async function collect(app: ServedApp, browserRequests: BrowserRequest[], clusters: number): Promise<Counts> {
  const entraOrigin = new URL(app.entraUrl).origin;
  const proxyPrefix = `/databricks/${app.workspaceHost}`;
  const idp = browserRequests.filter((r) => r.url.origin === entraOrigin);
  const workspaceRequests = browserRequests.filter(
    (r) => r.url.origin === new URL(app.url).origin && r.url.pathname.startsWith(`${proxyPrefix}/`),
  );
  const workspace = new Map<string, number>();
  for (const r of workspaceRequests) {
    const key = `${r.method} ${r.url.pathname.slice(proxyPrefix.length)}${r.url.search}`;
    workspace.set(key, (workspace.get(key) ?? 0) + 1);
  }
  const list = workspaceRequests.filter((r) => r.url.pathname.endsWith('/clusters/list'));
  const pageSize = Number(list[0]?.url.searchParams.get('page_size') ?? Number.NaN);

  const entraLog = (await app.control('entra', 'GET', '/_sandbox/requests')) as RecordedRequest[];
  const workspaceLog = (await app.control('workspace', 'GET', '/_sandbox/requests')) as RecordedRequest[];
  return {
    authorize: idp.filter((r) => r.url.pathname === AUTHORIZE_PATH && r.navigation).length,
    token: idp.filter((r) => r.url.pathname === TOKEN_PATH && r.method === 'POST').length,
    otherIdp: idp
      .filter(
        (r) =>
          !(r.url.pathname === AUTHORIZE_PATH && r.navigation) &&
          !(r.url.pathname === TOKEN_PATH && r.method === 'POST'),
      )
      .filter((r) => !SIGN_IN_PAGE.some((p) => r.url.pathname.startsWith(p)))
      .map((r) => `${r.method} ${r.url.pathname}`),
    workspace,
    me: workspaceRequests.filter((r) => r.url.pathname.endsWith('/scim/v2/Me')).length,
    listPages: list.length,
    pageSize,
    repeated: [...workspace].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`),
    sandboxAuthorize: entraLog.filter((r) => r.path === AUTHORIZE_PATH).length,
    sandboxToken: entraLog.filter((r) => r.path === TOKEN_PATH && r.method === 'POST').length,
    sandboxWorkspace: countByEndpoint(workspaceLog),
    clusters,
  };
}

function addScenario(
  report: Report,
  label: string,
  counts: Counts,
  expected: { authorize: number; token: number },
): void {
  const exact = (n: number) => ({ max: n, min: n });
  const pages = Math.max(1, Math.ceil(counts.clusters / counts.pageSize));
  const sandboxMe = counts.sandboxWorkspace.get('GET /api/2.0/preview/scim/v2/Me') ?? 0;
  const sandboxList = counts.sandboxWorkspace.get('GET /api/2.1/clusters/list') ?? 0;
  const sandboxTotal = [...counts.sandboxWorkspace.values()].reduce((n, v) => n + v, 0);
  // The budgets hold the sandbox's counts (what reached the services); the browser's own request
  // events tell the app's identity-provider requests apart from the workspace's key fetches and
  // show the query strings that make a repeated page visible.
  report.add({
    name: `${label}: authorize requests`,
    value: counts.sandboxAuthorize,
    unit: '',
    budget: exact(expected.authorize),
  });
  report.add({ name: `${label}: token requests`, value: counts.sandboxToken, unit: '', budget: exact(expected.token) });
  report.add({
    name: `${label}: other identity-provider requests from the page`,
    value: counts.otherIdp.length,
    unit: '',
    budget: exact(0),
    ...(counts.otherIdp.length ? { note: counts.otherIdp.join(', ') } : {}),
  });
  report.add({ name: `${label}: workspace Me requests`, value: sandboxMe, unit: '', budget: exact(1) });
  report.add({
    name: `${label}: clusters/list requests (${counts.clusters} clusters, page size ${counts.pageSize})`,
    value: sandboxList,
    unit: '',
    budget: exact(pages),
  });
  report.add({
    name: `${label}: workspace requests in all`,
    value: sandboxTotal,
    unit: '',
    budget: exact(pages + 1),
    ...(sandboxTotal !== pages + 1
      ? { note: [...counts.sandboxWorkspace].map(([k, n]) => `${k} ×${n}`).join(', ') }
      : {}),
  });
  report.add({
    name: `${label}: repeated workspace requests`,
    value: counts.repeated.length,
    unit: '',
    budget: exact(0),
    ...(counts.repeated.length ? { note: counts.repeated.join(', ') } : {}),
  });
  const browserTotal = [...counts.workspace.values()].reduce((n, v) => n + v, 0);
  if (
    counts.sandboxAuthorize !== counts.authorize ||
    counts.sandboxToken !== counts.token ||
    sandboxTotal !== browserTotal
  ) {
    report.note(
      `${label}: the browser sent ${counts.authorize} authorize navigations, ${counts.token} token and ${browserTotal} workspace requests; the sandbox received ${counts.sandboxAuthorize}, ${counts.sandboxToken} and ${sandboxTotal}.`,
    );
  }
}

runBrowserBenchmark('round-trips', async ({ app, browser }) => {
  await app.control('workspace', 'PUT', '/_sandbox/clusters', { generate: { count: GENERATED_CLUSTERS, seed: 1 } });
  await app.control('workspace', 'PUT', '/_sandbox/rate-limit', false);
  await app.control('entra', 'PUT', '/_sandbox/faults', { accessTokenLifetimeSeconds: LIFETIME_S });
  const context = await newBenchContext(browser);
  const requests = recordRequests(context);
  const page = await context.newPage();
  const pageErrors = collectPageErrors(page);
  const report = new Report(
    `Round trips as ${USER.upn}, counted in the browser and cross-checked with the sandbox's request logs (access tokens live ${LIFETIME_S} s)`,
  );

  // (a) Fresh sign-in.
  await resetLogs(app);
  await page.goto(`${app.url}/`);
  await signInThroughSandbox(page, app.url, USER.upn, USER.password);
  const issuedAt = Date.now();
  const a = await settle(app, page, requests);

  // (b) Reload while the cached access token is valid.
  await resetLogs(app);
  await page.reload();
  const b = await settle(app, page, requests);
  const validFor = LIFETIME_S - MSAL_RENEWAL_OFFSET_S;
  if ((Date.now() - issuedAt) / 1000 > validFor - 2) {
    throw new Error(
      `(b) finished ${(Date.now() - issuedAt) / 1000} s after sign-in, too close to the token's ${validFor} s of validity; raise LIFETIME_S.`,
    );
  }

  // (c) Reload once MSAL considers the access token expired.
  const waitMs = issuedAt + (validFor + 2) * 1000 - Date.now();
  console.log(`Waiting ${Math.ceil(waitMs / 1000)} s for the access token to expire…`);
  await new Promise((r) => setTimeout(r, Math.max(0, waitMs)));
  await resetLogs(app);
  await page.reload();
  const c = await settle(app, page, requests);

  addScenario(report, '(a) fresh sign-in', a, { authorize: 1, token: 1 });
  addScenario(report, '(b) reload, valid token', b, { authorize: 0, token: 0 });
  addScenario(report, '(c) reload, expired token', c, { authorize: 0, token: 1 });
  if (pageErrors.length) report.note(`Errors thrown in the page: ${pageErrors.join(' | ')}`);
  await context.close();
  const code = report.finish();
  return pageErrors.length ? 1 : code;
});
