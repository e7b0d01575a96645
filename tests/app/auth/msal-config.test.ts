import { describe, expect, it } from 'vitest';
import {
  buildAuthorityMetadata,
  buildCloudDiscoveryMetadata,
  buildMsalOptions,
} from '../../../src/app/auth/msal-config.ts';
import { describeNavigation } from '../../../src/app/auth/msal-timeline.ts';
import { SANDBOX_CONFIG } from '../support/fakes.ts';

const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const PUBLIC = {
  ...SANDBOX_CONFIG,
  cloud: 'public' as const,
  authority: `https://login.microsoftonline.com/${TENANT}/`,
  authorityHost: 'login.microsoftonline.com',
  sandbox: false,
};

describe('MSAL configuration', () => {
  it('gives MSAL the OpenID configuration of the sandbox authority so it discovers nothing', () => {
    expect(JSON.parse(buildAuthorityMetadata(SANDBOX_CONFIG))).toEqual({
      authorization_endpoint: `https://localhost:5174/${TENANT}/oauth2/v2.0/authorize`,
      token_endpoint: `https://localhost:5174/${TENANT}/oauth2/v2.0/token`,
      end_session_endpoint: `https://localhost:5174/${TENANT}/oauth2/v2.0/logout`,
      jwks_uri: `https://localhost:5174/${TENANT}/discovery/v2.0/keys`,
      issuer: `https://localhost:5174/${TENANT}/v2.0`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
    });
  });

  it('uses the {tenantid} issuer template for organizations', () => {
    const config = {
      ...PUBLIC,
      tenantId: 'organizations',
      authority: 'https://login.microsoftonline.com/organizations/',
    };
    expect(JSON.parse(buildAuthorityMetadata(config)).issuer).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
  });

  it('lists the public cloud aliases with login.windows.net as the cache host', () => {
    const parsed = JSON.parse(buildCloudDiscoveryMetadata(PUBLIC));
    expect(parsed.metadata).toEqual([
      {
        preferred_network: 'login.microsoftonline.com',
        preferred_cache: 'login.windows.net',
        aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
      },
    ]);
    expect(parsed.tenant_discovery_endpoint).toBe(
      `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
  });

  it('lists only the sandbox host for the sandbox', () => {
    expect(JSON.parse(buildCloudDiscoveryMetadata(SANDBOX_CONFIG)).metadata).toEqual([
      { preferred_network: 'localhost:5174', preferred_cache: 'localhost:5174', aliases: ['localhost:5174'] },
    ]);
  });

  it.each([
    ['usgov' as const, 'login.microsoftonline.us'],
    ['china' as const, 'login.partner.microsoftonline.cn'],
  ])('knows the %s cloud host', (cloud, host) => {
    expect(JSON.parse(buildCloudDiscoveryMetadata({ ...PUBLIC, cloud })).metadata[0].preferred_network).toBe(host);
  });

  it('returns to the app origin and keeps the cache where the configuration says', () => {
    const options = buildMsalOptions({ ...SANDBOX_CONFIG, cacheLocation: 'localStorage' }, 'https://localhost:5173');
    expect(options.auth).toMatchObject({
      clientId: SANDBOX_CONFIG.clientId,
      authority: SANDBOX_CONFIG.authority,
      knownAuthorities: ['localhost:5174'],
      redirectUri: 'https://localhost:5173/',
      postLogoutRedirectUri: 'https://localhost:5173/',
    });
    expect(options.cache).toEqual({ cacheLocation: 'localStorage' });
  });

  it('describes the authorize redirect for the timeline without the PKCE challenge value', () => {
    const url = `https://localhost:5174/${TENANT}/oauth2/v2.0/authorize?client_id=x&scope=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d%2F.default+openid&response_type=code&response_mode=fragment&code_challenge=SECRETCHALLENGE&code_challenge_method=S256&prompt=select_account`;
    const { title, detail } = describeNavigation(url);
    expect(title).toBe('Redirect to authorize');
    expect(detail).toBe(
      `localhost:5174/${TENANT}/oauth2/v2.0/authorize · response_type=code · PKCE S256 · response_mode=fragment · scope=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default openid · prompt=select_account`,
    );
    expect(detail).not.toContain('SECRETCHALLENGE');
    expect(
      describeNavigation(`https://localhost:5174/${TENANT}/oauth2/v2.0/logout?post_logout_redirect_uri=x`).title,
    ).toBe('Redirect to sign out');
  });
});
