import { base64url } from 'jose';
import type { AppConfig } from '../../../src/app/config/types.ts';
import type { TokenVerifier, VerificationResult } from '../../../src/app/tokens/verify.ts';

export const TENANT = 'a1bc2d34-5e67-8f89-01ab-c2345d6c78de';
export const CLIENT = '12a34b56-789c-0d12-e3fa-b456789c0123';
/** 2026-11-24T06:00:00Z, the frozen "now" of the clock tests. */
export const NOW = Date.UTC(2026, 10, 24, 6, 0, 0) / 1000;

export const CONFIG: AppConfig = {
  tenantId: TENANT,
  clientId: CLIENT,
  cloud: 'sandbox',
  authority: `https://localhost:5174/${TENANT}/`,
  authorityHost: 'localhost:5174',
  workspaceUrl: 'https://localhost:5175',
  workspaceHost: 'localhost:5175',
  workspaceResourceId: undefined,
  sandbox: true,
  cacheLocation: 'sessionStorage',
};

const b64u = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A compact token with a made-up signature (signature checks are faked in component tests). */
export function makeToken(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', kid: 'k1' },
): string {
  return `${b64u(header)}.${b64u(payload)}.${base64url.encode(`sig-${JSON.stringify(payload).length}`)}`;
}

export function idTokenPayload(overrides: Record<string, unknown> = {}) {
  return {
    aud: CLIENT,
    iss: `https://localhost:5174/${TENANT}/v2.0`,
    iat: NOW - 60,
    nbf: NOW - 60,
    exp: NOW + 3600,
    name: 'Ana Analyst',
    oid: '0a11ce00-0000-4000-8000-000000000001',
    preferred_username: 'ana@contoso.example',
    tid: TENANT,
    ver: '2.0',
    ...overrides,
  };
}

export function accessTokenPayload(overrides: Record<string, unknown> = {}) {
  return {
    aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d',
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: NOW - 60,
    nbf: NOW - 60,
    exp: NOW + 3600,
    amr: ['pwd', 'mfa'],
    appid: CLIENT,
    appidacr: '0',
    scp: 'user_impersonation',
    upn: 'ana@contoso.example',
    ver: '1.0',
    ...overrides,
  };
}

/** A verifier that answers from a table instead of fetching keys, and records what it was asked. */
export function fakeVerifier(answer: (jwt: string) => VerificationResult) {
  const asked: string[] = [];
  const verifier: TokenVerifier = {
    async verify(jwt) {
      asked.push(jwt);
      return answer(jwt);
    },
  };
  return { verifier, asked };
}
