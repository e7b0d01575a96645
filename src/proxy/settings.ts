import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { WORKSPACE_HOST_PATTERNS } from './allowlist.ts';
import { ServerSettingsError } from './errors.ts';

/**
 * The page's runtime configuration as served at `GET /explorer-config.json`. Same shape as
 * `RuntimeConfigWire` in `src/app/config/types.ts` (the parts do not import each other; a test
 * keeps the two in step).
 */
export interface RuntimeConfig {
  tenantId?: string;
  clientId?: string;
  cloud?: string;
  workspaceUrl?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  workspaceName?: string;
  sandbox?: boolean;
  sandboxAuthorityOrigin?: string;
  /** Absolute path of the CA bundle that commands run on this machine need for the workspace. */
  caBundlePath?: string;
  /**
   * The methods the proxy forwards, sent only when more than GET (`EXPLORER_PROXY_ALLOW_POST=1`):
   * the API Explorer offers state-changing requests only then.
   */
  proxyMethods?: string[];
}

/** What `EXPLORER_PROXY_ALLOW_POST=1` opens: every method the API Explorer's catalogue uses (the catalogue only reads with GET and changes state with POST). */
export const WRITE_METHODS = ['POST'] as const;

/** Azure clouds the server accepts in `EXPLORER_CLOUD`. */
export type AzureCloud = keyof typeof WORKSPACE_HOST_PATTERNS;

/** Sign-in hosts per cloud, for the Content-Security-Policy. */
export const AUTHORITY_ORIGINS: Record<AzureCloud, string> = {
  public: 'https://login.microsoftonline.com',
  usgov: 'https://login.microsoftonline.us',
  china: 'https://login.partner.microsoftonline.cn',
};

/**
 * Every sign-in host a person can choose in the Settings panel, the configured cloud's first. The
 * page's Content-Security-Policy lists them all: the token request and the signature check's key
 * fetch (JWKS) go from the browser straight to the chosen cloud's host, whatever the server's own
 * cloud is, and nothing else is reachable.
 */
export function signInOrigins(first?: AzureCloud): string[] {
  const all = Object.values(AUTHORITY_ORIGINS);
  return first ? [AUTHORITY_ORIGINS[first], ...all.filter((origin) => origin !== AUTHORITY_ORIGINS[first])] : all;
}

const CLOUD_DOMAINS: Record<AzureCloud, string> = {
  public: 'azuredatabricks.net',
  usgov: 'databricks.azure.us',
  china: 'databricks.azure.cn',
};

/** The sandbox's fixed identities (shared with the sandbox part by agreement, not by import). */
export const SANDBOX_TENANT_ID = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
export const SANDBOX_CLIENT_ID = '12a34b56-789c-0d12-e3fa-b456789c0123';

/** LAN mode (`EXPLORER_LAN=1`): how colleagues on the network reach this machine. */
export interface LanSettings {
  /** The name (or IPv4 address) colleagues use: `EXPLORER_LAN_HOST`, default this machine's name. Lower case. */
  host: string;
  /** The address the app and the sandbox listen on for them: `EXPLORER_LAN_ADDRESS`, default `0.0.0.0` (every IPv4 interface). */
  address: string;
  /** `https://{host}:{PORT}`: what colleagues open. */
  appOrigin: string;
}

/** What both modes share. */
interface CommonSettings {
  /** The app's port (`PORT`, default 5173). */
  port: number;
  /** Where to listen: `localhost` by default, the LAN address with `EXPLORER_LAN=1`. */
  listenHost: string;
  /** `false` unless `EXPLORER_LAN=1`. */
  lan: false | LanSettings;
  /** Lines to print at start-up (the LAN warning). */
  warnings: string[];
  /** `EXPLORER_PROXY_ALLOW_POST=1`. */
  allowPost: boolean;
  /** Served at `/explorer-config.json`. */
  runtimeConfig: RuntimeConfig;
  /** Origins of the identity providers the page may contact (the sandbox's and every cloud's sign-in host), for the CSP. */
  identityOrigins: string[];
  /** Hosts the proxy forwards to besides the Azure Databricks patterns. */
  proxyExtraHosts: string[];
  /** `EXPLORER_PROXY_CONNECT_TO`: `host:port` → the address the proxy connects to instead. */
  proxyConnectTo: Map<string, { host: string; port: number }>;
  /** `EXPLORER_PROXY_CA_FILE`: PEM certificates the proxy trusts besides the system's. */
  proxyExtraCa: string | undefined;
}

