/** The Azure Databricks first-party application (resource) ID: the audience of its access tokens. */
export const AZURE_DATABRICKS_RESOURCE_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

/** A GUID in its usual 8-4-4-4-12 hexadecimal form, either case. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where the identity provider's server serves the presenter console (`src/sandbox/console/`). */
export const CONSOLE_PATH = '/_sandbox/console';
