import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxUser } from '../config-schema.ts';
import { type EntraContext, missingConsent, needsMfa } from './context.ts';
import { MICROSOFT_GRAPH } from './directory.ts';
import { buildErrorBody, EntraProtocolError, entraTimestamp } from './errors.ts';
import { encodeParams, parseCookies, readBody, parseParams, redirect, sendHtml } from './http.ts';
import { clientInfoFor, oidFromLoginHint } from './tokens.ts';
import { consentPage, errorPage, formPostPage, mfaPage, signInPage } from './pages.ts';
import { noteRequest } from '../request-events.ts';
import type { AuthorizeRequest, Interaction, Session } from './store.ts';
import { GUID_PATTERN } from '../well-known.ts';

const PKCE_RE = /^[A-Za-z0-9\-._~]{43,128}$/;
const PROMPTS = ['login', 'select_account', 'consent', 'none'] as const;

/** Renders a protocol error on the sandbox's own page: for errors that must not redirect. */
export function sendErrorPage(
  _ctx: EntraContext,
  res: ServerResponse,
  error: EntraProtocolError,
  correlationId: string,
): void {
  sendHtml(
    res,
    error.status >= 500 ? error.status : 400,
    errorPage({ code: error.aadsts, message: error.message, correlationId, timestamp: entraTimestamp() }),
  );
}

