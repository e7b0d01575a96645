import { resolve } from 'node:path';
import type { Connect, Logger, Plugin } from 'vite';
import { createAssetCachingMiddleware } from './asset-caching.ts';
import { createLocalCaMiddleware } from './local-ca.ts';
import { createProxyMiddleware, type ProxyOptions } from './middleware.ts';
import {
  createRuntimeConfigMiddleware,
  createRuntimeConfigPageMiddleware,
  injectRuntimeConfig,
} from './runtime-config.ts';
import { createSecurityHeadersMiddleware, type SecurityHeaderOptions } from './security-headers.ts';
import type { RuntimeConfig } from './settings.ts';
import { type ConnectionLimits, limitSlowClients } from './slow-clients.ts';

export {
  buildContentSecurityPolicy,
  buildSecurityHeaders,
  createSecurityHeadersMiddleware,
} from './security-headers.ts';
export type { SecurityHeaderOptions } from './security-headers.ts';
export {
  classifyUpstreamError,
  createProxyMiddleware,
  FORWARDED_REQUEST_HEADERS,
  INERT_RESPONSE_HEADERS,
  type ProxyMiddleware,
  type ProxyOptions,
  type ProxyTimeouts,
  type ResolvedProxyConfig,
} from './middleware.ts';
export {
  MAX_URL_LENGTH,
  PROXY_PREFIX,
  resolveProxyTarget,
  WORKSPACE_HOST_FORMS,
  WORKSPACE_HOST_PATTERNS,
  type ProxyTarget,
} from './allowlist.ts';
export { createLocalCaMiddleware, LOCAL_CA_PATH } from './local-ca.ts';
export {
  createRuntimeConfigMiddleware,
  createRuntimeConfigPageMiddleware,
  injectRuntimeConfig,
  RUNTIME_CONFIG_ELEMENT_ID,
  RUNTIME_CONFIG_PATH,
} from './runtime-config.ts';
export { createAssetCachingMiddleware, IMMUTABLE_CACHE_CONTROL } from './asset-caching.ts';
export {
  AUTHORITY_ORIGINS,
  signInOrigins,
  resolveServerSettings,
  SANDBOX_CLIENT_ID,
  SANDBOX_TENANT_ID,
  type AzureCloud,
  type AzureServerSettings,
  type LanSettings,
  type RuntimeConfig,
  type SandboxServerSettings,
  type ServerSettings,
} from './settings.ts';
export { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS, limitSlowClients } from './slow-clients.ts';
export { isProxyError, ProxyError, ServerSettingsError, ServerStartError, type ProxyErrorCode } from './errors.ts';
export { certificateNotice, ensurePortsFree, lanNotice, refuseLanOnDevServer, withoutStackTrace } from './startup.ts';

/** Options for {@link explorerServerPlugin}. */
export interface ExplorerServerOptions {
  /** Origins of the identity provider the page may contact (for the CSP). */
  identityOrigins: readonly string[];
  /** Served at `GET /explorer-config.json`. Default `{}` (the page then asks for settings). */
  runtimeConfig?: RuntimeConfig;
  /** The local CA's certificate (PEM, public), served at `GET /local-ca.pem` for colleagues to trust. */
  caCertificate?: string;
  /** The Databricks proxy: extra hosts (the sandbox workspace), extra CA, POST, timeouts. */
  proxy?: Omit<ProxyOptions, 'log'>;
  /** Printed once when the server starts (e.g. the LAN warning from `resolveServerSettings`). */
  warnings?: readonly string[];
  /** Printed once when the server starts, as information (e.g. {@link certificateNotice}). */
  notices?: readonly string[];
  /** Where proxy failures and start-up lines go. Default: Vite's logger. */
  log?: (line: string) => void;
  /** Limits for slow or idle clients of the app's port (see {@link limitSlowClients}). */
  connectionLimits?: ConnectionLimits;
}

/**
 * The app's server-side half, for both `vite` (dev) and `vite preview` (production build):
 * security headers on every response, the runtime configuration at `/explorer-config.json` (and inside
 * the page), the local CA certificate at `/local-ca.pem` (when given), and the Databricks proxy at
 * `/databricks/{host}/api/…`; in preview, the build's hashed `/assets/*` files are sent `immutable`
 * (see {@link createAssetCachingMiddleware}). Everything else falls through to Vite
 * (static files, SPA fallback). Also turns off Vite's default CORS grant for localhost origins:
 * the page is same-origin, and no other page should read from this server.
 * @throws TypeError for a malformed `proxy.extraHosts` entry
 */
export function explorerServerPlugin(options: ExplorerServerOptions): Plugin {
  const configMiddleware = createRuntimeConfigMiddleware(options.runtimeConfig ?? {});
  const caMiddleware = options.caCertificate ? createLocalCaMiddleware(options.caCertificate) : undefined;

  function install(
    server: {
      middlewares: Connect.Server;
      httpServer: import('node:http').Server | import('node:http2').Http2SecureServer | null;
      config: { logger: Logger };
    },
    dev: boolean,
    outDir?: string,
  ): void {
    const logger = server.config.logger;
    const warn = options.log ?? ((line: string) => logger.warn(line, { timestamp: true }));
    const info = options.log ?? ((line: string) => logger.info(line));
    const proxy = createProxyMiddleware({ ...options.proxy, log: warn });
    server.middlewares.use(
      createSecurityHeadersMiddleware({
        identityOrigins: options.identityOrigins,
        dev,
      } satisfies SecurityHeaderOptions),
    );
    // The production build's hashed chunks are cached for good; the dev server's modules never are.
    if (!dev && outDir) {
      server.middlewares.use(createAssetCachingMiddleware(outDir));
      // The page carries its runtime configuration: no second request before the app can start.
      server.middlewares.use(createRuntimeConfigPageMiddleware(outDir, options.runtimeConfig ?? {}));
    }
    server.middlewares.use(configMiddleware);
    if (caMiddleware) server.middlewares.use(caMiddleware);
    server.middlewares.use(proxy as Connect.NextHandleFunction);
    const announce = () => {
      info(proxy.describe());
      for (const line of options.notices ?? []) info(line);
      for (const line of options.warnings ?? []) warn(`[explorer] WARNING: ${line}`);
    };
    if (server.httpServer) {
      limitSlowClients(server.httpServer, options.connectionLimits);
      server.httpServer.once('listening', announce);
      server.httpServer.once('close', () => void proxy.close());
    } else {
      announce();
    }
  }

  return {
    name: 'databricks-entra-explorer:server',
    config() {
      return { server: { cors: false }, preview: { cors: false } };
    },
    configureServer(server) {
      install(server, true);
    },
    // The dev server's page carries the runtime configuration too (preview: the middleware above).
    transformIndexHtml: {
      order: 'post',
      handler: (html) => injectRuntimeConfig(html, options.runtimeConfig ?? {}),
    },
    configurePreviewServer(server) {
      // The folder vite preview serves (its client environment's build output).
      const { root, environments, build } = server.config;
      install(server, false, resolve(root, environments.client?.build.outDir ?? build.outDir));
    },
  };
}
