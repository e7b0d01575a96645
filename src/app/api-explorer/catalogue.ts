/**
 * The API Explorer's sample requests, grouped by area. A `{name}` in a path or body is a
 * parameter the builder asks for (offering the IDs the workspace returned earlier); body
 * placeholders for numbers stand unquoted (`{"job_id": {job_id}}`).
 * @see https://docs.databricks.com/api/azure/workspace/introduction
 */

export type SampleMethod = 'GET' | 'POST';

export interface Sample {
  /** Stable key, e.g. `clusters-list`. */
  id: string;
  area: string;
  title: string;
  /** One line: what the request does. */
  description: string;
  method: SampleMethod;
  /** Path under `/api/`, with `{name}` parameters. */
  path: string;
  query?: [string, string][];
  /** JSON body template for POST. */
  body?: string;
  /** The API reference page. */
  docs: string;
}

const DOCS = 'https://docs.databricks.com/api/azure/workspace/';

function sample(
  area: string,
  id: string,
  title: string,
  description: string,
  method: SampleMethod,
  path: string,
  docs: string,
  extra: Pick<Sample, 'query' | 'body'> = {},
): Sample {
  return { id, area, title, description, method, path, docs: DOCS + docs, ...extra };
}

export const SAMPLES: readonly Sample[] = [
  sample(
    'Clusters',
    'clusters-list',
    'List clusters',
    'Every cluster you can see, newest first.',
    'GET',
    '/api/2.1/clusters/list',
    'clusters/list',
    {
      query: [['page_size', '20']],
    },
  ),
  sample(
    'Clusters',
    'clusters-get',
    'Get a cluster',
    "One cluster's full details and configuration.",
    'GET',
    '/api/2.1/clusters/get',
    'clusters/get',
    {
      query: [['cluster_id', '{cluster_id}']],
    },
  ),
  sample(
    'Clusters',
    'clusters-events',
    'Cluster events',
    "A cluster's event history, newest first, in pages.",
    'POST',
    '/api/2.1/clusters/events',
    'clusters/events',
    {
      body: '{\n  "cluster_id": "{cluster_id}",\n  "page_size": 10\n}',
    },
  ),
  sample(
    'Clusters',
    'clusters-spark-versions',
    'Spark versions',
    'The Databricks Runtime versions you can create clusters with.',
    'GET',
    '/api/2.1/clusters/spark-versions',
    'clusters/sparkversions',
  ),
  sample(
    'Clusters',
    'clusters-node-types',
    'Node types',
    'The VM sizes available for cluster nodes.',
    'GET',
    '/api/2.1/clusters/list-node-types',
    'clusters/listnodetypes',
  ),
  sample(
    'Clusters',
    'clusters-start',
    'Start a cluster',
    'Starts a terminated cluster (needs Can Restart).',
    'POST',
    '/api/2.1/clusters/start',
    'clusters/start',
    {
      body: '{\n  "cluster_id": "{cluster_id}"\n}',
    },
  ),
  sample(
    'Clusters',
    'clusters-restart',
    'Restart a cluster',
    'Restarts a running cluster (needs Can Restart).',
    'POST',
    '/api/2.1/clusters/restart',
    'clusters/restart',
    {
      body: '{\n  "cluster_id": "{cluster_id}"\n}',
    },
  ),
  sample(
    'Clusters',
    'clusters-terminate',
    'Terminate a cluster',
    'Terminates a cluster; it stays listed and can be started again.',
    'POST',
    '/api/2.1/clusters/delete',
    'clusters/delete',
    {
      body: '{\n  "cluster_id": "{cluster_id}"\n}',
    },
  ),
  sample(
    'Jobs',
    'jobs-list',
    'List jobs',
    'The jobs you can see, in pages.',
    'GET',
    '/api/2.2/jobs/list',
    'jobs/list',
    {
      query: [['limit', '20']],
    },
  ),
  sample(
    'Jobs',
    'jobs-get',
    'Get a job',
    "One job's settings, tasks and job clusters.",
    'GET',
    '/api/2.2/jobs/get',
    'jobs/get',
    {
      query: [['job_id', '{job_id}']],
    },
  ),
  sample(
    'Jobs',
    'jobs-runs-list',
    'List job runs',
    'Runs of a job, newest first.',
    'GET',
    '/api/2.2/jobs/runs/list',
    'jobs/listruns',
    {
      query: [
        ['job_id', '{job_id}'],
        ['limit', '25'],
      ],
    },
  ),
  sample(
    'Jobs',
    'jobs-run-now',
    'Run a job now',
    'Triggers a run of a job (needs Can Manage Run).',
    'POST',
    '/api/2.2/jobs/run-now',
    'jobs/runnow',
    {
      body: '{\n  "job_id": {job_id}\n}',
    },
  ),
  sample(
    'SQL warehouses',
    'warehouses-list',
    'List SQL warehouses',
    'The SQL warehouses you may use.',
    'GET',
    '/api/2.0/sql/warehouses',
    'warehouses/list',
  ),
  sample(
    'SQL warehouses',
    'warehouses-get',
    'Get a SQL warehouse',
    "One warehouse's state, size and connection details.",
    'GET',
    '/api/2.0/sql/warehouses/{warehouse_id}',
    'warehouses/get',
  ),
  sample(
    'SQL warehouses',
    'warehouses-start',
    'Start a SQL warehouse',
    'Starts a stopped warehouse (needs Can Use).',
    'POST',
    '/api/2.0/sql/warehouses/{warehouse_id}/start',
    'warehouses/start',
    {
      body: '{}',
    },
  ),
  sample(
    'SQL warehouses',
    'warehouses-stop',
    'Stop a SQL warehouse',
    'Stops a running warehouse (needs Can Manage).',
    'POST',
    '/api/2.0/sql/warehouses/{warehouse_id}/stop',
    'warehouses/stop',
    {
      body: '{}',
    },
  ),
  sample(
    'Unity Catalog',
    'uc-catalogs',
    'List catalogs',
    'The catalogs you may use.',
    'GET',
    '/api/2.1/unity-catalog/catalogs',
    'catalogs/list',
  ),
  sample(
    'Unity Catalog',
    'uc-schemas',
    'List schemas',
    'The schemas of one catalog.',
    'GET',
    '/api/2.1/unity-catalog/schemas',
    'schemas/list',
    {
      query: [['catalog_name', '{catalog_name}']],
    },
  ),
  sample(
    'Unity Catalog',
    'uc-tables',
    'List tables',
    'The tables of one schema.',
    'GET',
    '/api/2.1/unity-catalog/tables',
    'tables/list',
    {
      query: [
        ['catalog_name', '{catalog_name}'],
        ['schema_name', '{schema_name}'],
        ['max_results', '20'],
      ],
    },
  ),
  sample(
    'Unity Catalog',
    'uc-table',
    'Get a table',
    'One table with its columns, by its full name.',
    'GET',
    '/api/2.1/unity-catalog/tables/{full_name}',
    'tables/get',
  ),
  sample(
    'Workspace objects',
    'workspace-list',
    'List a folder',
    'The notebooks, files and folders under a workspace path.',
    'GET',
    '/api/2.0/workspace/list',
    'workspace/list',
    {
      query: [['path', '/Users/{user_name}']],
    },
  ),
  sample(
    'Workspace objects',
    'workspace-status',
    'Object status',
    'The type, ID and language of one workspace object.',
    'GET',
    '/api/2.0/workspace/get-status',
    'workspace/getstatus',
    {
      query: [['path', '{path}']],
    },
  ),
  sample(
    'Repos',
    'repos-list',
    'List repos',
    'The Git folders (repos) in the workspace.',
    'GET',
    '/api/2.0/repos',
    'repos/list',
  ),
  sample(
    'Secrets',
    'secrets-scopes',
    'List secret scopes',
    'Databricks-backed and Azure Key Vault-backed secret scopes.',
    'GET',
    '/api/2.0/secrets/scopes/list',
    'secrets/listscopes',
  ),
  sample(
    'Instance pools',
    'pools-list',
    'List instance pools',
    'Pools of idle VMs that clusters start from.',
    'GET',
    '/api/2.0/instance-pools/list',
    'instancepools/list',
  ),
  sample(
    'Cluster policies',
    'policies-list',
    'List cluster policies',
    'The policies that limit how clusters are configured.',
    'GET',
    '/api/2.0/policies/clusters/list',
    'clusterpolicies/list',
  ),
  sample(
    'Tokens',
    'tokens-list',
    'List my tokens',
    "Your personal access tokens' metadata (never the tokens).",
    'GET',
    '/api/2.0/token/list',
    'tokens/list',
  ),
  sample(
    'SCIM',
    'scim-me',
    'Me',
    'Who the workspace thinks you are.',
    'GET',
    '/api/2.0/preview/scim/v2/Me',
    'currentuser/me',
  ),
  sample(
    'SCIM',
    'scim-users',
    'List users',
    'The workspace users, in SCIM pages.',
    'GET',
    '/api/2.0/preview/scim/v2/Users',
    'users/list',
    {
      query: [
        ['startIndex', '1'],
        ['count', '10'],
      ],
    },
  ),
  sample(
    'SCIM',
    'scim-groups',
    'List groups',
    'The workspace groups and their members.',
    'GET',
    '/api/2.0/preview/scim/v2/Groups',
    'groups/list',
  ),
  sample(
    'Permissions',
    'cluster-permissions',
    'Permissions of a cluster',
    'Who may attach to, restart or manage a cluster, and why.',
    'GET',
    '/api/2.0/permissions/clusters/{cluster_id}',
    'clusters/getpermissions',
  ),
];

/** The areas in catalogue order. */
export function areasOf(samples: readonly Sample[]): string[] {
  return [...new Set(samples.map((s) => s.area))];
}
