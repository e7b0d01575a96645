import {
  type ApiRequest,
  type ApiRoute,
  optionalString,
  requiredString,
  resourceNotFound,
  stableNumber,
} from './api.ts';
import { invalidParameter } from './errors.ts';
import { numericId } from './scim.ts';

/**
 * Smaller catalogued areas: secret scopes, instance pools, cluster policies and the caller's
 * personal access tokens. Their data matches the clusters: the policies the demo clusters name,
 * a warm pool of the node type most clusters use.
 *
 * @see https://docs.databricks.com/api/azure/workspace/secrets/listscopes
 * @see https://docs.databricks.com/api/azure/workspace/instancepools/list
 * @see https://docs.databricks.com/api/azure/workspace/clusterpolicies/list
 * @see https://docs.databricks.com/api/azure/workspace/tokens/listtokens
 */

const DAY = 86_400_000;

const SCOPES = [
  { name: 'etl', backend_type: 'DATABRICKS' },
  {
    name: 'contoso-kv',
    backend_type: 'AZURE_KEYVAULT',
    keyvault_metadata: {
      resource_id:
        '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourceGroups/explorer-sandbox/providers/Microsoft.KeyVault/vaults/contoso-kv',
      dns_name: 'https://contoso-kv.vault.azure.net/',
    },
  },
];

interface Pool {
  instance_pool_id: string;
  instance_pool_name: string;
  node_type_id: string;
  min_idle_instances: number;
  max_capacity: number;
  idle_instance_autotermination_minutes: number;
  availability: 'ON_DEMAND_AZURE' | 'SPOT_AZURE';
  preloaded_spark_versions: string[];
  stats: { used_count: number; idle_count: number; pending_used_count: number; pending_idle_count: number };
  creator: string;
}

const POOLS: Pool[] = [
  {
    instance_pool_id: '1124-091512-warm3-pool-ds3v2',
    instance_pool_name: 'ds3-warm-pool',
    node_type_id: 'Standard_DS3_v2',
    min_idle_instances: 2,
    max_capacity: 20,
    idle_instance_autotermination_minutes: 30,
    availability: 'ON_DEMAND_AZURE',
    preloaded_spark_versions: ['15.4.x-scala2.12'],
    stats: { used_count: 0, idle_count: 2, pending_used_count: 0, pending_idle_count: 0 },
    creator: 'ben@contoso.example',
  },
  {
    instance_pool_id: '1121-070000-gpu01-pool-nc6s',
    instance_pool_name: 'gpu-spot-pool',
    node_type_id: 'Standard_NC6s_v3',
    min_idle_instances: 0,
    max_capacity: 8,
    idle_instance_autotermination_minutes: 10,
    availability: 'SPOT_AZURE',
    preloaded_spark_versions: [],
    stats: { used_count: 0, idle_count: 0, pending_used_count: 0, pending_idle_count: 0 },
    creator: 'mia@contoso.example',
  },
];

const POLICIES = [
  {
    policy_id: 'E0631F5C0D000A1F',
    name: 'BI Photon',
    description: 'Photon clusters for BI dashboards; at most 8 workers',
    definition: {
      runtime_engine: { type: 'fixed', value: 'PHOTON' },
      'autoscale.max_workers': { type: 'range', maxValue: 8 },
      autotermination_minutes: { type: 'range', minValue: 10, maxValue: 180, defaultValue: 120 },
      'custom_tags.team': { type: 'fixed', value: 'bi' },
    },
    ageDays: 120,
  },
  {
    policy_id: '0009AC41B7D2E311',
    name: 'Personal Compute',
    description: 'Single-node clusters for one person',
    definition: {
      'spark_conf.spark.databricks.cluster.profile': { type: 'fixed', value: 'singleNode', hidden: true },
      data_security_mode: { type: 'fixed', value: 'SINGLE_USER', hidden: true },
      autotermination_minutes: { type: 'fixed', value: 60 },
    },
    policy_family_id: 'personal-vm',
    is_default: true,
    ageDays: 400,
  },
  {
    policy_id: '001F2B3C4D5E6F70',
    name: 'Job Compute',
    description: 'Clusters created by jobs',
    definition: {
      cluster_type: { type: 'fixed', value: 'job' },
      'azure_attributes.availability': { type: 'allowlist', values: ['ON_DEMAND_AZURE', 'SPOT_WITH_FALLBACK_AZURE'] },
    },
    policy_family_id: 'job-cluster',
    ageDays: 300,
  },
];

