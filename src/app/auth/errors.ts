/**
 * Sign-in and token failures, typed once where MSAL throws them. The error doctor reads the
 * facts (`msalErrorCode`, `aadsts`, `subError`), never the message text.
 */

export type SignInErrorCode =
  /** MSAL or the identity provider refused (see `msalErrorCode`, `aadsts`). */
  | 'AUTH_FAILED'
  /** Silent renewal needs the person to sign in again and no redirect was made. */
  | 'AUTH_INTERACTION_REQUIRED'
  /** Sign-in redirects kept failing; the app stopped instead of looping. */
  | 'AUTH_REDIRECT_LOOP'
  /** No signed-in account to get a token for. */
  | 'AUTH_NO_ACCOUNT'
  /** The page is navigating to the identity provider; nothing to show. */
  | 'AUTH_REDIRECTING';

export interface SignInErrorFacts {
  /** MSAL's `errorCode`, e.g. `invalid_request`, `state_mismatch`, `no_token_request_cache_error`. */
  msalErrorCode?: string | undefined;
  /** AADSTS number from the identity provider, e.g. 9002326. */
  aadsts?: number | undefined;
  subError?: string | undefined;
  /** The identity provider's description's first line (no tokens in it). */
  description?: string | undefined;
  correlationId?: string | undefined;
  /** What the app was doing: `sign-in`, `redirect`, `silent token`, `sign-out`. */
  during?: string | undefined;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
  readonly code: SignInErrorCode;
  readonly msalErrorCode: string | undefined;
  readonly aadsts: number | undefined;
  readonly subError: string | undefined;
  readonly description: string | undefined;
  readonly correlationId: string | undefined;
  readonly during: string | undefined;

  constructor(code: SignInErrorCode, message: string, facts: SignInErrorFacts = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.msalErrorCode = facts.msalErrorCode;
    this.aadsts = facts.aadsts;
    this.subError = facts.subError;
    this.description = facts.description;
    this.correlationId = facts.correlationId;
    this.during = facts.during;
  }
}

export function isSignInError(value: unknown): value is SignInError {
  return value instanceof SignInError;
}

const INTERACTION_CODES = new Set([
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'no_tokens_found',
  'no_account_error',
  'refresh_token_expired',
  'native_account_unavailable',
]);

/**
 * The AADSTS number of an MSAL error, from its typed fields where MSAL has them:
 * - `errorNo`: a ServerError or InteractionRequiredAuthError from `/token` carries the response's
 *   `error_codes[0]` (a number); from an `/authorize` redirect, the `code=` of `error_uri` (a string).
 * - A throttled replay (msal-common's `ThrottlingUtils.preProcess`, after a 429/5xx or a
 *   `Retry-After`) has no `errorNo`: MSAL puts the server's `error_codes`, joined by spaces, in
 *   `errorCode`.
 * - Protocol quirk, the one place the text is read: an error without `error_codes` or `error_uri`
 *   names the number only in `error_description`, which Entra always begins with `AADSTS<n>:`.
 *   MSAL passes the description as `errorMessage` (from `/token` inside
 *   "Error(s): … - Description: AADSTS<n>: …").
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
function aadstsOf(e: Record<string, unknown>, msalErrorCode: string | undefined, rawMessage: string) {
  if (typeof e.errorNo === 'number') return e.errorNo;
  if (typeof e.errorNo === 'string' && /^\d+$/.test(e.errorNo)) return Number(e.errorNo);
  const throttled = msalErrorCode !== undefined ? /^(\d+)(?: \d+)*$/.exec(msalErrorCode) : null;
  if (throttled) return Number(throttled[1]);
  const described = /(?:^|Description: )AADSTS(\d+):/.exec(rawMessage);
  return described ? Number(described[1]) : undefined;
}

/** Reads the facts MSAL errors carry (duck-typed, so this module does not load MSAL). */
export function readMsalFacts(error: unknown): SignInErrorFacts & { interactionRequired: boolean } {
  if (!error || typeof error !== 'object') return { interactionRequired: false };
  const e = error as Record<string, unknown>;
  const msalErrorCode = typeof e.errorCode === 'string' && e.errorCode !== '' ? e.errorCode : undefined;
  const subError = typeof e.subError === 'string' && e.subError !== '' ? e.subError : undefined;
  const rawMessage =
    typeof e.errorMessage === 'string' ? e.errorMessage : typeof e.message === 'string' ? e.message : '';
  const aadsts = aadstsOf(e, msalErrorCode, rawMessage);
  const descriptionMatch = /(AADSTS\d+:[^\r\n]*)/.exec(rawMessage);
  const interactionRequired =
    e.name === 'InteractionRequiredAuthError' || (msalErrorCode !== undefined && INTERACTION_CODES.has(msalErrorCode));
  return {
    msalErrorCode,
    aadsts,
    subError,
    description: descriptionMatch?.[1]?.slice(0, 400),
    correlationId: typeof e.correlationId === 'string' ? e.correlationId : undefined,
    interactionRequired,
  };
}

/** Wraps whatever MSAL threw into a {@link SignInError} whose message names what failed and how. */
export function toSignInError(error: unknown, during: string): SignInError {
  if (error instanceof SignInError) return error;
  const facts = readMsalFacts(error);
  const what = [facts.msalErrorCode, facts.aadsts !== undefined ? `AADSTS${facts.aadsts}` : undefined]
    .filter(Boolean)
    .join(', ');
  const message = `The ${during} step failed${what ? ` (${what})` : ''}${facts.description ? `: ${facts.description}` : ''}. See the explanation on the page for the fix, then sign in again.`;
  return new SignInError(
    facts.interactionRequired ? 'AUTH_INTERACTION_REQUIRED' : 'AUTH_FAILED',
    message,
    { ...facts, during },
    { cause: error },
  );
}
