import { expect, type Page, type Request } from '@playwright/test';
import { CONTROL_HEADER } from '../../../src/sandbox/control-guard.ts';

/**
 * Helpers for the drills and security checks: the sandbox's ports, its control APIs, the sign-in
 * page, and a watch over the page's requests and console. Each server runs the sandbox Entra ID
 * on PORT+1 and the sandbox workspace on PORT+2.
 */

/** A JWT as the sandbox issues them (header `eyJ…`), anywhere in a string. */
export const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;

export const CLUSTERS_LIST = '/api/2.1/clusters/list';

export function ports(baseURL: string | undefined) {
  const app = Number(new URL(baseURL ?? 'https://localhost:5273').port);
  return { app, entra: app + 1, workspace: app + 2 };
}

export interface Watch {
  /** Identity-provider requests (`METHOD /path`), sandbox assets excluded. */
  idp: string[];
  /** Calls through the proxy, `METHOD /api/…?query`. */
  workspace: string[];
  /** Every request URL the page made. */
  urls: string[];
  console: string[];
}

/** Records identity-provider requests, workspace calls through the proxy, every URL and console output. */
export function watch(page: Page, entraPort: number): Watch {
  const seen: Watch = { idp: [], workspace: [], urls: [], console: [] };
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    seen.urls.push(request.url());
    if (url.port === String(entraPort) && !url.pathname.startsWith('/sandbox-assets'))
      seen.idp.push(`${request.method()} ${url.pathname}`);
    if (url.pathname.startsWith('/databricks/'))
      seen.workspace.push(`${request.method()} ${url.pathname.replace(/^\/databricks\/[^/]+/, '')}${url.search}`);
  });
  page.on('console', (message) => seen.console.push(message.text()));
  page.on('pageerror', (error) => seen.console.push(`pageerror: ${error.message}`));
  return seen;
}

/** No token-shaped string in the page's URL, its console output or its localStorage, and no code in the URL. */
export async function expectNoTokenLeaks(page: Page, seen: Watch) {
  expect(page.url()).not.toMatch(JWT_SHAPED);
  expect(page.url()).not.toMatch(/[#&?]code=/);
  for (const line of seen.console) expect(line).not.toMatch(JWT_SHAPED);
  const local = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  expect(local).not.toMatch(JWT_SHAPED);
}

export async function signInOnSandboxPage(page: Page, upn: string, password = `${upn.split('@')[0]}-sandbox`) {
  await page.getByLabel(/user ?name|email/i).fill(upn);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** Signs in from the landing page and waits for the first cluster row. */
export async function signInAs(page: Page, upn: string) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInOnSandboxPage(page, upn);
  await expect(page.getByRole('button', { name: /^Details of / }).first()).toBeVisible();
}

type Method = 'GET' | 'PUT' | 'DELETE' | 'POST';

/** Calls a sandbox control API (`/_sandbox/…`) on the given port and returns the parsed JSON answer. */
export async function control(
  page: Page,
  port: number,
  method: Method,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await page.request.fetch(`https://localhost:${port}${path}`, {
    method,
    headers: { [CONTROL_HEADER]: '1', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
    ignoreHTTPSErrors: true,
  });
  expect(response.ok(), `${method} ${path} answered ${response.status()}: ${await response.text()}`).toBe(true);
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

export interface SandboxRequest {
  method: string;
  path: string;
  pageToken?: string;
  status: number;
  at: string;
  remotePort?: number;
}

/** The sandbox's request log on that port (Entra ID or workspace). */
export async function sandboxRequests(page: Page, port: number): Promise<SandboxRequest[]> {
  return (await control(page, port, 'GET', '/_sandbox/requests')) as SandboxRequest[];
}

/** Replaces the workspace's faults, or clears them with `null`. */
export async function workspaceFaults(page: Page, workspacePort: number, faults: unknown) {
  await control(page, workspacePort, faults === null ? 'DELETE' : 'PUT', '/_sandbox/faults', faults ?? undefined);
}

/** Replaces the sandbox Entra ID's faults (a token lifetime, revoked refresh tokens, a failing token endpoint). */
export async function entraFaults(page: Page, entraPort: number, faults: Record<string, unknown>) {
  await control(page, entraPort, 'PUT', '/_sandbox/faults', faults);
}

/** The statuses the workspace logged for the cluster list, oldest first. */
export async function clusterListStatuses(page: Page, workspacePort: number): Promise<number[]> {
  return (await sandboxRequests(page, workspacePort)).filter((r) => r.path === CLUSTERS_LIST).map((r) => r.status);
}

/** Presses Refresh on the Clusters tab. */
export async function refreshClusters(page: Page) {
  await page.getByRole('button', { name: 'Refresh' }).click();
}

/** The demo clusters are listed and no error is shown. */
export async function expectClustersShown(page: Page) {
  await expect(page.getByRole('button', { name: 'Details of shared-analytics' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
}

/** Collects the Content Security Policy violations the page reports in its console. */
export function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** The error panel explains the failure under `heading`, and names it (`mentions`). */
export async function expectExplained(
  page: Page,
  heading: string,
  mentions?: string,
  options: { timeout?: number } = {},
) {
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: heading })).toBeVisible(options);
  if (mentions !== undefined) await expect(alert).toContainText(mentions);
}

/** Presses "Try again" in the error panel. */
export async function tryAgain(page: Page) {
  await page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
}