/** Personal access tokens per user (only metadata is ever listed). */
const TOKENS: Record<string, { comment: string; ageDays: number; lifetimeDays: number | null }[]> = {
  'ben@contoso.example': [
    { comment: 'terraform', ageDays: 40, lifetimeDays: 90 },
    { comment: 'databricks-cli on laptop', ageDays: 5, lifetimeDays: null },
  ],
  'ana@contoso.example': [{ comment: 'power-bi gateway', ageDays: 12, lifetimeDays: 30 }],
};

export function workspaceSettingsRoutes(startedAt: number): ApiRoute[] {
  const poolJson = (p: Pool) => ({
    instance_pool_id: p.instance_pool_id,
    instance_pool_name: p.instance_pool_name,
    node_type_id: p.node_type_id,
    min_idle_instances: p.min_idle_instances,
    max_capacity: p.max_capacity,
    idle_instance_autotermination_minutes: p.idle_instance_autotermination_minutes,
    azure_attributes: { availability: p.availability, spot_bid_max_price: -1 },
    enable_elastic_disk: true,
    preloaded_spark_versions: p.preloaded_spark_versions,
    state: 'ACTIVE',
    stats: p.stats,
    default_tags: {
      Vendor: 'Databricks',
      DatabricksInstancePoolCreatorId: numericId(`user:${p.creator}`),
      DatabricksInstancePoolId: p.instance_pool_id,
    },
    custom_tags: {},
    status: {},
  });
  const policyJson = (p: (typeof POLICIES)[number]) => {
    const { ageDays, definition, ...rest } = p;
    return {
      ...rest,
      definition: JSON.stringify(definition),
      creator_user_name: 'ben@contoso.example',
      created_at_timestamp: startedAt - ageDays * DAY,
      is_default: p.is_default ?? false,
    };
  };
  const policiesList = (req: ApiRequest) => {
    const column = optionalString(req, 'sort_column') ?? 'POLICY_CREATION_TIME';
    const order = optionalString(req, 'sort_order') ?? 'DESC';
    if (column !== 'POLICY_CREATION_TIME' && column !== 'POLICY_NAME') {
      throw invalidParameter(
        `Invalid value '${column.slice(0, 40)}' for sort_column; expected POLICY_CREATION_TIME or POLICY_NAME.`,
      );
    }
    if (order !== 'ASC' && order !== 'DESC') {
      throw invalidParameter(`Invalid value '${order.slice(0, 40)}' for sort_order; expected ASC or DESC.`);
    }
    const sorted = POLICIES.map(policyJson).sort((a, b) =>
      column === 'POLICY_NAME' ? a.name.localeCompare(b.name) : a.created_at_timestamp - b.created_at_timestamp,
    );
    if (order === 'DESC') sorted.reverse();
    return { policies: sorted, total_count: sorted.length };
  };
  const policyGet = (req: ApiRequest) => {
    const id = requiredString(req, 'policy_id');
    const p = POLICIES.find((x) => x.policy_id === id);
    if (!p) throw resourceNotFound(`Can't find a cluster policy with id: ${id}.`);
    return policyJson(p);
  };
  const poolGet = (req: ApiRequest) => {
    const id = requiredString(req, 'instance_pool_id');
    const p = POOLS.find((x) => x.instance_pool_id === id);
    if (!p) throw resourceNotFound(`Can't find an instance pool with id: ${id}.`);
    return poolJson(p);
  };
  const tokens = (req: ApiRequest) => ({
    token_infos: (TOKENS[req.member.upn] ?? []).map((tk) => {
      const created = startedAt - tk.ageDays * DAY;
      return {
        token_id: stableNumber(`pat:${req.member.upn}:${tk.comment}`, 15)
          .toString(16)
          .padStart(16, '0')
          .repeat(4)
          .slice(0, 64),
        creation_time: created,
        expiry_time: tk.lifetimeDays === null ? -1 : created + tk.lifetimeDays * DAY,
        comment: tk.comment,
      };
    }),
  });
  return [
    { method: 'GET', path: '/api/2.0/secrets/scopes/list', handle: () => ({ scopes: SCOPES }) },
    { method: 'GET', path: '/api/2.0/instance-pools/list', handle: () => ({ instance_pools: POOLS.map(poolJson) }) },
    { method: 'GET', path: '/api/2.0/instance-pools/get', handle: poolGet },
    { method: 'GET', path: '/api/2.0/policies/clusters/list', handle: policiesList },
    { method: 'GET', path: '/api/2.0/policies/clusters/get', handle: policyGet },
    { method: 'GET', path: '/api/2.0/token/list', handle: tokens },
  ];
}
