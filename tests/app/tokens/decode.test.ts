import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeToken, isUnsecured, TokenDecodeError } from '../../../src/app/tokens/decode.ts';

const b64u = (text: string) => base64url.encode(text);
const HEADER = b64u('{"typ":"JWT","alg":"RS256","kid":"k1"}');
const PAYLOAD = b64u(
  '{"aud":"2ff814a6-3304-4ab8-85cb-cd0e6f879c1d","iss":"https://sts.windows.net/t/","exp":1700000000}',
);

function failure(input: string) {
  try {
    decodeToken(input);
  } catch (error) {
    if (error instanceof TokenDecodeError)
      return { code: error.code, reason: error.reason, part: error.part, message: error.message };
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('decoding a token', () => {
  it('returns the header, payload and signature of a well-formed JWT', () => {
    const token = decodeToken(`  ${HEADER}.${PAYLOAD}.c2lnbmF0dXJl\n`);
    expect(token.header).toEqual({ typ: 'JWT', alg: 'RS256', kid: 'k1' });
    expect(token.payload).toMatchObject({ aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', exp: 1700000000 });
    expect(token.signature).toBe('c2lnbmF0dXJl');
    expect(token.parts).toEqual({ header: HEADER, payload: PAYLOAD, signature: 'c2lnbmF0dXJl' });
    expect(token.payloadJson).toBe(
      '{"aud":"2ff814a6-3304-4ab8-85cb-cd0e6f879c1d","iss":"https://sts.windows.net/t/","exp":1700000000}',
    );
    expect(isUnsecured(token)).toBe(false);
  });

  it('reads an unsecured token and says it is unsigned', () => {
    const token = decodeToken(`${b64u('{"alg":"none"}')}.${PAYLOAD}.`);
    expect(isUnsecured(token)).toBe(true);
  });

  it('keeps non-ASCII claim text intact', () => {
    const token = decodeToken(`${HEADER}.${b64u('{"name":"Zoë Ångström 山田"}')}.c2ln`);
    expect(token.payload.name).toBe('Zoë Ångström 山田');
  });

  it.each([
    [
      'nothing',
      '   ',
      'empty',
      undefined,
      'There is nothing to decode. Paste a token: three base64url parts separated by dots, starting with "eyJ".',
    ],
    [
      'a token with a line break inside',
      `${HEADER}.\n${PAYLOAD}.c2ln`,
      'whitespace',
      undefined,
      'The token contains a space or line break at character 53. Tokens have none; copy it again in one piece, without a "Bearer " prefix.',
    ],
    [
      'a Bearer header value',
      `Bearer ${HEADER}.${PAYLOAD}.c2ln`,
      'whitespace',
      undefined,
      'The token contains a space or line break at character 7. Tokens have none; copy it again in one piece, without a "Bearer " prefix.',
    ],
    [
      'an encrypted token',
      'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d',
      'encrypted',
      undefined,
      'This is an encrypted token (JWE, five parts). Only the holder of its decryption key can read it; Entra ID encrypts tokens only for apps that configured token encryption.',
    ],
    [
      'a refresh token',
      '1.AXkA-opaque-refresh-token',
      'not-three-parts',
      undefined,
      'A JWT has three parts separated by dots (header.payload.signature); this has 2.',
    ],
    [
      'an opaque value',
      'M.C123_BAY.2.U.opaque',
      'not-three-parts',
      undefined,
      'A JWT has three parts separated by dots (header.payload.signature); this has 5.',
    ],
    [
      'a single opaque string',
      'abcdef',
      'not-three-parts',
      undefined,
      'A JWT has three parts separated by dots (header.payload.signature); this has 1. It may be an opaque value such as a refresh token or an authorization code, which are not JWTs and cannot be decoded.',
    ],
    [
      'an empty header',
      `.${PAYLOAD}.c2ln`,
      'empty-part',
      'header',
      "The header part is empty. A JWT's header and payload always have content.",
    ],
    [
      'standard base64 in the payload',
      `${HEADER}.ab+c.c2ln`,
      'bad-base64url',
      'payload',
      'The payload part contains "+", which is not a base64url character (A–Z, a–z, 0–9, "-", "_"). That is standard base64; JWTs use base64url ("-" and "_").',
    ],
    [
      'padding in the signature',
      `${HEADER}.${PAYLOAD}.c2ln==`,
      'bad-base64url',
      'signature',
      'The signature part contains "=", which is not a base64url character (A–Z, a–z, 0–9, "-", "_"). JWTs use base64url without "=" padding.',
    ],
    [
      'a truncated header',
      `${HEADER.slice(0, -2)}.${PAYLOAD}.c2ln`,
      'bad-base64url',
      'header',
      'The header part has a length (49) that no base64url text can have; the token was probably cut off or joined wrongly when copied.',
    ],
    [
      'a payload that is not text',
      `${HEADER}.${base64url.encode(new Uint8Array([0xff, 0xfe, 0xfd]))}.c2ln`,
      'not-utf8',
      'payload',
      'The payload part decodes to binary data, not text. Check that the token was copied whole.',
    ],
    [
      'a payload that is not JSON',
      `${HEADER}.${b64u('<script>alert(1)</script>')}.c2ln`,
      'not-json',
      'payload',
      "The payload part decodes to text that is not JSON. A JWT's payload is a JSON object; this may be some other kind of token.",
    ],
    [
      'a header that is a JSON array',
      `${b64u('[1]')}.${PAYLOAD}.c2ln`,
      'not-object',
      'header',
      'The header part is JSON but an array, not an object.',
    ],
    [
      'a payload that is a JSON string',
      `${HEADER}.${b64u('"x"')}.c2ln`,
      'not-object',
      'payload',
      'The payload part is JSON but a string, not an object.',
    ],
  ])('explains %s', (_label, input, reason, part, message) => {
    expect(failure(input)).toEqual({ code: 'TOKEN_DECODE_FAILED', reason, part, message });
  });

  it('never repeats the input in its explanation', () => {
    const secretish = `${HEADER}.${b64u('not json but secret-value')}.c2ln`;
    expect(failure(secretish).message).not.toContain('secret-value');
  });
});
