/**
 * Removes anything token-shaped from a text meant for display or storage (timeline entries, the
 * error doctor's explanations): JWTs, OAuth secrets in `name=value` form, bearer credentials.
 * Everything that reaches the page or sessionStorage from an error or a log goes through it.
 */

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const SECRET_PARAM = /\b(code|refresh_token|access_token|id_token|client_secret|code_verifier)=([^&\s#]+)/gi;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

export function redactSecrets(text: string): string {
  return text.replace(JWT, '[token]').replace(SECRET_PARAM, '$1=[redacted]').replace(BEARER, 'Bearer [redacted]');
}
