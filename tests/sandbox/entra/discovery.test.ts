import { describe, expect, it } from 'vitest';
import { setUpEntraSandbox } from './file-sandbox.ts';
import { type Harness, TENANT } from './support.ts';

const sandbox = setUpEntraSandbox();

async function json(h: Harness, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await h.fetch(`${h.entra.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('discovery endpoints', () => {
  it('announces endpoints and an issuer on its own origin for a tenant ID', async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, `/${TENANT}/v2.0/.well-known/openid-configuration`);
    const base = harness.entra.url;
    expect(body).toMatchObject({
      issuer: `${base}/${TENANT}/v2.0`,
      authorization_endpoint: `${base}/${TENANT}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/${TENANT}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/${TENANT}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys`,
    });
  });

  it('resolves the tenant domain to the tenant ID in every endpoint', async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, '/contoso.example/v2.0/.well-known/openid-configuration');
    expect(body.token_endpoint).toBe(`${harness.entra.url}/${TENANT}/oauth2/v2.0/token`);
  });

  it('keeps the {tenantid} placeholder in the issuer for common, with common endpoints', async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, '/common/v2.0/.well-known/openid-configuration');
    expect(body.issuer).toBe(`${harness.entra.url}/{tenantid}/v2.0`);
    expect(body.token_endpoint).toBe(`${harness.entra.url}/common/oauth2/v2.0/token`);
  });

  it("serves a tenant's document with Entra's fields, in Entra's order, and no others", async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, `/${TENANT}/v2.0/.well-known/openid-configuration`);
    // The field list of login.microsoftonline.com's document for a tenant.
    expect(Object.keys(body)).toEqual([
      'token_endpoint',
      'token_endpoint_auth_methods_supported',
      'jwks_uri',
      'response_modes_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
      'response_types_supported',
      'scopes_supported',
      'issuer',
      'request_uri_parameter_supported',
      'userinfo_endpoint',
      'authorization_endpoint',
      'device_authorization_endpoint',
      'http_logout_supported',
      'frontchannel_logout_supported',
      'end_session_endpoint',
      'claims_supported',
      'kerberos_endpoint',
      'tenant_region_scope',
      'cloud_instance_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'rbac_url',
    ]);
    expect(body).not.toHaveProperty('code_challenge_methods_supported');
    expect(body).not.toHaveProperty('grant_types_supported');
    expect(body).toMatchObject({
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    });
  });

  it('has no tenant region in the document for common', async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, '/common/v2.0/.well-known/openid-configuration');
    expect(body.tenant_region_scope).toBeNull();
    expect(body.device_authorization_endpoint).toBe(`${harness.entra.url}/common/oauth2/v2.0/devicecode`);
  });

  it.each([
    ['https://login.microsoftonline.us', 'microsoftonline.us', 'graph.microsoft.us'],
    ['https://login.partner.microsoftonline.cn', 'partner.microsoftonline.cn', 'microsoftgraph.chinacloudapi.cn'],
  ])('names the cloud of the host it stands in for (%s)', async (publicUrl, instance, graph) => {
    const harness = await sandbox.start(undefined, { publicUrl });
    const response = await harness.fetch(
      `https://127.0.0.1:${harness.entra.port}/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
    expect(await response.json()).toMatchObject({
      cloud_instance_name: instance,
      msgraph_host: graph,
      userinfo_endpoint: `https://${graph}/oidc/userinfo`,
    });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const harness = await sandbox.start();
    const { status, body } = await json(harness, '/fabrikam.example/v2.0/.well-known/openid-configuration');
    expect(status).toBe(400);
    expect(body.error_codes).toEqual([90002]);
  });

  it('publishes the signing key with kid equal to x5t, a certificate and the issuer', async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, `/${TENANT}/discovery/v2.0/keys`);
    const [key] = body.keys as Record<string, unknown>[];
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB', issuer: `${harness.entra.url}/${TENANT}/v2.0` });
    expect(key!.kid).toBe(key!.x5t);
    expect((key!.x5c as string[])[0]).toMatch(/^MII/);
  });

  it('hands in-process verifiers the same keys it publishes', async () => {
    const harness = await sandbox.start();
    const { body } = await json(harness, `/${TENANT}/discovery/v2.0/keys`);
    expect(await harness.entra.jwks(TENANT)).toEqual(body);
  });

  it('keeps the same signing key across restarts', async () => {
    const before = await sandbox.start();
    const first = (await json(before, `/${TENANT}/discovery/v2.0/keys`)).body;
    await before.close();
    const after = await sandbox.start();
    const second = (await json(after, `/${TENANT}/discovery/v2.0/keys`)).body;
    const pick = (jwks: Record<string, unknown>) =>
      (jwks.keys as Record<string, unknown>[]).map(({ kid, n, x5c }) => ({ kid, n, x5c }));
    expect(pick(second)).toEqual(pick(first));
  });

  it('answers instance discovery for its own host and refuses others with invalid_instance', async () => {
    const harness = await sandbox.start();
    const own = await json(
      harness,
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${harness.entra.url}/${TENANT}/oauth2/v2.0/authorize`,
    );
    expect(own.body).toMatchObject({
      tenant_discovery_endpoint: `${harness.entra.url}/${TENANT}/v2.0/.well-known/openid-configuration`,
      metadata: [{ preferred_network: harness.entra.authorityHost, aliases: [harness.entra.authorityHost] }],
    });
    const other = await json(
      harness,
      '/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.example/x/oauth2/v2.0/authorize',
    );
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: 'invalid_instance', error_codes: [50049] });
  });

  it('reports configured domains as managed in userrealm and others as unknown', async () => {
    const harness = await sandbox.start();
    expect((await json(harness, '/common/userrealm/ana@contoso.example?api-version=1.0')).body).toMatchObject({
      account_type: 'Managed',
      domain_name: 'contoso.example',
    });
    expect((await json(harness, '/common/userrealm/x@fabrikam.example?api-version=1.0')).body).toMatchObject({
      account_type: 'Unknown',
    });
  });

  it('announces the public URL it is given instead of its listening address', async () => {
    const harness = await sandbox.start(undefined, { publicUrl: 'https://login.sandbox.example/' });
    const response = await harness.fetch(
      `https://127.0.0.1:${harness.entra.port}/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.issuer).toBe(`https://login.sandbox.example/${TENANT}/v2.0`);
    expect(body.token_endpoint).toBe(`https://login.sandbox.example/${TENANT}/oauth2/v2.0/token`);
    expect(harness.entra.url).toBe('https://login.sandbox.example');
  });

  it('fails an unknown route loudly with its method and path', async () => {
    const harness = await sandbox.start();
    const { status, body } = await json(harness, '/nowhere/at/all');
    expect(status).toBe(404);
    expect(body.error_description).toContain('GET /nowhere/at/all');
  });
});
