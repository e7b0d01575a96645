import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { constants as http2Constants } from 'node:http2';
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { normalizeExtraHost, PROXY_PREFIX, resolveProxyTarget, WORKSPACE_HOST_FORMS } from './allowlist.ts';
import { ProxyError } from './errors.ts';
import { WRITE_METHODS } from './settings.ts';

/** Timeouts in milliseconds. */
export interface ProxyTimeouts {
  /** TCP and TLS connection set-up. Default 10 000. */
  connect?: number;
  /** From sending the request to receiving the response headers. Default 60 000. */
  headers?: number;
  /** Longest silence between two chunks of the response body. Default 60 000. */
  idle?: number;
  /** How long an unused upstream connection is kept open for reuse. Default 30 000. */
  keepAlive?: number;
}

/** Options for {@link createProxyMiddleware}. */
export interface ProxyOptions {
  /**
   * Hosts forwarded to besides the Azure Databricks workspace patterns, as `host` or
   * `host:port` (port 443 when omitted), e.g. the sandbox workspace `localhost:5175`.
   */
  extraHosts?: readonly string[];
  /**
   * An extra CA certificate (PEM) trusted for upstream TLS besides the system CAs, e.g. the local
   * sandbox CA. Without it Node's default trust applies (including NODE_EXTRA_CA_CERTS).
   */
  extraCa?: string;
  /** Forward POST as well as GET. Off by default: the app only reads. */
  allowPost?: boolean;
  /**
   * Connect to another address for some `host:port` pairs, as curl's `--connect-to`: the request,
   * its Host header and the certificate check keep the original host name, only the TCP
   * connection goes elsewhere (`EXPLORER_PROXY_CONNECT_TO`). Keys are `host:port`, lower case.
   */
  connectTo?: ReadonlyMap<string, { host: string; port: number }>;
  timeouts?: ProxyTimeouts;
  /** One line per refused or failed request. Never receives tokens or query strings. Default: console.warn. */
  log?: (line: string) => void;
  /** Replaces the upstream connection pool (tests count dispatches with it). */
  dispatcher?: Dispatcher;
}

/** The checked form of {@link ProxyOptions}. */
export interface ResolvedProxyConfig {
  extraHosts: ReadonlySet<string>;
  methods: ReadonlySet<string>;
  timeouts: Required<ProxyTimeouts>;
}

/** A Connect-style middleware with a way to release its upstream connections. */
export interface ProxyMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  readonly config: ResolvedProxyConfig;
  /** The allowlist in one line, for the start-up banner. */
  describe(): string;
  /** Closes idle upstream connections and refuses new requests. */
  close(): Promise<void>;
}

/** Headers forwarded from the browser; everything else (cookies, Origin, Referer, hop-by-hop) is dropped. */
export const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'x-databricks-azure-workspace-resource-id',
] as const;

/**
 * Response headers never passed back: hop-by-hop headers (also illegal in HTTP/2), cookies for
 * the workspace's domain, CORS grants (the page is same-origin; nothing else may read through
 * the proxy), and policies that would bind to the app's origin instead of the workspace's.
 */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'http2-settings',
  'set-cookie',
  'set-cookie2',
  'strict-transport-security',
  'alt-svc',
  'public-key-pins',
  'content-security-policy',
  'content-security-policy-report-only',
  'referrer-policy',
  'x-content-type-options',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'cross-origin-embedder-policy',
  'x-frame-options',
  'content-disposition',
]);

/**
 * Set on every answer the proxy sends, forwarded or its own, whatever the workspace sent: the
 * answer is data for the app's `fetch`, never a page, script, style or frame of the app's origin.
 * A document opened from it gets an opaque origin with scripts off (`sandbox`) and may load
 * nothing; `nosniff` and `attachment` stop browsers from guessing a type or rendering it inline.
 * @see https://www.w3.org/TR/CSP3/#directive-sandbox
 */
export const INERT_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Content-Disposition': 'attachment',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * `Sec-Fetch-Dest` values the proxy serves: `empty` is what `fetch` and XMLHttpRequest send.
 * Navigations, scripts, styles, frames, workers, images… are refused before any connection.
 * @see https://www.w3.org/TR/fetch-metadata/#sec-fetch-dest-header
 */
