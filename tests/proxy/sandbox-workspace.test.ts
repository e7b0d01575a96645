/**
 * The proxy in front of the sandbox Databricks workspace (helper B's `startWorkspace`), the way
 * `npm start` runs them: whatever the workspace answers directly, the proxy answers the same.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RESOURCE_ID,
  removeTestTls as removeWorkspaceTls,
  startTestWorkspace,
  type TestWorkspace,
} from '../sandbox/databricks/helpers.ts';
import { createClient, removeTestTls, startProxy, type ProxyServer } from './helpers.ts';

let workspace: TestWorkspace;
let proxy: ProxyServer;
let client: Awaited<ReturnType<typeof createClient>>;

beforeAll(async () => {
  workspace = await startTestWorkspace({ rateLimit: false });
  // The workspace has its own test CA; the proxy trusts it the way the plugin trusts the sandbox's.
  proxy = await startProxy({ extraHosts: [new URL(workspace.url).host], extraCa: workspace.ca });
  client = await createClient({ allowH2: true });
});

afterAll(async () => {
  await client.close();
  await proxy.close();
  await workspace.close();
  removeTestTls();
  await removeWorkspaceTls();
});

async function throughProxy(path: string, headers: Record<string, string> = {}) {
  const response = await request(`${proxy.origin}/databricks/${new URL(workspace.url).host}${path}`, {
    dispatcher: client,
    headers,
  });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

async function direct(path: string, headers: Record<string, string> = {}) {
  const response = await workspace.call(path, { headers });
  return { status: response.status, body: await response.text() };
}

describe('the proxy in front of the sandbox workspace', () => {
  it.each([
    ['an admin listing clusters (2.0)', 'ben', '/api/2.0/clusters/list'],
    ['an ordinary user listing clusters (2.1, first page)', 'ana', '/api/2.1/clusters/list?page_size=2'],
    ['a user who is not in the workspace (403)', 'carl', '/api/2.0/clusters/list'],
    ['an unknown cluster (400)', 'ben', '/api/2.1/clusters/get?cluster_id=0000-000000-nothere0'],
    ['the current user', 'ana', '/api/2.0/preview/scim/v2/Me'],
    ['an unknown API (404)', 'ana', '/api/2.0/no/such/api'],
  ] as const)('answers exactly what the workspace answers for %s', async (_name, user, path) => {
    const token = await workspace.token(user);
    const headers = { authorization: `Bearer ${token}` };
    const expected = await direct(path, headers);
    const actual = await throughProxy(path, headers);
    expect(actual.status).toBe(expected.status);
    expect(actual.body).toBe(expected.body);
  });

  it('passes the 401 for a missing token through', async () => {
    const expected = await direct('/api/2.0/clusters/list');
    const actual = await throughProxy('/api/2.0/clusters/list');
    expect(expected.status).toBe(401);
    expect(actual).toMatchObject(expected);
  });

  it('walks every 2.1 page through the proxy with the same tokens the workspace hands out', async () => {
    const token = await workspace.token('ben');
    const ids: string[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const query = `page_size=3${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
      const { status, body } = await throughProxy(`/api/2.1/clusters/list?${query}`, {
        authorization: `Bearer ${token}`,
      });
      expect(status).toBe(200);
      const parsed = JSON.parse(body) as { clusters?: { cluster_id: string }[]; next_page_token?: string };
      ids.push(...(parsed.clusters ?? []).map((c) => c.cluster_id));
      pageToken = parsed.next_page_token;
      if (!pageToken) break;
    }
    const all = JSON.parse((await direct('/api/2.0/clusters/list', { authorization: `Bearer ${token}` })).body) as {
      clusters: { cluster_id: string }[];
    };
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(all.clusters.map((c) => c.cluster_id).sort());
  });

  it('forwards the workspace resource ID header, so a Contributor is provisioned as admin', async () => {
    const token = await workspace.token('fay');
    const withHeader = await throughProxy('/api/2.0/preview/scim/v2/Me', {
      authorization: `Bearer ${token}`,
      'x-databricks-azure-workspace-resource-id': RESOURCE_ID,
    });
    expect(withHeader.status).toBe(200);
    expect(withHeader.body).toContain('fay@contoso.example');
  });

  it("never exposes the sandbox's control API", async () => {
    const response = await throughProxy('/_sandbox/requests');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe('PROXY_PATH_NOT_ALLOWED');
  });

  it('answers 502 when the workspace drops the connection, and passes its 503 through', async () => {
    const token = await workspace.token('ben');
    const headers = { authorization: `Bearer ${token}` };
    await workspace.call('/_sandbox/faults', { method: 'PUT', body: { dropConnection: { count: 1 } } });
    const dropped = await throughProxy('/api/2.0/clusters/list', headers);
    expect(dropped.status).toBe(502);
    expect(JSON.parse(dropped.body).error.code).toBe('PROXY_UPSTREAM_UNREACHABLE');

    await workspace.call('/_sandbox/faults', { method: 'PUT', body: { unavailable: { status: 503, count: 1 } } });
    const unavailable = await throughProxy('/api/2.0/clusters/list', headers);
    expect(unavailable.status).toBe(503);
    expect(JSON.parse(unavailable.body).error_code).toBe('TEMPORARILY_UNAVAILABLE');
    await workspace.call('/_sandbox/faults', { method: 'DELETE' });
  });
});
