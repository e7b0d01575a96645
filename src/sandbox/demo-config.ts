import type { SandboxConfigInput } from './config-schema.ts';
import { AZURE_DATABRICKS_RESOURCE_ID } from './well-known.ts';

const DEMO_TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const SPA_CLIENT_ID = '12a34b56-789c-0d12-e3fa-b456789c0123';
const WEB_CLIENT_ID = '98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e';

/** The built-in demo directory, used for each top-level key the file leaves out. */
export const DEMO_CONFIG_INPUT = {
  tenants: [{ id: DEMO_TENANT, domain: 'contoso.example', displayName: 'Contoso (sandbox)' }],
  users: [
    demoUser('ana', 'Ana', 'Analyst', '0a11ce00-0000-4000-8000-000000000001'),
    demoUser('ben', 'Ben', 'Admin', '0b0b0000-0000-4000-8000-000000000002'),
    demoUser('carl', 'Carl', 'Outsider', '0c0c0000-0000-4000-8000-000000000003'),
    demoUser('dana', 'Dana', 'Newcomer', '0d0d0000-0000-4000-8000-000000000004'),
    { ...demoUser('eve', 'Eve', 'Secure', '0e0e0000-0000-4000-8000-000000000005'), mfa: true },
    demoUser('fay', 'Fay', 'Contributor', '0fa40000-0000-4000-8000-000000000006'),
  ],
  apps: [
    {
      clientId: SPA_CLIENT_ID,
      displayName: 'Databricks Entra Explorer',
      redirectUris: { spa: ['https://localhost:5173/'], publicClient: ['http://localhost'] },
      allowPublicClientFlows: true,
      permissions: [{ resource: AZURE_DATABRICKS_RESOURCE_ID, scopes: ['user_impersonation'] }],
      // No tenant-wide admin consent, so that Dana meets the consent page.
      adminConsent: false,
      consentedUsers: ['ana', 'ben', 'carl', 'eve', 'fay'].map((name) => `${name}@contoso.example`),
    },
    {
      clientId: WEB_CLIENT_ID,
      displayName: 'Explorer (web platform)',
      redirectUris: { web: ['https://localhost:5173/'] },
      permissions: [{ resource: AZURE_DATABRICKS_RESOURCE_ID, scopes: ['user_impersonation'] }],
      adminConsent: true,
    },
  ],
  resources: [{ appId: AZURE_DATABRICKS_RESOURCE_ID, displayName: 'AzureDatabricks', scopes: ['user_impersonation'] }],
} satisfies SandboxConfigInput;

function demoUser(name: string, given: string, family: string, oid: string) {
  return {
    upn: `${name}@contoso.example`,
    name: `${given} ${family}`,
    givenName: given,
    familyName: family,
    oid,
    password: `${name}-sandbox`,
  };
}
