import { randomUUID } from 'node:crypto';
import {
  type AccountInfo,
  CryptoProvider,
  InteractionRequiredAuthError,
  PublicClientApplication,
  ServerError,
} from '@azure/msal-node';
import { AuthorizeProtocol } from '@azure/msal-common/node';
import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import {
  APP_ORIGIN,
  Browser,
  browserAuthorizeUrl,
  browserRedeem,
  DATABRICKS_DEFAULT,
  type Harness,
  responseParams,
  signInForCode,
  SPA_CLIENT,
  SPA_REDIRECT,
  trustingNetworkModule,
  WEB_CLIENT,
} from './support.ts';

const sandbox = setUpEntraSandbox();

function pca(
  h: Harness,
  clientId = SPA_CLIENT,
  options: { origin?: string; authority?: string } = {},
): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId, authority: options.authority ?? h.authority, knownAuthorities: [h.entra.authorityHost] },
    system: { networkClient: options.origin ? trustingNetworkModule(h.tls.ca, { origin: options.origin }) : h.network },
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

/** A sign-in with the resource owner password credentials grant (ROPC), as demo user Ana by default. */
function ropc(app: PublicClientApplication, username = 'ana@contoso.example', password = 'ana-sandbox') {
  return app.acquireTokenByUsernamePassword({ scopes: [DATABRICKS_DEFAULT], username, password });
}

/** A refresh that must go to the token endpoint (msal-node would otherwise answer from its cache). */
function forcedRefresh(app: PublicClientApplication, account: AccountInfo) {
  return app.acquireTokenSilent({ account, scopes: [DATABRICKS_DEFAULT], forceRefresh: true });
}

/** Signs in through the pages and returns the code, for the given client and redirect URI. */
async function codeFor(
  h: Harness,
  clientId: string,
  redirectUri: string,
  challenge: string,
  upn = 'ana@contoso.example',
) {
  const url = await pca(h, clientId).getAuthCodeUrl({
    scopes: [DATABRICKS_DEFAULT],
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
  });
  const result = await new Browser(h).signIn(url, { demoUser: upn });
  expect(result.location, result.html).toBeDefined();
  return responseParams(result.location!).get('code')!;
}

describe('errors the sandbox shows on its own page (never redirected)', () => {
  const cases: [string, (h: Harness) => string, number][] = [
    [
      'an unknown tenant',
      (h) => `${h.entra.url}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/authorize?client_id=${SPA_CLIENT}`,
      90002,
    ],
    ['no client_id', (h) => `${h.authority}oauth2/v2.0/authorize?response_type=code`, 900144],
    [
      'an unknown app',
      (h) => `${h.authority}oauth2/v2.0/authorize?client_id=${randomUUID()}&redirect_uri=${SPA_REDIRECT}`,
      700016,
    ],
    [
      'no redirect_uri',
      (h) => `${h.authority}oauth2/v2.0/authorize?client_id=${SPA_CLIENT}&response_type=code`,
      900971,
    ],
    [
      'a relative redirect_uri',
      (h) => `${h.authority}oauth2/v2.0/authorize?client_id=${SPA_CLIENT}&redirect_uri=%2Fcallback`,
      90102,
    ],
    [
      'an unregistered redirect_uri',
      (h) => `${h.authority}oauth2/v2.0/authorize?client_id=${SPA_CLIENT}&redirect_uri=https%3A%2F%2Fevil.example%2F`,
      50011,
    ],
  ];
  it.each(cases)('refuses %s with its AADSTS code', async (_name, build, code) => {
    const harness = sandbox.shared;
    const response = await harness.fetch(build(harness));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain(`AADSTS${code}`);
  });
});

