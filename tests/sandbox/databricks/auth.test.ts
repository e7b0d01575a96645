import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { Agent, fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_CONFIG, startWorkspace } from '../../../src/sandbox/databricks/index.ts';
import {
  createIssuer,
  DATABRICKS,
  OTHER_TENANT,
  RESOURCE_ID,
  setUpWorkspacePerTest,
  TENANT,
  testTls,
} from './helpers.ts';

const t = setUpWorkspacePerTest();

async function listAs(headers: Record<string, string>) {
  const res = await t.call('/api/2.0/clusters/list', { headers });
  return { res, text: await res.text() };
}

describe('bearer token checks', () => {
  it('answers 401 with the credential-not-sent body when no Authorization header is sent', async () => {
    const { res, text } = await listAs({});
    expect(res.status).toBe(401);
    expect(JSON.parse(text)).toEqual({
      error_code: 401,
      message: 'Credential was not sent or was of an unsupported type for this API.',
    });
    expect(res.headers.get('x-databricks-reason-phrase')).toBe(
      'Credential was not sent or was of an unsupported type for this API.',
    );
  });

  it('answers 401 to a Basic credential, which an Azure workspace does not take for Entra users', async () => {
    const { res } = await listAs({ Authorization: 'Basic YW5hOnNlY3JldA==' });
    expect(res.status).toBe(401);
  });

  it.each([
    ['a string that is not a JWT', 'not-a-jwt'],
    ['a JWT with an alg of none', 'eyJhbGciOiJub25lIn0.eyJ1cG4iOiJiZW5AY29udG9zby5leGFtcGxlIn0.'],
  ])('answers 401 "Invalid access token." to %s', async (_label, token) => {
    const { res, text } = await listAs({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(text)).toEqual({ error_code: 401, message: 'Invalid access token.' });
  });

  it('answers 401 to a token signed by a key the tenant does not publish', async () => {
    const foreign = await createIssuer('sandbox-test-key'); // same kid, different key
    const { res, text } = await listAs({ Authorization: `Bearer ${await t.token('ben', { issuer: foreign })}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(text).message).toBe('Invalid access token.');
  });

  it('answers 401 "Token is expired" to an expired token', async () => {
    const { res, text } = await listAs({ Authorization: `Bearer ${await t.token('ben', { expiresIn: -10 })}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(text)).toEqual({ error_code: 401, message: 'Token is expired' });
  });

  it('refuses a token with less than 30 seconds left, as the service does', async () => {
    const { res, text } = await listAs({ Authorization: `Bearer ${await t.token('ben', { expiresIn: 20 })}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(text).message).toBe('Token is expiring within 30 seconds. (token expired)');
  });

  it('accepts a token with a little over 30 seconds left', async () => {
    const { res } = await listAs({ Authorization: `Bearer ${await t.token('ben', { expiresIn: 90 })}` });
    expect(res.status).toBe(200);
  });

  it('answers 401 to a token that is not valid yet', async () => {
    const { res, text } = await listAs({ Authorization: `Bearer ${await t.token('ben', { notBefore: 600 })}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(text).message).toBe('Token is not yet valid');
  });

  it('answers 400 with the IncorrectClaimException page to a token for another audience', async () => {
    const token = await t.token('ben', { claims: { aud: 'https://management.core.windows.net/' } });
    const { res, text } = await listAs({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toContain(
      `<title>Error 400 io.jsonwebtoken.IncorrectClaimException: Expected aud claim to be: ${DATABRICKS}, but was: https://management.core.windows.net/.</title>`,
    );
  });

  it("answers 400 with the IncorrectClaimException page to another tenant's token", async () => {
    const token = await t.token('ben', { claims: { iss: `https://sts.windows.net/${OTHER_TENANT}/` } });
    const { res, text } = await listAs({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(text).toContain(
      `Expected iss claim to be: https://sts.windows.net/a1bc2d34-5e67-8f89-01ab-c2345d6c78de/, but was: https://sts.windows.net/${OTHER_TENANT}/`,
    );
  });

  it('rejects a v2.0 issuer for the same tenant, since the workspace expects v1 tokens', async () => {
    const token = await t.token('ben', {
      claims: { iss: 'https://login.microsoftonline.com/a1bc2d34-5e67-8f89-01ab-c2345d6c78de/v2.0' },
    });
    const { res } = await listAs({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
  });

  it('escapes claim values echoed into the HTML error page', async () => {
    const token = await t.token('ben', { claims: { aud: '<script>alert(1)</script>' } });
    const { text } = await listAs({ Authorization: `Bearer ${token}` });
    expect(text).not.toContain('<script>');
    expect(text).toContain('&#60;script&#62;');
  });

  it('never writes the token into the response or the log', async () => {
    const token = await t.token('carl');
    const { text } = await listAs({ Authorization: `Bearer ${token}` });
    expect(text).not.toContain(token.split('.')[2]);
    expect(t.lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});

describe('workspace membership', () => {
  it('answers 403 PERMISSION_DENIED to a valid user who is not in the workspace', async () => {
    const res = await t.get('/api/2.0/clusters/list', 'carl');
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error_code: string; message: string; details: { metadata: object }[] };
    expect(body.error_code).toBe('PERMISSION_DENIED');
    expect(body.message).toContain('User carl@contoso.example is not a member of this workspace');
    expect(body.details[0]?.metadata).toEqual({});
  });

  it('answers 403 to an app-only token that names no user', async () => {
    const res = await t.get('/api/2.0/clusters/list', null, { Authorization: `Bearer ${await t.token(null)}` });
    expect(res.status).toBe(403);
  });

  it('matches the UPN without regard to case', async () => {
    const token = await t.token('ana', { claims: { upn: 'Ana@Contoso.Example', unique_name: 'Ana@Contoso.Example' } });
    const { res } = await listAs({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });
});

describe('the workspace resource-ID header', () => {
  it('provisions a Contributor on the workspace resource as an admin, who then needs the header no more', async () => {
    expect((await t.get('/api/2.0/clusters/list', 'fay')).status).toBe(403);
    const withHeader = await t.get('/api/2.0/clusters/list', 'fay', {
      'X-Databricks-Azure-Workspace-Resource-Id': RESOURCE_ID,
    });
    expect(withHeader.status).toBe(200);
    expect(((await withHeader.json()) as { clusters: unknown[] }).clusters).toHaveLength(13);
    const me = (await (await t.get('/api/2.0/preview/scim/v2/Me', 'fay')).json()) as { groups: { display: string }[] };
    expect(me.groups.map((g) => g.display)).toContain('admins');
    expect(t.lines.some((l) => l.includes('provisioned fay@contoso.example as workspace admin'))).toBe(true);
  });

  it('compares the resource ID without regard to case, as Azure resource IDs are', async () => {
    const res = await t.get('/api/2.0/clusters/list', 'fay', {
      'X-Databricks-Azure-Workspace-Resource-Id': RESOURCE_ID.toLowerCase(),
    });
    expect(res.status).toBe(200);
  });

  it('refuses a resource ID that names another workspace, even for an admin', async () => {
    const other = RESOURCE_ID.replace('sandbox-workspace', 'other-workspace');
    const res = await t.get('/api/2.0/clusters/list', 'ben', { 'X-Databricks-Azure-Workspace-Resource-Id': other });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error_code: string; message: string };
    expect(body.error_code).toBe('PERMISSION_DENIED');
    expect(body.message).toContain('does not name this workspace');
  });

  it('does not make a member without a role on the resource an admin', async () => {
    const res = await t.get('/api/2.0/clusters/list', 'ana', {
      'X-Databricks-Azure-Workspace-Resource-Id': RESOURCE_ID,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { clusters: unknown[] }).clusters).toHaveLength(4);
  });

  it('still refuses a non-member without a role who sends the right resource ID', async () => {
    const res = await t.get('/api/2.0/clusters/list', 'carl', {
      'X-Databricks-Azure-Workspace-Resource-Id': RESOURCE_ID,
    });
    expect(res.status).toBe(403);
  });

  it('forgets provisioned admins on reset', async () => {
    await t.get('/api/2.0/clusters/list', 'fay', { 'X-Databricks-Azure-Workspace-Resource-Id': RESOURCE_ID });
    expect((await t.call('/_sandbox/reset', { method: 'POST' })).status).toBe(204);
    expect((await t.get('/api/2.0/clusters/list', 'fay')).status).toBe(403);
  });
});

describe('when the signing keys cannot be fetched', () => {
  async function listWithKeys(tokenKeys: JWTVerifyGetKey): Promise<Response> {
    const { tls } = await testTls();
    const ws = await startWorkspace({
      config: DEFAULT_WORKSPACE_CONFIG,
      tls,
      host: '127.0.0.1',
      tokenKeys,
      tenantId: TENANT,
      authorizeUrl: `https://127.0.0.1:1/${TENANT}/oauth2/v2.0/authorize`,
    });
    const dispatcher = new Agent({ connect: { ca: tls.ca } });
    try {
      const res = await fetch(`${ws.url}/api/2.0/clusters/list`, {
        headers: { Authorization: `Bearer ${await t.token('ben')}` },
        dispatcher,
      });
      return new Response(await res.text(), { status: res.status });
    } finally {
      await ws.close();
      await dispatcher.close();
    }
  }

  it('answers 503 TEMPORARILY_UNAVAILABLE instead of calling the token invalid', async () => {
    // Nothing listens on port 1: fetching the JWKS fails as an unreachable identity provider would.
    const res = await listWithKeys(createRemoteJWKSet(new URL('https://127.0.0.1:1/common/discovery/v2.0/keys')));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error_code: 'TEMPORARILY_UNAVAILABLE' });
  });

  it('answers 503 whatever the key lookup failed with, without reading its message', async () => {
    const res = await listWithKeys(async () => {
      throw new Error('socket hang up');
    });
    expect(res.status).toBe(503);
  });

  it('still calls a token whose key the tenant does not publish invalid (401)', async () => {
    const res = await listWithKeys(createLocalJWKSet({ keys: [] }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error_code: 401, message: 'Invalid access token.' });
  });
});