const SERVED_DESTINATIONS = new Set(['empty']);

/**
 * Headers HTTP allows once per answer, as Node's HTTP/2 layer enforces them: a workspace answer
 * that repeats one would make the HTTP/2 response throw. The first value is kept (and the repeat
 * logged), for HTTP/1.1 clients too, so both protocols get the same answer.
 */
const SINGLE_VALUE_HEADERS = new Set([
  'age',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expires',
  'last-modified',
  'location',
  'retry-after',
]);

/** Types a browser could run or apply when loaded by a tag (scripts, styles, WebAssembly); served as text. */
const EXECUTABLE_TYPE = /(java|ecma|j|live)script|^\s*text\/css|wasm/i;

const VISIBLE_ASCII = /^[\t\x20-\x7e]*$/;
const DEFAULT_TIMEOUTS: Required<ProxyTimeouts> = { connect: 10_000, headers: 60_000, idle: 60_000, keepAlive: 30_000 };
const LOG_PREFIX = '[explorer proxy]';
const MAX_CONNECTIONS_PER_HOST = 64;

/**
 * Creates the Databricks proxy: `/databricks/{host[:port]}/api/…` is forwarded to
 * `https://{host[:port]}/api/…` when the host is an Azure Databricks workspace (public, US Gov,
 * China) or a configured extra host. Requests outside `/databricks/` go to `next()`.
 *
 * Refusals (405, 403, 414, 400) are decided before any upstream connection is made. Upstream
 * status, headers (minus the dropped ones) and body pass through unchanged and streamed, with
 * backpressure; upstream failures become 502 (504 for timeouts) with a JSON body
 * `{ "error": { "code": "PROXY_…", "message": "…" } }` and one log line.
 * @throws TypeError for a malformed `extraHosts` entry
 */
export function createProxyMiddleware(options: ProxyOptions = {}): ProxyMiddleware {
  const config: ResolvedProxyConfig = {
    extraHosts: new Set((options.extraHosts ?? []).map(normalizeExtraHost)),
    methods: new Set(options.allowPost ? ['GET', ...WRITE_METHODS] : ['GET']),
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
  };
  const log = options.log ?? ((line: string) => console.warn(line));
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      // Per workspace; further requests wait for a free connection instead of opening more.
      connections: MAX_CONNECTIONS_PER_HOST,
      keepAliveTimeout: config.timeouts.keepAlive,
      headersTimeout: config.timeouts.headers,
      bodyTimeout: config.timeouts.idle,
      connect: connectTo(options.connectTo, {
        timeout: config.timeouts.connect,
        // `ca` replaces Node's default trust, so the system roots go in alongside. One context
        // for all connections: given as `ca`, tls.connect would parse ~150 roots per connection.
        ...(options.extraCa
          ? { secureContext: createSecureContext({ ca: [...rootCertificates, options.extraCa] }) }
          : {}),
      }),
    });
  const allowHeader = [...config.methods].join(', ');
  let closed = false;

  function refuse(req: IncomingMessage, res: ServerResponse, error: ProxyError, where: string): void {
    log(`${LOG_PREFIX} ${req.method} ${where} → ${error.status} ${error.code}: ${error.message}`);
    sendError(res, error, error.code === 'PROXY_METHOD_NOT_ALLOWED' ? { Allow: allowHeader } : {});
  }

  const middleware = function databricksProxyMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void {
    const url = req.url ?? '';
    if (!url.startsWith(PROXY_PREFIX)) {
      if (url === '/databricks' || url.startsWith('/databricks?')) {
        refuse(
          req,
          res,
          new ProxyError(
            'PROXY_BAD_HOST',
            'The proxy path names no workspace host. Use /databricks/{host[:port]}/api/….',
          ),
          '/databricks',
        );
        return;
      }
      next();
      return;
    }
    const where = safePathForLog(url);
    try {
      const method = req.method ?? '';
      if (!config.methods.has(method)) {
        throw new ProxyError(
          'PROXY_METHOD_NOT_ALLOWED',
          `The proxy forwards ${allowHeader} only, not ${JSON.stringify(method.slice(0, 20))}.${method === 'POST' ? ' Start the server with EXPLORER_PROXY_ALLOW_POST=1 to forward POST.' : ''}`,
        );
      }
      checkSameOrigin(req);
      checkFetchDestination(req);
      const target = resolveProxyTarget(url, config.extraHosts);
      const headers = pickRequestHeaders(req.headers, target.host);
      if (closed) {
        throw new ProxyError(
          'PROXY_UPSTREAM_UNREACHABLE',
          'The proxy is shutting down; reload the page once the server is back.',
          {
            host: target.host,
          },
        );
      }
      // Vite's TLS server is an HTTP/2 server that also accepts HTTP/1.1, and for those
      // connections Node leaves Nagle's algorithm on: a small response then waits ~40 ms for a
      // delayed ACK. HTTP/2 sockets cannot be touched (and are not affected).
      if (req.httpVersionMajor === 1) req.socket?.setNoDelay?.(true);
      forward(req, res, target, headers, method, dispatcher, config.timeouts, log);
    } catch (error) {
      if (error instanceof ProxyError) refuse(req, res, error, where);
      else next(error);
    }
  } as ProxyMiddleware;

  Object.defineProperty(middleware, 'config', { value: config });
  Object.defineProperty(middleware, 'describe', {
    value: () => {
      const hosts = [...WORKSPACE_HOST_FORMS, ...config.extraHosts].join(', ');
      return `${LOG_PREFIX} ${PROXY_PREFIX}{host}/api/… → https://{host}/api/… for ${hosts} (${allowHeader})`;
    },
  });
  Object.defineProperty(middleware, 'close', {
    value: async () => {
      closed = true;
      if (ownsDispatcher) await dispatcher.close();
    },
  });
  return middleware;
}

