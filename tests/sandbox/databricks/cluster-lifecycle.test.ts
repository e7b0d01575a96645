import { describe, expect, it } from 'vitest';
import { CLUSTER_TIMINGS } from '../../../src/sandbox/databricks/index.ts';
import { ManualClock, setUpFileWorkspace } from './helpers.ts';

const ANA_SCRATCH = '1123-231500-ana5cr4t';
const BI_DASHBOARDS = '0301-142207-bz7qm4tc';
const SHARED_ANALYTICS = '0612-081530-k3v9x2ab';

const clock = new ManualClock();
const t = setUpFileWorkspace({ rateLimit: false }, { clock, resetBeforeEach: true });

interface Cluster {
  state: string;
  state_message: string;
  start_time: number;
  terminated_time?: number;
  termination_reason?: { code: string; parameters: Record<string, string> };
  driver?: unknown;
  executors?: unknown[];
  spark_context_id?: number;
}

async function getCluster(id: string, user: 'ana' | 'ben' = 'ben'): Promise<Cluster> {
  const res = await t.get(`/api/2.1/clusters/get?cluster_id=${id}`, user);
  expect(res.status).toBe(200);
  return (await res.json()) as Cluster;
}

async function eventTypes(id: string): Promise<string[]> {
  const res = await t.post('/api/2.1/clusters/events', 'ben', { cluster_id: id, order: 'ASC', limit: 500 });
  return ((await res.json()) as { events: { type: string }[] }).events.map((e) => e.type);
}

describe('starting, restarting and terminating clusters', () => {
  it('starts a terminated cluster: PENDING at once, RUNNING once the start time has passed', async () => {
    const started = clock.now;
    expect(await (await t.post('/api/2.1/clusters/start', 'ana', { cluster_id: ANA_SCRATCH })).json()).toEqual({});
    const pending = await getCluster(ANA_SCRATCH, 'ana');
    expect(pending.state).toBe('PENDING');
    expect(pending.start_time).toBe(started);
    expect(pending.termination_reason).toBeUndefined();
    expect(pending.terminated_time).toBeUndefined();
    expect(pending.driver).toBeUndefined();
    clock.advance(CLUSTER_TIMINGS.pendingMs - 1);
    expect((await getCluster(ANA_SCRATCH, 'ana')).state).toBe('PENDING');
    clock.advance(1);
    const running = await getCluster(ANA_SCRATCH, 'ana');
    expect(running.state).toBe('RUNNING');
    expect(running.state_message).toBe('');
    expect(running.driver).toBeDefined();
    expect(running.executors).toEqual([]);
    // A new Spark context: a 19-digit int64 on the wire, as real workspaces send it.
    const raw = await (await t.get(`/api/2.1/clusters/get?cluster_id=${ANA_SCRATCH}`, 'ana')).text();
    expect(raw).toMatch(/"spark_context_id":\d{19}[,}]/);
    expect((await eventTypes(ANA_SCRATCH)).slice(-3)).toEqual(['STARTING', 'DRIVER_HEALTHY', 'RUNNING']);
  });

  it('shows the new state in the 2.1 list filtered by state', async () => {
    await t.post('/api/2.1/clusters/start', 'ana', { cluster_id: ANA_SCRATCH });
    const res = await t.get('/api/2.1/clusters/list?filter_by.cluster_states=PENDING', 'ana');
    const names = ((await res.json()) as { clusters: { cluster_id: string }[] }).clusters.map((c) => c.cluster_id);
    expect(names).toContain(ANA_SCRATCH);
  });

  it('terminates a running cluster: TERMINATING, then TERMINATED with USER_REQUEST', async () => {
    expect((await t.post('/api/2.0/clusters/delete', 'ben', { cluster_id: BI_DASHBOARDS })).status).toBe(200);
    const terminating = await getCluster(BI_DASHBOARDS);
    expect(terminating.state).toBe('TERMINATING');
    expect(terminating.termination_reason?.code).toBe('USER_REQUEST');
    clock.advance(CLUSTER_TIMINGS.terminatingMs);
    const terminated = await getCluster(BI_DASHBOARDS);
    expect(terminated.state).toBe('TERMINATED');
    expect(terminated.terminated_time).toBe(clock.now);
    expect(terminated.termination_reason).toEqual({
      code: 'USER_REQUEST',
      type: 'SUCCESS',
      parameters: { username: 'ben@contoso.example' },
    });
    expect(terminated.driver).toBeUndefined();
    expect((await eventTypes(BI_DASHBOARDS)).at(-1)).toBe('TERMINATING');
  });

  it('restarts a running cluster through RESTARTING', async () => {
    await t.post('/api/2.1/clusters/restart', 'ben', { cluster_id: BI_DASHBOARDS });
    expect((await getCluster(BI_DASHBOARDS)).state).toBe('RESTARTING');
    clock.advance(CLUSTER_TIMINGS.restartingMs);
    expect((await getCluster(BI_DASHBOARDS)).state).toBe('RUNNING');
    expect((await eventTypes(BI_DASHBOARDS)).slice(-2)).toEqual(['RESTARTING', 'RUNNING']);
  });

  it('refuses to start a running cluster with 400 INVALID_STATE', async () => {
    const res = await t.post('/api/2.1/clusters/start', 'ben', { cluster_id: BI_DASHBOARDS });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error_code: 'INVALID_STATE',
      message: `Cluster ${BI_DASHBOARDS} is in unexpected state Running.`,
    });
  });

  it("answers 403 PERMISSION_DENIED when Ana terminates Ben's cluster, and leaves it running", async () => {
    const res = await t.post('/api/2.1/clusters/delete', 'ana', { cluster_id: BI_DASHBOARDS });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error_code: 'PERMISSION_DENIED',
      message: `ana@contoso.example does not have Can Restart permission on cluster ${BI_DASHBOARDS}. Ask a workspace admin or the cluster's owner for access.`,
    });
    expect((await getCluster(BI_DASHBOARDS)).state).toBe('RUNNING');
  });

  it('lets a creator restart her own cluster but not one she may only attach to', async () => {
    expect((await t.post('/api/2.1/clusters/restart', 'ana', { cluster_id: SHARED_ANALYTICS })).status).toBe(200);
    expect((await t.post('/api/2.1/clusters/restart', 'dana', { cluster_id: SHARED_ANALYTICS })).status).toBe(403);
  });

  it('answers 400 for a missing or unknown cluster_id and for a body that is not a JSON object', async () => {
    const missing = await t.post('/api/2.1/clusters/start', 'ben', {});
    expect(await missing.json()).toMatchObject({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Missing required field: cluster_id',
    });
    const unknown = await t.post('/api/2.1/clusters/start', 'ben', { cluster_id: '0101-000000-missing0' });
    expect(await unknown.json()).toMatchObject({ message: 'Cluster 0101-000000-missing0 does not exist' });
    const bad = await t.post('/api/2.1/clusters/start', 'ben', '[1,2]');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
  });

  it('answers 405 with Allow: POST for GET on an action, and 404 for unknown paths as before', async () => {
    const res = await t.get(`/api/2.1/clusters/start?cluster_id=${ANA_SCRATCH}`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const list = await t.post('/api/2.1/clusters/list', 'ben');
    expect(list.status).toBe(405);
    expect(list.headers.get('allow')).toBe('GET');
    const unknown = await t.post('/api/2.1/clusters/explode', 'ben');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: "No API found for 'POST /api/2.1/clusters/explode'" });
  });
});

