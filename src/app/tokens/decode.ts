import { base64url, decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

/** Why a string could not be decoded as a JWT. */
export type TokenDecodeReason =
  | 'empty'
  | 'whitespace'
  | 'encrypted'
  | 'not-three-parts'
  | 'empty-part'
  | 'bad-base64url'
  | 'not-utf8'
  | 'not-json'
  | 'not-object';

/** The three dot-separated parts of a compact JWS. */
export type TokenPart = 'header' | 'payload' | 'signature';

/**
 * A string that is not a readable JWT. `code` is always `TOKEN_DECODE_FAILED`; `reason` and
 * `part` say what is wrong and where. The message explains it in plain words and never repeats
 * the input.
 */
export class TokenDecodeError extends Error {
  readonly code = 'TOKEN_DECODE_FAILED' as const;
  readonly reason: TokenDecodeReason;
  readonly part: TokenPart | undefined;

  constructor(reason: TokenDecodeReason, message: string, part?: TokenPart, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TokenDecodeError';
    this.reason = reason;
    this.part = part;
  }
}

/** A decoded JWT: readable, but not yet verified. */
export interface DecodedToken {
  /** The compact token, trimmed. */
  raw: string;
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
  /** The base64url signature part (empty for an unsecured `alg: none` token). */
  signature: string;
  /** The three encoded parts, for showing them side by side. */
  parts: { header: string; payload: string; signature: string };
  /** Exactly as decoded, for the "raw JSON" view (key order kept). */
  headerJson: string;
  payloadJson: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const NAMES: Record<TokenPart, string> = { header: 'header', payload: 'payload', signature: 'signature' };

/**
 * Decodes a compact JWT with jose (`decodeProtectedHeader`, `decodeJwt`) after checking each part,
 * so that a malformed input gets a precise explanation. Does not verify anything.
 * @throws {TokenDecodeError} when the input is not a readable JWS-compact JWT.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export function decodeToken(input: string): DecodedToken {
  const raw = input.trim();
  if (raw === '') {
    throw new TokenDecodeError(
      'empty',
      'There is nothing to decode. Paste a token: three base64url parts separated by dots, starting with "eyJ".',
    );
  }
  const space = raw.search(/\s/);
  if (space >= 0) {
    throw new TokenDecodeError(
      'whitespace',
      `The token contains a space or line break at character ${space + 1}. Tokens have none; copy it again in one piece, without a "Bearer " prefix.`,
    );
  }
  const pieces = raw.split('.');
  if (pieces.length === 5 && pieces[0]?.startsWith('eyJ')) {
    throw new TokenDecodeError(
      'encrypted',
      'This is an encrypted token (JWE, five parts). Only the holder of its decryption key can read it; Entra ID encrypts tokens only for apps that configured token encryption.',
    );
  }
  if (pieces.length !== 3) {
    const opaque =
      pieces.length === 1
        ? ' It may be an opaque value such as a refresh token or an authorization code, which are not JWTs and cannot be decoded.'
        : '';
    throw new TokenDecodeError(
      'not-three-parts',
      `A JWT has three parts separated by dots (header.payload.signature); this has ${pieces.length}.${opaque}`,
    );
  }
  const [header = '', payload = '', signature = ''] = pieces;
  const parts = { header, payload, signature };
  for (const part of ['header', 'payload', 'signature'] as const) checkBase64url(part, parts[part]);

  const headerJson = decodeJsonText('header', header);
  const payloadJson = decodeJsonText('payload', payload);
  let decodedHeader: ProtectedHeaderParameters;
  let decodedPayload: JWTPayload;
  try {
    decodedHeader = decodeProtectedHeader(raw);
    decodedPayload = decodeJwt(raw);
  } catch (cause) {
    // The checks above cover every rule jose applies; this is a safety net, not an expected path.
    throw new TokenDecodeError('not-object', 'The token could not be decoded as a JWT.', undefined, cause);
  }
  return { raw, header: decodedHeader, payload: decodedPayload, signature, parts, headerJson, payloadJson };
}

function checkBase64url(part: TokenPart, text: string): void {
  if (text === '') {
    if (part === 'signature') return; // unsecured JWTs (alg "none") have an empty signature
    throw new TokenDecodeError(
      'empty-part',
      `The ${NAMES[part]} part is empty. A JWT's header and payload always have content.`,
      part,
    );
  }
  if (!BASE64URL.test(text)) {
    const bad = [...text].find((char) => !/[A-Za-z0-9_-]/.test(char)) ?? '';
    const hint =
      bad === '='
        ? ' JWTs use base64url without "=" padding.'
        : bad === '+' || bad === '/'
          ? ' That is standard base64; JWTs use base64url ("-" and "_").'
          : '';
    throw new TokenDecodeError(
      'bad-base64url',
      `The ${NAMES[part]} part contains ${JSON.stringify(bad)}, which is not a base64url character (A–Z, a–z, 0–9, "-", "_").${hint}`,
      part,
    );
  }
  if (text.length % 4 === 1) {
    throw new TokenDecodeError(
      'bad-base64url',
      `The ${NAMES[part]} part has a length (${text.length}) that no base64url text can have; the token was probably cut off or joined wrongly when copied.`,
      part,
    );
  }
}

function decodeJsonText(part: 'header' | 'payload', text: string): string {
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(text));
  } catch (cause) {
    throw new TokenDecodeError(
      'not-utf8',
      `The ${part} part decodes to binary data, not text. Check that the token was copied whole.`,
      part,
      cause,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new TokenDecodeError(
      'not-json',
      `The ${part} part decodes to text that is not JSON. A JWT's ${part} is a JSON object; this may be some other kind of token.`,
      part,
      cause,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new TokenDecodeError('not-object', `The ${part} part is JSON but ${kind}, not an object.`, part);
  }
  return json;
}

/** True when the token's header says it is unsigned (`alg: none`). */
export function isUnsecured(token: DecodedToken): boolean {
  return token.header.alg === 'none' || token.signature === '';
}
