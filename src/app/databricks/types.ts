/**
 * Wire types of the Databricks endpoints the app reads, in the API's own spelling. Only the
 * fields the app shows are typed; unknown keys are kept (the details panel shows the raw JSON).
 * @see https://docs.databricks.com/api/azure/workspace/clusters/list
 */

export interface ClusterDetails {
  cluster_id: string;
  cluster_name?: string;
  spark_version?: string;
  node_type_id?: string;
  driver_node_type_id?: string;
  num_workers?: number;
  autoscale?: { min_workers?: number; max_workers?: number };
  state?: string;
  state_message?: string;
  cluster_source?: string;
  creator_user_name?: string;
  /** Epoch milliseconds; 0 in old responses means "never". */
  start_time?: number;
  terminated_time?: number;
  termination_reason?: { code?: string; type?: string; parameters?: Record<string, string> };
  [key: string]: unknown;
}

export interface ClustersListResponse {
  clusters?: ClusterDetails[];
  next_page_token?: string;
  prev_page_token?: string;
}

export interface ScimMe {
  id?: string;
  userName?: string;
  displayName?: string;
  active?: boolean;
  groups?: { display?: string; value?: string; type?: string }[];
  entitlements?: { value?: string }[];
}
