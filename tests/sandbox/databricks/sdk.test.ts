import { Agent } from 'node:https';
import { ApiError, type compute, retries, WorkspaceClient } from '@databricks/sdk-experimental';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoUser, RESOURCE_ID, setUpWorkspacePerTest } from './helpers.ts';

/**
 * The official JS SDK against the sandbox, through its normal code path: PAT auth mode carrying
 * an Entra-shaped bearer token, TLS verified (skipVerify: false) against the local CA, which is
 * passed as the https agent the SDK's ApiClient accepts in place of NODE_EXTRA_CA_CERTS.
 */

const t = setUpWorkspacePerTest();
let agents: Agent[] = [];
afterEach(() => {
  for (const a of agents) a.destroy();
  agents = [];
});

async function client(
  user: DemoUser,
  options: { retryTimeoutSeconds?: number; ca?: string | null } = {},
): Promise<WorkspaceClient> {
  const agent = new Agent({ keepAlive: true, ...(options.ca === null ? {} : { ca: options.ca ?? t.ca }) });
  agents.push(agent);
  return new WorkspaceClient(
    {
      host: t.url,
      token: await t.token(user),
      authType: 'pat',
      skipVerify: false,
      retryTimeoutSeconds: options.retryTimeoutSeconds ?? 30,
    },
    { agent, product: 'entra-explorer-tests', productVersion: '0.1.0' },
  );
}

