/**
 * A team demo (EXPLORER_LAN=1): the sandbox serves its identity provider and workspace to other
 * machines under the LAN host name, on the LAN address as well as on loopback, while the control
 * API and the presenter console stay this machine's. A second loopback address, 127.0.0.2, stands
 * in for the LAN address: a request that arrives there is a colleague's, whatever its source.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_HEADER } from '../../src/sandbox/control-guard.ts';
import { ensureLocalTls, type RunningSandbox, startSandbox } from '../../src/sandbox/index.ts';

const LAN_HOST = 'explorer-lan.test';
const LAN_ADDRESS = '127.0.0.2';
const LAN_APP = `https://${LAN_HOST}:6543/`;

let stateDir: string;
let sandbox: RunningSandbox;
/** Reaches every name at `address`, trusting the local CA: a browser on the LAN, or this machine. */
let viaLan: Agent;
let viaLoopback: Agent;

function agentTo(address: string, ca: string): Agent {
  const lookup = (
    _name: string,
    options: LookupOptions,
    done: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => (options.all ? done(null, [{ address, family: 4 }]) : done(null, address, 4));
  return new Agent({ connect: { ca, lookup } });
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'sandbox-lan-'));
  const tls = await ensureLocalTls(join(stateDir, 'tls'), [LAN_HOST]);
  viaLan = agentTo(LAN_ADDRESS, tls.ca);
  viaLoopback = agentTo('127.0.0.1', tls.ca);
  sandbox = await startSandbox({
    host: '127.0.0.1',
    lan: { host: LAN_HOST, address: LAN_ADDRESS },
    tls,
    stateDir,
    extraSpaRedirectUris: ['https://localhost:6543/', LAN_APP],
  });
});
afterAll(async () => {
  await sandbox?.close();
  await viaLan?.close();
  await viaLoopback?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const entraUrl = (host: string) => `https://${host}:${sandbox.entra.port}`;
const workspaceUrl = (host: string) => `https://${host}:${sandbox.workspace.port}`;

describe('the sandbox in a team demo', () => {
  it('names itself by the LAN host: one issuer and one set of endpoints for every browser', async () => {
    expect(sandbox.entra.url).toBe(entraUrl(LAN_HOST));
    expect(sandbox.workspace.url).toBe(workspaceUrl(LAN_HOST));
    const path = `/${sandbox.tenantId}/v2.0/.well-known/openid-configuration`;
    const [lan, local] = await Promise.all([
      fetch(`${entraUrl(LAN_HOST)}${path}`, { dispatcher: viaLan }).then((r) => r.json()),
      fetch(`${entraUrl('localhost')}${path}`, { dispatcher: viaLoopback }).then((r) => r.json()),
    ]);
    expect(lan).toMatchObject({
      issuer: `${entraUrl(LAN_HOST)}/${sandbox.tenantId}/v2.0`,
      authorization_endpoint: `${entraUrl(LAN_HOST)}/${sandbox.tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${entraUrl(LAN_HOST)}/${sandbox.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${entraUrl(LAN_HOST)}/${sandbox.tenantId}/discovery/v2.0/keys`,
    });
    expect(local).toEqual(lan);
  });

  it('signs a colleague in through the LAN address, and the workspace there accepts the token', async () => {
    const token = await fetch(`${entraUrl(LAN_HOST)}/${sandbox.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: sandbox.clientId,
        grant_type: 'password',
        username: 'ana@contoso.example',
        password: 'ana-sandbox',
        scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default',
      }),
      dispatcher: viaLan,
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const clusters = await fetch(`${workspaceUrl(LAN_HOST)}/api/2.1/clusters/list`, {
      headers: { authorization: `Bearer ${access_token}` },
      dispatcher: viaLan,
    });
    expect(clusters.status).toBe(200);
    expect(((await clusters.json()) as { clusters: unknown[] }).clusters.length).toBeGreaterThan(0);
  });

  it("accepts the app's LAN origin as the demo app's redirect URI", async () => {
    const query = new URLSearchParams({
      client_id: sandbox.clientId,
      redirect_uri: LAN_APP,
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const page = await fetch(`${entraUrl(LAN_HOST)}/${sandbox.tenantId}/oauth2/v2.0/authorize?${query}`, {
      dispatcher: viaLan,
    });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('AADSTS50011');
  });

  it.each([
    ['identity provider', () => entraUrl(LAN_HOST)],
    ['workspace', () => workspaceUrl(LAN_HOST)],
  ])(
    "refuses the %s's control API to a request arriving at the LAN address, and answers it on loopback",
    async (_, base) => {
      const url = `${base()}/_sandbox/faults`;
      const headers = { [CONTROL_HEADER]: '1' };
      const refused = await fetch(url, { headers, dispatcher: viaLan });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain(`loopback clients only, not 127.0.0.1 arriving at ${LAN_ADDRESS}`);
      const changed = await fetch(url, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
        dispatcher: viaLan,
      });
      expect(changed.status).toBe(403);
      expect((await fetch(url, { headers, dispatcher: viaLoopback })).status).toBe(200);
    },
  );

  it('refuses the presenter console through the LAN address and serves it on localhost', async () => {
    const refused = await fetch(`${entraUrl(LAN_HOST)}/_sandbox/console`, { dispatcher: viaLan });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(`loopback clients only, not 127.0.0.1 arriving at ${LAN_ADDRESS}`);
    const state = await fetch(`${entraUrl(LAN_HOST)}/_sandbox/console/state`, { dispatcher: viaLan });
    expect(state.status).toBe(403);
    // The same name on this machine's loopback listener: the console's own (Host names the LAN host).
    expect((await fetch(`${entraUrl(LAN_HOST)}/_sandbox/console`, { dispatcher: viaLoopback })).status).toBe(200);
    const page = await fetch(`${entraUrl('localhost')}/_sandbox/console`, { dispatcher: viaLoopback });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });
});
