import { describe, expect, it } from 'vitest';
import { describeConfigChange } from '../../../src/app/auth/msal-service.ts';
import type { AppConfig } from '../../../src/app/config/types.ts';

const PUBLIC: AppConfig = {
  tenantId: '3c9d5e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f',
  clientId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
  cloud: 'public',
  authority: 'https://login.microsoftonline.com/3c9d5e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f/',
  authorityHost: 'login.microsoftonline.com',
  workspaceUrl: 'https://adb-1234567890123456.7.azuredatabricks.net',
  workspaceHost: 'adb-1234567890123456.7.azuredatabricks.net',
  workspaceResourceId: undefined,
  sandbox: false,
  cacheLocation: 'sessionStorage',
};

describe('which sign-in settings changed since the token cache was filled', () => {
  it('names nothing when only the workspace changed (the same accounts and tokens still apply)', () => {
    expect(describeConfigChange(PUBLIC, { ...PUBLIC, workspaceUrl: 'https://adb-1.2.azuredatabricks.net' })).toBe('');
  });

  it('names the cloud, tenant and client ID that changed', () => {
    const usgov = {
      ...PUBLIC,
      cloud: 'usgov' as const,
      authority: 'https://login.microsoftonline.us/3c9d5e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f/',
    };
    expect(describeConfigChange(PUBLIC, usgov)).toBe('cloud public → usgov');
    expect(describeConfigChange(PUBLIC, { ...PUBLIC, tenantId: 'organizations' })).toBe(
      'tenant 3c9d5e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f → organizations',
    );
    expect(describeConfigChange(PUBLIC, { ...PUBLIC, clientId: '12a34b56-789c-0d12-e3fa-b456789c0123' })).toBe(
      'client ID 7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6 → 12a34b56-789c-0d12-e3fa-b456789c0123',
    );
  });

  it('names a changed sign-in address (the sandbox moved to another port)', () => {
    const sandbox = { ...PUBLIC, cloud: 'sandbox' as const, authority: 'https://localhost:5174/t/' };
    expect(describeConfigChange(sandbox, { ...sandbox, authority: 'https://localhost:5274/t/' })).toBe(
      'sign-in address https://localhost:5174/t/ → https://localhost:5274/t/',
    );
  });
});
