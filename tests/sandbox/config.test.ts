import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_CONFIG,
  loadSandboxConfig,
  parseSandboxConfig,
  SandboxConfigError,
  sandboxConfigJsonSchema,
} from '../../src/sandbox/config.ts';

function issuesOf(text: string): string[] {
  try {
    parseSandboxConfig(text, '/somewhere/sandbox.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxConfigError);
    expect((error as SandboxConfigError).code).toBe('SANDBOX_CONFIG_INVALID');
    return (error as SandboxConfigError).message.split('\n').filter((line) => line.startsWith('sandbox.json:'));
  }
  throw new Error('expected the configuration to be refused');
}

const USER =
  '{ "upn": "zoe@contoso.example", "name": "Zoe", "oid": "0a11ce00-0000-4000-8000-0000000000ff", "password": "zoe-sandbox" }';

describe('the sandbox configuration', () => {
  it('has the demo tenant, apps and users of the shared decisions by default', () => {
    expect(DEFAULT_SANDBOX_CONFIG.tenants).toEqual([
      { id: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de', domain: 'contoso.example', displayName: 'Contoso (sandbox)' },
    ]);
    expect(DEFAULT_SANDBOX_CONFIG.users.map((user) => [user.upn, user.oid, user.password, user.mfa])).toEqual([
      ['ana@contoso.example', '0a11ce00-0000-4000-8000-000000000001', 'ana-sandbox', false],
      ['ben@contoso.example', '0b0b0000-0000-4000-8000-000000000002', 'ben-sandbox', false],
      ['carl@contoso.example', '0c0c0000-0000-4000-8000-000000000003', 'carl-sandbox', false],
      ['dana@contoso.example', '0d0d0000-0000-4000-8000-000000000004', 'dana-sandbox', false],
      ['eve@contoso.example', '0e0e0000-0000-4000-8000-000000000005', 'eve-sandbox', true],
      ['fay@contoso.example', '0fa40000-0000-4000-8000-000000000006', 'fay-sandbox', false],
    ]);
    const [spa, web] = DEFAULT_SANDBOX_CONFIG.apps;
    expect(spa).toMatchObject({
      clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
      redirectUris: { spa: ['https://localhost:5173/'], publicClient: ['http://localhost'] },
      allowPublicClientFlows: true,
    });
    expect(spa!.consentedUsers).not.toContain('dana@contoso.example');
    expect(web).toMatchObject({
      clientId: '98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e',
      redirectUris: { spa: [], web: ['https://localhost:5173/'] },
    });
    expect(DEFAULT_SANDBOX_CONFIG.workspace.members.length).toBeGreaterThan(0);
  });

  it('documents the defaults in the example file, which parses to the same configuration', async () => {
    const text = await readFile(join(import.meta.dirname, '../../src/sandbox/fixtures/sandbox.example.jsonc'), 'utf8');
    expect(parseSandboxConfig(text, 'sandbox.example.jsonc')).toEqual(DEFAULT_SANDBOX_CONFIG);
  });

  it('keeps the defaults for the keys a file leaves out, and accepts comments and trailing commas', () => {
    const config = parseSandboxConfig(`{\n  // one user only\n  "users": [${USER},],\n}`, 'x.json');
    expect(config.users.map((user) => user.upn)).toEqual(['zoe@contoso.example']);
    expect(config.users[0]!.tenant).toBe('a1bc2d34-5e67-8f89-01ab-c2345d6c78de');
    expect(config.apps.map((app) => app.clientId)).toEqual(DEFAULT_SANDBOX_CONFIG.apps.map((app) => app.clientId));
    // The demo consents name demo users; only those present in the file are kept.
    expect(config.apps[0]!.consentedUsers).toEqual([]);
  });

  it.each([
    [
      'a wrong type',
      '{\n  "users": [\n    { "upn": "a@contoso.example", "name": "A", "oid": "0a11ce00-0000-4000-8000-0000000000aa", "password": 7 }\n  ]\n}',
      'sandbox.json:3:107: users[0].password: expected string, received number',
    ],
    [
      'a missing key',
      '{ "users": [ { "name": "A" } ] }',
      'sandbox.json:1:14: users[0].upn: required key is missing (expected string)',
    ],
    [
      'an unknown key',
      '{\n  "tokens": { "acessTokenLifetimeSeconds": 60 }\n}',
      'sandbox.json:2:15: tokens.acessTokenLifetimeSeconds: unknown key "acessTokenLifetimeSeconds"; check its spelling or remove it',
    ],
    [
      'a bad GUID',
      '{ "tenants": [ { "id": "contoso", "domain": "contoso.example" } ] }',
      'sandbox.json:1:24: tenants[0].id: expected a GUID such as 00000000-0000-0000-0000-000000000000',
    ],
    ['a syntax error', '{\n  "users": [\n}', 'sandbox.json:3:1: (syntax): JSON syntax error: expected a value'],
    ['an empty file', '', 'sandbox.json:1:1: (syntax): JSON syntax error: expected a value'],
    [
      'a user in an unknown tenant',
      `{ "users": [ { "upn": "a@x.example", "name": "A", "oid": "0a11ce00-0000-4000-8000-0000000000aa", "password": "p", "tenant": "00000000-0000-4000-8000-000000000000" } ] }`,
      'users[0].tenant: no tenant with ID 00000000-0000-4000-8000-000000000000',
    ],
    [
      'a duplicate UPN',
      `{ "users": [${USER}, ${USER.replace('ff"', 'fe"')}] }`,
      'users[1].upn: duplicate UPN zoe@contoso.example',
    ],
    [
      'a consent for an unknown user',
      '{ "apps": [ { "clientId": "12a34b56-789c-0d12-e3fa-b456789c0123", "displayName": "x", "consentedUsers": ["nobody@contoso.example"] } ] }',
      'apps[0].consentedUsers[0]: no user with UPN nobody@contoso.example',
    ],
    [
      'a permission for an unknown resource',
      '{ "apps": [ { "clientId": "12a34b56-789c-0d12-e3fa-b456789c0123", "displayName": "x", "permissions": [ { "resource": "00000000-0000-4000-8000-000000000001", "scopes": ["x"] } ] } ] }',
      'apps[0].permissions[0].resource: no resource with app ID 00000000-0000-4000-8000-000000000001; add it to resources',
    ],
    [
      'a scope the resource does not expose',
      '{ "apps": [ { "clientId": "12a34b56-789c-0d12-e3fa-b456789c0123", "displayName": "x", "permissions": [ { "resource": "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d", "scopes": ["all"] } ] } ] }',
      'AzureDatabricks exposes no scope "all"',
    ],
    [
      'an http SPA redirect URI on a public host',
      '{ "apps": [ { "clientId": "12a34b56-789c-0d12-e3fa-b456789c0123", "displayName": "x", "redirectUris": { "spa": ["http://app.example/"] } } ] }',
      'single-page-app redirect URIs must use https',
    ],
    [
      'a redirect URI with a fragment',
      '{ "apps": [ { "clientId": "12a34b56-789c-0d12-e3fa-b456789c0123", "displayName": "x", "redirectUris": { "web": ["https://app.example/#x"] } } ] }',
      'expected an absolute URI without a fragment',
    ],
    [
      'an invalid fault',
      '{ "faults": { "tokenEndpoint": { "status": 200 } } }',
      'faults.tokenEndpoint.status: Too small: expected number to be >=400',
    ],
  ])('refuses %s with the file, line, column and key', (_name, text, expected) => {
    expect(issuesOf(text).join('\n')).toContain(expected);
  });

  it('reports a missing file as unreadable, naming the path', async () => {
    const error = await loadSandboxConfig('/nonexistent/sandbox.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxConfigError);
    expect(error).toMatchObject({ code: 'SANDBOX_CONFIG_UNREADABLE', source: '/nonexistent/sandbox.json' });
    expect((error as Error).message).toContain('ENOENT; check the path given to --config');
  });

  it('loads a file from disk, and the default without a path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-config-'));
    try {
      const file = join(dir, 'sandbox.json');
      await writeFile(file, '{ "signIn": { "mfaCode": "9999" } }');
      expect((await loadSandboxConfig(file)).signIn.mfaCode).toBe('9999');
      expect(await loadSandboxConfig()).toEqual(DEFAULT_SANDBOX_CONFIG);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('offers a JSON Schema of the file for editors', () => {
    const schema = sandboxConfigJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['tenants', 'users', 'apps', 'resources', 'tokens', 'signIn', 'faults', 'workspace']),
    );
  });
});
