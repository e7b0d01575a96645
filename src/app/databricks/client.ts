import ky, { isTimeoutError } from 'ky';
import {
  type CallTarget,
  DatabricksApiError,
  ProxyRefusedError,
  WorkspaceBadResponseError,
  WorkspaceNetworkError,
  WorkspaceTimeoutError,
} from './errors.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy, sleep as defaultSleep } from './retry.ts';

/** Header that makes a Contributor/Owner of the workspace resource a workspace admin on first use. */
export const RESOURCE_ID_HEADER = 'X-Databricks-Azure-Workspace-Resource-Id';

/** What the client reports about each HTTP attempt (timeline, "Show me how"). Never a token. */
export interface CallRecord {
  method: string;
  /** Path and query below the workspace origin, e.g. `/api/2.1/clusters/list?page_size=100`. */
  path: string;
  /** HTTP status, or undefined when no answer came. */
  status: number | undefined;
  /** Our error code when the attempt failed without an answer (`API_NETWORK_ERROR`, `API_TIMEOUT`). */
  failure?: string;
  durationMs: number;
  attempt: number;
  /** True when the resource-ID header was sent. */
  resourceIdHeader: boolean;
  /** True when the bearer token was force-refreshed for this attempt after a 401. */
  afterForcedRefresh: boolean;
}

/** Shown to the person while the client waits before a retry. */
export interface RetryNotice {
  path: string;
  status: number;
  delayMs: number;
  attempt: number;
}

export interface WorkspaceClientOptions {
  /** `host[:port]` of the workspace; calls go to `/databricks/{host}/api/…` on the page's origin. */
  workspaceHost: string;
  /** Sent as {@link RESOURCE_ID_HEADER} when set. */
  workspaceResourceId?: string | undefined;
  /** Bearer token for each request (MSAL's acquireTokenSilent); `forceRefresh` after a 401. */
  getAccessToken(options: { forceRefresh: boolean }): Promise<string>;
  /** Origin of the app's server; defaults to `location.origin`. */
  origin?: string;
  fetch?: typeof fetch;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onCall?: (record: CallRecord) => void;
  onRetry?: (notice: RetryNotice) => void;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Query parameters; arrays repeat the key, as the Databricks SDKs do. */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
}

export interface WorkspaceClient {
  getJson<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
}

/** Builds `path?query` with repeated keys for arrays. */
export function buildPath(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Databricks rejects a token it will not accept with 401, and (depending on the era) with 403
 * "Invalid access token"/"JWT has expired" or 400 JWT-claim exceptions: all mean "get a fresh token".
 * @see ../../../shared reference: databricks-api-facts.md §3
 */
function isTokenRejection(status: number, errorCode: string | undefined, message: string | undefined): boolean {
  if (status === 401) return true;
  const text = `${errorCode ?? ''} ${message ?? ''}`;
  if (status === 403 && errorCode === '403') return /token|jwt/i.test(text);
  if (status === 400) return /ExpiredJwtException|IncorrectClaimException|jwt has expired/i.test(text);
  return false;
}

interface ParsedErrorBody {
  errorCode?: string;
  message?: string;
  requestId?: string;
  proxy?: { code: string; message: string };
}

/** Reads Databricks' error JSON, SCIM's RFC 7644 errors, our proxy's refusals and legacy HTML. */
export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      const error = body.error;
      if (error && typeof error === 'object') {
        const code = (error as Record<string, unknown>).code;
        if (typeof code === 'string' && code.startsWith('PROXY_')) {
          const message = (error as Record<string, unknown>).message;
          return { proxy: { code, message: typeof message === 'string' ? message : '' } };
        }
      }
      const result: ParsedErrorBody = {};
      if (typeof body.error_code === 'string' || typeof body.error_code === 'number')
        result.errorCode = String(body.error_code);
      if (typeof body.message === 'string') result.message = body.message;
      if (result.errorCode === undefined && typeof body.detail === 'string') {
        result.message = body.detail;
        result.errorCode = `SCIM_${String(body.status ?? '')}`;
      }
      if (Array.isArray(body.details)) {
        for (const item of body.details) {
          if (item && typeof item === 'object' && typeof (item as Record<string, unknown>).request_id === 'string') {
            result.requestId = (item as Record<string, unknown>).request_id as string;
          }
        }
      }
      return result;
    } catch {
      // Not JSON after all: fall through to text handling.
    }
  }
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(trimmed)?.[1] ?? /<title>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1];
  const line = (pre ?? trimmed).split('\n')[0]?.trim().slice(0, 300);
  return line ? { message: line } : {};
}

