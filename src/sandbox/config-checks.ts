import { isLoopbackHost } from './loopback.ts';
import type { App, ParsedObject, SandboxConfig, SandboxResource, SandboxTenant, User } from './config-schema.ts';

export interface CrossProblem {
  path: (string | number)[];
  message: string;
}

/** The file's sections with the demo defaults filled in, before tenants are resolved. */
export type Merged = Omit<ParsedObject, 'tenants' | 'users' | 'apps' | 'resources'> & {
  tenants: SandboxTenant[];
  users: User[];
  apps: App[];
  resources: SandboxResource[];
};

/** Problems that span sections: duplicates, and references to tenants, resources, scopes and users that do not exist. */
export function crossCheck(config: Merged): CrossProblem[] {
  const problems: CrossProblem[] = [];
  const tenantIds = new Set<string>();
  const domains = new Set<string>();
  config.tenants.forEach((tenant, index) => {
    if (tenantIds.has(tenant.id))
      problems.push({ path: ['tenants', index, 'id'], message: `duplicate tenant ID ${tenant.id}` });
    if (domains.has(tenant.domain))
      problems.push({ path: ['tenants', index, 'domain'], message: `duplicate domain ${tenant.domain}` });
    tenantIds.add(tenant.id);
    domains.add(tenant.domain);
  });
  const upns = new Set<string>();
  const oids = new Set<string>();
  config.users.forEach((user, index) => {
    if (upns.has(user.upn)) problems.push({ path: ['users', index, 'upn'], message: `duplicate UPN ${user.upn}` });
    if (oids.has(user.oid))
      problems.push({ path: ['users', index, 'oid'], message: `duplicate object ID ${user.oid}` });
    upns.add(user.upn);
    oids.add(user.oid);
    if (user.tenant !== undefined && !tenantIds.has(user.tenant)) {
      problems.push({
        path: ['users', index, 'tenant'],
        message: `no tenant with ID ${user.tenant}; add it to tenants or remove the key`,
      });
    }
  });
  const resources = new Map(config.resources.map((resource) => [resource.appId, resource]));
  const clientIds = new Set<string>();
  config.apps.forEach((app, index) => {
    if (clientIds.has(app.clientId))
      problems.push({ path: ['apps', index, 'clientId'], message: `duplicate client ID ${app.clientId}` });
    clientIds.add(app.clientId);
    if (app.tenant !== undefined && !tenantIds.has(app.tenant)) {
      problems.push({
        path: ['apps', index, 'tenant'],
        message: `no tenant with ID ${app.tenant}; add it to tenants or remove the key`,
      });
    }
    app.redirectUris.spa.forEach((uri, uriIndex) => {
      if (!isSecureOrLoopback(uri)) {
        problems.push({
          path: ['apps', index, 'redirectUris', 'spa', uriIndex],
          message: `single-page-app redirect URIs must use https (or http on localhost): ${uri}`,
        });
      }
    });
    app.redirectUris.web.forEach((uri, uriIndex) => {
      if (!isSecureOrLoopback(uri)) {
        problems.push({
          path: ['apps', index, 'redirectUris', 'web', uriIndex],
          message: `web redirect URIs must use https (or http on localhost): ${uri}`,
        });
      }
    });
    app.permissions.forEach((permission, permissionIndex) => {
      const resource = resources.get(permission.resource);
      if (resource === undefined) {
        problems.push({
          path: ['apps', index, 'permissions', permissionIndex, 'resource'],
          message: `no resource with app ID ${permission.resource}; add it to resources`,
        });
        return;
      }
      permission.scopes.forEach((scope, scopeIndex) => {
        if (!resource.scopes.includes(scope)) {
          problems.push({
            path: ['apps', index, 'permissions', permissionIndex, 'scopes', scopeIndex],
            message: `${resource.displayName} exposes no scope "${scope}"; it has: ${resource.scopes.join(', ')}`,
          });
        }
      });
    });
    app.consentedUsers.forEach((consented, userIndex) => {
      if (!upns.has(consented)) {
        problems.push({ path: ['apps', index, 'consentedUsers', userIndex], message: `no user with UPN ${consented}` });
      }
    });
  });
  return problems;
}

function isSecureOrLoopback(uri: string): boolean {
  const url = new URL(uri);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Gives each user and app its tenant (by UPN domain, else the first tenant). */
export function resolveTenants(config: Merged): SandboxConfig {
  const first = config.tenants[0]!.id;
  const byDomain = new Map(config.tenants.map((tenant) => [tenant.domain, tenant.id]));
  return {
    ...config,
    users: config.users.map((user) => ({
      ...user,
      tenant: user.tenant ?? byDomain.get(user.upn.split('@')[1]!) ?? first,
    })),
    apps: config.apps.map((app) => ({ ...app, tenant: app.tenant ?? first })),
  };
}
