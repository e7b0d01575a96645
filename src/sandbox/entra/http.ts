import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyText, sendJsonText } from '../json-response.ts';
import { EntraProtocolError } from './errors.ts';
import { pageCsp } from './pages.ts';

/** Largest request body accepted (form posts to /token and the sign-in pages). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Largest query string accepted. */
export const MAX_QUERY_LENGTH = 16 * 1024;

/** Longest accepted value per parameter; anything else gets {@link DEFAULT_MAX_PARAM}. */
const MAX_PARAM: Record<string, number> = {
  client_id: 100,
  redirect_uri: 2048,
  post_logout_redirect_uri: 2048,
  response_type: 100,
  response_mode: 50,
  scope: 4096,
  state: 4096,
  nonce: 1024,
  code_challenge: 128,
  code_challenge_method: 20,
  code_verifier: 128,
  prompt: 50,
  login_hint: 1024,
  logout_hint: 1024,
  grant_type: 100,
  username: 256,
  password: 256,
  code: 1024,
  refresh_token: 2048,
};
const DEFAULT_MAX_PARAM = 8192;

/**
 * Parses a query string or form body, refusing repeated parameters (ambiguous, and a classic
 * parameter-pollution trick) and over-long values with AADSTS9002313 / AADSTS90015.
 */
export function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (params.has(name))
      throw new EntraProtocolError(9002313, { detail: `the parameter '${name.slice(0, 64)}' appears more than once` });
    const max = MAX_PARAM[name] ?? DEFAULT_MAX_PARAM;
    if (value.length > max) throw new EntraProtocolError(90015, { name: name.slice(0, 64), length: value.length, max });
    params.set(name, value);
  }
  return params;
}

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  readonly code = 'BODY_TOO_LARGE';
}

/** Reads the request body as text, up to {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<string> {
  return readBodyText(
    req,
    MAX_BODY_BYTES,
    () => new BodyTooLargeError(`The request body exceeds ${MAX_BODY_BYTES} bytes.`),
  );
}

/** CORS for the token and discovery endpoints: any origin, no credentials (as Entra). */
export function corsHeaders(methods: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': methods };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonText(res, status, JSON.stringify(body), {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  formTargets: string[] = [],
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': pageCsp(formTargets),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(html),
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(302, {
    Location: location,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Length': 0,
    ...headers,
  });
  res.end();
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * Appends response parameters the way the response mode asks, percent-encoding every value
 * (MSAL decodes with decodeURIComponent, so `+` must not stand for a space).
 */
export function encodeParams(params: Record<string, string | undefined>): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** The client's IP address, without the IPv4-mapped IPv6 prefix. */
export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}
