import { ProxyError } from './errors.ts';

/** The same-origin path prefix: `/databricks/{host[:port]}/api/…` → `https://{host[:port]}/api/…`. */
export const PROXY_PREFIX = '/databricks/';

/** Longest request URL the proxy forwards (paging tokens fit easily; anything longer is refused). */
export const MAX_URL_LENGTH = 4096;

/**
 * Per-workspace host names of Azure Databricks, by cloud: `adb-<workspace id>.<n>.<cloud domain>`.
 * The accounts console, legacy regional hosts and dev/staging hosts never match.
 * @see https://learn.microsoft.com/azure/databricks/workspace/per-workspace-urls
 */
export const WORKSPACE_HOST_PATTERNS = {
  public: /^adb-[0-9]{1,20}\.[0-9]{1,3}\.azuredatabricks\.net$/,
  usgov: /^adb-[0-9]{1,20}\.[0-9]{1,3}\.databricks\.azure\.us$/,
  china: /^adb-[0-9]{1,20}\.[0-9]{1,3}\.databricks\.azure\.cn$/,
} as const;

/** The allowlist in words, for the start-up line and error messages. */
export const WORKSPACE_HOST_FORMS = [
  'adb-<id>.<n>.azuredatabricks.net',
  'adb-<id>.<n>.databricks.azure.us',
  'adb-<id>.<n>.databricks.azure.cn',
] as const;

/** Where an allowed request goes. `origin` is `https://host[:port]`; `path` keeps the raw query. */
export interface ProxyTarget {
  /** `host[:port]` as it appeared in the proxy path, lower-cased. */
  host: string;
  origin: string;
  /** `/api/…` plus `?query` when there is one, byte for byte as the browser sent it. */
  path: string;
  /** `/api/…` without the query, safe to log. */
  pathname: string;
}

const HOST_CHARS = /^[a-z0-9.-]+$/;
const PORT = /^[1-9][0-9]{0,4}$/;
// RFC 3986 pchar plus '/': unreserved, sub-delims, ':', '@' and percent-encodings.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const PERCENT = /%(?![0-9A-Fa-f]{2})/;
// Encoded '/', '\', '.', NUL and '%' change what a path means after one more decoding step.
const DANGEROUS_ENCODINGS = /%(2f|5c|2e|00|25)/i;

/**
 * Normalises a configured extra host (`localhost:5175`, `workspace.example`) to `host:port`.
 * @throws TypeError for something that is not a host name with an optional port.
 */
export function normalizeExtraHost(entry: string): string {
  const lower = entry.trim().toLowerCase();
  const [name = '', port, extra] = lower.split(':');
  if (extra !== undefined || !HOST_CHARS.test(name) || (port !== undefined && !validPort(port))) {
    throw new TypeError(`proxy extra host ${JSON.stringify(entry)} is not "host" or "host:port"`);
  }
  return `${name}:${port ?? '443'}`;
}

/**
 * Checks a request URL against the URL scheme, the host allowlist and the path rules, and returns
 * where to forward it. Works on the raw URL as received, before any decoding, so that encoded
 * tricks are judged as the upstream would see them.
 * @param rawUrl the request target, starting with {@link PROXY_PREFIX}
 * @param extraHosts normalised `host:port` entries (see {@link normalizeExtraHost})
 * @throws ProxyError `PROXY_URL_TOO_LONG`, `PROXY_BAD_HOST`, `PROXY_HOST_NOT_ALLOWED`, `PROXY_BAD_PATH`, `PROXY_PATH_NOT_ALLOWED`
 */
export function resolveProxyTarget(rawUrl: string, extraHosts: ReadonlySet<string>): ProxyTarget {
  if (rawUrl.length > MAX_URL_LENGTH) {
    throw new ProxyError(
      'PROXY_URL_TOO_LONG',
      `The request URL is ${rawUrl.length} characters long; the proxy accepts at most ${MAX_URL_LENGTH}. Send fewer or shorter query parameters.`,
    );
  }
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : rawUrl.slice(queryAt);
  const afterPrefix = rawPath.startsWith(PROXY_PREFIX) ? rawPath.slice(PROXY_PREFIX.length) : '';
  const slash = afterPrefix.indexOf('/');
  const hostPart = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
  const pathname = slash === -1 ? '' : afterPrefix.slice(slash);

  const host = checkHost(hostPart, extraHosts);
  checkPath(pathname, host);
  if (!QUERY_CHARS.test(rawQuery.slice(1)) || PERCENT.test(rawQuery)) {
    throw new ProxyError(
      'PROXY_BAD_PATH',
      `The query string of the request to ${host}${pathname} contains characters that must be percent-encoded. Encode the parameters with URLSearchParams.`,
      { host },
    );
  }
  return { host, origin: `https://${host}`, path: pathname + rawQuery, pathname };
}

