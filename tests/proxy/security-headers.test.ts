import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, buildSecurityHeaders, resolveServerSettings } from '../../src/proxy';

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

/** The sources of one CSP directive. */
function sources(csp: string, directive: string): string[] {
  const entry = csp
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([name]) => name === directive);
  if (!entry) throw new Error(`no ${directive} in ${csp}`);
  return entry.slice(1);
}

/** Whether a CSP source list lets the page fetch `url` (only the forms this policy uses: 'self' and origins). */
function allows(list: string[], url: string, pageOrigin: string): boolean {
  const origin = new URL(url).origin;
  return list.some((source) => (source === "'self'" ? origin === pageOrigin : source === origin));
}

describe('the page may reach every sign-in host a person can choose, and nothing else', () => {
  const page = 'https://localhost:5173';
  const tenant = '3c9d5e1f-2a4b-4c6d-8e0f-1a2b3c4d5e6f';
  const chosen = [
    'https://login.microsoftonline.com',
    'https://login.microsoftonline.us',
    'https://login.partner.microsoftonline.cn',
  ];
  const servers = {
    'the sandbox (a default npm start)': {},
    'a public-cloud server': {
      EXPLORER_TENANT_ID: tenant,
      EXPLORER_CLIENT_ID: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      EXPLORER_WORKSPACE_URL: 'https://adb-1234567890123456.7.azuredatabricks.net',
    },
    'a China server': {
      EXPLORER_TENANT_ID: tenant,
      EXPLORER_CLIENT_ID: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      EXPLORER_CLOUD: 'china',
      EXPLORER_WORKSPACE_URL: 'https://adb-1234567890123456.7.databricks.azure.cn',
    },
  };

  for (const [name, env] of Object.entries(servers)) {
    it(`on ${name}: token requests and key fetches to each cloud's sign-in host`, () => {
      const connect = sources(
        buildContentSecurityPolicy({ identityOrigins: resolveServerSettings(env).identityOrigins, dev: false }),
        'connect-src',
      );
      for (const host of chosen) {
        expect(allows(connect, `${host}/${tenant}/oauth2/v2.0/token`, page), host).toBe(true);
        expect(allows(connect, `${host}/${tenant}/discovery/v2.0/keys`, page), host).toBe(true);
      }
      for (const refused of [
        'https://login.microsoftonline.com.evil.example/x',
        'https://evil.example/token',
        'http://login.microsoftonline.com/x',
        'https://graph.microsoft.com/v1.0/me',
        'https://adb-1234567890123456.7.azuredatabricks.net/api/2.0/clusters/list',
      ]) {
        expect(allows(connect, refused, page), refused).toBe(false);
      }
      expect(connect.every((source) => source === "'self'" || /^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(source))).toBe(
        true,
      );
    });
  }
});
