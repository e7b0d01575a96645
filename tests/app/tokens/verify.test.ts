import { exportJWK, generateKeyPair, SignJWT, base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, keysUrlFor, verifyTokenSignature } from '../../../src/app/tokens/verify.ts';

const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
const PUBLIC = { cloud: 'public', authorityHost: 'login.microsoftonline.com' } as const;
const SANDBOX = { cloud: 'sandbox', authorityHost: 'localhost:5174' } as const;
const KEYS_URL = `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let signing: KeyPair;
let stranger: KeyPair;
let jwks: { keys: object[] };

beforeAll(async () => {
  signing = await generateKeyPair('RS256', { extractable: true });
  stranger = await generateKeyPair('RS256', { extractable: true });
  jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' }] };
});

/** Plays the identity provider's keys endpoint; anything else is refused loudly. */
function fakeIdentityProvider(answer: (url: string) => Response = () => Response.json(jwks)) {
  const requests: string[] = [];
  const fetch = async (url: string) => {
    requests.push(url);
    return answer(url);
  };
  return { fetch, requests };
}

function sign(
  payload: Record<string, unknown>,
  options: { kid?: string; key?: KeyPair; header?: Record<string, unknown> } = {},
) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'k1', ...options.header })
    .sign((options.key ?? signing).privateKey);
}

describe('finding the issuer keys', () => {
  it.each([
    [`https://login.microsoftonline.com/${TENANT}/v2.0`, PUBLIC, KEYS_URL, '2.0'],
    [`https://sts.windows.net/${TENANT}/`, PUBLIC, KEYS_URL, '1.0'],
    [`https://sts.windows.net/${TENANT}/`, SANDBOX, `https://localhost:5174/${TENANT}/discovery/v2.0/keys`, '1.0'],
    [`https://localhost:5174/${TENANT}/v2.0`, SANDBOX, `https://localhost:5174/${TENANT}/discovery/v2.0/keys`, '2.0'],
    [
      `https://sts.chinacloudapi.cn/${TENANT}/`,
      { cloud: 'china', authorityHost: 'login.partner.microsoftonline.cn' },
      `https://login.partner.microsoftonline.cn/${TENANT}/discovery/v2.0/keys`,
      '1.0',
    ],
  ] as const)('reads keys for %s on the configured authority host', (iss, config, url, version) => {
    expect(keysUrlFor(iss, config)).toEqual({ ok: true, url, version, tenantId: TENANT });
  });

  it.each([
    [`https://evil.example/${TENANT}/v2.0`],
    [`https://localhost:5174/${TENANT}/v2.0`],
    [`https://sts.chinacloudapi.cn/${TENANT}/`],
    ['https://sts.windows.net/not-a-guid/'],
    [`https://sts.windows.net/${TENANT}/?x=1`],
  ])('refuses to fetch keys for the issuer %s on the public cloud', (iss) => {
    expect(keysUrlFor(iss, PUBLIC)).toEqual({
      ok: false,
      reason: `The issuer ${JSON.stringify(iss)} is not an Entra ID issuer of the public cloud, which this app is configured for; its keys were not fetched.`,
    });
  });
});