/** Real Azure: tenant, client and workspace all configured. */
export interface AzureServerSettings extends CommonSettings {
  mode: 'azure';
  cloud: AzureCloud;
}

/** Nothing configured: the built-in sandbox on PORT+1 (Entra ID) and PORT+2 (workspace). */
export interface SandboxServerSettings extends CommonSettings {
  mode: 'sandbox';
  sandbox: {
    entraPort: number;
    workspacePort: number;
    /** `https://localhost:{PORT+1}` (the LAN host instead of localhost in LAN mode) */
    authorityOrigin: string;
    /** `https://localhost:{PORT+2}` (the LAN host in LAN mode) */
    workspaceUrl: string;
    /** `localhost:{PORT+2}` (the LAN host in LAN mode), as in the proxy path. */
    workspaceHost: string;
  };
}

export type ServerSettings = AzureServerSettings | SandboxServerSettings;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// The rules below are the page's too (src/app/config/validate.ts keeps the same table; the parts
// do not import each other, and tests/proxy/settings-agreement.test.ts checks both agree).
// Azure naming rules: resource group 1–90 of letters, digits, _ - . ( ) not ending in '.', ASCII
// only here: Azure allows other Unicode letters, but the name travels in the
// X-Databricks-Azure-Workspace-Resource-Id header, and header values are ASCII.
// Databricks workspace 3–64 of letters, digits, _ and -.
const RESOURCE_GROUP = /^[A-Za-z0-9_.()-]{0,89}[A-Za-z0-9_()-]$/;
/** Azure Databricks' own application ID: the resource the app asks a token for, never its client. */
const DATABRICKS_APP_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
const WORKSPACE_NAME = /^[A-Za-z0-9_-]{3,64}$/;
const DEFAULT_PORT = 5173;
/** Every IPv4 interface: what LAN mode listened on before `EXPLORER_LAN_ADDRESS` existed. */
const DEFAULT_LAN_ADDRESS = '0.0.0.0';
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

/**
 * Reads the server's settings from the environment: `PORT`, `EXPLORER_TENANT_ID`,
 * `EXPLORER_CLIENT_ID`, `EXPLORER_WORKSPACE_URL`, `EXPLORER_CLOUD`,
 * `EXPLORER_AZURE_SUBSCRIPTION_ID` / `_RESOURCE_GROUP` / `_WORKSPACE_NAME`, `EXPLORER_LAN`,
 * `EXPLORER_LAN_HOST`, `EXPLORER_LAN_ADDRESS`, `EXPLORER_PROXY_ALLOW_POST`, `EXPLORER_PROXY_CONNECT_TO`,
 * `EXPLORER_PROXY_CA_FILE`. With tenant, client and workspace all unset it returns the sandbox.
 * Empty strings count as unset.
 * @param machineName this machine's name, the default LAN host (`os.hostname()`; tests pass their own)
 * @throws ServerSettingsError naming the variable, what it held and what it should hold
 */
