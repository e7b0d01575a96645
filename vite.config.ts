/// <reference types="vitest/config" />
import preact from '@preact/preset-vite';
import { defineConfig, loadEnv, type UserConfig } from 'vite';
import { explorerServerPlugin, resolveServerSettings } from './src/proxy/index.ts';
import { ensureLocalTls, sandboxPlugin } from './src/sandbox/index.ts';

// Declarative: read the settings, pick the sandbox or the configured tenant and workspace, list the
// plugins. The proxy, runtime configuration and security headers live in src/proxy; the sandbox
// (started only by `vite` and `vite preview`, never by `vite build`) in src/sandbox.
export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  const settings = resolveServerSettings({
    ...loadEnv(mode, import.meta.dirname, ['EXPLORER_', 'PORT']),
    ...process.env,
  });
  const tls = await ensureLocalTls();
  const https = { key: tls.key, cert: tls.cert };
  const appOrigin = `https://localhost:${settings.port}`;
  const listen = { host: settings.listenHost, port: settings.port, strictPort: true, https };
  // Vitest runs a Vite server of its own: it must not start the sandbox or the proxy.
  const serving = !process.env.VITEST;

  return {
    plugins: [
      preact(),
      serving &&
        explorerServerPlugin({
          identityOrigins: settings.identityOrigins,
          // With the sandbox, "Show me how" names the local CA so its commands work as pasted here.
          runtimeConfig:
            settings.mode === 'sandbox'
              ? { ...settings.runtimeConfig, caBundlePath: tls.caPath }
              : settings.runtimeConfig,
          warnings: settings.warnings,
          proxy: {
            extraHosts: settings.proxyExtraHosts,
            allowPost: settings.allowPost,
            connectTo: settings.proxyConnectTo,
            // The sandbox workspace's certificate comes from the local CA; EXPLORER_PROXY_CA_FILE adds more.
            ...(settings.mode === 'sandbox' || settings.proxyExtraCa
              ? { extraCa: [settings.mode === 'sandbox' ? tls.ca : '', settings.proxyExtraCa ?? ''].join('\n').trim() }
              : {}),
          },
        }),
      serving &&
        settings.mode === 'sandbox' &&
        sandboxPlugin({
          appOrigin,
          entraPort: settings.sandbox.entraPort,
          workspacePort: settings.sandbox.workspacePort,
          tls,
          ...(process.env.EXPLORER_SANDBOX_CONFIG ? { configPath: process.env.EXPLORER_SANDBOX_CONFIG } : {}),
        }),
    ],
    server: listen,
    preview: listen,
    build: { target: 'es2022', sourcemap: true },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'app',
            environment: 'happy-dom',
            include: ['tests/app/**/*.test.{ts,tsx}'],
            setupFiles: ['tests/app/support/setup-dom.ts'],
            // Component tests render up to 10,000 rows in happy-dom; 5 s is too tight on a busy machine.
            testTimeout: 15_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'node',
            environment: 'node',
            include: ['tests/proxy/**/*.test.ts', 'tests/sandbox/**/*.test.ts'],
            // Real HTTPS servers, real MSAL and the Databricks SDK: a test makes several TLS round
            // trips, which take seconds when the machine is busy (npm test must pass at load 8 on 2
            // cores). Key generation happens once per file, in a beforeAll with its own timeout.
            testTimeout: 20_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