describe('cluster events', () => {
  it('pages with offset and limit, handing back the next request in next_page', async () => {
    const seen: string[] = [];
    let request: Record<string, unknown> | undefined = { cluster_id: '1124-020000-j0b41827', limit: 2, order: 'ASC' };
    let total = 0;
    while (request) {
      const body = (await (await t.post('/api/2.1/clusters/events', 'ben', request)).json()) as {
        events: { type: string; timestamp: number }[];
        next_page?: Record<string, unknown>;
        total_count: number;
      };
      seen.push(...body.events.map((e) => e.type));
      total = body.total_count;
      request = body.next_page;
    }
    expect(seen).toEqual(['CREATING', 'DRIVER_HEALTHY', 'RUNNING', 'TERMINATING']);
    expect(total).toBe(4);
  });

  it('pages by page_size and page_token, the current style, newest first', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = (await (
        await t.post('/api/2.1/clusters/events', 'ben', {
          cluster_id: '1124-020000-j0b41827',
          page_size: 3,
          ...(token ? { page_token: token } : {}),
        })
      ).json()) as {
        events: { type: string }[];
        next_page_token?: string;
        prev_page_token?: string;
        total_count: number;
      };
      seen.push(...body.events.map((e) => e.type));
      expect(body.total_count).toBe(0);
      if (pages > 0) expect(body.prev_page_token).toBeDefined();
      token = body.next_page_token;
      pages += 1;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(['TERMINATING', 'RUNNING', 'DRIVER_HEALTHY', 'CREATING']);
  });

  it('pins end_time in next_page of a DESC listing, and asks for it when an offset comes without one', async () => {
    const first = (await (
      await t.post('/api/2.1/clusters/events', 'ben', { cluster_id: '1124-020000-j0b41827', limit: 2 })
    ).json()) as { next_page: { end_time: number; offset: number } };
    expect(first.next_page).toMatchObject({ offset: 2, end_time: clock.now });
    const res = await t.post('/api/2.1/clusters/events', 'ben', { cluster_id: '1124-020000-j0b41827', offset: 2 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });

  it('filters by event type and answers newest first by default', async () => {
    await t.post('/api/2.1/clusters/restart', 'ben', { cluster_id: BI_DASHBOARDS });
    const body = (await (
      await t.post('/api/2.1/clusters/events', 'ben', { cluster_id: BI_DASHBOARDS, event_types: ['RESTARTING'] })
    ).json()) as { events: { type: string; timestamp: number; details: { user?: string } }[] };
    expect(body.events.map((e) => e.type)).toEqual(['RESTARTING', 'RESTARTING']);
    expect(body.events[0]?.timestamp).toBeGreaterThan(body.events[1]?.timestamp ?? Number.POSITIVE_INFINITY);
    expect(body.events[0]?.details.user).toBe('ben@contoso.example');
  });

  it('refuses an unknown event type and a cluster the caller cannot see', async () => {
    const bad = await t.post('/api/2.1/clusters/events', 'ben', {
      cluster_id: BI_DASHBOARDS,
      event_types: ['NAPPING'],
    });
    expect(bad.status).toBe(400);
    const hidden = await t.post('/api/2.1/clusters/events', 'dana', { cluster_id: BI_DASHBOARDS });
    expect(hidden.status).toBe(403);
  });
});

describe('cluster permissions', () => {
  it('explains who sees a cluster: creator CAN_MANAGE, granted users CAN_ATTACH_TO, admins inherited', async () => {
    const res = await t.get(`/api/2.0/permissions/clusters/${SHARED_ANALYTICS}`, 'ana');
    expect(await res.json()).toEqual({
      object_id: `/clusters/${SHARED_ANALYTICS}`,
      object_type: 'cluster',
      access_control_list: [
        {
          user_name: 'ana@contoso.example',
          display_name: 'Ana Analyst',
          all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }],
        },
        {
          user_name: 'dana@contoso.example',
          display_name: 'Dana Newcomer',
          all_permissions: [{ permission_level: 'CAN_ATTACH_TO', inherited: false }],
        },
        {
          group_name: 'admins',
          all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/clusters/'] }],
        },
      ],
    });
  });

  it('refuses the permissions of a cluster the caller has no access to', async () => {
    expect((await t.get(`/api/2.0/permissions/clusters/${BI_DASHBOARDS}`, 'eve')).status).toBe(403);
  });
});

