/**
 * Time to clusters, three ways: `npm run bench -- time-to-clusters`.
 *
 * Three pages doing the same job against the same sandbox, each served by an in-process
 * `vite preview` with the app's security headers (same CSP, same `Cross-Origin-Opener-Policy`;
 * see support/pages.ts), measured by one method in one run, in headless Chromium:
 *
 * - bare: the floor; a page that only fetches `clusters/list` with a known token and prints it;
 * - peer: the page as Microsoft's MSAL React samples build it (tests/bench/peer/), same MSAL;
 * - app: this app's production build.
 *
 * Both sandbox services add LATENCY_MS to every answer (a real identity provider and workspace
 * are on the network, not on loopback). Figures:
 *
 * - JavaScript bytes, gzip -9 of the served files: first paint (the HTML's module scripts and
 *   their static imports), path to clusters (every script the browser requested before the first
 *   rows were painted, on a reload), total (every .js file served);
 * - identity-provider requests (the sandbox's log, sign-in form excluded): fresh sign-in, reload,
 *   reload once the access token expired (tokens live LIFETIME_S s; MSAL renews 300 s early);
 * - time to clusters, navigation start → first rows painted (first animation frame after the DOM
 *   change, support/page-timing.ts), medians of RUNS interleaved loads each:
 *   on a reload (`page.reload()`: F5, or a tab restored), and on a navigation from another site
 *   (`about:blank` then the URL: a bookmark, the address bar or a link from another site, which
 *   with COOP starts a new renderer process); after a fresh sign-in, from the sign-in form's
 *   submit to the first rows painted (wall clock, SIGN_INS runs each).
 *
 * Budgets (issue 17): on a reload, app ≤ 0.9 × peer and ≤ 1.3 × bare; fresh sign-in app ≤ peer;
 * JS on the path to clusters ≤ 100 KB gzip.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from '@playwright/test';
import { type RecordedRequest, type ServedApp, SANDBOX_TENANT_ID } from './support/app-server.ts';
import { collectPageErrors, newBenchContext, signInThroughSandbox } from './support/browser.ts';
import { runBrowserBenchmark } from './support/harness.ts';
import { installMilestoneTimer, type Milestones, type PageTimes, readMilestones } from './support/page-timing.ts';
import type { ServedPage } from './support/pages.ts';
import { kb, median, Report } from './support/report.ts';

const LATENCY_MS = 50;
const RUNS = 9;
const SIGN_INS = 5;
const LIFETIME_S = 330;
const MSAL_RENEWAL_OFFSET_S = 300;
const USER = { upn: 'ana@contoso.example', password: 'ana-sandbox' };
// The count as the page writes it: grouped digits, and '1 cluster' in the singular.
const DONE = '^[\\d,]+ clusters?';
const RELOAD_VS_PEER = 0.9;
const RELOAD_VS_BARE = 1.3;
const CRITICAL_PATH_BUDGET_KB = 100;

type Name = 'bare' | 'peer' | 'app';
const NAMES: readonly Name[] = ['bare', 'peer', 'app'];
const TITLES: Record<Name, string> = { bare: 'bare page', peer: 'sample-style peer', app: 'this app' };

const MILESTONES: Record<Name, Milestones> = {
  bare: { first: '#clusters', done: { selector: '#status', pattern: DONE } },
  peer: { first: '#clusters tbody tr', done: { selector: '#status', pattern: DONE } },
  app: {
    first: 'table.cluster-table tbody tr.cluster-row',
    done: { selector: 'section.clusters p.progress', pattern: DONE },
  },
};

interface Subject {
  name: Name;
  /** The page's start URL. */
  url: string;
  outDir: string;
  context?: BrowserContext;
  page?: Page;
  errors: string[];
}

interface Load extends PageTimes {
  /** Script URL paths requested before the first rows were painted. */
  scriptsBeforeRows: string[];
  /** path (hash-free) → [start, end] in ms since navigation start. */
  resources: Map<string, [number, number]>;
  firstListStarted: number;
  firstPageArrived: number;
  /** When the last resource requested before the first clusters/list request had arrived. */
  lastBeforeList: number;
}

