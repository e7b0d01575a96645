import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { type EntraFaults, entraFaultsSchema, type SandboxConfig } from '../config-schema.ts';
import { controlRefusal } from '../control-guard.ts';
import { baseUrl, listenWithLan } from '../http-server.ts';
import { CONSOLE_PATH } from '../well-known.ts';
import { sendNoContent } from '../json-response.ts';
import { type RecordedRequest, RequestLog } from '../request-log.ts';
import { type ConnectionLimits, limitSlowClients } from '../slow-clients.ts';
import { ensureSigningKey } from '../keys.ts';
import { observeRequest, type ServedRequestListener } from '../request-events.ts';
import { localStateDir } from '../tls.ts';
import { handleAuthorize, handleLoginForm, sendErrorPage } from './authorize.ts';
import type { EntraContext } from './context.ts';
import { Directory, type TenantRef } from './directory.ts';
import { cloudNamesFor, openIdConfiguration, SANDBOX_TENANT_REGION } from './discovery.ts';
import { AADSTS, buildErrorBody, EntraProtocolError } from './errors.ts';
import { FaultState } from './faults.ts';
import {
  BodyTooLargeError,
  corsHeaders,
  MAX_QUERY_LENGTH,
  parseCookies,
  parseParams,
  readBody,
  redirect,
  sendHtml,
  sendJson,
} from './http.ts';
import { errorCodePage, FORM_POST_JS, PAGE_CSS, signedOutPage } from './pages.ts';
import { type EntraInspection, inspectStore } from './inspect.ts';
import { EntraStore } from './store.ts';
import { handleToken, handleTokenPreflight } from './token.ts';
import { issuerV1, oidFromLoginHint, TokenMinter } from './tokens.ts';

/** Options of {@link startEntra}. */
export interface EntraOptions {
  /** The checked configuration (see `loadSandboxConfig`). */
  config: SandboxConfig;
  tls: { key: string; cert: string };
  /** Interface to listen on; default `localhost`. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** The origin clients use (metadata, issuers); default `https://{publicHost}:{port}`. */
  publicUrl?: string;
  /** The host name in the default public URL; default `host`. */
  publicHost?: string;
  /**
   * A team demo's LAN address: the server listens there too (unless it is `host`), and a request
   * arriving there is another machine's, refused by the control API and the console.
   */
  lanAddress?: string;
  /** Where the signing key persists; default `localStateDir()`. */
  stateDir?: string;
  /** Redirect URIs added to the single-page-app platform of apps that have one (the served demo origin, with '/'). */
  extraSpaRedirectUris?: string[];
  /** One line per request: method, path (never the query), status and duration. */
  log?: (line: string) => void;
  /** The sandbox's clock (ms since the epoch), for tests of expiry; default `Date.now`. */
  clock?: () => number;
  /** Limits for slow or idle clients; default `DEFAULT_CONNECTION_LIMITS` (slow-clients.ts). */
  connectionLimits?: ConnectionLimits;
}

