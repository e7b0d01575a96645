import { nodeSize } from './catalog.ts';

/**
 * Cluster data in the Clusters API's wire format, written from Databricks' documentation (not
 * from the app's or the SDK's types), plus the built-in demo set and a seeded generator.
 *
 * @see https://docs.databricks.com/api/azure/workspace/clusters/get
 */

export const CLUSTER_STATES = [
  'PENDING',
  'RUNNING',
  'RESTARTING',
  'RESIZING',
  'TERMINATING',
  'TERMINATED',
  'ERROR',
  'UNKNOWN',
] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export const CLUSTER_SOURCES = ['UI', 'API', 'JOB', 'MODELS', 'PIPELINE', 'PIPELINE_MAINTENANCE', 'SQL'] as const;
export type ClusterSource = (typeof CLUSTER_SOURCES)[number];

export interface TerminationReason {
  code: string;
  type: 'SUCCESS' | 'CLIENT_ERROR' | 'SERVICE_FAULT' | 'CLOUD_FAILURE';
  parameters: Record<string, string>;
}

export interface SparkNode {
  node_id: string;
  instance_id: string;
  private_ip: string;
  start_timestamp: number;
  node_attributes?: { is_spot: boolean };
}

export interface AzureAttributes {
  availability: 'ON_DEMAND_AZURE' | 'SPOT_AZURE' | 'SPOT_WITH_FALLBACK_AZURE';
  first_on_demand: number;
  spot_bid_max_price: number;
}

/** One cluster as `clusters/get` returns it (`clusters/list` omits `spec`). */
export interface ClusterDetails {
  cluster_id: string;
  cluster_name: string;
  spark_version: string;
  node_type_id: string;
  driver_node_type_id: string;
  num_workers?: number;
  autoscale?: { min_workers: number; max_workers: number };
  autotermination_minutes: number;
  azure_attributes: AzureAttributes;
  cluster_source: ClusterSource;
  creator_user_name?: string;
  data_security_mode: string;
  single_user_name?: string;
  runtime_engine: 'STANDARD' | 'PHOTON';
  kind?: 'CLASSIC_PREVIEW';
  is_single_node?: boolean;
  use_ml_runtime?: boolean;
  policy_id?: string;
  instance_pool_id?: string;
  enable_elastic_disk: boolean;
  enable_local_disk_encryption: boolean;
  state: ClusterState;
  state_message: string;
  start_time: number;
  terminated_time?: number;
  last_state_loss_time?: number;
  last_restarted_time?: number;
  last_activity_time?: number;
  termination_reason?: TerminationReason;
  cluster_memory_mb: number;
  cluster_cores: number;
  /** int64; real values use all 19 digits, so it is a bigint here and written exactly (see json.ts). */
  spark_context_id?: bigint;
  jdbc_port?: number;
  driver?: SparkNode;
  executors?: SparkNode[];
  spark_conf: Record<string, string>;
  spark_env_vars: Record<string, string>;
  custom_tags: Record<string, string>;
  default_tags: Record<string, string>;
  init_scripts?: { workspace: { destination: string } }[];
  /** Undocumented but present in real list answers; the 2.1 `is_pinned` filter reads it. */
  pinned_by_user_name?: string;
  spec?: Record<string, unknown>;
}

/** What the list filters and sorts need, kept apart so generated sets need not hold full objects. */
export interface ClusterSummary {
  cluster_id: string;
  cluster_name: string;
  state: ClusterState;
  cluster_source: ClusterSource;
  pinned: boolean;
  policy_id: string | undefined;
  creator: string | undefined;
}

export function summarize(c: ClusterDetails): ClusterSummary {
  return {
    cluster_id: c.cluster_id,
    cluster_name: c.cluster_name,
    state: c.state,
    cluster_source: c.cluster_source,
    pinned: c.pinned_by_user_name !== undefined,
    policy_id: c.policy_id,
    creator: c.creator_user_name,
  };
}

/** The `spec` that `clusters/get` adds: the cluster's configuration as it was requested. */
export function specOf(c: ClusterDetails): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    cluster_name: c.cluster_name,
    spark_version: c.spark_version,
    node_type_id: c.node_type_id,
    driver_node_type_id: c.driver_node_type_id,
    autotermination_minutes: c.autotermination_minutes,
    azure_attributes: c.azure_attributes,
    data_security_mode: c.data_security_mode,
    runtime_engine: c.runtime_engine,
    spark_conf: c.spark_conf,
    custom_tags: c.custom_tags,
    enable_elastic_disk: c.enable_elastic_disk,
  };
  if (c.autoscale) spec.autoscale = c.autoscale;
  else spec.num_workers = c.num_workers ?? 0;
  if (c.single_user_name) spec.single_user_name = c.single_user_name;
  if (c.policy_id) spec.policy_id = c.policy_id;
  return spec;
}

