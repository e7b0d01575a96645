/**
 * The error doctor's dispatcher: picks the row of an explanation table by the failure's type and
 * its codes and typed fields (never its message text), and adds the facts and a stable id. The
 * explanations themselves are data, in `identity-table.ts` and `workspace-table.ts`.
 */

import { SignInError } from '../auth/errors.ts';
import { isConfigError } from '../config/errors.ts';
import { DatabricksApiError, ProxyRefusedError, WorkspaceError } from '../databricks/errors.ts';
import { ACTION_LABELS, type Diagnosis, type DoctorContext, type Explanation } from './diagnosis.ts';
import { AADSTS_EXPLANATIONS, MSAL_EXPLANATIONS, SIGN_IN_CODE_EXPLANATIONS } from './identity-table.ts';
import { redactSecrets } from './redact.ts';
import {
  CLUSTER_GONE,
  OTHER_REFUSAL,
  PROXY_EXPLANATIONS,
  REFUSED_BY_PROXY,
  SERVER_FAULT,
  STATUS_EXPLANATIONS,
  TOKEN_REJECTION_EXPLANATIONS,
  UPSTREAM_UNREACHABLE,
} from './workspace-table.ts';

export type { Diagnosis, DoctorAction, DoctorContext } from './diagnosis.ts';