describe('errors returned to the redirect URI with the state', () => {
  const cases: [string, Record<string, string | undefined>, string, number][] = [
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type', 700054],
    ['no scope', { scope: undefined }, 'invalid_request', 900144],
    ['an unknown scope', { scope: `${randomUUID()}/read openid` }, 'invalid_scope', 70011],
    [
      'scopes of two resources',
      { scope: `${DATABRICKS_DEFAULT} 00000003-0000-0000-c000-000000000000/User.Read` },
      'invalid_scope',
      28000,
    ],
    [
      'a single-page app without PKCE',
      { code_challenge: undefined, code_challenge_method: undefined },
      'invalid_request',
      9002325,
    ],
    ['a single-page app with a plain challenge', { code_challenge_method: 'plain' }, 'invalid_request', 9002325],
    ['a malformed code_challenge', { code_challenge: 'short' }, 'invalid_request', 501491],
    ['an unsupported prompt', { prompt: 'create' }, 'invalid_request', 90023],
  ];
  it.each(cases)('answers %s with %s', async (_name, overrides, error, code) => {
    const harness = sandbox.shared;
    const request = browserAuthorizeUrl(harness, overrides);
    const response = await harness.fetch(request.url);
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${SPA_REDIRECT}#`)).toBe(true);
    const params = responseParams(location);
    expect(params.get('state')).toBe(request.state);
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toMatch(
      new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: .+\\r\\nCorrelation ID: .+\\r\\nTimestamp: `),
    );
    expect(() =>
      AuthorizeProtocol.getAuthorizationCodePayload(Object.fromEntries(params), request.state, 'test'),
    ).toThrow(ServerError);
  });

  it('reports an unsupported response_mode in the query', async () => {
    const harness = sandbox.shared;
    const response = await harness.fetch(browserAuthorizeUrl(harness, { response_mode: 'web_message' }).url);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error_uri')).toMatch(/code=900561$/);
  });
});

describe('token endpoint errors, as MSAL classifies them', () => {
  it('gives the Entra error shape with the caller’s correlation ID', async () => {
    const harness = sandbox.shared;
    const correlationId = randomUUID();
    const response = await harness.fetch(`${harness.authority}oauth2/v2.0/token?client-request-id=${correlationId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${SPA_CLIENT}&grant_type=device_code`,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      error: 'unsupported_grant_type',
      error_codes: [70003],
      correlation_id: correlationId,
    });
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error_uri).toBe(`${harness.entra.url}/error?code=70003`);
  });

  it('refuses an unknown app with unauthorized_client (AADSTS700016), a server error', async () => {
    const harness = sandbox.shared;
    const error = await caught(ropc(pca(harness, randomUUID())));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ errorCode: 'unauthorized_client', errorNo: 700016 });
  });

  it('refuses ROPC for an app without public client flows (AADSTS7000218)', async () => {
    const harness = sandbox.shared;
    const error = await caught(ropc(pca(harness, WEB_CLIENT)));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ errorCode: 'invalid_client', errorNo: 7000218 });
  });

  it('refuses ROPC on /common (AADSTS9001023)', async () => {
    const harness = sandbox.shared;
    const error = await caught(ropc(pca(harness, SPA_CLIENT, { authority: `${harness.entra.url}/common/` })));
    expect(error).toMatchObject({ errorCode: 'invalid_request', errorNo: 9001023 });
  });

  it('refuses a cross-origin redemption for a web-platform redirect URI (AADSTS9002326), readable with CORS', async () => {
    const harness = sandbox.shared;
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const code = await codeFor(harness, WEB_CLIENT, SPA_REDIRECT, challenge);
    const raw = await browserRedeem(harness, { client_id: WEB_CLIENT, code, code_verifier: verifier });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('access-control-allow-origin')).toBe('*');
    expect(raw.body).toMatchObject({ error: 'invalid_request', error_codes: [9002326] });
    expect(raw.body.error_description).toContain(`Request origin: '${APP_ORIGIN}'`);

    const { verifier: v2, challenge: c2 } = await new CryptoProvider().generatePkceCodes();
    const code2 = await codeFor(harness, WEB_CLIENT, SPA_REDIRECT, c2);
    const error = await caught(
      pca(harness, WEB_CLIENT, { origin: APP_ORIGIN }).acquireTokenByCode({
        code: code2,
        codeVerifier: v2,
        redirectUri: SPA_REDIRECT,
        scopes: [DATABRICKS_DEFAULT],
      }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(error).not.toBeInstanceOf(InteractionRequiredAuthError);
    expect(error).toMatchObject({ errorCode: 'invalid_request', errorNo: 9002326 });
  });

  it('refuses a single-page app’s code redeemed without an Origin (AADSTS9002327)', async () => {
    const harness = sandbox.shared;
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const code = await codeFor(harness, SPA_CLIENT, SPA_REDIRECT, challenge);
    const error = await caught(
      pca(harness).acquireTokenByCode({
        code,
        codeVerifier: verifier,
        redirectUri: SPA_REDIRECT,
        scopes: [DATABRICKS_DEFAULT],
      }),
    );
    expect(error).toMatchObject({ errorCode: 'invalid_request', errorNo: 9002327 });
  });

  it('refuses a single-page app’s code redeemed without the verifier (AADSTS9002325)', async () => {
    const harness = sandbox.shared;
    const { code } = await signInForCode(harness);
    const response = await browserRedeem(harness, { code });
    expect(response.body).toMatchObject({ error: 'invalid_request', error_codes: [9002325] });
  });

  it('refuses a reused code (AADSTS54005) and revokes the refresh token the first redemption issued', async () => {
    const harness = sandbox.shared;
    const { code, verifier } = await signInForCode(harness);
    const first = await browserRedeem(harness, { code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const second = await browserRedeem(harness, { code, code_verifier: verifier });
    expect(second.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
    const refresh = await browserRedeem(harness, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
    });
    expect(refresh.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
  });

  it('refuses a wrong PKCE verifier (AADSTS501481) and burns the code', async () => {
    const harness = sandbox.shared;
    const { code, verifier } = await signInForCode(harness);
    const wrong = await browserRedeem(harness, { code, code_verifier: 'A'.repeat(43) });
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    const right = await browserRedeem(harness, { code, code_verifier: verifier });
    expect(right.body).toMatchObject({ error_codes: [54005] });
  });

  it('refuses a code redeemed with another redirect URI (AADSTS500112)', async () => {
    const harness = sandbox.shared;
    const { code, verifier } = await signInForCode(harness);
    const response = await browserRedeem(harness, {
      code,
      code_verifier: verifier,
      redirect_uri: 'https://localhost:5173/other',
    });
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [500112] });
  });

  it('refuses an expired code (AADSTS70008)', async () => {
    let now = Date.now();
    const harness = await sandbox.start(undefined, { clock: () => now });
    const { code, verifier } = await signInForCode(harness);
    now += 601_000;
    const response = await browserRedeem(harness, {
      code,
      code_verifier: verifier,
    });
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
  });

  it('expires a public client’s refresh token after 90 days without use (AADSTS700082)', async () => {
    let now = Date.now();
    const harness = await sandbox.start(undefined, { clock: () => now });
    const app = pca(harness);
    const result = await ropc(app);
    now += 91 * 86_400_000;
    const error = await caught(forcedRefresh(app, result!.account!));
    expect(error).toMatchObject({ errorCode: 'invalid_grant', errorNo: 700082 });
  });

  it('refuses refresh tokens revoked through the faults API (AADSTS50173), which MSAL reports as invalid_grant', async () => {
    const harness = await sandbox.start();
    const app = pca(harness);
    const result = await ropc(app);
    const put = await harness.fetch(`${harness.entra.url}/_sandbox/faults`, {
      method: 'PUT',
      body: JSON.stringify({ revokeRefreshTokensFor: 'ana@contoso.example' }),
    });
    expect(put.status).toBe(200);
    const error = await caught(forcedRefresh(app, result!.account!));
    expect(error).toMatchObject({ errorCode: 'invalid_grant', errorNo: 50173 });
    // A new sign-in works again.
    await ropc(app);
  });

  it('refuses a client secret from a public client (AADSTS700025)', async () => {
    const harness = sandbox.shared;
    const response = await harness.fetch(`${harness.authority}oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${SPA_CLIENT}&grant_type=password&client_secret=s3cret&username=ana%40contoso.example&password=ana-sandbox`,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client', error_codes: [700025] });
  });

  it('refuses an unknown user in ROPC (AADSTS50034)', async () => {
    const harness = sandbox.shared;
    const error = await caught(ropc(pca(harness), 'zoe@contoso.example', 'x'));
    expect(error).toMatchObject({ errorCode: 'invalid_grant', errorNo: 50034 });
  });
});