const ACTIVE: ReadonlySet<ClusterState> = new Set(['RUNNING', 'RESIZING', 'RESTARTING']);

interface ClusterInput {
  id: string;
  name: string;
  sparkVersion: string;
  nodeType: string;
  driverNodeType?: string;
  workers: number | { min: number; max: number };
  /** Workers currently up (defaults to the fixed size or autoscale minimum). */
  currentWorkers?: number;
  autoterminationMinutes: number;
  source: ClusterSource;
  creator?: string;
  securityMode: string;
  singleUser?: string;
  photon?: boolean;
  singleNode?: boolean;
  ml?: boolean;
  policyId?: string;
  availability?: AzureAttributes['availability'];
  state: ClusterState;
  stateMessage?: string;
  startTime: number;
  terminatedTime?: number;
  lastRestartedTime?: number;
  terminationReason?: TerminationReason;
  customTags?: Record<string, string>;
  sparkConf?: Record<string, string>;
  pinnedBy?: string;
  ipSeed: number;
}

/** Builds a consistent ClusterDetails: totals, tags and runtime info follow from the inputs. */
function buildCluster(i: ClusterInput): ClusterDetails {
  const driverType = i.driverNodeType ?? i.nodeType;
  const autoscale =
    typeof i.workers === 'number' ? undefined : { min_workers: i.workers.min, max_workers: i.workers.max };
  const workers = i.currentWorkers ?? (typeof i.workers === 'number' ? i.workers : i.workers.min);
  const worker = nodeSize(i.nodeType);
  const driver = nodeSize(driverType);
  const running = ACTIVE.has(i.state);
  const c: ClusterDetails = {
    cluster_id: i.id,
    cluster_name: i.name,
    spark_version: i.sparkVersion,
    node_type_id: i.nodeType,
    driver_node_type_id: driverType,
    ...(autoscale ? { autoscale } : { num_workers: i.workers as number }),
    autotermination_minutes: i.autoterminationMinutes,
    azure_attributes: {
      availability: i.availability ?? 'ON_DEMAND_AZURE',
      first_on_demand: i.availability === 'SPOT_AZURE' ? 0 : 1,
      spot_bid_max_price: -1,
    },
    cluster_source: i.source,
    ...(i.creator ? { creator_user_name: i.creator } : {}),
    data_security_mode: i.securityMode,
    ...(i.singleUser ? { single_user_name: i.singleUser } : {}),
    runtime_engine: i.photon ? 'PHOTON' : 'STANDARD',
    ...(i.singleNode ? { kind: 'CLASSIC_PREVIEW' as const, is_single_node: true } : {}),
    ...(i.ml ? { use_ml_runtime: true } : {}),
    ...(i.policyId ? { policy_id: i.policyId } : {}),
    enable_elastic_disk: true,
    enable_local_disk_encryption: false,
    state: i.state,
    state_message: i.stateMessage ?? '',
    start_time: i.startTime,
    ...(i.terminatedTime !== undefined ? { terminated_time: i.terminatedTime } : {}),
    ...(running ? { last_state_loss_time: i.startTime + 270_333 } : {}),
    ...(i.lastRestartedTime !== undefined ? { last_restarted_time: i.lastRestartedTime } : {}),
    ...(i.terminationReason ? { termination_reason: i.terminationReason } : {}),
    cluster_memory_mb: driver.memoryMb + workers * worker.memoryMb,
    cluster_cores: driver.cores + workers * worker.cores,
    spark_conf: i.singleNode
      ? { 'spark.master': 'local[*, 4]', 'spark.databricks.cluster.profile': 'singleNode', ...i.sparkConf }
      : { ...i.sparkConf },
    spark_env_vars: { PYSPARK_PYTHON: '/databricks/python3/bin/python3' },
    custom_tags: i.singleNode ? { ResourceClass: 'SingleNode', ...i.customTags } : { ...i.customTags },
    default_tags: {
      Vendor: 'Databricks',
      ...(i.creator ? { Creator: i.creator } : {}),
      ClusterName: i.name,
      ClusterId: i.id,
    },
    ...(i.pinnedBy ? { pinned_by_user_name: i.pinnedBy } : {}),
  };
  if (running) {
    const ip = (n: number) => `10.139.${(i.ipSeed >> 8) & 63}.${(i.ipSeed + n) & 255}`;
    const nodeId = (n: number) =>
      `${i.id.slice(-8)}${n.toString(16).padStart(8, '0')}${i.ipSeed.toString(16).padStart(16, '0')}`;
    // Real ids are 19-digit int64s (the API reference shows 4020997813441462000), beyond a
    // double's 2^53. Ours are odd, so none is a multiple of the 512 doubles step by at this size:
    // a client that parses them into a JavaScript number gets a visibly different value.
    c.spark_context_id = 4_020_997_813_441_461_827n + BigInt(i.ipSeed) * 1_000_002n;
    c.jdbc_port = 10000;
    c.last_activity_time = i.startTime + 600_000;
    c.driver = {
      node_id: nodeId(0),
      instance_id: `${nodeId(0).slice(0, 12)}`,
      private_ip: ip(0),
      start_timestamp: i.startTime,
    };
    c.executors = Array.from({ length: workers }, (_, n) => ({
      node_id: nodeId(n + 1),
      instance_id: nodeId(n + 1).slice(0, 12),
      private_ip: ip(n + 1),
      start_timestamp: i.startTime + 30_000,
      node_attributes: { is_spot: i.availability === 'SPOT_AZURE' },
    }));
  }
  return c;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The built-in demo set: thirteen clusters in every state and source, some visible to each demo
 * user. Times are relative to `now` so the story stays current.
 */
export function builtinClusters(now: number = Date.now()): ClusterDetails[] {
  const ben = 'ben@contoso.example';
  const ana = 'ana@contoso.example';
  const inactivity = (min: number): TerminationReason => ({
    code: 'INACTIVITY',
    type: 'SUCCESS',
    parameters: { inactivity_duration_min: String(min) },
  });
  const inputs: ClusterInput[] = [
    {
      id: '0612-081530-k3v9x2ab',
      name: 'shared-analytics',
      sparkVersion: '15.4.x-scala2.12',
      nodeType: 'Standard_DS3_v2',
      workers: { min: 2, max: 8 },
      currentWorkers: 3,
      autoterminationMinutes: 60,
      source: 'UI',
      creator: ana,
      securityMode: 'USER_ISOLATION',
      state: 'RUNNING',
      startTime: now - 3 * HOUR,
      customTags: { team: 'bi' },
      pinnedBy: ben,
      ipSeed: 11,
    },
    {
      id: '0301-142207-bz7qm4tc',
      name: 'bi-dashboards',
      sparkVersion: '16.4.x-scala2.12',
      nodeType: 'Standard_E8ds_v4',
      workers: 4,
      autoterminationMinutes: 120,
      source: 'UI',
      creator: ben,
      securityMode: 'USER_ISOLATION',
      photon: true,
      state: 'RUNNING',
      startTime: now - 26 * HOUR,
      lastRestartedTime: now - 5 * HOUR,
      customTags: { team: 'bi', 'cost-center': '4410' },
      pinnedBy: ben,
      policyId: 'E0631F5C0D000A1F',
      ipSeed: 23,
    },
    {
      id: '1104-020013-sq1warh0',
      name: "SQL Warehouse 'BI Serverless' (sql-warehouse-backing)",
      sparkVersion: '16.4.x-photon-scala2.12',
      nodeType: 'Standard_E8ds_v4',
      workers: { min: 1, max: 4 },
      currentWorkers: 2,
      autoterminationMinutes: 10,
      source: 'SQL',
      creator: ben,
      securityMode: 'USER_ISOLATION',
      photon: true,
      state: 'RUNNING',
      startTime: now - 50 * MINUTE,
      customTags: { SqlEndpointId: '4c1f8a2e9b7d3a60' },
      ipSeed: 37,
    },
    {
      id: '1121-075502-mlgpu7x1',
      name: 'ml-training-gpu',
      sparkVersion: '15.4.x-gpu-ml-scala2.12',
      nodeType: 'Standard_NC6s_v3',
      workers: { min: 1, max: 6 },
      currentWorkers: 4,
      autoterminationMinutes: 90,
      source: 'UI',
      creator: 'mia@contoso.example',
      securityMode: 'SINGLE_USER',
      singleUser: 'mia@contoso.example',
      ml: true,
      state: 'RESIZING',
      stateMessage: 'Resizing cluster: adding 2 workers (autoscaling up).',
      startTime: now - 2 * HOUR,
      customTags: { team: 'data-science', project: 'churn' },
      ipSeed: 41,
    },
    {
      id: '1124-043015-dlt0rd3r',
      name: 'dlt-execution-5b1c9e7a-orders',
      sparkVersion: '16.4.x-scala2.12',
      nodeType: 'Standard_D8ds_v5',
      workers: { min: 1, max: 5 },
      currentWorkers: 2,
      autoterminationMinutes: 0,
      source: 'PIPELINE',
      creator: ben,
      securityMode: 'USER_ISOLATION',
      photon: true,
      state: 'RUNNING',
      startTime: now - 40 * MINUTE,
      customTags: { pipeline: 'orders-bronze-to-gold' },
      ipSeed: 53,
    },
    {
      id: '1124-061200-str3am9q',
      name: 'streaming-ingest',
      sparkVersion: '15.4.x-scala2.12',
      nodeType: 'Standard_DS4_v2',
      workers: 3,
      autoterminationMinutes: 0,
      source: 'API',
      creator: ben,
      securityMode: 'SINGLE_USER',
      singleUser: ben,
      state: 'RESTARTING',
      stateMessage: 'Restarting Spark: configuration change requested by ben@contoso.example.',
      startTime: now - 9 * DAY,
      lastRestartedTime: now - 2 * MINUTE,
      customTags: { team: 'platform' },
      ipSeed: 67,
    },
    {
      id: '1124-065931-secaud1t',
      name: 'security-audit',
      sparkVersion: '16.4.x-scala2.12',
      nodeType: 'Standard_DS3_v2',
      workers: 0,
      autoterminationMinutes: 30,
      source: 'UI',
      creator: 'eve@contoso.example',
      securityMode: 'SINGLE_USER',
      singleUser: 'eve@contoso.example',
      singleNode: true,
      state: 'PENDING',
      stateMessage: 'Finding instances for new nodes, acquiring more instances if necessary',
      startTime: now - 1 * MINUTE,
      ipSeed: 79,
    },
    {
      id: '1124-010000-sp0tb4tc',
      name: 'spot-batch-scoring',
      sparkVersion: '15.4.x-cpu-ml-scala2.12',
      nodeType: 'Standard_F4s',
      driverNodeType: 'Standard_DS3_v2',
      workers: 8,
      autoterminationMinutes: 20,
      source: 'API',
      creator: ben,
      securityMode: 'SINGLE_USER',
      singleUser: ben,
      ml: true,
      availability: 'SPOT_AZURE',
      state: 'TERMINATING',
      stateMessage: 'Terminating: requested by ben@contoso.example',
      startTime: now - 4 * HOUR,
      terminationReason: { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: ben } },
      ipSeed: 83,
    },
    {
      id: '1123-231500-ana5cr4t',
      name: 'ana-scratch',
      sparkVersion: '15.4.x-scala2.12',
      nodeType: 'Standard_DS3_v2',
      workers: 0,
      autoterminationMinutes: 60,
      source: 'UI',
      creator: ana,
      securityMode: 'SINGLE_USER',
      singleUser: ana,
      singleNode: true,
      state: 'TERMINATED',
      stateMessage: 'Inactive cluster terminated (inactive for 60 minutes).',
      startTime: now - 11 * HOUR,
      terminatedTime: now - 8 * HOUR,
      terminationReason: inactivity(60),
      ipSeed: 97,
    },
    {
      id: '1124-020000-j0b41827',
      name: 'job-418273645-run-99217',
      sparkVersion: '15.4.x-scala2.12',
      nodeType: 'Standard_DS4_v2',
      workers: 6,
      autoterminationMinutes: 0,
      source: 'JOB',
      creator: ben,
      securityMode: 'SINGLE_USER',
      singleUser: ben,
      state: 'TERMINATED',
      stateMessage: 'Job finished',
      startTime: now - 5 * HOUR,
      terminatedTime: now - 4 * HOUR,
      terminationReason: { code: 'JOB_FINISHED', type: 'SUCCESS', parameters: {} },
      customTags: { JobId: '418273645', RunName: 'etl-nightly' },
      ipSeed: 101,
    },
    {
      id: '1122-093012-gpuq0ta1',
      name: 'gpu-experiments',
      sparkVersion: '15.4.x-gpu-ml-scala2.12',
      nodeType: 'Standard_NC4as_T4_v3',
      workers: 2,
      autoterminationMinutes: 45,
      source: 'UI',
      creator: 'mia@contoso.example',
      securityMode: 'SINGLE_USER',
      singleUser: 'mia@contoso.example',
      ml: true,
      state: 'TERMINATED',
      stateMessage:
        'Azure quota exceeded: the subscription has no quota left for Standard NCASv3_T4 family vCPUs in westeurope.',
      startTime: now - 2 * DAY,
      terminatedTime: now - 2 * DAY + 4 * MINUTE,
      terminationReason: {
        code: 'AZURE_QUOTA_EXCEEDED_EXCEPTION',
        type: 'CLIENT_ERROR',
        parameters: {
          azure_error_code: 'QuotaExceeded',
          azure_error_message:
            'Operation could not be completed as it results in exceeding approved standardNCASv3_T4Family Cores quota.',
        },
      },
      ipSeed: 103,
    },
    {
      id: '1120-170045-3rr0rin1',
      name: 'legacy-etl',
      sparkVersion: '13.3.x-scala2.12',
      nodeType: 'Standard_DS3_v2',
      workers: 2,
      autoterminationMinutes: 120,
      source: 'UI',
      creator: ben,
      securityMode: 'NONE',
      state: 'ERROR',
      stateMessage: 'Cluster start failed: init script workspace:/Shared/init/install-odbc.sh exited with code 1.',
      startTime: now - 4 * DAY,
      ipSeed: 107,
    },
    {
      id: '1030-110000-0ldr3p0t',
      name: 'legacy-reporting',
      sparkVersion: '13.3.x-scala2.12',
      nodeType: 'Standard_DS3_v2',
      workers: 1,
      autoterminationMinutes: 120,
      source: 'UI',
      securityMode: 'LEGACY_TABLE_ACL',
      state: 'TERMINATED',
      stateMessage: 'Inactive cluster terminated (inactive for 120 minutes).',
      startTime: now - 26 * DAY,
      terminatedTime: now - 25 * DAY,
      terminationReason: inactivity(120),
      ipSeed: 109,
    },
  ];
  return inputs.map(buildCluster);
}