function correlationIdOf(params: Map<string, string>): string {
  const given = params.get('client-request-id');
  return given !== undefined && GUID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize`. Errors about the client or redirect URI are shown on an
 * error page (never redirected to an unverified URI); later errors go back to the redirect URI
 * with `state`.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
 */
export async function handleAuthorize(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string,
  query: string,
): Promise<void> {
  let params: Map<string, string>;
  try {
    params = parseParams(query);
  } catch (error) {
    if (error instanceof EntraProtocolError) return sendErrorPage(ctx, res, error, randomUUID());
    throw error;
  }
  const correlationId = correlationIdOf(params);
  let request: AuthorizeRequest;
  try {
    const fault = ctx.faults.take('authorizeEndpoint');
    if (fault !== undefined) {
      throw new EntraProtocolError(
        90033,
        {},
        {
          status: fault.status,
          error: fault.error ?? (fault.status >= 500 ? 'temporarily_unavailable' : 'invalid_request'),
        },
      );
    }
    request = validateClient(ctx, tenantSegment, params, correlationId);
  } catch (error) {
    if (error instanceof EntraProtocolError) return sendErrorPage(ctx, res, error, correlationId);
    throw error;
  }
  try {
    completeValidation(ctx, request, params);
  } catch (error) {
    if (error instanceof EntraProtocolError) return sendAuthorizeError(ctx, res, request, error);
    throw error;
  }
  noteRequest(req, { clientId: request.app.clientId });
  const session = sessionOf(ctx, req);
  return decide(ctx, res, request, session);
}

function validateClient(
  ctx: EntraContext,
  tenantSegment: string,
  params: Map<string, string>,
  correlationId: string,
): AuthorizeRequest {
  const tenant = ctx.directory.resolveTenant(tenantSegment);
  const clientId = params.get('client_id');
  if (clientId === undefined || clientId === '') throw new EntraProtocolError(900144, { name: 'client_id' });
  const app = ctx.directory.findApp(clientId, tenant);
  const redirectUri = params.get('redirect_uri');
  const registered = ctx.directory.redirectUris(app);
  if (redirectUri === undefined || redirectUri === '') {
    if (registered.spa.length + registered.web.length + registered.publicClient.length === 0) {
      throw new EntraProtocolError(500113, { clientId: app.clientId });
    }
    throw new EntraProtocolError(900971);
  }
  if (!URL.canParse(redirectUri)) throw new EntraProtocolError(90102, { uri: redirectUri.slice(0, 300) });
  const platform = ctx.directory.redirectPlatform(app, redirectUri);
  if (platform === undefined)
    throw new EntraProtocolError(50011, { uri: redirectUri.slice(0, 300), clientId: app.clientId });
  const responseMode = params.get('response_mode') ?? 'query';
  const state = params.get('state');
  return {
    tenant,
    app,
    redirectUri,
    platform,
    // An unsupported response_mode is reported in the query, the default for response_type=code.
    responseMode: responseMode === 'fragment' || responseMode === 'form_post' ? responseMode : 'query',
    // Set by completeValidation, whose errors already go back to the redirect URI.
    scopes: {
      oidc: new Set(),
      resource: MICROSOFT_GRAPH,
      prefix: '',
      isDefault: false,
      explicit: [],
      implicitGraph: true,
    },
    state,
    nonce: undefined,
    codeChallenge: undefined,
    codeChallengeMethod: undefined,
    prompt: undefined,
    loginHint: undefined,
    sid: undefined,
    clientInfo: params.get('client_info') === '1',
    correlationId,
  };
}

function completeValidation(ctx: EntraContext, request: AuthorizeRequest, params: Map<string, string>): void {
  const responseMode = params.get('response_mode');
  if (responseMode !== undefined && !['query', 'fragment', 'form_post'].includes(responseMode)) {
    throw new EntraProtocolError(900561, { value: responseMode.slice(0, 50) });
  }
  const responseType = params.get('response_type');
  if (responseType === undefined || responseType === '')
    throw new EntraProtocolError(900144, { name: 'response_type' });
  if (responseType !== 'code') throw new EntraProtocolError(700054, { value: responseType.slice(0, 50) });
  const scope = params.get('scope');
  if (scope === undefined || scope.trim() === '') throw new EntraProtocolError(900144, { name: 'scope' });
  request.scopes = ctx.directory.parseScopes(scope);

  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (request.platform === 'spa' && (challenge === undefined || method !== 'S256'))
    throw new EntraProtocolError(9002325);
  if (challenge !== undefined) {
    if (!PKCE_RE.test(challenge)) throw new EntraProtocolError(501491);
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      throw new EntraProtocolError(9002313, {
        detail: `code_challenge_method '${method.slice(0, 20)}' is not S256 or plain`,
      });
    }
    request.codeChallenge = challenge;
    request.codeChallengeMethod = method === 'S256' ? 'S256' : 'plain';
  }
  const prompt = params.get('prompt');
  if (prompt !== undefined) {
    if (!(PROMPTS as readonly string[]).includes(prompt))
      throw new EntraProtocolError(90023, { value: prompt.slice(0, 50) });
    request.prompt = prompt as AuthorizeRequest['prompt'];
  }
  request.nonce = params.get('nonce');
  // select_account drops account hints, as Entra does.
  if (request.prompt !== 'select_account') {
    request.loginHint = params.get('login_hint');
    request.sid = params.get('sid');
  }
}

function sessionOf(ctx: EntraContext, req: IncomingMessage): Session | undefined {
  const id = parseCookies(req.headers.cookie).get(ctx.cookieName);
  return id === undefined ? undefined : ctx.store.sessions.get(id);
}

/** The session account a silent or SSO request should use, if exactly one fits. */
function pickAccount(
  ctx: EntraContext,
  request: AuthorizeRequest,
  session: Session | undefined,
): { user: SandboxUser; mfa: boolean } | 'none' | 'many' {
  if (session === undefined || session.accounts.size === 0) return 'none';
  let candidates = [...session.accounts.values()];
  if (request.sid !== undefined && request.sid !== session.sessionState) return 'none';
  if (request.loginHint !== undefined) {
    const hintOid = oidFromLoginHint(request.loginHint) ?? ctx.directory.findUserByUpn(request.loginHint)?.oid;
    candidates = candidates.filter((account) => account.oid === hintOid);
  }
  if (candidates.length === 0) return 'none';
  if (candidates.length > 1) return 'many';
  const account = candidates[0]!;
  const user = ctx.directory.findUserByOid(account.oid);
  return user === undefined ? 'none' : { user, mfa: account.mfa };
}

async function decide(
  ctx: EntraContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  session: Session | undefined,
): Promise<void> {
  const picked = pickAccount(ctx, request, session);
  if (request.prompt === 'none') {
    if (picked === 'none') return sendAuthorizeError(ctx, res, request, new EntraProtocolError(50058));
    if (picked === 'many') return sendAuthorizeError(ctx, res, request, new EntraProtocolError(16000));
    const interaction = ctx.store.newInteraction(request, ctx.now());
    interaction.userOid = picked.user.oid;
    interaction.mfaDone = picked.mfa;
    return proceed(ctx, res, interaction, session);
  }
  const interaction = ctx.store.newInteraction(request, ctx.now());
  if (request.prompt === undefined || request.prompt === 'consent') {
    if (typeof picked === 'object') {
      interaction.userOid = picked.user.oid;
      interaction.mfaDone = picked.mfa;
      return proceed(ctx, res, interaction, session);
    }
  }
  return showSignIn(ctx, res, interaction, session, undefined);
}

function showSignIn(
  ctx: EntraContext,
  res: ServerResponse,
  interaction: Interaction,
  session: Session | undefined,
  error: string | undefined,
  username?: string,
): void {
  const { request } = interaction;
  const hinted =
    request.loginHint === undefined
      ? ''
      : (ctx.directory.findUserByOid(oidFromLoginHint(request.loginHint) ?? '')?.upn ?? request.loginHint);
  const signedIn =
    request.prompt === 'login' || session === undefined
      ? []
      : [...session.accounts.keys()]
          .map((oid) => ctx.directory.findUserByOid(oid))
          .filter((user): user is SandboxUser => user !== undefined);
  const tenantName =
    request.tenant.kind === 'tenant'
      ? request.tenant.tenant.displayName
      : (ctx.directory.tenantById(request.app.tenant)?.displayName ?? '');
  sendHtml(
    res,
    200,
    signInPage({
      action: `/${request.tenant.segment}/login`,
      ctx: interaction.id,
      appName: request.app.displayName,
      tenantName,
      username: username ?? hinted,
      error,
      demoUsers: ctx.directory.config.signIn.listUsers ? ctx.directory.config.users : [],
      signedIn,
      workspaceResource: ctx.directory.config.signIn.listUsers
        ? {
            azureResourceId: ctx.directory.config.workspace.azureResourceId,
            roles: ctx.directory.config.workspace.resourceRoles,
          }
        : undefined,
    }),
    formTargets(request),
  );
}

/** The verification-code page of the MFA step, with an error when the last code was wrong. */
function showMfa(
  ctx: EntraContext,
  res: ServerResponse,
  interaction: Interaction,
  user: SandboxUser,
  error: string | undefined,
): void {
  const { request } = interaction;
  const page = mfaPage({
    action: `/${request.tenant.segment}/login/mfa`,
    ctx: interaction.id,
    user,
    code: ctx.directory.config.signIn.mfaCode,
    error,
  });
  sendHtml(res, 200, page, formTargets(request));
}

function formTargets(request: AuthorizeRequest): string[] {
  // Chromium applies form-action to the redirect that follows a form post, so the app's origin
  // must be allowed for the final 302 (and for the form_post page).
  // Custom-scheme redirect URIs (native apps) have an opaque origin, which CSP cannot name.
  const origin = new URL(request.redirectUri).origin;
  return origin === 'null' ? [] : [origin];
}

/** After the user is known: tenant membership, MFA, consent, then the code. */
async function proceed(
  ctx: EntraContext,
  res: ServerResponse,
  interaction: Interaction,
  session: Session | undefined,
): Promise<void> {
  const { request } = interaction;
  const user = ctx.directory.findUserByOid(interaction.userOid!)!;
  noteRequest(res.req, { user: user.upn, clientId: request.app.clientId });
  const silent = request.prompt === 'none';
  const homeTenant = request.tenant.kind === 'tenant' ? request.tenant.tenant.id : request.app.tenant;
  if (user.tenant !== homeTenant || user.tenant !== request.app.tenant) {
    const error = new EntraProtocolError(50020, { upn: user.upn, tenant: homeTenant });
    if (silent) return sendAuthorizeError(ctx, res, request, new EntraProtocolError(50058));
    interaction.userOid = undefined;
    return showSignIn(ctx, res, interaction, session, error.message);
  }
  if (needsMfa(ctx, user) && !interaction.mfaDone) {
    if (silent)
      return sendAuthorizeError(
        ctx,
        res,
        request,
        new EntraProtocolError(50076, { upn: user.upn }, { error: 'interaction_required' }),
      );
    return showMfa(ctx, res, interaction, user, undefined);
  }
  const missing = missingConsent(ctx, request.app, user, request.scopes);
  if (missing.some((scope) => scope.includes('/'))) {
    return sendAuthorizeError(ctx, res, request, consentError(request, missing));
  }
  if ((missing.length > 0 || request.prompt === 'consent') && !interaction.consentDone) {
    if (silent) return sendAuthorizeError(ctx, res, request, consentError(request, missing), 'consent_required');
    const scopes = ctx.directory.neededScopes(request.app, request.scopes);
    return sendHtml(
      res,
      200,
      consentPage({
        action: `/${request.tenant.segment}/login/consent`,
        ctx: interaction.id,
        user,
        appName: request.app.displayName,
        clientId: request.app.clientId,
        permissions: scopes.map((scope) => ({ resource: request.scopes.resource.displayName, scope })),
      }),
      formTargets(request),
    );
  }
  ctx.store.interactions.delete(interaction.id);
  return issueCode(ctx, res, request, user, interaction.mfaDone, session);
}

function consentError(request: AuthorizeRequest, missing: string[]): EntraProtocolError {
  return new EntraProtocolError(65001, {
    clientId: request.app.clientId,
    appName: request.app.displayName,
    scopes: missing
      .map((scope) => (scope.includes('/') ? scope : `${request.scopes.resource.appId}/${scope}`))
      .join(' '),
  });
}

function issueCode(
  ctx: EntraContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  user: SandboxUser,
  mfa: boolean,
  existing: Session | undefined,
): void {
  const now = ctx.now();
  const session = existing ?? ctx.store.newSession();
  const previous = session.accounts.get(user.oid);
  session.accounts.set(user.oid, {
    oid: user.oid,
    authTime: previous?.authTime ?? now,
    mfa: mfa || (previous?.mfa ?? false),
  });
  const code = ctx.store.newCode(
    {
      clientId: request.app.clientId,
      redirectUri: request.redirectUri,
      platform: request.platform,
      scopes: request.scopes,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      userOid: user.oid,
      tenantId: user.tenant,
      sid: session.sessionState,
      amr: mfa ? ['pwd', 'mfa'] : ['pwd'],
      expiresAt: now + ctx.directory.config.tokens.codeLifetimeSeconds * 1000,
      redeemed: false,
      familyId: randomUUID(),
    },
    now,
  );
  sendAuthorizeResponse(
    res,
    request,
    {
      code,
      ...(request.clientInfo ? { client_info: clientInfoFor(user) } : {}),
      state: request.state,
      session_state: session.sessionState,
    },
    { 'Set-Cookie': `${ctx.cookieName}=${session.id}; Path=/; Secure; HttpOnly; SameSite=None` },
  );
}

/** Sends an error back to the redirect URI, with `state`, in the requested response mode. */
export function sendAuthorizeError(
  ctx: EntraContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  error: EntraProtocolError,
  errorValue?: string,
): void {
  const body = buildErrorBody(error, request.correlationId, ctx.publicUrl);
  sendAuthorizeResponse(res, request, {
    error: errorValue ?? body.error,
    error_description: body.error_description,
    error_uri: body.error_uri,
    suberror: body.suberror,
    timestamp: body.timestamp,
    trace_id: body.trace_id,
    correlation_id: body.correlation_id,
    state: request.state,
  });
}

function sendAuthorizeResponse(
  res: ServerResponse,
  request: AuthorizeRequest,
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): void {
  if (request.responseMode === 'form_post') {
    const fields = Object.fromEntries(
      Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    sendHtml(res, 200, formPostPage(request.redirectUri, fields), formTargets(request), headers);
    return;
  }
  const encoded = encodeParams(params);
  const separator = request.responseMode === 'fragment' ? '#' : request.redirectUri.includes('?') ? '&' : '?';
  redirect(res, `${request.redirectUri}${separator}${encoded}`, headers);
}

/**
 * `POST /{tenant}/login`, `/login/mfa`, `/login/consent`: the sign-in page's forms. `ctx`
 * names the interaction kept server-side.
 */
export async function handleLoginForm(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  step: 'password' | 'mfa' | 'consent',
): Promise<void> {
  let form: Map<string, string>;
  try {
    form = parseParams(await readBody(req));
  } catch (error) {
    if (error instanceof EntraProtocolError) return sendErrorPage(ctx, res, error, randomUUID());
    throw error;
  }
  const interaction = ctx.store.interactions.get(form.get('ctx') ?? '');
  if (interaction === undefined || interaction.expiresAt < ctx.now()) {
    return sendErrorPage(
      ctx,
      res,
      new EntraProtocolError(9002313, {
        detail: 'the sign-in has expired or was already completed; start again from the application',
      }),
      randomUUID(),
    );
  }
  const session = sessionOf(ctx, req);
  const { request } = interaction;
  noteRequest(req, { clientId: request.app.clientId });
  if (step === 'password') {
    const account = form.get('account');
    const demo = form.get('demo_user');
    let user: SandboxUser | undefined;
    if (account !== undefined && session?.accounts.has(account)) {
      user = ctx.directory.findUserByOid(account);
      interaction.mfaDone = session.accounts.get(account)?.mfa ?? false;
    } else if (demo !== undefined && ctx.directory.config.signIn.listUsers) {
      user = ctx.directory.findUserByUpn(demo);
    } else {
      const username = form.get('username') ?? '';
      const candidate = ctx.directory.findUserByUpn(username);
      if (candidate === undefined || !passwordMatches(candidate.password, form.get('password') ?? '')) {
        return showSignIn(
          ctx,
          res,
          interaction,
          session,
          'Your username or password is incorrect (AADSTS50126).',
          username,
        );
      }
      user = candidate;
    }
    if (user === undefined)
      return showSignIn(
        ctx,
        res,
        interaction,
        session,
        'That account is not available. Sign in with a username and password.',
      );
    interaction.userOid = user.oid;
    return proceed(ctx, res, interaction, session);
  }
  if (interaction.userOid === undefined) return showSignIn(ctx, res, interaction, session, undefined);
  const user = ctx.directory.findUserByOid(interaction.userOid)!;
  if (step === 'mfa') {
    if (form.get('otc')?.trim() !== ctx.directory.config.signIn.mfaCode) {
      return showMfa(ctx, res, interaction, user, 'That code is not right. Try again.');
    }
    interaction.mfaDone = true;
    return proceed(ctx, res, interaction, session);
  }
  if (form.get('consent') !== 'accept') {
    ctx.store.interactions.delete(interaction.id);
    return sendAuthorizeError(ctx, res, request, new EntraProtocolError(65004, { clientId: request.app.clientId }));
  }
  const granted = ctx.store.consentsOf(request.app.clientId, user.oid);
  for (const scope of ctx.directory.neededScopes(request.app, request.scopes))
    granted.add(`${request.scopes.resource.appId}/${scope}`);
  interaction.consentDone = true;
  return proceed(ctx, res, interaction, session);
}

/** Constant-time comparison of the configured and the typed password. */
function passwordMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
