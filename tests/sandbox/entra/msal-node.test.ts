import { createHash, randomBytes } from 'node:crypto';
import { CryptoProvider, InteractionRequiredAuthError, PublicClientApplication, ServerError } from '@azure/msal-node';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import {
  Browser,
  configWith,
  DATABRICKS,
  DATABRICKS_DEFAULT,
  type Harness,
  responseParams,
  SPA_CLIENT,
  TENANT,
} from './support.ts';

const sandbox = setUpEntraSandbox();

function createPca(h: Harness): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId: SPA_CLIENT, authority: h.authority, knownAuthorities: [h.entra.authorityHost] },
    system: { networkClient: h.network },
  });
}

/** The error msal-node throws when a resource owner password credentials (ROPC) sign-in fails. */
function ropcError(h: Harness, username: string, password: string): Promise<unknown> {
  return createPca(h)
    .acquireTokenByUsernamePassword({ scopes: [DATABRICKS_DEFAULT], username, password })
    .then(
      () => {
        throw new Error(`expected the sign-in of ${username} to fail`);
      },
      (error: unknown) => error,
    );
}

async function verify(h: Harness, token: string, options: { issuer: string; audience: string }) {
  const response = await h.fetch(h.entra.jwksUri(TENANT));
  const jwks = createLocalJWKSet((await response.json()) as Parameters<typeof createLocalJWKSet>[0]);
  return jwtVerify(token, jwks, { ...options, algorithms: ['RS256'] });
}

/** The auth-code flow with PKCE, on the public-client redirect URI http://localhost, as the origin article does. */
async function signInWithCode(
  h: Harness,
  pca: PublicClientApplication,
  upn: string,
  password: string,
  extra: { mfaCode?: string; nonce?: string; scopes?: string[] } = {},
) {
  const scopes = extra.scopes ?? [DATABRICKS_DEFAULT];
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = '12345';
  const url = await pca.getAuthCodeUrl({
    scopes,
    redirectUri: 'http://localhost',
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    state,
    nonce: extra.nonce,
  });
  const browser = new Browser(h);
  const result = await browser.signIn(url, { username: upn, password, mfaCode: extra.mfaCode });
  expect(result.location, result.html).toBeDefined();
  const params = responseParams(result.location!);
  expect(params.get('state')).toBe(state);
  const code = params.get('code')!;
  return pca.acquireTokenByCode(
    {
      code,
      scopes,
      redirectUri: 'http://localhost',
      codeVerifier: verifier,
      state,
      nonce: extra.nonce,
    },
    { code, state: params.get('state')!, client_info: params.get('client_info')! },
  );
}

