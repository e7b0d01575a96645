import type { ClusterDetails } from '../databricks/types.ts';
import { formatTime } from './cluster-model.ts';

/**
 * Plain words for the common termination codes of `clusters/get`.
 * @see https://docs.databricks.com/api/azure/workspace/clusters/get (termination_reason.code)
 */
const TERMINATION_CODES: Record<string, string> = {
  USER_REQUEST: 'Someone stopped the cluster (from the UI, the API or the CLI).',
  INACTIVITY: 'The cluster stopped itself after being idle for its auto-termination time.',
  JOB_FINISHED: 'The job this cluster was created for has finished, so the cluster was removed.',
  CLOUD_PROVIDER_LAUNCH_FAILURE: 'Azure could not create the virtual machines for the cluster.',
  CLOUD_PROVIDER_SHUTDOWN: 'Azure shut down the virtual machines the cluster ran on.',
  CLOUD_PROVIDER_RESOURCE_STOCKOUT: 'Azure had no capacity left for this VM size in the region.',
  AZURE_QUOTA_EXCEEDED_EXCEPTION: "The subscription's Azure vCPU quota for this VM family is used up.",
  AZURE_RESOURCE_PROVIDER_THROTTLING:
    'Azure throttled the requests to create the cluster; starting it again usually works.',
  AZURE_RESOURCE_MANAGER_THROTTLING:
    'Azure throttled the requests to create the cluster; starting it again usually works.',
  AZURE_VM_EXTENSION_FAILURE: 'A VM extension failed while Azure set up the machines.',
  SUBNET_EXHAUSTED_FAILURE: "The workspace's subnet has no free IP addresses for more nodes.",
  NETWORK_CONFIGURATION_FAILURE: "The workspace's network (VNet, NSG or routes) blocked the nodes from starting.",
  INSTANCE_UNREACHABLE: 'Databricks lost contact with a node while starting the cluster.',
  INSTANCE_POOL_CLUSTER_FAILURE: 'The instance pool the cluster draws from could not supply nodes.',
  DRIVER_UNREACHABLE: 'The driver node stopped answering the Databricks control plane.',
  DRIVER_UNRESPONSIVE: 'The driver was overloaded (often out of memory or in long garbage collection).',
  COMMUNICATION_LOST: 'Databricks lost contact with the cluster.',
  SPARK_STARTUP_FAILURE: 'Spark did not start on the cluster, often because of its Spark configuration.',
  SPARK_ERROR: 'Spark failed on the driver.',
  INIT_SCRIPT_FAILURE: 'An init script failed, so the cluster did not start.',
  SKIPPED_SLOW_NODES: 'Too many nodes were slow to start.',
  UNEXPECTED_LAUNCH_FAILURE: 'The cluster failed to start for a reason Databricks did not classify.',
  INTERNAL_ERROR: 'Databricks had an internal error.',
  TRIAL_EXPIRED: 'The workspace trial has ended.',
  METASTORE_COMPONENT_UNHEALTHY: 'The Hive metastore did not answer while the cluster started.',
  DBFS_COMPONENT_UNHEALTHY: 'DBFS did not answer while the cluster started.',
  INVALID_ARGUMENT: 'The cluster configuration was refused.',
  WORKSPACE_CANCELLED_ERROR: 'The workspace was cancelled.',
};

const TERMINATION_TYPES: Record<string, string> = {
  SUCCESS: 'a normal end',
  CLIENT_ERROR: 'caused by the configuration or the request',
  SERVICE_FAULT: 'a fault in Databricks',
  CLOUD_FAILURE: 'a problem on the Azure side',
};

/** The termination reason in plain words, with its parameters; empty when there is none. */
export function explainTermination(reason: ClusterDetails['termination_reason']): string {
  if (!reason || typeof reason !== 'object' || typeof reason.code !== 'string' || reason.code === '') return '';
  const { code, type, parameters } = reason;
  const params = parameters && typeof parameters === 'object' ? parameters : {};
  let words = TERMINATION_CODES[code] ?? `The cluster stopped (${code}).`;
  if (code === 'INACTIVITY' && typeof params.inactivity_duration_min === 'string')
    words = `The cluster stopped itself after ${params.inactivity_duration_min} minutes without activity (auto-termination).`;
  if (code === 'USER_REQUEST' && typeof params.username === 'string')
    words = `${params.username} stopped the cluster (from the UI, the API or the CLI).`;
  const azure = [params.azure_error_code, params.azure_error_message].filter((v) => typeof v === 'string' && v);
  if (azure.length > 0) words += ` Azure said: ${azure.join(': ')}.`;
  const kind = typeof type === 'string' ? TERMINATION_TYPES[type] : undefined;
  const tail = [code, type].filter((v) => typeof v === 'string' && v).join(' · ');
  return `${words}${kind ? ` (${kind}.)` : ''} [${tail}]`;
}

