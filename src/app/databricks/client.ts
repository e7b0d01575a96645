import ky, { type HTTPError, isForceRetryError, isHTTPError, isNetworkError, isTimeoutError, type KyRequest } from 'ky';
import {
  type CallTarget,
  DatabricksApiError,
  ProxyRefusedError,
  WorkspaceBadResponseError,
  type WorkspaceError,
  WorkspaceNetworkError,
  WorkspaceTimeoutError,
} from './errors.ts';
import { classifyTokenRejection } from './token-rejection.ts';
import { RESOURCE_ID_HEADER } from '../well-known.ts';

/** Header that makes a Contributor/Owner of the workspace resource a workspace admin on first use. */

/**
 * How the client retries a throttled (429) or overloaded (503) workspace. ky does the waiting:
 * Retry-After when the workspace sends one, else exponential backoff from `baseDelayMs` with up to
 * one `baseDelayMs` of jitter. A Retry-After longer than `maxWaitMs` ends the retries at once
 * (the person sees the error and can try again, instead of a page that waits minutes).
 * @see https://learn.microsoft.com/azure/databricks/resources/limits
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export const RETRY_POLICY = {
  statusCodes: [429, 503],
  /** Retries after the first attempt (so up to 4 attempts), a forced token refresh included. */
  limit: 3,
  baseDelayMs: 1000,
  maxWaitMs: 30_000,
} as const;

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
  /** True when the bearer token was force-refreshed for this attempt after a rejected token. */
  afterForcedRefresh: boolean;
}

/** Shown to the person while the client waits before a retry. */
export interface RetryNotice {
  path: string;
  status: number;
  delayMs: number;
  /** The attempt that failed (1-based); the next one is `attempt + 1`. */
  attempt: number;
}

export interface WorkspaceClientOptions {
  /** `host[:port]` of the workspace; calls go to `/databricks/{host}/api/…` on the page's origin. */
  workspaceHost: string;
  /** Sent as {@link RESOURCE_ID_HEADER} when set. */
  workspaceResourceId?: string | undefined;
  /** Bearer token for each attempt (MSAL's acquireTokenSilent); `forceRefresh` after a rejected token. */
  getAccessToken(options: { forceRefresh: boolean }): Promise<string>;
  /** Origin of the app's server; defaults to `location.origin`. */
  origin?: string;
  fetch?: typeof fetch;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  /** Clock for call durations. */
  now?: () => number;
  /** Source of the backoff's jitter, a number in [0, 1). */
  random?: () => number;
  onCall?: (record: CallRecord) => void;
  onRetry?: (notice: RetryNotice) => void;
}

/** Query parameters; arrays repeat the key, as the Databricks SDKs do; undefined values are left out. */
export type QueryParams = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  query?: QueryParams;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to the workspace REST API, as an API explorer would build it. */
export interface WorkspaceRequest extends RequestOptions {
  /** Default GET. Only GET, HEAD, PUT and DELETE are retried on 429/503 (ky's idempotent methods). */
  method?: HttpMethod;
  /** The API path below the workspace origin, e.g. `/api/2.1/clusters/get`; no query, no dot segments. */
  path: string;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /**
   * JSON text sent exactly as given, with `Content-Type: application/json`, instead of `json`: for
   * bodies a person wrote, whose 19-digit integers `JSON.stringify` would round.
   */
  jsonText?: string;
  /** Extra request headers. Authorization and the resource-ID header are always the client's own. */
  headers?: Record<string, string>;
}

/** A 2xx answer. `text` is the body exactly as received, so callers can parse 64-bit numbers losslessly. */
export interface WorkspaceResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** What clusters.ts and scim.ts need; tests hand in fakes of this. */
export interface WorkspaceClient {
  getJson<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
}

/** The full client: {@link WorkspaceClient} plus any method and path. */
export interface WorkspaceRequestClient extends WorkspaceClient {
  /**
   * Sends one request (with the token, the retries and the forced refresh) and returns the 2xx answer.
   * @throws the same typed errors as {@link WorkspaceRequestClient.getJson}; TypeError for a path
   *   that is not a plain absolute path.
   */
  request(request: WorkspaceRequest): Promise<WorkspaceResponse>;
}

/**
 * Databricks rejects a token it will not accept with 401, and (depending on the era) with 403
 * "Invalid access token"/"JWT has expired" or 400 JWT-claim exceptions: all mean "get a fresh token".
 * @see ../../../shared reference: databricks-api-facts.md §3
 */