export function resolveServerSettings(
  env: Record<string, string | undefined>,
  machineName: string = hostname(),
): ServerSettings {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const tenant = read('EXPLORER_TENANT_ID');
  const client = read('EXPLORER_CLIENT_ID');
  const workspace = read('EXPLORER_WORKSPACE_URL');
  const sandbox = tenant === undefined && client === undefined && workspace === undefined;

  const port = readPort(read('PORT'), sandbox);
  const lan = readLan(read, port, machineName);
  const allowPost = readFlag('EXPLORER_PROXY_ALLOW_POST', read('EXPLORER_PROXY_ALLOW_POST'));
  const resource = readResourceId(read);
  const proxyConnectTo = readConnectTo(read('EXPLORER_PROXY_CONNECT_TO'));
  const proxyExtraCa = readCaFile(read('EXPLORER_PROXY_CA_FILE'));
  const warnings: string[] = [];
  if (lan) {
    const where =
      lan.address === DEFAULT_LAN_ADDRESS ? 'every network interface' : `${lan.address} only (EXPLORER_LAN_ADDRESS)`;
    warnings.push(
      `EXPLORER_LAN is on: the app and its Databricks proxy listen on ${where}, port ${port}, for ${lan.appOrigin}/. Anyone on this network can open the app and use the proxy with their own token; turn it off after the demo.`,
    );
  }
  const listenHost = lan ? lan.address : 'localhost';

  if (sandbox) {
    if (read('EXPLORER_CLOUD') !== undefined && read('EXPLORER_CLOUD') !== 'public') {
      throw new ServerSettingsError(
        'EXPLORER_CLOUD',
        read('EXPLORER_CLOUD'),
        'to be unset in sandbox mode',
        'The sandbox has its own cloud; set EXPLORER_TENANT_ID, EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL to use a real one.',
      );
    }
    // In LAN mode every browser, this machine's included, uses the LAN name for the sandbox: one
    // issuer per tenant, as Entra ID has, and the redirect URIs and certificate names to match.
    const publicHost = lan ? lan.host : 'localhost';
    const authorityOrigin = `https://${publicHost}:${port + 1}`;
    const workspaceHost = `${publicHost}:${port + 2}`;
    const connectTo = new Map(proxyConnectTo);
    if (lan) {
      warnings.push(
        `The sandbox's sign-in page (${authorityOrigin}) and workspace (https://${workspaceHost}) answer everyone on this network: anyone can sign in as a demo user (their passwords are in the README). The presenter console and control API stay on this machine.`,
      );
      // The proxy runs here: it reaches the sandbox workspace over loopback (the LAN name need not
      // resolve on this machine), still sending and checking the LAN name (TLS, Host).
      if (!connectTo.has(workspaceHost)) {
        connectTo.set(workspaceHost, {
          host: WILDCARD_ADDRESSES.has(lan.address) ? '127.0.0.1' : 'localhost',
          port: port + 2,
        });
      }
    }
    return {
      mode: 'sandbox',
      port,
      listenHost,
      lan,
      warnings,
      allowPost,
      runtimeConfig: {
        tenantId: SANDBOX_TENANT_ID,
        clientId: SANDBOX_CLIENT_ID,
        cloud: 'sandbox',
        workspaceUrl: `https://${workspaceHost}`,
        ...resource,
        sandbox: true,
        sandboxAuthorityOrigin: authorityOrigin,
        ...proxyMethods(allowPost),
      },
      identityOrigins: [authorityOrigin, ...signInOrigins()],
      proxyExtraHosts: lan ? [workspaceHost, `localhost:${port + 2}`] : [workspaceHost],
      proxyConnectTo: connectTo,
      proxyExtraCa,
      sandbox: {
        entraPort: port + 1,
        workspacePort: port + 2,
        authorityOrigin,
        workspaceUrl: `https://${workspaceHost}`,
        workspaceHost,
      },
    };
  }

  const missing = [
    ['EXPLORER_TENANT_ID', tenant],
    ['EXPLORER_CLIENT_ID', client],
    ['EXPLORER_WORKSPACE_URL', workspace],
  ].filter(([, value]) => value === undefined);
  if (missing.length > 0) {
    const names = missing.map(([name]) => name).join(' and ');
    throw new ServerSettingsError(
      names,
      undefined,
      'EXPLORER_TENANT_ID, EXPLORER_CLIENT_ID and EXPLORER_WORKSPACE_URL to be set together',
      `Set ${names} as well to use a real tenant, or unset all three to run the sandbox.`,
    );
  }
  const cloud = readCloud(read('EXPLORER_CLOUD'));
  const tenantId = readTenant(tenant as string);
  const clientId = readGuid(
    'EXPLORER_CLIENT_ID',
    client as string,
    'the application (client) ID from the app registration',
  );
  if (clientId === DATABRICKS_APP_ID) {
    throw new ServerSettingsError(
      'EXPLORER_CLIENT_ID',
      client,
      'the application (client) ID of your own app registration',
      'That is the application ID of Azure Databricks itself; the app asks for the Azure Databricks scope on its own.',
    );
  }
  const workspaceUrl = readWorkspaceUrl(workspace as string, cloud);
  return {
    mode: 'azure',
    cloud,
    port,
    listenHost,
    lan,
    warnings,
    allowPost,
    runtimeConfig: { tenantId, clientId, cloud, workspaceUrl, ...resource, sandbox: false, ...proxyMethods(allowPost) },
    identityOrigins: signInOrigins(cloud),
    proxyExtraHosts: [],
    proxyConnectTo,
    proxyExtraCa,
  };
}

