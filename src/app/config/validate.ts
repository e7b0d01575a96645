import { DATABRICKS_RESOURCE_APP_ID, GUID_PATTERN } from '../well-known.ts';
import { CLOUDS, type CloudProfile, cloudOfWorkspaceHost } from './clouds.ts';
import { ConfigError, describeReceived, fixHint } from './errors.ts';
import type {
  AppConfig,
  CacheLocation,
  CloudName,
  ConfigField,
  ConfigSource,
  FieldError,
  RuntimeConfigWire,
  SettingsOverrides,
} from './types.ts';

/** What {@link validateConfig} checks: the server's runtime configuration and this browser's overrides. */
export interface ConfigInput {
  server: RuntimeConfigWire;
  overrides?: SettingsOverrides;
}

/** The outcome of {@link validateConfig}. */
export type ValidationResult = { ok: true; config: AppConfig } | { ok: false; errors: ConfigError[] };

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// The rules below are the server's too (src/proxy/settings.ts keeps the same table; the parts
// do not import each other, and tests/proxy/settings-agreement.test.ts checks both agree).
// Azure resource group names: 1–90 of letters, digits, . _ - ( ), not ending in a period. Unicode
// letters are allowed by Azure but cannot travel in an HTTP header value, so ASCII only here.
const RESOURCE_GROUP = /^[A-Za-z0-9_.()-]{0,89}[A-Za-z0-9_()-]$/;
// Azure Databricks workspace (resource) names: 3–64 letters, digits, underscores, hyphens.
const WORKSPACE_NAME = /^[A-Za-z0-9_-]{3,64}$/;
const GUID_EXAMPLE = '00000000-0000-0000-0000-000000000000';

type Field = Exclude<ConfigField, 'sandboxAuthorityOrigin' | 'caBundlePath' | 'runtimeConfig' | 'savedSettings'>;

/** Reads one field: the override when present (even if empty), else the server's value. */
function read(input: ConfigInput, field: Field): { value: string; source: ConfigSource | undefined } {
  const overrides = input.overrides ?? {};
  if (Object.hasOwn(overrides, field) && overrides[field] !== undefined) {
    return { value: asText(overrides[field]), source: 'browser' };
  }
  const serverValue = field === 'cacheLocation' ? undefined : input.server[field];
  const value = asText(serverValue);
  return { value, source: value === '' ? undefined : 'server' };
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  return JSON.stringify(value);
}

/**
 * Builds the value of `X-Databricks-Azure-Workspace-Resource-Id`, spelled as in the Databricks
 * article the project follows (`resourcegroups`, `microsoft.databricks`); Azure resource IDs
 * compare case-insensitively. The subscription GUID is lower-cased; names keep their case.
 * @see ../../../../shared/reference/origin.md
 */
export function buildWorkspaceResourceId(subscriptionId: string, resourceGroup: string, workspaceName: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourcegroups/${resourceGroup}/providers/microsoft.databricks/workspaces/${workspaceName}`;
}

/**
 * Splits a resource ID built by {@link buildWorkspaceResourceId} (or Azure's mixed-case spelling)
 * back into its parts, or `undefined` when it is not a Databricks workspace resource ID.
 */
export function parseWorkspaceResourceId(
  resourceId: string,
): { subscriptionId: string; resourceGroup: string; workspaceName: string } | undefined {
  const match =
    /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.databricks\/workspaces\/([^/]+)$/i.exec(
      resourceId,
    );
  if (!match) return undefined;
  return { subscriptionId: match[1] ?? '', resourceGroup: match[2] ?? '', workspaceName: match[3] ?? '' };
}

/**
 * Checks the server's runtime configuration with this browser's overrides applied, field by field,
 * and returns either one {@link AppConfig} or every problem found (never throws for bad values).
 * Pure: no storage, no network.
 */
export function validateConfig(input: ConfigInput): ValidationResult {
  const errors: ConfigError[] = [];
  const fail = (field: ConfigField, source: ConfigSource | undefined, text: string, received?: string) =>
    errors.push(new ConfigError(field, `${text} ${fixHint(field, source)}`.trim(), { received, source }));

  const tenantId = checkTenant(read(input, 'tenantId'), fail);
  const clientId = checkClient(read(input, 'clientId'), fail);
  const cloud = checkCloud(input, fail);
  const workspace = checkWorkspaceUrl(read(input, 'workspaceUrl'), cloud, input.server, fail);
  const workspaceResourceId = checkResourceId(input, fail);
  const cacheLocation = checkCacheLocation(read(input, 'cacheLocation'), fail);
  const caBundlePath = checkCaBundlePath(input, workspace, fail);

  if (errors.length > 0 || !tenantId || !clientId || !cloud || !workspace || !cacheLocation) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    config: {
      tenantId,
      clientId,
      cloud: cloud.name,
      authority: `https://${cloud.authorityHost}/${tenantId}/`,
      authorityHost: cloud.authorityHost,
      workspaceUrl: workspace.url,
      workspaceHost: workspace.host,
      workspaceResourceId,
      sandbox: cloud.name === 'sandbox',
      cacheLocation,
      caBundlePath,
      ...readProxyMethods(input.server.proxyMethods),
    },
  };
}

const PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods the server says its proxy forwards when more than GET: GET plus the known methods it lists.
 * Anything else is ignored (the proxy refuses what it does not forward, with its own message).
 */
function readProxyMethods(raw: unknown): { proxyMethods?: readonly string[] } {
  const listed = Array.isArray(raw) ? raw.filter((m): m is string => typeof m === 'string') : [];
  const methods = PROXY_METHODS.filter((method) => method === 'GET' || listed.includes(method));
  return methods.length > 1 ? { proxyMethods: methods } : {};
}

/** POSIX (`/…`) or Windows (`C:\…`, `\\server\…`) absolute path, one line, of a sane length. */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)\P{Cc}{1,1023}$/u;

/**
 * The server's CA bundle path, kept only while the workspace is the server's own: a workspace
 * chosen in this browser's settings is reached with the system's trust, as real Azure is, and
 * `--cacert` would replace that trust rather than add to it.
 */
function checkCaBundlePath(input: ConfigInput, workspace: { url: string } | undefined, fail: Fail): string | undefined {
  const raw = input.server.caBundlePath;
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' ? raw : asText(raw);
  if (!ABSOLUTE_PATH.test(value)) {
    const sent = describeReceived(value);
    fail(
      'caBundlePath',
      'server',
      `The server sent a CA bundle path that is not an absolute file path (caBundlePath); received ${value === '' ? 'nothing' : sent.shown}. Restart the server with npm start; if this persists, the server's runtime configuration has a bug.`,
      sent.received,
    );
    return undefined;
  }
  return workspace !== undefined && workspace.url === originOf(asText(input.server.workspaceUrl)) ? value : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

type Fail = (field: ConfigField, source: ConfigSource | undefined, text: string, received?: string) => void;
type Read = { value: string; source: ConfigSource | undefined };
/** A cloud as validation needs it: the real ones from {@link CLOUDS}, or the sandbox from the server. */
type ResolvedCloud = { name: CloudName; label: string; authorityHost: string; profile: CloudProfile | undefined };

function checkTenant({ value, source }: Read, fail: Fail): string | undefined {
  const options = 'your directory (tenant) ID, a verified domain such as contoso.onmicrosoft.com, or "organizations"';
  if (value === '') {
    fail('tenantId', source, `No tenant is configured. Enter ${options}.`);
    return undefined;
  }
  const lower = value.toLowerCase();
  const { shown, received } = describeReceived(value);
  if (lower === 'common' || lower === 'consumers') {
    fail(
      'tenantId',
      source,
      `Tenant ${shown} admits personal Microsoft accounts, which cannot use Azure Databricks. Use ${options} instead.`,
      received,
    );
    return undefined;
  }
  if (lower === 'organizations' || GUID_PATTERN.test(value) || DOMAIN.test(value)) return lower;
  fail('tenantId', source, `Tenant must be ${options}; received ${shown}.`, received);
  return undefined;
}

function checkClient({ value, source }: Read, fail: Fail): string | undefined {
  if (value === '') {
    fail(
      'clientId',
      source,
      "No client ID is configured. Enter the application (client) ID from your app registration's Overview page.",
    );
    return undefined;
  }
  const { shown, received } = describeReceived(value);
  if (!GUID_PATTERN.test(value)) {
    fail(
      'clientId',
      source,
      `Client ID must be the application (client) ID of your app registration, a GUID like ${GUID_EXAMPLE}; received ${shown}.`,
      received,
    );
    return undefined;
  }
  if (value.toLowerCase() === DATABRICKS_RESOURCE_APP_ID) {
    fail(
      'clientId',
      source,
      `Client ID ${shown} is the application ID of Azure Databricks itself, not of your app. Enter the application (client) ID of your own app registration; the app asks for the Azure Databricks scope on its own.`,
      received,
    );
    return undefined;
  }
  return value.toLowerCase();
}

function checkCloud(input: ConfigInput, fail: Fail): ResolvedCloud | undefined {
  const { value, source } = read(input, 'cloud');
  const sandboxServer = input.server.sandbox === true;
  const name = value === '' ? (sandboxServer ? 'sandbox' : 'public') : value.toLowerCase();
  const { shown, received } = describeReceived(value);
  if (name === 'sandbox') {
    if (!sandboxServer) {
      fail(
        'cloud',
        source,
        'Cloud "sandbox" is only available when the server runs the local sandbox, and this server is configured for a real tenant. Choose "public", "usgov" or "china".',
        received,
      );
      return undefined;
    }
    const origin = asText(input.server.sandboxAuthorityOrigin);
    const host = httpsOriginHost(origin);
    if (!host) {
      const sent = describeReceived(origin);
      fail(
        'sandboxAuthorityOrigin',
        'server',
        `The server runs the sandbox but sent no usable sign-in origin (sandboxAuthorityOrigin must be an https:// origin such as https://localhost:5174); received ${origin === '' ? 'nothing' : sent.shown}. Restart the server with npm start; if this persists, the server's runtime configuration has a bug.`,
        sent.received,
      );
      return undefined;
    }
    return { name: 'sandbox', label: 'the local sandbox', authorityHost: host, profile: undefined };
  }
  if (name === 'public' || name === 'usgov' || name === 'china') {
    const profile = CLOUDS[name];
    return { name, label: profile.label, authorityHost: profile.authorityHost, profile };
  }
  const choices = sandboxServer ? '"public", "usgov", "china" or "sandbox"' : '"public", "usgov" or "china"';
  fail('cloud', source, `Cloud must be ${choices}; received ${shown}.`, received);
  return undefined;
}

/** The `host[:port]` of an https origin with nothing after it, or undefined. */
function httpsOriginHost(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return undefined;
  if (url.pathname !== '/' || url.search || url.hash || value.replace(/\/$/, '') !== url.origin) return undefined;
  return url.host;
}

function checkWorkspaceUrl(
  { value, source }: Read,
  cloud: ResolvedCloud | undefined,
  server: RuntimeConfigWire,
  fail: Fail,
): { url: string; host: string } | undefined {
  const example = `https://adb-1234567890123456.7.${cloud?.profile?.workspaceDomain ?? 'azuredatabricks.net'}`;
  if (value === '') {
    fail(
      'workspaceUrl',
      source,
      `No workspace URL is configured. Enter your workspace's URL from the Azure portal, such as ${example}.`,
    );
    return undefined;
  }
  const { shown, received } = describeReceived(value);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value) || !/^https:/i.test(value)) {
    fail('workspaceUrl', source, `Workspace URL must start with https://; received ${shown}.`, received);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(
      'workspaceUrl',
      source,
      `Workspace URL is not a valid URL; received ${shown}. Enter it like ${example}.`,
      received,
    );
    return undefined;
  }
  if (url.username || url.password) {
    fail(
      'workspaceUrl',
      source,
      'Workspace URL must not contain a user name or password; received a URL with credentials (not shown).',
    );
    return undefined;
  }
  if (!cloud) return undefined; // the cloud's own error says what to fix first
  const host = url.host;
  if (cloud.name === 'sandbox') {
    const sandboxHost = httpsOriginHost(asText(server.workspaceUrl).replace(/\/$/, ''));
    if (host !== sandboxHost) {
      fail(
        'workspaceUrl',
        source,
        `Workspace host ${JSON.stringify(host)} is not the sandbox workspace${sandboxHost ? ` (${sandboxHost})` : ''}. To use a real workspace, also choose its cloud and tenant.`,
        received,
      );
      return undefined;
    }
    return { url: url.origin, host };
  }
  const profile = cloud.profile as CloudProfile;
  if (url.port !== '') {
    fail(
      'workspaceUrl',
      source,
      `Workspace URL must not name a port (Azure Databricks answers on 443); received ${shown}.`,
      received,
    );
    return undefined;
  }
  const owner = cloudOfWorkspaceHost(url.hostname);
  if (owner && owner.name !== profile.name) {
    fail(
      'workspaceUrl',
      source,
      `Workspace host ${JSON.stringify(url.hostname)} belongs to ${owner.label}, but the cloud is ${profile.label}. Choose the matching cloud, or a workspace in ${profile.label}.`,
      received,
    );
    return undefined;
  }
  // adb-<workspace id, up to 20 digits>.<n, up to 3 digits>.<domain>, as the proxy's allowlist.
  const perWorkspace = new RegExp(`^adb-[0-9]{1,20}\\.[0-9]{1,3}\\.${profile.workspaceDomain.replaceAll('.', '\\.')}$`);
  if (!perWorkspace.test(url.hostname)) {
    const why = owner
      ? 'is not a per-workspace Azure Databricks host'
      : `is not an Azure Databricks host of ${profile.label}`;
    fail(
      'workspaceUrl',
      source,
      `Workspace host ${JSON.stringify(url.hostname)} ${why}. Use the workspace's own URL from its Azure portal overview, such as ${example}.`,
      received,
    );
    return undefined;
  }
  return { url: url.origin, host };
}

