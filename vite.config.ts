/// <reference types="vitest/config" />
import preact from '@preact/preset-vite';
import { defineConfig, loadEnv, type Plugin, type UserConfig } from 'vite';
import {
  certificateNotice,
  ensurePortsFree,
  explorerServerPlugin,
  lanNotice,
  refuseLanOnDevServer,
  resolveServerSettings,
  withoutStackTrace,
} from './src/proxy/index.ts';
import { ensureLocalTls, loadSandboxConfig, type SandboxConfig, sandboxPlugin } from './src/sandbox/index.ts';

/**
 * Announces the start-up chunks in the built HTML. The entry (src/app/main.tsx) imports the
 * configuration, MSAL and the app with `import()` the moment it runs; without these links the
 * browser learns of them only once the entry has arrived and run, one round trip later. Every
 * chunk the entry imports dynamically, and their static imports, get `<link rel="modulepreload">`
 * and so load beside the entry. Chunks the app imports later (token views, settings) do not.
 */
function preloadStartupChunks(): Plugin {
  let base = '/';
  return {
    name: 'databricks-entra-explorer:preload-startup-chunks',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, { chunk, bundle }) {
        if (!chunk || !bundle) return;
        const files = new Set<string>();
        const visit = (file: string) => {
          const next = bundle[file];
          if (files.has(file) || file === chunk.fileName || next?.type !== 'chunk') return;
          files.add(file);
          for (const imported of next.imports) visit(imported);
        };
        for (const file of chunk.dynamicImports) visit(file);
        // Vite announces the entry's static imports itself.
        return [...files]
          .filter((file) => !html.includes(`"${base}${file}"`))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

// Declarative: read the settings, pick the sandbox or the configured tenant and workspace, list the
// plugins. The proxy, runtime configuration and security headers live in src/proxy; the sandbox
// (started only by `vite` and `vite preview`, never by `vite build`) in src/sandbox.
export default defineConfig(async ({ mode, command, isPreview }): Promise<UserConfig> => {
  // Vitest runs a Vite server of its own: it must not start the sandbox or the proxy.
  const serving = command === 'serve' && !process.env.VITEST;
  const { settings, tls, sandboxConfig } = await prepare(mode, serving, !isPreview).catch((error: unknown) => {
    // Bad settings, a port in use, a bad sandbox file: one paragraph, not a stack trace.
    throw isStartupError(error) ? withoutStackTrace(error) : error;
  });
  const https = { key: tls.key, cert: tls.cert };
  const appOrigin = `https://localhost:${settings.port}`;
  const lan = settings.lan;
  // In LAN mode Vite must also answer requests addressed to the LAN name (it answers only
  // localhost and IP addresses by default, against DNS rebinding).
  const listen = {
    host: settings.listenHost,
    port: settings.port,
    strictPort: true,
    https,
    ...(lan ? { allowedHosts: [lan.host] } : {}),
  };

  return {
    plugins: [
      preact(),
      preloadStartupChunks(),
      serving &&
        explorerServerPlugin({
          identityOrigins: settings.identityOrigins,
          // With the sandbox, "Show me how" names the local CA so its commands work as pasted here.
          runtimeConfig:
            settings.mode === 'sandbox'
              ? { ...settings.runtimeConfig, caBundlePath: tls.caPath }
              : settings.runtimeConfig,
          warnings: settings.warnings,
          notices: [
            ...certificateNotice(tls.caPath, lan ? lan.appOrigin : appOrigin),
            ...(lan
              ? lanNotice(
                  lan,
                  tls.ca,
                  settings.mode === 'sandbox'
                    ? `https://localhost:${settings.sandbox.entraPort}/_sandbox/console`
                    : undefined,
                )
              : []),
          ],
          // Public: colleagues in a team demo download it to trust the app's and the sandbox's certificates.
          caCertificate: tls.ca,
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
          ...(lan ? { lan } : {}),
          entraPort: settings.sandbox.entraPort,
          workspacePort: settings.sandbox.workspacePort,
          tls,
          ...(sandboxConfig ? { config: sandboxConfig } : {}),
        }),
    ],
    server: listen,
    preview: listen,
    // No modulepreload polyfill (0.5 KB gzip before the first paint): every browser that runs the es2022
    // build supports <link rel="modulepreload"> natively except Safari < 17, which only loads the chunks later.
    build: { target: 'es2022', sourcemap: true, modulePreload: { polyfill: false } },
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

/**
 * Everything checked before a server starts: the settings, LAN mode (refused for the dev server),
 * the sandbox configuration file named by EXPLORER_SANDBOX_CONFIG, and the ports.
 */
async function prepare(mode: string, serving: boolean, devServer: boolean) {
  const settings = resolveServerSettings({
    ...loadEnv(mode, import.meta.dirname, ['EXPLORER_', 'PORT']),
    ...process.env,
  });
  let sandboxConfig: SandboxConfig | undefined;
  if (serving) {
    refuseLanOnDevServer(settings, devServer);
    const configPath = process.env.EXPLORER_SANDBOX_CONFIG?.trim();
    if (settings.mode === 'sandbox' && configPath) {
      sandboxConfig = await loadSandboxConfig(configPath, 'EXPLORER_SANDBOX_CONFIG');
    }
    // Once per process: when the dev server restarts (a changed .env), the old one still holds them.
    const checked = Symbol.for('databricks-entra-explorer.ports-checked');
    const done = (globalThis as Record<symbol, unknown>)[checked] === true;
    (globalThis as Record<symbol, unknown>)[checked] = true;
    if (!done) {
      await ensurePortsFree(settings.listenHost, [{ port: settings.port, what: 'the app' }]);
      if (settings.mode === 'sandbox') {
        // The sandbox listens on loopback, and in LAN mode on the LAN address as well.
        const hosts = settings.lan ? [...new Set(['localhost', settings.lan.address])] : ['localhost'];
        for (const host of hosts)
          await ensurePortsFree(host, [
            { port: settings.sandbox.entraPort, what: 'the sandbox Entra ID' },
            { port: settings.sandbox.workspacePort, what: 'the sandbox workspace' },
          ]);
      }
    }
  }
  // In LAN mode the certificate also names the LAN host (kept apart in lan.pem, see ensureLocalTls).
  return { settings, tls: await ensureLocalTls(undefined, settings.lan ? [settings.lan.host] : []), sandboxConfig };
}

const STARTUP_CODES = new Set([
  'SETTINGS_INVALID',
  'SERVER_PORT_IN_USE',
  'SERVER_LAN_ON_DEV_SERVER',
  'SANDBOX_CONFIG_INVALID',
  'SANDBOX_CONFIG_UNREADABLE',
]);

function isStartupError(error: unknown): error is Error {
  return error instanceof Error && STARTUP_CODES.has((error as { code?: unknown }).code as string);
}