describe('verifying a token signature', () => {
  it('verifies a v1.0 access token against the tenant keys, fetching them once', async () => {
    const idp = fakeIdentityProvider();
    const verifier = createTokenVerifier({ fetch: idp.fetch });
    const token = await sign({
      iss: `https://sts.windows.net/${TENANT}/`,
      aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d',
    });
    const result = await verifyTokenSignature(token, PUBLIC, verifier);
    expect(result).toEqual({
      state: 'verified',
      reason: `Signed by key "k1", published by the issuer at ${KEYS_URL}.`,
      keysUrl: KEYS_URL,
    });
    await verifyTokenSignature(token, PUBLIC, verifier);
    expect(idp.requests).toEqual([KEYS_URL]);
  });

  it("verifies an expired token, since the signature is still the issuer's", async () => {
    const idp = fakeIdentityProvider();
    const token = await sign({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, exp: 1 });
    expect((await createTokenVerifier({ fetch: idp.fetch }).verify(token, PUBLIC)).state).toBe('verified');
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const token = await sign({ iss: `https://sts.windows.net/${TENANT}/`, scp: 'user_impersonation' });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url.encode(JSON.stringify({ iss: `https://sts.windows.net/${TENANT}/`, scp: 'everything' }))}.${signature}`;
    const result = await createTokenVerifier({ fetch: fakeIdentityProvider().fetch }).verify(forged, PUBLIC);
    expect(result).toMatchObject({
      state: 'not-verified',
      reason: `The signature does not match key "k1" published at ${KEYS_URL}: the token was changed after signing, or signed by someone else.`,
    });
  });

  it('rejects a token signed by a key the issuer does not publish', async () => {
    const token = await sign({ iss: `https://sts.windows.net/${TENANT}/` }, { kid: 'other', key: stranger });
    const result = await createTokenVerifier({ fetch: fakeIdentityProvider().fetch }).verify(token, PUBLIC);
    expect(result).toMatchObject({
      state: 'not-verified',
      reason: `No key matching key "other" is published at ${KEYS_URL}: the token was not signed by this tenant's Entra ID, or by a key it has since retired.`,
    });
  });

  it('says it could not check when the keys endpoint fails', async () => {
    const idp = fakeIdentityProvider(() => new Response('busy', { status: 503 }));
    const token = await sign({ iss: `https://sts.windows.net/${TENANT}/` });
    expect(await createTokenVerifier({ fetch: idp.fetch }).verify(token, PUBLIC)).toEqual({
      state: 'unavailable',
      reason: `The keys endpoint ${KEYS_URL} answered HTTP 503. Try again later.`,
      keysUrl: KEYS_URL,
    });
  });

  it('says it could not check when the network fails', async () => {
    const idp = fakeIdentityProvider(() => {
      throw new TypeError('Failed to fetch');
    });
    const token = await sign({ iss: `https://sts.windows.net/${TENANT}/` });
    expect((await createTokenVerifier({ fetch: idp.fetch }).verify(token, PUBLIC)).reason).toBe(
      `The keys at ${KEYS_URL} could not be fetched (Failed to fetch); the network is down, or the page's Content-Security-Policy or the server's CORS rules block it.`,
    );
  });

  it('says it could not check when the answer is not a key set', async () => {
    const idp = fakeIdentityProvider(() => Response.json({ hello: 'world' }));
    const token = await sign({ iss: `https://sts.windows.net/${TENANT}/` });
    expect(await createTokenVerifier({ fetch: idp.fetch }).verify(token, PUBLIC)).toMatchObject({
      state: 'unavailable',
      reason: `The answer from ${KEYS_URL} is not a usable JSON Web Key Set.`,
    });
  });

  it('does not fetch keys for a foreign issuer', async () => {
    const idp = fakeIdentityProvider();
    const token = await sign({ iss: 'https://accounts.example/' });
    expect((await createTokenVerifier({ fetch: idp.fetch }).verify(token, PUBLIC)).state).toBe('unavailable');
    expect(idp.requests).toEqual([]);
  });

  it('explains unsigned, symmetric and Microsoft Graph tokens without fetching', async () => {
    const idp = fakeIdentityProvider();
    const verifier = createTokenVerifier({ fetch: idp.fetch });
    const b64u = (value: object) => base64url.encode(JSON.stringify(value));
    const body = b64u({ iss: `https://sts.windows.net/${TENANT}/` });
    expect(await verifier.verify(`${b64u({ alg: 'none' })}.${body}.`, PUBLIC)).toEqual({
      state: 'not-verified',
      reason: 'The token is unsigned (alg "none" or no signature part): anyone could have written it.',
    });
    expect((await verifier.verify(`${b64u({ alg: 'HS256' })}.${body}.c2ln`, PUBLIC)).reason).toBe(
      'The token is signed with "HS256", but Entra ID signs with RS256 and publishes only RSA keys.',
    );
    expect((await verifier.verify(`${b64u({ alg: 'RS256', nonce: 'n' })}.${body}.c2ln`, PUBLIC)).state).toBe(
      'unavailable',
    );
    expect((await verifier.verify('garbage', PUBLIC)).state).toBe('not-verified');
    expect(idp.requests).toEqual([]);
  });
});
