import { z } from 'zod';
import { DEFAULT_WORKSPACE_CONFIG, workspaceConfigSchema } from './databricks/config.ts';
import { GUID_PATTERN } from './well-known.ts';

/**
 * The sandbox configuration file (`--config`, JSON with comments): tenants, users, app
 * registrations, resources, token lifetimes, sign-in page options and faults for the sandbox
 * Entra ID, plus the `workspace` section owned by the sandbox workspace.
 *
 * The schema of each section and the checked types; every top-level key has a default, so `{}`
 * is the built-in demo (`demo-config.ts`).
 * @see https://learn.microsoft.com/entra/identity-platform/reference-app-manifest
 */

const guid = z
  .string()
  .regex(GUID_PATTERN, 'expected a GUID such as 00000000-0000-0000-0000-000000000000')
  .transform((value) => value.toLowerCase());
const domain = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
    'expected a domain name such as contoso.example',
  )
  .transform((value) => value.toLowerCase());
const upn = z
  .string()
  .regex(/^[^\s@]{1,64}@[^\s@]{1,253}$/, 'expected a user principal name such as ana@contoso.example')
  .transform((value) => value.toLowerCase());
const absoluteUri = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}, 'expected an absolute URI without a fragment, such as https://localhost:5173/');
const scopeValue = z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/, 'expected a scope value such as user_impersonation');
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

export const tenantSchema = z.strictObject({
  /** Directory (tenant) ID. */
  id: guid,
  /** The tenant's verified domain; `/{domain}/…` paths resolve to this tenant. */
  domain,
  displayName: z.string().min(1).max(200).default('Sandbox tenant'),
});

export const userSchema = z.strictObject({
  upn,
  /** Display name (`name` claim). */
  name: z.string().min(1).max(200),
  givenName: z.string().min(1).max(100).optional(),
  familyName: z.string().min(1).max(100).optional(),
  /** Object ID (`oid` claim, `uid` in client_info). */
  oid: guid,
  password: z.string().min(1).max(256),
  /** Home tenant ID; default: the tenant whose domain is the UPN's domain, else the first tenant. */
  tenant: guid.optional(),
  /** Ask for a verification code after the password (and refuse ROPC with AADSTS50076). */
  mfa: z.boolean().default(false),
  /** Group object IDs, emitted as the `groups` claim in access tokens when non-empty. */
  groups: z.array(z.string().min(1).max(200)).default([]),
});

export const appSchema = z.strictObject({
  /** Application (client) ID. */
  clientId: guid,
  displayName: z.string().min(1).max(200),
  /** The tenant the app is registered in; default: the first tenant. */
  tenant: guid.optional(),
  /** Redirect URIs per platform; each is matched exactly (see the README for the localhost rule). */
  redirectUris: z
    .strictObject({
      spa: z.array(absoluteUri).default([]),
      web: z.array(absoluteUri).default([]),
      publicClient: z.array(absoluteUri).default([]),
    })
    .default({ spa: [], web: [], publicClient: [] }),
  /** "Allow public client flows": enables the password grant (ROPC). */
  allowPublicClientFlows: z.boolean().default(false),
  /** Configured delegated permissions ("API permissions"), by resource app ID. */
  permissions: z.array(z.strictObject({ resource: guid, scopes: z.array(scopeValue).min(1) })).default([]),
  /** Admin consent granted for the whole tenant. */
  adminConsent: z.boolean().default(false),
  /** Users (UPNs) who consented to the configured permissions themselves. */
  consentedUsers: z.array(upn).default([]),
});

export const resourceSchema = z.strictObject({
  /** The resource's application ID: the `aud` of its access tokens. */
  appId: guid,
  displayName: z.string().min(1).max(200),
  /** Delegated scopes it exposes (`scp` values). */
  scopes: z.array(scopeValue).min(1),
});

export const tokensSchema = z.strictObject({
  /** Fixed access-token lifetime; `null` (default) draws 3600–5400 s at random, as Entra does. */
  accessTokenLifetimeSeconds: seconds(60, 86_400).nullable().default(null),
  idTokenLifetimeSeconds: seconds(60, 86_400).default(3600),
  codeLifetimeSeconds: seconds(1, 3600).default(600),
  /** Refresh tokens issued to single-page apps: fixed from sign-in (Entra: 24 hours). */
  spaRefreshTokenLifetimeSeconds: seconds(60, 90 * 86_400).default(86_400),
  /** Other refresh tokens: expire after this much inactivity (Entra: 90 days). */
  refreshTokenLifetimeSeconds: seconds(60, 365 * 86_400).default(90 * 86_400),
});

