/**
 * The server (src/proxy/settings.ts, from EXPLORER_* variables) and the page
 * (src/app/config/validate.ts, from /explorer-config.json and the settings panel) judge the same
 * values by one set of rules. The parts may not import each other, so each keeps its copy of the
 * rules; this test feeds the same corpus to both and asserts the same verdict both ways, and that
 * whatever the server serves passes the page's validation.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/app/config/validate.ts';
import { resolveServerSettings } from '../../src/proxy/settings.ts';

const VALID = {
  EXPLORER_TENANT_ID: 'contoso.onmicrosoft.com',
  EXPLORER_CLIENT_ID: '12a34b56-789c-0d12-e3fa-b456789c0123',
  EXPLORER_WORKSPACE_URL: 'https://adb-1234567890123456.7.azuredatabricks.net',
};
const RESOURCE = {
  EXPLORER_AZURE_SUBSCRIPTION_ID: '5f1d7c2e-0000-4000-8000-000000000001',
  EXPLORER_AZURE_RESOURCE_GROUP: 'explorer-rg',
  EXPLORER_AZURE_WORKSPACE_NAME: 'sandbox-workspace',
};

const CORPUS: Record<string, string[]> = {
  EXPLORER_TENANT_ID: [
    'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
    'A1BC2D34-5E67-8F89-01AB-C2345D6C78DE',
    'organizations',
    'Organizations',
    'common',
    'consumers',
    'contoso.onmicrosoft.com',
    'contoso.com',
    'a.bc',
    'sub.contoso.co.uk',
    'contoso',
    'contoso.c',
    'contoso..com',
    '-contoso.com',
    'contoso-.com',
    'contöso.com',
    'xn--contso-6ua.com',
    `${'a'.repeat(63)}.com`,
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(125)}com`,
    'contoso.com/',
    'https://login.microsoftonline.com/contoso.com',
    ' contoso.com ',
    'a1bc2d34-5e67-8f89-01ab-c2345d6c78d',
  ],
  EXPLORER_CLIENT_ID: [
    '12a34b56-789c-0d12-e3fa-b456789c0123',
    '12A34B56-789C-0D12-E3FA-B456789C0123',
    '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d',
    '2FF814A6-3304-4AB8-85CB-CD0E6F879C1D',
    '12a34b56789c0d12e3fab456789c0123',
    '{12a34b56-789c-0d12-e3fa-b456789c0123}',
    'my-app',
    ' 12a34b56-789c-0d12-e3fa-b456789c0123 ',
  ],
  EXPLORER_WORKSPACE_URL: [
    'https://adb-1234567890123456.7.azuredatabricks.net',
    'https://adb-1234567890123456.7.azuredatabricks.net/',
    'https://adb-1234567890123456.7.azuredatabricks.net/?o=1234567890123456',
    'https://adb-1234567890123456.7.azuredatabricks.net/?o=1234567890123456#',
    'https://adb-1234567890123456.7.azuredatabricks.net/browse/folders/123',
    'https://ADB-1234567890123456.7.AzureDatabricks.net',
    'https://adb-1234567890123456.7.azuredatabricks.net:443',
    'https://adb-1234567890123456.7.azuredatabricks.net:8443',
    'https://user:pw@adb-1234567890123456.7.azuredatabricks.net',
    'http://adb-1234567890123456.7.azuredatabricks.net',
    'adb-1234567890123456.7.azuredatabricks.net',
    'https://adb-123456789012345678901.7.azuredatabricks.net',
    'https://adb-1.1234.azuredatabricks.net',
    'https://adb-1.12.azuredatabricks.net',
    'https://westeurope.azuredatabricks.net',
    'https://accounts.azuredatabricks.net',
    'https://adb-1234567890123456.7.azuredatabricks.net.evil.example',
    'https://adb-1234567890123456.7.databricks.azure.us',
    'https://adb-1234567890123456.7.databricks.azure.cn',
    'https://[::1]',
    'not a url',
  ],
  EXPLORER_AZURE_RESOURCE_GROUP: [
    'explorer-rg',
    'Explorer_RG.(prod)',
    'rg.',
    'données-prod',
    'データ',
    'a',
    'a'.repeat(90),
    'a'.repeat(91),
    'rg with space',
    'rg/evil',
  ],
  EXPLORER_AZURE_WORKSPACE_NAME: ['sandbox-workspace', 'ws', 'ws_1', 'a'.repeat(64), 'a'.repeat(65), 'ws.1', 'wörk'],
  EXPLORER_AZURE_SUBSCRIPTION_ID: [
    '5f1d7c2e-0000-4000-8000-000000000001',
    '5F1D7C2E-0000-4000-8000-000000000001',
    'sub',
  ],
  EXPLORER_CLOUD: ['public', 'PUBLIC', 'usgov', 'china', 'sandbox', 'azure', ''],
};

/** The server's verdict, and what it serves when it accepts. */
function server(env: Record<string, string>) {
  try {
    return { ok: true as const, served: resolveServerSettings(env).runtimeConfig };
  } catch (error) {
    if ((error as { code?: string }).code !== 'SETTINGS_INVALID') throw error;
    return { ok: false as const };
  }
}