/** A running sandbox Entra ID. */
export interface RunningEntra {
  /** Base URL, e.g. `https://localhost:5174` (no trailing slash). */
  url: string;
  port: number;
  /** `https://{url}/{tenantId}/` — the authority for MSAL. */
  authority(tenantId: string): string;
  /** `host:port` for MSAL's `knownAuthorities`. */
  authorityHost: string;
  /** ID-token issuer: `{url}/{tenantId}/v2.0`. */
  issuerV2(tenantId: string): string;
  /** Access-token issuer: `https://sts.windows.net/{tenantId}/`. */
  issuerV1(tenantId: string): string;
  /** `{url}/{tenantId}/discovery/v2.0/keys`. */
  jwksUri(tenantId: string): string;
  /**
   * The signing keys as the keys endpoint publishes them, for in-process verifiers:
   * `createLocalJWKSet(await entra.jwks(tenantId))` (jose).
   */
  jwks(tenantId: string): Promise<{ keys: Record<string, unknown>[] }>;
  /** The protocol requests since the last reset (same as `GET /_sandbox/requests`). */
  requests(): RecordedRequest[];
  resetRequests(): void;
  /** Sign-ins in progress (count and estimated bytes), bounded: see `PendingSignIns`. */
  pendingSignIns(): { count: number; bytes: number };
  /** Replaces the faults (same as `PUT /_sandbox/faults`). */
  setFaults(faults: unknown): void;
  clearFaults(): void;
  /** The faults in force (same as `GET /_sandbox/faults`). */
  faults(): EntraFaults;
  /** Calls `listener` after each protocol request (control and asset requests excluded); returns the unsubscribe. */
  onRequest(listener: ServedRequestListener): () => void;
  /** Sessions, refresh tokens and consents given on the consent page, for the presenter console. */
  inspect(): EntraInspection;
  /** Serves `/_sandbox/console` and everything under it with `handler` (see `src/sandbox/console/`). */
  mountConsole(handler: ConsoleHandler): void;
  close(): Promise<void>;
}

/** A handler for the console's routes; it does its own checks (loopback, same-origin). */
export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Starts the sandbox Entra ID over HTTPS.
 * @throws {SigningKeyError} when the stored signing key is unreadable; rejects when the port is taken.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols
 */
