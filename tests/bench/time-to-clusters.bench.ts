/**
 * Time to clusters: `npx tsx tests/bench/time-to-clusters.bench.ts` (or `npm run bench -- time`).
 *
 * The production build in `vite preview` with the sandbox (ports 5473–5475), the sandbox
 * workspace adding LATENCY_MS to every API call, in headless Chromium. After one sign-in as
 * ana@contoso.example, it alternates RUNS page loads of each of:
 *
 * - the app, a navigation to https://localhost:5473/#/clusters with the access token cached;
 * - a bare page (https://localhost:5476, see support/bare-page.ts) that fetches the same
 *   clusters/list pages through the same proxy middleware with the app's token and prints them.
 *
 * Each load is timed in the page from navigation start (performance.now()) to the first rows
 * painted and to every cluster painted (the app's status line "N clusters"; the bare page's
 * "N clusters"), see support/page-timing.ts. Medians are compared.
 *
 * Budget (issue 8): the app within 1.25× of the bare page, for the whole list and for the first
 * rows. The workspace's rate limit is off (the runs would otherwise be throttled, not measured).
 */
import type { Page } from '@playwright/test';
import { type RecordedRequest, type ServedApp, startServedApp } from './support/app-server.ts';
import { type BarePage, startBarePage } from './support/bare-page.ts';
import {
  allPageErrors,
  collectPageErrors,
  launchChromium,
  newBenchContext,
  signInThroughSandbox,
  waitForClusterRows,
} from './support/browser.ts';
import { installMilestoneTimer, type PageTimes, readMilestones } from './support/page-timing.ts';
import { median, Report } from './support/report.ts';

const LATENCY_MS = 50;
const RUNS = 9;
const RATIO_BUDGET = 1.25;
const BARE_PORT = 5476;
const USER = { upn: 'ana@contoso.example', password: 'ana-sandbox' };
const DONE_PATTERN = '^[\\d,]+ clusters?';

interface Run extends PageTimes {
  /** Every resource the page loaded: path (hash-free) → [start, end] in ms since navigation start. */
  resources: Map<string, [number, number]>;
  /** When the first clusters/list response had fully arrived. */
  firstPageArrived: number;
  /** When the page's first clusters/list request started. */
  firstListStarted: number;
}

async function timedLoad(page: Page, url: string): Promise<Run> {
  await page.goto('about:blank');
  await page.goto(url);
  const times = await readMilestones(page);
  const [document, entries] = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return [
      nav ? ([nav.requestStart, nav.responseEnd] as [number, number]) : ([Number.NaN, Number.NaN] as [number, number]),
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
        (e) => [e.name, e.startTime, e.responseEnd] as const,
      ),
    ] as const;
  });
  const resources = new Map<string, [number, number]>([['(the HTML document)', document]]);
  for (const [name, start, end] of entries) {
    const url = new URL(name);
    // Hash-free asset names and the API path without its host, so runs line up.
    const key = url.pathname.replace(/-[\w-]{8}\.(js|css)$/, '.$1').replace(/^\/databricks\/[^/]+/, '');
    if (!resources.has(key)) resources.set(key, [start, end]);
  }
  const list = resources.get('/api/2.1/clusters/list') ?? [Number.NaN, Number.NaN];
  return { ...times, resources, firstPageArrived: list[1], firstListStarted: list[0] };
}

/** The median start and end of each resource the loads fetched, in start order. */
function waterfall(runs: Run[]): string {
  const keys = new Set(runs.flatMap((r) => [...r.resources.keys()]));
  return [...keys]
    .map((key) => {
      const spans = runs.map((r) => r.resources.get(key)).filter((span) => span !== undefined);
      return { key, start: median(spans.map((x) => x[0])), end: median(spans.map((x) => x[1])) };
    })
    .sort((a, b) => a.start - b.start)
    .map((x) => `${x.key} ${Math.round(x.start)}→${Math.round(x.end)}`)
    .join(', ');
}

