import { isLoopbackHost } from '../loopback.ts';
import type { SandboxApp, SandboxConfig, SandboxResource, SandboxTenant, SandboxUser } from '../config-schema.ts';
import { EntraProtocolError } from './errors.ts';

/** Redirect-URI platforms, as in an app registration's Authentication blade. */
export type Platform = 'spa' | 'web' | 'publicClient';

/** The tenant part of a path: a configured tenant, or one of the multi-tenant aliases. */
export type TenantRef =
  | { kind: 'tenant'; tenant: SandboxTenant; segment: string }
  | { kind: 'common' | 'organizations'; segment: string };

/** Microsoft Graph, which Entra targets when a request names only OpenID Connect scopes. */
export const MICROSOFT_GRAPH: SandboxResource = {
  appId: '00000003-0000-0000-c000-000000000000',
  displayName: 'Microsoft Graph',
  scopes: ['User.Read'],
};

/**
 * Microsoft Graph's application ID URIs in the three clouds. Entra takes a scope in the URL form
 * (`https://graph.microsoft.com/User.Read`) as well as `{app ID}/{scope}`, and a bare scope
 * (`User.Read`) as a Graph scope.
 * @see https://learn.microsoft.com/entra/identity-platform/scopes-oidc#scopes-and-permissions
 */
const GRAPH_IDENTIFIER_URIS = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
];

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

/** A `scope` parameter split into OpenID Connect scopes and one resource's scopes. */
export interface RequestedScopes {
  oidc: Set<OidcScope>;
  resource: SandboxResource;
  /**
   * How the request named the resource, echoed in the token response's `scope` so a client's
   * cache finds the token under the names it asked for: `{app ID}/`, `https://graph.microsoft.com/`,
   * or '' for bare Graph scopes (Entra answers `User.Read` to `User.Read`).
   */
  prefix: string;
  /** True for `{resource}/.default`. */
  isDefault: boolean;
  /** Explicitly requested scope values of the resource (empty with `.default` or for Graph). */
  explicit: string[];
  /** True when no resource scope was named, so the token is for Microsoft Graph. */
  implicitGraph: boolean;
}

/** Read-only views over the configured directory: tenants, users, apps, resources. */
export class Directory {
  readonly config: SandboxConfig;
  private readonly extraSpaRedirectUris: string[];

  constructor(config: SandboxConfig, extraSpaRedirectUris: string[] = []) {
    this.config = config;
    this.extraSpaRedirectUris = extraSpaRedirectUris;
  }

  /** Resolves the first path segment: a tenant ID, a tenant domain, `common` or `organizations`. */
  resolveTenant(segment: string): TenantRef {
    const lower = segment.toLowerCase();
    if (lower === 'common' || lower === 'organizations') return { kind: lower, segment: lower };
    const tenant = this.config.tenants.find((candidate) => candidate.id === lower || candidate.domain === lower);
    if (tenant === undefined) throw new EntraProtocolError(90002, { tenant: segment.slice(0, 100) });
    return { kind: 'tenant', tenant, segment: lower };
  }

  tenantById(id: string): SandboxTenant | undefined {
    return this.config.tenants.find((tenant) => tenant.id === id);
  }

  /** Finds the app; with a specific tenant, only apps registered there. */
  findApp(clientId: string, tenant: TenantRef): SandboxApp {
    const lower = clientId.toLowerCase();
    const app = this.config.apps.find((candidate) => candidate.clientId === lower);
    if (app === undefined || (tenant.kind === 'tenant' && app.tenant !== tenant.tenant.id)) {
      throw new EntraProtocolError(700016, { clientId: clientId.slice(0, 100), tenant: tenant.segment });
    }
    return app;
  }

  findUserByUpn(upn: string): SandboxUser | undefined {
    const lower = upn.trim().toLowerCase();
    return this.config.users.find((user) => user.upn === lower);
  }

  findUserByOid(oid: string): SandboxUser | undefined {
    return this.config.users.find((user) => user.oid === oid);
  }

  findResource(appId: string): SandboxResource | undefined {
    return this.config.resources.find((resource) => resource.appId === appId.toLowerCase());
  }

  redirectUris(app: SandboxApp): Record<Platform, string[]> {
    const spa = [...app.redirectUris.spa];
    // The origin the demo is actually served on belongs to the default single-page app.
    if (app.redirectUris.spa.length > 0) {
      for (const uri of this.extraSpaRedirectUris) if (!spa.includes(uri)) spa.push(uri);
    }
    return { spa, web: app.redirectUris.web, publicClient: app.redirectUris.publicClient };
  }

  /**
   * The platform a redirect URI is registered on, or undefined. Matching is exact, except that
   * for `http://localhost` and `http://127.0.0.1` the port is ignored, as Entra does for loopback
   * redirect URIs of native apps (RFC 8252 §7.3).
   * @see https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions
   */
  redirectPlatform(app: SandboxApp, uri: string): Platform | undefined {
    const registered = this.redirectUris(app);
    for (const platform of ['spa', 'web', 'publicClient'] as const) {
      if (registered[platform].some((candidate) => redirectUriMatches(candidate, uri))) return platform;
    }
    return undefined;
  }

