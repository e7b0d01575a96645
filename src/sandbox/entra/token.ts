import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxApp, SandboxUser } from '../config-schema.ts';
import { type EntraContext, grantedScopes, missingConsent, needsMfa } from './context.ts';
import type { Platform, RequestedScopes, TenantRef } from './directory.ts';
import { buildErrorBody, EntraProtocolError } from './errors.ts';
import { BodyTooLargeError, clientIp, corsHeaders, parseParams, readBody, sendJson } from './http.ts';
import { noteRequest } from '../request-events.ts';
import { clientInfoFor, randomAccessTokenLifetime } from './tokens.ts';
import { GUID_PATTERN } from '../well-known.ts';

const VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;
const TOKEN_CORS = corsHeaders('POST, OPTIONS');

/** The token endpoint's JSON success body. */
export interface TokenResponseBody {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  id_token?: string;
  client_info?: string;
}

/**
 * `POST /{tenant}/oauth2/v2.0/token`: the authorization_code, refresh_token and password grants.
 * Every answer is JSON with CORS headers, so a browser can read errors too.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
 */
export async function handleToken(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string,
  query: string,
): Promise<void> {
  let correlationId: string = randomUUID();
  try {
    const queryParams = parseParams(query);
    const headerId = req.headers['client-request-id'];
    const given = queryParams.get('client-request-id') ?? (typeof headerId === 'string' ? headerId : undefined);
    if (given !== undefined && GUID_PATTERN.test(given)) correlationId = given;
    const fault = ctx.faults.take('tokenEndpoint');
    if (fault !== undefined) {
      const error = new EntraProtocolError(
        90033,
        {},
        {
          status: fault.status,
          error: fault.error ?? (fault.status >= 500 ? 'temporarily_unavailable' : 'invalid_request'),
        },
      );
      const headers: Record<string, string> = { ...TOKEN_CORS };
      if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
      return sendJson(res, error.status, buildErrorBody(error, correlationId, ctx.publicUrl), headers);
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new EntraProtocolError(9002313, {
        detail: `the body must be application/x-www-form-urlencoded, not '${contentType.slice(0, 80)}'`,
      });
    }
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        throw new EntraProtocolError(9002313, { detail: 'the body is larger than 64 KiB' });
      }
      throw error;
    }
    const body = parseParams(text);
    const tenant = ctx.directory.resolveTenant(tenantSegment);
    const grantType = body.get('grant_type');
    if (grantType === undefined || grantType === '') throw new EntraProtocolError(900144, { name: 'grant_type' });
    const clientId = body.get('client_id');
    if (clientId === undefined || clientId === '') throw new EntraProtocolError(900144, { name: 'client_id' });
    noteRequest(req, { clientId, detail: grantType });
    const app = ctx.directory.findApp(clientId, tenant);
    if (body.has('client_secret') || body.has('client_assertion'))
      throw new EntraProtocolError(700025, { clientId: app.clientId });
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const grant = { ctx, req, body, app, tenant, origin };
    let response: TokenResponseBody;
    switch (grantType) {
      case 'authorization_code':
        response = await redeemCode(grant);
        break;
      case 'refresh_token':
        response = await redeemRefreshToken(grant);
        break;
      case 'password':
        response = await redeemPassword(grant);
        break;
      default:
        throw new EntraProtocolError(70003, { grant: grantType.slice(0, 100) });
    }
    sendJson(res, 200, response, TOKEN_CORS);
  } catch (error) {
    if (!(error instanceof EntraProtocolError)) throw error;
    sendJson(res, error.status, buildErrorBody(error, correlationId, ctx.publicUrl), TOKEN_CORS);
  }
}

/** The CORS preflight of the token endpoint (msal-node never sends one; browsers may). */
export function handleTokenPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = req.headers['access-control-request-headers'];
  const allowHeaders =
    typeof requested === 'string' && /^[A-Za-z0-9\-_, ]{0,1000}$/.test(requested) ? requested : 'Content-Type';
  res.writeHead(204, {
    ...TOKEN_CORS,
    'Access-Control-Allow-Headers': allowHeaders,
    'Access-Control-Max-Age': '86400',
    'Content-Length': 0,
  });
  res.end();
}

interface Grant {
  ctx: EntraContext;
  req: IncomingMessage;
  body: Map<string, string>;
  app: SandboxApp;
  tenant: TenantRef;
  origin: string | undefined;
}

function required(body: Map<string, string>, name: string): string {
  const value = body.get(name);
  if (value === undefined || value === '') throw new EntraProtocolError(900144, { name });
  return value;
}

/** The single-page-app rules on cross-origin redemption (AADSTS9002326 / 9002327). */
function checkOrigin(origin: string | undefined, platform: Platform): void {
  if (origin !== undefined && platform !== 'spa')
    throw new EntraProtocolError(9002326, { origin: origin.slice(0, 200) });
  if (origin === undefined && platform === 'spa') throw new EntraProtocolError(9002327);
}