/**
 * undici's connector, sending the connections named in `map` to their replacement address while
 * TLS still sends and checks the original host name (SNI and certificate).
 */
function connectTo(
  map: ReadonlyMap<string, { host: string; port: number }> | undefined,
  options: buildConnector.BuildOptions,
): buildConnector.BuildOptions | buildConnector.connector {
  if (!map || map.size === 0) return options;
  const connect = buildConnector(options);
  return (target, callback) => {
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    const to = map.get(`${target.hostname.toLowerCase()}:${port}`);
    if (!to) return connect(target, callback);
    return connect(
      { ...target, hostname: to.host, port: String(to.port), servername: target.servername || target.hostname },
      callback,
    );
  };
}

/**
 * Refuses requests a page on another origin made: `Sec-Fetch-Site` must be `same-origin` (or
 * `none`, a user typing the URL) and `Origin`, when sent, must be this server's own origin.
 * Requests with neither header come from non-browser clients, which could reach the workspace
 * directly anyway.
 * @see https://www.w3.org/TR/fetch-metadata/
 */
function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ProxyError(
      'PROXY_ORIGIN_REFUSED',
      `The proxy serves only pages from its own origin; this request came from a ${JSON.stringify(site)} page. Open the app at this server's address.`,
    );
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const authority = (req.headers as Record<string, string | undefined>)[':authority'] ?? req.headers.host;
  const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  if (authority === undefined || origin.toLowerCase() !== `${scheme}://${authority.toLowerCase()}`) {
    throw new ProxyError(
      'PROXY_ORIGIN_REFUSED',
      `The proxy serves only pages from its own origin, not from ${JSON.stringify(origin.slice(0, 200))}. Open the app at this server's address.`,
    );
  }
}

/**
 * Refuses requests a browser made for anything but `fetch`/XMLHttpRequest (`Sec-Fetch-Dest` other
 * than `empty`): a `<script>`, `<link rel=stylesheet>`, `<iframe>`, worker or navigation pointed
 * at the proxy would otherwise get the workspace's answer as code or a page of the app's origin.
 */
