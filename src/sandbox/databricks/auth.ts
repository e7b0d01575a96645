import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { AZURE_DATABRICKS_RESOURCE_ID } from '../well-known.ts';
import { WorkspaceApiError } from './errors.ts';

/** Azure Databricks refuses tokens with less than this left (observed: "Token is expiring within 30 seconds"). */
export const MIN_REMAINING_SECONDS = 30;

export interface Caller {
  /** Lower-cased UPN from `upn` (v1), `unique_name` or `preferred_username`. */
  upn: string | undefined;
  claims: JWTPayload;
  /** A key for per-token state (the signature part; never logged). */
  tokenKey: string;
}

/**
 * The ways an Azure workspace answers 401 to an Entra token, with the message it sends (as
 * `message`, numeric `error_code` 401, and in `X-Databricks-Reason-Phrase`). The message is the
 * only thing telling them apart on the wire.
 * @see ../../../../shared/reference/databricks-api-facts.md §3 (observed answers)
 */
export const TOKEN_REJECTIONS = {
  /** No `Authorization` header, or not `Bearer`. */
  'no-credential': 'Credential was not sent or was of an unsupported type for this API.',
  /** Not a JWT, a bad signature, an unknown key. */
  invalid: 'Invalid access token.',
  /** `exp` has passed. */
  expired: 'Token is expired',
  /** Less than 30 s left: the service refuses tokens that would expire mid-request. */
  expiring: 'Token is expiring within 30 seconds. (token expired)',
  /** `nbf` is in the future. */
  'not-yet-valid': 'Token is not yet valid',
} as const;
export type TokenRejection = keyof typeof TOKEN_REJECTIONS;
export const TOKEN_REJECTION_REASONS = Object.keys(TOKEN_REJECTIONS) as [TokenRejection, ...TokenRejection[]];

/** The 401 answer for one {@link TokenRejection}; `cause` keeps jose's reason, never the token. */
export function rejectToken(reason: TokenRejection, cause?: unknown): WorkspaceApiError {
  const message = TOKEN_REJECTIONS[reason];
  return new WorkspaceApiError(401, 401, message, { reasonPhrase: message, cause });
}

/** 401 "Token is expired", the answer Azure Databricks gives for an expired Entra token. */
export const tokenExpired = () => rejectToken('expired');

/** The key set could not be read (identity provider unreachable, timed out, or not a JWKS). */
class SigningKeysUnavailable extends Error {
  override readonly name = 'SigningKeysUnavailable';
}

/**
 * Wraps the key resolver so that its own failures are told apart by type: jose's "no key with
 * this kid" (and "several keys match") means the token is foreign (401); anything else thrown
 * while getting the keys (a fetch failure, a timeout, a bad JWKS answer) means the keys are
 * unavailable (503), not that the token is bad.
 */
function guardKeys(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      throw new SigningKeysUnavailable('The token signing keys could not be read.', { cause: e });
    }
  };
}

/**
 * Checks `Authorization: Bearer <jwt>` as an Azure workspace does for Entra tokens: RS256
 * signature against the tenant's keys, `exp`/`nbf` (and at least 30 s left), then `aud` and `iss`.
 * @throws WorkspaceApiError 401 (no, malformed, badly signed or expired token), 400 HTML
 *   (`IncorrectClaimException` for a wrong `aud` or `iss`), 503 when the keys cannot be fetched.
 * @see https://learn.microsoft.com/azure/databricks/dev-tools/auth/user-aad-token
 */
export async function authenticate(
  authorization: string | undefined,
  keys: JWTVerifyGetKey,
  tenantId: string,
  now: number = Date.now(),
): Promise<Caller> {
  const m = /^Bearer +([^ ]+) *$/i.exec(authorization ?? '');
  if (!m) throw rejectToken('no-credential');
  const token = m[1] as string;
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, guardKeys(keys), {
      algorithms: ['RS256'],
      currentDate: new Date(now),
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw tokenExpired();
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'nbf') throw rejectToken('not-yet-valid');
    if (e instanceof SigningKeysUnavailable) {
      throw new WorkspaceApiError(
        503,
        'TEMPORARILY_UNAVAILABLE',
        'Could not fetch the token signing keys; try again shortly.',
        { cause: e },
      );
    }
    // Malformed, foreign (unknown key) or tampered tokens; the cause keeps jose's reason, not the token.
    throw rejectToken('invalid', (e as Error).name);
  }
  if (typeof claims.exp !== 'number') throw rejectToken('invalid');
  if (claims.exp - now / 1000 < MIN_REMAINING_SECONDS) throw rejectToken('expiring');
  const aud = Array.isArray(claims.aud) ? claims.aud.join(',') : String(claims.aud);
  if (aud !== AZURE_DATABRICKS_RESOURCE_ID) throw incorrectClaim('aud', AZURE_DATABRICKS_RESOURCE_ID, aud);
  const issuer = `https://sts.windows.net/${tenantId}/`;
  if (claims.iss !== issuer) throw incorrectClaim('iss', issuer, String(claims.iss));
  const name = claims.upn ?? claims.unique_name ?? claims.preferred_username;
  return {
    upn: typeof name === 'string' ? name.toLowerCase() : undefined,
    claims,
    tokenKey: token.slice(token.lastIndexOf('.') + 1),
  };
}

function incorrectClaim(claim: string, expected: string, actual: string): WorkspaceApiError {
  return new WorkspaceApiError(
    400,
    'BAD_REQUEST',
    `io.jsonwebtoken.IncorrectClaimException: Expected ${claim} claim to be: ${expected}, but was: ${actual}.`,
    { html: true },
  );
}