describe('the sandbox clock', () => {
  it('moves on through POST /_sandbox/clock, so a person can skip a wait, and back on reset', async () => {
    await t.post('/api/2.1/clusters/start', 'ana', { cluster_id: ANA_SCRATCH });
    const res = await t.call('/_sandbox/clock', { method: 'POST', body: { advanceMs: CLUSTER_TIMINGS.pendingMs } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ now: clock.now + CLUSTER_TIMINGS.pendingMs });
    expect((await getCluster(ANA_SCRATCH, 'ana')).state).toBe('RUNNING');
    expect((await t.call('/_sandbox/clock', { method: 'POST', body: { advanceMs: -1 } })).status).toBe(400);
    await t.call('/_sandbox/reset', { method: 'POST' });
    expect(await (await t.call('/_sandbox/clock', { method: 'POST', body: { advanceMs: 0 } })).json()).toEqual({
      now: clock.now,
    });
  });
});

describe('the cluster store during a transition', () => {
  it('keeps its cached views while nothing is due, and rebuilds them once a step applies', async () => {
    const { ClusterStore } = await import('../../../src/sandbox/databricks/cluster-store.ts');
    const { ClusterLifecycle } = await import('../../../src/sandbox/databricks/cluster-lifecycle.ts');
    const store = new ClusterStore('builtin', 0);
    const lifecycle = new ClusterLifecycle(store);
    const page = () => store.page({ kind: 'all' }, {}, { field: 'DEFAULT', direction: 'ASC' }, 5, undefined);
    lifecycle.start(store.find(ANA_SCRATCH) as NonNullable<ReturnType<typeof store.find>>, 'ana@contoso.example', 0);
    page();
    const built = store.viewsBuilt;
    lifecycle.advance(CLUSTER_TIMINGS.pendingMs - 2_000);
    page();
    expect(store.viewsBuilt).toBe(built);
    lifecycle.advance(CLUSTER_TIMINGS.pendingMs);
    page();
    expect(store.viewsBuilt).toBe(built + 1);
    expect(store.find(ANA_SCRATCH)?.state).toBe('RUNNING');
  });
});