async function readLoad(page: Page): Promise<Load> {
  const times = await readMilestones(page);
  const [document, entries] = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return [
      nav ? ([nav.requestStart, nav.responseEnd] as [number, number]) : ([Number.NaN, Number.NaN] as [number, number]),
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
        (e) => [e.name, e.initiatorType, e.startTime, e.responseEnd] as const,
      ),
    ] as const;
  });
  const resources = new Map<string, [number, number]>([['(document)', document]]);
  const scriptsBeforeRows: string[] = [];
  for (const [name, , start, end] of entries) {
    const url = new URL(name);
    if (url.pathname.endsWith('.js') && start < times.first) scriptsBeforeRows.push(url.pathname);
    // Hash-free asset names and the API path without the proxy prefix, so runs line up.
    const key = url.pathname
      .replace(/-[\w-]{8}\.(js|css)$/, '.$1')
      .replace(/^\/databricks\/[^/]+/, '')
      .replace(/^\/api\/2\.1\//, '/api/2.1/');
    if (!resources.has(key)) resources.set(key, [start, end]);
  }
  const list = resources.get('/api/2.1/clusters/list') ?? [Number.NaN, Number.NaN];
  // What the list request can wait for: scripts, JSON (configuration, OpenID metadata), API calls.
  const before = [...resources]
    .filter(([key, [start]]) => start < list[0] && /\.js$|\.json$|openid-configuration|\/api\//.test(key))
    .map(([, [, end]]) => end);
  return {
    ...times,
    scriptsBeforeRows,
    resources,
    firstListStarted: list[0],
    firstPageArrived: list[1],
    lastBeforeList: Math.max(...before),
  };
}

async function reloadTimed(subject: Subject): Promise<Load> {
  const page = subject.page as Page;
  await page.reload();
  return readLoad(page);
}

async function navigateTimed(subject: Subject): Promise<Load> {
  const page = subject.page as Page;
  await page.goto('about:blank');
  await page.goto(subject.url);
  return readLoad(page);
}

/** The median start→end of each resource over the loads, in start order. */
function waterfall(loads: Load[]): string {
  const keys = new Set(loads.flatMap((r) => [...r.resources.keys()]));
  return [...keys]
    .map((key) => {
      const spans = loads.map((r) => r.resources.get(key)).filter((span) => span !== undefined);
      return { key, start: median(spans.map((x) => x[0])), end: median(spans.map((x) => x[1])) };
    })
    .sort((a, b) => a.start - b.start)
    .map((x) => `${x.key} ${Math.round(x.start)}→${Math.round(x.end)}`)
    .join(', ');
}

const gzip = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(dir, name));
}

/** The HTML's module scripts and, transitively, their static imports (what runs before the first paint). */
function firstPaintFiles(outDir: string): string[] {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // Minified static imports: `import{a as b}from"./x.js"` and `import"./x.js"`; not `import(`.
    for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?from\s*)?["']([^"']+\.js)["']/g))
      visit(join(file, '..', m[1] as string));
  };
  for (const m of html.matchAll(/<script\b[^>]*\btype=["']?module[^>]*\bsrc=["']?\/([^"'\s>]+)/gi))
    visit(join(outDir, m[1] as string));
  return [...seen];
}

interface Bytes {
  firstPaint: number;
  critical: number;
  total: number;
  criticalFiles: string[];
}

function measureBytes(subject: Subject, loads: Load[]): Bytes {
  const files = new Set(loads.flatMap((l) => l.scriptsBeforeRows));
  const critical = [...files].map((path) => join(subject.outDir, path));
  const sum = (list: string[]) => list.reduce((n, f) => n + gzip(f), 0);
  return {
    firstPaint: sum(firstPaintFiles(subject.outDir)),
    critical: sum(critical),
    total: sum(jsFiles(subject.outDir)),
    criticalFiles: critical.map((f) => `${relative(subject.outDir, f)} ${kb(gzip(f))}`),
  };
}

