// The verifier and the claim descriptions against real tokens: the sandbox Entra ID runs
// in-process on 127.0.0.1, issues tokens by the password grant, and serves its keys over HTTPS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CONFIG } from '../../../src/sandbox/config.ts';
import { type RunningEntra, startEntra } from '../../../src/sandbox/entra/index.ts';
import { ensureLocalTls } from '../../../src/sandbox/tls.ts';
import { describeClaim, describeHeaderParameter } from '../../../src/app/tokens/claims.ts';
import { decodeToken } from '../../../src/app/tokens/decode.ts';
import { createTokenVerifier, type TokenVerifier } from '../../../src/app/tokens/verify.ts';

const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const CLIENT = '12a34b56-789c-0d12-e3fa-b456789c0123';

let dir: string;
let entra: RunningEntra;
let dispatcher: Agent;
let keyRequests: string[];
let verifier: TokenVerifier;
let tokens: { access_token: string; id_token: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokens-sandbox-'));
  const tls = await ensureLocalTls(join(dir, 'tls'));
  entra = await startEntra({ config: DEFAULT_SANDBOX_CONFIG, tls, host: '127.0.0.1', port: 0, stateDir: dir });
  dispatcher = new Agent({ connect: { ca: tls.ca } });
  keyRequests = [];
  verifier = createTokenVerifier({
    fetch: async (url, init) => {
      keyRequests.push(url);
      return (await undiciFetch(url, { ...(init as object), dispatcher })) as unknown as Response;
    },
  });
  const response = await undiciFetch(`${entra.authority(TENANT)}oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: CLIENT,
      grant_type: 'password',
      scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default openid profile offline_access',
      username: 'ana@contoso.example',
      password: 'ana-sandbox',
    }).toString(),
    dispatcher,
  });
  tokens = (await response.json()) as typeof tokens;
}, 60_000);

afterAll(async () => {
  await entra?.close();
  await dispatcher?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tokens from the sandbox Entra ID', () => {
  it('verifies the v1.0 access token and the v2.0 ID token with the keys the sandbox publishes', async () => {
    const config = { cloud: 'sandbox', authorityHost: entra.authorityHost } as const;
    const keysUrl = `https://${entra.authorityHost}/${TENANT}/discovery/v2.0/keys`;
    expect(await verifier.verify(tokens.access_token, config)).toMatchObject({ state: 'verified', keysUrl });
    expect(await verifier.verify(tokens.id_token, config)).toMatchObject({ state: 'verified', keysUrl });
    expect(keyRequests).toEqual([keysUrl]);
  });

  it('does not verify a sandbox token whose claims were changed', async () => {
    const [header, , signature] = tokens.access_token.split('.');
    const payload = { ...decodeToken(tokens.access_token).payload, scp: 'user_impersonation admin' };
    const forged = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    const result = await verifier.verify(forged, { cloud: 'sandbox', authorityHost: entra.authorityHost });
    expect(result.state).toBe('not-verified');
  });

  it('describes every claim and header parameter in the sandbox tokens', () => {
    for (const jwt of [tokens.access_token, tokens.id_token]) {
      const token = decodeToken(jwt);
      const unknownClaims = Object.keys(token.payload).filter((claim) => !describeClaim(claim).known);
      const unknownHeader = Object.keys(token.header).filter((name) => !describeHeaderParameter(name).known);
      expect({ unknownClaims, unknownHeader }).toEqual({ unknownClaims: [], unknownHeader: [] });
    }
  });
});
