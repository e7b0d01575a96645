import { describe, expect, it } from 'vitest';
import { setUpWorkspacePerTest, TENANT, walkPages } from './helpers.ts';

interface Cluster {
  cluster_id: string;
  cluster_name: string;
  state: string;
  cluster_source: string;
  policy_id?: string;
  pinned_by_user_name?: string;
  spec?: unknown;
}
interface ListBody {
  clusters?: Cluster[];
  next_page_token?: string;
  prev_page_token?: string;
}

const t = setUpWorkspacePerTest();

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

describe('GET /api/2.0/clusters/list', () => {
  it('returns every cluster to an admin in one answer, without paging tokens', async () => {
    const res = await t.get('/api/2.0/clusters/list', 'ben');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await json<ListBody>(res);
    expect(body.clusters).toHaveLength(13);
    expect(Object.keys(body)).toEqual(['clusters']);
  });

  it('shows a user only the clusters they created or were granted', async () => {
    const ana = await json<ListBody>(await t.get('/api/2.0/clusters/list', 'ana'));
    expect(ana.clusters?.map((c) => c.cluster_name).sort()).toEqual(
      [
        "SQL Warehouse 'BI Serverless' (sql-warehouse-backing)",
        'ana-scratch',
        'bi-dashboards',
        'shared-analytics',
      ].sort(),
    );
    const eve = await json<ListBody>(await t.get('/api/2.0/clusters/list', 'eve'));
    expect(eve.clusters?.map((c) => c.cluster_name)).toEqual(['security-audit']);
  });

  it('omits spec from list entries', async () => {
    const body = await json<ListBody>(await t.get('/api/2.0/clusters/list', 'ben'));
    expect(body.clusters?.every((c) => c.spec === undefined)).toBe(true);
  });

  it('rejects an unknown can_use_client value with 400 INVALID_PARAMETER_VALUE', async () => {
    const res = await t.get('/api/2.0/clusters/list?can_use_client=BROWSER', 'ben');
    expect(res.status).toBe(400);
    expect(await json<{ error_code: string }>(res)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('GET /api/2.1/clusters/list', () => {
  it('pages with next and prev tokens and leaves next_page_token off the last page', async () => {
    const token = await t.token('ben');
    const auth = { Authorization: `Bearer ${token}` };
    const first = await json<ListBody>(await t.call('/api/2.1/clusters/list?page_size=5', { headers: auth }));
    expect(first.clusters).toHaveLength(5);
    expect(first.prev_page_token).toBeUndefined();
    expect(first.next_page_token).toEqual(expect.any(String));
    const second = await json<ListBody>(
      await t.call(`/api/2.1/clusters/list?page_size=5&page_token=${first.next_page_token}`, { headers: auth }),
    );
    expect(second.prev_page_token).toEqual(expect.any(String));
    const third = await json<ListBody>(
      await t.call(`/api/2.1/clusters/list?page_size=5&page_token=${second.next_page_token}`, { headers: auth }),
    );
    expect(third.clusters).toHaveLength(3);
    expect(third.next_page_token).toBeUndefined();
    const back = await json<ListBody>(
      await t.call(`/api/2.1/clusters/list?page_size=5&page_token=${second.prev_page_token}`, { headers: auth }),
    );
    expect(back.clusters).toEqual(first.clusters);
  });

  it('returns every visible cluster exactly once across pages', async () => {
    const all = await json<ListBody>(await t.get('/api/2.0/clusters/list', 'ben'));
    const { ids, pages } = await walkPages(t, 'ben', 'page_size=2');
    expect(pages).toBe(7);
    expect(ids).toEqual(all.clusters?.map((c) => c.cluster_id));
  });

  it('filters by repeated states in the dotted query form', async () => {
    const body = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?filter_by.cluster_states=RUNNING&filter_by.cluster_states=PENDING', 'ben'),
    );
    expect(new Set(body.clusters?.map((c) => c.state))).toEqual(new Set(['RUNNING', 'PENDING']));
    expect(body.clusters).toHaveLength(5);
  });

  it('filters by sources, pinned and policy together', async () => {
    const bySource = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?filter_by.cluster_sources=JOB&filter_by.cluster_sources=PIPELINE', 'ben'),
    );
    expect(bySource.clusters?.map((c) => c.cluster_source).sort()).toEqual(['JOB', 'PIPELINE']);
    const pinned = await json<ListBody>(await t.get('/api/2.1/clusters/list?filter_by.is_pinned=true', 'ben'));
    expect(pinned.clusters?.map((c) => c.cluster_name).sort()).toEqual(['bi-dashboards', 'shared-analytics']);
    const unpinned = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?filter_by.is_pinned=false&page_size=100', 'ben'),
    );
    expect(unpinned.clusters).toHaveLength(11);
    const policy = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?filter_by.policy_id=E0631F5C0D000A1F', 'ben'),
    );
    expect(policy.clusters?.map((c) => c.cluster_name)).toEqual(['bi-dashboards']);
    const none = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?filter_by.is_pinned=true&filter_by.cluster_states=TERMINATED', 'ben'),
    );
    expect(none.clusters).toEqual([]);
    expect(none.next_page_token).toBeUndefined();
  });

  it('applies filters on top of what the user may see', async () => {
    const body = await json<ListBody>(await t.get('/api/2.1/clusters/list?filter_by.cluster_states=TERMINATED', 'ana'));
    expect(body.clusters?.map((c) => c.cluster_name)).toEqual(['ana-scratch']);
  });

  it('sorts by cluster name in either direction', async () => {
    const asc = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?sort_by.field=CLUSTER_NAME&sort_by.direction=ASC&page_size=100', 'ben'),
    );
    const names = asc.clusters?.map((c) => c.cluster_name) ?? [];
    expect(names).toEqual([...names].sort());
    const desc = await json<ListBody>(
      await t.get('/api/2.1/clusters/list?sort_by.field=CLUSTER_NAME&sort_by.direction=DESC&page_size=100', 'ben'),
    );
    expect(desc.clusters?.map((c) => c.cluster_name)).toEqual([...names].reverse());
  });

  it.each([
    ['an unknown state', 'filter_by.cluster_states=SLEEPING', "Invalid value 'SLEEPING' for filter_by.cluster_states"],
    ['an unknown source', 'filter_by.cluster_sources=CRON', "Invalid value 'CRON' for filter_by.cluster_sources"],
    ['a capitalised boolean', 'filter_by.is_pinned=True', "Invalid value 'True' for filter_by.is_pinned"],
    ['a negative page size', 'page_size=-1', "Invalid value '-1' for page_size"],
    ['an unknown sort field', 'sort_by.field=STATE', "Invalid value 'STATE' for sort_by.field"],
    ['a made-up page token', 'page_token=bm90LWEtdG9rZW4', 'Invalid page_token'],
  ])('answers 400 INVALID_PARAMETER_VALUE to %s', async (_label, query, message) => {
    const res = await t.get(`/api/2.1/clusters/list?${query}`, 'ben');
    expect(res.status).toBe(400);
    const body = await json<{ error_code: string; message: string; details: unknown[] }>(res);
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(body.message).toContain(message);
    expect(body.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'INVALID_PARAMETER_VALUE',
        domain: expect.any(String),
        metadata: {},
      },
    ]);
  });

  it('refuses a page token with a different filter than the page it came from', async () => {
    const first = await json<ListBody>(await t.get('/api/2.1/clusters/list?page_size=2', 'ben'));
    const res = await t.get(
      `/api/2.1/clusters/list?page_size=2&filter_by.cluster_states=RUNNING&page_token=${first.next_page_token}`,
      'ben',
    );
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain('does not belong to this filter and sort');
  });

  it('refuses a page token from before the cluster set changed', async () => {
    const first = await json<ListBody>(await t.get('/api/2.1/clusters/list?page_size=2', 'ben'));
    await t.call('/_sandbox/clusters', { method: 'PUT', body: { generate: { count: 50, seed: 1 } } });
    const res = await t.get(`/api/2.1/clusters/list?page_size=2&page_token=${first.next_page_token}`, 'ben');
    expect(res.status).toBe(400);
    expect((await json<{ message: string }>(res)).message).toContain('cluster list changed');
  });

  it('caps page_size at 100 and uses 20 when it is left out', async () => {
    await t.call('/_sandbox/clusters', { method: 'PUT', body: { generate: { count: 250, seed: 5 } } });
    expect((await json<ListBody>(await t.get('/api/2.1/clusters/list?page_size=1000', 'ben'))).clusters).toHaveLength(
      100,
    );
    expect((await json<ListBody>(await t.get('/api/2.1/clusters/list', 'ben'))).clusters).toHaveLength(20);
  });
});

