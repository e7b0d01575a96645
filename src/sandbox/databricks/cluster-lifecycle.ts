import { type ApiRequest, type ApiRoute, optionalInt, optionalString, requiredString, tokenPage } from './api.ts';
import { nodeSize } from './catalog.ts';
import type { ClusterAccess } from './cluster-permissions.ts';
import type { ClusterStore } from './cluster-store.ts';
import type { ClusterDetails, TerminationReason } from './clusters.ts';
import { invalidParameter, WorkspaceApiError } from './errors.ts';

/**
 * Starting, restarting and terminating clusters, and their event log. Transitions are driven by
 * the workspace clock, not by timers: each request first applies the steps whose time has come,
 * so a test that controls the clock controls the story, and nothing keeps the process alive.
 *
 * @see https://docs.databricks.com/api/azure/workspace/clusters/start
 * @see https://docs.databricks.com/api/azure/workspace/clusters/delete
 * @see https://docs.databricks.com/api/azure/workspace/clusters/events
 */

/** How long each transition takes in sandbox time (real clusters take minutes; a demo wants seconds). */
export const CLUSTER_TIMINGS = { pendingMs: 12_000, restartingMs: 8_000, terminatingMs: 5_000 } as const;

export interface ClusterEvent {
  cluster_id: string;
  timestamp: number;
  type: string;
  details: Record<string, unknown>;
}

interface Step {
  at: number;
  apply(c: ClusterDetails): ClusterDetails;
  event?: Omit<ClusterEvent, 'cluster_id' | 'timestamp'>;
}

const EVENT_TYPES = [
  'CREATING',
  'STARTING',
  'RESTARTING',
  'TERMINATING',
  'EDITED',
  'RUNNING',
  'RESIZING',
  'UPSIZE_COMPLETED',
  'NODES_LOST',
  'DRIVER_HEALTHY',
  'DRIVER_UNAVAILABLE',
  'SPARK_EXCEPTION',
  'DRIVER_NOT_RESPONDING',
  'DBFS_DOWN',
  'METASTORE_DOWN',
  'AUTOSCALING_STATS_REPORT',
  'NODE_BLACKLISTED',
  'PINNED',
  'UNPINNED',
  'INIT_SCRIPTS_STARTED',
  'INIT_SCRIPTS_FINISHED',
  'DID_NOT_EXPAND_DISK',
  'EXPANDED_DISK',
  'FAILED_TO_EXPAND_DISK',
  'ADD_NODES_FAILED',
  'AUTOMATIC_CLUSTER_UPDATE',
  'AUTOSCALING_BACKOFF',
  'AUTOSCALING_FAILED',
  'CLUSTER_MIGRATED',
  'DECOMMISSION_STARTED',
  'DECOMMISSION_ENDED',
  'NODE_EXCLUDED_DECOMMISSIONED',
];

export class ClusterLifecycle {
  readonly #store: ClusterStore;
  readonly #pending = new Map<string, Step[]>();
  readonly #events = new Map<string, ClusterEvent[]>();
  #contexts = 0;

  constructor(store: ClusterStore) {
    this.#store = store;
  }

  /** Forgets every transition and event (after the cluster set is replaced). */
  reset(): void {
    this.#pending.clear();
    this.#events.clear();
  }

  /** Applies every step that is due at `now`. */
  advance(now: number): void {
    for (const [id, steps] of this.#pending) {
      let c = this.#store.find(id);
      if (!c) {
        this.#pending.delete(id);
        continue;
      }
      if ((steps[0] as Step).at > now) continue;
      while (steps.length > 0 && (steps[0] as Step).at <= now) {
        const step = steps.shift() as Step;
        c = step.apply(c);
        if (step.event) this.#record({ cluster_id: id, timestamp: step.at, ...step.event });
      }
      // Only a real change rebuilds the store's cached views.
      this.#store.update(c);
      if (steps.length === 0) this.#pending.delete(id);
    }
  }

