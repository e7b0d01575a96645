import { PublicClientApplication, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import { configWith, DATABRICKS_DEFAULT, type Harness, jwtPayload, SPA_CLIENT, TENANT } from './support.ts';

const sandbox = setUpEntraSandbox();

function ropc(h: Harness) {
  return new PublicClientApplication({
    auth: { clientId: SPA_CLIENT, authority: h.authority, knownAuthorities: [h.entra.authorityHost] },
    system: { networkClient: h.network },
  }).acquireTokenByUsernamePassword({
    scopes: [DATABRICKS_DEFAULT],
    username: 'ana@contoso.example',
    password: 'ana-sandbox',
  });
}

async function putFaults(h: Harness, faults: unknown): Promise<Response> {
  return (await h.fetch(`${h.entra.url}/_sandbox/faults`, {
    method: 'PUT',
    body: JSON.stringify(faults),
  })) as unknown as Response;
}

describe('the control API under /_sandbox/', () => {
  it('lists protocol requests by method, path and status, without query strings, and resets the list', async () => {
    const harness = await sandbox.start();
    await harness.fetch(`${harness.authority}v2.0/.well-known/openid-configuration?secret=abc`);
    const list = (await (await harness.fetch(`${harness.entra.url}/_sandbox/requests`)).json()) as {
      method: string;
      path: string;
      status: number;
      at: string;
    }[];
    expect(list).toEqual([
      { method: 'GET', path: `/${TENANT}/v2.0/.well-known/openid-configuration`, status: 200, at: expect.any(String) },
    ]);
    expect(JSON.stringify(list)).not.toContain('secret');
    await harness.fetch(`${harness.entra.url}/sandbox-assets/page.css`);
    expect(await (await harness.fetch(`${harness.entra.url}/_sandbox/requests`)).json()).toHaveLength(1);
    expect((await harness.fetch(`${harness.entra.url}/_sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await harness.fetch(`${harness.entra.url}/_sandbox/requests`)).json()).toEqual([]);
  });

  it('fails the token endpoint with an injected 503 for the given count, then recovers', async () => {
    const harness = await sandbox.start();
    expect((await putFaults(harness, { tokenEndpoint: { status: 503, count: 1, retryAfterSeconds: 2 } })).status).toBe(
      200,
    );
    const raw = await harness.fetch(`${harness.authority}oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(raw.status).toBe(503);
    expect(raw.headers.get('retry-after')).toBe('2');
    expect(await raw.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
    const result = await ropc(harness);
    expect(result?.accessToken).toBeTruthy();
  });

  it('reports an injected token-endpoint failure to MSAL as a server error', async () => {
    const harness = await sandbox.start();
    await putFaults(harness, { tokenEndpoint: { status: 500 } });
    const error = await ropc(harness).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((await harness.fetch(`${harness.entra.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(await ropc(harness)).toBeTruthy();
  });

  it('overrides the access-token lifetime while the fault is set', async () => {
    const harness = await sandbox.start();
    await putFaults(harness, { accessTokenLifetimeSeconds: 120 });
    const result = await ropc(harness);
    const claims = jwtPayload(result!.accessToken);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it('takes faults from the configuration file', async () => {
    const harness = await sandbox.start(configWith({ faults: { discovery: { status: 502, count: 1 } } }));
    const first = await harness.fetch(`${harness.authority}v2.0/.well-known/openid-configuration`);
    expect(first.status).toBe(502);
    const second = await harness.fetch(`${harness.authority}v2.0/.well-known/openid-configuration`);
    expect(second.status).toBe(200);
  });

  it('shows the faults in force and refuses invalid ones with a 400 naming the key', async () => {
    const harness = await sandbox.start();
    await putFaults(harness, { latencyMs: 1 });
    expect(await (await harness.fetch(`${harness.entra.url}/_sandbox/faults`)).json()).toEqual({ latencyMs: 1 });
    const bad = await putFaults(harness, { tokenEndpoint: { status: 200 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error_description: string }).error_description).toContain('tokenEndpoint.status');
    const unknown = await putFaults(harness, { slowness: 5 });
    expect(unknown.status).toBe(400);
  });

  it('fails the authorize endpoint on its error page when told to', async () => {
    const harness = await sandbox.start();
    await putFaults(harness, { authorizeEndpoint: { status: 500, count: 1 } });
    const response = await harness.fetch(`${harness.authority}oauth2/v2.0/authorize?client_id=${SPA_CLIENT}`);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('AADSTS90033');
  });

  it('logs one line per request with method, path and status, never the query or body', async () => {
    const lines: string[] = [];
    const harness = await sandbox.start(undefined, { log: (line) => lines.push(line) });
    await ropc(harness);
    await harness.fetch(`${harness.authority}oauth2/v2.0/authorize?client_id=${SPA_CLIENT}&login_hint=secret-hint`);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^entra POST /${TENANT}/oauth2/v2.0/token 200 \\d+ms$`)),
    );
    expect(lines.join('\n')).not.toMatch(/ana-sandbox|secret-hint|eyJ/);
  });
});
