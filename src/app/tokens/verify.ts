import {
  compactVerify,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type RemoteJWKSet,
} from 'jose';
import { CLOUDS } from '../config/clouds.ts';
import type { AppConfig } from '../config/types.ts';
import { decodeToken, TokenDecodeError } from './decode.ts';
import { GUID_PATTERN } from '../well-known.ts';

/** The outcome of checking a token's signature. */
export type VerificationState = 'verified' | 'not-verified' | 'unavailable';

/** A verification state with the reason, for showing to people. */
export interface VerificationResult {
  /**
   * `verified`: the signature matches a key the issuer publishes. `not-verified`: it does not, or
   * the token cannot be signed by Entra ID at all. `unavailable`: it could not be checked here.
   */
  state: VerificationState;
  reason: string;
  /** Where the keys were (or would have been) read from. */
  keysUrl?: string | undefined;
}

/** Checks signatures, with one cached key set per keys URL. */
export interface TokenVerifier {
  verify(jwt: string, config: Pick<AppConfig, 'cloud' | 'authorityHost'>): Promise<VerificationResult>;
}

/** Options for {@link createTokenVerifier}; tests pass a fetch that plays the identity provider. */
export interface TokenVerifierOptions {
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** How long to wait for the keys, in milliseconds (default 5000). */
  timeoutMs?: number;
}

/** The keys could not be fetched; `status` is the HTTP status (0 for a redirect the browser hid). */
class KeysUnavailableError extends Error {
  readonly code = 'TOKEN_KEYS_UNAVAILABLE' as const;
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

const SANDBOX_V1_ISSUER_HOST = 'sts.windows.net';
const SANDBOX_V2_ISSUER_HOST = 'login.microsoftonline.com';

/**
 * Where the keys for a token's issuer are, on the configured authority host: v2.0 issuers
 * (`https://{login host}/{tid}/v2.0`) and v1.0 issuers (`https://{sts host}/{tid}/`) of the
 * configured cloud both map to `https://{authorityHost}/{tid}/discovery/v2.0/keys`. Keys are never
 * fetched from a host the token itself names, since a pasted token is untrusted.
 * @see https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-signature
 */
export function keysUrlFor(
  iss: unknown,
  config: Pick<AppConfig, 'cloud' | 'authorityHost'>,
): { ok: true; url: string; version: '1.0' | '2.0'; tenantId: string } | { ok: false; reason: string } {
  if (typeof iss !== 'string' || iss === '')
    return { ok: false, reason: 'The token has no issuer (iss), so there is no one whose keys could check it.' };
  let url: URL | undefined;
  try {
    url = new URL(iss);
  } catch {
    url = undefined;
  }
  const match = url ? /^\/([^/]+)\/(v2\.0)?$/.exec(url.pathname) : null;
  const tenantId = match?.[1];
  const notEntra = `The issuer ${JSON.stringify(iss)} is not an Entra ID issuer of ${config.cloud === 'sandbox' ? 'the sandbox' : `the ${config.cloud} cloud`}, which this app is configured for; its keys were not fetched.`;
  if (url?.protocol !== 'https:' || !match || !tenantId || !GUID_PATTERN.test(tenantId) || url.search || url.hash) {
    return { ok: false, reason: notEntra };
  }
  const version = match[2] ? '2.0' : '1.0';
  const profile = config.cloud === 'sandbox' ? undefined : CLOUDS[config.cloud];
  const accepted =
    version === '2.0'
      ? profile
        ? [profile.authorityHost, ...profile.authorityAliases.filter((host) => !host.startsWith('sts.'))]
        : [config.authorityHost, SANDBOX_V2_ISSUER_HOST]
      : profile
        ? [profile.v1IssuerHost]
        : [config.authorityHost, SANDBOX_V1_ISSUER_HOST];
  if (!accepted.includes(url.host)) return { ok: false, reason: notEntra };
  const tid = tenantId.toLowerCase();
  return { ok: true, url: `https://${config.authorityHost}/${tid}/discovery/v2.0/keys`, version, tenantId: tid };
}

/**
 * Creates a verifier that fetches each issuer's JSON Web Key Set once and keeps it (jose refreshes
 * it after 10 minutes, or when a token names a key it does not have).
 */
export function createTokenVerifier(options: TokenVerifierOptions = {}): TokenVerifier {
  const keySets = new Map<string, RemoteJWKSet>();
  const baseFetch = options.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init));
  const fetchKeys: FetchImplementation = async (url, init) => {
    const response = await baseFetch(url, init);
    if (response.status !== 200) {
      const what = response.status === 0 ? 'redirected the request elsewhere' : `answered HTTP ${response.status}`;
      throw new KeysUnavailableError(`The keys endpoint ${url} ${what}.`, response.status);
    }
    return response;
  };
  const keySetFor = (url: string): RemoteJWKSet => {
    let keySet = keySets.get(url);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url), {
        timeoutDuration: options.timeoutMs ?? 5000,
        [customFetch]: fetchKeys,
      });
      keySets.set(url, keySet);
    }
    return keySet;
  };

  return {
    async verify(jwt, config) {
      let token: ReturnType<typeof decodeToken>;
      try {
        token = decodeToken(jwt);
      } catch (error) {
        if (error instanceof TokenDecodeError)
          return { state: 'not-verified', reason: `The token cannot be read: ${error.message}` };
        throw error;
      }
      const { alg, kid, nonce } = token.header;
      if (alg === 'none' || token.signature === '') {
        return {
          state: 'not-verified',
          reason: 'The token is unsigned (alg "none" or no signature part): anyone could have written it.',
        };
      }
      if (typeof nonce === 'string') {
        return {
          state: 'unavailable',
          reason:
            'This token has a "nonce" in its header, as Microsoft Graph tokens do: they are hashed before signing, so only Microsoft Graph can verify them.',
        };
      }
      if (alg !== 'RS256') {
        return {
          state: 'not-verified',
          reason: `The token is signed with ${JSON.stringify(alg)}, but Entra ID signs with RS256 and publishes only RSA keys.`,
        };
      }
      const location = keysUrlFor(token.payload.iss, config);
      if (!location.ok) return { state: 'unavailable', reason: location.reason };
      const keysUrl = location.url;
      const keyName = typeof kid === 'string' ? `key ${JSON.stringify(kid)}` : 'the key (the token names none)';
      try {
        await compactVerify(token.raw, keySetFor(keysUrl), { algorithms: ['RS256'] });
        return { state: 'verified', reason: `Signed by ${keyName}, published by the issuer at ${keysUrl}.`, keysUrl };
      } catch (error) {
        return { ...explainFailure(error, keyName, keysUrl), keysUrl };
      }
    },
  };
}