/** @see https://docs.databricks.com/api/azure/workspace/clusters/get (data_security_mode) */
const ACCESS_MODES: Record<string, string> = {
  SINGLE_USER: 'Dedicated (single user)',
  DATA_SECURITY_MODE_DEDICATED: 'Dedicated (single user)',
  USER_ISOLATION: 'Standard (shared, with user isolation)',
  DATA_SECURITY_MODE_STANDARD: 'Standard (shared, with user isolation)',
  DATA_SECURITY_MODE_AUTO: 'Chosen automatically by Databricks',
  NONE: 'No isolation, shared (no Unity Catalog)',
  LEGACY_TABLE_ACL: 'Legacy: table access control',
  LEGACY_PASSTHROUGH: 'Legacy: credential passthrough',
  LEGACY_SINGLE_USER: 'Legacy: single user (passthrough)',
  LEGACY_SINGLE_USER_STANDARD: 'Legacy: single user (standard)',
};

export function describeAccessMode(cluster: ClusterDetails): string {
  const mode = typeof cluster.data_security_mode === 'string' ? cluster.data_security_mode : '';
  if (!mode) return '';
  const who =
    typeof cluster.single_user_name === 'string' && cluster.single_user_name ? `, for ${cluster.single_user_name}` : '';
  return `${ACCESS_MODES[mode] ?? mode}${who} [${mode}]`;
}

export function describeWorkers(cluster: ClusterDetails): string {
  const auto = cluster.autoscale;
  if (
    auto &&
    typeof auto === 'object' &&
    (typeof auto.min_workers === 'number' || typeof auto.max_workers === 'number')
  )
    return `Autoscale from ${auto.min_workers ?? 0} to ${auto.max_workers ?? auto.min_workers ?? 0} workers`;
  if (typeof cluster.num_workers !== 'number') return '';
  if (cluster.num_workers === 0) return 'None (single node: the driver does the work)';
  return cluster.num_workers === 1 ? '1 worker' : `${cluster.num_workers} workers`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function time(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? formatTime(value) : '';
}

function tags(value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
}

export interface ClusterFact {
  label: string;
  value: string;
}

/** The readable summary of a `clusters/get` answer: only the facts it has, in reading order. */
export function summarizeCluster(cluster: ClusterDetails): { facts: ClusterFact[]; tags: string[] } {
  const driver = text(cluster.driver_node_type_id) || text(cluster.node_type_id);
  const facts: ClusterFact[] = [
    { label: 'State message', value: text(cluster.state_message) },
    { label: 'Runtime', value: text(cluster.spark_version) },
    { label: 'Driver node type', value: driver },
    { label: 'Worker node type', value: text(cluster.node_type_id) },
    { label: 'Workers', value: describeWorkers(cluster) },
    { label: 'Creator', value: text(cluster.creator_user_name) },
    { label: 'Policy', value: text(cluster.policy_id) },
    { label: 'Access mode', value: describeAccessMode(cluster) },
    { label: 'Source', value: text(cluster.cluster_source) },
    { label: 'Started', value: time(cluster.start_time) },
    { label: 'Last restarted', value: time(cluster.last_restarted_time) },
    { label: 'Terminated', value: time(cluster.terminated_time) },
    {
      label: 'Auto-termination',
      value:
        typeof cluster.autotermination_minutes === 'number'
          ? cluster.autotermination_minutes === 0
            ? 'Off'
            : `After ${cluster.autotermination_minutes} minutes idle`
          : '',
    },
    { label: 'Termination reason', value: explainTermination(cluster.termination_reason) },
    { label: 'Cluster ID', value: text(cluster.cluster_id) },
  ];
  return {
    facts: facts.filter((f) => f.value !== ''),
    tags: [...tags(cluster.custom_tags), ...tags(cluster.default_tags)],
  };
}
