import { defineConfig, type UserConfig } from 'vite';
import { explorerServerPlugin, resolveServerSettings } from '../../../src/proxy/index.ts';
import { ensureLocalTls, sandboxPlugin } from '../../../src/sandbox/index.ts';

/**
 * `vite preview` of the built app, as vite.config.ts serves it with the sandbox, except that the
 * sandbox workspace listens on PORT+3 while the app and its proxy still use PORT+2: nothing
 * listens there, so the workspace host is down. The host-down drill brings it up by forwarding
 * PORT+2 to PORT+3 from the test (EXPLORER_* settings cannot point the sandbox elsewhere).
 */
export default defineConfig(async (): Promise<UserConfig> => {
  const settings = resolveServerSettings({
    ...process.env,
    EXPLORER_TENANT_ID: '',
    EXPLORER_CLIENT_ID: '',
    EXPLORER_WORKSPACE_URL: '',
  });
  if (settings.mode !== 'sandbox')
    throw new Error(
      'The host-down server runs the sandbox only; unset EXPLORER_TENANT_ID, EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL.',
    );
  const tls = await ensureLocalTls();
  const listen = {
    host: settings.listenHost,
    port: settings.port,
    strictPort: true,
    https: { key: tls.key, cert: tls.cert },
  };
  return {
    plugins: [
      explorerServerPlugin({
        identityOrigins: settings.identityOrigins,
        runtimeConfig: settings.runtimeConfig,
        warnings: settings.warnings,
        proxy: { extraHosts: settings.proxyExtraHosts, allowPost: settings.allowPost, extraCa: tls.ca },
      }),
      sandboxPlugin({
        appOrigin: `https://localhost:${settings.port}`,
        entraPort: settings.sandbox.entraPort,
        workspacePort: settings.sandbox.workspacePort + 1,
        workspacePublicUrl: settings.sandbox.workspaceUrl,
        tls,
      }),
    ],
    preview: listen,
  };
});
