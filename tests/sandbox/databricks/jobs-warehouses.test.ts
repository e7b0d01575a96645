import { describe, expect, it } from 'vitest';
import { CLUSTER_TIMINGS, RUN_TIMINGS, WAREHOUSE_TIMINGS } from '../../../src/sandbox/databricks/index.ts';
import { type DemoUser, ManualClock, setUpFileWorkspace } from './helpers.ts';

const clock = new ManualClock();
const t = setUpFileWorkspace({ rateLimit: false }, { clock, resetBeforeEach: true });

const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>) => (await (await res).json()) as T;

interface JobsPage {
  jobs?: { job_id: number; settings: { name: string; tasks?: unknown[] } }[];
  has_more: boolean;
  next_page_token?: string;
  prev_page_token?: string;
}

describe('jobs', () => {
  it('pages the job list by page_token until next_page_token is left out', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await json<JobsPage>(t.get(`/api/2.2/jobs/list?limit=2${token ? `&page_token=${token}` : ''}`));
      names.push(...(page.jobs ?? []).map((j) => j.settings.name));
      expect(page.has_more).toBe(page.next_page_token !== undefined);
      if (pages > 0) expect(page.prev_page_token).toBeDefined();
      token = page.next_page_token;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual([
      'etl-nightly',
      'bi-dashboard-refresh',
      'ana-weekly-sales-report',
      'churn-model-training',
      'legacy-odbc-export',
    ]);
  });

  it('pages the older way, by offset and has_more, on 2.1', async () => {
    const first = await json<JobsPage>(t.get('/api/2.1/jobs/list?limit=3&offset=0'));
    const second = await json<JobsPage>(t.get('/api/2.1/jobs/list?limit=3&offset=3'));
    expect(first.has_more).toBe(true);
    expect(second.has_more).toBe(false);
    expect((first.jobs?.length ?? 0) + (second.jobs?.length ?? 0)).toBe(5);
    expect(first.jobs?.[0]?.settings.tasks).toBeUndefined();
    expect((await t.get('/api/2.1/jobs/list?offset=1&page_token=abc')).status).toBe(400);
  });

  it('shows each person only the jobs they may view', async () => {
    const names = async (u: DemoUser) =>
      ((await json<JobsPage>(t.get('/api/2.2/jobs/list', u))).jobs ?? []).map((j) => j.settings.name);
    expect(await names('ana')).toEqual(['etl-nightly', 'bi-dashboard-refresh', 'ana-weekly-sales-report']);
    expect(await names('eve')).toEqual([]);
  });

  it('gets a job with its tasks and job clusters, and answers 400 for an unknown one', async () => {
    const job = await json<{ settings: { tasks: { task_key: string }[]; job_clusters: unknown[] } }>(
      t.get('/api/2.2/jobs/get?job_id=418273645'),
    );
    expect(job.settings.tasks.map((x) => x.task_key)).toEqual(['ingest', 'transform']);
    expect(job.settings.job_clusters).toHaveLength(1);
    const res = await t.get('/api/2.2/jobs/get?job_id=1');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Job 1 does not exist.' });
  });

  it('lists the runs that ran on the job clusters, newest first', async () => {
    const body = await json<{ runs: { run_id: number; cluster_instance: { cluster_id: string }; state: unknown }[] }>(
      t.get('/api/2.2/jobs/runs/list?job_id=418273645&limit=1'),
    );
    expect(body.runs[0]?.run_id).toBe(99217);
    expect(body.runs[0]?.cluster_instance.cluster_id).toBe('1124-020000-j0b41827');
    expect(body.runs[0]?.state).toEqual({
      life_cycle_state: 'TERMINATED',
      result_state: 'SUCCESS',
      state_message: '',
      user_cancelled_or_timedout: false,
    });
  });

  it('reads a runs limit of 0 as the maximum, 25, and refuses more', async () => {
    const all = await json<{ runs: unknown[]; has_more: boolean }>(t.get('/api/2.2/jobs/runs/list?limit=0'));
    expect(all.runs).toHaveLength(13);
    expect(all.has_more).toBe(false);
    expect((await t.get('/api/2.2/jobs/runs/list?limit=26')).status).toBe(400);
    expect((await t.get('/api/2.2/jobs/list?limit=0')).status).toBe(400);
  });

  it('runs a job now: PENDING, RUNNING, then TERMINATED with a result', async () => {
    const { run_id } = await json<{ run_id: number }>(t.post('/api/2.2/jobs/run-now', 'ana', { job_id: 530118822 }));
    const state = async () =>
      (
        await json<{ state: { life_cycle_state: string; result_state?: string } }>(
          t.get(`/api/2.2/jobs/runs/get?run_id=${run_id}`, 'ana'),
        )
      ).state;
    expect(await state()).toMatchObject({ life_cycle_state: 'PENDING' });
    const active = await json<{ runs: { run_id: number }[] }>(t.get('/api/2.2/jobs/runs/list?active_only=true', 'ana'));
    expect(active.runs.map((r) => r.run_id)).toEqual([run_id]);
    clock.advance(RUN_TIMINGS.pendingMs);
    expect(await state()).toMatchObject({ life_cycle_state: 'RUNNING' });
    clock.advance(RUN_TIMINGS.runningMs);
    expect(await state()).toEqual({
      life_cycle_state: 'TERMINATED',
      result_state: 'SUCCESS',
      state_message: '',
      user_cancelled_or_timedout: false,
    });
  });

  it('ends a run of the job on the broken cluster with result FAILED', async () => {
    const { run_id } = await json<{ run_id: number }>(t.post('/api/2.1/jobs/run-now', 'ben', { job_id: 803377120 }));
    clock.advance(RUN_TIMINGS.pendingMs + RUN_TIMINGS.runningMs);
    const run = await json<{ state: { result_state: string }; status: { termination_details: { code: string } } }>(
      t.get(`/api/2.1/jobs/runs/get?run_id=${run_id}`),
    );
    expect(run.state.result_state).toBe('FAILED');
    expect(run.status.termination_details.code).toBe('RUN_EXECUTION_ERROR');
  });

  it('refuses run-now to someone who may only view the job', async () => {
    const res = await t.post('/api/2.2/jobs/run-now', 'dana', { job_id: 418273645 });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
  });
});

