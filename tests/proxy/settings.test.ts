import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCA } from 'mkcert';
import { describe, expect, it } from 'vitest';
import type { RuntimeConfigWire } from '../../src/app/config/types.ts';
import { resolveServerSettings, ServerSettingsError, type RuntimeConfig } from '../../src/proxy/index.ts';

const AZURE = {
  EXPLORER_TENANT_ID: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
  EXPLORER_CLIENT_ID: '12a34b56-789c-0d12-e3fa-b456789c0123',
  EXPLORER_WORKSPACE_URL: 'https://adb-1234567890123456.7.azuredatabricks.net',
};

// The proxy's RuntimeConfig and the app's RuntimeConfigWire describe the same JSON; each must accept the other.
const toWire = (config: RuntimeConfig): RuntimeConfigWire => config;
const fromWire = (wire: RuntimeConfigWire): RuntimeConfig => wire;

describe('proxy network settings', () => {
  it('reads EXPLORER_PROXY_CONNECT_TO as curl --connect-to does', () => {
    const settings = resolveServerSettings({
      ...AZURE,
      EXPLORER_PROXY_CONNECT_TO:
        'ADB-1234567890123456.7.azuredatabricks.net:443:127.0.0.1:6051, adb-1.2.databricks.azure.us:443:[::1]:8443',
    });
    expect(settings.proxyConnectTo).toEqual(
      new Map([
        ['adb-1234567890123456.7.azuredatabricks.net:443', { host: '127.0.0.1', port: 6051 }],
        ['adb-1.2.databricks.azure.us:443', { host: '::1', port: 8443 }],
      ]),
    );
  });

  it.each(['adb-1.2.azuredatabricks.net:443:127.0.0.1', 'adb-1.2.azuredatabricks.net:443:127.0.0.1:70000', 'x'])(
    'refuses EXPLORER_PROXY_CONNECT_TO=%s with the expected form',
    (value) => {
      expect(() => resolveServerSettings({ EXPLORER_PROXY_CONNECT_TO: value })).toThrow(
        /EXPLORER_PROXY_CONNECT_TO.*host:port:connect-host:connect-port/s,
      );
    },
  );

  it('reads the CA certificates in EXPLORER_PROXY_CA_FILE, and names a missing or non-PEM file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explorer-ca-'));
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => resolveServerSettings({ EXPLORER_PROXY_CA_FILE: notPem })).toThrow(/EXPLORER_PROXY_CA_FILE.*PEM/s);
    expect(() => resolveServerSettings({ EXPLORER_PROXY_CA_FILE: join(dir, 'missing.pem') })).toThrow(
      /EXPLORER_PROXY_CA_FILE.*ENOENT/s,
    );
    const ca = await createCA({
      organization: 'Test CA',
      countryCode: 'ZZ',
      state: 'Test',
      locality: 'Test',
      validity: 1,
    });
    const good = join(dir, 'ca.pem');
    writeFileSync(good, `local CA\n${ca.cert}\n`);
    expect(resolveServerSettings({ EXPLORER_PROXY_CA_FILE: good }).proxyExtraCa).toBe(ca.cert.trim());
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('team demo settings (EXPLORER_LAN)', () => {
  const LAN = { EXPLORER_LAN: '1', EXPLORER_LAN_HOST: 'Explorer-LAN.test', EXPLORER_LAN_ADDRESS: '127.0.0.2' };

  it('names this machine by its own name unless EXPLORER_LAN_HOST says otherwise', () => {
    expect(resolveServerSettings({ EXPLORER_LAN: '1' }, 'Anas-MacBook.local').lan).toMatchObject({
      host: 'anas-macbook.local',
      address: '0.0.0.0',
    });
    expect(resolveServerSettings({ EXPLORER_LAN: '1', EXPLORER_LAN_HOST: '192.168.1.20' }, 'vm').lan).toMatchObject({
      host: '192.168.1.20',
    });
    expect(resolveServerSettings({ EXPLORER_LAN_HOST: 'demo.example' }).lan).toBe(false);
  });

  it('gives the sandbox the LAN name everywhere the page and the proxy see it', () => {
    const settings = resolveServerSettings(LAN, 'vm');
    if (settings.mode !== 'sandbox') throw new Error('expected the sandbox');
    expect(settings.listenHost).toBe('127.0.0.2');
    expect(settings.lan).toEqual({
      host: 'explorer-lan.test',
      address: '127.0.0.2',
      appOrigin: 'https://explorer-lan.test:5173',
    });
    expect(settings.sandbox).toEqual({
      entraPort: 5174,
      workspacePort: 5175,
      authorityOrigin: 'https://explorer-lan.test:5174',
      workspaceUrl: 'https://explorer-lan.test:5175',
      workspaceHost: 'explorer-lan.test:5175',
    });
    expect(settings.runtimeConfig).toMatchObject({
      sandboxAuthorityOrigin: 'https://explorer-lan.test:5174',
      workspaceUrl: 'https://explorer-lan.test:5175',
    });
    expect(settings.identityOrigins[0]).toBe('https://explorer-lan.test:5174');
    expect(settings.proxyExtraHosts).toEqual(['explorer-lan.test:5175', 'localhost:5175']);
    // The proxy reaches the workspace over loopback: the LAN name need not resolve on this machine.
    expect(settings.proxyConnectTo.get('explorer-lan.test:5175')).toEqual({ host: 'localhost', port: 5175 });
    expect(
      resolveServerSettings({ ...LAN, EXPLORER_LAN_ADDRESS: '' }, 'vm').proxyConnectTo.get('explorer-lan.test:5175'),
    ).toEqual({ host: '127.0.0.1', port: 5175 });
    expect(settings.warnings[1]).toBe(
      "The sandbox's sign-in page (https://explorer-lan.test:5174) and workspace (https://explorer-lan.test:5175) answer everyone on this network: anyone can sign in as a demo user (their passwords are in the README). The presenter console and control API stay on this machine.",
    );
  });

  it('keeps an EXPLORER_PROXY_CONNECT_TO entry given for the LAN workspace', () => {
    const settings = resolveServerSettings({
      ...LAN,
      EXPLORER_PROXY_CONNECT_TO: 'explorer-lan.test:5175:127.0.0.9:7000',
    });
    expect(settings.proxyConnectTo.get('explorer-lan.test:5175')).toEqual({ host: '127.0.0.9', port: 7000 });
  });

  const HOST_EXPECTED =
    'expected the name or IPv4 address colleagues use to reach this machine, such as my-laptop.local or 192.168.1.20';
  const HOST_HINT =
    "Set it to a name that resolves to this machine on the network, or to its IPv4 address; unset it to use this machine's name.";
  it.each([
    ['my_laptop', 'it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address'],
    ['https://demo.example', 'it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address'],
    ['demo.example:5173', 'it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address'],
    ['-demo.example', 'it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address'],
    ['10.0.0.300', 'it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address'],
    ['localhost', 'other machines cannot reach this machine by that name'],
    ['127.0.0.2', 'other machines cannot reach this machine by that name'],
    ['0.0.0.0', 'other machines cannot reach this machine by that name'],
    ['fe80::1', 'an IPv6 address would need brackets in every URL and in the proxy path'],
  ])('refuses EXPLORER_LAN_HOST=%s and says why', (value, why) => {
    expect(() => resolveServerSettings({ EXPLORER_LAN: '1', EXPLORER_LAN_HOST: value })).toThrow(
      `EXPLORER_LAN_HOST is invalid: received "${value}"; ${HOST_EXPECTED} (${why}). ${HOST_HINT}`,
    );
  });

  it("says when this machine's own name cannot serve, and what to set", () => {
    expect(() => resolveServerSettings({ EXPLORER_LAN: '1' }, 'Ana’s MacBook')).toThrow(
      `EXPLORER_LAN_HOST is invalid: received "Ana’s MacBook"; ${HOST_EXPECTED} (it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address). That is this machine's name (os.hostname()), the default; set EXPLORER_LAN_HOST to a name or address colleagues can reach.`,
    );
    // Only in LAN mode: without it the machine's name is never read.
    expect(resolveServerSettings({}, 'Ana’s MacBook').lan).toBe(false);
  });

  it.each(['192.168.1', 'eth0', 'demo.example'])('refuses EXPLORER_LAN_ADDRESS=%s and says what it takes', (value) => {
    expect(() => resolveServerSettings({ EXPLORER_LAN: '1', EXPLORER_LAN_ADDRESS: value }, 'vm')).toThrow(
      `EXPLORER_LAN_ADDRESS is invalid: received "${value}"; expected an IP address of this machine to listen on, such as 192.168.1.20, or 0.0.0.0 (every IPv4 interface) or :: (every interface). Unset it to listen on every IPv4 interface (0.0.0.0).`,
    );
  });

  it('takes an IPv6 listen address, with or without brackets', () => {
    expect(resolveServerSettings({ EXPLORER_LAN: '1', EXPLORER_LAN_ADDRESS: '[::]' }, 'vm').listenHost).toBe('::');
    expect(resolveServerSettings({ EXPLORER_LAN: '1', EXPLORER_LAN_ADDRESS: 'FE80::1' }, 'vm').listenHost).toBe(
      'fe80::1',
    );
  });
});

