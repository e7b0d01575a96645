/**
 * The sandbox's identity provider and workspace close connections that never finish a request:
 * no TLS handshake, unfinished or trickled HTTP/1.1 headers, silent HTTP/2 connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedAfter, slowClients } from '../support/slow-clients.ts';
import { removeTestTls, startTestWorkspace, type TestWorkspace } from './databricks/helpers.ts';
import { type Harness, removeSharedState, startHarness } from './entra/support.ts';

const LIMITS = { headers: 500, idle: 1000 };
let entra: Harness;
let workspace: TestWorkspace;

beforeAll(async () => {
  entra = await startHarness(undefined, { connectionLimits: LIMITS });
  workspace = await startTestWorkspace({}, { connectionLimits: LIMITS });
});
afterAll(async () => {
  await entra.close();
  await workspace.close();
  await removeSharedState();
  await removeTestTls();
});

describe.each(['identity provider', 'workspace'])('the sandbox %s', (name) => {
  it('closes connections that never finish their request and still answers', async () => {
    const base = name === 'workspace' ? workspace.url : entra.entra.url;
    const ca = name === 'workspace' ? workspace.ca : entra.tls.ca;
    // HTTPS servers without HTTP/2: the HTTP/2 kinds would only fail their handshake.
    const sockets = slowClients(Number(new URL(base).port), ca, 5, [
      'no TLS handshake',
      'HTTP/1.1 headers never finished',
      'HTTP/1.1 headers trickled',
    ]);
    const closed = await Promise.all(sockets.map(({ kind, socket }) => closedAfter(kind, socket)));
    expect(closed).toHaveLength(sockets.length);
    expect(closed.filter(({ handshook }) => !handshook)).toEqual([]);
    const response =
      name === 'workspace'
        ? await workspace.call('/_sandbox/requests')
        : await entra.fetch(`${base}/_sandbox/requests`);
    expect(response.status).toBe(200);
  });
});
