/**
 * Failures of calls to the workspace, typed at the edge where the response arrives. Callers
 * branch on `code` (or the `isWorkspaceError` guard), never on message text. No message, field
 * or cause carries a token or an Authorization header.
 */

import { redactSecrets } from '../errors/redact.ts';
import { isProxyRefusalCode, type ProxyRefusalCode } from './proxy-codes.ts';
import { classifyTokenRejection, type TokenRejection } from './token-rejection.ts';

/** Stable codes of the workspace client's failures. */
export type WorkspaceErrorCode =
  | 'API_HTTP_ERROR'
  | 'API_UNAUTHORIZED'
  | 'API_PROXY_REFUSED'
  | 'API_NETWORK_ERROR'
  | 'API_TIMEOUT'
  | 'API_RATE_LIMITED'
  | 'API_BAD_RESPONSE';

/** Where a failed call went: method and the path below the workspace origin (no query secrets). */
export interface CallTarget {
  method: string;
  /** e.g. `/api/2.1/clusters/list?page_size=100` */
  path: string;
}

/** Base of the family. */
export abstract class WorkspaceError extends Error {
  abstract readonly code: WorkspaceErrorCode;
  readonly method: string;
  readonly path: string;

  constructor(message: string, target: CallTarget, options?: { cause?: unknown }) {
    super(message, options);
    this.method = target.method;
    this.path = target.path;
  }
}

/** The workspace answered with a non-2xx status; Databricks' error JSON, when present, is parsed. */
export class DatabricksApiError extends WorkspaceError {
  readonly code: 'API_HTTP_ERROR' | 'API_UNAUTHORIZED' | 'API_RATE_LIMITED' = 'API_HTTP_ERROR';
  override readonly name = 'DatabricksApiError';
  readonly status: number;
  /** Databricks' `error_code` (e.g. `PERMISSION_DENIED`, or `403` as text when numeric). */
  readonly errorCode: string | undefined;
  /** Databricks' `message`, or the first line of a non-JSON body (token-shaped text redacted). */
  readonly apiMessage: string | undefined;
  /** From `details[].request_id` (google.rpc.RequestInfo) or the `x-request-id` header. */
  readonly requestId: string | undefined;
  /** For `API_UNAUTHORIZED`: which of the service's token rejections this was. */
  readonly tokenRejection: TokenRejection | undefined;
  /** The answer's headers as [lower-case name, value] pairs, when known (for support: request ID, date…). */
  readonly responseHeaders: readonly [string, string][];
  /** The answer's body as received (at most {@link MAX_ERROR_BODY} characters, token-shaped text redacted), when known. */
  readonly bodyText: string | undefined;

  constructor(
    target: CallTarget,
    facts: {
      status: number;
      errorCode?: string;
      apiMessage?: string;
      requestId?: string;
      responseHeaders?: [string, string][];
      bodyText?: string;
    },
    code: 'API_HTTP_ERROR' | 'API_UNAUTHORIZED' | 'API_RATE_LIMITED' = 'API_HTTP_ERROR',
  ) {
    // Databricks' message may quote what it was sent; nothing token-shaped goes on from here.
    const apiMessage = facts.apiMessage === undefined ? undefined : redactSecrets(facts.apiMessage);
    const detail = facts.errorCode ? `${facts.errorCode}: ${apiMessage ?? ''}` : (apiMessage ?? 'no details');
    super(
      `${target.method} ${target.path} failed with HTTP ${facts.status} (${detail.trim()}). ${nextStep(facts.status)}`,
      target,
    );
    this.code = code;
    this.status = facts.status;
    this.errorCode = facts.errorCode;
    this.apiMessage = apiMessage;
    this.requestId = facts.requestId;
    this.tokenRejection = code === 'API_UNAUTHORIZED' ? classifyTokenRejection(apiMessage) : undefined;
    this.responseHeaders = facts.responseHeaders ?? [];
    this.bodyText = facts.bodyText === undefined ? undefined : redactSecrets(facts.bodyText.slice(0, MAX_ERROR_BODY));
  }
}

