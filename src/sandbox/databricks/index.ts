/**
 * The sandbox Azure Databricks workspace: everything other parts may use.
 */
export { MIN_REMAINING_SECONDS } from './auth.ts';
export { NODE_TYPES, SPARK_VERSIONS } from './catalog.ts';
export {
  builtinClusters,
  CLUSTER_SOURCES,
  CLUSTER_STATES,
  type ClusterDetails,
  GENERATOR_EPOCH_MS,
  generateClusters,
} from './clusters.ts';
export {
  type ClusterSet,
  DEFAULT_RATE_LIMIT,
  DEFAULT_WORKSPACE_CONFIG,
  type RateLimit,
  type WorkspaceConfig,
  type WorkspaceConfigInput,
  type WorkspaceFaults,
  type WorkspaceMember,
  workspaceConfigSchema,
  workspaceFaultsSchema,
} from './config.ts';
export { CLUSTER_TIMINGS } from './cluster-lifecycle.ts';
export { RUN_TIMINGS } from './jobs.ts';
export type { Person } from './people.ts';
export { WAREHOUSE_TIMINGS } from './warehouses.ts';
export { isWorkspaceApiError, WorkspaceApiError, type WorkspaceErrorCode } from './errors.ts';
export type { RecordedRequest } from '../request-log.ts';
export { type RunningWorkspace, type StartWorkspaceOptions, startWorkspace } from './server.ts';
export type { WorkspaceControls, WorkspaceInspection } from './controls.ts';