/**
 * The one workspace client: through the same-origin proxy, a bearer token per request, one
 * forced refresh and retry on a token rejection, bounded retries on 429/503 honouring
 * Retry-After, a per-attempt timeout, and typed errors.
 * @throws {DatabricksApiError | ProxyRefusedError | WorkspaceNetworkError | WorkspaceTimeoutError | WorkspaceBadResponseError}
 *   and the signal's reason (an AbortError) when aborted; token errors from `getAccessToken` pass through.
 * @see https://docs.databricks.com/api/azure/workspace/introduction
 */
export function createWorkspaceClient(options: WorkspaceClientOptions): WorkspaceClient {
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const origin = options.origin ?? globalThis.location.origin;
  const prefix = `/databricks/${options.workspaceHost}`;
  const http = ky.create({
    retry: 0,
    throwHttpErrors: false,
    timeout: timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function getJson<T>(path: string, request: RequestOptions = {}): Promise<T> {
    const fullPath = buildPath(path, request.query);
    const target: CallTarget = { method: 'GET', path: fullPath };
    const url = new URL(prefix + fullPath, origin).toString();
    let forceRefresh = false;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      request.signal?.throwIfAborted();
      const token = await options.getAccessToken({ forceRefresh });
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
      if (options.workspaceResourceId) headers[RESOURCE_ID_HEADER] = options.workspaceResourceId;
      const started = now();
      const report = (status: number | undefined, failure?: string) =>
        options.onCall?.({
          method: 'GET',
          path: fullPath,
          status,
          ...(failure ? { failure } : {}),
          durationMs: Math.max(0, now() - started),
          attempt,
          resourceIdHeader: Boolean(options.workspaceResourceId),
          afterForcedRefresh: forceRefresh,
        });
      let response: Response;
      try {
        response = await http.get(url, { headers, ...(request.signal ? { signal: request.signal } : {}) });
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (isTimeoutError(error)) {
          report(undefined, 'API_TIMEOUT');
          throw new WorkspaceTimeoutError(target, timeoutMs);
        }
        report(undefined, 'API_NETWORK_ERROR');
        // The cause is the fetch failure itself; it names the URL but never the headers.
        throw new WorkspaceNetworkError(target, error);
      }
      report(response.status);
      if (response.ok) {
        const text = await response.text();
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new WorkspaceBadResponseError(target, response.status, 'the body is not JSON');
        }
      }
      const body = parseErrorBody(await response.text().catch(() => ''));
      if (body.proxy) {
        throw new ProxyRefusedError(target, {
          status: response.status,
          proxyCode: body.proxy.code,
          proxyMessage: body.proxy.message,
        });
      }
      const facts = {
        status: response.status,
        ...(body.errorCode !== undefined ? { errorCode: body.errorCode } : {}),
        ...(body.message !== undefined ? { apiMessage: body.message } : {}),
        ...((body.requestId ?? response.headers.get('x-request-id'))
          ? { requestId: body.requestId ?? response.headers.get('x-request-id') ?? '' }
          : {}),
      };
      if (isTokenRejection(response.status, body.errorCode, body.message)) {
        if (!refreshed) {
          refreshed = true;
          forceRefresh = true;
          continue;
        }
        throw new DatabricksApiError(target, facts, 'API_UNAUTHORIZED');
      }
      forceRefresh = false;
      const decision = decideRetry(
        policy,
        attempt,
        response.status,
        response.headers.get('retry-after'),
        now(),
        random(),
      );
      if (!decision.retry) {
        throw new DatabricksApiError(target, facts, response.status === 429 ? 'API_RATE_LIMITED' : 'API_HTTP_ERROR');
      }
      options.onRetry?.({ path: fullPath, status: response.status, delayMs: decision.delayMs, attempt });
      await sleep(decision.delayMs, request.signal);
    }
  }

  return { getJson };
}