function checkResourceId(input: ConfigInput, fail: Fail): string | undefined {
  const parts = {
    subscriptionId: read(input, 'subscriptionId'),
    resourceGroup: read(input, 'resourceGroup'),
    workspaceName: read(input, 'workspaceName'),
  };
  const labels = {
    subscriptionId: 'subscription ID',
    resourceGroup: 'resource group',
    workspaceName: 'workspace name',
  };
  const given = (Object.keys(parts) as (keyof typeof parts)[]).filter((key) => parts[key].value !== '');
  if (given.length === 0) return undefined;
  if (given.length < 3) {
    const missing = (Object.keys(parts) as (keyof typeof parts)[]).filter((key) => parts[key].value === '');
    for (const field of missing) {
      fail(
        field,
        parts[field].source,
        `The ${labels[field]} is empty but the ${given.map((key) => labels[key]).join(' and ')} ${given.length === 1 ? 'is' : 'are'} set. Give the subscription ID, resource group and workspace name together (they form the X-Databricks-Azure-Workspace-Resource-Id header), or none of them.`,
      );
    }
    return undefined;
  }
  let ok = true;
  const sub = parts.subscriptionId;
  if (!GUID_PATTERN.test(sub.value)) {
    const { shown, received } = describeReceived(sub.value);
    fail(
      'subscriptionId',
      sub.source,
      `Subscription ID must be a GUID like ${GUID_EXAMPLE}; received ${shown}.`,
      received,
    );
    ok = false;
  }
  const rg = parts.resourceGroup;
  if (!RESOURCE_GROUP.test(rg.value)) {
    const { shown, received } = describeReceived(rg.value);
    fail(
      'resourceGroup',
      rg.source,
      `Resource group must be 1 to 90 letters, digits or the characters . _ - ( ), not ending in a period; received ${shown}.`,
      received,
    );
    ok = false;
  }
  const name = parts.workspaceName;
  if (!WORKSPACE_NAME.test(name.value)) {
    const { shown, received } = describeReceived(name.value);
    fail(
      'workspaceName',
      name.source,
      `Workspace name must be the Azure resource name of the workspace, 3 to 64 letters, digits, underscores or hyphens; received ${shown}.`,
      received,
    );
    ok = false;
  }
  return ok ? buildWorkspaceResourceId(sub.value, rg.value, name.value) : undefined;
}

function checkCacheLocation({ value, source }: Read, fail: Fail): CacheLocation | undefined {
  if (value === '' || value === 'sessionStorage') return 'sessionStorage';
  if (value === 'localStorage') return 'localStorage';
  const { shown, received } = describeReceived(value);
  fail('cacheLocation', source, `Token cache must be "sessionStorage" or "localStorage"; received ${shown}.`, received);
  return undefined;
}

/** Narrows a list of errors to those for one field (for showing next to that field). */
export function errorsFor(errors: readonly FieldError[] | undefined, field: ConfigField): FieldError[] {
  return (errors ?? []).filter((error) => error.field === field);
}