const SIGN_IN_PAGE = new RegExp(`^/${SANDBOX_TENANT_ID}/login`);

/** Identity-provider requests since the log was last reset, without the sandbox's own sign-in form. */
async function idpRequests(app: ServedApp): Promise<string[]> {
  const log = (await app.control('entra', 'GET', '/_sandbox/requests')) as RecordedRequest[];
  return log
    .filter((r) => !SIGN_IN_PAGE.test(r.path))
    .map((r) => `${r.method} ${r.path.replace(SANDBOX_TENANT_ID, '{tenant}')}`);
}

async function resetIdpLog(app: ServedApp): Promise<void> {
  await app.control('entra', 'DELETE', '/_sandbox/requests');
}

async function newSubjectPage(
  subject: Subject,
  browser: import('@playwright/test').Browser,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newBenchContext(browser);
  await installMilestoneTimer(context, MILESTONES[subject.name]);
  const page = await context.newPage();
  subject.errors.push(...collectPageErrors(page));
  return { context, page };
}

/** Signs in on a fresh context; resolves with the ms from the form's submit to the first rows. */
async function freshSignIn(
  subject: Subject,
  browser: import('@playwright/test').Browser,
): Promise<{ ms: number; context: BrowserContext; page: Page }> {
  const { context, page } = await newSubjectPage(subject, browser);
  await page.goto(subject.url);
  const submitted = await signInThroughSandbox(page, new URL(subject.url).origin, USER.upn, USER.password);
  const times = await readMilestones(page);
  return { ms: times.origin + times.first - submitted, context, page };
}