describe('paging consistency over a large generated set', () => {
  it('walks 100,000 clusters with no duplicates and no gaps, identically for concurrent walkers', async () => {
    await t.restartWith({ clusters: { generate: { count: 100_000, seed: 11 } }, rateLimit: false });
    const [all, terminated] = await Promise.all([
      walkPages(t, 'ben', 'page_size=100'),
      walkPages(t, 'ben', 'page_size=100&filter_by.cluster_states=TERMINATED'),
    ]);
    expect(all.pages).toBe(1000);
    expect(new Set(all.ids).size).toBe(100_000);
    expect(new Set(terminated.ids).size).toBe(terminated.ids.length);
    expect(terminated.ids.length).toBeGreaterThan(20_000);
    const allIds = new Set(all.ids);
    expect(terminated.ids.every((id) => allIds.has(id))).toBe(true);
    // Terminated clusters keep their relative order from the unfiltered walk.
    const terminatedIds = new Set(terminated.ids);
    const order = all.ids.filter((id) => terminatedIds.has(id));
    expect(order).toEqual(terminated.ids);
  }, 120_000);
});

describe('GET /api/2.0/clusters/get and /api/2.1/clusters/get', () => {
  it.each(['2.0', '2.1'])('returns one cluster with its spec on %s', async (v) => {
    const res = await t.get(`/api/${v}/clusters/get?cluster_id=0612-081530-k3v9x2ab`, 'ana');
    expect(res.status).toBe(200);
    const c = await json<Cluster & { spec: Record<string, unknown> }>(res);
    expect(c.cluster_name).toBe('shared-analytics');
    expect(c.spec).toMatchObject({ cluster_name: 'shared-analytics', autoscale: { min_workers: 2, max_workers: 8 } });
  });

  it('writes spark_context_id as an exact 19-digit integer that a double cannot hold', async () => {
    for (const path of [
      '/api/2.1/clusters/get?cluster_id=0612-081530-k3v9x2ab',
      '/api/2.0/clusters/get?cluster_id=0612-081530-k3v9x2ab',
    ]) {
      const text = await (await t.get(path, 'ana')).text();
      // shared-analytics is running; its id is fixed by its seed (11): 4020997813441461827 + 11 × 1000002.
      expect(text).toContain('"spark_context_id":4020997813452461849,');
      const digits = '4020997813452461849';
      expect(BigInt(Number(digits))).not.toBe(BigInt(digits));
    }
  });

  it('writes every running cluster of a list with an exact int64 spark_context_id', async () => {
    const text = await (await t.get('/api/2.1/clusters/list?page_size=100', 'ben')).text();
    const ids = [...text.matchAll(/"spark_context_id":(-?\d+)[,}]/g)].map((m) => m[1] as string);
    const running = (JSON.parse(text) as { clusters: Cluster[] }).clusters.filter((c) =>
      ['RUNNING', 'RESIZING', 'RESTARTING'].includes(c.state),
    );
    expect(ids).toHaveLength(running.length);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) {
      expect(id).toMatch(/^\d{19}$/);
      expect(BigInt(Number(id)).toString()).not.toBe(id);
    }
  });

  it('answers 400 INVALID_PARAMETER_VALUE "Cluster … does not exist" to an unknown ID', async () => {
    const res = await t.get('/api/2.0/clusters/get?cluster_id=0000-000000-nothere0', 'ben');
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Cluster 0000-000000-nothere0 does not exist',
    });
  });

  it('answers 400 when cluster_id is missing', async () => {
    const res = await t.get('/api/2.0/clusters/get', 'ben');
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ message: 'Missing required field: cluster_id' });
  });

  it('answers 403 PERMISSION_DENIED for a cluster the user may not see', async () => {
    const res = await t.get('/api/2.0/clusters/get?cluster_id=1121-075502-mlgpu7x1', 'ana');
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error_code: 'PERMISSION_DENIED' });
  });
});