async function redeemCode({ ctx, req, body, app, origin }: Grant): Promise<TokenResponseBody> {
  const code = required(body, 'code');
  const record = ctx.store.codes.get(code);
  if (record === undefined)
    throw new EntraProtocolError(70000, { detail: 'the authorization code is unknown or malformed' });
  if (record.clientId !== app.clientId)
    throw new EntraProtocolError(70000, { detail: 'the authorization code was issued to another application' });
  checkOrigin(origin, record.platform);
  if (record.redeemed) {
    // A replayed code may be stolen: revoke what the first redemption issued (RFC 6749 §4.1.2).
    ctx.store.revokeFamily(record.familyId);
    throw new EntraProtocolError(54005);
  }
  record.redeemed = true;
  if (record.expiresAt < ctx.now()) throw new EntraProtocolError(70008);
  const redirectUri = required(body, 'redirect_uri');
  if (redirectUri !== record.redirectUri) throw new EntraProtocolError(500112, { uri: redirectUri.slice(0, 300) });
  const verifier = body.get('code_verifier');
  if (record.codeChallenge !== undefined) {
    if (verifier === undefined)
      throw record.platform === 'spa' ? new EntraProtocolError(9002325) : new EntraProtocolError(501481);
    if (
      !VERIFIER_RE.test(verifier) ||
      !challengeMatches(record.codeChallenge, record.codeChallengeMethod ?? 'plain', verifier)
    ) {
      throw new EntraProtocolError(501481);
    }
  } else if (record.platform === 'spa') {
    throw new EntraProtocolError(9002325);
  }
  const user = ctx.directory.findUserByOid(record.userOid);
  if (user === undefined) throw new EntraProtocolError(70000, { detail: 'the user no longer exists' });
  const now = ctx.now();
  return issueTokens(ctx, req, {
    app,
    user,
    scopes: record.scopes,
    platform: record.platform,
    nonce: record.nonce,
    sid: record.sid,
    amr: record.amr,
    familyId: record.familyId,
    absoluteExpiresAt:
      record.platform === 'spa' ? now + ctx.directory.config.tokens.spaRefreshTokenLifetimeSeconds * 1000 : undefined,
    clientInfo: body.get('client_info') === '1',
    now,
  });
}

function challengeMatches(challenge: string, method: 'S256' | 'plain', verifier: string): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function redeemRefreshToken({ ctx, req, body, app, origin }: Grant): Promise<TokenResponseBody> {
  const token = required(body, 'refresh_token');
  const record = ctx.store.refreshTokens.get(token);
  if (record === undefined)
    throw new EntraProtocolError(
      9002313,
      { detail: 'the refresh token is unknown or malformed' },
      { error: 'invalid_grant' },
    );
  if (record.clientId !== app.clientId)
    throw new EntraProtocolError(70000, { detail: 'the refresh token was issued to another application' });
  noteRequest(req, { user: ctx.directory.findUserByOid(record.userOid)?.upn });
  checkOrigin(origin, record.platform);
  if (record.revoked) throw new EntraProtocolError(50173);
  const now = ctx.now();
  const tokens = ctx.directory.config.tokens;
  if (record.absoluteExpiresAt !== undefined && record.absoluteExpiresAt <= now) {
    throw new EntraProtocolError(700084, { hours: Math.round(tokens.spaRefreshTokenLifetimeSeconds / 3600) });
  }
  if (record.absoluteExpiresAt === undefined && record.issuedAt + tokens.refreshTokenLifetimeSeconds * 1000 <= now) {
    throw new EntraProtocolError(700082, { days: Math.round(tokens.refreshTokenLifetimeSeconds / 86_400) });
  }
  const user = ctx.directory.findUserByOid(record.userOid);
  if (user === undefined) throw new EntraProtocolError(50173);
  const scope = body.get('scope') ?? record.scope;
  const scopes = ctx.directory.parseScopes(scope);
  if (needsMfa(ctx, user) && !record.amr.includes('mfa')) throw new EntraProtocolError(50076, { upn: user.upn });
  return issueTokens(ctx, req, {
    app,
    user,
    scopes,
    platform: record.platform,
    nonce: undefined,
    sid: record.sid,
    amr: record.amr,
    familyId: record.familyId,
    absoluteExpiresAt: record.absoluteExpiresAt,
    clientInfo: body.get('client_info') === '1',
    now,
  });
}