function checkFetchDestination(req: IncomingMessage): void {
  const dest = req.headers['sec-fetch-dest'];
  if (dest === undefined || SERVED_DESTINATIONS.has(dest)) return;
  throw new ProxyError(
    'PROXY_DESTINATION_REFUSED',
    `The proxy answers only the app's fetch calls; this request was made to load a ${JSON.stringify(dest.slice(0, 40))} (Sec-Fetch-Dest). Workspace answers are data, never pages, scripts, styles, frames or workers; open the app instead.`,
  );
}

function pickRequestHeaders(incoming: IncomingHttpHeaders, host: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (!VISIBLE_ASCII.test(text)) {
      // The value itself is never echoed: it may be a token.
      throw new ProxyError(
        'PROXY_BAD_HEADER',
        `The ${name} header contains characters other than visible ASCII; the proxy does not forward it to ${host}. Check what the app puts in that header.`,
        { host },
      );
    }
    headers[name] = text;
  }
  const length = incoming['content-length'];
  if (length !== undefined) headers['content-length'] = length;
  return headers;
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: { host: string; origin: string; path: string; pathname: string },
  headers: Record<string, string>,
  method: string,
  dispatcher: Dispatcher,
  timeouts: Required<ProxyTimeouts>,
  log: (line: string) => void,
): void {
  let controller: Dispatcher.DispatchController | undefined;
  let clientGone = false;
  let done = false;
  let stall: NodeJS.Timeout | undefined;
  const copied: string[] = [];
  const where = `${target.host}${target.pathname}`;
  // Everything a downstream request can end with. HTTP/2 (Node's compatibility API) does not always
  // report a vanished client: one that stops reading and then resets its connection leaves the
  // response, the stream and the session without any event for good (Node reads no more from a
  // socket it cannot write to). So the stream and the socket are watched as well as the response,
  // and a paused download that has not drained after the idle timeout is cut.
  const stream = (req as unknown as { stream?: import('node:http2').ServerHttp2Stream }).stream;
  const ended: [NodeJS.EventEmitter | undefined, string][] = [
    [res, 'close'],
    [res, 'error'],
    [req, 'close'],
    [req, 'aborted'],
    [req, 'error'],
    [stream, 'close'],
    [stream, 'aborted'],
    [stream, 'error'],
    [stream ? undefined : req.socket, 'close'],
  ];

  const release = () => {
    done = true;
    if (stall) clearTimeout(stall);
    for (const [emitter, event] of ended) emitter?.off(event, onGone);
    res.off('drain', onDrain);
  };
  function onGone(this: unknown): void {
    if (done) return;
    // An HTTP/1.1 request whose body was read may report 'close' while its answer still streams.
    if (this === req && !req.aborted && !res.destroyed && !req.socket?.destroyed) return;
    clientGone = true;
    release();
    // The browser went away (navigation, AbortController, dropped connection): stop the upstream request too.
    controller?.abort(new Error('client closed the connection'));
  }
  for (const [emitter, event] of ended) emitter?.on(event, onGone);
  const onDrain = () => {
    if (stall) clearTimeout(stall);
    stall = undefined;
    controller?.resume();
  };
  res.on('drain', onDrain);
  const onStalled = () => {
    if (done) return;
    log(
      `${LOG_PREFIX} ${method} ${where} → cut: the browser read nothing for ${timeouts.idle / 1000} s; the workspace request was aborted`,
    );
    clientGone = true;
    release();
    controller?.abort(new Error('client stopped reading'));
    res.destroy();
    stream?.close?.(http2Constants.NGHTTP2_CANCEL);
  };

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (clientGone) c.abort(new Error('client closed the connection'));
    },
    onResponseStart(_c, statusCode, upstreamHeaders) {
      if (clientGone) return;
      res.statusCode = statusCode;
      for (const [name, value] of Object.entries(upstreamHeaders)) {
        if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name) || name.startsWith('access-control-')) continue;
        if (Array.isArray(value) && SINGLE_VALUE_HEADERS.has(name)) {
          log(
            `${LOG_PREFIX} ${method} ${where}: the workspace sent ${value.length} ${name} headers; passing on the first only`,
          );
          res.setHeader(name, value[0] ?? '');
        } else {
          res.setHeader(name, value);
        }
        copied.push(name);
      }
      const type = res.getHeader('content-type');
      if (typeof type === 'string' && EXECUTABLE_TYPE.test(type))
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      for (const [name, value] of Object.entries(INERT_RESPONSE_HEADERS)) res.setHeader(name, value);
    },
    onResponseData(c, chunk) {
      if (clientGone) return;
      if (!res.write(chunk)) {
        c.pause();
        stall ??= setTimeout(onStalled, timeouts.idle);
      }
    },
    onResponseEnd() {
      if (clientGone) return;
      release();
      res.end();
    },
    onResponseError(_c, error) {
      if (clientGone) return;
      release();
      const failure = classifyUpstreamError(error, target.host);
      log(
        `${LOG_PREFIX} ${method} ${where} → ${res.headersSent ? 'aborted mid-response' : failure.status} ${failure.code}: ${failure.message}`,
      );
      if (res.headersSent) {
        // Status and part of the body are already out; cutting the stream tells the browser it is incomplete.
        res.destroy(failure);
      } else {
        // Nothing is out yet: replace the workspace's headers (Content-Encoding, ETag…) with the error's own.
        for (const name of copied) res.removeHeader(name);
        sendError(res, failure);
      }
    },
  };

  try {
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: method === 'GET' ? null : req,
      },
      handler,
    );
  } catch (error) {
    // undici reports most failures through the handler; anything thrown is answered the same way.
    handler.onResponseError?.(controller as Dispatcher.DispatchController, error as Error);
  }
}

