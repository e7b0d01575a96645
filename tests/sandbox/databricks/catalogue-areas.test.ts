import { describe, expect, it } from 'vitest';
import { type DemoUser, setUpFileWorkspace } from './helpers.ts';

const t = setUpFileWorkspace({ rateLimit: false });

const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>) => (await (await res).json()) as T;

describe('Unity Catalog', () => {
  const names = async (path: string, key: string, u: DemoUser = 'ben') =>
    (await json<Record<string, { name: string }[]>>(t.get(path, u)))[key]?.map((x) => x.name);

  it('lists the catalogs each person may use', async () => {
    expect(await names('/api/2.1/unity-catalog/catalogs', 'catalogs')).toEqual(['main', 'sales', 'security', 'system']);
    expect(await names('/api/2.1/unity-catalog/catalogs', 'catalogs', 'ana')).toEqual(['main', 'sales', 'system']);
    expect(await names('/api/2.1/unity-catalog/catalogs', 'catalogs', 'eve')).toEqual(['main', 'security', 'system']);
  });

  it('lists the schemas of a catalog, and answers CATALOG_DOES_NOT_EXIST for an unknown one', async () => {
    expect(await names('/api/2.1/unity-catalog/schemas?catalog_name=sales', 'schemas')).toEqual(['bronze', 'gold']);
    const res = await t.get('/api/2.1/unity-catalog/schemas?catalog_name=nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error_code: 'CATALOG_DOES_NOT_EXIST',
      message: "Catalog 'nope' does not exist.",
    });
    const missing = await t.get('/api/2.1/unity-catalog/schemas');
    expect(await missing.json()).toMatchObject({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Missing required field: catalog_name',
    });
  });

  it('pages tables by max_results and page_token until next_page_token is left out', async () => {
    const all: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await json<{ tables?: { full_name: string }[]; next_page_token?: string }>(
        t.get(
          `/api/2.1/unity-catalog/tables?catalog_name=sales&schema_name=gold&max_results=3${token ? `&page_token=${token}` : ''}`,
          'ana',
        ),
      );
      all.push(...(body.tables ?? []).map((x) => x.full_name));
      token = body.next_page_token;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(all).toHaveLength(7);
    expect(all[0]).toBe('sales.gold.orders');
    const everything = await json<{ tables: unknown[]; next_page_token?: string }>(
      t.get('/api/2.1/unity-catalog/tables?catalog_name=sales&schema_name=gold'),
    );
    expect(everything.tables).toHaveLength(7);
    expect(everything.next_page_token).toBeUndefined();
    expect(
      (await t.get('/api/2.1/unity-catalog/tables?catalog_name=sales&schema_name=gold&max_results=-1')).status,
    ).toBe(400);
  });

  it('gets one table by full name with its columns', async () => {
    const table = await json<{
      table_type: string;
      data_source_format: string;
      columns: { name: string; type_name: string }[];
    }>(t.get('/api/2.1/unity-catalog/tables/sales.gold.orders', 'ana'));
    expect(table.table_type).toBe('MANAGED');
    expect(table.data_source_format).toBe('DELTA');
    expect(table.columns.map((c) => `${c.name}:${c.type_name}`)).toEqual([
      'order_id:LONG',
      'customer_id:LONG',
      'order_date:DATE',
      'amount:DECIMAL',
      'region:STRING',
    ]);
    const res = await t.get('/api/2.1/unity-catalog/tables/sales.gold.nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error_code: 'TABLE_DOES_NOT_EXIST',
      message: "Table 'sales.gold.nope' does not exist.",
    });
  });

  it('refuses a catalog the caller has no USE CATALOG on with 403', async () => {
    const res = await t.get('/api/2.1/unity-catalog/tables/security.audit.access_events', 'ana');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
  });
});

describe('workspace objects and repos', () => {
  it('lists a folder, showing home folders only to their owners and admins', async () => {
    const paths = async (path: string, u: DemoUser) =>
      (
        (
          await json<{ objects?: { path: string }[] }>(
            t.get(`/api/2.0/workspace/list?path=${encodeURIComponent(path)}`, u),
          )
        ).objects ?? []
      ).map((o) => o.path);
    expect(await paths('/Users', 'ana')).toEqual(['/Users/ana@contoso.example']);
    expect(await paths('/Users', 'ben')).toHaveLength(4);
    expect(await paths('/Shared/bi', 'ana')).toEqual(['/Shared/bi/refresh_dashboards']);
    expect((await t.get('/api/2.0/workspace/list?path=/Users/ben@contoso.example', 'ana')).status).toBe(403);
  });

  it('gets an object status, and answers RESOURCE_DOES_NOT_EXIST for a missing path', async () => {
    const nb = await json<{ object_type: string; language: string; object_id: number }>(
      t.get('/api/2.0/workspace/get-status?path=/Shared/bi/refresh_dashboards'),
    );
    expect(nb).toMatchObject({ object_type: 'NOTEBOOK', language: 'SQL' });
    expect(Number.isSafeInteger(nb.object_id)).toBe(true);
    const res = await t.get('/api/2.0/workspace/get-status?path=/Shared/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "Path (/Shared/nothing) doesn't exist.",
    });
  });

  it('lists repos and gets one by ID', async () => {
    const { repos } = await json<{ repos: { id: number; path: string; branch: string }[] }>(t.get('/api/2.0/repos'));
    expect(repos.map((r) => r.path)).toEqual(['/Repos/ben@contoso.example/etl', '/Repos/mia@contoso.example/churn']);
    const one = await json<{ path: string }>(t.get(`/api/2.0/repos/${repos[0]?.id}`));
    expect(one.path).toBe('/Repos/ben@contoso.example/etl');
    expect((await t.get('/api/2.0/repos/1')).status).toBe(404);
    expect(await json(t.get('/api/2.0/repos', 'ana'))).toEqual({});
  });
});

