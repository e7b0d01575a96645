import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import {
  Browser,
  browserAuthorizeUrl,
  browserRedeem,
  type Harness,
  responseParams,
  signInForCode,
  SPA_CLIENT,
  SPA_REDIRECT,
} from './support.ts';

const sandbox = setUpEntraSandbox();

async function stillServing(h: Harness): Promise<void> {
  const response = await h.fetch(`${h.authority}v2.0/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
}

describe('protocol attacks the sandbox refuses', () => {
  it.each([
    ['an extra path', 'https://localhost:5173/callback'],
    ['an extra query', 'https://localhost:5173/?next=https://evil.example'],
    ['another port', 'https://localhost:5174/'],
    ['a look-alike host', 'https://localhost.evil.example:5173/'],
    ['user info', 'https://evil.example@localhost:5173/'],
    ['a fragment', 'https://localhost:5173/#x'],
    ['http on a non-loopback host', 'http://contoso.example/'],
  ])('refuses a redirect URI with %s (AADSTS50011) without redirecting', async (_name, redirectUri) => {
    const harness = await sandbox.start();
    const response = await harness.fetch(browserAuthorizeUrl(harness, { redirect_uri: redirectUri }).url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('AADSTS50011');
  });

  it('accepts any port for the registered loopback redirect URI http://localhost, but not another path', async () => {
    const harness = await sandbox.start();
    const base = { code_challenge_method: 'S256', response_mode: 'query' };
    const ok = await harness.fetch(
      browserAuthorizeUrl(harness, { ...base, redirect_uri: 'http://localhost:49152' }).url,
    );
    expect(ok.status).toBe(200);
    const bad = await harness.fetch(
      browserAuthorizeUrl(harness, { ...base, redirect_uri: 'http://localhost:49152/steal' }).url,
    );
    expect(bad.status).toBe(400);
  });

  it('redirects after logout only to a registered URI, with the state', async () => {
    const harness = await sandbox.start();
    const evil = await harness.fetch(
      `${harness.authority}oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}&state=s`,
    );
    expect(evil.status).toBe(200);
    expect(evil.headers.get('location')).toBeNull();
    expect(await evil.text()).toContain('not a registered redirect URI');
    const lookalike = await harness.fetch(
      `${harness.authority}oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://localhost:5173/../evil')}`,
    );
    expect(lookalike.headers.get('location')).toBeNull();
    const good = await harness.fetch(
      `${harness.authority}oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(SPA_REDIRECT)}&state=a%2Bb`,
    );
    expect(good.status).toBe(302);
    expect(good.headers.get('location')).toBe(`${SPA_REDIRECT}?state=a%2Bb`);
  });

  it('ends the session on logout, so the next silent request needs a sign-in', async () => {
    const harness = await sandbox.start();
    const browser = new Browser(harness);
    await browser.signIn(browserAuthorizeUrl(harness).url, { demoUser: 'ana@contoso.example' });
    await browser.request(
      `${harness.authority}oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(SPA_REDIRECT)}`,
    );
    const silent = await browser.request(browserAuthorizeUrl(harness, { prompt: 'none' }).url);
    expect(responseParams(silent.headers.get('location')!).get('error')).toBe('login_required');
  });

  it('answers an oversized parameter with a clear 400 and keeps running', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(browserAuthorizeUrl(harness, { state: 'x'.repeat(5000) }).url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('AADSTS90015');
    await stillServing(harness);
  });

  it('answers an oversized query string with a clear 400', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.authority}oauth2/v2.0/authorize?junk=${'y'.repeat(17_000)}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_codes: number[] }).error_codes).toEqual([90015]);
    await stillServing(harness);
  });

  it('refuses a repeated parameter (parameter pollution)', async () => {
    const harness = await sandbox.start();
    const { url } = browserAuthorizeUrl(harness);
    const response = await harness.fetch(`${url}&client_id=98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('the parameter &#39;client_id&#39; appears more than once');
  });

  it('answers a token request body over 64 KiB with a 400 and keeps running', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.authority}oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${SPA_CLIENT}&grant_type=password&junk=${'z'.repeat(70_000)}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_codes: number[] }).error_codes).toEqual([9002313]);
    await stillServing(harness);
  });

  it('answers an oversized sign-in form post with a 400', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.authority}login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `ctx=x&username=${'u'.repeat(70_000)}`,
    });
    expect(response.status).toBe(400);
    await stillServing(harness);
  });

  it('refuses a token request that is not form-encoded', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.authority}oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: SPA_CLIENT, grant_type: 'password' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_codes: [9002313] });
  });

  it('answers malformed percent-encoding in the path with 404, not a crash', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.entra.url}/%E0%A4%A/oauth2/v2.0/authorize`);
    expect(response.status).toBe(404);
    await stillServing(harness);
  });

  it('refuses a form post whose sign-in context is unknown', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(`${harness.authority.replace(/\/$/, '')}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ctx=forged&demo_user=ben%40contoso.example',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('does not let a sign-in context be completed twice', async () => {
    const harness = await sandbox.start();
    const browser = new Browser(harness);
    const page = await (await browser.request(browserAuthorizeUrl(harness).url)).text();
    const ctx = /name="ctx" value="([^"]+)"/.exec(page)![1]!;
    const post = () =>
      browser.request(`${harness.authority}login`, {
        method: 'POST',
        body: new URLSearchParams({ ctx, demo_user: 'ana@contoso.example' }).toString(),
      });
    expect((await post()).status).toBe(302);
    expect((await post()).status).toBe(400);
  });

  it('escapes what it echoes into the sign-in page', async () => {
    const harness = await sandbox.start();
    const response = await harness.fetch(
      browserAuthorizeUrl(harness, { login_hint: '"><script>alert(1)</script>' }).url,
    );
    const html = await response.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('uses a refresh token only for the app it was issued to', async () => {
    const harness = await sandbox.start();
    const { code, verifier } = await signInForCode(harness);
    const tokens = await browserRedeem(harness, {
      code,
      code_verifier: verifier,
    });
    const stolen = await browserRedeem(harness, {
      client_id: '98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e',
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token as string,
    });
    expect(stolen.body).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
  });
});
