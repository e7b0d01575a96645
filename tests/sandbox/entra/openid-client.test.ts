import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import { Browser, type Harness, SPA_CLIENT, TENANT } from './support.ts';

/**
 * A strict, certified OpenID Connect client (panva's openid-client 6, on oauth4webapi) against the
 * sandbox: discovery, the authorization code flow with PKCE and a nonce, the token request, ID
 * token validation (signature included) without the userinfo endpoint, and a refresh. It takes
 * the same code path here as against Entra: with no `code_challenge_methods_supported` in the
 * document it believes PKCE unsupported, and sends it anyway when told to.
 */

// The demo app's native-client redirect: http://localhost on any port (loopback rule), a public client.
const REDIRECT_URI = 'http://localhost:53682/';
const SCOPE = 'openid profile offline_access User.Read';

const sandbox = setUpEntraSandbox();
let harness: Harness;
let dispatcher: Agent;
let config: client.Configuration;

beforeAll(async () => {
  harness = sandbox.shared;
  dispatcher = new Agent({ connect: { ca: harness.tls.ca } });
  config = await client.discovery(
    new URL(`${harness.entra.url}/${TENANT}/v2.0`),
    SPA_CLIENT,
    { redirect_uris: [REDIRECT_URI] },
    client.None(),
    {
      // TLS stays verified: the sandbox's CA is trusted, nothing else is relaxed.
      [client.customFetch]: ((url: string, options: RequestInit) =>
        undiciFetch(url, { ...(options as object), dispatcher })) as unknown as client.CustomFetch,
    },
  );
  // Verify the ID token's signature against jwks_uri too, not only its claims.
  client.enableNonRepudiationChecks(config);
}, 30_000);

afterAll(async () => {
  await dispatcher?.close();
});

/** Demo user Ana signs in at the URL openid-client builds: the code flow with PKCE, and `extra` parameters. */
async function signIn(extra: Record<string, string> = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  const result = await new Browser(harness).signIn(authorizationUrl.href, { demoUser: 'ana@contoso.example' });
  return { codeVerifier, state, result };
}

describe('openid-client against the sandbox', () => {
  it('discovers the tenant and, as against Entra, finds no advertised PKCE method', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${harness.entra.url}/${TENANT}/v2.0`);
    expect(metadata.supportsPKCE()).toBe(false);
    expect(metadata.code_challenge_methods_supported).toBeUndefined();
  });

  it('signs in with the code flow and PKCE, redeems the code and validates the ID token', async () => {
    const nonce = client.randomNonce();
    const { codeVerifier, state, result } = await signIn({ nonce, 'client-request-id': randomUUID() });
    expect(result.status).toBe(302);
    const callback = new URL(result.location!);
    // No client_info: this client did not ask for it.
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'session_state', 'state']);

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('openid profile User.Read');
    expect(tokens.expiresIn()).toBeGreaterThan(300);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: `${harness.entra.url}/${TENANT}/v2.0`,
      aud: SPA_CLIENT,
      tid: TENANT,
      preferred_username: 'ana@contoso.example',
      nonce,
    });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, { scope: SCOPE });
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()?.sub).toBe(claims?.sub);
  });

  it('rejects a callback whose code verifier does not match, with the AADSTS code', async () => {
    const { state, result } = await signIn();
    const error = await client
      .authorizationCodeGrant(config, new URL(result.location!), {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(client.ResponseBodyError);
    expect((error as client.ResponseBodyError).error).toBe('invalid_grant');
    expect((error as client.ResponseBodyError).cause).toMatchObject({ error_codes: [501481] });
  });
});
