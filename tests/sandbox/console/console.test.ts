import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_TIMINGS } from '../../../src/sandbox/databricks/index.ts';
import type { ConsoleEvent } from '../../../src/sandbox/console/index.ts';
import { ensureLocalTls, type RunningSandbox, startSandbox } from '../../../src/sandbox/index.ts';

const DATABRICKS = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

let stateDir: string;
let sandbox: RunningSandbox;
let dispatcher: Agent;
/** Checks the certificate for localhost whatever Host header a request sends. */
let rebinding: Agent;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-console-'));
  const tls = await ensureLocalTls(join(stateDir, 'tls'));
  dispatcher = new Agent({ connect: { ca: tls.ca } });
  rebinding = new Agent({ connect: { ca: tls.ca, servername: 'localhost', checkServerIdentity: () => undefined } });
  sandbox = await startSandbox({ host: '127.0.0.1', tls, stateDir });
});
afterEach(() => sandbox.console.scenarios.reset());
afterAll(async () => {
  await sandbox?.close();
  await dispatcher?.close();
  await rebinding?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const consoleUrl = (path = '') => `${sandbox.entra.url}/_sandbox/console${path}`;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  if (headers.host !== undefined) {
    // fetch() drops a Host header; a lower-level request sends it as a rebinding browser would.
    const answer = await request(consoleUrl(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      dispatcher: rebinding,
    });
    return { status: answer.statusCode, json: () => answer.body.json() };
  }
  return fetch(consoleUrl(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    dispatcher,
  });
}

async function scenario(id: string, on: boolean, user?: string) {
  const response = await post(`/scenarios/${id}`, user === undefined ? { on } : { on, user });
  const state = (await response.json()) as { scenarios: { id: string; on: boolean; status?: string }[] };
  expect(response.status, JSON.stringify(state)).toBe(200);
  return state.scenarios.find((candidate) => candidate.id === id);
}

interface TokenAnswer {
  status: number;
  body: { access_token?: string; refresh_token?: string; expires_in?: number; error_codes?: number[] };
}

async function passwordGrant(upn: string): Promise<TokenAnswer> {
  const response = await fetch(`${sandbox.entra.authority(sandbox.tenantId)}oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: sandbox.clientId,
      grant_type: 'password',
      username: upn,
      password: `${upn.split('@')[0]}-sandbox`,
      scope: `${DATABRICKS}/.default offline_access`,
    }),
    dispatcher,
  });
  return { status: response.status, body: (await response.json()) as TokenAnswer['body'] };
}

async function refreshGrant(refreshToken: string): Promise<TokenAnswer> {
  const response = await fetch(`${sandbox.entra.authority(sandbox.tenantId)}oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: sandbox.clientId,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: `${DATABRICKS}/.default offline_access`,
    }),
    dispatcher,
  });
  return { status: response.status, body: (await response.json()) as TokenAnswer['body'] };
}

async function listClusters(token: string) {
  return fetch(`${sandbox.workspace.url}/api/2.1/clusters/list?page_size=100`, {
    headers: { authorization: `Bearer ${token}` },
    dispatcher,
  });
}

/** Reads the console's event stream until `done` says it has seen enough. */
async function readStream(
  done: (events: ConsoleEvent[]) => boolean,
  headers: Record<string, string> = {},
  whileOpen: () => Promise<void> = async () => {},
): Promise<{ events: ConsoleEvent[]; raw: string }> {
  const controller = new AbortController();
  const response = await fetch(consoleUrl('/events'), {
    headers: { accept: 'text/event-stream', ...headers },
    dispatcher,
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: ConsoleEvent[] = [];
  let raw = '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const started = whileOpen();
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    raw += decoder.decode(value, { stream: true });
    const frames = raw.split('\n\n');
    events.length = 0;
    for (const frame of frames) {
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)) as ConsoleEvent);
    }
  }
  controller.abort();
  await started;
  return { events, raw };
}