  /** Starts a terminated cluster: PENDING now, RUNNING after `pendingMs`. */
  start(c: ClusterDetails, user: string, now: number): void {
    if (c.state !== 'TERMINATED') throw unexpectedState(c);
    // The history is made up from the details as they were before this change.
    this.events(c);
    const workers = targetWorkers(c);
    this.#store.update({
      ...stripRuntime(c),
      state: 'PENDING',
      state_message: 'Finding instances for new nodes, acquiring more instances if necessary',
      start_time: now,
    });
    this.#record({ cluster_id: c.cluster_id, timestamp: now, type: 'STARTING', details: { user } });
    const up = now + CLUSTER_TIMINGS.pendingMs;
    this.#pending.set(c.cluster_id, [
      {
        at: up - 1_000,
        apply: (x) => x,
        event: { type: 'DRIVER_HEALTHY', details: {} },
      },
      {
        at: up,
        apply: (x) => this.#running(x, up, workers),
        event: { type: 'RUNNING', details: { current_num_workers: workers, target_num_workers: workers } },
      },
    ]);
  }

  /** Restarts a running cluster: RESTARTING now, RUNNING after `restartingMs`. */
  restart(c: ClusterDetails, user: string, now: number): void {
    if (!['RUNNING', 'RESIZING'].includes(c.state)) throw unexpectedState(c);
    // The history is made up from the details as they were before this change.
    this.events(c);
    const workers = targetWorkers(c);
    this.#store.update({
      ...c,
      state: 'RESTARTING',
      state_message: `Restarting Spark: requested by ${user}.`,
      last_restarted_time: now,
    });
    this.#record({ cluster_id: c.cluster_id, timestamp: now, type: 'RESTARTING', details: { user } });
    const up = now + CLUSTER_TIMINGS.restartingMs;
    this.#pending.set(c.cluster_id, [
      {
        at: up,
        apply: (x) => this.#running(x, x.start_time, workers),
        event: { type: 'RUNNING', details: { current_num_workers: workers, target_num_workers: workers } },
      },
    ]);
  }

  /** Terminates a cluster: TERMINATING now, TERMINATED after `terminatingMs`; a terminated one is left as it is. */
  terminate(c: ClusterDetails, user: string, now: number): void {
    if (c.state === 'TERMINATED' || c.state === 'TERMINATING') return;
    // The history is made up from the details as they were before this change.
    this.events(c);
    const reason: TerminationReason = { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: user } };
    this.#store.update({
      ...c,
      state: 'TERMINATING',
      state_message: `Terminating: requested by ${user}`,
      termination_reason: reason,
    });
    this.#record({ cluster_id: c.cluster_id, timestamp: now, type: 'TERMINATING', details: { reason, user } });
    const down = now + CLUSTER_TIMINGS.terminatingMs;
    this.#pending.set(c.cluster_id, [
      {
        at: down,
        apply: (x) => ({
          ...stripRuntime(x),
          state: 'TERMINATED',
          state_message: `Terminated by ${user}`,
          terminated_time: down,
          termination_reason: reason,
        }),
      },
    ]);
  }

  /** The cluster's events, oldest first: a history made up from its details, then what happened since. */
  events(c: ClusterDetails): ClusterEvent[] {
    let list = this.#events.get(c.cluster_id);
    if (!list) {
      list = historyOf(c);
      this.#events.set(c.cluster_id, list);
    }
    return list;
  }

  #record(e: ClusterEvent): void {
    const c = this.#store.find(e.cluster_id);
    if (!c) return;
    this.events(c).push(e);
  }

  #running(c: ClusterDetails, startTime: number, workers: number): ClusterDetails {
    this.#contexts += 1;
    const worker = nodeSize(c.node_type_id);
    const driver = nodeSize(c.driver_node_type_id);
    const seed = [...c.cluster_id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) & 0xffff, 7);
    const ip = (n: number) => `10.139.${(seed >> 8) & 63}.${(seed + n) & 255}`;
    const nodeId = (n: number) =>
      `${c.cluster_id.slice(-8)}${n.toString(16).padStart(8, '0')}${this.#contexts.toString(16).padStart(16, '0')}`;
    return {
      ...stripRuntime(c),
      state: 'RUNNING',
      state_message: '',
      start_time: startTime,
      last_state_loss_time: startTime,
      last_activity_time: startTime,
      cluster_memory_mb: driver.memoryMb + workers * worker.memoryMb,
      cluster_cores: driver.cores + workers * worker.cores,
      // A new Spark context on each start: a 19-digit int64 as real workspaces send (odd, so a
      // JSON.parse that rounds to a double visibly changes it).
      spark_context_id: 4_020_997_813_441_461_827n + BigInt(seed) * 1_000_002n + BigInt(this.#contexts) * 2n,
      jdbc_port: 10000,
      driver: {
        node_id: nodeId(0),
        instance_id: nodeId(0).slice(0, 12),
        private_ip: ip(0),
        start_timestamp: startTime,
      },
      executors: Array.from({ length: workers }, (_, n) => ({
        node_id: nodeId(n + 1),
        instance_id: nodeId(n + 1).slice(0, 12),
        private_ip: ip(n + 1),
        start_timestamp: startTime,
        node_attributes: { is_spot: c.azure_attributes.availability === 'SPOT_AZURE' },
      })),
    };
  }
}

