import {
  type ApiRequest,
  type ApiRoute,
  optionalBool,
  optionalInt,
  optionalString,
  permissionDenied,
  requiredId,
  tokenPage,
} from './api.ts';
import type { WorkspaceConfig, WorkspaceMember } from './config.ts';
import { invalidParameter } from './errors.ts';

/**
 * Jobs API 2.1 and 2.2: jobs list/get, runs list/get and run-now, with the jobs that ran on the
 * demo's job clusters. A run goes PENDING, RUNNING, then TERMINATED with a result, driven by the
 * workspace clock.
 *
 * @see https://docs.databricks.com/api/azure/workspace/jobs/list
 * @see https://docs.databricks.com/api/azure/workspace/jobs/runnow
 * @see https://docs.databricks.com/api/azure/workspace/jobs/getrun
 */

export const RUN_TIMINGS = { pendingMs: 4_000, runningMs: 20_000 } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Task {
  task_key: string;
  notebook_task?: { notebook_path: string; source: 'WORKSPACE' };
  pipeline_task?: { pipeline_id: string };
  existing_cluster_id?: string;
  job_cluster_key?: string;
}

interface JobDef {
  job_id: number;
  creator_user_name: string;
  created_time: number;
  /** Who may see the job besides its creator and admins (Can View). */
  viewers: string[];
  /** Who may run it besides its creator and admins (Can Manage Run). */
  runners: string[];
  settings: {
    name: string;
    tasks: Task[];
    job_clusters?: { job_cluster_key: string; new_cluster: Record<string, unknown> }[];
    schedule?: { quartz_cron_expression: string; timezone_id: string; pause_status: 'PAUSED' | 'UNPAUSED' };
    max_concurrent_runs: number;
    timeout_seconds: number;
    email_notifications: Record<string, unknown>;
    format: 'MULTI_TASK';
    tags?: Record<string, string>;
  };
  /** Where runs execute: an existing cluster's ID, or a job cluster whose ID is made per run. */
  clusterOf(runId: number, at: number): string;
  /** The result of new runs. */
  outcome: 'SUCCESS' | 'FAILED';
}

type LifeCycle = 'PENDING' | 'RUNNING' | 'TERMINATED';

interface RunRecord {
  job: JobDef;
  run_id: number;
  creator: string;
  trigger: 'PERIODIC' | 'ONE_TIME';
  start_time: number;
  cluster_id: string;
  outcome: 'SUCCESS' | 'FAILED';
  /** When it left PENDING, and when it finished (planned, for new runs). */
  running_at: number;
  end_time: number;
}

