import { randomUUID } from 'node:crypto';

/**
 * The AADSTS errors the sandbox gives, with the `error` value and HTTP status Entra pairs them
 * with. Descriptions are our own words; codes, `error` values and suberrors follow Entra's.
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export const AADSTS = {
  9002313: { error: 'invalid_request', status: 400, text: 'The request is malformed or invalid: {detail}.' },
  90015: {
    error: 'invalid_request',
    status: 400,
    text: 'The parameter {name} is too long ({length} characters; at most {max}).',
  },
  900144: { error: 'invalid_request', status: 400, text: "The request must contain the parameter '{name}'." },
  90002: {
    error: 'invalid_request',
    status: 400,
    text: "No tenant '{tenant}' exists in this sandbox. Use a configured tenant ID or domain, 'common' or 'organizations'.",
  },
  700016: {
    error: 'unauthorized_client',
    status: 400,
    text: "No application with client ID '{clientId}' is registered in tenant '{tenant}'. Check the client ID, or add the app to the sandbox configuration.",
  },
  90102: { error: 'invalid_request', status: 400, text: "The redirect_uri '{uri}' is not an absolute URI." },
  900971: { error: 'invalid_request', status: 400, text: 'The request carries no redirect_uri.' },
  500113: {
    error: 'invalid_request',
    status: 400,
    text: "The application '{clientId}' has no registered redirect URI.",
  },
  50011: {
    error: 'invalid_request',
    status: 400,
    text: "The redirect URI '{uri}' does not exactly match any redirect URI registered for the application '{clientId}'.",
  },
  700054: {
    error: 'unsupported_response_type',
    status: 400,
    text: "response_type '{value}' is not enabled for the application; use 'code'.",
  },
  900561: {
    error: 'invalid_request',
    status: 400,
    text: "response_mode '{value}' is not supported; use query, fragment or form_post.",
  },
  90023: {
    error: 'invalid_request',
    status: 400,
    text: "prompt '{value}' is not supported; use login, select_account, consent or none.",
  },
  70011: { error: 'invalid_scope', status: 400, text: "The scope '{scope}' is not valid{reason}." },
  28000: {
    error: 'invalid_scope',
    status: 400,
    text: "The scope parameter names more than one resource ({resources}); request one resource's scopes per token.",
  },
  9002325: {
    error: 'invalid_request',
    status: 400,
    text: 'Proof Key for Code Exchange with code_challenge_method S256 is required for cross-origin authorization code redemption.',
  },
  9002326: {
    error: 'invalid_request',
    status: 400,
    text: "Cross-origin token redemption is permitted only for redirect URIs registered as 'Single-Page Application'. Request origin: '{origin}'.",
  },
  9002327: {
    error: 'invalid_request',
    status: 400,
    text: "Tokens issued for the 'Single-Page Application' client type may only be redeemed via cross-origin requests.",
  },
  501481: {
    error: 'invalid_grant',
    status: 400,
    text: 'The code_verifier does not match the code_challenge of the authorization request.',
  },
  501491: {
    error: 'invalid_request',
    status: 400,
    text: 'The code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~].',
  },
  54005: { error: 'invalid_grant', status: 400, text: 'The authorization code was already redeemed.' },
  70008: { error: 'invalid_grant', status: 400, text: 'The authorization code or refresh token has expired.' },
  700082: {
    error: 'invalid_grant',
    status: 400,
    text: 'The refresh token has expired due to inactivity ({days} days).',
  },
  700084: {
    error: 'invalid_grant',
    status: 400,
    text: 'The refresh token was issued to a single-page app, whose refresh tokens have a fixed lifetime of {hours} hours from sign-in. Sign in again.',
  },
  50173: { error: 'invalid_grant', status: 400, text: 'The refresh token has been revoked. Sign in again.' },
  70000: { error: 'invalid_grant', status: 400, text: 'The grant is invalid: {detail}.' },
  500112: {
    error: 'invalid_grant',
    status: 400,
    text: "The redirect_uri '{uri}' differs from the one used when the authorization code was requested.",
  },
  65001: {
    error: 'invalid_grant',
    suberror: 'consent_required',
    status: 400,
    text: "The user or an administrator has not consented to the application '{clientId}' ('{appName}') using {scopes}. Send an interactive request so the user can consent.",
  },
  65004: { error: 'access_denied', status: 400, text: "The user declined to consent to the application '{clientId}'." },
  50076: {
    error: 'invalid_grant',
    suberror: 'basic_action',
    status: 400,
    text: "The user '{upn}' must complete multi-factor authentication. Send an interactive request.",
  },
  50126: { error: 'invalid_grant', status: 400, text: 'The username or password is incorrect.' },
  50034: { error: 'invalid_grant', status: 400, text: "No user account '{upn}' exists in this directory." },
  50020: { error: 'invalid_grant', status: 400, text: "The user '{upn}' is not a member of the tenant '{tenant}'." },
  50058: { error: 'login_required', status: 400, text: 'A silent sign-in request was sent but no user is signed in.' },
  16000: {
    error: 'interaction_required',
    status: 400,
    text: 'More than one account is signed in; the user must choose one.',
  },
  70003: {
    error: 'unsupported_grant_type',
    status: 400,
    text: "The grant type '{grant}' is not supported; use authorization_code, refresh_token or password.",
  },
  9001023: {
    error: 'invalid_request',
    status: 400,
    text: "The grant type '{grant}' is not supported on the /common or /consumers endpoints; use a tenant ID or domain.",
  },
  7000218: {
    error: 'invalid_client',
    status: 401,
    text: "The application '{clientId}' does not allow public client flows, so the request must contain client_assertion or client_secret.",
  },
  700025: {
    error: 'invalid_client',
    status: 401,
    text: "The application '{clientId}' is a public client: send neither client_secret nor client_assertion.",
  },
  50049: {
    error: 'invalid_instance',
    status: 400,
    text: "Unknown or invalid instance '{host}'; this sandbox serves only {expected}.",
  },
  90033: {
    error: 'temporarily_unavailable',
    status: 503,
    text: 'A transient error has occurred (a fault injected in the sandbox). Try again.',
  },
} as const satisfies Record<number, { error: string; status: number; text: string; suberror?: string }>;

export type AadstsCode = keyof typeof AADSTS;

/** The family of protocol errors the sandbox answers with, in Entra's format. */
export class EntraProtocolError extends Error {
  override name = 'EntraProtocolError';
  readonly code = 'ENTRA_PROTOCOL_ERROR';
  readonly aadsts: AadstsCode;
  readonly error: string;
  readonly suberror: string | undefined;
  status: number;

  constructor(
    aadsts: AadstsCode,
    facts: Record<string, string | number> = {},
    overrides: { error?: string; status?: number } = {},
  ) {
    const entry: { error: string; status: number; text: string; suberror?: string } = AADSTS[aadsts];
    const text = entry.text.replace(/\{(\w+)\}/g, (_, key: string) => String(facts[key] ?? ''));
    super(`AADSTS${aadsts}: ${text}`);
    this.aadsts = aadsts;
    this.error = overrides.error ?? entry.error;
    this.suberror = entry.suberror;
    this.status = overrides.status ?? entry.status;
  }
}

/** The JSON error body at `/token` (and the parameters at `/authorize`). */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

/** `2024-03-26 21:48:02Z`, Entra's timestamp format. */
export function entraTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Builds the error body, with the trace block Entra appends to `error_description`. */
export function buildErrorBody(error: EntraProtocolError, correlationId: string, publicUrl: string): EntraErrorBody {
  const timestamp = entraTimestamp();
  const traceId = randomUUID();
  const body: EntraErrorBody = {
    error: error.error,
    error_description: `${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${publicUrl}/error?code=${error.aadsts}`,
  };
  if (error.suberror !== undefined) body.suberror = error.suberror;
  return body;
}