describe('secrets, pools, policies and tokens', () => {
  it('lists secret scopes with their backends', async () => {
    const { scopes } = await json<{ scopes: { name: string; backend_type: string }[] }>(
      t.get('/api/2.0/secrets/scopes/list', 'ana'),
    );
    expect(scopes.map((s) => `${s.name}:${s.backend_type}`)).toEqual(['etl:DATABRICKS', 'contoso-kv:AZURE_KEYVAULT']);
  });

  it('lists instance pools and gets one', async () => {
    const { instance_pools } = await json<{ instance_pools: { instance_pool_id: string; node_type_id: string }[] }>(
      t.get('/api/2.0/instance-pools/list'),
    );
    expect(instance_pools.map((p) => p.node_type_id)).toEqual(['Standard_DS3_v2', 'Standard_NC6s_v3']);
    const pool = await json<{ state: string }>(
      t.get(`/api/2.0/instance-pools/get?instance_pool_id=${instance_pools[0]?.instance_pool_id}`),
    );
    expect(pool.state).toBe('ACTIVE');
    expect((await t.get('/api/2.0/instance-pools/get?instance_pool_id=nope')).status).toBe(404);
  });

  it('lists the cluster policies the clusters name, sorted as asked', async () => {
    const byName = await json<{
      policies: { policy_id: string; name: string; definition: string }[];
      total_count: number;
    }>(t.get('/api/2.0/policies/clusters/list?sort_column=POLICY_NAME&sort_order=ASC'));
    expect(byName.policies.map((p) => p.name)).toEqual(['BI Photon', 'Job Compute', 'Personal Compute']);
    expect(byName.total_count).toBe(3);
    expect(JSON.parse(byName.policies[0]?.definition ?? '')).toHaveProperty('runtime_engine');
    const one = await json<{ name: string }>(t.get('/api/2.0/policies/clusters/get?policy_id=E0631F5C0D000A1F'));
    expect(one.name).toBe('BI Photon');
    expect((await t.get('/api/2.0/policies/clusters/list?sort_column=SIZE')).status).toBe(400);
  });

  it("lists only the caller's own tokens, never a secret", async () => {
    const ben = await json<{ token_infos: { comment: string; token_id: string; expiry_time: number }[] }>(
      t.get('/api/2.0/token/list'),
    );
    expect(ben.token_infos.map((x) => x.comment)).toEqual(['terraform', 'databricks-cli on laptop']);
    expect(ben.token_infos[1]?.expiry_time).toBe(-1);
    expect(ben.token_infos[0]?.token_id).toMatch(/^[0-9a-f]{64}$/);
    expect(await json(t.get('/api/2.0/token/list', 'dana'))).toEqual({ token_infos: [] });
  });
});

describe('SCIM users and groups', () => {
  interface ListResponse {
    schemas: string[];
    totalResults: number;
    startIndex: number;
    itemsPerPage: number;
    Resources: { id: string; userName?: string; displayName: string; members?: { display: string }[] }[];
  }

  it('pages users by startIndex and count', async () => {
    const first = await json<ListResponse>(t.get('/api/2.0/preview/scim/v2/Users?startIndex=1&count=3', 'ana'));
    expect(first).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 4,
      startIndex: 1,
      itemsPerPage: 3,
    });
    const second = await json<ListResponse>(t.get('/api/2.0/preview/scim/v2/Users?startIndex=4&count=3', 'ana'));
    expect(second.itemsPerPage).toBe(1);
    expect([...first.Resources, ...second.Resources].map((u) => u.displayName)).toEqual([
      'Ana Analyst',
      'Ben Admin',
      'Dana Newcomer',
      'Eve Secure',
    ]);
  });

  it('filters users by userName and gets one by ID', async () => {
    const found = await json<ListResponse>(
      t.get(`/api/2.0/preview/scim/v2/Users?filter=${encodeURIComponent('userName eq "eve@contoso.example"')}`),
    );
    expect(found.Resources.map((u) => u.userName)).toEqual(['eve@contoso.example']);
    const eve = await json<{ userName: string }>(t.get(`/api/2.0/preview/scim/v2/Users/${found.Resources[0]?.id}`));
    expect(eve.userName).toBe('eve@contoso.example');
  });

  it('lists groups with the demo members, and answers SCIM errors in SCIM shape', async () => {
    const groups = await json<ListResponse>(t.get('/api/2.0/preview/scim/v2/Groups'));
    const analysts = groups.Resources.find((g) => g.displayName === 'data-analysts');
    expect(analysts?.members?.map((m) => m.display)).toEqual(['Ana Analyst', 'Dana Newcomer']);
    expect(groups.Resources.find((g) => g.displayName === 'admins')?.members?.map((m) => m.display)).toEqual([
      'Ben Admin',
    ]);
    const res = await t.get('/api/2.0/preview/scim/v2/Groups/42');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      detail: 'Group with id 42 not found.',
      status: '404',
    });
    expect((await t.get(`/api/2.0/preview/scim/v2/Users?filter=${encodeURIComponent('title pr')}`)).status).toBe(400);
  });
});
