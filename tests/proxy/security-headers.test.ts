import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, buildSecurityHeaders } from '../../src/proxy';

describe('security headers', () => {
  it('allows scripts only from the page origin, with no inline script or eval', () => {
    const csp = buildContentSecurityPolicy({ identityOrigins: [], dev: false });
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('lets the page reach the identity provider and frame it, and nothing else', () => {
    const csp = buildContentSecurityPolicy({ identityOrigins: ['https://login.microsoftonline.com'], dev: false });
    expect(csp).toContain("connect-src 'self' https://login.microsoftonline.com");
    expect(csp).toContain('frame-src https://login.microsoftonline.com');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('allows inline styles only for the dev server', () => {
    expect(buildContentSecurityPolicy({ identityOrigins: [], dev: true })).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
  });

  it('sends no referrer and forbids MIME sniffing', () => {
    const headers = buildSecurityHeaders({ identityOrigins: [], dev: false });
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });
});