  /**
   * Parses a space-separated `scope` parameter.
   * @throws {EntraProtocolError} 70011 for an unknown scope, 28000 for several resources.
   */
  parseScopes(scope: string): RequestedScopes {
    const oidc = new Set<OidcScope>();
    const byResource = new Map<string, { resource: SandboxResource; values: string[] }>();
    const prefixes = new Map<string, string>();
    for (const item of scope.split(/\s+/).filter(Boolean)) {
      if ((OIDC_SCOPES as readonly string[]).includes(item)) {
        oidc.add(item as OidcScope);
        continue;
      }
      const slash = item.lastIndexOf('/');
      // A bare scope is a Microsoft Graph scope; `https://graph.microsoft.com/` and Graph's app ID
      // name it explicitly. Other resources are named by app ID (or `api://{app ID}`).
      const prefix = slash < 0 ? '' : item.slice(0, slash + 1);
      const resourceId = slash < 0 ? MICROSOFT_GRAPH.appId : item.slice(0, slash).replace(/^api:\/\//, '');
      const rawValue = item.slice(slash + 1);
      if (rawValue === '' || resourceId === '')
        throw new EntraProtocolError(70011, {
          scope: item.slice(0, 200),
          reason: ': name it as {scope}, {resource app ID}/{scope} or {resource URI}/{scope}',
        });
      const resource =
        resourceId === MICROSOFT_GRAPH.appId || GRAPH_IDENTIFIER_URIS.includes(resourceId.toLowerCase())
          ? MICROSOFT_GRAPH
          : this.findResource(resourceId);
      if (resource === undefined) {
        throw new EntraProtocolError(70011, {
          scope: item.slice(0, 200),
          reason: `: no resource with app ID ${resourceId.slice(0, 100)} in this sandbox`,
        });
      }
      // Permission names compare without regard to case (`user.read` is `User.Read`).
      const value =
        rawValue === '.default'
          ? rawValue
          : resource.scopes.find((candidate) => candidate.toLowerCase() === rawValue.toLowerCase());
      if (value === undefined) {
        throw new EntraProtocolError(70011, {
          scope: item.slice(0, 200),
          reason: `: ${resource.displayName} exposes ${resource.scopes.join(', ')}`,
        });
      }
      if (!byResource.has(resource.appId)) prefixes.set(resource.appId, prefix);
      const entry = byResource.get(resource.appId) ?? { resource, values: [] };
      entry.values.push(value);
      byResource.set(resource.appId, entry);
    }
    if (byResource.size > 1) throw new EntraProtocolError(28000, { resources: [...byResource.keys()].join(', ') });
    const [entry] = byResource.values();
    if (entry === undefined)
      return { oidc, resource: MICROSOFT_GRAPH, prefix: '', isDefault: false, explicit: [], implicitGraph: true };
    const isDefault = entry.values.includes('.default');
    if (isDefault && entry.values.length > 1) {
      throw new EntraProtocolError(70011, {
        scope: `${entry.resource.appId}/.default`,
        reason: ': .default cannot be combined with other scopes of the same resource',
      });
    }
    return {
      oidc,
      resource: entry.resource,
      prefix: prefixes.get(entry.resource.appId) ?? `${entry.resource.appId}/`,
      isDefault,
      explicit: isDefault ? [] : entry.values,
      implicitGraph: false,
    };
  }

  /** Scopes of `resource` the app was granted for `user` by configuration (admin or user consent). */
  configuredConsent(app: SandboxApp, user: SandboxUser, resource: SandboxResource): string[] {
    if (resource === MICROSOFT_GRAPH) return MICROSOFT_GRAPH.scopes;
    if (!app.adminConsent && !app.consentedUsers.includes(user.upn)) return [];
    return app.permissions
      .filter((permission) => permission.resource === resource.appId)
      .flatMap((permission) => permission.scopes);
  }

  /** The scopes a request needs consented: the configured permissions for `.default`. */
  neededScopes(app: SandboxApp, requested: RequestedScopes): string[] {
    if (requested.implicitGraph || requested.resource === MICROSOFT_GRAPH) return [];
    if (!requested.isDefault) return requested.explicit;
    return app.permissions
      .filter((permission) => permission.resource === requested.resource.appId)
      .flatMap((permission) => permission.scopes);
  }
}

function redirectUriMatches(registered: string, candidate: string): boolean {
  if (registered === candidate) return true;
  let a: URL;
  let b: URL;
  try {
    a = new URL(registered);
    b = new URL(candidate);
  } catch {
    return false;
  }
  if (a.protocol !== 'http:' || b.protocol !== 'http:' || !isLoopbackHost(a.hostname) || a.hostname !== b.hostname)
    return false;
  // new URL('http://localhost') has pathname '/', so it matches http://localhost:PORT and …:PORT/.
  return (
    a.pathname === b.pathname &&
    a.search === b.search &&
    b.hash === '' &&
    !candidate.includes('#') &&
    b.username === '' &&
    b.password === ''
  );
}
