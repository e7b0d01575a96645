/**
 * The proxy's error family. Every refusal and every upstream failure is a {@link ProxyError}
 * with a stable `code` and the HTTP status the browser receives; configuration problems are a
 * {@link ServerSettingsError}. Branch on `code`, never on message text.
 */

/** Why the proxy answered instead of the workspace. */
export type ProxyErrorCode =
  /** The method is not one the app uses (GET; POST only when enabled). 405. */
  | 'PROXY_METHOD_NOT_ALLOWED'
  /** The request came from another origin (Origin / Sec-Fetch-Site). 403. */
  | 'PROXY_ORIGIN_REFUSED'
  /** The browser asked for a page, script, style, frame or worker, not a fetch (Sec-Fetch-Dest). 403. */
  | 'PROXY_DESTINATION_REFUSED'
  /** The URL is longer than the proxy accepts. 414. */
  | 'PROXY_URL_TOO_LONG'
  /** The host part of `/databricks/{host}/…` is malformed (userinfo, encoding, IPv6 literal, bad port). 400. */
  | 'PROXY_BAD_HOST'
  /** The host is well formed but not an Azure Databricks workspace host nor a configured one. 403. */
  | 'PROXY_HOST_NOT_ALLOWED'
  /** The path or query is malformed (dot segments, encoded slashes, characters outside RFC 3986). 400. */
  | 'PROXY_BAD_PATH'
  /** The path is well formed but not under `/api/`. 403. */
  | 'PROXY_PATH_NOT_ALLOWED'
  /** A forwarded header carries characters that are not visible ASCII. 400. */
  | 'PROXY_BAD_HEADER'
  /** DNS could not resolve the workspace host. 502. */
  | 'PROXY_UPSTREAM_DNS'
  /** The TLS handshake with the workspace failed (certificate not trusted, wrong name, not TLS). 502. */
  | 'PROXY_UPSTREAM_TLS'
  /** The connection was refused, reset or closed early. 502. */
  | 'PROXY_UPSTREAM_UNREACHABLE'
  /** Connecting, or waiting for the response or its next bytes, took too long. 504. */
  | 'PROXY_UPSTREAM_TIMEOUT';

const STATUS: Record<ProxyErrorCode, number> = {
  PROXY_METHOD_NOT_ALLOWED: 405,
  PROXY_ORIGIN_REFUSED: 403,
  PROXY_DESTINATION_REFUSED: 403,
  PROXY_URL_TOO_LONG: 414,
  PROXY_BAD_HOST: 400,
  PROXY_HOST_NOT_ALLOWED: 403,
  PROXY_BAD_PATH: 400,
  PROXY_PATH_NOT_ALLOWED: 403,
  PROXY_BAD_HEADER: 400,
  PROXY_UPSTREAM_DNS: 502,
  PROXY_UPSTREAM_TLS: 502,
  PROXY_UPSTREAM_UNREACHABLE: 502,
  PROXY_UPSTREAM_TIMEOUT: 504,
};

/** A request the proxy refused or could not complete. The message never holds a token or query string. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly code: ProxyErrorCode;
  /** The HTTP status the browser receives. */
  readonly status: number;
  /** The workspace `host[:port]`, when the request got that far. */
  readonly host: string | undefined;
  /** For upstream failures: the low-level error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
  readonly causeCode: string | undefined;

  constructor(
    code: ProxyErrorCode,
    message: string,
    facts: { host?: string; causeCode?: string; cause?: unknown } = {},
  ) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.code = code;
    this.status = STATUS[code];
    this.host = facts.host;
    this.causeCode = facts.causeCode;
  }

  /** The JSON body the browser receives: `{ "error": { "code", "message" } }`. */
  toJSON(): { error: { code: ProxyErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** True for a {@link ProxyError}, optionally with the given code. */
export function isProxyError(value: unknown, code?: ProxyErrorCode): value is ProxyError {
  return value instanceof ProxyError && (code === undefined || value.code === code);
}

/** An `EXPLORER_*` or `PORT` environment variable holds a value the server cannot use. */
export class ServerSettingsError extends Error {
  override readonly name = 'ServerSettingsError';
  readonly code = 'SETTINGS_INVALID' as const;
  /** The environment variable(s) at fault, e.g. `EXPLORER_WORKSPACE_URL`. */
  readonly variable: string;
  /** What was received (never a secret: these variables hold IDs and URLs). */
  readonly received: string | undefined;
  /** What a valid value looks like. */
  readonly expected: string;

  constructor(variable: string, received: string | undefined, expected: string, hint?: string) {
    const got = received === undefined ? 'it is not set' : `received ${JSON.stringify(received)}`;
    super(`${variable} is invalid: ${got}; expected ${expected}.${hint ? ` ${hint}` : ''}`);
    this.variable = variable;
    this.received = received;
    this.expected = expected;
  }
}

/** The server cannot start as asked: a port is taken, or LAN mode was asked of the dev server. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  readonly code: 'SERVER_PORT_IN_USE' | 'SERVER_LAN_ON_DEV_SERVER';

  constructor(code: ServerStartError['code'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