// --- Generator -------------------------------------------------------------------------------

/** Generated clusters' times are fixed to this instant so a (count, seed) pair always gives the same data. */
export const GENERATOR_EPOCH_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

const SUFFIX_SPACE = 36 ** 8;
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const TEAMS = ['bi', 'finance', 'marketing', 'platform', 'data-science', 'risk', 'supply-chain', 'growth'];
const PURPOSES = ['analytics', 'etl', 'adhoc', 'reporting', 'feature-eng', 'training', 'exploration', 'backfill'];
const GEN_CREATORS = [
  'ana@contoso.example',
  'ben@contoso.example',
  'dana@contoso.example',
  'eve@contoso.example',
  'mia@contoso.example',
  'raj@contoso.example',
  'lee@contoso.example',
];
const GEN_NODES = [
  'Standard_DS3_v2',
  'Standard_DS4_v2',
  'Standard_D4ds_v5',
  'Standard_D8ds_v5',
  'Standard_E8ds_v4',
  'Standard_F4s',
];
const GEN_VERSIONS = [
  '16.4.x-scala2.12',
  '15.4.x-scala2.12',
  '15.4.x-photon-scala2.12',
  '14.3.x-scala2.12',
  '13.3.x-scala2.12',
];
// Weighted like a real workspace: mostly terminated, a fair share running.
const GEN_STATES: ClusterState[] = [
  'TERMINATED',
  'TERMINATED',
  'TERMINATED',
  'TERMINATED',
  'RUNNING',
  'RUNNING',
  'RUNNING',
  'PENDING',
  'RESIZING',
  'RESTARTING',
  'TERMINATING',
  'ERROR',
];
const GEN_SOURCES: ClusterSource[] = ['UI', 'UI', 'UI', 'API', 'JOB', 'JOB', 'JOB', 'PIPELINE', 'SQL'];
const GEN_POLICIES = ['E0631F5C0D000A1F', '0009AC41B7D2E311', '001F2B3C4D5E6F70'];