function proxyMethods(allowPost: boolean): Pick<RuntimeConfig, 'proxyMethods'> {
  return allowPost ? { proxyMethods: ['GET', ...WRITE_METHODS] } : {};
}

function readPort(value: string | undefined, sandbox: boolean): number {
  if (value === undefined) return DEFAULT_PORT;
  // The sandbox takes the next two ports as well.
  const max = sandbox ? 65533 : 65535;
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new ServerSettingsError(
      'PORT',
      value,
      `a port number from 1 to ${max}${sandbox ? ' (the sandbox also uses PORT+1 and PORT+2)' : ''}`,
      `Unset it for the default ${DEFAULT_PORT}.`,
    );
  }
  return Number(value);
}

/**
 * `EXPLORER_LAN`, `EXPLORER_LAN_HOST` and `EXPLORER_LAN_ADDRESS`. The host is checked even with
 * LAN mode off, so a typo shows before the demo.
 */
function readLan(read: (name: string) => string | undefined, port: number, machineName: string): false | LanSettings {
  const on = readFlag('EXPLORER_LAN', read('EXPLORER_LAN'));
  const given = read('EXPLORER_LAN_HOST');
  const host = given === undefined ? (on ? readLanHost(machineName, true) : undefined) : readLanHost(given, false);
  const address = readLanAddress(read('EXPLORER_LAN_ADDRESS'));
  if (!on || host === undefined) return false;
  return { host, address, appOrigin: `https://${host}:${port}` };
}

function readLanHost(value: string, fromMachine: boolean): string {
  const lower = value.toLowerCase().replace(/\.$/, '');
  const labels = lower.split('.');
  const ipv4 = isIP(lower) === 4;
  const name =
    !ipv4 &&
    lower.length <= 253 &&
    labels.every((label) => DNS_LABEL.test(label)) &&
    !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
  const problem =
    isIP(lower.replace(/^\[|\]$/g, '')) === 6
      ? 'an IPv6 address would need brackets in every URL and in the proxy path'
      : lower === 'localhost' || lower.endsWith('.localhost') || lower.startsWith('127.') || lower === '0.0.0.0'
        ? 'other machines cannot reach this machine by that name'
        : ipv4 || name
          ? undefined
          : 'it is not a DNS name (letters, digits and hyphens, dot-separated) nor an IPv4 address';
  if (problem === undefined) return lower;
  throw new ServerSettingsError(
    'EXPLORER_LAN_HOST',
    value,
    `the name or IPv4 address colleagues use to reach this machine, such as my-laptop.local or 192.168.1.20 (${problem})`,
    fromMachine
      ? `That is this machine's name (os.hostname()), the default; set EXPLORER_LAN_HOST to a name or address colleagues can reach.`
      : "Set it to a name that resolves to this machine on the network, or to its IPv4 address; unset it to use this machine's name.",
  );
}

function readLanAddress(value: string | undefined): string {
  if (value === undefined) return DEFAULT_LAN_ADDRESS;
  const address = value.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(address) !== 0) return address;
  throw new ServerSettingsError(
    'EXPLORER_LAN_ADDRESS',
    value,
    'an IP address of this machine to listen on, such as 192.168.1.20, or 0.0.0.0 (every IPv4 interface) or :: (every interface)',
    `Unset it to listen on every IPv4 interface (${DEFAULT_LAN_ADDRESS}).`,
  );
}