export async function startEntra(options: EntraOptions): Promise<RunningEntra> {
  const host = options.host ?? 'localhost';
  const key = await ensureSigningKey(options.stateDir ?? localStateDir());
  const log = options.log ?? (() => {});
  const recorded = new RequestLog();
  const store = new EntraStore();
  const directory = new Directory(options.config, options.extraSpaRedirectUris ?? []);
  const listeners = new Set<ServedRequestListener>();
  let consoleHandler: ConsoleHandler | undefined;

  let publicUrl = '';
  let ready = false;
  const ctx: EntraContext = {
    directory,
    store,
    minter: undefined as unknown as TokenMinter,
    faults: undefined as unknown as FaultState,
    publicUrl: '',
    cookieName: '',
    now: options.clock ?? (() => Date.now()),
  };
  const revoke = (upns: string[]) => {
    for (const upn of upns) {
      const user = directory.findUserByUpn(upn);
      if (user !== undefined) store.revokeUser(user.oid);
    }
  };

  // A larger header limit than Node's 16 KiB, so an over-long query gets our 400, not a bare 431.
  const server = createServer(
    { key: options.tls.key, cert: options.tls.cert, maxHeaderSize: 64 * 1024 },
    (req, res) => {
      const started = performance.now();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const control = path.startsWith('/_sandbox/');
      // The pages' stylesheet and script are not protocol requests; keep them out of the record.
      const asset = path.startsWith('/sandbox-assets/') || path === '/favicon.ico';
      if (!control && !asset) observeRequest('entra', req, res, listeners);
      res.on('finish', () => {
        log(`entra ${req.method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
        if (!control && !asset) recorded.add(req.method ?? 'GET', path, res.statusCode);
      });
      if (!ready) {
        // Between listen() and the public URL being known (port 0): too early to build metadata.
        sendJson(
          res,
          503,
          { error: 'temporarily_unavailable', error_description: 'The sandbox is starting; try again.' },
          { 'Retry-After': '1' },
        );
        return;
      }
      route(ctx, req, res, { control, path, recorded, revoke, consoleHandler, lanAddress: options.lanAddress }).catch(
        (error: unknown) => {
          if (error instanceof BodyTooLargeError && !res.headersSent) {
            const tooLarge = new EntraProtocolError(9002313, { detail: 'the body is larger than 64 KiB' });
            sendJson(res, 400, buildErrorBody(tooLarge, randomUUID(), publicUrl), { Connection: 'close' });
            return;
          }
          log(`entra ${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
          if (!res.headersSent)
            sendJson(res, 500, {
              error: 'server_error',
              error_description: 'The sandbox failed to handle this request; see its log.',
            });
          else res.destroy();
        },
      );
    },
  );
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  limitSlowClients(server, options.connectionLimits);

  const { port, close } = await listenWithLan(server, options.port ?? 0, host, options.lanAddress);
  publicUrl = baseUrl(options.publicHost ?? host, port, options.publicUrl);
  ctx.publicUrl = publicUrl;
  ctx.minter = new TokenMinter(key, publicUrl);
  ctx.cookieName = `sandbox_entra_session_${port}`;
  ctx.faults = new FaultState(options.config.faults, revoke, (upns) => {
    for (const upn of upns) {
      const user = directory.findUserByUpn(upn);
      if (user !== undefined)
        for (const key of store.consents.keys()) if (key.endsWith(`|${user.oid}`)) store.consents.delete(key);
    }
  });
  ready = true;

  return {
    url: publicUrl,
    port,
    authorityHost: new URL(publicUrl).host,
    authority: (tenantId) => `${publicUrl}/${tenantId}/`,
    issuerV2: (tenantId) => ctx.minter.issuerV2(tenantId),
    issuerV1,
    jwksUri: (tenantId) => `${publicUrl}/${tenantId}/discovery/v2.0/keys`,
    jwks: (tenantId) => ctx.minter.jwks(ctx.minter.issuerV2(tenantId)),
    requests: () => recorded.list(),
    resetRequests: () => recorded.clear(),
    pendingSignIns: () => ({ count: store.interactions.size, bytes: store.interactions.bytes }),
    setFaults: (faults) => ctx.faults.set(entraFaultsSchema.parse(faults)),
    clearFaults: () => ctx.faults.clear(),
    faults: () => ctx.faults.get(),
    onRequest: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    inspect: () => inspectStore(store, directory),
    mountConsole: (handler) => {
      consoleHandler = handler;
    },
    close,
  };
}

interface RouteState {
  control: boolean;
  path: string;
  recorded: RequestLog;
  revoke: (upns: string[]) => void;
  consoleHandler: ConsoleHandler | undefined;
  lanAddress: string | undefined;
}

async function route(ctx: EntraContext, req: IncomingMessage, res: ServerResponse, state: RouteState): Promise<void> {
  const rawUrl = req.url ?? '/';
  const method = req.method ?? 'GET';
  const queryIndex = rawUrl.indexOf('?');
  const query = queryIndex < 0 ? '' : rawUrl.slice(queryIndex + 1);
  if (query.length > MAX_QUERY_LENGTH) {
    return sendJson(
      res,
      400,
      buildErrorBody(
        new EntraProtocolError(90015, { name: 'query string', length: query.length, max: MAX_QUERY_LENGTH }),
        randomUUID(),
        ctx.publicUrl,
      ),
      corsHeaders('GET, POST, OPTIONS'),
    );
  }
  if (state.consoleHandler && (state.path === CONSOLE_PATH || state.path.startsWith(`${CONSOLE_PATH}/`)))
    return state.consoleHandler(req, res);
  if (state.control) return handleControl(ctx, req, res, state);
  if (ctx.faults.latencyMs > 0) await delay(ctx.faults.latencyMs);

  let segments: string[];
  try {
    segments = state.path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return notFound(res, method, state.path);
  }
  if (method === 'GET' && state.path === '/sandbox-assets/page.css')
    return sendAsset(res, PAGE_CSS, 'text/css; charset=utf-8');
  if (method === 'GET' && state.path === '/sandbox-assets/form-post.js')
    return sendAsset(res, FORM_POST_JS, 'text/javascript; charset=utf-8');
  if (method === 'GET' && state.path === '/favicon.ico') {
    res.writeHead(204, { 'Cache-Control': 'max-age=86400' }).end();
    return;
  }
  if (method === 'GET' && state.path === '/error') {
    const code = new URLSearchParams(query).get('code') ?? '';
    const entry = (AADSTS as Record<string, { text: string } | undefined>)[code];
    return sendHtml(res, entry === undefined ? 404 : 200, errorCodePage(code.slice(0, 20), entry?.text));
  }
  const [tenantSegment, ...rest] = segments;
  if (tenantSegment === undefined || tenantSegment === '') return notFound(res, method, state.path);
  const tail = rest.join('/');

  switch (tail) {
    case 'oauth2/v2.0/authorize':
      if (method !== 'GET') return methodNotAllowed(res, method, state.path, 'GET');
      return handleAuthorize(ctx, req, res, tenantSegment, query);
    case 'oauth2/v2.0/token':
      if (method === 'OPTIONS') return handleTokenPreflight(req, res);
      if (method !== 'POST') return methodNotAllowed(res, method, state.path, 'POST');
      return handleToken(ctx, req, res, tenantSegment, query);
    case 'oauth2/v2.0/logout':
      if (method !== 'GET' && method !== 'POST') return methodNotAllowed(res, method, state.path, 'GET');
      return handleLogout(ctx, req, res, tenantSegment, method === 'POST' ? await readBody(req) : query);
    case 'login':
    case 'login/mfa':
    case 'login/consent':
      if (method !== 'POST') return methodNotAllowed(res, method, state.path, 'POST');
      return handleLoginForm(ctx, req, res, tail === 'login' ? 'password' : tail === 'login/mfa' ? 'mfa' : 'consent');
  }
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      ...corsHeaders('GET, OPTIONS'),
      'Access-Control-Allow-Headers': 'Content-Type, client-request-id',
      'Content-Length': 0,
    });
    return void res.end();
  }
  if (method !== 'GET') return methodNotAllowed(res, method, state.path, 'GET');
  const discovery = discoveryRoute(tenantSegment, tail);
  if (discovery === undefined) return notFound(res, method, state.path);
  return handleDiscovery(ctx, res, tenantSegment, discovery, query, rest);
}

