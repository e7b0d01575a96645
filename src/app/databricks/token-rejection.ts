/**
 * Why a workspace refused an access token, read where the answer arrives.
 *
 * Protocol quirk, and the one place the app reads Databricks' message text: every token
 * rejection carries the same numeric `error_code` (401, or 403 in older answers) or none at all
 * (400 HTML pages from the JWT filter), so the message, which the service also repeats in
 * `X-Databricks-Reason-Phrase`, is the only thing that tells them apart. The texts below are the
 * service's own, as recorded in databricks-api-facts.md §3 and §4 (observed answers, 2023–2025).
 * Anything else is `unrecognised`, and the error doctor then shows the message as it came.
 * @see https://learn.microsoft.com/azure/databricks/dev-tools/auth/user-aad-token
 */
export type TokenRejection =
  /** "Token is expired" (401, late 2025), "JWT has expired" (403, 2024), `ExpiredJwtException` (400). */
  | 'expired'
  /** "Token is expiring within 30 seconds. (token expired)": the service refuses tokens this close to `exp`. */
  | 'expiring'
  /** "Token is not yet valid" (`nbf` in the future), `PrematureJwtException` (400). */
  | 'not-yet-valid'
  /** "Invalid access token.": not a JWT, a bad signature, a key the tenant does not publish. */
  | 'invalid-token'
  /** "Credential was not sent or was of an unsupported type for this API." */
  | 'no-credential'
  /** `IncorrectClaimException: Expected aud claim to be: 2ff814a6-…`: a token for another resource. */
  | 'wrong-audience'
  /** `IncorrectClaimException: Expected iss claim to be: https://sts.windows.net/<tenant>/`: another tenant. */
  | 'wrong-issuer'
  | 'unrecognised';

const RULES: readonly [TokenRejection, (message: string) => boolean][] = [
  ['expiring', (m) => m.startsWith('Token is expiring within')],
  ['expired', (m) => m === 'Token is expired' || m === 'JWT has expired' || m.includes('ExpiredJwtException')],
  ['not-yet-valid', (m) => m === 'Token is not yet valid' || m.includes('PrematureJwtException')],
  ['invalid-token', (m) => m === 'Invalid access token.'],
  ['no-credential', (m) => m.startsWith('Credential was not sent')],
  ['wrong-audience', (m) => m.includes('IncorrectClaimException: Expected aud claim')],
  ['wrong-issuer', (m) => m.includes('IncorrectClaimException: Expected iss claim')],
];

/** Classifies the workspace's message of a token rejection (see the module comment for why text). */
export function classifyTokenRejection(apiMessage: string | undefined): TokenRejection {
  const message = (apiMessage ?? '').trim();
  for (const [kind, test] of RULES) if (test(message)) return kind;
  return 'unrecognised';
}
