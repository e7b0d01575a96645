/**
 * The refusal and failure codes the app's own server (the proxy in `src/proxy/`) answers with, in
 * its body `{"error": {"code": "PROXY_…", "message": "…"}}`. A closed list, spelled as on the
 * wire: the app switches on it and never reads the proxy's message text. The parts do not import
 * each other, so this list is kept in step with `ProxyErrorCode` in `src/proxy/errors.ts` by
 * `tests/proxy/proxy-codes.test.ts`.
 */
export const PROXY_REFUSAL_CODES = [
  'PROXY_METHOD_NOT_ALLOWED',
  'PROXY_ORIGIN_REFUSED',
  'PROXY_DESTINATION_REFUSED',
  'PROXY_URL_TOO_LONG',
  'PROXY_BAD_HOST',
  'PROXY_HOST_NOT_ALLOWED',
  'PROXY_BAD_PATH',
  'PROXY_PATH_NOT_ALLOWED',
  'PROXY_BAD_HEADER',
  'PROXY_UPSTREAM_DNS',
  'PROXY_UPSTREAM_TLS',
  'PROXY_UPSTREAM_UNREACHABLE',
  'PROXY_UPSTREAM_TIMEOUT',
] as const;

export type ProxyRefusalCode = (typeof PROXY_REFUSAL_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(PROXY_REFUSAL_CODES);

/** True when the wire code is one this app knows; a newer server may send others. */
export function isProxyRefusalCode(code: string): code is ProxyRefusalCode {
  return KNOWN.has(code);
}
