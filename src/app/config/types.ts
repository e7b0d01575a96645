/**
 * The app's configuration, checked once at the boundary (see `load-config.ts`); everything else
 * in the app receives an {@link AppConfig} and trusts it.
 */

/** Clouds the app knows. `sandbox` is the local stand-in; its hosts come from the runtime config. */
export type CloudName = 'public' | 'usgov' | 'china' | 'sandbox';

/** Where MSAL keeps its token cache. */
export type CacheLocation = 'sessionStorage' | 'localStorage';

/**
 * The runtime configuration as the server sends it at `GET /explorer-config.json` (built from
 * `EXPLORER_*` environment variables, or from the sandbox when nothing real is configured).
 * Unchecked: every field may be missing or wrong, and is validated into an {@link AppConfig}.
 */
export interface RuntimeConfigWire {
  tenantId?: string;
  clientId?: string;
  cloud?: string;
  workspaceUrl?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  workspaceName?: string;
  /** True when the server runs the local sandbox. */
  sandbox?: boolean;
  /** Sandbox only: the identity provider's origin, e.g. `https://localhost:5174`. */
  sandboxAuthorityOrigin?: string;
}

/** A validated configuration. */
export interface AppConfig {
  tenantId: string;
  clientId: string;
  cloud: CloudName;
  /** `https://login.microsoftonline.com/{tenantId}/` (or the sandbox's), with a trailing slash. */
  authority: string;
  /** `host[:port]` of the authority, for MSAL's `knownAuthorities`. */
  authorityHost: string;
  /** `https://adb-….azuredatabricks.net` (or the sandbox workspace's origin), no trailing slash. */
  workspaceUrl: string;
  /** `host[:port]` of the workspace, as it appears in the proxy path `/databricks/{host}/api/…`. */
  workspaceHost: string;
  /**
   * `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Databricks/workspaces/{name}`,
   * sent as `X-Databricks-Azure-Workspace-Resource-Id` when set.
   */
  workspaceResourceId: string | undefined;
  sandbox: boolean;
  cacheLocation: CacheLocation;
}