function isTokenRejection(status: number, errorCode: string | undefined, message: string | undefined): boolean {
  if (status === 401) return true;
  // Older workspaces answer a rejected token with 403 and a numeric error_code, and the JWT filter
  // with a 400 HTML page: only the service's own rejection messages tell those apart from other
  // 403s and 400s (see token-rejection.ts for the quirk and the recorded texts).
  if ((status === 403 && errorCode === '403') || status === 400)
    return classifyTokenRejection(message) !== 'unrecognised';
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

const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * How long a Retry-After asks to wait, for the two forms RFC 9110 lets a server send (delay
 * seconds, IMF-fixdate); undefined otherwise. ky reads the same header for the actual wait; we
 * read it only to give up past {@link RETRY_POLICY}.maxWaitMs and to tell the person how long.
 */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!IMF_FIXDATE.test(value)) return undefined;
  return Math.max(0, Date.parse(value) - Date.now());
}

/** Pairs for ky's `searchParams`: arrays repeat the key, undefined values are left out. */
function queryPairs(query: QueryParams | undefined): [string, string][] {
  return Object.entries(query ?? {}).flatMap(([key, value]): [string, string][] => {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value.map((item) => [key, String(item)]);
    return [[key, String(value)]];
  });
}

const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** The path must stay below the proxy's `/databricks/{host}` prefix once the URL is resolved. */
function checkPath(path: string): void {
  if (!path.startsWith('/') || /[?#\\]/.test(path) || DOT_SEGMENT.test(path)) {
    throw new TypeError(
      `The API path ${JSON.stringify(path)} must be an absolute path such as /api/2.1/clusters/list, with no "?", "#", "\\" or "."/".." segments; pass query parameters as \`query\`.`,
    );
  }
}

/** Marks the forced retry after a rejected token in ky's ForceRetryError. */
const TOKEN_REJECTED = 'TOKEN_REJECTED';

/**
 * The one workspace client, built on ky: through the same-origin proxy, a bearer token per
 * attempt, one forced refresh and retry on a rejected token (an `afterResponse` hook returning
 * `ky.retry()`), bounded retries on 429/503 honouring Retry-After (ky's `retry`), a per-attempt
 * timeout, and typed errors (a `beforeError` hook).
 * @throws {DatabricksApiError | ProxyRefusedError | WorkspaceNetworkError | WorkspaceTimeoutError | WorkspaceBadResponseError}
 *   and the signal's reason (an AbortError) when aborted; token errors from `getAccessToken` pass through.
 * @see https://docs.databricks.com/api/azure/workspace/introduction
 */
export function createWorkspaceClient(options: WorkspaceClientOptions): WorkspaceRequestClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const prefix = `/databricks/${options.workspaceHost}`;
  const http = ky.create({
    baseUrl: options.origin ?? globalThis.location.origin,
    prefix,
    timeout: timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  /** Path and query as sent, below the workspace origin. */
  const pathOf = (request: KyRequest | Request): string => {
    const url = new URL(request.url);
    return url.pathname.slice(prefix.length) + url.search;
  };

  async function request(call: WorkspaceRequest): Promise<WorkspaceResponse> {
    checkPath(call.path);
    const method = call.method ?? 'GET';
    // One attempt's facts, shared by the hooks of this call.
    let started = 0;
    let attempt = 1;
    let forcedRefresh = false;
    let refreshed = false;
    let awaitingAnswer = false;
    let errorBody: ParsedErrorBody = {};
    let errorText = '';
    let failedStatus = 0;
    let failedPath = '';

    const report = (request: KyRequest, status: number | undefined, failure?: string) =>
      options.onCall?.({
        method,
        path: pathOf(request),
        status,
        ...(failure ? { failure } : {}),
        durationMs: Math.max(0, now() - started),
        attempt,
        resourceIdHeader: Boolean(options.workspaceResourceId),
        afterForcedRefresh: forcedRefresh,
      });
    const announce = (delayMs: number) =>
      options.onRetry?.({ path: failedPath, status: failedStatus, delayMs, attempt });

    const authorize = async (request: KyRequest, forceRefresh: boolean) => {
      const token = await options.getAccessToken({ forceRefresh });
      request.headers.set('Authorization', `Bearer ${token}`);
      if (options.workspaceResourceId) request.headers.set(RESOURCE_ID_HEADER, options.workspaceResourceId);
      started = now();
      awaitingAnswer = true;
    };

    const typed = (request: KyRequest, error: HTTPError): WorkspaceError => {
      const target: CallTarget = { method, path: pathOf(request) };
      const { status, headers } = error.response;
      if (errorBody.proxy) {
        return new ProxyRefusedError(target, {
          status,
          proxyCode: errorBody.proxy.code,
          proxyMessage: errorBody.proxy.message,
        });
      }
      const requestId = errorBody.requestId ?? headers.get('x-request-id') ?? undefined;
      const facts = {
        status,
        ...(errorBody.errorCode !== undefined ? { errorCode: errorBody.errorCode } : {}),
        ...(errorBody.message !== undefined ? { apiMessage: errorBody.message } : {}),
        ...(requestId ? { requestId } : {}),
        responseHeaders: [...headers],
        bodyText: errorText,
      };
      const code = isTokenRejection(status, errorBody.errorCode, errorBody.message)
        ? 'API_UNAUTHORIZED'
        : status === 429
          ? 'API_RATE_LIMITED'
          : 'API_HTTP_ERROR';
      return new DatabricksApiError(target, facts, code);
    };

    const response = await http(call.path.slice(1), {
      method,
      headers: {
        Accept: 'application/json',
        ...(call.jsonText !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...call.headers,
      },
      ...(call.query ? { searchParams: queryPairs(call.query) } : {}),
      ...(call.json !== undefined ? { json: call.json } : call.jsonText !== undefined ? { body: call.jsonText } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
      retry: {
        limit: RETRY_POLICY.limit,
        statusCodes: [...RETRY_POLICY.statusCodes],
        afterStatusCodes: [...RETRY_POLICY.statusCodes],
        maxRetryAfter: RETRY_POLICY.maxWaitMs,
        backoffLimit: RETRY_POLICY.maxWaitMs,
        delay: (retry) => RETRY_POLICY.baseDelayMs * 2 ** (retry - 1),
        // ky calls this only when it backs off (no usable Retry-After): announce the wait it will make.
        jitter: (delayMs) => {
          const wait = Math.min(delayMs + Math.floor(random() * RETRY_POLICY.baseDelayMs), RETRY_POLICY.maxWaitMs);
          announce(wait);
          return wait;
        },
        shouldRetry: ({ error }) => {
          // Network failures, timeouts and aborts become typed errors at once, as before.
          if (!isHTTPError(error)) return false;
          const { status, headers } = error.response;
          if (!(RETRY_POLICY.statusCodes as readonly number[]).includes(status)) return false;
          const told = retryAfterMs(headers.get('retry-after'));
          if (told !== undefined && told > RETRY_POLICY.maxWaitMs) return false;
          // ky waits for Retry-After itself (afterStatusCodes); without one it calls `jitter` above.
          if (told !== undefined) announce(told);
          return undefined;
        },
      },
      hooks: {
        beforeRequest: [({ request }) => authorize(request, false)],
        afterResponse: [
          async ({ request, response, retryCount }) => {
            awaitingAnswer = false;
            attempt = retryCount + 1;
            report(request, response.status);
            if (response.ok) return;
            failedStatus = response.status;
            failedPath = pathOf(request);
            errorText = await response.text().catch(() => '');
            errorBody = parseErrorBody(errorText);
            if (
              !refreshed &&
              retryCount < RETRY_POLICY.limit &&
              isTokenRejection(response.status, errorBody.errorCode, errorBody.message)
            ) {
              refreshed = true;
              return ky.retry({ code: TOKEN_REJECTED, delay: 0 });
            }
          },
        ],
        beforeRetry: [
          async ({ request, error, retryCount }) => {
            attempt = retryCount + 1;
            forcedRefresh = isForceRetryError(error) && error.code === TOKEN_REJECTED;
            await authorize(request, forcedRefresh);
          },
        ],
        beforeError: [
          ({ request, error }) => {
            // The caller's abort reason passes through untouched, as do errors of getAccessToken.
            if (call.signal?.aborted) return call.signal.reason instanceof Error ? call.signal.reason : error;
            if (isHTTPError(error)) return typed(request, error);
            if (!awaitingAnswer) return error;
            const target: CallTarget = { method, path: pathOf(request) };
            if (isTimeoutError(error)) {
              report(request, undefined, 'API_TIMEOUT');
              return new WorkspaceTimeoutError(target, timeoutMs, error);
            }
            if (isNetworkError(error) || error instanceof TypeError) {
              report(request, undefined, 'API_NETWORK_ERROR');
              // The cause is the fetch failure itself; it names the URL but never the headers.
              return new WorkspaceNetworkError(target, error);
            }
            return error;
          },
        ],
      },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  }

  async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await request({ path, ...options });
    try {
      return JSON.parse(response.text) as T;
    } catch {
      const url = queryPairs(options.query).length ? `?${new URLSearchParams(queryPairs(options.query))}` : '';
      throw new WorkspaceBadResponseError({ method: 'GET', path: path + url }, response.status, 'the body is not JSON');
    }
  }

  return { request, getJson };
}
