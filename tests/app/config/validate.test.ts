import { describe, expect, it } from 'vitest';
import type { RuntimeConfigWire, SettingsOverrides } from '../../../src/app/config/types.ts';
import {
  buildWorkspaceResourceId,
  parseWorkspaceResourceId,
  validateConfig,
} from '../../../src/app/config/validate.ts';

const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const CLIENT = '12a34b56-789c-0d12-e3fa-b456789c0123';
const WORKSPACE = 'https://adb-1234567890123456.7.azuredatabricks.net';

const REAL: RuntimeConfigWire = { tenantId: TENANT, clientId: CLIENT, cloud: 'public', workspaceUrl: WORKSPACE };
const SANDBOX: RuntimeConfigWire = {
  tenantId: TENANT,
  clientId: CLIENT,
  workspaceUrl: 'https://localhost:5175',
  sandbox: true,
  sandboxAuthorityOrigin: 'https://localhost:5174',
  subscriptionId: '5f1d7c2e-0000-4000-8000-00000000cafe',
  resourceGroup: 'explorer-sandbox',
  workspaceName: 'sandbox-workspace',
};

function errorsOf(server: RuntimeConfigWire, overrides: SettingsOverrides = {}) {
  const result = validateConfig({ server, overrides });
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.errors.map((error) => ({ code: error.code, field: error.field, message: error.message }));
}