interface Warehouse {
  id: string;
  name: string;
  state: string;
  num_clusters: number;
  odbc_params: { hostname: string; path: string };
}

describe('SQL warehouses', () => {
  const BI = '4c1f8a2e9b7d3a60';
  const STARTER = 'a7d0e5b3c2f14e98';

  it('lists the warehouses each person may use', async () => {
    const names = async (u: DemoUser) =>
      (await json<{ warehouses: Warehouse[] }>(t.get('/api/2.0/sql/warehouses', u))).warehouses.map((w) => w.name);
    expect(await names('ben')).toEqual(['BI Serverless', 'Analysts Starter', 'Finance Reporting']);
    expect(await names('ana')).toEqual(['BI Serverless', 'Analysts Starter']);
  });

  it('pages the list by page_size and page_token', async () => {
    const first = await json<{ warehouses: Warehouse[]; next_page_token?: string }>(
      t.get('/api/2.0/sql/warehouses?page_size=2'),
    );
    expect(first.warehouses).toHaveLength(2);
    const second = await json<{ warehouses: Warehouse[]; next_page_token?: string }>(
      t.get(`/api/2.0/sql/warehouses?page_size=2&page_token=${first.next_page_token}`),
    );
    expect(second.warehouses.map((w) => w.name)).toEqual(['Finance Reporting']);
    expect(second.next_page_token).toBeUndefined();
  });

  it('gets the warehouse behind the SQL cluster, and 404 for an unknown one', async () => {
    const w = await json<Warehouse>(t.get(`/api/2.0/sql/warehouses/${BI}`));
    expect(w).toMatchObject({ state: 'RUNNING', odbc_params: { path: `/sql/1.0/warehouses/${BI}` } });
    const res = await t.get('/api/2.0/sql/warehouses/0000000000000000');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('starts a stopped warehouse through STARTING', async () => {
    expect(await json(t.post(`/api/2.0/sql/warehouses/${STARTER}/start`, 'ana'))).toEqual({});
    expect((await json<Warehouse>(t.get(`/api/2.0/sql/warehouses/${STARTER}`))).state).toBe('STARTING');
    clock.advance(WAREHOUSE_TIMINGS.startingMs);
    expect((await json<Warehouse>(t.get(`/api/2.0/sql/warehouses/${STARTER}`))).state).toBe('RUNNING');
  });

  it('stops a warehouse through STOPPING, taking its SQL cluster down with it, and starts both again', async () => {
    const cluster = async () =>
      (await json<{ state: string }>(t.get('/api/2.1/clusters/get?cluster_id=1104-020013-sq1warh0'))).state;
    await t.post(`/api/2.0/sql/warehouses/${BI}/stop`, 'ben');
    expect((await json<Warehouse>(t.get(`/api/2.0/sql/warehouses/${BI}`))).state).toBe('STOPPING');
    expect(await cluster()).toBe('TERMINATING');
    clock.advance(Math.max(WAREHOUSE_TIMINGS.stoppingMs, CLUSTER_TIMINGS.terminatingMs));
    expect((await json<Warehouse>(t.get(`/api/2.0/sql/warehouses/${BI}`))).state).toBe('STOPPED');
    expect(await cluster()).toBe('TERMINATED');
    await t.post(`/api/2.0/sql/warehouses/${BI}/start`, 'ana');
    expect(await cluster()).toBe('PENDING');
  });

  it('refuses to let a user with Can Use stop a warehouse', async () => {
    const res = await t.post(`/api/2.0/sql/warehouses/${BI}/stop`, 'ana');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
  });
});