const TLS_CODES = /CERT|SSL|TLS|EPROTO|ERR_SSL|UNABLE_TO_(GET|VERIFY)/;

/**
 * Maps an upstream failure to a {@link ProxyError}: timeouts → 504, DNS, TLS and connection
 * failures → 502, each naming the host and the low-level cause.
 */
export function classifyUpstreamError(error: unknown, host: string): ProxyError {
  const code = findCode(error);
  const detail = `${code ?? 'unknown'}${error instanceof Error && error.message ? `: ${error.message}` : ''}`;
  const facts = { host, causeCode: code, cause: error };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return new ProxyError(
        'PROXY_UPSTREAM_TIMEOUT',
        `The workspace ${host} did not answer in time (${detail}). Try again; if it keeps happening, check the workspace's status and your network.`,
        facts,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new ProxyError(
        'PROXY_UPSTREAM_DNS',
        `The workspace host ${host} could not be resolved (${detail}). Check the workspace URL and your DNS or VPN (Private Link workspaces resolve only inside their network).`,
        facts,
      );
  }
  if (code !== undefined && TLS_CODES.test(code)) {
    return new ProxyError(
      'PROXY_UPSTREAM_TLS',
      `The TLS connection to ${host} failed (${detail}). Check that the workspace URL is right; for a local workspace, give the proxy its CA certificate.`,
      facts,
    );
  }
  return new ProxyError(
    'PROXY_UPSTREAM_UNREACHABLE',
    `The workspace ${host} could not be reached (${detail}). Check that it is running and the URL and port are right.`,
    facts,
  );
}

function findCode(error: unknown): string | undefined {
  let current: unknown = error;
  let fallback: string | undefined;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    // undici wraps the socket's own error (ECONNRESET, a TLS code) in generic ones; prefer the specific one.
    if (typeof code === 'string') {
      if (code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
      fallback ??= code;
    }
    current = current.cause;
  }
  return fallback;
}

/** Answers with the proxy's JSON error body; never cached, never readable cross-origin. */
export function sendError(res: ServerResponse, error: ProxyError, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify(error.toJSON());
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  for (const [name, value] of Object.entries(INERT_RESPONSE_HEADERS)) res.setHeader(name, value);
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  res.end(body);
}

/** The request path without its query string (which may carry secrets), with odd characters escaped and length capped. */
function safePathForLog(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const shown = JSON.stringify(path.slice(0, 200)).slice(1, -1);
  return path.length > 200 ? `${shown}…` : shown;
}
