/** The Azure Databricks first-party application's ID: the resource the app asks a token for. */
export const DATABRICKS_RESOURCE_APP_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

/** The scope that grants the signed-in user's `user_impersonation` on Azure Databricks; asking for it at sign-in brings the first access token along. */
export const DATABRICKS_SCOPE = `${DATABRICKS_RESOURCE_APP_ID}/.default`;

/** A GUID in its usual 8-4-4-4-12 hexadecimal form, either case (tenant, client and subscription IDs). */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The header that names the workspace's Azure resource ID, so Azure Databricks can provision a Contributor or Owner as an admin. */
export const RESOURCE_ID_HEADER = 'X-Databricks-Azure-Workspace-Resource-Id';
