/**
 * Ports, names and values of the real-shape journeys (tests/e2e/real-shape.spec.ts), shared by the
 * Playwright config, the sandbox runner and the spec. Everything is derived from E2E_PORT.
 *
 * The browser reaches `login.microsoftonline.com` (and the US Government and China sign-in hosts)
 * through Chromium's host-resolver rules, the proxy reaches `adb-….azuredatabricks.net` (and the
 * `.us` / `.cn` workspaces) through EXPLORER_PROXY_CONNECT_TO; both land on sandboxes serving
 * under those names with certificates from the local CA.
 */
export type Cloud = 'public' | 'usgov' | 'china';

export const CLOUDS: readonly Cloud[] = ['public', 'usgov', 'china'];

export const TENANT_ID = '3c9d5e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f';
export const CLIENT_ID = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
export const USER = { upn: 'nora@fabrikam.onmicrosoft.com', password: 'nora-sandbox', name: 'Nora Data' };
export const OTHER_USER = { upn: 'omar@fabrikam.onmicrosoft.com', password: 'omar-sandbox', name: 'Omar Ops' };

export const SIGN_IN_HOST: Record<Cloud, string> = {
  public: 'login.microsoftonline.com',
  usgov: 'login.microsoftonline.us',
  china: 'login.partner.microsoftonline.cn',
};

export const WORKSPACE_HOST: Record<Cloud, string> = {
  public: 'adb-1234567890123456.7.azuredatabricks.net',
  usgov: 'adb-2345678901234567.8.databricks.azure.us',
  china: 'adb-3456789012345678.9.databricks.azure.cn',
};

export function realShapePorts(base = Number(process.env.E2E_PORT ?? 5273)) {
  const index = (cloud: Cloud) => CLOUDS.indexOf(cloud);
  return {
    /** A default `npm start` (sandbox mode; its own sandbox on +41 and +42), configured in Settings. */
    settingsApp: base + 40,
    /** `vite preview` configured by EXPLORER_* for one cloud. */
    envApp: (cloud: Cloud) => base + 43 + index(cloud),
    /** The sandbox Entra ID serving as the cloud's sign-in host. */
    entra: (cloud: Cloud) => base + 50 + 2 * index(cloud),
    /** The sandbox workspace serving as the cloud's workspace. */
    workspace: (cloud: Cloud) => base + 51 + 2 * index(cloud),
  };
}

/** Every app origin the journeys use (registered as the app's single-page-app redirect URIs). */
export function appOrigins(base?: number): string[] {
  const ports = realShapePorts(base);
  return [ports.settingsApp, ...CLOUDS.map(ports.envApp)].map((port) => `https://localhost:${port}`);
}

/** Chromium's `--host-resolver-rules`: each real host name to its sandbox on loopback. */
export function hostResolverRules(base?: number): string {
  const ports = realShapePorts(base);
  return CLOUDS.flatMap((cloud) => [
    `MAP ${SIGN_IN_HOST[cloud]} 127.0.0.1:${ports.entra(cloud)}`,
    `MAP ${WORKSPACE_HOST[cloud]} 127.0.0.1:${ports.workspace(cloud)}`,
  ]).join(', ');
}

/** EXPLORER_PROXY_CONNECT_TO for the three workspaces, as a person would write it for a tunnel. */
export function proxyConnectTo(base?: number): string {
  const ports = realShapePorts(base);
  return CLOUDS.map((cloud) => `${WORKSPACE_HOST[cloud]}:443:127.0.0.1:${ports.workspace(cloud)}`).join(',');
}

/** Where the runner writes the certificate it serves (the spec pins its key in Chromium). */
export function certificatePath(base = Number(process.env.E2E_PORT ?? 5273)): string {
  return `test-results/e2e-server/real-shape-${base}.pem`;
}