function targetWorkers(c: ClusterDetails): number {
  return c.autoscale ? c.autoscale.min_workers : (c.num_workers ?? 0);
}

/** The cluster without what only exists while it runs (or after it stopped). */
function stripRuntime(c: ClusterDetails): ClusterDetails {
  const {
    driver: _d,
    executors: _e,
    spark_context_id: _s,
    jdbc_port: _j,
    last_activity_time: _a,
    last_state_loss_time: _l,
    terminated_time: _t,
    termination_reason: _r,
    ...rest
  } = c;
  return rest;
}

const STATE_WORD: Record<string, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  RESTARTING: 'Restarting',
  RESIZING: 'Resizing',
  TERMINATING: 'Terminating',
  TERMINATED: 'Terminated',
  ERROR: 'Error',
  UNKNOWN: 'Unknown',
};

function unexpectedState(c: ClusterDetails): WorkspaceApiError {
  return new WorkspaceApiError(
    400,
    'INVALID_STATE',
    `Cluster ${c.cluster_id} is in unexpected state ${STATE_WORD[c.state] ?? c.state}.`,
  );
}

function historyOf(c: ClusterDetails): ClusterEvent[] {
  const ev = (timestamp: number, type: string, details: Record<string, unknown> = {}): ClusterEvent => ({
    cluster_id: c.cluster_id,
    timestamp,
    type,
    details,
  });
  const workers = targetWorkers(c);
  const list = [ev(c.start_time, 'CREATING', c.creator_user_name ? { user: c.creator_user_name } : {})];
  if (c.state === 'PENDING') return list;
  if (c.state === 'ERROR') {
    list.push(ev(c.start_time + 60_000, 'INIT_SCRIPTS_STARTED'));
    list.push(ev(c.start_time + 90_000, 'INIT_SCRIPTS_FINISHED'));
    return list;
  }
  list.push(ev(c.start_time + 150_000, 'DRIVER_HEALTHY'));
  list.push(ev(c.start_time + 180_000, 'RUNNING', { current_num_workers: workers, target_num_workers: workers }));
  if (c.last_restarted_time)
    list.push(ev(c.last_restarted_time, 'RESTARTING', { user: c.creator_user_name ?? 'unknown' }));
  if (c.state === 'RESIZING') {
    list.push(
      ev(c.start_time + 600_000, 'RESIZING', {
        current_num_workers: workers,
        target_num_workers: workers + 2,
        cause: 'AUTOSCALE',
      }),
    );
  }
  if (c.termination_reason) {
    const at = c.terminated_time ?? c.start_time + 240_000;
    list.push(ev(Math.max(at - 60_000, c.start_time + 181_000), 'TERMINATING', { reason: c.termination_reason }));
  }
  return list;
}

