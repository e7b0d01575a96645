/**
 * The sandbox control APIs (`/_sandbox/…` on the identity provider and on the workspace) change
 * what the sandbox does; a web page open in the same browser, on this machine, must not reach them.
 * They want a custom header (so a cross-origin page needs a CORS preflight, never granted) and
 * refuse a browser's cross-site requests.
 */
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_HEADER } from '../../src/sandbox/control-guard.ts';
import { removeTestTls, startTestWorkspace, type TestWorkspace } from './databricks/helpers.ts';
import { type Harness, removeSharedState, startHarness } from './entra/support.ts';

let entra: Harness;
let workspace: TestWorkspace;

beforeAll(async () => {
  entra = await startHarness();
  workspace = await startTestWorkspace();
});
afterAll(async () => {
  await entra.close();
  await workspace.close();
  await removeSharedState();
  await removeTestTls();
});

/** What a page's `fetch(url, { method: 'POST', mode: 'no-cors', body })` sends: a simple request. */
const SIMPLE = { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example' };

const services = () =>
  [
    {
      name: 'identity provider',
      url: entra.entra.url,
      change: { method: 'PUT', path: '/_sandbox/faults', body: JSON.stringify({ latencyMs: 5 }) },
      send: (url: string, init: Parameters<typeof fetch>[1]) => entra.fetch(url, init),
      state: async () => (await entra.fetch(`${entra.entra.url}/_sandbox/faults`)).json(),
    },
    {
      name: 'workspace',
      url: workspace.url,
      change: { method: 'PUT', path: '/_sandbox/faults', body: JSON.stringify({ dropConnection: {} }) },
      send: (url: string, init: Parameters<typeof fetch>[1]) =>
        fetch(url, { ...init, dispatcher: workspace.dispatcher }),
      state: async () => (await workspace.call('/_sandbox/faults')).json(),
    },
  ] as const;

describe.each(['identity provider', 'workspace'])("the %s's control API", (name) => {
  const service = () => services().find((candidate) => candidate.name === name)!;

  it.each([
    ['a simple cross-site request (no custom header)', SIMPLE],
    [
      'a request with the header but Sec-Fetch-Site: cross-site',
      { [CONTROL_HEADER]: '1', 'sec-fetch-site': 'cross-site' },
    ],
    [
      'a request with the header but Sec-Fetch-Site: same-site',
      { [CONTROL_HEADER]: '1', 'sec-fetch-site': 'same-site' },
    ],
    ['a request with a wrong header value', { [CONTROL_HEADER]: 'yes' }],
    ['a request without the header', {}],
  ])('refuses %s with 403 and changes nothing', async (_label, headers) => {
    const { url, change, send, state } = service();
    const before = await state();
    const response = await send(`${url}${change.path}`, { method: change.method, headers, body: change.body });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(JSON.stringify(await response.json())).toContain(
      'sec-fetch-site' in headers ? 'Sec-Fetch-Site' : CONTROL_HEADER,
    );
    expect(await state()).toEqual(before);
  });

  it('refuses the CORS preflight a page would have to pass first', async () => {
    const { url, send } = service();
    const response = await send(`${url}/_sandbox/faults`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': CONTROL_HEADER.toLowerCase(),
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('serves a loopback client that sends the header', async () => {
    const { url, send } = service();
    const response = await send(`${url}/_sandbox/requests`, { headers: { [CONTROL_HEADER]: '1' } });
    expect(response.status).toBe(200);
  });
});

describe("the workspace's reset", () => {
  it('cannot be triggered by a form-like POST from another site', async () => {
    await workspace.call('/_sandbox/faults', { method: 'PUT', body: { latency: { ms: 1 } } });
    const response = await fetch(`${workspace.url}/_sandbox/reset`, {
      method: 'POST',
      headers: { ...SIMPLE, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      body: '',
      dispatcher: workspace.dispatcher,
    });
    expect(response.status).toBe(403);
    const faults = (await (await workspace.call('/_sandbox/faults')).json()) as { faults: object };
    expect(faults.faults).toHaveProperty('latency');
    await workspace.call('/_sandbox/faults', { method: 'DELETE' });
  });
});
