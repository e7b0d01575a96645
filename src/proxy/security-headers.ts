import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the Content-Security-Policy must allow beyond the page's own origin. */
export interface SecurityHeaderOptions {
  /**
   * Origins the page talks to directly: the identity provider (token endpoint, metadata, keys).
   * The workspace is reached through the same-origin proxy, so it is never listed here.
   */
  identityOrigins: readonly string[];
  /** The Vite dev server injects CSS with <style> elements; the production build does not. */
  dev: boolean;
}

/**
 * Builds the Content-Security-Policy for the app's pages: scripts only from the page's origin
 * (no inline script, no eval), network access only to the page's origin and the identity
 * provider, frames only from the identity provider (MSAL's silent renewal iframe).
 * @see https://www.w3.org/TR/CSP3/
 */
export function buildContentSecurityPolicy(options: SecurityHeaderOptions): string {
  const idp = options.identityOrigins.join(' ');
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    options.dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${idp ? ` ${idp}` : ''}`,
    `frame-src ${idp || "'none'"}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** The headers set on every response the app's server sends. */
export function buildSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': buildContentSecurityPolicy(options),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
  };
}

/** Connect-style middleware that adds the security headers and passes the request on. */
export function createSecurityHeadersMiddleware(options: SecurityHeaderOptions) {
  const headers = Object.entries(buildSecurityHeaders(options));
  return function securityHeadersMiddleware(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