describe('configuration validation', () => {
  it('accepts a real tenant and builds the authority, hosts and default session cache', () => {
    const result = validateConfig({ server: REAL });
    expect(result).toEqual({
      ok: true,
      config: {
        tenantId: TENANT,
        clientId: CLIENT,
        cloud: 'public',
        authority: `https://login.microsoftonline.com/${TENANT}/`,
        authorityHost: 'login.microsoftonline.com',
        workspaceUrl: WORKSPACE,
        workspaceHost: 'adb-1234567890123456.7.azuredatabricks.net',
        workspaceResourceId: undefined,
        sandbox: false,
        cacheLocation: 'sessionStorage',
      },
    });
  });

  it('runs the sandbox from the server values, with the sandbox hosts as configuration', () => {
    const result = validateConfig({ server: SANDBOX });
    expect(result.ok && result.config).toMatchObject({
      cloud: 'sandbox',
      sandbox: true,
      authority: `https://localhost:5174/${TENANT}/`,
      authorityHost: 'localhost:5174',
      workspaceUrl: 'https://localhost:5175',
      workspaceHost: 'localhost:5175',
      workspaceResourceId:
        '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourcegroups/explorer-sandbox/providers/microsoft.databricks/workspaces/sandbox-workspace',
    });
  });

  it.each([
    ['usgov', 'https://adb-1.2.databricks.azure.us', 'login.microsoftonline.us'],
    ['china', 'https://adb-1.2.databricks.azure.cn', 'login.partner.microsoftonline.cn'],
    ['PUBLIC', 'https://ADB-1.2.AzureDatabricks.net/?o=1#', 'login.microsoftonline.com'],
  ])('uses the %s cloud authority host for a workspace at %s', (cloud, workspaceUrl, host) => {
    const result = validateConfig({ server: { ...REAL, cloud, workspaceUrl } });
    expect(result.ok && result.config.authorityHost).toBe(host);
    expect(result.ok && result.config.workspaceUrl).toBe(new URL(workspaceUrl).origin);
  });

  it.each([
    ['a GUID, lower-cased', 'A1BC2D34-5E67-8F89-01AB-C2345D6C78DE', TENANT],
    ['a verified domain', 'Contoso.OnMicrosoft.com', 'contoso.onmicrosoft.com'],
    ['organizations', 'Organizations', 'organizations'],
    ['the sandbox domain', 'contoso.example', 'contoso.example'],
  ])('accepts a tenant given as %s', (_label, tenantId, expected) => {
    const result = validateConfig({ server: { ...REAL, tenantId } });
    expect(result.ok && result.config.tenantId).toBe(expected);
    expect(result.ok && result.config.authority).toBe(`https://login.microsoftonline.com/${expected}/`);
  });

  it.each<[string, SettingsOverrides, { field: string; message: string }]>([
    [
      'a missing tenant from the server',
      { tenantId: '' },
      {
        field: 'tenantId',
        message:
          'No tenant is configured. Enter your directory (tenant) ID, a verified domain such as contoso.onmicrosoft.com, or "organizations". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'the common tenant',
      { tenantId: 'common' },
      {
        field: 'tenantId',
        message:
          'Tenant "common" admits personal Microsoft accounts, which cannot use Azure Databricks. Use your directory (tenant) ID, a verified domain such as contoso.onmicrosoft.com, or "organizations" instead. Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a tenant that is neither GUID nor domain',
      { tenantId: 'my tenant' },
      {
        field: 'tenantId',
        message:
          'Tenant must be your directory (tenant) ID, a verified domain such as contoso.onmicrosoft.com, or "organizations"; received "my tenant". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a client ID that is not a GUID',
      { clientId: 'explorer-app' },
      {
        field: 'clientId',
        message:
          'Client ID must be the application (client) ID of your app registration, a GUID like 00000000-0000-0000-0000-000000000000; received "explorer-app". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      "Azure Databricks' own application ID as the client ID",
      { clientId: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d' },
      {
        field: 'clientId',
        message:
          'Client ID "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d" is the application ID of Azure Databricks itself, not of your app. Enter the application (client) ID of your own app registration; the app asks for the Azure Databricks scope on its own. Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a token pasted into the client ID field, without echoing it',
      { clientId: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' },
      {
        field: 'clientId',
        message:
          "Client ID must be the application (client) ID of your app registration, a GUID like 00000000-0000-0000-0000-000000000000; received what looks like a token (not shown). Correct it in Settings, or reset the settings to use the server's value.",
      },
    ],
    [
      'an unknown cloud',
      { cloud: 'germany' },
      {
        field: 'cloud',
        message:
          'Cloud must be "public", "usgov" or "china"; received "germany". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'the sandbox cloud on a real server',
      { cloud: 'sandbox' },
      {
        field: 'cloud',
        message:
          'Cloud "sandbox" is only available when the server runs the local sandbox, and this server is configured for a real tenant. Choose "public", "usgov" or "china". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a workspace URL without a scheme',
      { workspaceUrl: 'adb-1234567890123456.7.azuredatabricks.net' },
      {
        field: 'workspaceUrl',
        message:
          'Workspace URL must start with https://; received "adb-1234567890123456.7.azuredatabricks.net". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a plain-HTTP workspace URL',
      { workspaceUrl: 'http://adb-1.2.azuredatabricks.net' },
      {
        field: 'workspaceUrl',
        message:
          'Workspace URL must start with https://; received "http://adb-1.2.azuredatabricks.net". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a workspace URL with credentials, without echoing them',
      { workspaceUrl: 'https://user:secret@adb-1.2.azuredatabricks.net' },
      {
        field: 'workspaceUrl',
        message:
          "Workspace URL must not contain a user name or password; received a URL with credentials (not shown). Correct it in Settings, or reset the settings to use the server's value.",
      },
    ],
    [
      'a workspace URL with a port',
      { workspaceUrl: 'https://adb-1.2.azuredatabricks.net:8443' },
      {
        field: 'workspaceUrl',
        message:
          'Workspace URL must not name a port (Azure Databricks answers on 443); received "https://adb-1.2.azuredatabricks.net:8443". Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a regional host shared by many workspaces',
      { workspaceUrl: 'https://westeurope.azuredatabricks.net' },
      {
        field: 'workspaceUrl',
        message:
          'Workspace host "westeurope.azuredatabricks.net" is not a per-workspace Azure Databricks host. Use the workspace\'s own URL from its Azure portal overview, such as https://adb-1234567890123456.7.azuredatabricks.net. Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a host that is not Databricks at all',
      { workspaceUrl: 'https://example.com' },
      {
        field: 'workspaceUrl',
        message:
          'Workspace host "example.com" is not an Azure Databricks host of Azure (public). Use the workspace\'s own URL from its Azure portal overview, such as https://adb-1234567890123456.7.azuredatabricks.net. Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a workspace of another cloud',
      { workspaceUrl: 'https://adb-1.2.databricks.azure.us' },
      {
        field: 'workspaceUrl',
        message:
          'Workspace host "adb-1.2.databricks.azure.us" belongs to Azure US Government, but the cloud is Azure (public). Choose the matching cloud, or a workspace in Azure (public). Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ],
    [
      'a token cache location that does not exist',
      { cacheLocation: 'cookies' },
      {
        field: 'cacheLocation',
        message: 'Token cache must be "sessionStorage" or "localStorage"; received "cookies". Correct it in Settings.',
      },
    ],
  ])('refuses %s', (_label, overrides, expected) => {
    expect(errorsOf(REAL, overrides)).toEqual([{ code: 'CONFIG_INVALID', ...expected }]);
  });

  it('says where to set a value the server did not send', () => {
    expect(errorsOf({ cloud: 'public' })).toEqual([
      {
        code: 'CONFIG_INVALID',
        field: 'tenantId',
        message:
          'No tenant is configured. Enter your directory (tenant) ID, a verified domain such as contoso.onmicrosoft.com, or "organizations". Enter it in Settings, or set EXPLORER_TENANT_ID on the server and restart it.',
      },
      {
        code: 'CONFIG_INVALID',
        field: 'clientId',
        message:
          "No client ID is configured. Enter the application (client) ID from your app registration's Overview page. Enter it in Settings, or set EXPLORER_CLIENT_ID on the server and restart it.",
      },
      {
        code: 'CONFIG_INVALID',
        field: 'workspaceUrl',
        message:
          "No workspace URL is configured. Enter your workspace's URL from the Azure portal, such as https://adb-1234567890123456.7.azuredatabricks.net. Enter it in Settings, or set EXPLORER_WORKSPACE_URL on the server and restart it.",
      },
    ]);
  });

  it('names the server variable when the server sent the bad value', () => {
    expect(errorsOf({ ...REAL, workspaceUrl: 'http://adb-1.2.azuredatabricks.net' })[0]?.message).toBe(
      'Workspace URL must start with https://; received "http://adb-1.2.azuredatabricks.net". Enter a value in Settings, or fix EXPLORER_WORKSPACE_URL on the server and restart it.',
    );
  });

  it('lets a browser override win over the server, and an absent key fall back to it', () => {
    const other = 'https://adb-99.1.azuredatabricks.net';
    const result = validateConfig({ server: REAL, overrides: { workspaceUrl: other, cacheLocation: 'localStorage' } });
    expect(result.ok && result.config).toMatchObject({
      workspaceUrl: other,
      tenantId: TENANT,
      cacheLocation: 'localStorage',
    });
  });

  it('allows only the sandbox workspace host in the sandbox', () => {
    expect(errorsOf(SANDBOX, { workspaceUrl: 'https://localhost:9999' })).toEqual([
      {
        code: 'CONFIG_INVALID',
        field: 'workspaceUrl',
        message:
          'Workspace host "localhost:9999" is not the sandbox workspace (localhost:5175). To use a real workspace, also choose its cloud and tenant. Correct it in Settings, or reset the settings to use the server\'s value.',
      },
    ]);
  });

  it('does not let a localhost workspace through on a real cloud', () => {
    expect(errorsOf(SANDBOX, { cloud: 'public', workspaceUrl: 'https://localhost:5175' })[0]?.field).toBe(
      'workspaceUrl',
    );
  });

  it('switches a sandbox server to a real cloud when the person chooses one', () => {
    const result = validateConfig({ server: SANDBOX, overrides: { cloud: 'public', workspaceUrl: WORKSPACE } });
    expect(result.ok && result.config).toMatchObject({
      cloud: 'public',
      sandbox: false,
      authorityHost: 'login.microsoftonline.com',
    });
  });

  it("reports a sandbox server without a usable sign-in origin as the server's problem", () => {
    expect(errorsOf({ ...SANDBOX, sandboxAuthorityOrigin: 'http://localhost:5174' })).toEqual([
      {
        code: 'CONFIG_INVALID',
        field: 'sandboxAuthorityOrigin',
        message:
          'The server runs the sandbox but sent no usable sign-in origin (sandboxAuthorityOrigin must be an https:// origin such as https://localhost:5174); received "http://localhost:5174". Restart the server with npm start; if this persists, the server\'s runtime configuration has a bug.',
      },
    ]);
  });
});

describe('workspace resource ID', () => {
  const parts = {
    subscriptionId: '5F1D7C2E-0000-4000-8000-00000000CAFE',
    resourceGroup: 'Explorer_RG(1)',
    workspaceName: 'my-Workspace',
  };

  it('is built exactly as the Databricks article spells it', () => {
    expect(buildWorkspaceResourceId(parts.subscriptionId, parts.resourceGroup, parts.workspaceName)).toBe(
      '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourcegroups/Explorer_RG(1)/providers/microsoft.databricks/workspaces/my-Workspace',
    );
  });

  it('reads back into its parts, in either spelling', () => {
    expect(
      parseWorkspaceResourceId(
        '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourceGroups/explorer-sandbox/providers/Microsoft.Databricks/workspaces/sandbox-workspace',
      ),
    ).toEqual({
      subscriptionId: '5f1d7c2e-0000-4000-8000-00000000cafe',
      resourceGroup: 'explorer-sandbox',
      workspaceName: 'sandbox-workspace',
    });
    expect(parseWorkspaceResourceId('/subscriptions/x/resourcegroups/y')).toBeUndefined();
  });

  it('is part of the configuration when all three parts are given', () => {
    const result = validateConfig({ server: REAL, overrides: parts });
    expect(result.ok && result.config.workspaceResourceId).toBe(
      '/subscriptions/5f1d7c2e-0000-4000-8000-00000000cafe/resourcegroups/Explorer_RG(1)/providers/microsoft.databricks/workspaces/my-Workspace',
    );
  });

  it('names every missing part when only some are given', () => {
    expect(errorsOf(REAL, { resourceGroup: 'rg' })).toEqual([
      {
        code: 'CONFIG_INVALID',
        field: 'subscriptionId',
        message:
          'The subscription ID is empty but the resource group is set. Give the subscription ID, resource group and workspace name together (they form the X-Databricks-Azure-Workspace-Resource-Id header), or none of them. Enter it in Settings, or set EXPLORER_AZURE_SUBSCRIPTION_ID on the server and restart it.',
      },
      {
        code: 'CONFIG_INVALID',
        field: 'workspaceName',
        message:
          'The workspace name is empty but the resource group is set. Give the subscription ID, resource group and workspace name together (they form the X-Databricks-Azure-Workspace-Resource-Id header), or none of them. Enter it in Settings, or set EXPLORER_AZURE_WORKSPACE_NAME on the server and restart it.',
      },
    ]);
  });

  it.each([
    [
      'subscriptionId',
      { ...parts, subscriptionId: 'prod' },
      'Subscription ID must be a GUID like 00000000-0000-0000-0000-000000000000; received "prod".',
    ],
    [
      'resourceGroup',
      { ...parts, resourceGroup: 'rg.' },
      'Resource group must be 1 to 90 letters, digits or the characters . _ - ( ), not ending in a period; received "rg.".',
    ],
    [
      'resourceGroup',
      { ...parts, resourceGroup: 'rg/../x' },
      'Resource group must be 1 to 90 letters, digits or the characters . _ - ( ), not ending in a period; received "rg/../x".',
    ],
    [
      'workspaceName',
      { ...parts, workspaceName: 'ws' },
      'Workspace name must be the Azure resource name of the workspace, 3 to 64 letters, digits, underscores or hyphens; received "ws".',
    ],
  ])('refuses a bad %s part', (field, overrides, text) => {
    expect(errorsOf(REAL, overrides)).toEqual([
      {
        code: 'CONFIG_INVALID',
        field,
        message: `${text} Correct it in Settings, or reset the settings to use the server's value.`,
      },
    ]);
  });

  it('can be cleared in the browser even when the server sets it', () => {
    const result = validateConfig({
      server: SANDBOX,
      overrides: { subscriptionId: '', resourceGroup: '', workspaceName: '' },
    });
    expect(result.ok && result.config.workspaceResourceId).toBeUndefined();
  });
});

describe("the proxy's methods", () => {
  it('are GET only unless the server lists more, and only known methods count', () => {
    const plain = validateConfig({ server: SANDBOX });
    expect(plain.ok && plain.config.proxyMethods).toBeUndefined();
    const open = validateConfig({ server: { ...SANDBOX, proxyMethods: ['GET', 'POST', 'TRACE'] } });
    expect(open.ok && open.config.proxyMethods).toEqual(['GET', 'POST']);
  });
});

describe("the server's CA bundle path", () => {
  const CA = '/srv/explorer/.local/tls/ca.pem';

  it("is kept for the server's own workspace", () => {
    const result = validateConfig({ server: { ...SANDBOX, caBundlePath: CA } });
    expect(result.ok && result.config.caBundlePath).toBe(CA);
    const real = validateConfig({ server: { ...REAL, caBundlePath: 'C:\\certs\\corp.pem' } });
    expect(real.ok && real.config.caBundlePath).toBe('C:\\certs\\corp.pem');
  });

  it('is dropped for a workspace chosen in this browser, which is reached with the system trust', () => {
    const result = validateConfig({
      server: { ...SANDBOX, caBundlePath: CA },
      overrides: {
        tenantId: TENANT,
        cloud: 'public',
        workspaceUrl: WORKSPACE,
        subscriptionId: '',
        resourceGroup: '',
        workspaceName: '',
      },
    });
    expect(result.ok).toBe(true);
    expect(result.ok && result.config.caBundlePath).toBeUndefined();
  });

  it('is absent when the server names none', () => {
    const result = validateConfig({ server: REAL });
    expect(result.ok && result.config.caBundlePath).toBeUndefined();
  });

  it.each([
    ['a relative path', '.local/tls/ca.pem', '".local/tls/ca.pem"'],
    ['an empty string', '', 'nothing'],
    ['a path with a newline', '/tmp/ca.pem\ncurl evil', '"/tmp/ca.pem\\ncurl evil"'],
  ])('refuses %s, saying it is a server problem', (_label, caBundlePath, shown) => {
    expect(errorsOf({ ...SANDBOX, caBundlePath })).toEqual([
      {
        code: 'CONFIG_INVALID',
        field: 'caBundlePath',
        message: `The server sent a CA bundle path that is not an absolute file path (caBundlePath); received ${shown}. Restart the server with npm start; if this persists, the server's runtime configuration has a bug.`,
      },
    ]);
  });
});