function explainFailure(error: unknown, keyName: string, keysUrl: string): Omit<VerificationResult, 'keysUrl'> {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return {
      state: 'not-verified',
      reason: `The signature does not match ${keyName} published at ${keysUrl}: the token was changed after signing, or signed by someone else.`,
    };
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return {
      state: 'not-verified',
      reason: `No key matching ${keyName} is published at ${keysUrl}: the token was not signed by this tenant's Entra ID, or by a key it has since retired.`,
    };
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return {
      state: 'unavailable',
      reason: `Several keys at ${keysUrl} match ${keyName}, so the signing key cannot be told apart.`,
    };
  }
  if (error instanceof errors.JWKSTimeout)
    return { state: 'unavailable', reason: `The keys at ${keysUrl} did not arrive in time. Try again later.` };
  if (error instanceof KeysUnavailableError)
    return { state: 'unavailable', reason: `${error.message} Try again later.` };
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JOSEError) {
    return { state: 'unavailable', reason: `The answer from ${keysUrl} is not a usable JSON Web Key Set.` };
  }
  if (error instanceof TypeError) {
    return {
      state: 'unavailable',
      reason: `The keys at ${keysUrl} could not be fetched (${error.message}); the network is down, or the page's Content-Security-Policy or the server's CORS rules block it.`,
    };
  }
  return {
    state: 'unavailable',
    reason: `The signature could not be checked: ${error instanceof Error ? error.message : String(error)}.`,
  };
}

const defaultVerifier = createTokenVerifier();

/**
 * Checks a token's signature in the browser against the issuer's published keys (jose,
 * RS256 only). Never throws for a bad token or an unreachable key endpoint: the result says so.
 */
export function verifyTokenSignature(
  jwt: string,
  config: Pick<AppConfig, 'cloud' | 'authorityHost'>,
  verifier: TokenVerifier = defaultVerifier,
): Promise<VerificationResult> {
  return verifier.verify(jwt, config);
}