/** A table row by own key only (a code such as `constructor` must not find Object.prototype's). */
function row<T>(table: Readonly<Record<string | number, T>>, key: string | number | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function explainSignIn(error: SignInError, ctx: DoctorContext): Explanation {
  const own = row(SIGN_IN_CODE_EXPLANATIONS, error.code);
  if (own) return own;
  const known =
    row(AADSTS_EXPLANATIONS, error.aadsts)?.(ctx) ??
    row(MSAL_EXPLANATIONS, error.msalErrorCode)?.(error.msalErrorCode as string, ctx);
  if (known) return known;
  return {
    title: 'Sign-in failed',
    whatHappened: `The ${error.during ?? 'sign-in'} step failed${error.msalErrorCode ? ` (${error.msalErrorCode})` : ''}.${error.description ? ` ${error.description}` : ''}`,
    likelyCause: 'The identity provider refused the request; the codes below say why.',
    fix: 'Sign in again. If it keeps failing, look up the code in the Microsoft Entra error reference.',
    action: 'sign-in',
  };
}

/** `clusters/get?cluster_id=…` (either API version): its 400 INVALID_PARAMETER_VALUE means "no such cluster". */
const CLUSTERS_GET = /^\/api\/2\.[01]\/clusters\/get\?(?:[^#]*&)?cluster_id=[^&#]/;

function explainApi(error: DatabricksApiError, ctx: DoctorContext): Explanation {
  if (error.tokenRejection !== undefined) return TOKEN_REJECTION_EXPLANATIONS[error.tokenRejection](error, ctx);
  const byStatus = row(STATUS_EXPLANATIONS, error.status);
  if (byStatus) return byStatus(error, ctx);
  if (error.status === 400 && error.errorCode === 'INVALID_PARAMETER_VALUE' && CLUSTERS_GET.test(error.path))
    return CLUSTER_GONE(error, ctx);
  if (error.status >= 500) return SERVER_FAULT(error, ctx);
  return OTHER_REFUSAL(error, ctx);
}

function explainProxy(error: ProxyRefusedError, ctx: DoctorContext): Explanation {
  if (error.refusal !== undefined) return PROXY_EXPLANATIONS[error.refusal](error, ctx);
  // A code this app does not know (a newer server): 5xx are upstream failures, the rest refusals.
  return (error.status >= 500 ? UPSTREAM_UNREACHABLE : REFUSED_BY_PROXY)(error, ctx);
}

function explainWorkspace(error: WorkspaceError, ctx: DoctorContext): Explanation {
  if (error instanceof DatabricksApiError) return explainApi(error, ctx);
  if (error instanceof ProxyRefusedError) return explainProxy(error, ctx);
  switch (error.code) {
    case 'API_TIMEOUT':
      return {
        title: 'No answer in time',
        whatHappened: `The request ${error.method} ${error.path} got no answer before the timeout.`,
        likelyCause: 'The workspace or the network is slow.',
        fix: 'Try again in a moment.',
        action: 'retry',
      };
    case 'API_BAD_RESPONSE':
      return {
        title: 'Unexpected answer from the workspace',
        whatHappened: error.message,
        likelyCause: 'The workspace URL does not point at an Azure Databricks workspace.',
        fix: 'Check the workspace URL in the settings.',
        action: 'settings',
      };
    default:
      return {
        title: 'The connection failed',
        whatHappened: `The request ${error.method} ${error.path} got no answer: the connection to the app's server failed.`,
        likelyCause: "You are offline, or the app's server stopped.",
        fix: 'Check your connection and that the server is running, then try again.',
        action: 'retry',
      };
  }
}

function explain(error: unknown, ctx: DoctorContext): Explanation {
  if (error instanceof SignInError) return explainSignIn(error, ctx);
  if (error instanceof WorkspaceError) return explainWorkspace(error, ctx);
  if (isConfigError(error)) {
    return {
      title: 'The configuration is not valid',
      whatHappened: error.message,
      likelyCause: "A value in the settings or the server's environment is missing or malformed.",
      fix: "Open the settings, correct the highlighted fields, or reset them to the server's defaults.",
      action: 'settings',
    };
  }
  return {
    title: 'Something unexpected went wrong',
    whatHappened: error instanceof Error ? `${error.name}: ${error.message}` : 'An unknown failure.',
    likelyCause: 'A bug in the app, or a browser extension interfering with the page.',
    fix: 'Reload the page. The timeline shows what happened before.',
    action: 'reload',
  };
}

function codeOf(error: unknown): string | undefined {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function factsOf(error: unknown): string[] {
  if (error instanceof SignInError) {
    return [
      error.code,
      ...(error.msalErrorCode ? [`MSAL ${error.msalErrorCode}`] : []),
      ...(error.aadsts !== undefined ? [`AADSTS${error.aadsts}`] : []),
      ...(error.subError ? [`suberror ${error.subError}`] : []),
      ...(error.correlationId ? [`correlation ID ${error.correlationId}`] : []),
    ];
  }
  if (error instanceof DatabricksApiError) {
    // A numeric error_code (Databricks' auth layer sends 401 for HTTP 401) repeats the status: left out.
    const code = error.errorCode !== undefined && error.errorCode !== String(error.status) ? [error.errorCode] : [];
    return [
      `HTTP ${error.status}`,
      ...code,
      `${error.method} ${error.path}`,
      ...(error.requestId ? [`request ID ${error.requestId}`] : []),
    ];
  }
  if (error instanceof ProxyRefusedError)
    return [`HTTP ${error.status}`, error.proxyCode, `${error.method} ${error.path}`];
  if (error instanceof WorkspaceError) return [error.code, `${error.method} ${error.path}`];
  const code = codeOf(error);
  return code ? [code] : [];
}

function idOf(error: unknown): string {
  if (error instanceof SignInError) {
    if (error.aadsts !== undefined) return `AADSTS${error.aadsts}`;
    return error.msalErrorCode ?? error.code;
  }
  if (error instanceof DatabricksApiError)
    return error.code === 'API_UNAUTHORIZED' ? 'API_UNAUTHORIZED' : `API_${error.status}`;
  if (error instanceof ProxyRefusedError) return error.proxyCode;
  if (error instanceof WorkspaceError) return error.code;
  return codeOf(error) ?? 'UNEXPECTED';
}

/**
 * Explains any failure the app can meet: what happened, the likely cause, the fix and one
 * action. Pure: the same error and context give the same explanation. No text it returns holds
 * a token (everything shown goes through {@link redactSecrets}).
 */
export function diagnose(error: unknown, ctx: DoctorContext): Diagnosis {
  const entry = explain(error, ctx);
  return {
    ...entry,
    whatHappened: redactSecrets(entry.whatHappened),
    id: idOf(error),
    actionLabel: ACTION_LABELS[entry.action],
    facts: factsOf(error).map(redactSecrets),
  };
}