describe('GET /api/2.0/preview/scim/v2/Me', () => {
  it("describes the caller with SCIM's user schema, groups and entitlements", async () => {
    const me = await json<Record<string, unknown>>(await t.get('/api/2.0/preview/scim/v2/Me', 'ana'));
    expect(me).toMatchObject({
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:workspace:2.0:User',
      ],
      id: expect.stringMatching(/^\d{16}$/),
      userName: 'ana@contoso.example',
      displayName: 'Ana Analyst',
      active: true,
      externalId: '0a11ce00-0000-4000-8000-000000000001',
      name: { givenName: 'Ana', familyName: 'Analyst' },
      emails: [{ value: 'ana@contoso.example', type: 'work', primary: true }],
      entitlements: [{ value: 'workspace-access' }, { value: 'databricks-sql-access' }],
    });
    const groups = me.groups as { display: string; value: string; $ref: string; type: string }[];
    expect(groups).toEqual([
      {
        display: 'data-analysts',
        value: expect.stringMatching(/^\d{16}$/),
        $ref: `Groups/${groups[0]?.value}`,
        type: 'direct',
      },
    ]);
  });

  it('lists admins in the admins group', async () => {
    const me = await json<{ groups: { display: string }[] }>(await t.get('/api/2.0/preview/scim/v2/Me', 'ben'));
    expect(me.groups.map((g) => g.display)).toEqual(['admins', 'platform-team']);
  });
});