type DiscoveryRoute = 'metadata' | 'metadata-v1' | 'keys' | 'instance' | 'userrealm';

function discoveryRoute(tenantSegment: string, tail: string): DiscoveryRoute | undefined {
  if (tail === 'v2.0/.well-known/openid-configuration') return 'metadata';
  if (tail === '.well-known/openid-configuration') return 'metadata-v1';
  if (tail === 'discovery/v2.0/keys' || tail === 'discovery/keys') return 'keys';
  if (tenantSegment === 'common' && tail === 'discovery/instance') return 'instance';
  if (tail.startsWith('userrealm/') && tail.split('/').length === 2) return 'userrealm';
  return undefined;
}

const DISCOVERY_CORS = corsHeaders('GET, OPTIONS');

async function handleDiscovery(
  ctx: EntraContext,
  res: ServerResponse,
  tenantSegment: string,
  routeName: DiscoveryRoute,
  query: string,
  rest: string[],
): Promise<void> {
  const correlationId = randomUUID();
  const fault = ctx.faults.take('discovery');
  if (fault !== undefined) {
    const error = new EntraProtocolError(
      90033,
      {},
      {
        status: fault.status,
        error: fault.error ?? (fault.status >= 500 ? 'temporarily_unavailable' : 'invalid_request'),
      },
    );
    const headers: Record<string, string> = { ...DISCOVERY_CORS };
    if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
    return sendJson(res, error.status, buildErrorBody(error, correlationId, ctx.publicUrl), headers);
  }
  const base = ctx.publicUrl;
  try {
    if (routeName === 'instance') return sendJson(res, 200, instanceDiscovery(ctx, query), DISCOVERY_CORS);
    if (routeName === 'userrealm') {
      const username = rest[1] ?? '';
      const domainName = username.includes('@') ? username.split('@').pop()!.toLowerCase() : '';
      const tenant = ctx.directory.config.tenants.find((candidate) => candidate.domain === domainName);
      const body = tenant
        ? {
            ver: '1.0',
            account_type: 'Managed',
            domain_name: tenant.domain,
            cloud_instance_name: cloudNamesFor(base).cloud_instance_name,
            cloud_audience_urn: 'urn:federation:MicrosoftOnline',
          }
        : {
            ver: '1.0',
            account_type: 'Unknown',
            cloud_instance_name: cloudNamesFor(base).cloud_instance_name,
            cloud_audience_urn: 'urn:federation:MicrosoftOnline',
          };
      return sendJson(res, 200, body, DISCOVERY_CORS);
    }
    const tenant = ctx.directory.resolveTenant(tenantSegment);
    const pathTenant = tenant.kind === 'tenant' ? tenant.tenant.id : tenant.segment;
    const issuerTenant = tenant.kind === 'tenant' ? tenant.tenant.id : '{tenantid}';
    if (routeName === 'keys')
      return sendJson(res, 200, await ctx.minter.jwks(ctx.minter.issuerV2(issuerTenant)), DISCOVERY_CORS);
    if (routeName === 'metadata-v1') {
      return sendJson(
        res,
        200,
        {
          issuer: tenant.kind === 'tenant' ? issuerV1(tenant.tenant.id) : 'https://sts.windows.net/{tenantid}/',
          jwks_uri: `${base}/${pathTenant}/discovery/keys`,
          token_endpoint: `${base}/${pathTenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/authorize`,
          id_token_signing_alg_values_supported: ['RS256'],
        },
        DISCOVERY_CORS,
      );
    }
    const region = tenant.kind === 'tenant' ? SANDBOX_TENANT_REGION : null;
    return sendJson(res, 200, openIdConfiguration(base, pathTenant, issuerTenant, region), DISCOVERY_CORS);
  } catch (error) {
    if (!(error instanceof EntraProtocolError)) throw error;
    return sendJson(res, error.status, buildErrorBody(error, correlationId, ctx.publicUrl), DISCOVERY_CORS);
  }
}