/** The page's verdict on the same values, given to it as the server would send them unchecked. */
function page(env: Record<string, string>) {
  return validateConfig({
    server: {
      tenantId: env.EXPLORER_TENANT_ID,
      clientId: env.EXPLORER_CLIENT_ID,
      workspaceUrl: env.EXPLORER_WORKSPACE_URL,
      cloud: env.EXPLORER_CLOUD === '' ? undefined : env.EXPLORER_CLOUD,
      subscriptionId: env.EXPLORER_AZURE_SUBSCRIPTION_ID,
      resourceGroup: env.EXPLORER_AZURE_RESOURCE_GROUP,
      workspaceName: env.EXPLORER_AZURE_WORKSPACE_NAME,
      sandbox: false,
    },
  });
}

const cases = Object.entries(CORPUS).flatMap(([name, values]) =>
  values.flatMap((value) => {
    const base = name.startsWith('EXPLORER_AZURE_') ? { ...VALID, ...RESOURCE } : { ...VALID };
    const env: Record<string, string> = { ...base, [name]: value };
    // A workspace URL of another cloud is judged with that cloud too.
    const others = value.includes('azure.us')
      ? [{ ...env, EXPLORER_CLOUD: 'usgov' }]
      : value.includes('azure.cn')
        ? [{ ...env, EXPLORER_CLOUD: 'china' }]
        : [];
    return [env, ...others].map((candidate) => ({
      label: `${name}=${JSON.stringify(value)}${candidate.EXPLORER_CLOUD ? ` (cloud ${candidate.EXPLORER_CLOUD})` : ''}`,
      env: candidate,
    }));
  }),
);

describe('the server and the page agree on every setting', () => {
  it.each(cases)('$label', ({ env }) => {
    const onServer = server(env);
    const onPage = page(env);
    const why = onPage.ok ? '' : onPage.errors.map((error) => error.message).join(' | ');
    expect({ server: onServer.ok, page: onPage.ok, why }).toEqual({ server: onPage.ok, page: onServer.ok, why });
    if (onServer.ok) {
      // What the server serves at /explorer-config.json passes the page's validation unchanged.
      const served = validateConfig({ server: onServer.served });
      expect(served.ok ? [] : served.errors.map((error) => error.message)).toEqual([]);
    }
  });
});

describe('what both accept', () => {
  it('is reduced to the same workspace origin: a path, ?o= and # pasted from the browser are dropped', () => {
    const env = {
      ...VALID,
      EXPLORER_WORKSPACE_URL: 'https://ADB-1234567890123456.7.azuredatabricks.net/?o=1234567890123456#',
    };
    const onServer = server(env);
    const onPage = page(env);
    expect(onServer.ok && onServer.served.workspaceUrl).toBe('https://adb-1234567890123456.7.azuredatabricks.net');
    expect(onPage.ok && onPage.config.workspaceUrl).toBe('https://adb-1234567890123456.7.azuredatabricks.net');
  });
});