runBrowserBenchmark('time-to-clusters', async ({ app, browser, onClose, startPeer, startBarePage }) => {
  await app.control('workspace', 'PUT', '/_sandbox/rate-limit', false);
  const peer: ServedPage = await startPeer();
  onClose(() => peer.close());

  const subjects: Record<Name, Subject> = {
    app: { name: 'app', url: `${app.url}/`, outDir: app.outDir, errors: [] },
    peer: { name: 'peer', url: `${peer.url}/`, outDir: peer.outDir, errors: [] },
    bare: { name: 'bare', url: '', outDir: '', errors: [] },
  };

  // Sign in to the app and the peer; the app's token is the bare page's known token.
  const tokenRequest = (page: Page) =>
    page.waitForRequest((r) => r.url().includes(`/databricks/${app.workspaceHost}/api/2.1/clusters/list`), {
      timeout: 60_000,
    });
  for (const name of ['app', 'peer'] as const) {
    const subject = subjects[name];
    const { context, page } = await newSubjectPage(subject, browser);
    Object.assign(subject, { context, page });
    onClose(() => context.close());
    const request = name === 'app' ? tokenRequest(page) : undefined;
    await page.goto(subject.url);
    await signInThroughSandbox(page, new URL(subject.url).origin, USER.upn, USER.password);
    await readMilestones(page);
    if (request) {
      const token = /^Bearer (.+)$/.exec((await (await request).headerValue('authorization')) ?? '')?.[1];
      if (!token) throw new Error('The app sent no Bearer token to the workspace; cannot give the bare page a token.');
      const bare = await startBarePage(token);
      onClose(() => bare.close());
      Object.assign(subjects.bare, { url: `${bare.url}/`, outDir: bare.outDir });
    }
  }
  {
    const { context, page } = await newSubjectPage(subjects.bare, browser);
    Object.assign(subjects.bare, { context, page });
    onClose(() => context.close());
    await page.goto(subjects.bare.url);
    await readMilestones(page);
  }

  await app.control('workspace', 'PUT', '/_sandbox/faults', { latency: { ms: LATENCY_MS } });
  await app.control('entra', 'PUT', '/_sandbox/faults', { latencyMs: LATENCY_MS });

  // One unmeasured load of each kind warms the HTTP cache and the connections; then interleave.
  const reloads: Record<Name, Load[]> = { bare: [], peer: [], app: [] };
  const navigations: Record<Name, Load[]> = { bare: [], peer: [], app: [] };
  for (const name of NAMES) {
    await reloadTimed(subjects[name]);
    await navigateTimed(subjects[name]);
  }
  await resetIdpLog(app);
  for (let i = 0; i < RUNS; i++) {
    // Rotate the order so that no page always follows the same one.
    const order = NAMES.map((_, k) => NAMES[(i + k) % NAMES.length] as Name);
    for (const name of order) reloads[name].push(await reloadTimed(subjects[name]));
    for (const name of order) navigations[name].push(await navigateTimed(subjects[name]));
  }
  const timedIdp = await idpRequests(app);

  // Fresh sign-ins, interleaved, each in a new context (no session at the identity provider).
  // Tokens now live LIFETIME_S s, so that the last sign-in's token expires soon after.
  await app.control('entra', 'PUT', '/_sandbox/faults', {
    latencyMs: LATENCY_MS,
    accessTokenLifetimeSeconds: LIFETIME_S,
  });
  const signIns: Record<'peer' | 'app', number[]> = { peer: [], app: [] };
  const idp: Record<Name, { fresh: string[]; reload: string[]; expired: string[] }> = {
    bare: { fresh: [], reload: [], expired: [] },
    peer: { fresh: [], reload: [], expired: [] },
    app: { fresh: [], reload: [], expired: [] },
  };
  const lastSignIn: Partial<Record<'peer' | 'app', { page: Page; at: number }>> = {};
  for (let i = 0; i < SIGN_INS; i++) {
    for (const name of i % 2 ? (['app', 'peer'] as const) : (['peer', 'app'] as const)) {
      await resetIdpLog(app);
      const run = await freshSignIn(subjects[name], browser);
      signIns[name].push(run.ms);
      await run.page.waitForLoadState('networkidle');
      idp[name].fresh = await idpRequests(app);
      if (i < SIGN_INS - 1) await run.context.close();
      else {
        onClose(() => run.context.close());
        lastSignIn[name] = { page: run.page, at: Date.now() };
      }
    }
  }
  // Identity-provider requests on a reload with valid tokens, then once the access token expired.
  for (const name of NAMES) {
    const page = name === 'bare' ? (subjects.bare.page as Page) : (lastSignIn[name]?.page as Page);
    await resetIdpLog(app);
    await page.reload();
    await readMilestones(page);
    await page.waitForLoadState('networkidle');
    idp[name].reload = await idpRequests(app);
  }
  const issued = Math.min(lastSignIn.peer?.at ?? 0, lastSignIn.app?.at ?? 0);
  const waitMs = issued + (LIFETIME_S - MSAL_RENEWAL_OFFSET_S + 2) * 1000 - Date.now();
  console.log(`Waiting ${Math.ceil(waitMs / 1000)} s for the access tokens to expire…`);
  await new Promise((r) => setTimeout(r, Math.max(0, waitMs)));
  for (const name of NAMES) {
    const page = name === 'bare' ? (subjects.bare.page as Page) : (lastSignIn[name]?.page as Page);
    await resetIdpLog(app);
    await page.reload();
    await readMilestones(page);
    await page.waitForLoadState('networkidle');
    idp[name].expired = await idpRequests(app);
  }

  // Figures.
  const med = (loads: Load[], key: 'first' | 'done' | 'firstListStarted' | 'firstPageArrived') =>
    median(loads.map((l) => l[key]));
  const bytes = Object.fromEntries(NAMES.map((n) => [n, measureBytes(subjects[n], reloads[n])])) as Record<Name, Bytes>;
  const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '—');
  const inKb = (v: number) => `${kb(v)} KB`;
  const report = new Report(
    `Three-way: bare page, sample-style peer, this app (${RUNS} interleaved loads each, ${SIGN_INS} fresh sign-ins each, identity provider and workspace ${LATENCY_MS} ms away, Chromium headless)`,
  );
  const header = ['', ...NAMES.map((n) => TITLES[n])];
  const count = (list: string[]) => String(list.length);
  report.grid('JavaScript, gzip -9', header, [
    ['first paint', ...NAMES.map((n) => inKb(bytes[n].firstPaint))],
    ['path to clusters', ...NAMES.map((n) => inKb(bytes[n].critical))],
    ['total', ...NAMES.map((n) => inKb(bytes[n].total))],
  ]);
  report.grid('Identity-provider requests', header, [
    ['fresh sign-in', '—', count(idp.peer.fresh), count(idp.app.fresh)],
    ['reload', ...NAMES.map((n) => count(idp[n].reload))],
    ['reload, access token expired', ...NAMES.map((n) => count(idp[n].expired))],
  ]);
  report.grid('Time to clusters (first rows painted), median', header, [
    ['reload', ...NAMES.map((n) => ms(med(reloads[n], 'first')))],
    ['navigation from another site', ...NAMES.map((n) => ms(med(navigations[n], 'first')))],
    ['fresh sign-in (form submit → rows)', '—', ms(median(signIns.peer)), ms(median(signIns.app))],
    ['reload: every cluster painted', ...NAMES.map((n) => ms(med(reloads[n], 'done')))],
    ['reload: first clusters/list sent', ...NAMES.map((n) => ms(med(reloads[n], 'firstListStarted')))],
    [
      'reload: first rows painted after the first page arrived',
      ...NAMES.map((n) => ms(median(reloads[n].map((l) => l.first - l.firstPageArrived)))),
    ],
    [
      'reload: last resource before it arrived → list sent',
      ...NAMES.map((n) => ms(median(reloads[n].map((l) => l.firstListStarted - l.lastBeforeList)))),
    ],
  ]);

  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const appReload = med(reloads.app, 'first');
  report.add({
    name: 'reload: app ÷ peer',
    value: ratio(appReload, med(reloads.peer, 'first')),
    unit: '×',
    budget: { max: RELOAD_VS_PEER },
  });
  report.add({
    name: 'reload: app ÷ bare page',
    value: ratio(appReload, med(reloads.bare, 'first')),
    unit: '×',
    budget: { max: RELOAD_VS_BARE },
  });
  report.add({
    name: 'navigation from another site: app ÷ peer',
    value: ratio(med(navigations.app, 'first'), med(navigations.peer, 'first')),
    unit: '×',
  });
  report.add({
    name: 'navigation from another site: app ÷ bare page',
    value: ratio(med(navigations.app, 'first'), med(navigations.bare, 'first')),
    unit: '×',
  });
  report.add({
    name: 'fresh sign-in: app ÷ peer',
    value: ratio(median(signIns.app), median(signIns.peer)),
    unit: '×',
    budget: { max: 1 },
  });
  report.add({
    name: 'JS on the path to clusters (app)',
    value: kb(bytes.app.critical),
    unit: 'KB',
    budget: { max: CRITICAL_PATH_BUDGET_KB },
  });
  for (const name of NAMES) {
    report.note(
      `${name} reloads, first rows (ms): ${reloads[name].map((l) => Math.round(l.first)).join(' ')}; navigations: ${navigations[name].map((l) => Math.round(l.first)).join(' ')}`,
    );
  }
  report.note(
    `sign-ins (ms) peer: ${signIns.peer.map(Math.round).join(' ')}; app: ${signIns.app.map(Math.round).join(' ')}`,
  );
  for (const name of ['peer', 'app'] as const) {
    report.note(`${name} reload waterfall, median start→end (ms): ${waterfall(reloads[name])}`);
    report.note(`${name} scripts before the first rows (KB gzip): ${bytes[name].criticalFiles.join(', ')}`);
    report.note(
      `${name} identity-provider requests: fresh sign-in ${idp[name].fresh.join(', ') || 'none'}; reload ${idp[name].reload.join(', ') || 'none'}; expired ${idp[name].expired.join(', ') || 'none'}`,
    );
  }
  report.note(`identity-provider requests during the ${RUNS * 6} timed loads: ${timedIdp.length}`);
  const errors = NAMES.flatMap((n) => subjects[n].errors.map((e) => `${n}: ${e}`));
  if (errors.length) report.note(`Errors in the pages: ${errors.join(' | ')}`);
  const code = report.finish();
  return errors.length ? 1 : code;
});
