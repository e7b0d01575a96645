/**
 * Errors the sandbox workspace answers with, in Databricks' JSON error shape (or, for JWT claim
 * mismatches, the HTML page Databricks' token filter sends).
 *
 * @see https://docs.databricks.com/api/azure/workspace/introduction (error responses)
 */

export const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';

/** The `error_code`s this sandbox sends (numbers are what Databricks' auth layer sends). */
export type WorkspaceErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'ENDPOINT_NOT_FOUND'
  | 'BAD_REQUEST'
  | 'PERMISSION_DENIED'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'INVALID_STATE'
  | 'MALFORMED_REQUEST'
  | 'CATALOG_DOES_NOT_EXIST'
  | 'SCHEMA_DOES_NOT_EXIST'
  | 'TABLE_DOES_NOT_EXIST'
  | 401
  | 403;

export interface WorkspaceErrorOptions {
  /** Extra response headers, e.g. Retry-After or Allow. */
  headers?: Record<string, string>;
  /** Sent as X-Databricks-Reason-Phrase, as Databricks does on auth failures. */
  reasonPhrase?: string;
  /** Answer with Databricks' HTML error page instead of JSON (JWT claim mismatches). */
  html?: boolean;
  cause?: unknown;
}

/**
 * An answer the workspace gives instead of a result. `code` is the wire `error_code`; the
 * message never contains a token.
 */
export class WorkspaceApiError extends Error {
  override readonly name = 'WorkspaceApiError';
  readonly code: WorkspaceErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly reasonPhrase: string | undefined;
  readonly html: boolean;

  constructor(status: number, code: WorkspaceErrorCode, message: string, options: WorkspaceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.reasonPhrase = options.reasonPhrase;
    this.html = options.html ?? false;
  }

  /** The JSON body: `error_code`, `message` and, for string codes, an ErrorInfo detail with `metadata`. */
  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { error_code: this.code, message: this.message };
    // The JS SDK drops the whole body to "unknown" when a detail lacks `metadata`, so every
    // detail carries one. Numeric auth codes are sent bare, as Databricks' auth layer does.
    if (typeof this.code === 'string') {
      body.details = [
        { '@type': ERROR_INFO_TYPE, reason: this.code, domain: 'sandbox.databricks.example', metadata: {} },
      ];
    }
    return body;
  }

  /** The HTML page Databricks' JWT filter answers with (Jetty's error page). */
  toHtml(path: string): string {
    const text = escapeHtml(this.message);
    return (
      '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n' +
      `<title>Error ${this.status} ${text}</title>\n</head>\n<body><h2>HTTP ERROR ${this.status}</h2>\n` +
      `<p>Problem accessing ${escapeHtml(path)}. Reason:\n<pre>    ${text}</pre></p>\n</body>\n</html>\n`
    );
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const isWorkspaceApiError = (e: unknown): e is WorkspaceApiError => e instanceof WorkspaceApiError;

export const invalidParameter = (message: string) => new WorkspaceApiError(400, 'INVALID_PARAMETER_VALUE', message);