async function redeemPassword({ ctx, req, body, app, tenant, origin }: Grant): Promise<TokenResponseBody> {
  if (tenant.kind === 'common') throw new EntraProtocolError(9001023, { grant: 'password' });
  if (!app.allowPublicClientFlows) throw new EntraProtocolError(7000218, { clientId: app.clientId });
  if (origin !== undefined) throw new EntraProtocolError(9002326, { origin: origin.slice(0, 200) });
  const username = required(body, 'username');
  const password = required(body, 'password');
  const scopes = ctx.directory.parseScopes(body.get('scope') ?? 'openid profile offline_access');
  const user = ctx.directory.findUserByUpn(username);
  if (user === undefined) throw new EntraProtocolError(50034, { upn: username.slice(0, 256) });
  if (!passwordMatches(user.password, password)) throw new EntraProtocolError(50126);
  if (user.tenant !== app.tenant) throw new EntraProtocolError(50020, { upn: user.upn, tenant: app.tenant });
  if (needsMfa(ctx, user)) throw new EntraProtocolError(50076, { upn: user.upn });
  return issueTokens(ctx, req, {
    app,
    user,
    scopes,
    platform: 'publicClient',
    nonce: undefined,
    sid: randomUUID(),
    amr: ['pwd'],
    familyId: randomUUID(),
    absoluteExpiresAt: undefined,
    clientInfo: body.get('client_info') === '1',
    now: ctx.now(),
  });
}

function passwordMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

interface Issue {
  app: SandboxApp;
  user: SandboxUser;
  scopes: RequestedScopes;
  platform: Platform;
  nonce: string | undefined;
  sid: string;
  amr: string[];
  familyId: string;
  absoluteExpiresAt: number | undefined;
  clientInfo: boolean;
  /** The moment of the request, so that lifetimes computed from it agree. */
  now: number;
}

async function issueTokens(ctx: EntraContext, req: IncomingMessage, issue: Issue): Promise<TokenResponseBody> {
  const { app, user, scopes } = issue;
  noteRequest(req, { user: user.upn });
  const missing = missingConsent(ctx, app, user, scopes);
  if (missing.length > 0) {
    throw new EntraProtocolError(65001, {
      clientId: app.clientId,
      appName: app.displayName,
      scopes: missing.map((scope) => (scope.includes('/') ? scope : `${scopes.resource.appId}/${scope}`)).join(' '),
    });
  }
  const granted = grantedScopes(ctx, app, user, scopes);
  const now = issue.now;
  const tokens = ctx.directory.config.tokens;
  const lifetime =
    ctx.faults.accessTokenLifetimeSeconds ?? tokens.accessTokenLifetimeSeconds ?? randomAccessTokenLifetime();
  const accessToken = await ctx.minter.accessToken({
    app,
    user,
    resource: scopes.resource,
    scopes: granted,
    amr: issue.amr,
    ipaddr: clientIp(req),
    lifetimeSeconds: lifetime,
    now,
  });
  // Entra lists the granted scopes, plus `.default` when asked for, so MSAL's cache lookup for
  // `{resource}/.default` hits. For an OpenID-only request the token is for Microsoft Graph.
  // Scopes are named as the request named them (`User.Read`, `https://graph.microsoft.com/User.Read`,
  // `{app ID}/…`); bare Graph scopes come back bare, with the OpenID scopes, as Entra answers.
  const scope =
    scopes.implicitGraph || scopes.prefix === ''
      ? [...[...scopes.oidc].filter((value) => value !== 'offline_access'), ...granted].join(' ')
      : [
          ...granted.map((value) => `${scopes.prefix}${value}`),
          ...(scopes.isDefault ? [`${scopes.prefix}.default`] : []),
        ].join(' ');
  const response: TokenResponseBody = {
    token_type: 'Bearer',
    scope,
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  if (scopes.oidc.has('offline_access')) {
    const scopeParam = [
      ...scopes.oidc,
      ...(scopes.implicitGraph
        ? []
        : scopes.isDefault
          ? [`${scopes.prefix}.default`]
          : scopes.explicit.map((value) => `${scopes.prefix}${value}`)),
    ].join(' ');
    response.refresh_token = ctx.store.newRefreshToken(
      {
        clientId: app.clientId,
        userOid: user.oid,
        tenantId: user.tenant,
        platform: issue.platform,
        scope: scopeParam,
        sid: issue.sid,
        amr: issue.amr,
        familyId: issue.familyId,
        issuedAt: now,
        absoluteExpiresAt: issue.absoluteExpiresAt,
        revoked: false,
      },
      now,
    );
    if (issue.absoluteExpiresAt !== undefined)
      response.refresh_token_expires_in = Math.max(0, Math.floor((issue.absoluteExpiresAt - now) / 1000));
  }
  if (scopes.oidc.has('openid')) {
    response.id_token = await ctx.minter.idToken({
      app,
      user,
      nonce: issue.nonce,
      sid: issue.sid,
      lifetimeSeconds: tokens.idTokenLifetimeSeconds,
      profile: scopes.oidc.has('profile'),
      email: scopes.oidc.has('email'),
      now,
    });
  }
  if (issue.clientInfo) response.client_info = clientInfoFor(user);
  return response;
}
