import { beforeEach, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../../src/app/config/load-config.ts';
import { resetOverrides, SETTINGS_STORAGE_KEY, saveOverrides } from '../../../src/app/config/saved-settings.ts';

const SERVER = {
  tenantId: 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de',
  clientId: '12a34b56-789c-0d12-e3fa-b456789c0123',
  cloud: 'public',
  workspaceUrl: 'https://adb-1234567890123456.7.azuredatabricks.net',
};

/** A stand-in for the server: answers GET /explorer-config.json and records what was asked. */
function fakeServer(respond: () => Response) {
  const requests: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    requests.push(String(input));
    return respond();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => localStorage.clear());

describe('loading the configuration', () => {
  it('reads the runtime configuration from /explorer-config.json', async () => {
    const server = fakeServer(() => json(SERVER));
    const result = await loadAppConfig({ fetch: server.fetch });
    expect(server.requests).toEqual(['/explorer-config.json']);
    expect(result.ok && result.config.workspaceHost).toBe('adb-1234567890123456.7.azuredatabricks.net');
    expect(result.server).toEqual(SERVER);
  });

  it('applies saved overrides and forgets them after a reset', async () => {
    const server = fakeServer(() => json(SERVER));
    saveOverrides({ workspaceUrl: 'https://adb-42.3.azuredatabricks.net', cacheLocation: 'localStorage' });
    expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY) ?? 'null')).toEqual({
      workspaceUrl: 'https://adb-42.3.azuredatabricks.net',
      cacheLocation: 'localStorage',
    });
    const overridden = await loadAppConfig({ fetch: server.fetch });
    expect(overridden.ok && overridden.config).toMatchObject({
      workspaceUrl: 'https://adb-42.3.azuredatabricks.net',
      cacheLocation: 'localStorage',
    });
    expect(overridden.wire.workspaceUrl).toBe('https://adb-42.3.azuredatabricks.net');

    resetOverrides();
    expect(localStorage.getItem(SETTINGS_STORAGE_KEY)).toBeNull();
    const reset = await loadAppConfig({ fetch: server.fetch });
    expect(reset.ok && reset.config).toMatchObject({
      workspaceUrl: SERVER.workspaceUrl,
      cacheLocation: 'sessionStorage',
    });
  });

  it('keeps only known settings when saving', () => {
    saveOverrides({ tenantId: 'contoso.example', extra: 'x' } as never);
    expect(localStorage.getItem(SETTINGS_STORAGE_KEY)).toBe('{"tenantId":"contoso.example"}');
  });

  it('returns field errors together with the values in effect', async () => {
    saveOverrides({ clientId: 'not-a-guid' });
    const result = await loadAppConfig({ fetch: fakeServer(() => json(SERVER)).fetch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field)).toEqual(['clientId']);
    expect(result.wire.clientId).toBe('not-a-guid');
    expect(result.server.clientId).toBe(SERVER.clientId);
  });

  it('explains a server that does not serve the configuration', async () => {
    const result = await loadAppConfig({ fetch: fakeServer(() => new Response('Not found', { status: 404 })).fetch });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({
      code: 'CONFIG_INVALID',
      field: 'runtimeConfig',
      message:
        'Could not load the runtime configuration at /explorer-config.json: the server answered HTTP 404. Serve the app with npm start or npm run dev, whose server provides it, then reload the page.',
    });
  });

  it('explains an answer that is not JSON', async () => {
    const result = await loadAppConfig({
      fetch: fakeServer(() => new Response('<!doctype html>', { status: 200 })).fetch,
    });
    expect(!result.ok && result.errors[0]?.message).toBe(
      "The server's answer for the runtime configuration at /explorer-config.json is not JSON. Serve the app with npm start or npm run dev, then reload the page.",
    );
  });

  it('explains a network failure', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const result = await loadAppConfig({ fetch });
    expect(!result.ok && result.errors[0]?.message).toBe(
      'Could not load the runtime configuration at /explorer-config.json (Failed to fetch). Check that the server is running (npm start), then reload the page.',
    );
  });

  it('still starts from complete saved settings when the server configuration is missing', async () => {
    saveOverrides(SERVER);
    const result = await loadAppConfig({ fetch: fakeServer(() => new Response('', { status: 500 })).fetch });
    expect(result.ok && result.config.clientId).toBe(SERVER.clientId);
  });

  it('reports saved settings it cannot read and offers a reset', async () => {
    localStorage.setItem(SETTINGS_STORAGE_KEY, '{not json');
    const result = await loadAppConfig({ fetch: fakeServer(() => json(SERVER)).fetch });
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({
        field: 'savedSettings',
        message:
          'The settings saved in this browser (localStorage "explorer.settings.v1") are not valid JSON. Reset the settings to go back to the server\'s values.',
      }),
    ]);
  });

  it('reports saved settings of the wrong type', async () => {
    localStorage.setItem(SETTINGS_STORAGE_KEY, '{"tenantId":42}');
    const result = await loadAppConfig({ fetch: fakeServer(() => json(SERVER)).fetch });
    expect(!result.ok && result.errors[0]?.message).toBe(
      'The settings saved in this browser (localStorage "explorer.settings.v1") hold a number for "tenantId" instead of text. Reset the settings to go back to the server\'s values.',
    );
  });
});
