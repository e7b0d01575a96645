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
  /**
   * An absolute path, on the server's machine, of the CA bundle that commands run there need to
   * trust the server's workspace (the local CA with the sandbox). "Show me how" names it.
   */
  caBundlePath?: string;
  /** The methods the server's proxy forwards when more than GET (`EXPLORER_PROXY_ALLOW_POST=1`). */
  proxyMethods?: string[];
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
   * `/subscriptions/{sub}/resourcegroups/{rg}/providers/microsoft.databricks/workspaces/{name}`
   * (spelled as in the Databricks article the project follows; Azure compares resource IDs
   * case-insensitively), sent as `X-Databricks-Azure-Workspace-Resource-Id` when set.
   */
  workspaceResourceId: string | undefined;
  sandbox: boolean;
  cacheLocation: CacheLocation;
  /**
   * The server's CA bundle for the workspace (`--cacert` / `verify=` in "Show me how"); undefined
   * for a workspace chosen in this browser's settings, which is reached with the system's trust.
   */
  caBundlePath?: string | undefined;
  /**
   * Methods the server's proxy forwards (always GET; POST with `EXPLORER_PROXY_ALLOW_POST=1`).
   * The API Explorer offers the others only when they are listed. Absent means GET only.
   */
  proxyMethods?: readonly string[] | undefined;
}

/** The fields a person can set, and where a configuration problem can be. */
export type ConfigField =
  | 'tenantId'
  | 'clientId'
  | 'cloud'
  | 'workspaceUrl'
  | 'subscriptionId'
  | 'resourceGroup'
  | 'workspaceName'
  | 'cacheLocation'
  /** The server's sandbox sign-in origin (not editable in the browser). */
  | 'sandboxAuthorityOrigin'
  /** The server's CA bundle path (not editable in the browser). */
  | 'caBundlePath'
  /** `GET /explorer-config.json` itself failed. */
  | 'runtimeConfig'
  /** The overrides saved in this browser could not be read. */
  | 'savedSettings';

/** Where a configured value came from: the server's runtime configuration or this browser's settings. */
export type ConfigSource = 'server' | 'browser';

/** One problem with one field, found before anything is saved or any redirect happens. */
export interface FieldError {
  readonly code: 'CONFIG_INVALID';
  readonly field: ConfigField;
  /** What happened, with which value, and what to do next. */
  readonly message: string;
  /** The value received, quoted and shortened for display; absent when there was none or it looked secret. */
  readonly received?: string | undefined;
  readonly source?: ConfigSource | undefined;
}

/**
 * A person's overrides of the server's values, kept in localStorage under `explorer.settings.v1`.
 * A key that is present wins over the server's value, even when it is the empty string (so a value
 * the server sets can be cleared); an absent key means "use the server's value".
 */
export interface SettingsOverrides {
  tenantId?: string;
  clientId?: string;
  cloud?: string;
  workspaceUrl?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  workspaceName?: string;
  cacheLocation?: string;
}

/** The outcome of loading the configuration: a checked config, or every field-level problem. */
export type AppConfigResult =
  | {
      ok: true;
      config: AppConfig;
      /** The values in effect: the server's with this browser's overrides applied. */
      wire: RuntimeConfigWire;
      /** The server's runtime configuration as received. */
      server: RuntimeConfigWire;
      overrides: SettingsOverrides;
    }
  | {
      ok: false;
      errors: FieldError[];
      wire: RuntimeConfigWire;
      server: RuntimeConfigWire;
      overrides: SettingsOverrides;
    };