describe('the live log', () => {
  it('streams every request both services saw, in order, with user and client ID and no secret', async () => {
    sandbox.console.scenarios.reset();
    const after = sandbox.console.events.since(0).at(-1)?.id ?? 0;
    let secrets: string[] = [];
    const { events, raw } = await readStream(
      (seen) => seen.filter((event) => event.id > after).length >= 3,
      { 'last-event-id': String(after) },
      async () => {
        const token = await passwordGrant('ben@contoso.example');
        const body = token.body;
        secrets = [body.access_token ?? 'missing', body.refresh_token ?? 'missing', 'ben-sandbox'];
        expect((await listClusters(body.access_token ?? '')).status).toBe(200);
        // An authorize request carries state, nonce and a PKCE challenge in its query.
        await fetch(
          `${sandbox.entra.authority(sandbox.tenantId)}oauth2/v2.0/authorize?client_id=${sandbox.clientId}&response_type=code&state=s3cret-state&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&redirect_uri=${encodeURIComponent('https://localhost:5173/')}&scope=openid`,
          { dispatcher },
        );
      },
    );
    const mine = events.filter((event) => event.id > after);
    expect(
      mine.map((event) => `${event.service} ${event.method} ${event.path.replace(sandbox.tenantId, '{tenant}')}`),
    ).toEqual([
      'entra POST /{tenant}/oauth2/v2.0/token',
      'workspace GET /api/2.1/clusters/list',
      'entra GET /{tenant}/oauth2/v2.0/authorize',
    ]);
    expect(mine.map((event) => event.id)).toEqual([after + 1, after + 2, after + 3]);
    expect(mine[0]).toMatchObject({
      status: 200,
      user: 'ben@contoso.example',
      clientId: sandbox.clientId,
      detail: 'password',
    });
    expect(mine[1]).toMatchObject({
      status: 200,
      user: 'ben@contoso.example',
      clientId: sandbox.clientId,
      query: 'page_size=100',
    });
    expect(mine[2]?.query).toContain('state=[redacted]');
    expect(mine[2]?.query).toContain(`client_id=${sandbox.clientId}`);
    for (const event of mine) {
      expect(typeof event.durationMs).toBe('number');
      expect(Date.parse(event.time)).not.toBeNaN();
    }
    for (const secret of [...secrets, 's3cret-state', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'])
      expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  it('resumes after the last event a page saw, so a reconnect misses nothing and repeats nothing', async () => {
    await passwordGrant('ana@contoso.example');
    const last = sandbox.console.events.since(0).at(-1)?.id ?? 0;
    await passwordGrant('eve@contoso.example'); // Eve needs MFA: 400
    const { events } = await readStream((seen) => seen.length >= 1, { 'last-event-id': String(last) });
    expect(events.map((event) => [event.id, event.status, event.user])).toEqual([[last + 1, 400, undefined]]);
  });

  it('sends the last events first to a page that connects', async () => {
    await passwordGrant('ana@contoso.example');
    const newest = sandbox.console.events.since(0).at(-1)?.id;
    const { events } = await readStream((seen) => seen.some((event) => event.id === newest));
    expect(events.at(-1)?.id).toBe(newest);
  });
});

describe('scenarios', () => {
  it('short-lived tokens: new access tokens expire in 4 minutes, and after switching off in an hour or more', async () => {
    expect(await scenario('short-lived-tokens', true)).toMatchObject({ on: true });
    expect((await passwordGrant('ana@contoso.example')).body.expires_in).toBe(240);
    expect(await scenario('short-lived-tokens', false)).toMatchObject({ on: false });
    expect((await passwordGrant('ana@contoso.example')).body.expires_in).toBeGreaterThanOrEqual(3600);
  });

  it("revoking a user's sessions ends their refresh tokens; a new sign-in works", async () => {
    const before = await passwordGrant('ana@contoso.example');
    const ben = await passwordGrant('ben@contoso.example');
    const on = await scenario('revoke-sessions', true, 'ana@contoso.example');
    expect(on?.status).toMatch(/^Revoked at \d\d:\d\d:\d\d UTC$/);
    expect((await refreshGrant(before.body.refresh_token ?? '')).body.error_codes).toEqual([50173]);
    expect((await refreshGrant(ben.body.refresh_token ?? '')).status).toBe(200);
    // The revocation was a moment: Ana's new sign-in survives other scenarios being switched.
    const again = await passwordGrant('ana@contoso.example');
    await scenario('short-lived-tokens', true);
    expect((await refreshGrant(again.body.refresh_token ?? '')).status).toBe(200);
    expect(await scenario('revoke-sessions', false)).toMatchObject({ on: false });
  });

  it('a user who needs MFA: refresh tokens without MFA and password sign-ins get AADSTS50076 until switched off', async () => {
    const before = await passwordGrant('ana@contoso.example');
    await scenario('require-mfa', true, 'ana@contoso.example');
    expect((await refreshGrant(before.body.refresh_token ?? '')).body.error_codes).toEqual([50076]);
    expect((await passwordGrant('ana@contoso.example')).body.error_codes).toEqual([50076]);
    expect((await passwordGrant('ben@contoso.example')).status).toBe(200);
    await scenario('require-mfa', false);
    expect((await refreshGrant(before.body.refresh_token ?? '')).status).toBe(200);
  });

  it('consent withdrawn: token requests get AADSTS65001 until switched off', async () => {
    const before = await passwordGrant('ana@contoso.example');
    await scenario('withdraw-consent', true, 'ana@contoso.example');
    expect((await refreshGrant(before.body.refresh_token ?? '')).body.error_codes).toEqual([65001]);
    expect((await passwordGrant('ana@contoso.example')).body.error_codes).toEqual([65001]);
    await scenario('withdraw-consent', false);
    expect((await passwordGrant('ana@contoso.example')).status).toBe(200);
  });

  it('workspace faults: rate limited with Retry-After, 503, 500 and dropped connections, each undone', async () => {
    const token = (await passwordGrant('ben@contoso.example')).body.access_token ?? '';
    await scenario('rate-limited', true);
    const limited = await listClusters(token);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '5']);
    await scenario('rate-limited', false);
    for (const status of [503, 500]) {
      await scenario(`outage-${status}`, true);
      expect((await listClusters(token)).status).toBe(status);
      await scenario(`outage-${status}`, false);
    }
    await scenario('dropped-connections', true);
    await expect(listClusters(token)).rejects.toThrow();
    await scenario('dropped-connections', false);
    expect((await listClusters(token)).status).toBe(200);
    expect(sandbox.workspace.controls.faults()).toEqual({});
  });

  it('a slow workspace delays every call until switched off', async () => {
    expect(await scenario('slow-workspace', true)).toMatchObject({ on: true });
    expect(sandbox.workspace.controls.faults().latency).toEqual({ ms: 3000 });
    await scenario('slow-workspace', false);
    expect(sandbox.workspace.controls.faults().latency).toBeUndefined();
  });

  it('10,000 clusters, then the configured set again', async () => {
    await scenario('many-clusters', true);
    expect(sandbox.workspace.controls.inspect().clusterCount).toBe(10_000);
    await scenario('many-clusters', false);
    expect(sandbox.workspace.controls.inspect().clusterCount).toBe(13);
  });

  it('a cluster starting and stopping, on the workspace clock', async () => {
    expect(sandbox.workspace.controls.findCluster('ana-scratch')?.state).toBe('TERMINATED');
    expect((await scenario('cluster-lifecycle', true))?.status).toBe('ana-scratch: PENDING');
    const moved = await post('/clock', { advanceMs: CLUSTER_TIMINGS.pendingMs });
    expect(moved.status).toBe(200);
    expect(sandbox.workspace.controls.findCluster('ana-scratch')?.state).toBe('RUNNING');
    expect((await scenario('cluster-lifecycle', false))?.status).toBe('ana-scratch: TERMINATING');
    sandbox.workspace.controls.advanceClock(CLUSTER_TIMINGS.terminatingMs);
    expect(sandbox.workspace.controls.findCluster('ana-scratch')?.state).toBe('TERMINATED');
  });

  it('reset switches every scenario off', async () => {
    for (const id of ['short-lived-tokens', 'slow-workspace', 'many-clusters', 'require-mfa']) await scenario(id, true);
    await passwordGrant('ana@contoso.example');
    expect(sandbox.console.events.since(0).length).toBeGreaterThan(0);
    const response = await post('/scenarios/reset', { on: true });
    const state = (await response.json()) as { scenarios: { on: boolean }[] };
    expect(state.scenarios.every((candidate) => !candidate.on)).toBe(true);
    expect(sandbox.entra.faults()).toEqual({});
    expect(sandbox.workspace.controls.inspect().clusterCount).toBe(13);
    expect(sandbox.console.events.since(0)).toEqual([]);
  });

  it.each([
    ['an unknown scenario', '/scenarios/nope', { on: true }, 404, 'CONSOLE_UNKNOWN_SCENARIO'],
    [
      'an unknown user',
      '/scenarios/require-mfa',
      { on: true, user: 'zed@contoso.example' },
      400,
      'CONSOLE_UNKNOWN_USER',
    ],
    ['a body without on', '/scenarios/slow-workspace', { enable: true }, 400, 'CONSOLE_BAD_REQUEST'],
    ['a clock moved backwards', '/clock', { advanceMs: -1 }, 400, 'CONSOLE_BAD_REQUEST'],
  ])('refuses %s with a message saying what to send', async (_name, path, body, status, code) => {
    const response = await post(path, body);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe(code);
    expect(answer.error.message.length).toBeGreaterThan(20);
  });
});

describe('the console keeps other web pages out', () => {
  it.each([
    ['a cross-site request', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site request from another port', { 'sec-fetch-site': 'same-site' }],
    ['another origin', { origin: 'http://127.0.0.1:6999' }],
    ['another host name (DNS rebinding)', { host: 'rebind.example' }],
    ['a simple (form) content type', { 'content-type': 'text/plain' }],
  ])('refuses %s with 403 and changes nothing', async (_name, headers) => {
    const response = await post('/scenarios/slow-workspace', { on: true }, headers);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('CONSOLE_REFUSED');
    expect(sandbox.workspace.controls.faults()).toEqual({});
  });

  it('grants no CORS preflight and sends no CORS headers', async () => {
    const response = await fetch(consoleUrl('/scenarios/slow-workspace'), {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:6999', 'access-control-request-method': 'POST' },
      dispatcher,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('serves its page with a strict policy: no inline script, never framed', async () => {
    const response = await fetch(consoleUrl(), { dispatcher });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=/i);
  });
});