/**
 * `GET /common/discovery/instance`: answers for our own host only (MSAL sends this to the real
 * public host unless `knownAuthorities` names ours).
 */
function instanceDiscovery(ctx: EntraContext, query: string): Record<string, unknown> {
  const params = parseParams(query);
  const ours = new URL(ctx.publicUrl).host;
  const endpoint = params.get('authorization_endpoint');
  let url: URL | undefined;
  try {
    url = endpoint === undefined ? undefined : new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.host !== ours)
    throw new EntraProtocolError(50049, { host: (url?.host ?? endpoint ?? '').slice(0, 200), expected: ours });
  const tenant = url.pathname.split('/')[1] || 'common';
  return {
    tenant_discovery_endpoint: `${ctx.publicUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': params.get('api-version') ?? '1.1',
    metadata: [{ preferred_network: ours, preferred_cache: ours, aliases: [ours] }],
  };
}

/**
 * `/{tenant}/oauth2/v2.0/logout`: ends the session (or only the hinted account) and redirects to
 * `post_logout_redirect_uri` only when it is exactly a registered redirect URI, so the endpoint
 * cannot be used as an open redirect.
 */
async function handleLogout(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string,
  text: string,
): Promise<void> {
  let params: Map<string, string>;
  let tenant: TenantRef;
  try {
    params = parseParams(text);
    tenant = ctx.directory.resolveTenant(tenantSegment);
  } catch (error) {
    if (error instanceof EntraProtocolError) return sendErrorPage(ctx, res, error, randomUUID());
    throw error;
  }
  const headers: Record<string, string> = {};
  const sessionId = parseCookies(req.headers.cookie).get(ctx.cookieName);
  const session = sessionId === undefined ? undefined : ctx.store.sessions.get(sessionId);
  if (session !== undefined) {
    const hint = params.get('logout_hint');
    const hintedOid =
      hint === undefined ? undefined : (oidFromLoginHint(hint) ?? ctx.directory.findUserByUpn(hint)?.oid);
    if (hintedOid !== undefined) session.accounts.delete(hintedOid);
    else session.accounts.clear();
    if (session.accounts.size === 0) {
      ctx.store.sessions.delete(session.id);
      headers['Set-Cookie'] = `${ctx.cookieName}=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0`;
    }
  }
  const target = params.get('post_logout_redirect_uri');
  if (target === undefined) return sendHtml(res, 200, signedOutPage(undefined), [], headers);
  const clientId = params.get('client_id')?.toLowerCase();
  const apps = ctx.directory.config.apps.filter(
    (app) =>
      (clientId === undefined || app.clientId === clientId) &&
      (tenant.kind !== 'tenant' || app.tenant === tenant.tenant.id),
  );
  const registered = apps.some((app) => {
    const uris = ctx.directory.redirectUris(app);
    return [...uris.spa, ...uris.web, ...uris.publicClient].includes(target);
  });
  if (!registered) {
    return sendHtml(
      res,
      200,
      signedOutPage(
        'The post_logout_redirect_uri is not a registered redirect URI, so the sandbox does not follow it.',
      ),
      [],
      headers,
    );
  }
  const state = params.get('state');
  const location =
    state === undefined ? target : `${target}${target.includes('?') ? '&' : '?'}state=${encodeURIComponent(state)}`;
  return redirect(res, location, headers);
}

/** `/_sandbox/requests` and `/_sandbox/faults`, for tests and benchmarks: loopback only, never a web page. */
async function handleControl(
  ctx: EntraContext,
  req: IncomingMessage,
  res: ServerResponse,
  state: RouteState,
): Promise<void> {
  const method = req.method ?? 'GET';
  const refusal = controlRefusal(req, state.lanAddress);
  if (refusal !== undefined) return sendJson(res, 403, { error: 'forbidden', error_description: refusal });
  if (state.path === '/_sandbox/requests') {
    if (method === 'GET') return sendJson(res, 200, state.recorded.list());
    if (method === 'DELETE') {
      state.recorded.clear();
      return sendNoContent(res);
    }
    return methodNotAllowed(res, method, state.path, 'GET, DELETE');
  }
  if (state.path === '/_sandbox/faults') {
    if (method === 'GET') return sendJson(res, 200, ctx.faults.get());
    if (method === 'DELETE') {
      ctx.faults.clear();
      return sendNoContent(res);
    }
    if (method === 'PUT') {
      let value: unknown;
      try {
        value = JSON.parse(await readBody(req));
      } catch {
        return sendJson(res, 400, {
          error: 'invalid_request',
          error_description: 'The body must be a JSON object of faults; see the README.',
        });
      }
      const parsed = entraFaultsSchema.safeParse(value);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
          .join('; ');
        return sendJson(res, 400, { error: 'invalid_request', error_description: `Invalid faults: ${problems}.` });
      }
      ctx.faults.set(parsed.data);
      return sendJson(res, 200, ctx.faults.get());
    }
    return methodNotAllowed(res, method, state.path, 'GET, PUT, DELETE');
  }
  return notFound(res, method, state.path);
}

function sendAsset(res: ServerResponse, text: string, type: string): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function notFound(res: ServerResponse, method: string, path: string): void {
  sendJson(res, 404, {
    error: 'not_found',
    error_description: `The sandbox Entra ID has no route ${method} ${path.slice(0, 200)}. It serves /{tenant}/oauth2/v2.0/{authorize,token,logout}, /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys, /common/discovery/instance and /common/userrealm/{user}.`,
  });
}

function methodNotAllowed(res: ServerResponse, method: string, path: string, allowed: string): void {
  sendJson(
    res,
    405,
    {
      error: 'method_not_allowed',
      error_description: `${method} is not allowed on ${path.slice(0, 200)}; use ${allowed}.`,
    },
    { Allow: allowed },
  );
}