async function collect(
  w: WorkspaceClient,
  request: compute.ListClustersRequest = {},
): Promise<compute.ClusterDetails[]> {
  const all: compute.ClusterDetails[] = [];
  for await (const c of w.clusters.list(request)) all.push(c);
  return all;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

const putFaults = (faults: unknown) => t.call('/_sandbox/faults', { method: 'PUT', body: faults });

describe('WorkspaceClient against the sandbox workspace', () => {
  it('lists every cluster across pages of the 2.1 list', async () => {
    const w = await client('ben');
    const all = await collect(w, { page_size: 3 });
    expect(all).toHaveLength(13);
    expect(new Set(all.map((c) => c.cluster_id)).size).toBe(13);
    const requests = (await (await t.call('/_sandbox/requests')).json()) as { path: string }[];
    expect(requests.filter((r) => r.path === '/api/2.1/clusters/list')).toHaveLength(5);
  });

  it('lists a large generated set through the default page size', async () => {
    await t.call('/_sandbox/clusters', { method: 'PUT', body: { generate: { count: 1000, seed: 4 } } });
    await t.call('/_sandbox/rate-limit', { method: 'PUT', body: false });
    const all = await collect(await client('ben'), { page_size: 100 });
    expect(new Set(all.map((c) => c.cluster_id)).size).toBe(1000);
  });

  it('sends 2.1 filters in the dotted form the sandbox reads', async () => {
    const w = await client('ben');
    const running = await collect(w, { filter_by: { cluster_states: ['RUNNING', 'PENDING'], is_pinned: true } });
    expect(running.map((c) => c.cluster_name).sort()).toEqual(['bi-dashboards', 'shared-analytics']);
    const jobs = await collect(w, {
      filter_by: { cluster_sources: ['JOB'] },
      sort_by: { field: 'CLUSTER_NAME', direction: 'ASC' },
    });
    expect(jobs.map((c) => c.cluster_source)).toEqual(['JOB']);
  });

  it('gets one cluster, with its spec', async () => {
    const c = await (await client('ana')).clusters.get({ cluster_id: '0612-081530-k3v9x2ab' });
    expect(c.cluster_name).toBe('shared-analytics');
    expect(c.spec?.autoscale).toEqual({ min_workers: 2, max_workers: 8 });
  });

  it('reads the current user, runtime versions and node types', async () => {
    const w = await client('ana');
    expect((await w.currentUser.me()).userName).toBe('ana@contoso.example');
    expect((await w.clusters.sparkVersions()).versions?.length).toBeGreaterThan(3);
    expect((await w.clusters.listNodeTypes()).node_types?.map((n) => n.node_type_id)).toContain('Standard_DS3_v2');
  });

  it('refuses the sandbox certificate when the local CA is not trusted, so TLS really is verified', async () => {
    const w = await client('ben', { ca: null });
    await expect(w.clusters.sparkVersions()).rejects.toThrow(/certificate/i);
  });

  it('lists everything for a Contributor only after the resource-ID header provisions her', async () => {
    const fay = await client('fay');
    expect((await failure(fay.clusters.sparkVersions())).statusCode).toBe(403);
    const res = await t.get('/api/2.0/clusters/list', 'fay', {
      'X-Databricks-Azure-Workspace-Resource-Id': RESOURCE_ID,
    });
    expect(res.status).toBe(200);
    expect(await collect(fay)).toHaveLength(13);
  });
});

describe('sandbox errors as the SDK classifies them', () => {
  it('surfaces an expired token as ApiError 401', async () => {
    const w = new WorkspaceClient(
      { host: t.url, token: await t.token('ben', { expiresIn: -60 }), authType: 'pat', skipVerify: false },
      { agent: new Agent({ ca: t.ca }) },
    );
    const e = await failure(w.clusters.sparkVersions());
    expect(e.statusCode).toBe(401);
    expect(e.errorCode).toBe(401);
    expect(e.message).toBe('Token is expired');
  });

  it('surfaces a non-member as ApiError 403 PERMISSION_DENIED', async () => {
    const e = await failure(collect(await client('carl')));
    expect(e.statusCode).toBe(403);
    expect(e.errorCode).toBe('PERMISSION_DENIED');
    expect(e.getErrorInfo()).toHaveLength(1);
  });

  it('surfaces an unknown endpoint as ApiError 404 ENDPOINT_NOT_FOUND', async () => {
    const w = await client('ben');
    const e = await failure(
      w.apiClient.request({ path: '/api/2.0/clusters/nothing', method: 'GET', headers: new Headers(), raw: false }),
    );
    expect(e.statusCode).toBe(404);
    expect(e.errorCode).toBe('ENDPOINT_NOT_FOUND');
    expect(e.message).toBe("No API found for 'GET /api/2.0/clusters/nothing'");
  });

  it('surfaces an unknown cluster as ApiError 400 INVALID_PARAMETER_VALUE', async () => {
    const e = await failure((await client('ben')).clusters.get({ cluster_id: '0101-000000-missing0' }));
    expect(e.statusCode).toBe(400);
    expect(e.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(e.message).toBe('Cluster 0101-000000-missing0 does not exist');
  });

  it('reads the claim mismatch from the HTML page, as it does for a real workspace', async () => {
    const w = new WorkspaceClient(
      {
        host: t.url,
        token: await t.token('ben', { claims: { aud: 'https://management.core.windows.net/' } }),
        authType: 'pat',
        skipVerify: false,
      },
      { agent: new Agent({ ca: t.ca }) },
    );
    const e = await failure(w.clusters.sparkVersions());
    expect(e.statusCode).toBe(400);
    expect(e.errorCode).toBe('Bad Request');
    expect(e.message).toBe(
      'io.jsonwebtoken.IncorrectClaimException: Expected aud claim to be: 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d, but was: https://management.core.windows.net/',
    );
  });

  it('retries a 429 and then succeeds', async () => {
    await putFaults({ rateLimited: { count: 1, retryAfterSeconds: 1 } });
    const all = await collect(await client('ben'));
    expect(all).toHaveLength(13);
    const statuses = ((await (await t.call('/_sandbox/requests')).json()) as { status: number }[]).map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('gives up on a 429 that does not clear once its retry budget is spent', async () => {
    await putFaults({ rateLimited: { retryAfterSeconds: 1 } });
    const w = await client('ben', { retryTimeoutSeconds: 1 });
    await expect(w.clusters.sparkVersions()).rejects.toBeInstanceOf(retries.TimeoutError);
  });

  it.each([
    [503, 'TEMPORARILY_UNAVAILABLE'],
    [500, 'INTERNAL_ERROR'],
  ])('surfaces a %i without retrying, as ApiError %s', async (status, code) => {
    await putFaults({ unavailable: { status } });
    const e = await failure((await client('ben')).clusters.sparkVersions());
    expect(e.statusCode).toBe(status);
    expect(e.errorCode).toBe(code);
    expect(((await (await t.call('/_sandbox/requests')).json()) as unknown[]).length).toBe(1);
  });

  it('surfaces the token-expired fault as ApiError 401', async () => {
    await putFaults({ tokenExpired: {} });
    const e = await failure((await client('ben')).currentUser.me());
    expect(e.statusCode).toBe(401);
    expect(e.message).toBe('Token is expired');
  });

  it('fails with a connection error when the connection is dropped', async () => {
    await putFaults({ dropConnection: { count: 1 } });
    const w = await client('ben');
    const e = await w.clusters.sparkVersions().then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException,
    );
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(ApiError);
    expect(e?.code ?? e?.message).toMatch(/ECONNRESET|socket hang up/);
  });
});
