import type { SandboxApp, SandboxUser } from '../config-schema.ts';
import { type Directory, MICROSOFT_GRAPH, type RequestedScopes } from './directory.ts';
import type { FaultState } from './faults.ts';
import type { EntraStore } from './store.ts';
import type { TokenMinter } from './tokens.ts';

/** What every handler of the sandbox Entra ID works with. */
export interface EntraContext {
  directory: Directory;
  store: EntraStore;
  minter: TokenMinter;
  faults: FaultState;
  /** `https://host:port`, no trailing slash. */
  publicUrl: string;
  /** Name of the session cookie (includes the port: cookies do not separate ports). */
  cookieName: string;
  now(): number;
}

/** Scopes of the requested resource the user has consented to for this app (configured or on the consent page). */
export function grantedScopes(
  ctx: EntraContext,
  app: SandboxApp,
  user: SandboxUser,
  scopes: RequestedScopes,
): string[] {
  // A withdrawn consent (a presenter's scenario) hides what the configuration granted.
  const configured = ctx.faults.consentWithdrawn(user.upn)
    ? []
    : ctx.directory.configuredConsent(app, user, scopes.resource);
  const prefix = `${scopes.resource.appId}/`;
  const runtime = [...ctx.store.consentsOf(app.clientId, user.oid)]
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length));
  return scopes.resource.scopes.filter((scope) => configured.includes(scope) || runtime.includes(scope));
}

/** Scopes the request needs that the user has not consented to. */
export function missingConsent(
  ctx: EntraContext,
  app: SandboxApp,
  user: SandboxUser,
  scopes: RequestedScopes,
): string[] {
  const granted = grantedScopes(ctx, app, user, scopes);
  const needed = ctx.directory.neededScopes(app, scopes);
  // `.default` with nothing configured for the resource is never consentable (Microsoft Graph's
  // User.Read is consented for every user here, so Graph's `.default` always has something).
  if (scopes.isDefault && needed.length === 0 && scopes.resource !== MICROSOFT_GRAPH)
    return [`${scopes.resource.appId}/.default`];
  return needed.filter((scope) => !granted.includes(scope));
}

/** Whether the user must pass the MFA step: configured so, or asked for by the `requireMfaFor` fault. */
export function needsMfa(ctx: EntraContext, user: SandboxUser): boolean {
  return user.mfa || ctx.faults.requiresMfa(user.upn);
}