function readFlag(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (lower === '1' || lower === 'true' || lower === 'yes') return true;
  if (lower === '0' || lower === 'false' || lower === 'no') return false;
  throw new ServerSettingsError(name, value, '1 (on) or 0 (off)', 'Unset it to keep it off.');
}

function readCloud(value: string | undefined): AzureCloud {
  if (value === undefined) return 'public';
  const lower = value.toLowerCase();
  if (lower === 'public' || lower === 'usgov' || lower === 'china') return lower;
  throw new ServerSettingsError('EXPLORER_CLOUD', value, 'public, usgov or china', 'Unset it for the public cloud.');
}

function readTenant(value: string): string {
  if (GUID.test(value)) return value.toLowerCase();
  if (value.toLowerCase() === 'organizations') return 'organizations';
  if (DOMAIN.test(value)) return value.toLowerCase();
  throw new ServerSettingsError(
    'EXPLORER_TENANT_ID',
    value,
    'the directory (tenant) ID as a GUID, a verified domain such as contoso.onmicrosoft.com, or "organizations"',
    "Copy it from the app registration's Overview page in the Entra admin center.",
  );
}

function readGuid(name: string, value: string, what: string): string {
  if (GUID.test(value)) return value.toLowerCase();
  throw new ServerSettingsError(name, value, `a GUID such as 12a34b56-789c-0d12-e3fa-b456789c0123 (${what})`);
}

function readWorkspaceUrl(value: string, cloud: AzureCloud): string {
  const expected = `https://adb-<workspace id>.<n>.${CLOUD_DOMAINS[cloud]} (the per-workspace URL from the Azure portal)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw Object.assign(new ServerSettingsError('EXPLORER_WORKSPACE_URL', value, expected), { cause });
  }
  if (url.protocol !== 'https:') {
    throw new ServerSettingsError('EXPLORER_WORKSPACE_URL', value, `a URL starting with https://, like ${expected}`);
  }
  // A path, `?o=<workspace id>` and a fragment (a URL copied from the browser) are ignored, as the
  // page ignores them; a user name or password is refused.
  if (url.username || url.password) {
    throw new ServerSettingsError(
      'EXPLORER_WORKSPACE_URL',
      `${url.protocol}//(credentials)@${url.host}`,
      `the workspace URL without a user name or password: ${expected}`,
      `Use ${url.origin}.`,
    );
  }
  const host = url.hostname;
  if (!WORKSPACE_HOST_PATTERNS[cloud].test(host) || url.port !== '') {
    const otherCloud = (Object.keys(WORKSPACE_HOST_PATTERNS) as AzureCloud[]).find(
      (name) => name !== cloud && WORKSPACE_HOST_PATTERNS[name].test(host),
    );
    const hint = otherCloud
      ? `That is a ${otherCloud} workspace; set EXPLORER_CLOUD=${otherCloud}.`
      : 'Legacy regional URLs (westeurope.azuredatabricks.net) and the accounts console are not workspace URLs.';
    throw new ServerSettingsError(
      'EXPLORER_WORKSPACE_URL',
      value,
      `a workspace URL of the ${cloud} cloud: ${expected}`,
      hint,
    );
  }
  return `https://${host}`;
}