describe('catalogue endpoints', () => {
  it.each(['2.0', '2.1'])('lists runtime versions and node types on %s', async (v) => {
    const versions = await json<{ versions: { key: string; name: string }[] }>(
      await t.get(`/api/${v}/clusters/spark-versions`, 'ana'),
    );
    expect(versions.versions).toContainEqual({
      key: '15.4.x-scala2.12',
      name: '15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)',
    });
    const nodes = await json<{ node_types: Record<string, unknown>[] }>(
      await t.get(`/api/${v}/clusters/list-node-types`, 'ana'),
    );
    expect(nodes.node_types).toContainEqual(
      expect.objectContaining({
        node_type_id: 'Standard_DS3_v2',
        instance_type_id: 'Standard_DS3_v2',
        num_cores: 4,
        memory_mb: 14336,
        category: 'General Purpose',
      }),
    );
  });
});

describe('GET /aad/auth', () => {
  it("redirects to the tenant's authorize endpoint without asking for a token", async () => {
    const res = await t.get('/aad/auth', null);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.pathname.split('/')[1]).toBe(TENANT);
    expect(location.searchParams.get('client_id')).toBe('2ff814a6-3304-4ab8-85cb-cd0e6f879c1d');
  });
});

describe('routing', () => {
  it('answers 404 ENDPOINT_NOT_FOUND naming the method and path of an unknown route', async () => {
    const res = await t.get('/api/2.0/clusters/frobnicate?secret=1', 'ben');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({
      error_code: 'ENDPOINT_NOT_FOUND',
      message: "No API found for 'GET /api/2.0/clusters/frobnicate'",
    });
  });

  it('answers 405 with Allow: GET to another method on a known route', async () => {
    const res = await t.call('/api/2.0/clusters/list', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await t.token('ben')}` },
      body: {},
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('sends no CORS headers, as a real workspace sends none', async () => {
    const res = await t.get('/api/2.0/clusters/list', 'ben', { Origin: 'https://localhost:5173' });
    const cors = [...res.headers.keys()].filter((k) => k.startsWith('access-control-'));
    expect(cors).toEqual([]);
    const preflight = await t.call('/api/2.0/clusters/list', {
      method: 'OPTIONS',
      headers: { Origin: 'https://localhost:5173' },
    });
    expect([...preflight.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
  });
});