const jobClusterId = (runId: number, at: number) => {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-j${runId.toString(36).padStart(7, '0').slice(-7)}`;
};

function demoJobs(now: number): JobDef[] {
  const ben = 'ben@contoso.example';
  const ana = 'ana@contoso.example';
  const mia = 'mia@contoso.example';
  const notebook = (task_key: string, path: string, where: Partial<Task>): Task => ({
    task_key,
    notebook_task: { notebook_path: path, source: 'WORKSPACE' },
    ...where,
  });
  const base = { max_concurrent_runs: 1, timeout_seconds: 0, email_notifications: {}, format: 'MULTI_TASK' as const };
  return [
    {
      job_id: 418273645,
      creator_user_name: ben,
      created_time: now - 90 * DAY,
      viewers: [ana, 'dana@contoso.example'],
      runners: [],
      settings: {
        ...base,
        name: 'etl-nightly',
        tasks: [
          notebook('ingest', '/Repos/ben@contoso.example/etl/ingest_orders', { job_cluster_key: 'etl' }),
          notebook('transform', '/Repos/ben@contoso.example/etl/build_gold_tables', { job_cluster_key: 'etl' }),
        ],
        job_clusters: [
          {
            job_cluster_key: 'etl',
            new_cluster: { spark_version: '15.4.x-scala2.12', node_type_id: 'Standard_DS4_v2', num_workers: 6 },
          },
        ],
        schedule: { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'Europe/Amsterdam', pause_status: 'UNPAUSED' },
        tags: { team: 'platform' },
      },
      clusterOf: (runId, at) => (runId === 99217 ? '1124-020000-j0b41827' : jobClusterId(runId, at)),
      outcome: 'SUCCESS',
    },
    {
      job_id: 530118822,
      creator_user_name: ben,
      created_time: now - 60 * DAY,
      viewers: [ana],
      runners: [ana],
      settings: {
        ...base,
        name: 'bi-dashboard-refresh',
        tasks: [notebook('refresh', '/Shared/bi/refresh_dashboards', { existing_cluster_id: '0301-142207-bz7qm4tc' })],
        schedule: { quartz_cron_expression: '0 0 * * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' },
        tags: { team: 'bi' },
      },
      clusterOf: () => '0301-142207-bz7qm4tc',
      outcome: 'SUCCESS',
    },
    {
      job_id: 611904417,
      creator_user_name: ana,
      created_time: now - 20 * DAY,
      viewers: [],
      runners: [],
      settings: {
        ...base,
        name: 'ana-weekly-sales-report',
        tasks: [
          notebook('report', '/Users/ana@contoso.example/weekly_sales', {
            existing_cluster_id: '0612-081530-k3v9x2ab',
          }),
        ],
        schedule: {
          quartz_cron_expression: '0 0 7 ? * MON',
          timezone_id: 'Europe/Amsterdam',
          pause_status: 'UNPAUSED',
        },
      },
      clusterOf: () => '0612-081530-k3v9x2ab',
      outcome: 'SUCCESS',
    },
    {
      job_id: 702233519,
      creator_user_name: mia,
      created_time: now - 14 * DAY,
      viewers: [],
      runners: [],
      settings: {
        ...base,
        name: 'churn-model-training',
        tasks: [
          notebook('train', '/Repos/mia@contoso.example/churn/train', { existing_cluster_id: '1121-075502-mlgpu7x1' }),
        ],
        tags: { team: 'data-science', project: 'churn' },
      },
      clusterOf: () => '1121-075502-mlgpu7x1',
      outcome: 'SUCCESS',
    },
    {
      job_id: 803377120,
      creator_user_name: ben,
      created_time: now - 200 * DAY,
      viewers: [],
      runners: [],
      settings: {
        ...base,
        name: 'legacy-odbc-export',
        tasks: [notebook('export', '/Shared/legacy/odbc_export', { existing_cluster_id: '1120-170045-3rr0rin1' })],
        schedule: { quartz_cron_expression: '0 30 3 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' },
      },
      clusterOf: () => '1120-170045-3rr0rin1',
      outcome: 'FAILED',
    },
  ];
}

export class JobsState {
  readonly #config: WorkspaceConfig;
  #jobs: JobDef[] = [];
  #runs: RunRecord[] = [];
  #nextRunId = 0;

  constructor(config: WorkspaceConfig, now: number) {
    this.#config = config;
    this.reset(now);
  }

  reset(now: number): void {
    this.#jobs = demoJobs(now);
    this.#runs = [];
    const past = (job: JobDef, run_id: number, start: number, minutes: number, outcome: 'SUCCESS' | 'FAILED') =>
      this.#runs.push({
        job,
        run_id,
        creator: job.creator_user_name,
        trigger: 'PERIODIC',
        start_time: start,
        cluster_id: job.clusterOf(run_id, start),
        outcome,
        running_at: start + 2 * MINUTE,
        end_time: start + minutes * MINUTE,
      });
    const [etl, bi, weekly, , legacy] = this.#jobs as [JobDef, JobDef, JobDef, JobDef, JobDef];
    for (let d = 4; d >= 1; d--) past(etl, 99217 - d * 13, now - 5 * HOUR - d * DAY, 55 + d, 'SUCCESS');
    past(etl, 99217, now - 5 * HOUR, 60, 'SUCCESS');
    for (let h = 6; h >= 1; h--) past(bi, 99300 + (6 - h), now - h * HOUR, 4, h === 3 ? 'FAILED' : 'SUCCESS');
    past(weekly, 98001, now - 6 * DAY, 12, 'SUCCESS');
    past(legacy, 97004, now - 4 * DAY, 3, 'FAILED');
    this.#runs.sort((a, b) => b.start_time - a.start_time);
    this.#nextRunId = 100_000;
  }

  #job(id: number, member: WorkspaceMember): JobDef {
    const job = this.#jobs.find((j) => j.job_id === id);
    if (!job || !this.#canView(member, job)) throw invalidParameter(`Job ${id} does not exist.`);
    return job;
  }

  #canView(m: WorkspaceMember, j: JobDef): boolean {
    return m.admin || j.creator_user_name === m.upn || j.viewers.includes(m.upn) || j.runners.includes(m.upn);
  }

  routes(): ApiRoute[] {
    const list = (req: ApiRequest) => {
      const name = optionalString(req, 'name');
      const expand = optionalBool(req, 'expand_tasks') ?? false;
      const jobs = this.#jobs
        .filter((j) => this.#canView(req.member, j))
        .filter((j) => name === undefined || j.settings.name.toLowerCase() === name.toLowerCase())
        .sort((a, b) => a.job_id - b.job_id);
      const page = offsetOrTokenPage(req, jobs, 100, 20, `jobs|${req.member.upn}|${name ?? ''}`);
      return {
        ...(page.items.length > 0 ? { jobs: page.items.map((j) => jobJson(j, expand)) } : {}),
        has_more: page.hasMore,
        ...(page.next ? { next_page_token: page.next } : {}),
        ...(page.prev ? { prev_page_token: page.prev } : {}),
      };
    };
    const get = (req: ApiRequest) => jobJson(this.#job(requiredId(req, 'job_id'), req.member), true);
    const runsList = (req: ApiRequest) => {
      const jobId = optionalInt(req, 'job_id', 0, Number.MAX_SAFE_INTEGER);
      const activeOnly = optionalBool(req, 'active_only') ?? false;
      const completedOnly = optionalBool(req, 'completed_only') ?? false;
      if (activeOnly && completedOnly) {
        throw invalidParameter('active_only and completed_only cannot both be true.');
      }
      if (jobId !== undefined) this.#job(jobId, req.member);
      const from = optionalInt(req, 'start_time_from', 0, Number.MAX_SAFE_INTEGER);
      const to = optionalInt(req, 'start_time_to', 0, Number.MAX_SAFE_INTEGER);
      const runs = this.#runs.filter((r) => {
        if (!this.#canView(req.member, r.job)) return false;
        if (jobId !== undefined && r.job.job_id !== jobId) return false;
        const done = lifeCycle(r, req.now) === 'TERMINATED';
        if (activeOnly && done) return false;
        if (completedOnly && !done) return false;
        return (from === undefined || r.start_time >= from) && (to === undefined || r.start_time <= to);
      });
      const scope = `runs|${req.member.upn}|${jobId ?? ''}|${activeOnly}|${completedOnly}|${from ?? ''}|${to ?? ''}`;
      // "If a request specifies a limit of 0, the service instead uses the maximum limit."
      const page = offsetOrTokenPage(req, runs, 25, 20, scope, true);
      return {
        ...(page.items.length > 0 ? { runs: page.items.map((r) => this.#runJson(r, req.now)) } : {}),
        has_more: page.hasMore,
        ...(page.next ? { next_page_token: page.next } : {}),
        ...(page.prev ? { prev_page_token: page.prev } : {}),
      };
    };
    const runsGet = (req: ApiRequest) => {
      const id = requiredId(req, 'run_id');
      const run = this.#runs.find((r) => r.run_id === id);
      if (!run || !this.#canView(req.member, run.job)) throw invalidParameter(`Run ${id} does not exist.`);
      return this.#runJson(run, req.now);
    };
    const runNow = (req: ApiRequest) => {
      const job = this.#job(requiredId(req, 'job_id'), req.member);
      const m = req.member;
      if (!(m.admin || job.creator_user_name === m.upn || job.runners.includes(m.upn))) {
        throw permissionDenied(
          `${m.upn} does not have Can Manage Run permission on job ${job.job_id}. Ask the job's owner or a workspace admin for access.`,
        );
      }
      const run_id = this.#nextRunId++;
      const running_at = req.now + RUN_TIMINGS.pendingMs;
      this.#runs.unshift({
        job,
        run_id,
        creator: m.upn,
        trigger: 'ONE_TIME',
        start_time: req.now,
        cluster_id: job.clusterOf(run_id, req.now),
        outcome: job.outcome,
        running_at,
        end_time: running_at + RUN_TIMINGS.runningMs,
      });
      return { run_id, number_in_job: run_id };
    };
    return ['2.1', '2.2'].flatMap((v): ApiRoute[] => [
      { method: 'GET', path: `/api/${v}/jobs/list`, handle: list },
      { method: 'GET', path: `/api/${v}/jobs/get`, handle: get },
      { method: 'GET', path: `/api/${v}/jobs/runs/list`, handle: runsList },
      { method: 'GET', path: `/api/${v}/jobs/runs/get`, handle: runsGet },
      { method: 'POST', path: `/api/${v}/jobs/run-now`, handle: runNow },
    ]);
  }

  #runJson(r: RunRecord, now: number): Record<string, unknown> {
    const lc = lifeCycle(r, now);
    const done = lc === 'TERMINATED';
    const failed = r.outcome === 'FAILED';
    const message =
      lc === 'PENDING'
        ? 'Waiting for cluster'
        : lc === 'RUNNING'
          ? 'In run'
          : failed
            ? `Task ${r.job.settings.tasks[0]?.task_key} failed with message: Workload failed, see run output for details.`
            : '';
    const state = {
      life_cycle_state: lc,
      ...(done ? { result_state: r.outcome } : {}),
      state_message: message,
      user_cancelled_or_timedout: false,
    };
    const status = {
      state: lc,
      ...(done
        ? {
            termination_details: failed
              ? { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message: state.state_message }
              : { code: 'SUCCESS', type: 'SUCCESS', message: '' },
          }
        : {}),
    };
    const setup = Math.max(0, Math.min(now, r.running_at) - r.start_time);
    const execution = done ? r.end_time - r.running_at : 0;
    const cluster_instance = lc === 'PENDING' ? undefined : { cluster_id: r.cluster_id };
    const url = `https://${this.#config.hostLabel}/?o=${this.#config.workspaceId}#job/${r.job.job_id}/run/${r.run_id}`;
    return {
      job_id: r.job.job_id,
      run_id: r.run_id,
      number_in_job: r.run_id,
      original_attempt_run_id: r.run_id,
      creator_user_name: r.creator,
      run_name: r.job.settings.name,
      run_type: 'JOB_RUN',
      trigger: r.trigger,
      format: 'MULTI_TASK',
      state,
      status,
      start_time: r.start_time,
      setup_duration: setup,
      execution_duration: execution,
      cleanup_duration: 0,
      end_time: done ? r.end_time : 0,
      run_duration: done ? r.end_time - r.start_time : 0,
      ...(cluster_instance ? { cluster_instance } : {}),
      ...(r.job.settings.job_clusters ? { job_clusters: r.job.settings.job_clusters } : {}),
      run_page_url: url,
      tasks: r.job.settings.tasks.map((t, i) => ({
        run_id: r.run_id * 10 + i + 1,
        task_key: t.task_key,
        ...(t.notebook_task ? { notebook_task: t.notebook_task } : {}),
        ...(t.existing_cluster_id ? { existing_cluster_id: t.existing_cluster_id } : {}),
        ...(t.job_cluster_key ? { job_cluster_key: t.job_cluster_key } : {}),
        state,
        start_time: r.start_time,
        end_time: done ? r.end_time : 0,
        ...(cluster_instance ? { cluster_instance } : {}),
        attempt_number: 0,
        run_page_url: url,
      })),
    };
  }
}