function readResourceId(
  read: (name: string) => string | undefined,
): Pick<RuntimeConfig, 'subscriptionId' | 'resourceGroup' | 'workspaceName'> {
  const subscription = read('EXPLORER_AZURE_SUBSCRIPTION_ID');
  const group = read('EXPLORER_AZURE_RESOURCE_GROUP');
  const name = read('EXPLORER_AZURE_WORKSPACE_NAME');
  const given = [subscription, group, name].filter((v) => v !== undefined).length;
  if (given === 0) return {};
  if (given < 3) {
    const missing = [
      ['EXPLORER_AZURE_SUBSCRIPTION_ID', subscription],
      ['EXPLORER_AZURE_RESOURCE_GROUP', group],
      ['EXPLORER_AZURE_WORKSPACE_NAME', name],
    ]
      .filter(([, v]) => v === undefined)
      .map(([n]) => n)
      .join(' and ');
    throw new ServerSettingsError(
      missing,
      undefined,
      'the subscription ID, resource group and workspace name to be set together (they make up the workspace resource ID)',
      `Set ${missing} too, or unset all three.`,
    );
  }
  const subscriptionId = readGuid(
    'EXPLORER_AZURE_SUBSCRIPTION_ID',
    subscription as string,
    'the Azure subscription that holds the workspace',
  );
  if (!RESOURCE_GROUP.test(group as string)) {
    throw new ServerSettingsError(
      'EXPLORER_AZURE_RESOURCE_GROUP',
      group,
      'a resource group name: 1–90 ASCII letters, digits, underscores, hyphens, periods or parentheses, not ending in a period',
      /[^ -~]/.test(group as string)
        ? 'Azure allows other letters in resource group names, but the name is sent in the X-Databricks-Azure-Workspace-Resource-Id header, which carries ASCII only; leave the three EXPLORER_AZURE_* values unset and add yourself to the workspace instead.'
        : undefined,
    );
  }
  if (!WORKSPACE_NAME.test(name as string)) {
    throw new ServerSettingsError(
      'EXPLORER_AZURE_WORKSPACE_NAME',
      name,
      'the Azure Databricks workspace resource name: 3–64 letters, digits, underscores or hyphens',
    );
  }
  return { subscriptionId, resourceGroup: group as string, workspaceName: name as string };
}

const CONNECT_TO_ENTRY = /^([a-z0-9.-]+):([0-9]{1,5}):([a-z0-9.-]+|\[[0-9a-f:.]+\]):([0-9]{1,5})$/i;

/**
 * `EXPLORER_PROXY_CONNECT_TO=host:port:connect-host:connect-port[,…]`, as curl's `--connect-to`:
 * the proxy opens its connection for `host:port` to the other address, and still sends and checks
 * the name `host` (TLS SNI and certificate, Host header). For a workspace reached through a tunnel
 * or a local stand-in; DNS stays untouched for everything else.
 */
function readConnectTo(value: string | undefined): Map<string, { host: string; port: number }> {
  const map = new Map<string, { host: string; port: number }>();
  if (value === undefined) return map;
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    const match = CONNECT_TO_ENTRY.exec(entry);
    const ports = match ? [Number(match[2]), Number(match[4])] : [];
    if (!match || ports.some((port) => port < 1 || port > 65535)) {
      throw new ServerSettingsError(
        'EXPLORER_PROXY_CONNECT_TO',
        entry,
        'comma-separated host:port:connect-host:connect-port entries, as curl --connect-to takes them, e.g. adb-1234567890123456.7.azuredatabricks.net:443:127.0.0.1:8443',
        'Unset it to connect to every workspace by its own name.',
      );
    }
    const [, host, port, toHost, toPort] = match as unknown as [string, string, string, string, string];
    map.set(`${host.toLowerCase()}:${Number(port)}`, { host: toHost.replace(/^\[|\]$/g, ''), port: Number(toPort) });
  }
  return map;
}

/** `EXPLORER_PROXY_CA_FILE`: a PEM file of CA certificates the proxy trusts for workspaces, besides the system's. */
function readCaFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw Object.assign(
      new ServerSettingsError(
        'EXPLORER_PROXY_CA_FILE',
        path,
        `a readable PEM file of CA certificates (${(cause as NodeJS.ErrnoException).code ?? 'unreadable'})`,
        'Check the path, or unset it to trust the system CAs only.',
      ),
      { cause },
    );
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  const valid = blocks.length > 0 && blocks.every(isCertificate);
  if (!valid) {
    throw new ServerSettingsError(
      'EXPLORER_PROXY_CA_FILE',
      path,
      'a PEM file holding one or more "-----BEGIN CERTIFICATE-----" blocks',
      'Export the CA certificate in PEM (Base64) form, or unset the variable.',
    );
  }
  return blocks.join('\n');
}

function isCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}
