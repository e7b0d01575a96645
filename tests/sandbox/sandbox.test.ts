import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalTls, type RunningSandbox, startSandbox } from '../../src/sandbox/index.ts';

const WEB_APP = '98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e';
const SERVED_ORIGIN = 'https://localhost:6543';

let stateDir: string;
let sandbox: RunningSandbox;
let dispatcher: Agent;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-'));
  const tls = await ensureLocalTls(join(stateDir, 'tls'));
  dispatcher = new Agent({ connect: { ca: tls.ca } });
  sandbox = await startSandbox({ host: '127.0.0.1', tls, stateDir, extraSpaRedirectUris: [`${SERVED_ORIGIN}/`] });
});
afterAll(async () => {
  await sandbox?.close();
  await dispatcher?.close();
  await rm(stateDir, { recursive: true, force: true });
});

function authorizeUrl(clientId: string, redirectUri: string): string {
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state: 's',
  });
  return `${sandbox.entra.authority(sandbox.tenantId)}oauth2/v2.0/authorize?${query}`;
}

describe('the sandbox started as a whole', () => {
  it('serves the workspace beside Entra ID, trusting the tokens Entra ID issues', async () => {
    const token = await fetch(`${sandbox.entra.authority(sandbox.tenantId)}oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: sandbox.clientId,
        grant_type: 'password',
        username: 'ben@contoso.example',
        password: 'ben-sandbox',
        scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default',
      }),
      dispatcher,
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const clusters = await fetch(`${sandbox.workspace.url}/api/2.0/clusters/list`, {
      headers: { authorization: `Bearer ${access_token}` },
      dispatcher,
    });
    expect(clusters.status).toBe(200);
    expect(((await clusters.json()) as { clusters: unknown[] }).clusters.length).toBeGreaterThan(5);
  });

  it('registers the origin the demo is served on for the single-page app and the web-platform app', async () => {
    for (const clientId of [sandbox.clientId, WEB_APP]) {
      const page = await fetch(authorizeUrl(clientId, `${SERVED_ORIGIN}/`), { dispatcher });
      expect(page.status, clientId).toBe(200);
      expect(await page.text()).not.toContain('AADSTS50011');
    }
    const other = await fetch(authorizeUrl(WEB_APP, 'https://localhost:6544/'), { dispatcher });
    expect(await other.text()).toContain('AADSTS50011');
  });
});
