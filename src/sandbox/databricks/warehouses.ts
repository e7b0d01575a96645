import {
  type ApiRequest,
  type ApiRoute,
  optionalInt,
  optionalString,
  permissionDenied,
  resourceNotFound,
  tokenPage,
} from './api.ts';
import type { WorkspaceConfig, WorkspaceMember } from './config.ts';

/**
 * SQL warehouses: list, get, start and stop. STARTING becomes RUNNING and STOPPING becomes
 * STOPPED as the workspace clock passes; the classic warehouse's Spark cluster (the demo's SQL
 * cluster) starts and terminates with it.
 *
 * @see https://docs.databricks.com/api/azure/workspace/warehouses/list
 * @see https://docs.databricks.com/api/azure/workspace/warehouses/start
 */

export const WAREHOUSE_TIMINGS = { startingMs: 10_000, stoppingMs: 5_000 } as const;

type WarehouseState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'DELETED';
type Level = 'CAN_USE' | 'CAN_MANAGE';

interface Warehouse {
  id: string;
  name: string;
  cluster_size: string;
  min_num_clusters: number;
  max_num_clusters: number;
  auto_stop_mins: number;
  creator_name: string;
  enable_photon: boolean;
  enable_serverless_compute: boolean;
  warehouse_type: 'PRO' | 'CLASSIC';
  state: WarehouseState;
  /** The next state and when it is due. */
  next?: { state: WarehouseState; at: number };
  users: Record<string, Level>;
  /** The Spark cluster a classic or pro (non-serverless) warehouse runs on. */
  clusterId?: string;
  tags: { key: string; value: string }[];
}

/** What the warehouse needs from the clusters: to start or terminate its backing cluster. */
export interface BackingClusters {
  start(clusterId: string, user: string, now: number): void;
  terminate(clusterId: string, user: string, now: number): void;
}

function demoWarehouses(): Warehouse[] {
  const ben = 'ben@contoso.example';
  const ana = 'ana@contoso.example';
  const dana = 'dana@contoso.example';
  return [
    {
      id: '4c1f8a2e9b7d3a60',
      name: 'BI Serverless',
      cluster_size: 'Small',
      min_num_clusters: 1,
      max_num_clusters: 4,
      auto_stop_mins: 10,
      creator_name: ben,
      enable_photon: true,
      enable_serverless_compute: false,
      warehouse_type: 'PRO',
      state: 'RUNNING',
      users: { [ana]: 'CAN_USE', [dana]: 'CAN_USE' },
      clusterId: '1104-020013-sq1warh0',
      tags: [{ key: 'team', value: 'bi' }],
    },
    {
      id: 'a7d0e5b3c2f14e98',
      name: 'Analysts Starter',
      cluster_size: '2X-Small',
      min_num_clusters: 1,
      max_num_clusters: 1,
      auto_stop_mins: 20,
      creator_name: ana,
      enable_photon: true,
      enable_serverless_compute: true,
      warehouse_type: 'PRO',
      state: 'STOPPED',
      users: { [dana]: 'CAN_USE' },
      tags: [{ key: 'team', value: 'analysts' }],
    },
    {
      id: '9e3b6f0d1a2c4b57',
      name: 'Finance Reporting',
      cluster_size: 'Medium',
      min_num_clusters: 1,
      max_num_clusters: 2,
      auto_stop_mins: 45,
      creator_name: ben,
      enable_photon: true,
      enable_serverless_compute: false,
      warehouse_type: 'CLASSIC',
      state: 'STOPPED',
      users: {},
      tags: [{ key: 'cost-center', value: '4410' }],
    },
  ];
}

export class WarehousesState {
  readonly #config: WorkspaceConfig;
  readonly #clusters: BackingClusters;
  #warehouses: Warehouse[] = demoWarehouses();

  constructor(config: WorkspaceConfig, clusters: BackingClusters) {
    this.#config = config;
    this.#clusters = clusters;
  }

  reset(): void {
    this.#warehouses = demoWarehouses();
  }