describe('server settings from the environment', () => {
  it('runs the sandbox on 5173, 5174 and 5175 when nothing is configured', () => {
    const settings = resolveServerSettings({});
    expect(settings).toEqual({
      mode: 'sandbox',
      port: 5173,
      listenHost: 'localhost',
      lan: false,
      warnings: [],
      allowPost: false,
      runtimeConfig: {
        tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
        clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
        cloud: 'sandbox',
        workspaceUrl: 'https://localhost:5175',
        sandbox: true,
        sandboxAuthorityOrigin: 'https://localhost:5174',
      },
      identityOrigins: [
        'https://localhost:5174',
        'https://login.microsoftonline.com',
        'https://login.microsoftonline.us',
        'https://login.partner.microsoftonline.cn',
      ],
      proxyExtraHosts: ['localhost:5175'],
      proxyConnectTo: new Map(),
      proxyExtraCa: undefined,
      sandbox: {
        entraPort: 5174,
        workspacePort: 5175,
        authorityOrigin: 'https://localhost:5174',
        workspaceUrl: 'https://localhost:5175',
        workspaceHost: 'localhost:5175',
      },
    });
    expect(fromWire(toWire(settings.runtimeConfig))).toBe(settings.runtimeConfig);
  });

  it('treats empty variables as unset', () => {
    expect(resolveServerSettings({ EXPLORER_TENANT_ID: '', EXPLORER_CLIENT_ID: ' ', PORT: '' }).mode).toBe('sandbox');
  });

  it('moves the sandbox with PORT', () => {
    const settings = resolveServerSettings({ PORT: '8443' });
    expect(settings.mode === 'sandbox' && settings.sandbox.workspaceHost).toBe('localhost:8445');
    expect(settings.runtimeConfig.sandboxAuthorityOrigin).toBe('https://localhost:8444');
  });

  it('includes the workspace resource ID parts in the sandbox when they are set', () => {
    const settings = resolveServerSettings({
      EXPLORER_AZURE_SUBSCRIPTION_ID: '5f1d7c2e-0000-4000-8000-00000000cafe',
      EXPLORER_AZURE_RESOURCE_GROUP: 'explorer-sandbox',
      EXPLORER_AZURE_WORKSPACE_NAME: 'sandbox-workspace',
    });
    expect(settings.runtimeConfig).toMatchObject({
      subscriptionId: '5f1d7c2e-0000-4000-8000-00000000cafe',
      resourceGroup: 'explorer-sandbox',
      workspaceName: 'sandbox-workspace',
    });
  });

  it('uses the real tenant and workspace when all three are set, with the public cloud by default', () => {
    const settings = resolveServerSettings({
      ...AZURE,
      EXPLORER_WORKSPACE_URL: 'https://ADB-1234567890123456.7.azuredatabricks.net/',
    });
    expect(settings).toEqual({
      mode: 'azure',
      cloud: 'public',
      port: 5173,
      listenHost: 'localhost',
      lan: false,
      warnings: [],
      allowPost: false,
      runtimeConfig: {
        tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
        clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
        cloud: 'public',
        workspaceUrl: 'https://adb-1234567890123456.7.azuredatabricks.net',
        sandbox: false,
      },
      identityOrigins: [
        'https://login.microsoftonline.com',
        'https://login.microsoftonline.us',
        'https://login.partner.microsoftonline.cn',
      ],
      proxyExtraHosts: [],
      proxyConnectTo: new Map(),
      proxyExtraCa: undefined,
    });
  });

  it.each([
    ['usgov', 'https://adb-1.2.databricks.azure.us', 'https://login.microsoftonline.us'],
    ['china', 'https://adb-1.2.databricks.azure.cn', 'https://login.partner.microsoftonline.cn'],
  ])('accepts a %s workspace with its sign-in host', (cloud, url, authority) => {
    const settings = resolveServerSettings({ ...AZURE, EXPLORER_CLOUD: cloud, EXPLORER_WORKSPACE_URL: url });
    expect(settings.runtimeConfig).toMatchObject({ cloud, workspaceUrl: url });
    // Its own sign-in host first, and the other clouds' too: Settings may choose any of them.
    expect(settings.identityOrigins[0]).toBe(authority);
    expect([...settings.identityOrigins].sort()).toEqual(
      [
        'https://login.microsoftonline.com',
        'https://login.microsoftonline.us',
        'https://login.partner.microsoftonline.cn',
      ].sort(),
    );
  });

  it('accepts a verified domain or "organizations" as the tenant', () => {
    expect(
      resolveServerSettings({ ...AZURE, EXPLORER_TENANT_ID: 'Contoso.onmicrosoft.com' }).runtimeConfig.tenantId,
    ).toBe('contoso.onmicrosoft.com');
    expect(resolveServerSettings({ ...AZURE, EXPLORER_TENANT_ID: 'organizations' }).runtimeConfig.tenantId).toBe(
      'organizations',
    );
  });

  it('listens on every interface with EXPLORER_LAN=1 and says so', () => {
    const settings = resolveServerSettings({ ...AZURE, EXPLORER_LAN: '1' }, 'presenter-laptop');
    expect(settings.listenHost).toBe('0.0.0.0');
    expect(settings.lan).toEqual({
      host: 'presenter-laptop',
      address: '0.0.0.0',
      appOrigin: 'https://presenter-laptop:5173',
    });
    expect(settings.warnings).toEqual([
      'EXPLORER_LAN is on: the app and its Databricks proxy listen on every network interface, port 5173, for https://presenter-laptop:5173/. Anyone on this network can open the app and use the proxy with their own token; turn it off after the demo.',
    ]);
  });

  it('forwards POST only with EXPLORER_PROXY_ALLOW_POST=1', () => {
    expect(resolveServerSettings({}).allowPost).toBe(false);
    expect(resolveServerSettings({ EXPLORER_PROXY_ALLOW_POST: '1' }).allowPost).toBe(true);
  });

  it('tells the page which methods the proxy forwards only when POST is allowed', () => {
    expect(resolveServerSettings({}).runtimeConfig.proxyMethods).toBeUndefined();
    expect(resolveServerSettings({ EXPLORER_PROXY_ALLOW_POST: '1' }).runtimeConfig.proxyMethods).toEqual([
      'GET',
      'POST',
    ]);
  });

  const invalid: Array<[string, Record<string, string>, string, string]> = [
    [
      'a port that is not a number',
      { PORT: 'http' },
      'PORT',
      'PORT is invalid: received "http"; expected a port number from 1 to 65533 (the sandbox also uses PORT+1 and PORT+2). Unset it for the default 5173.',
    ],
    [
      'a port too high for the sandbox',
      { PORT: '65534' },
      'PORT',
      'PORT is invalid: received "65534"; expected a port number from 1 to 65533 (the sandbox also uses PORT+1 and PORT+2). Unset it for the default 5173.',
    ],
    [
      'port zero',
      { ...AZURE, PORT: '0' },
      'PORT',
      'PORT is invalid: received "0"; expected a port number from 1 to 65535. Unset it for the default 5173.',
    ],
    [
      'a flag that is neither on nor off',
      { EXPLORER_LAN: 'maybe' },
      'EXPLORER_LAN',
      'EXPLORER_LAN is invalid: received "maybe"; expected 1 (on) or 0 (off). Unset it to keep it off.',
    ],
    [
      'a tenant without client and workspace',
      { EXPLORER_TENANT_ID: AZURE.EXPLORER_TENANT_ID },
      'EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL',
      'EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL is invalid: it is not set; expected EXPLORER_TENANT_ID, EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL to be set together. Set EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL as well to use a real tenant, or unset all three to run the sandbox.',
    ],
    [
      'a tenant that is neither GUID nor domain',
      { ...AZURE, EXPLORER_TENANT_ID: 'my tenant' },
      'EXPLORER_TENANT_ID',
      'EXPLORER_TENANT_ID is invalid: received "my tenant"; expected the directory (tenant) ID as a GUID, a verified domain such as contoso.onmicrosoft.com, or "organizations". Copy it from the app registration\'s Overview page in the Entra admin center.',
    ],
    [
      'a client ID that is not a GUID',
      { ...AZURE, EXPLORER_CLIENT_ID: 'explorer' },
      'EXPLORER_CLIENT_ID',
      'EXPLORER_CLIENT_ID is invalid: received "explorer"; expected a GUID such as 12a34b56-789c-0d12-e3fa-b456789c0123 (the application (client) ID from the app registration).',
    ],
    [
      'a workspace URL over plain HTTP',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'http://adb-1234567890123456.7.azuredatabricks.net' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "http://adb-1234567890123456.7.azuredatabricks.net"; expected a URL starting with https://, like https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal).',
    ],
    [
      'a workspace URL that is not a URL',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'adb-1234567890123456.7.azuredatabricks.net' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "adb-1234567890123456.7.azuredatabricks.net"; expected https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal).',
    ],
    [
      'a workspace URL with a user name and password (never echoed)',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'https://me:secret@adb-1234567890123456.7.azuredatabricks.net/' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "https://(credentials)@adb-1234567890123456.7.azuredatabricks.net"; expected the workspace URL without a user name or password: https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal). Use https://adb-1234567890123456.7.azuredatabricks.net.',
    ],
    [
      "Azure Databricks' own application ID as the client ID",
      { ...AZURE, EXPLORER_CLIENT_ID: '2FF814A6-3304-4AB8-85CB-CD0E6F879C1D' },
      'EXPLORER_CLIENT_ID',
      'EXPLORER_CLIENT_ID is invalid: received "2FF814A6-3304-4AB8-85CB-CD0E6F879C1D"; expected the application (client) ID of your own app registration. That is the application ID of Azure Databricks itself; the app asks for the Azure Databricks scope on its own.',
    ],
    [
      'a Unicode resource group (Azure allows it; the header cannot carry it)',
      {
        ...AZURE,
        EXPLORER_AZURE_SUBSCRIPTION_ID: '5f1d7c2e-0000-4000-8000-000000000001',
        EXPLORER_AZURE_RESOURCE_GROUP: 'données-prod',
        EXPLORER_AZURE_WORKSPACE_NAME: 'ws1',
      },
      'EXPLORER_AZURE_RESOURCE_GROUP',
      'EXPLORER_AZURE_RESOURCE_GROUP is invalid: received "données-prod"; expected a resource group name: 1–90 ASCII letters, digits, underscores, hyphens, periods or parentheses, not ending in a period. Azure allows other letters in resource group names, but the name is sent in the X-Databricks-Azure-Workspace-Resource-Id header, which carries ASCII only; leave the three EXPLORER_AZURE_* values unset and add yourself to the workspace instead.',
    ],
    [
      'a legacy regional workspace URL',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'https://westeurope.azuredatabricks.net' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "https://westeurope.azuredatabricks.net"; expected a workspace URL of the public cloud: https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal). Legacy regional URLs (westeurope.azuredatabricks.net) and the accounts console are not workspace URLs.',
    ],
    [
      'the accounts console',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'https://accounts.azuredatabricks.net' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "https://accounts.azuredatabricks.net"; expected a workspace URL of the public cloud: https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal). Legacy regional URLs (westeurope.azuredatabricks.net) and the accounts console are not workspace URLs.',
    ],
    [
      'a US Government workspace in the public cloud',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'https://adb-1.2.databricks.azure.us' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "https://adb-1.2.databricks.azure.us"; expected a workspace URL of the public cloud: https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal). That is a usgov workspace; set EXPLORER_CLOUD=usgov.',
    ],
    [
      'a workspace URL with a port',
      { ...AZURE, EXPLORER_WORKSPACE_URL: 'https://adb-1.2.azuredatabricks.net:8443' },
      'EXPLORER_WORKSPACE_URL',
      'EXPLORER_WORKSPACE_URL is invalid: received "https://adb-1.2.azuredatabricks.net:8443"; expected a workspace URL of the public cloud: https://adb-<workspace id>.<n>.azuredatabricks.net (the per-workspace URL from the Azure portal). Legacy regional URLs (westeurope.azuredatabricks.net) and the accounts console are not workspace URLs.',
    ],
    [
      'an unknown cloud',
      { ...AZURE, EXPLORER_CLOUD: 'germany' },
      'EXPLORER_CLOUD',
      'EXPLORER_CLOUD is invalid: received "germany"; expected public, usgov or china. Unset it for the public cloud.',
    ],
    [
      'a cloud in sandbox mode',
      { EXPLORER_CLOUD: 'china' },
      'EXPLORER_CLOUD',
      'EXPLORER_CLOUD is invalid: received "china"; expected to be unset in sandbox mode. The sandbox has its own cloud; set EXPLORER_TENANT_ID, EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL to use a real one.',
    ],
    [
      'part of the resource ID',
      { ...AZURE, EXPLORER_AZURE_SUBSCRIPTION_ID: '5f1d7c2e-0000-4000-8000-00000000cafe' },
      'EXPLORER_AZURE_RESOURCE_GROUP and EXPLORER_AZURE_WORKSPACE_NAME',
      'EXPLORER_AZURE_RESOURCE_GROUP and EXPLORER_AZURE_WORKSPACE_NAME is invalid: it is not set; expected the subscription ID, resource group and workspace name to be set together (they make up the workspace resource ID). Set EXPLORER_AZURE_RESOURCE_GROUP and EXPLORER_AZURE_WORKSPACE_NAME too, or unset all three.',
    ],
    [
      'a subscription that is not a GUID',
      {
        ...AZURE,
        EXPLORER_AZURE_SUBSCRIPTION_ID: 'pay-as-you-go',
        EXPLORER_AZURE_RESOURCE_GROUP: 'rg',
        EXPLORER_AZURE_WORKSPACE_NAME: 'ws1',
      },
      'EXPLORER_AZURE_SUBSCRIPTION_ID',
      'EXPLORER_AZURE_SUBSCRIPTION_ID is invalid: received "pay-as-you-go"; expected a GUID such as 12a34b56-789c-0d12-e3fa-b456789c0123 (the Azure subscription that holds the workspace).',
    ],
    [
      'a resource group ending in a period',
      {
        ...AZURE,
        EXPLORER_AZURE_SUBSCRIPTION_ID: '5f1d7c2e-0000-4000-8000-00000000cafe',
        EXPLORER_AZURE_RESOURCE_GROUP: 'rg.',
        EXPLORER_AZURE_WORKSPACE_NAME: 'ws1',
      },
      'EXPLORER_AZURE_RESOURCE_GROUP',
      'EXPLORER_AZURE_RESOURCE_GROUP is invalid: received "rg."; expected a resource group name: 1–90 ASCII letters, digits, underscores, hyphens, periods or parentheses, not ending in a period.',
    ],
    [
      'a workspace name with a slash',
      {
        ...AZURE,
        EXPLORER_AZURE_SUBSCRIPTION_ID: '5f1d7c2e-0000-4000-8000-00000000cafe',
        EXPLORER_AZURE_RESOURCE_GROUP: 'rg',
        EXPLORER_AZURE_WORKSPACE_NAME: 'ws/../x',
      },
      'EXPLORER_AZURE_WORKSPACE_NAME',
      'EXPLORER_AZURE_WORKSPACE_NAME is invalid: received "ws/../x"; expected the Azure Databricks workspace resource name: 3–64 letters, digits, underscores or hyphens.',
    ],
  ];

  it.each(invalid)('refuses %s, naming the variable and what it expects', (_name, env, variable, message) => {
    try {
      resolveServerSettings(env);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ServerSettingsError);
      expect((error as ServerSettingsError).code).toBe('SETTINGS_INVALID');
      expect((error as ServerSettingsError).variable).toBe(variable);
      expect((error as Error).message).toBe(message);
    }
  });
});
