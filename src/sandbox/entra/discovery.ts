/**
 * The tenant's OpenID Provider metadata (`/{tenant}/v2.0/.well-known/openid-configuration`),
 * field by field as Microsoft Entra ID serves it, so strict OpenID clients take the same code
 * path here as against Entra. Notably Entra advertises no `code_challenge_methods_supported` and
 * no `grant_types_supported` (PKCE and refresh tokens work all the same), lists confidential-
 * client authentication methods although public clients send none, and names response types
 * (`id_token`, `code id_token`, `id_token token`) that this sandbox does not serve.
 *
 * Recorded from login.microsoftonline.com (also kept in panva/wellknown `issuers/entra-common`
 * and MSAL's test constants); the per-cloud hosts for US Government and China are from Microsoft's
 * national-cloud documentation.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
 * @see https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */

/** The cloud-specific names in the document. */
interface CloudNames {
  cloud_instance_name: string;
  cloud_graph_host_name: string;
  msgraph_host: string;
  rbac_url: string;
}

const PUBLIC: CloudNames = {
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
};

/** By sign-in host; any other host (localhost, a name of your own) stands in for the public cloud. */
const CLOUD_BY_HOST: Readonly<Record<string, CloudNames>> = {
  'login.microsoftonline.com': PUBLIC,
  'login.microsoftonline.us': {
    cloud_instance_name: 'microsoftonline.us',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.us',
    rbac_url: 'https://pasff.usgovcloudapi.net',
  },
  'login.partner.microsoftonline.cn': {
    cloud_instance_name: 'partner.microsoftonline.cn',
    cloud_graph_host_name: 'graph.chinacloudapi.cn',
    msgraph_host: 'microsoftgraph.chinacloudapi.cn',
    rbac_url: 'https://pas.chinacloudapi.cn',
  },
};

export function cloudNamesFor(base: string): CloudNames {
  const host = new URL(base).hostname;
  return Object.hasOwn(CLOUD_BY_HOST, host) ? (CLOUD_BY_HOST[host] as CloudNames) : PUBLIC;
}

/**
 * The document for one tenant path. For `common` / `organizations` the issuer keeps the literal
 * `{tenantid}` placeholder while the endpoints keep the alias, and `tenant_region_scope` is null.
 * @param pathTenant the tenant ID, or `common` / `organizations`, as it appears in endpoints
 * @param issuerTenant the tenant ID, or `{tenantid}`
 * @param regionScope the tenant's region (`NA`, `EU`, …); null for the multi-tenant aliases
 */
export function openIdConfiguration(
  base: string,
  pathTenant: string,
  issuerTenant: string,
  regionScope: string | null,
): Record<string, unknown> {
  const cloud = cloudNamesFor(base);
  return {
    token_endpoint: `${base}/${pathTenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${pathTenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `https://${cloud.msgraph_host}/oidc/userinfo`,
    authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${pathTenant}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/${pathTenant}/kerberos`,
    tenant_region_scope: regionScope,
    ...cloud,
  };
}

/** `tenant_region_scope` of the sandbox's tenants (a real tenant's is its region, e.g. `NA` or `EU`). */
export const SANDBOX_TENANT_REGION = 'NA';
