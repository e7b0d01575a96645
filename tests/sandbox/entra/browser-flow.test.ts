import { AuthorizeProtocol, InteractionRequiredAuthError } from '@azure/msal-common/node';
import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import {
  APP_ORIGIN,
  Browser,
  browserAuthorizeUrl,
  browserRedeem,
  DATABRICKS,
  DATABRICKS_DEFAULT,
  jwtPayload,
  responseParams,
  signInForCode,
  SPA_CLIENT,
  TENANT,
} from './support.ts';

const sandbox = setUpEntraSandbox();

/** What msal-browser does with the redirect: parse the fragment, compare state, classify errors. */
function msalReadsResponse(location: string, state: string) {
  const fragment = new URL(location).hash;
  return AuthorizeProtocol.getAuthorizationCodePayload(
    Object.fromEntries(new URLSearchParams(fragment.slice(1))),
    state,
    'test',
  );
}

describe('the single-page-app flow as msal-browser v5 drives it', () => {
  it('answers in the fragment with code, client_info, session_state and the exact state', async () => {
    const harness = sandbox.shared;
    const { url, state } = browserAuthorizeUrl(harness);
    const result = await new Browser(harness).signIn(url, { demoUser: 'ana@contoso.example' });
    expect(result.location).toMatch(/^https:\/\/localhost:5173\/#code=/);
    const params = responseParams(result.location!);
    expect(params.get('state')).toBe(state);
    expect(JSON.parse(Buffer.from(params.get('client_info')!, 'base64url').toString())).toEqual({
      uid: '0a11ce00-0000-4000-8000-000000000001',
      utid: TENANT,
    });
    expect(params.get('session_state')).toMatch(/^[0-9a-f-]{36}$/);
    expect(msalReadsResponse(result.location!, state).code).toBe(params.get('code'));
  });

  it('leaves client_info out of the redirect when the request did not ask for it, as Entra does', async () => {
    // Its own sandbox: a sign-in that consents to Microsoft Graph must not change the shared one.
    const harness = await sandbox.start();
    const { url, state } = browserAuthorizeUrl(harness, { client_info: undefined });
    const result = await new Browser(harness).signIn(url, { demoUser: 'ana@contoso.example' });
    const params = responseParams(result.location!);
    expect([...params.keys()].sort()).toEqual(['code', 'session_state', 'state']);
    expect(params.get('state')).toBe(state);
  });

  it.each([
    ['User.Read', 'openid profile User.Read'],
    ['user.read', 'openid profile User.Read'],
    ['https://graph.microsoft.com/User.Read', 'https://graph.microsoft.com/User.Read'],
    ['00000003-0000-0000-c000-000000000000/User.Read', '00000003-0000-0000-c000-000000000000/User.Read'],
    [
      'https://graph.microsoft.com/.default',
      'https://graph.microsoft.com/User.Read https://graph.microsoft.com/.default',
    ],
  ])('accepts the Microsoft Graph scope %s as Entra does, and names it back as asked', async (asked, granted) => {
    // Its own sandbox: a sign-in that consents to Microsoft Graph must not change the shared one.
    const harness = await sandbox.start();
    const scope = `${asked} openid profile offline_access`;
    const { url, verifier } = browserAuthorizeUrl(harness, { scope });
    const result = await new Browser(harness).signIn(url, { demoUser: 'ana@contoso.example' });
    const params = responseParams(result.location!);
    expect(params.get('error_description')).toBeNull();
    const token = await browserRedeem(harness, { code: params.get('code')!, code_verifier: verifier, scope });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe(granted);
    expect(jwtPayload(token.body.access_token as string)).toMatchObject({
      aud: '00000003-0000-0000-c000-000000000000',
      scp: 'User.Read',
    });
    const refreshed = await browserRedeem(harness, {
      grant_type: 'refresh_token',
      refresh_token: token.body.refresh_token as string,
      scope,
    });
    expect(refreshed.body.scope).toBe(granted);
  });

  it('still refuses a scope Microsoft Graph does not expose here, naming it (AADSTS70011)', async () => {
    // Its own sandbox: a sign-in that consents to Microsoft Graph must not change the shared one.
    const harness = await sandbox.start();
    const { url } = browserAuthorizeUrl(harness, { scope: 'Mail.Rread openid' });
    const result = await new Browser(harness).signIn(url, { demoUser: 'ana@contoso.example' });
    const params = responseParams(result.location!);
    expect(params.get('error')).toBe('invalid_scope');
    expect(params.get('error_description')).toContain("AADSTS70011: The scope 'Mail.Rread' is not valid");
  });

  it('redeems the code cross-origin with PKCE, readable by the page, with the nonce and the .default scope', async () => {
    const harness = sandbox.shared;
    const { url, nonce, verifier } = browserAuthorizeUrl(harness);
    const result = await new Browser(harness).signIn(url, { username: 'ana@contoso.example', password: 'ana-sandbox' });
    const code = responseParams(result.location!).get('code')!;
    const token = await browserRedeem(harness, { code, code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      scope: `${DATABRICKS}/user_impersonation ${DATABRICKS_DEFAULT}`,
      refresh_token_expires_in: 86_400,
    });
    expect(token.body.expires_in).toBe(token.body.ext_expires_in);
    expect(jwtPayload(token.body.id_token as string)).toMatchObject({ nonce, aud: SPA_CLIENT });
    expect(token.body.client_info).toBeTypeOf('string');
  });

  it('signs the user in again without a form while the session cookie lasts (single sign-on)', async () => {
    const harness = sandbox.shared;
    const browser = new Browser(harness);
    await browser.signIn(browserAuthorizeUrl(harness).url, { demoUser: 'ben@contoso.example' });
    const again = browserAuthorizeUrl(harness);
    const response = await browser.request(again.url);
    expect(response.status).toBe(302);
    expect(responseParams(response.headers.get('location')!).get('code')).toBeTruthy();
  });

  it('renews silently with prompt=none when a session exists', async () => {
    const harness = sandbox.shared;
    const browser = new Browser(harness);
    await browser.signIn(browserAuthorizeUrl(harness).url, { demoUser: 'ben@contoso.example' });
    const silent = browserAuthorizeUrl(harness, { prompt: 'none', login_hint: 'ben@contoso.example' });
    const response = await browser.request(silent.url);
    expect(msalReadsResponse(response.headers.get('location')!, silent.state).code).toBeTruthy();
  });

  it('answers prompt=none without a session with login_required (AADSTS50058), which MSAL treats as interaction required', async () => {
    const harness = sandbox.shared;
    const silent = browserAuthorizeUrl(harness, { prompt: 'none' });
    const response = await new Browser(harness).request(silent.url);
    expect(response.status).toBe(302);
    const params = responseParams(response.headers.get('location')!);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('error_uri')).toMatch(/code=50058$/);
    expect(params.get('state')).toBe(silent.state);
    const error = (() => {
      try {
        msalReadsResponse(response.headers.get('location')!, silent.state);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    expect(error).toMatchObject({ errorCode: 'login_required', errorNo: '50058' });
  });

  it('shows the sign-in form again with prompt=login even with a session', async () => {
    const harness = sandbox.shared;
    const browser = new Browser(harness);
    await browser.signIn(browserAuthorizeUrl(harness).url, { demoUser: 'ben@contoso.example' });
    const response = await browser.request(browserAuthorizeUrl(harness, { prompt: 'login' }).url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<label for="password">Password</label>');
  });

  it('shows the consent page to a user who has not consented, and issues a code after Accept', async () => {
    // Its own sandbox: the consent it grants must not reach the other tests.
    const harness = await sandbox.start();
    const browser = new Browser(harness);
    const { url } = browserAuthorizeUrl(harness);
    const paused = await browser.signIn(url, { demoUser: 'dana@contoso.example' });
    expect(paused.html).toContain('Permissions requested');
    expect(paused.html).toContain('user_impersonation');
    const accepted = await new Browser(harness).signIn(browserAuthorizeUrl(harness).url, {
      demoUser: 'dana@contoso.example',
      consent: 'accept',
    });
    expect(responseParams(accepted.location!).get('code')).toBeTruthy();
  });

  it('returns access_denied (AADSTS65004) with the state when the user cancels consent', async () => {
    const harness = sandbox.shared;
    const { url, state } = browserAuthorizeUrl(harness);
    const denied = await new Browser(harness).signIn(url, { demoUser: 'dana@contoso.example', consent: 'deny' });
    const params = responseParams(denied.location!);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toMatch(/^AADSTS65004: /);
    expect(params.get('state')).toBe(state);
  });

  it('answers prompt=none for a user who must consent with consent_required (AADSTS65001)', async () => {
    const harness = sandbox.shared;
    const browser = new Browser(harness);
    // Dana signs in to the web app (admin-consented), then the SPA asks silently.
    await browser.signIn(
      `${harness.authority}oauth2/v2.0/authorize?client_id=98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e&response_type=code&redirect_uri=${encodeURIComponent('https://localhost:5173/')}&scope=openid`,
      { demoUser: 'dana@contoso.example' },
    );
    const silent = browserAuthorizeUrl(harness, { prompt: 'none' });
    const response = await browser.request(silent.url);
    const params = responseParams(response.headers.get('location')!);
    expect(params.get('error')).toBe('consent_required');
    expect(params.get('error_uri')).toMatch(/code=65001$/);
    expect(() => msalReadsResponse(response.headers.get('location')!, silent.state)).toThrow(
      InteractionRequiredAuthError,
    );
  });

  it('asks for the MFA code and refuses a wrong one', async () => {
    const harness = sandbox.shared;
    const wrong = await new Browser(harness).signIn(browserAuthorizeUrl(harness).url, {
      demoUser: 'eve@contoso.example',
      mfaCode: '000000',
    });
    expect(wrong.html).toContain('That code is not right');
    const right = await new Browser(harness).signIn(browserAuthorizeUrl(harness).url, {
      demoUser: 'eve@contoso.example',
      mfaCode: '123456',
    });
    expect(responseParams(right.location!).get('code')).toBeTruthy();
  });

  it('does not ask an MFA user for the code again on silent renewal after MFA in the session', async () => {
    const harness = sandbox.shared;
    const browser = new Browser(harness);
    await browser.signIn(browserAuthorizeUrl(harness).url, { demoUser: 'eve@contoso.example', mfaCode: '123456' });
    const silent = browserAuthorizeUrl(harness, { prompt: 'none', login_hint: 'eve@contoso.example' });
    const response = await browser.request(silent.url);
    expect(msalReadsResponse(response.headers.get('location')!, silent.state).code).toBeTruthy();
  });

  it('refreshes cross-origin and rotates the refresh token, keeping the 24-hour limit from sign-in', async () => {
    let now = Date.now();
    const harness = await sandbox.start(undefined, { clock: () => now });
    const { code, verifier } = await signInForCode(harness);
    const first = await browserRedeem(harness, {
      code,
      code_verifier: verifier,
    });
    now += 23 * 3600_000;
    const refreshed = await browserRedeem(harness, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
      redirect_uri: '',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(refreshed.body.refresh_token_expires_in).toBe(3600);
    now += 3600_000;
    const expired = await browserRedeem(harness, {
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token as string,
    });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_codes: [700084] });
  });

  it('sends CORS headers on the preflight, metadata and keys', async () => {
    const harness = sandbox.shared;
    const preflight = await harness.fetch(`${harness.authority}oauth2/v2.0/token`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    for (const path of ['v2.0/.well-known/openid-configuration', 'discovery/v2.0/keys']) {
      const response = await harness.fetch(`${harness.authority}${path}`, { headers: { origin: APP_ORIGIN } });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
  });
});