function checkHost(hostPart: string, extraHosts: ReadonlySet<string>): string {
  const usage =
    'Use /databricks/{host[:port]}/api/…, e.g. /databricks/adb-1234567890123456.7.azuredatabricks.net/api/2.0/clusters/list.';
  if (hostPart === '') {
    throw new ProxyError('PROXY_BAD_HOST', `The proxy path names no workspace host. ${usage}`);
  }
  const shown = JSON.stringify(hostPart.slice(0, 100));
  const lower = hostPart.toLowerCase();
  if (lower.includes('@')) {
    throw new ProxyError(
      'PROXY_BAD_HOST',
      `The workspace host ${shown} contains user information ('@'), which the proxy never forwards. ${usage}`,
    );
  }
  if (lower.includes('%')) {
    throw new ProxyError(
      'PROXY_BAD_HOST',
      `The workspace host ${shown} is percent-encoded; write the host name plainly. ${usage}`,
    );
  }
  if (lower.startsWith('[')) {
    throw new ProxyError(
      'PROXY_BAD_HOST',
      `The workspace host ${shown} is an IP address literal; the proxy forwards only to workspace host names. ${usage}`,
    );
  }
  const [name = '', port, extra] = lower.split(':');
  if (extra !== undefined || !HOST_CHARS.test(name) || (port !== undefined && !validPort(port))) {
    throw new ProxyError(
      'PROXY_BAD_HOST',
      `The workspace host ${shown} is not a host name with an optional port. ${usage}`,
    );
  }
  const key = `${name}:${port ?? '443'}`;
  const host = port === undefined ? name : `${name}:${port}`;
  if (extraHosts.has(key)) return host;
  const isWorkspace = Object.values(WORKSPACE_HOST_PATTERNS).some((pattern) => pattern.test(name));
  if (isWorkspace && (port === undefined || port === '443')) return name;
  const configured = extraHosts.size > 0 ? `, or a configured host (${[...extraHosts].join(', ')})` : '';
  const why = isWorkspace
    ? `Azure Databricks workspaces are reached on port 443 only, not ${port}`
    : `it is not an Azure Databricks workspace host (${WORKSPACE_HOST_FORMS.join(', ')})${configured}`;
  throw new ProxyError(
    'PROXY_HOST_NOT_ALLOWED',
    `The proxy does not forward to ${shown}: ${why}. Check the workspace URL in the settings.`,
    {
      host,
    },
  );
}

function checkPath(pathname: string, host: string): void {
  const shown = JSON.stringify(pathname.slice(0, 200));
  if (!PATH_CHARS.test(pathname) || PERCENT.test(pathname) || DANGEROUS_ENCODINGS.test(pathname)) {
    throw new ProxyError(
      'PROXY_BAD_PATH',
      `The path ${shown} for ${host} contains characters or encodings the proxy refuses (backslashes, spaces, encoded '/', '.', '%' or NUL). Send the API path as written in the Databricks reference.`,
      { host },
    );
  }
  const segments = pathname.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new ProxyError(
      'PROXY_BAD_PATH',
      `The path ${shown} for ${host} has empty, '.' or '..' segments; the proxy forwards only plain paths under /api/.`,
      { host },
    );
  }
  if (segments[0] !== 'api' || segments.length < 2) {
    throw new ProxyError(
      'PROXY_PATH_NOT_ALLOWED',
      `The proxy forwards only the workspace REST API (paths under /api/), not ${shown}.`,
      { host },
    );
  }
}

function validPort(port: string): boolean {
  return PORT.test(port) && Number(port) <= 65535;
}