async function main(): Promise<number> {
  const app: ServedApp = await startServedApp();
  let bare: BarePage | undefined;
  const browser = await launchChromium().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  try {
    await app.control('workspace', 'PUT', '/_sandbox/rate-limit', false);

    // Sign in once; the app's token is the bare page's "known token".
    const appContext = await newBenchContext(browser);
    await installMilestoneTimer(appContext, {
      first: 'table.cluster-table tbody tr.cluster-row',
      done: { selector: 'section.clusters p.progress', pattern: DONE_PATTERN },
    });
    const appPage = await appContext.newPage();
    const appErrors = collectPageErrors(appPage);
    const tokenRequest = appPage.waitForRequest((r) => r.url().includes(`/databricks/${app.workspaceHost}/api/`), {
      timeout: 60_000,
    });
    await appPage.goto(`${app.url}/`);
    await signInThroughSandbox(appPage, app.url, USER.upn, USER.password);
    const authorization = await (await tokenRequest).headerValue('authorization');
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token)
      throw new Error(
        'The app sent no Bearer token to the workspace after sign-in; cannot give the bare page a known token.',
      );
    await waitForClusterRows(appPage);

    bare = await startBarePage({ port: BARE_PORT, tls: app.tls, ca: app.ca, workspaceHost: app.workspaceHost, token });
    const bareContext = await newBenchContext(browser);
    await installMilestoneTimer(bareContext, {
      first: '#clusters',
      done: { selector: '#status', pattern: DONE_PATTERN },
    });
    const barePage = await bareContext.newPage();
    const bareErrors = collectPageErrors(barePage);

    await app.control('workspace', 'PUT', '/_sandbox/faults', { latency: { ms: LATENCY_MS } });
    const appUrl = `${app.url}/#/clusters`;
    // One unmeasured load of each warms the HTTP cache and the connections.
    await timedLoad(appPage, appUrl);
    await timedLoad(barePage, `${bare.url}/`);
    await app.control('entra', 'DELETE', '/_sandbox/requests');
    await app.control('workspace', 'DELETE', '/_sandbox/requests');

    const appRuns: Run[] = [];
    const bareRuns: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      appRuns.push(await timedLoad(appPage, appUrl));
      bareRuns.push(await timedLoad(barePage, `${bare.url}/`));
    }
    const entraLog = (await app.control('entra', 'GET', '/_sandbox/requests')) as RecordedRequest[];
    const workspaceLog = (await app.control('workspace', 'GET', '/_sandbox/requests')) as RecordedRequest[];

    const m = (runs: Run[], key: Exclude<keyof Run, 'resources'>) => median(runs.map((r) => r[key]));
    const report = new Report(
      `Time to clusters, ms from navigation start, median of ${RUNS} loads each, workspace latency ${LATENCY_MS} ms per call, Chromium headless`,
    );
    const bareAll = m(bareRuns, 'done');
    const appAll = m(appRuns, 'done');
    const bareFirst = m(bareRuns, 'first');
    const appFirst = m(appRuns, 'first');
    report.add({
      name: 'bare page: first clusters/list request sent',
      value: m(bareRuns, 'firstListStarted'),
      unit: 'ms',
    });
    report.add({ name: 'app: first clusters/list request sent', value: m(appRuns, 'firstListStarted'), unit: 'ms' });
    report.add({ name: 'bare page: first rows painted', value: bareFirst, unit: 'ms' });
    report.add({ name: 'app: first rows painted', value: appFirst, unit: 'ms' });
    report.add({ name: 'bare page: every cluster painted', value: bareAll, unit: 'ms' });
    report.add({ name: 'app: every cluster painted', value: appAll, unit: 'ms' });
    report.add({
      name: 'app ÷ bare, first rows',
      value: Math.round((appFirst / bareFirst) * 100) / 100,
      unit: '×',
      budget: { max: RATIO_BUDGET },
    });
    report.add({
      name: 'app ÷ bare, every cluster',
      value: Math.round((appAll / bareAll) * 100) / 100,
      unit: '×',
      budget: { max: RATIO_BUDGET },
    });
    report.note(`app's loads, median start→end (ms): ${waterfall(appRuns)}`);
    report.note(`bare page's loads, median start→end (ms): ${waterfall(bareRuns)}`);
    report.note(
      `app runs (first/all ms): ${appRuns.map((r) => `${Math.round(r.first)}/${Math.round(r.done)}`).join(' ')}`,
    );
    report.note(
      `bare runs (first/all ms): ${bareRuns.map((r) => `${Math.round(r.first)}/${Math.round(r.done)}`).join(' ')}`,
    );
    const listCalls = workspaceLog.filter((r) => r.path === '/api/2.1/clusters/list').length;
    report.note(
      `Workspace calls during the measured loads: ${workspaceLog.length} (${listCalls / (2 * RUNS)} clusters/list pages per load).`,
    );
    const idpCalls = entraLog.filter((r) => r.path.includes('/oauth2/'));
    if (idpCalls.length > 0)
      report.note(
        `The identity provider was called ${idpCalls.length} times during the measured loads: the token was not always taken from the cache.`,
      );
    const errors = [...appErrors, ...bareErrors];
    if (errors.length) report.note(`Errors thrown in the pages: ${errors.join(' | ')}`);
    await Promise.all([appContext.close(), bareContext.close()]);
    const code = report.finish();
    return errors.length || idpCalls.length ? 1 : code;
  } finally {
    await browser.close();
    await bare?.close();
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The time-to-clusters benchmark failed:', error);
    if (allPageErrors.length) console.error(`Problems in the page(s): ${allPageErrors.join(' | ')}`);
    process.exit(2);
  },
);