describe('the sandbox with @azure/msal-node', () => {
  it("grants Microsoft's sample scope User.Read as a Graph scope, and MSAL's cache then answers for it", async () => {
    const harness = await sandbox.start();
    const pca = createPca(harness);
    const result = await signInWithCode(harness, pca, 'ana@contoso.example', 'ana-sandbox', { scopes: ['User.Read'] });
    expect(result.scopes).toEqual(expect.arrayContaining(['User.Read']));
    const before = (await (await harness.fetch(`${harness.entra.url}/_sandbox/requests`)).json()) as unknown[];
    const silent = await pca.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] });
    expect(silent.fromCache).toBe(true);
    expect(silent.accessToken).toBe(result.accessToken);
    const after = (await (await harness.fetch(`${harness.entra.url}/_sandbox/requests`)).json()) as unknown[];
    expect(after).toHaveLength(before.length);
  });

  it('signs a user in with the auth-code flow and PKCE and issues verifiable tokens for Azure Databricks', async () => {
    const harness = await sandbox.start();
    const pca = createPca(harness);
    const result = await signInWithCode(harness, pca, 'ana@contoso.example', 'ana-sandbox');

    expect(result.account?.username).toBe('ana@contoso.example');
    expect(result.account?.homeAccountId).toBe(`0a11ce00-0000-4000-8000-000000000001.${TENANT}`);
    expect(result.scopes).toEqual(expect.arrayContaining([`${DATABRICKS}/user_impersonation`, DATABRICKS_DEFAULT]));

    const access = await verify(harness, result.accessToken, {
      issuer: `https://sts.windows.net/${TENANT}/`,
      audience: DATABRICKS,
    });
    expect(access.protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(access.protectedHeader.kid).toBe(access.protectedHeader.x5t);
    expect(access.payload).toMatchObject({
      appid: SPA_CLIENT,
      appidacr: '0',
      scp: 'user_impersonation',
      upn: 'ana@contoso.example',
      unique_name: 'ana@contoso.example',
      name: 'Ana Analyst',
      given_name: 'Ana',
      family_name: 'Analyst',
      oid: '0a11ce00-0000-4000-8000-000000000001',
      tid: TENANT,
      ver: '1.0',
      amr: ['pwd'],
    });
    const lifetime = access.payload.exp! - access.payload.iat!;
    expect(lifetime).toBeGreaterThanOrEqual(3600);
    expect(lifetime).toBeLessThanOrEqual(5400);

    const id = await verify(harness, result.idToken, {
      issuer: `${harness.entra.url}/${TENANT}/v2.0`,
      audience: SPA_CLIENT,
    });
    expect(id.payload).toMatchObject({ ver: '2.0', preferred_username: 'ana@contoso.example', tid: TENANT });
    expect(id.payload.nonce).toBeUndefined();
  });

  it('puts the nonce in the ID token when the authorize request carried one', async () => {
    const harness = await sandbox.start();
    const nonce = randomBytes(16).toString('hex');
    const result = await signInWithCode(harness, createPca(harness), 'ben@contoso.example', 'ben-sandbox', { nonce });
    expect(result.idTokenClaims).toMatchObject({ nonce });
  });

  it('refreshes with the refresh token when forced, rotating it, and serves the cached token otherwise', async () => {
    const harness = await sandbox.start();
    const pca = createPca(harness);
    const first = await signInWithCode(harness, pca, 'ana@contoso.example', 'ana-sandbox');
    harness.entra.resetRequests();

    const cached = await pca.acquireTokenSilent({ account: first.account!, scopes: [DATABRICKS_DEFAULT] });
    expect(cached.accessToken).toBe(first.accessToken);
    expect(harness.entra.requests()).toEqual([]);

    const refreshed = await pca.acquireTokenSilent({
      account: first.account!,
      scopes: [DATABRICKS_DEFAULT],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(harness.entra.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /${TENANT}/oauth2/v2.0/token 200`,
    ]);
    await verify(harness, refreshed.accessToken, {
      issuer: `https://sts.windows.net/${TENANT}/`,
      audience: DATABRICKS,
    });
  });

  it('refreshes an access token that has expired, with a short configured lifetime', async () => {
    // MSAL treats a token as expired 300 s before `exp`, so a 240 s token is stale at once.
    const harness = await sandbox.start(configWith({ tokens: { accessTokenLifetimeSeconds: 240 } }));
    const pca = createPca(harness);
    const first = await signInWithCode(harness, pca, 'ana@contoso.example', 'ana-sandbox');
    expect(first.expiresOn!.getTime() - Date.now()).toBeLessThanOrEqual(241_000);
    harness.entra.resetRequests();
    const second = await pca.acquireTokenSilent({ account: first.account!, scopes: [DATABRICKS_DEFAULT] });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(harness.entra.requests()).toHaveLength(1);
  });

  it('signs in with username and password (ROPC) for an app that allows public client flows', async () => {
    const harness = await sandbox.start();
    const result = await createPca(harness).acquireTokenByUsernamePassword({
      scopes: [DATABRICKS_DEFAULT],
      username: 'ben@contoso.example',
      password: 'ben-sandbox',
    });
    const access = await verify(harness, result!.accessToken, {
      issuer: `https://sts.windows.net/${TENANT}/`,
      audience: DATABRICKS,
    });
    expect(access.payload).toMatchObject({ upn: 'ben@contoso.example', scp: 'user_impersonation' });
  });

  it('asks an MFA user for the verification code and records mfa in amr', async () => {
    const harness = await sandbox.start();
    const result = await signInWithCode(harness, createPca(harness), 'eve@contoso.example', 'eve-sandbox', {
      mfaCode: '123456',
    });
    const access = await verify(harness, result.accessToken, {
      issuer: `https://sts.windows.net/${TENANT}/`,
      audience: DATABRICKS,
    });
    expect(access.payload.amr).toEqual(['pwd', 'mfa']);
  });

  it('refuses ROPC for an MFA user with AADSTS50076, which MSAL classifies as interaction required', async () => {
    const harness = await sandbox.start();
    const error = await ropcError(harness, 'eve@contoso.example', 'eve-sandbox');
    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    expect(error).toMatchObject({ errorCode: 'invalid_grant', subError: 'basic_action', errorNo: 50076 });
  });

  it('refuses a wrong password with AADSTS50126 as a server error', async () => {
    const harness = await sandbox.start();
    const error = await ropcError(harness, 'ana@contoso.example', 'wrong');
    expect(error).toBeInstanceOf(ServerError);
    expect(error).not.toBeInstanceOf(InteractionRequiredAuthError);
    expect(error).toMatchObject({ errorCode: 'invalid_grant', errorNo: 50126 });
  });

  it('refuses ROPC for a user who has not consented with AADSTS65001 (interaction required)', async () => {
    const harness = await sandbox.start();
    const error = await ropcError(harness, 'dana@contoso.example', 'dana-sandbox');
    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    expect(error).toMatchObject({ errorNo: 65001, subError: 'consent_required' });
  });

  it('produces a challenge the way msal-node does (S256 of the verifier)', async () => {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
  });
});
