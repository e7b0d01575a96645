import { createHash, randomBytes, randomInt } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import type { SandboxApp, SandboxResource, SandboxUser } from '../config-schema.ts';
import type { SigningKey } from '../keys.ts';

/** The v1.0 access-token issuer, `https://sts.windows.net/{tid}/` (with the trailing slash). */
export function issuerV1(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** Signs ID tokens and access tokens with the sandbox key. */
export class TokenMinter {
  private readonly key: SigningKey;
  private readonly publicUrl: string;

  constructor(key: SigningKey, publicUrl: string) {
    this.key = key;
    this.publicUrl = publicUrl;
  }

  /** The v2.0 issuer: the sandbox's own origin, so MSAL's issuer check passes. */
  issuerV2(tenantId: string): string {
    return `${this.publicUrl}/${tenantId}/v2.0`;
  }

  /** The JWKS, with `kid`, `x5t`, `x5c` and `issuer` as Entra publishes them. */
  async jwks(issuer: string): Promise<{ keys: Record<string, unknown>[] }> {
    const jwk = await exportJWK(this.key.publicKey);
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.key.kid,
          x5t: this.key.x5t,
          n: jwk.n,
          e: jwk.e,
          x5c: [this.key.x5c],
          issuer,
        },
      ],
    };
  }

  /**
   * A v2.0 ID token. `nonce` only when the authorize request carried one (MSAL compares it).
   * @see https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
   */
  async idToken(input: {
    app: SandboxApp;
    user: SandboxUser;
    nonce: string | undefined;
    sid: string;
    lifetimeSeconds: number;
    profile: boolean;
    email: boolean;
    now: number;
  }): Promise<string> {
    const { app, user } = input;
    const iat = Math.floor(input.now / 1000);
    const claims: Record<string, unknown> = {
      aud: app.clientId,
      iss: this.issuerV2(user.tenant),
      iat,
      nbf: iat,
      exp: iat + input.lifetimeSeconds,
      aio: opaque(48),
      login_hint: loginHintFor(user),
      oid: user.oid,
      rh: `1.${opaque(40)}`,
      sid: input.sid,
      sub: pairwiseSubject(user.oid, app.clientId),
      tid: user.tenant,
      uti: opaque(16),
      ver: '2.0',
    };
    if (input.profile) {
      claims.name = user.name;
      claims.preferred_username = user.upn;
    }
    if (input.email) claims.email = user.upn;
    if (input.nonce !== undefined) claims.nonce = input.nonce;
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.key.kid })
      .sign(this.key.privateKey);
  }

  /**
   * A v1.0 access token for `resource`, as Entra issues for Azure Databricks even from the v2.0
   * endpoint.
   * @see https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
   */
  async accessToken(input: {
    app: SandboxApp;
    user: SandboxUser;
    resource: SandboxResource;
    scopes: string[];
    amr: string[];
    ipaddr: string;
    lifetimeSeconds: number;
    now: number;
  }): Promise<string> {
    const { app, user } = input;
    const iat = Math.floor(input.now / 1000);
    const claims: Record<string, unknown> = {
      aud: input.resource.appId,
      iss: issuerV1(user.tenant),
      iat,
      nbf: iat,
      exp: iat + input.lifetimeSeconds,
      acr: '1',
      aio: opaque(48),
      amr: input.amr,
      appid: app.clientId,
      appidacr: '0',
      family_name: user.familyName ?? user.name.split(' ').slice(1).join(' '),
      given_name: user.givenName ?? user.name.split(' ')[0],
      ipaddr: input.ipaddr,
      name: user.name,
      oid: user.oid,
      puid: createHash('sha256').update(user.oid).digest('hex').slice(0, 16).toUpperCase(),
      rh: `1.${opaque(40)}`,
      scp: input.scopes.join(' '),
      sub: pairwiseSubject(user.oid, app.clientId),
      tid: user.tenant,
      unique_name: user.upn,
      upn: user.upn,
      uti: opaque(16),
      ver: '1.0',
    };
    if (user.groups.length > 0) claims.groups = user.groups;
    return new SignJWT(claims)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: this.key.x5t, kid: this.key.kid })
      .sign(this.key.privateKey);
  }
}

/** Entra's default access-token lifetime: a random period between 60 and 90 minutes. */
export function randomAccessTokenLifetime(): number {
  return randomInt(3600, 5401);
}

/** base64url of `{"uid":oid,"utid":tid}`: MSAL builds the home account ID from it. */
export function clientInfoFor(user: SandboxUser): string {
  return Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tenant })).toString('base64url');
}

/** The opaque `login_hint` claim; MSAL sends it back as `login_hint` / `logout_hint`. */
export function loginHintFor(user: SandboxUser): string {
  return `O.${Buffer.from(JSON.stringify({ oid: user.oid, tid: user.tenant })).toString('base64url')}`;
}

/** The object ID inside a `login_hint` claim value, or undefined if it is not one. */
export function oidFromLoginHint(hint: string): string | undefined {
  if (!hint.startsWith('O.')) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(hint.slice(2), 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { oid?: unknown }).oid === 'string'
      ? (parsed as { oid: string }).oid
      : undefined;
  } catch {
    return undefined;
  }
}

/** `sub` is pairwise: the same user has a different subject in each application. */
function pairwiseSubject(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest('base64url');
}

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
