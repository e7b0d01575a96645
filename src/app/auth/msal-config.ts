import type { AppConfig } from '../config/types.ts';

/**
 * Cloud aliases as Entra's instance discovery returns them. Giving MSAL this answer (and the
 * OpenID configuration below) up front means it makes no discovery request: a fresh sign-in is
 * one authorize navigation and one token request.
 * @see https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */
const CLOUD_ALIASES: Record<
  'public' | 'usgov' | 'china',
  { preferred_network: string; preferred_cache: string; aliases: string[] }
> = {
  public: {
    preferred_network: 'login.microsoftonline.com',
    preferred_cache: 'login.windows.net',
    aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  },
  usgov: {
    preferred_network: 'login.microsoftonline.us',
    preferred_cache: 'login.microsoftonline.us',
    aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  china: {
    preferred_network: 'login.partner.microsoftonline.cn',
    preferred_cache: 'login.partner.microsoftonline.cn',
    aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  },
};

/** The OpenID configuration MSAL would fetch from `{authority}v2.0/.well-known/openid-configuration`. */
export function buildAuthorityMetadata(config: Pick<AppConfig, 'authority' | 'authorityHost' | 'tenantId'>): string {
  const base = config.authority.endsWith('/') ? config.authority : `${config.authority}/`;
  const tenantSegment = /^(common|organizations|consumers)$/i.test(config.tenantId) ? '{tenantid}' : config.tenantId;
  return JSON.stringify({
    authorization_endpoint: `${base}oauth2/v2.0/authorize`,
    token_endpoint: `${base}oauth2/v2.0/token`,
    end_session_endpoint: `${base}oauth2/v2.0/logout`,
    jwks_uri: `${base}discovery/v2.0/keys`,
    issuer: `https://${config.authorityHost}/${tenantSegment}/v2.0`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
  });
}

/** The instance-discovery answer for the configured cloud (the sandbox: its own host only). */
export function buildCloudDiscoveryMetadata(config: Pick<AppConfig, 'authority' | 'authorityHost' | 'cloud'>): string {
  const base = config.authority.endsWith('/') ? config.authority : `${config.authority}/`;
  const entry =
    config.cloud === 'sandbox'
      ? {
          preferred_network: config.authorityHost,
          preferred_cache: config.authorityHost,
          aliases: [config.authorityHost],
        }
      : CLOUD_ALIASES[config.cloud];
  return JSON.stringify({
    tenant_discovery_endpoint: `${base}v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [entry],
  });
}

/** The `auth` and `cache` sections of MSAL's configuration for one AppConfig. */
export function buildMsalOptions(config: AppConfig, origin: string) {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: [config.authorityHost],
      authorityMetadata: buildAuthorityMetadata(config),
      cloudDiscoveryMetadata: buildCloudDiscoveryMetadata(config),
      redirectUri: `${origin}/`,
      postLogoutRedirectUri: `${origin}/`,
    },
    cache: { cacheLocation: config.cacheLocation },
  };
}