export const signInSchema = z.strictObject({
  /** The code the MFA step accepts. */
  mfaCode: z
    .string()
    .regex(/^[0-9]{4,8}$/, 'expected 4 to 8 digits')
    .default('123456'),
  /** List the configured users as one-click sign-in buttons. */
  listUsers: z.boolean().default(true),
});

const endpointFaultSchema = z.strictObject({
  /** HTTP status to answer with. */
  status: z.number().int().min(400).max(599),
  /** Affect the next `count` requests, then clear; default: every request until cleared. */
  count: z.number().int().positive().max(1_000_000).optional(),
  /** The OAuth `error` value (default `temporarily_unavailable` for 5xx, `invalid_request` otherwise). */
  error: z
    .string()
    .regex(/^[a-z_]{1,64}$/, 'expected an OAuth error value such as temporarily_unavailable')
    .optional(),
  /** Adds `Retry-After` (seconds). */
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
});

/** Faults to inject; the same shape is accepted at runtime by `PUT /_sandbox/faults`. */
export const entraFaultsSchema = z.strictObject({
  /** Delay every protocol response by this many milliseconds. */
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  /** Fail `POST …/oauth2/v2.0/token`. */
  tokenEndpoint: endpointFaultSchema.optional(),
  /** Fail `GET …/oauth2/v2.0/authorize` (an error page, as Entra shows for server errors). */
  authorizeEndpoint: endpointFaultSchema.optional(),
  /** Fail the metadata, keys, instance discovery and userrealm endpoints. */
  discovery: endpointFaultSchema.optional(),
  /**
   * Revoke every refresh token these users hold (and their sign-in sessions) at the moment the
   * fault is applied; later sign-ins get working tokens again.
   */
  revokeRefreshTokensFor: z.union([upn, z.array(upn)]).optional(),
  /** Override the access-token lifetime while set. */
  accessTokenLifetimeSeconds: seconds(1, 86_400).optional(),
  /**
   * While set, these users must pass the MFA step, as a Conditional Access policy would ask:
   * sign-ins show it, and refresh tokens obtained without MFA get AADSTS50076.
   */
  requireMfaFor: z.union([upn, z.array(upn)]).optional(),
  /**
   * While set, the consent the configuration gives these users is withdrawn, and consents they
   * gave on the consent page are forgotten at the moment the fault is applied; consenting again works.
   */
  withdrawConsentFor: z.union([upn, z.array(upn)]).optional(),
});
export type EntraFaults = z.infer<typeof entraFaultsSchema>;
export type EndpointFault = z.infer<typeof endpointFaultSchema>;

/** The whole file; every top-level key optional (see the demo defaults in `demo-config.ts`). */
export const sandboxConfigObject = z.strictObject({
  $schema: z.string().optional(),
  tenants: z.array(tenantSchema).min(1).optional(),
  users: z.array(userSchema).optional(),
  apps: z.array(appSchema).optional(),
  resources: z.array(resourceSchema).optional(),
  tokens: tokensSchema.default(tokensSchema.parse({})),
  signIn: signInSchema.default(signInSchema.parse({})),
  faults: entraFaultsSchema.default({}),
  workspace: workspaceConfigSchema.default(DEFAULT_WORKSPACE_CONFIG),
});

export type ParsedObject = z.output<typeof sandboxConfigObject>;
export type User = z.output<typeof userSchema>;
export type App = z.output<typeof appSchema>;

/** A checked user: `tenant` resolved. */
export type SandboxUser = Omit<User, 'tenant'> & { tenant: string };
/** A checked app registration: `tenant` resolved. */
export type SandboxApp = Omit<App, 'tenant'> & { tenant: string };
export type SandboxTenant = z.output<typeof tenantSchema>;
export type SandboxResource = z.output<typeof resourceSchema>;

/** The checked configuration every sandbox part receives. */
export interface SandboxConfig {
  tenants: SandboxTenant[];
  users: SandboxUser[];
  apps: SandboxApp[];
  resources: SandboxResource[];
  tokens: ParsedObject['tokens'];
  signIn: ParsedObject['signIn'];
  faults: EntraFaults;
  workspace: ParsedObject['workspace'];
}

/** The configuration file as written: every top-level key optional. */
export type SandboxConfigInput = z.input<typeof sandboxConfigObject>;