/** The `index`-th cluster of the set generated from `seed`; pure, so any index can be made on demand. */
export function generatedCluster(seed: number, index: number): ClusterDetails {
  const rnd = mulberry32(hash2(seed, index));
  // A bijection of the index gives every cluster in a set a distinct 8-character suffix.
  const suffixNumber = (index * 48_271 + (hash2(seed, -1) % SUFFIX_SPACE)) % SUFFIX_SPACE;
  const suffix = suffixNumber.toString(36).padStart(8, '0');
  const created = GENERATOR_EPOCH_MS - Math.floor(rnd() * 30 * DAY);
  const d = new Date(created);
  const pad = (n: number) => String(n).padStart(2, '0');
  const id = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}-${suffix}`;
  const source = pick(rnd, GEN_SOURCES);
  const state = pick(rnd, GEN_STATES);
  const creator = pick(rnd, GEN_CREATORS);
  const team = pick(rnd, TEAMS);
  const name =
    source === 'JOB'
      ? `job-${100_000_000 + Math.floor(rnd() * 899_999_999)}-run-${index}`
      : source === 'PIPELINE'
        ? `dlt-execution-${suffix}-${team}`
        : source === 'SQL'
          ? `SQL Warehouse '${team}' (${suffix})`
          : `${team}-${pick(rnd, PURPOSES)}-${index}`;
  const autoscale = rnd() < 0.5;
  const min = 1 + Math.floor(rnd() * 4);
  const workers = autoscale ? { min, max: min + 1 + Math.floor(rnd() * 12) } : Math.floor(rnd() * 10);
  const startTime = created + Math.floor(rnd() * 6 * HOUR);
  const ended = state === 'TERMINATED' || state === 'TERMINATING';
  const autoterminationMinutes = source === 'JOB' || source === 'PIPELINE' ? 0 : pick(rnd, [10, 30, 60, 120]);
  let terminationReason: TerminationReason | undefined;
  let stateMessage = '';
  if (ended) {
    if (source === 'JOB') {
      terminationReason = { code: 'JOB_FINISHED', type: 'SUCCESS', parameters: {} };
      stateMessage = 'Job finished';
    } else if (rnd() < 0.8) {
      const minutes = autoterminationMinutes || 60;
      terminationReason = {
        code: 'INACTIVITY',
        type: 'SUCCESS',
        parameters: { inactivity_duration_min: String(minutes) },
      };
      stateMessage = `Inactive cluster terminated (inactive for ${minutes} minutes).`;
    } else {
      terminationReason = { code: 'USER_REQUEST', type: 'SUCCESS', parameters: { username: creator } };
      stateMessage = `Terminated by ${creator}`;
    }
  } else if (state === 'PENDING') {
    stateMessage = 'Finding instances for new nodes, acquiring more instances if necessary';
  } else if (state === 'ERROR') {
    stateMessage = 'Cluster start failed: an init script exited with a non-zero code.';
  }
  return buildCluster({
    id,
    name,
    sparkVersion: pick(rnd, GEN_VERSIONS),
    nodeType: pick(rnd, GEN_NODES),
    workers,
    autoterminationMinutes,
    source,
    creator,
    securityMode: pick(rnd, ['USER_ISOLATION', 'SINGLE_USER', 'SINGLE_USER', 'NONE']),
    ...(rnd() < 0.4 ? { singleUser: creator } : {}),
    photon: rnd() < 0.3,
    ...(rnd() < 0.3 ? { policyId: pick(rnd, GEN_POLICIES) } : {}),
    availability: rnd() < 0.2 ? 'SPOT_WITH_FALLBACK_AZURE' : 'ON_DEMAND_AZURE',
    state,
    stateMessage,
    startTime,
    ...(state === 'TERMINATED' ? { terminatedTime: startTime + Math.floor(rnd() * 5 * HOUR) } : {}),
    ...(terminationReason ? { terminationReason } : {}),
    customTags: { team },
    ...(rnd() < 0.03 ? { pinnedBy: 'ben@contoso.example' } : {}),
    ipSeed: index,
  });
}

/**
 * `count` clusters generated deterministically from `seed`: the same arguments always give the
 * same clusters (IDs unique within the set; times fixed relative to GENERATOR_EPOCH_MS).
 */
export function generateClusters(count: number, seed: number): ClusterDetails[] {
  if (!Number.isInteger(count) || count < 0) throw new TypeError(`count must be a non-negative integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => generatedCluster(seed, i));
}