  advance(now: number): void {
    for (const w of this.#warehouses) {
      if (w.next && w.next.at <= now) {
        w.state = w.next.state;
        delete w.next;
      }
    }
  }

  #level(m: WorkspaceMember, w: Warehouse): Level | undefined {
    if (m.admin || w.creator_name === m.upn) return 'CAN_MANAGE';
    return w.users[m.upn];
  }

  #find(req: ApiRequest): Warehouse {
    const id = req.params.id as string;
    const w = this.#warehouses.find((x) => x.id === id);
    if (!w || this.#level(req.member, w) === undefined) {
      throw resourceNotFound(`Warehouse ${id} does not exist.`);
    }
    return w;
  }

  #json(w: Warehouse): Record<string, unknown> {
    const running = w.state === 'RUNNING';
    const host = this.#config.hostLabel;
    const path = `/sql/1.0/warehouses/${w.id}`;
    return {
      id: w.id,
      name: w.name,
      cluster_size: w.cluster_size,
      min_num_clusters: w.min_num_clusters,
      max_num_clusters: w.max_num_clusters,
      auto_stop_mins: w.auto_stop_mins,
      creator_name: w.creator_name,
      enable_photon: w.enable_photon,
      enable_serverless_compute: w.enable_serverless_compute,
      warehouse_type: w.warehouse_type,
      spot_instance_policy: 'COST_OPTIMIZED',
      channel: { name: 'CHANNEL_NAME_CURRENT' },
      tags: { custom_tags: w.tags },
      state: w.state,
      num_clusters: running ? w.min_num_clusters : 0,
      num_active_sessions: running ? 2 : 0,
      jdbc_url: `jdbc:spark://${host}:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=${path};`,
      odbc_params: { hostname: host, path, protocol: 'https', port: 443 },
      // Always present (empty unless running): the SDK's waiters read `health.summary` on every poll.
      health: running ? { status: 'HEALTHY' } : {},
    };
  }

  routes(): ApiRoute[] {
    const list = (req: ApiRequest) => {
      const size = optionalInt(req, 'page_size', 0, 1000) || 100;
      const visible = this.#warehouses.filter((w) => this.#level(req.member, w) !== undefined);
      const page = tokenPage(visible, size, optionalString(req, 'page_token'), `wh|${req.member.upn}|${size}`);
      return { warehouses: page.items.map((w) => this.#json(w)), ...(page.next ? { next_page_token: page.next } : {}) };
    };
    const get = (req: ApiRequest) => this.#json(this.#find(req));
    const start = (req: ApiRequest) => {
      const w = this.#find(req);
      if (w.state === 'STOPPED' || w.state === 'STOPPING') {
        w.state = 'STARTING';
        w.next = { state: 'RUNNING', at: req.now + WAREHOUSE_TIMINGS.startingMs };
        if (w.clusterId) this.#clusters.start(w.clusterId, req.member.upn, req.now);
      }
      return {};
    };
    const stop = (req: ApiRequest) => {
      const w = this.#find(req);
      if (this.#level(req.member, w) !== 'CAN_MANAGE') {
        throw permissionDenied(
          `${req.member.upn} does not have Can Manage permission on warehouse ${w.id}. Ask the warehouse's owner or a workspace admin to stop it.`,
        );
      }
      if (w.state === 'RUNNING' || w.state === 'STARTING') {
        w.state = 'STOPPING';
        w.next = { state: 'STOPPED', at: req.now + WAREHOUSE_TIMINGS.stoppingMs };
        if (w.clusterId) this.#clusters.terminate(w.clusterId, req.member.upn, req.now);
      }
      return {};
    };
    return [
      { method: 'GET', path: '/api/2.0/sql/warehouses', handle: list },
      { method: 'GET', path: '/api/2.0/sql/warehouses/{id}', handle: get },
      { method: 'POST', path: '/api/2.0/sql/warehouses/{id}/start', handle: start },
      { method: 'POST', path: '/api/2.0/sql/warehouses/{id}/stop', handle: stop },
    ];
  }
}
