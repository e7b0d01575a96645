import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { z } from 'zod';
import { DEFAULT_WORKSPACE_CONFIG, workspaceConfigSchema } from './databricks/config.ts';

/**
 * The sandbox configuration file (`--config`, JSON with comments): tenants, users, app
 * registrations, resources, token lifetimes, sign-in page options and faults for the sandbox
 * Entra ID, plus the `workspace` section owned by the sandbox workspace.
 *
 * Every top-level key has a default, so `{}` is the built-in demo ({@link DEFAULT_SANDBOX_CONFIG}).
 * @see https://learn.microsoft.com/entra/identity-platform/reference-app-manifest
 */

/** The Azure Databricks first-party application (resource) ID. */
export const AZURE_DATABRICKS_RESOURCE_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = z
  .string()
  .regex(GUID_RE, 'expected a GUID such as 00000000-0000-0000-0000-000000000000')
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

const sandboxConfigObject = z.strictObject({
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

type ParsedObject = z.output<typeof sandboxConfigObject>;
type User = z.output<typeof userSchema>;
type App = z.output<typeof appSchema>;

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

const DEMO_TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const SPA_CLIENT_ID = '12a34b56-789c-0d12-e3fa-b456789c0123';
const WEB_CLIENT_ID = '98f7e6d5-4c3b-2a19-8d7e-6f5a4b3c2d1e';

/** The built-in demo directory, used for each top-level key the file leaves out. */
const DEFAULT_INPUT = {
  tenants: [{ id: DEMO_TENANT, domain: 'contoso.example', displayName: 'Contoso (sandbox)' }],
  users: [
    demoUser('ana', 'Ana', 'Analyst', '0a11ce00-0000-4000-8000-000000000001'),
    demoUser('ben', 'Ben', 'Admin', '0b0b0000-0000-4000-8000-000000000002'),
    demoUser('carl', 'Carl', 'Outsider', '0c0c0000-0000-4000-8000-000000000003'),
    demoUser('dana', 'Dana', 'Newcomer', '0d0d0000-0000-4000-8000-000000000004'),
    { ...demoUser('eve', 'Eve', 'Secure', '0e0e0000-0000-4000-8000-000000000005'), mfa: true },
    demoUser('fay', 'Fay', 'Contributor', '0fa40000-0000-4000-8000-000000000006'),
  ],
  apps: [
    {
      clientId: SPA_CLIENT_ID,
      displayName: 'Databricks Entra Explorer',
      redirectUris: { spa: ['https://localhost:5173/'], publicClient: ['http://localhost'] },
      allowPublicClientFlows: true,
      permissions: [{ resource: AZURE_DATABRICKS_RESOURCE_ID, scopes: ['user_impersonation'] }],
      // No tenant-wide admin consent, so that Dana meets the consent page.
      adminConsent: false,
      consentedUsers: ['ana', 'ben', 'carl', 'eve', 'fay'].map((name) => `${name}@contoso.example`),
    },
    {
      clientId: WEB_CLIENT_ID,
      displayName: 'Explorer (web platform)',
      redirectUris: { web: ['https://localhost:5173/'] },
      permissions: [{ resource: AZURE_DATABRICKS_RESOURCE_ID, scopes: ['user_impersonation'] }],
      adminConsent: true,
    },
  ],
  resources: [{ appId: AZURE_DATABRICKS_RESOURCE_ID, displayName: 'AzureDatabricks', scopes: ['user_impersonation'] }],
} satisfies SandboxConfigInput;

function demoUser(name: string, given: string, family: string, oid: string) {
  return {
    upn: `${name}@contoso.example`,
    name: `${given} ${family}`,
    givenName: given,
    familyName: family,
    oid,
    password: `${name}-sandbox`,
  };
}

/** Stable error codes of {@link SandboxConfigError}. */
export type SandboxConfigErrorCode = 'SANDBOX_CONFIG_INVALID' | 'SANDBOX_CONFIG_UNREADABLE';

/** One problem in a configuration file, with where it is. */
export interface SandboxConfigIssue {
  /** `users[2].password`, or `(root)`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The configuration file cannot be read or is invalid. `issues` lists every problem; the message
 * has one line per problem, `file:line:column: path: message`.
 */
export class SandboxConfigError extends Error {
  override name = 'SandboxConfigError';
  readonly code: SandboxConfigErrorCode;
  readonly source: string;
  readonly issues: SandboxConfigIssue[];

  /** Where the file was named: the `--config` flag or the `EXPLORER_SANDBOX_CONFIG` variable. */
  readonly setting: string;

  constructor(
    code: SandboxConfigErrorCode,
    source: string,
    issues: SandboxConfigIssue[],
    options?: ErrorOptions,
    setting = '--config',
  ) {
    const lines = issues.map(
      (issue) => `${basename(source)}:${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`,
    );
    const named = setting === '--config' ? '' : ` (${setting})`;
    const what =
      code === 'SANDBOX_CONFIG_UNREADABLE'
        ? `Cannot read the sandbox configuration ${source}${named}.`
        : `The sandbox configuration ${source}${named} is invalid:`;
    const instead = setting === '--config' ? 'leave out --config' : `unset ${setting}`;
    super(`${what}\n${lines.join('\n')}\nFix the file, or ${instead} to use the built-in demo configuration.`, options);
    this.setting = setting;
    this.code = code;
    this.source = source;
    this.issues = issues;
  }
}

/**
 * Parses and checks a configuration file's text (JSON with comments). `source` names the file in
 * messages.
 * @throws {SandboxConfigError} `SANDBOX_CONFIG_INVALID`, with the line and column of each problem.
 */
export function parseSandboxConfig(text: string, source: string): SandboxConfig {
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0 || root === undefined) {
    const issues = syntaxErrors.map((error) => ({
      path: '(syntax)',
      ...lineColumn(text, error.offset),
      message: `${describeSyntaxError(printParseErrorCode(error.error))}`,
    }));
    if (issues.length === 0)
      issues.push({ path: '(root)', line: 1, column: 1, message: 'the file is empty; expected a JSON object' });
    throw new SandboxConfigError('SANDBOX_CONFIG_INVALID', source, issues);
  }
  const value: unknown = JSON.parse(JSON.stringify(nodeValue(root)));
  const result = sandboxConfigObject.safeParse(value);
  if (!result.success) {
    throw new SandboxConfigError(
      'SANDBOX_CONFIG_INVALID',
      source,
      result.error.issues.map((issue) => locateIssue(issue, root, text)),
    );
  }
  const users = result.data.users ?? z.array(userSchema).parse(DEFAULT_INPUT.users);
  const upns = new Set(users.map((user) => user.upn));
  const merged = {
    ...result.data,
    tenants: result.data.tenants ?? z.array(tenantSchema).parse(DEFAULT_INPUT.tenants),
    users,
    // The demo apps' consents name demo users; with the file's own users, keep those that exist.
    apps:
      result.data.apps ??
      z
        .array(appSchema)
        .parse(DEFAULT_INPUT.apps)
        .map((app) => ({ ...app, consentedUsers: app.consentedUsers.filter((upn) => upns.has(upn)) })),
    resources: result.data.resources ?? z.array(resourceSchema).parse(DEFAULT_INPUT.resources),
  };
  const problems = crossCheck(merged);
  if (problems.length > 0) {
    throw new SandboxConfigError(
      'SANDBOX_CONFIG_INVALID',
      source,
      problems.map(({ path, message }) =>
        locateIssue({ path, message, code: 'custom' } as z.core.$ZodIssue, root, text),
      ),
    );
  }
  return resolve(merged);
}

/**
 * Reads and checks a configuration file; without a path, returns {@link DEFAULT_SANDBOX_CONFIG}.
 * `setting` names where the path came from in messages (`--config`, `EXPLORER_SANDBOX_CONFIG`).
 * @throws {SandboxConfigError} `SANDBOX_CONFIG_UNREADABLE` or `SANDBOX_CONFIG_INVALID`.
 */
export async function loadSandboxConfig(path?: string, setting = '--config'): Promise<SandboxConfig> {
  if (path === undefined) return structuredClone(DEFAULT_SANDBOX_CONFIG);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new SandboxConfigError(
      'SANDBOX_CONFIG_UNREADABLE',
      path,
      [{ path: '(file)', line: 1, column: 1, message: `${reason}; check the path given to ${setting}` }],
      { cause: error },
      setting,
    );
  }
  try {
    return parseSandboxConfig(text, path);
  } catch (error) {
    if (!(error instanceof SandboxConfigError) || setting === '--config') throw error;
    throw new SandboxConfigError(error.code, error.source, error.issues, { cause: error }, setting);
  }
}

/** The built-in demo configuration: the Contoso tenant, six demo users, the two demo apps. */
export const DEFAULT_SANDBOX_CONFIG: SandboxConfig = parseSandboxConfig('{}', 'built-in default');

/** The demo configuration as it would be written in a file (for documentation and tests). */
export const DEFAULT_SANDBOX_CONFIG_INPUT: SandboxConfigInput = DEFAULT_INPUT;

/** A JSON Schema (draft 2020-12) of the configuration file, for editors. */
export function sandboxConfigJsonSchema(): unknown {
  return z.toJSONSchema(sandboxConfigObject, { io: 'input', unrepresentable: 'any' });
}

interface CrossProblem {
  path: (string | number)[];
  message: string;
}

type Merged = Omit<ParsedObject, 'tenants' | 'users' | 'apps' | 'resources'> & {
  tenants: SandboxTenant[];
  users: User[];
  apps: App[];
  resources: SandboxResource[];
};

function crossCheck(config: Merged): CrossProblem[] {
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

/** `localhost`, `127.0.0.1` or `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function resolve(config: Merged): SandboxConfig {
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

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key !== undefined && value !== undefined) result[String(key.value)] = nodeValue(value);
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function locateIssue(issue: z.core.$ZodIssue, root: Node, text: string): SandboxConfigIssue {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  let offset = 0;
  let shownPath = path;
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    shownPath = [...path, key];
    const owner = findNodeAtLocation(root, path);
    const property = owner?.children?.find((child) => child.children?.[0]?.value === key);
    offset = property?.offset ?? owner?.offset ?? 0;
    message = `unknown key${issue.keys.length > 1 ? `s ${issue.keys.map((k) => `"${k}"`).join(', ')}` : ` "${key}"`}; check its spelling or remove it`;
  } else {
    // The deepest node that exists: a missing key is reported at the object that lacks it.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = findNodeAtLocation(root, path.slice(0, depth));
      if (node !== undefined) {
        offset = node.offset;
        if (depth < path.length && issue.code === 'invalid_type')
          message = `required key is missing (expected ${issue.expected})`;
        break;
      }
    }
  }
  return { path: formatPath(shownPath), ...lineColumn(text, offset), message };
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? `${index === 0 ? '' : '.'}${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describeSyntaxError(code: string): string {
  const known: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected text after the end of the JSON value',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfComment: 'unterminated comment',
    InvalidEscapeCharacter: 'invalid escape in a string',
    InvalidCharacter: 'invalid character in a string',
  };
  return `JSON syntax error: ${known[code] ?? code}`;
}
