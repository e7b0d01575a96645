import { Agent as HttpsAgent } from 'node:https';
import { ApiError, WorkspaceClient } from '@databricks/sdk-experimental';
import { createRemoteJWKSet, customFetch } from 'jose';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG } from '../../../src/sandbox/config.ts';
import { type RunningWorkspace, startWorkspace } from '../../../src/sandbox/databricks/index.ts';
import { type RunningEntra, startEntra } from '../../../src/sandbox/entra/index.ts';
import { DATABRICKS, removeTestTls, SPA_CLIENT, TENANT, testTls } from './helpers.ts';

/**
 * End to end inside the sandbox: the sandbox Entra ID issues a real token (ROPC at its v2.0
 * token endpoint), the workspace checks it against the identity provider's JWKS over HTTPS, and
 * the Databricks SDK lists clusters with it.
 */

let entra: RunningEntra;
let workspace: RunningWorkspace;
let ca: string;
let trusting: Agent;

beforeAll(async () => {
  const { tls, dir } = await testTls();
  ca = tls.ca;
  trusting = new Agent({ connect: { ca } });
  entra = await startEntra({ config: DEFAULT_SANDBOX_CONFIG, tls, host: '127.0.0.1', port: 0, stateDir: dir });
  const tokenKeys = createRemoteJWKSet(new URL(entra.jwksUri(TENANT)), {
    [customFetch]: (url, init) =>
      fetch(url, { ...(init as object), dispatcher: trusting }) as unknown as Promise<Response>,
  });
  workspace = await startWorkspace({
    config: DEFAULT_SANDBOX_CONFIG.workspace,
    tls,
    host: '127.0.0.1',
    port: 0,
    tokenKeys,
    tenantId: TENANT,
    authorizeUrl: `${entra.authority(TENANT)}oauth2/v2.0/authorize`,
  });
});

afterAll(async () => {
  await workspace?.close();
  await entra?.close();
  await trusting?.close();
  await removeTestTls();
});

async function ropcToken(username: string, password: string): Promise<string> {
  const res = await fetch(`${entra.url}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: SPA_CLIENT,
      scope: `${DATABRICKS}/.default openid profile offline_access`,
      username,
      password,
    }).toString(),
    dispatcher: trusting,
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`the sandbox Entra ID refused ROPC for ${username}: ${body.error}`);
  return body.access_token;
}

function sdkClient(token: string): WorkspaceClient {
  return new WorkspaceClient(
    { host: workspace.url, token, authType: 'pat', skipVerify: false, retryTimeoutSeconds: 10 },
    { agent: new HttpsAgent({ ca }) },
  );
}

describe('the workspace with tokens from the sandbox Entra ID', () => {
  it("lets the SDK list an admin's clusters with a token the identity provider issued", async () => {
    const w = sdkClient(await ropcToken('ben@contoso.example', 'ben-sandbox'));
    const names: string[] = [];
    for await (const c of w.clusters.list({ page_size: 4 })) names.push(c.cluster_name ?? '');
    expect(names).toHaveLength(13);
    expect((await w.currentUser.me()).displayName).toBe('Ben Admin');
  });

  it('shows an ordinary user only her clusters', async () => {
    const w = sdkClient(await ropcToken('ana@contoso.example', 'ana-sandbox'));
    const ids: string[] = [];
    for await (const c of w.clusters.list({})) ids.push(c.cluster_id ?? '');
    expect(ids).toHaveLength(4);
  });

  it('refuses a signed-in user who is not in the workspace with 403', async () => {
    const w = sdkClient(await ropcToken('carl@contoso.example', 'carl-sandbox'));
    const e = await w.clusters.sparkVersions().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).statusCode).toBe(403);
  });

  it('points /aad/auth at the sandbox tenant, where the SDKs look for the tenant ID', async () => {
    const res = await fetch(`${workspace.url}/aad/auth`, { redirect: 'manual', dispatcher: trusting });
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin).toBe(entra.url);
    expect(location.pathname.split('/')[1]).toBe(TENANT);
  });
});