function lifeCycle(r: RunRecord, now: number): LifeCycle {
  if (now >= r.end_time) return 'TERMINATED';
  if (now >= r.running_at) return 'RUNNING';
  return 'PENDING';
}

function jobJson(j: JobDef, expand: boolean): Record<string, unknown> {
  const { tasks, job_clusters, ...rest } = j.settings;
  return {
    job_id: j.job_id,
    creator_user_name: j.creator_user_name,
    run_as_user_name: j.creator_user_name,
    created_time: j.created_time,
    settings: expand ? { ...rest, tasks, ...(job_clusters ? { job_clusters } : {}) } : rest,
  };
}

/**
 * Paging in both styles the Jobs API accepts: `offset` with `has_more` (older), or `page_token`
 * with `next_page_token`/`prev_page_token`. Either way the answer carries `has_more` and the tokens.
 * @throws 400 INVALID_PARAMETER_VALUE for both at once, or a limit outside 1..max.
 */
function offsetOrTokenPage<T>(
  req: ApiRequest,
  items: readonly T[],
  maxLimit: number,
  defaultLimit: number,
  scope: string,
  zeroMeansMax = false,
): { items: T[]; hasMore: boolean; next?: string; prev?: string } {
  const asked = optionalInt(req, 'limit', zeroMeansMax ? 0 : 1, maxLimit) ?? defaultLimit;
  const limit = asked === 0 ? maxLimit : asked;
  const offset = optionalInt(req, 'offset', 0, 1_000_000);
  const token = optionalString(req, 'page_token');
  if (offset !== undefined && token !== undefined) {
    throw invalidParameter('Specify either offset or page_token, not both.');
  }
  if (offset !== undefined) {
    const slice = items.slice(offset, offset + limit);
    return { items: slice, hasMore: offset + limit < items.length };
  }
  const page = tokenPage(items, limit, token, `${scope}|${limit}`);
  return {
    items: page.items,
    hasMore: page.next !== undefined,
    ...(page.next ? { next: page.next } : {}),
    ...(page.prev ? { prev: page.prev } : {}),
  };
}
