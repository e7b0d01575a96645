import type { Plugin } from 'vite';
import { createSecurityHeadersMiddleware, type SecurityHeaderOptions } from './security-headers.ts';

export { buildContentSecurityPolicy, buildSecurityHeaders } from './security-headers.ts';
export type { SecurityHeaderOptions } from './security-headers.ts';

/** Options for {@link explorerServerPlugin}. */
export interface ExplorerServerOptions {
  /** Origins of the identity provider the page may contact (for the CSP). */
  identityOrigins: readonly string[];
}

/**
 * The app's server-side half, for both `vite` (dev) and `vite preview` (production build):
 * security headers on every response.
 */
export function explorerServerPlugin(options: ExplorerServerOptions): Plugin {
  const headersFor = (dev: boolean) =>
    createSecurityHeadersMiddleware({ identityOrigins: options.identityOrigins, dev } satisfies SecurityHeaderOptions);
  return {
    name: 'databricks-entra-explorer:server',
    configureServer(server) {
      server.middlewares.use(headersFor(true));
    },
    configurePreviewServer(server) {
      server.middlewares.use(headersFor(false));
    },
  };
}