/** How much of an error answer's body a {@link DatabricksApiError} keeps. */
export const MAX_ERROR_BODY = 64 * 1024;

function nextStep(status: number): string {
  if (status === 401) return 'Sign in again; if it persists, check that the token is for Azure Databricks.';
  if (status === 403) return 'Ask a workspace admin to add you to the workspace or grant the permission.';
  if (status === 404) return 'Check the workspace URL and that the object still exists.';
  if (status === 429) return 'The workspace is rate limiting; wait and retry.';
  if (status >= 500) return 'The workspace had a problem; retry in a moment.';
  return 'Check the request and try again.';
}

/** Our same-origin proxy refused to forward the call (body `{error:{code:'PROXY_…'}}`). */
export class ProxyRefusedError extends WorkspaceError {
  readonly code = 'API_PROXY_REFUSED' as const;
  override readonly name = 'ProxyRefusedError';
  readonly status: number;
  /** The proxy's own code as it came on the wire, e.g. `PROXY_HOST_NOT_ALLOWED`. */
  readonly proxyCode: string;
  /** The same code when it is one this app knows (branch on this), otherwise undefined. */
  readonly refusal: ProxyRefusalCode | undefined;
  readonly proxyMessage: string;

  constructor(target: CallTarget, facts: { status: number; proxyCode: string; proxyMessage: string }) {
    super(
      `The app's proxy refused ${target.method} ${target.path} with HTTP ${facts.status} ${facts.proxyCode}: ${facts.proxyMessage}`,
      target,
    );
    this.status = facts.status;
    this.proxyCode = facts.proxyCode;
    this.refusal = isProxyRefusalCode(facts.proxyCode) ? facts.proxyCode : undefined;
    this.proxyMessage = facts.proxyMessage;
  }
}

/** The request never got an HTTP answer (connection refused, dropped, offline). */
export class WorkspaceNetworkError extends WorkspaceError {
  readonly code = 'API_NETWORK_ERROR' as const;
  override readonly name = 'WorkspaceNetworkError';
  constructor(target: CallTarget, cause: unknown) {
    super(
      `${target.method} ${target.path} got no answer: the connection to the app's server failed. Check that the server is running and you are online, then retry.`,
      target,
      { cause },
    );
  }
}

/** No answer within the client's timeout. */
export class WorkspaceTimeoutError extends WorkspaceError {
  readonly code = 'API_TIMEOUT' as const;
  override readonly name = 'WorkspaceTimeoutError';
  readonly timeoutMs: number;
  constructor(target: CallTarget, timeoutMs: number, cause?: unknown) {
    super(
      `${target.method} ${target.path} got no answer within ${Math.round(timeoutMs / 1000)} s. The workspace may be slow or unreachable; retry in a moment.`,
      target,
      { cause },
    );
    this.timeoutMs = timeoutMs;
  }
}

/** A 2xx answer whose body is not the JSON shape the API documents. */
export class WorkspaceBadResponseError extends WorkspaceError {
  readonly code = 'API_BAD_RESPONSE' as const;
  override readonly name = 'WorkspaceBadResponseError';
  readonly status: number;
  constructor(target: CallTarget, status: number, what: string) {
    super(
      `${target.method} ${target.path} answered HTTP ${status} but ${what}. Check that the workspace URL points at an Azure Databricks workspace.`,
      target,
    );
    this.status = status;
  }
}

export function isWorkspaceError(value: unknown): value is WorkspaceError {
  return value instanceof WorkspaceError;
}

/** True when the failure is worth a retry button (not a configuration or permission problem). */
export function isTransient(error: WorkspaceError): boolean {
  if (error.code === 'API_NETWORK_ERROR' || error.code === 'API_TIMEOUT' || error.code === 'API_RATE_LIMITED')
    return true;
  if (error instanceof DatabricksApiError) return error.status >= 500;
  if (error instanceof ProxyRefusedError) return error.status >= 500;
  return false;
}
