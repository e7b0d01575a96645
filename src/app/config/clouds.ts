import type { CloudName } from './types.ts';

/** What the app needs to know about one Azure cloud. */
export interface CloudProfile {
  readonly name: Exclude<CloudName, 'sandbox'>;
  /** Shown to people, e.g. in the settings panel. */
  readonly label: string;
  /** Entra ID's sign-in host (MSAL's preferred network host). */
  readonly authorityHost: string;
  /** Other hosts Entra ID answers on or names itself by in this cloud. */
  readonly authorityAliases: readonly string[];
  /** The host in a v1.0 token's `iss` (`https://{host}/{tid}/`); Azure Databricks tokens are v1.0. */
  readonly v1IssuerHost: string;
  /** The DNS suffix of per-workspace Azure Databricks hosts (`adb-{id}.{n}.{suffix}`). */
  readonly workspaceDomain: string;
}

/**
 * The three Azure clouds the app supports.
 * @see https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 * @see https://github.com/databricks/databricks-sdk-py/blob/main/databricks/sdk/environments.py
 */
export const CLOUDS: Readonly<Record<Exclude<CloudName, 'sandbox'>, CloudProfile>> = {
  public: {
    name: 'public',
    label: 'Azure (public)',
    authorityHost: 'login.microsoftonline.com',
    authorityAliases: ['login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
    v1IssuerHost: 'sts.windows.net',
    workspaceDomain: 'azuredatabricks.net',
  },
  usgov: {
    name: 'usgov',
    label: 'Azure US Government',
    authorityHost: 'login.microsoftonline.us',
    authorityAliases: ['login.usgovcloudapi.net'],
    // Not confirmed by Microsoft's documentation: US Government v1.0 tokens are reported to carry
    // the public `sts.windows.net` issuer.
    v1IssuerHost: 'sts.windows.net',
    workspaceDomain: 'databricks.azure.us',
  },
  china: {
    name: 'china',
    label: 'Azure operated by 21Vianet (China)',
    authorityHost: 'login.partner.microsoftonline.cn',
    authorityAliases: ['login.chinacloudapi.cn'],
    v1IssuerHost: 'sts.chinacloudapi.cn',
    workspaceDomain: 'databricks.azure.cn',
  },
};

/** The names accepted for `cloud` from the server or the settings, in display order. */
export const REAL_CLOUD_NAMES = ['public', 'usgov', 'china'] as const;

/** The real cloud whose workspace domain `hostname` ends in, if any. */
export function cloudOfWorkspaceHost(hostname: string): CloudProfile | undefined {
  const host = hostname.toLowerCase();
  return Object.values(CLOUDS).find(
    (cloud) => host === cloud.workspaceDomain || host.endsWith(`.${cloud.workspaceDomain}`),
  );
}