/** Routes for start, restart, delete (terminate) and events, on 2.0 and 2.1. */
export function clusterLifecycleRoutes(
  store: ClusterStore,
  lifecycle: ClusterLifecycle,
  access: ClusterAccess,
): ApiRoute[] {
  const cluster = (req: ApiRequest): ClusterDetails => {
    const id = requiredString(req, 'cluster_id');
    const c = store.find(id);
    if (!c) throw invalidParameter(`Cluster ${id} does not exist`);
    return c;
  };
  const action = (run: (c: ClusterDetails, req: ApiRequest) => void) => (req: ApiRequest) => {
    const c = cluster(req);
    access.require(req.member, c, 'CAN_RESTART');
    run(c, req);
    return {};
  };
  const start = action((c, req) => lifecycle.start(c, req.member.upn, req.now));
  const restart = action((c, req) => lifecycle.restart(c, req.member.upn, req.now));
  const terminate = action((c, req) => lifecycle.terminate(c, req.member.upn, req.now));
  const events = (req: ApiRequest) => {
    const c = cluster(req);
    access.require(req.member, c, 'CAN_ATTACH_TO');
    return eventsPage(req, lifecycle.events(c));
  };
  return ['2.0', '2.1'].flatMap((v): ApiRoute[] => [
    { method: 'POST', path: `/api/${v}/clusters/start`, handle: start },
    { method: 'POST', path: `/api/${v}/clusters/restart`, handle: restart },
    { method: 'POST', path: `/api/${v}/clusters/delete`, handle: terminate },
    { method: 'POST', path: `/api/${v}/clusters/events`, handle: events },
  ]);
}

/**
 * One page of events, in either style the API takes: `page_size`/`page_token` (current; answers
 * `next_page_token`/`prev_page_token` and a `total_count` of 0), or the deprecated `offset`/`limit`
 * (default 50, at most 500), whose `next_page` repeats the request with the next offset.
 */
function eventsPage(req: ApiRequest, all: readonly ClusterEvent[]): Record<string, unknown> {
  const startTime = optionalInt(req, 'start_time', 0, Number.MAX_SAFE_INTEGER);
  const endTime = optionalInt(req, 'end_time', 0, Number.MAX_SAFE_INTEGER);
  const order = optionalString(req, 'order') ?? 'DESC';
  if (order !== 'ASC' && order !== 'DESC') {
    throw invalidParameter(`Invalid value '${order.slice(0, 40)}' for order; expected ASC or DESC.`);
  }
  const types = req.body.event_types;
  if (types !== undefined && (!Array.isArray(types) || types.some((t) => !EVENT_TYPES.includes(t as string)))) {
    throw invalidParameter(
      'Invalid event_types: expected an array of event types such as STARTING, RUNNING, TERMINATING.',
    );
  }
  const wanted = new Set(types as string[] | undefined);
  const picked = all.filter(
    (e) =>
      (startTime === undefined || e.timestamp >= startTime) &&
      (endTime === undefined || e.timestamp <= endTime) &&
      (wanted.size === 0 || wanted.has(e.type)),
  );
  picked.sort((a, b) => (order === 'ASC' ? a.timestamp - b.timestamp : b.timestamp - a.timestamp));

  const pageToken = optionalString(req, 'page_token');
  const rawSize = optionalInt(req, 'page_size', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (pageToken !== undefined || rawSize !== undefined) {
    // Out of range sizes are brought to 0 or 500, as the reference says; 0 lets the server choose.
    const size = rawSize === undefined || rawSize <= 0 ? 50 : Math.min(rawSize, 500);
    const scope = JSON.stringify([req.body.cluster_id, startTime, endTime, order, [...wanted].sort(), size]);
    const page = tokenPage(picked, size, pageToken, scope);
    return {
      events: page.items,
      ...(page.next ? { next_page_token: page.next } : {}),
      ...(page.prev ? { prev_page_token: page.prev } : {}),
      total_count: 0,
    };
  }
  const offset = optionalInt(req, 'offset', 0, 1_000_000) ?? 0;
  const limit = optionalInt(req, 'limit', 1, 500) ?? 50;
  if (offset > 0 && order === 'DESC' && endTime === undefined) {
    throw invalidParameter('end_time is required when offset is specified and events are listed in DESC order.');
  }
  const events = picked.slice(offset, offset + limit);
  const body: Record<string, unknown> = { events, total_count: picked.length };
  if (offset + limit < picked.length) {
    // The next request pins end_time, so events recorded meanwhile do not shift a DESC listing.
    body.next_page = { ...req.body, offset: offset + limit, limit, end_time: endTime ?? req.now };
  }
  return body;
}
